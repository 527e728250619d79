"""Oxigraph's SPARQL TSV answers read as rows of N-Triples term strings, as they are written.

>>> sink = TsvRows()
>>> _ = sink.write(b'?s\\t?n\\n<urn:a>\\t1.5\\n<urn:a>\\t\\n')
>>> sink.rows
[('<urn:a>', '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'), ('<urn:a>', None)]
"""

from __future__ import annotations

from typing import Final

__all__ = ["TsvRows"]

_XSD: Final = "http://www.w3.org/2001/XMLSchema#"


class TsvRows:
    """A binary file-like object that keeps the rows of the SPARQL TSV answer written to it,
    read piece by piece as Oxigraph writes them: each row a tuple of N-Triples term strings
    (:func:`_from_tsv`: TSV writes terms as N-Triples but for Turtle's short numbers and
    booleans), each distinct term one string object (a claim's IRI, a qualifier, a
    code repeat in row after row: the rows of the 1M graph's claims take a fifth of the memory
    of a string per cell, and the answer's text is never held whole)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str | None, ...]] = []
        self._rest = b""
        self._header = True
        self._terms: dict[str, str | None] = {}

    def write(self, piece: bytes) -> int:
        """Take ``piece``; the rows it completes join :attr:`rows`."""
        head, end, self._rest = (self._rest + piece).rpartition(b"\n")
        if not end:
            return len(piece)
        lines = head.decode("utf-8").split("\n")
        if self._header:  # the first line names the variables
            del lines[0]
            self._header = False
        terms = self._terms
        for line in lines:
            row = []
            for field in line.split("\t"):
                term = terms.get(field, "")  # "": not seen yet (no term is spelt "")
                if term == "":
                    term = terms[field] = _from_tsv(field)
                row.append(term)
            self.rows.append(tuple(row))
        return len(piece)

    def flush(self) -> None:
        """Nothing to do: the rows are kept as they come."""


def _from_tsv(field: str) -> str | None:
    """A term of Oxigraph's SPARQL TSV answer as an N-Triples term string (``None``: unbound)."""
    if not field:
        return None
    if field[0] in '<"_':
        return field
    if field in ("true", "false"):
        return f'"{field}"^^<{_XSD}boolean>'
    kind = "double" if "e" in field or "E" in field else "decimal" if "." in field else "integer"
    return f'"{field}"^^<{_XSD}{kind}>'
