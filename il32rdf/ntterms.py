"""N-Triples term strings, without rdflib: the form in which every engine hands statements
and answers to the writers.

A statement is a triple of N-Triples term strings (``<http://...>``, ``_:b0``, ``"text"@en``,
``"5"^^<http://www.w3.org/2001/XMLSchema#integer>``), spelt as Oxigraph spells them (control
characters escaped, language tags in lower case, no ``^^xsd:string``). :mod:`il32rdf.terms`
turns rdflib terms into this form and back.

>>> literal_nt('say "hi"\\n', language="EN")
'"say \\\\"hi\\\\"\\\\n"@en'
>>> nt_parts('"5"^^<http://www.w3.org/2001/XMLSchema#integer>')
('literal', '5', None, 'http://www.w3.org/2001/XMLSchema#integer')
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Final, Literal, TypeVar

from il32rdf.errors import ExportError

if TYPE_CHECKING:
    from rdflib.term import Node

__all__ = [
    "XSD_STRING",
    "DumpedLines",
    "LineCollector",
    "NtTerm",
    "Statement",
    "as_written",
    "distinct_sorted",
    "literal_nt",
    "nt_parts",
    "quote_nt",
    "remember",
    "term_parts",
    "unescape",
]

Statement = tuple[str, str, str]
"""A triple of N-Triples term strings: subject, predicate, object."""


class NtTerm(str):
    """One RDF term written in N-Triples syntax, marked as such: a bound query parameter that no
    engine's own term type was needed for (an rdflib ``URIRef`` is a ``str`` too, of its IRI)."""

    __slots__ = ()


XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES: Final = {
    **{code: f"\\u{code:04X}" for code in [*range(0x20), 0x7F]},
    0x08: "\\b",
    0x09: "\\t",
    0x0A: "\\n",
    0x0C: "\\f",
    0x0D: "\\r",
    0x22: '\\"',
    0x5C: "\\\\",
}


def quote_nt(lexical: str) -> str:
    """A literal's lexical form as an N-Triples string, in quotes, escaped as Oxigraph does."""
    return '"' + lexical.translate(_ESCAPES) + '"'


def literal_nt(lexical: str, *, language: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples syntax: a language tag in lower case, no ``^^xsd:string``."""
    if language:
        return f"{quote_nt(lexical)}@{language.lower()}"
    if datatype is not None and datatype != XSD_STRING:
        return f"{quote_nt(lexical)}^^<{datatype}>"
    return quote_nt(lexical)


TermKind = Literal["uri", "bnode", "literal"]
TermParts = tuple[TermKind, str, "str | None", "str | None"]
"""A term's kind, value, language tag and datatype IRI (``None`` for a plain string)."""


def nt_parts(text: str) -> TermParts:
    """An N-Triples term string read as its kind (``uri``, ``bnode``, ``literal``), its value (the
    IRI, the label, the lexical form unescaped), its language tag and its datatype IRI (``None``
    for a string without a tag)."""
    if text[0] == "<":
        return "uri", text[1:-1], None, None
    if text[0] == "_":
        return "bnode", text[2:], None, None
    end = text.rindex('"')
    lexical, rest = unescape(text[1:end]), text[end + 1 :]
    if rest.startswith("@"):
        return "literal", lexical, rest[1:], None
    if rest.startswith("^^"):
        return "literal", lexical, None, rest[3:-1]
    return "literal", lexical, None, None


def term_parts(term: Node | str) -> TermParts:
    """:func:`nt_parts` of an N-Triples term string (a plain ``str`` or an :class:`NtTerm`), or
    the same parts of an rdflib term: the one reading of a term for writers that take both.

    :raises TypeError: an rdflib node that is no IRI, blank node or literal (e.g. a variable).
    """
    kind = _KINDS.get(type(term)) or _kind_of(type(term))
    if kind == "nt":
        return nt_parts(term)  # type: ignore[arg-type]
    if kind != "literal":
        return kind, str(term), None, None  # type: ignore[return-value]
    language, datatype = term.language, term.datatype  # type: ignore[union-attr]
    if language or datatype is None or datatype == XSD_STRING:
        return "literal", str(term), language or None, None
    return "literal", str(term), None, str(datatype)


_KINDS: dict[type, str] = {str: "nt", NtTerm: "nt"}
"""The kind of each term class met so far: an N-Triples string, or one of rdflib's terms."""


def _kind_of(cls: type) -> str:
    from rdflib import BNode, Literal, URIRef  # a term of rdflib's: rdflib is loaded already

    for base, kind in ((URIRef, "uri"), (BNode, "bnode"), (Literal, "literal")):
        if issubclass(cls, base):
            _KINDS[cls] = kind
            return kind
    raise TypeError(f"not an RDF term of a known kind: {cls.__name__}")


_ESCAPE: Final = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_SIMPLE_ESCAPES: Final = {
    "t": "\t",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


def unescape(text: str) -> str:
    """The characters an N-Triples string's escapes stand for (``\\n``, ``\\u00e9``...)."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match[1] or match[2]
        return chr(int(code, 16)) if code else _SIMPLE_ESCAPES.get(match[3], match[3])

    return _ESCAPE.sub(one, text)


_LINE_END_TEXT: Final = " .\n"
_LINE_END: Final = _LINE_END_TEXT.encode("ascii")


_K = TypeVar("_K")
_V = TypeVar("_V")

MEMO_LIMIT: Final = 100_000
"""The most entries a writer's memo (of CURIEs, rendered pairs, read literals) holds."""


def remember(memo: dict[_K, _V], key: _K, value: _V) -> _V:
    """Keep ``value`` in ``memo`` under ``key`` and return it. A memo that holds
    :data:`MEMO_LIMIT` entries is emptied first: what repeats (types, flags, evidence codes) is
    back in it at once, and a million unique terms (labels, claim IRIs) are not all kept.

    >>> memo = {}
    >>> remember(memo, "<urn:a>", "a")
    'a'
    >>> memo
    {'<urn:a>': 'a'}
    """
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def distinct_sorted(lines: list[str]) -> list[str]:
    """``lines`` sorted (in place) without repeats: a statement of several graphs once. Sorting
    first and then dropping equal neighbours is several times faster than a set when the lines
    come as sorted runs (each graph's dump)."""
    lines.sort()
    if len(lines) < 2:
        return lines
    last = lines[-1]
    kept = [line for line, after in itertools.pairwise(lines) if line != after]
    kept.append(last)
    return kept


class LineCollector:
    """A binary file-like object that keeps the N-Triples statements written to it, decoded
    from UTF-8, each as its line without the final `` .``.

    Handed to Oxigraph's ``Store.dump``, it reads a large N-Triples output piece by piece,
    without ever holding the whole text (for 1M triples: 260 MB in all instead of 650 MB, and
    faster). A line ends with `` .`` and a newline, which cannot occur inside one: N-Triples
    escapes the newlines of literals.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._rest = b""

    def write(self, piece: bytes) -> int:
        """Take ``piece``; the statements it completes become :attr:`lines` (a line's end may
        be split between two pieces)."""
        data = self._rest + piece
        head, end, tail = data.rpartition(_LINE_END)
        if end:
            self.lines += head.decode("utf-8").split(_LINE_END_TEXT)
            self._rest = tail
        else:
            self._rest = data
        return len(piece)

    @property
    def complete(self) -> bool:
        """Whether everything written so far ended a statement."""
        return not self._rest

    def flush(self) -> None:
        """Nothing to do: the lines are kept as they come."""


def as_written(respelt: Mapping[str, Sequence[str]], lines: list[str]) -> list[str]:
    """A graph's ``lines`` as its statements were written: each line a store re-spelt
    (``respelt``: the line as held -> the lines as written, itself among them when it was
    written too) replaced by those; sorted and distinct when any was, else ``lines`` itself."""
    if not respelt:
        return lines
    out: list[str] = []
    for line in lines:
        out.extend(respelt.get(line, (line,)))
    return sorted(set(out))


class DumpedLines:
    """The statements of one graph in an N-Triples file, which any process can read back as
    sorted lines without their `` .`` (no store needed): what a store's ``graph_lines`` gives,
    for a process of its own (the release's writer). ``respelt``: see :func:`as_written`."""

    __slots__ = ("path", "respelt")

    def __init__(self, path: str, respelt: Mapping[str, Sequence[str]] | None = None) -> None:
        self.path = path
        self.respelt = respelt or {}

    def read(self) -> list[str]:
        """The lines, sorted.

        :raises ExportError: the file cannot be read, or ends in the middle of a statement.
        """
        sink = LineCollector()
        try:
            with open(self.path, "rb") as file:
                while piece := file.read(1 << 20):
                    sink.write(piece)
        except OSError as exc:
            raise ExportError(f"cannot read the statements dumped in {self.path}: {exc}") from None
        if not sink.complete:
            raise ExportError(f"the statements dumped in {self.path} end in the middle of one")
        lines = as_written(self.respelt, sink.lines)
        lines.sort()
        return lines
