"""rdflib terms as N-Triples term strings (:mod:`il32rdf.ntterms`) and back.

:func:`term_nt` turns an rdflib term into the N-Triples form Oxigraph spells, :func:`rdflib_term`
turns one back, :func:`rdflib_statements` reads a graph as statements. The string-only names of
:mod:`il32rdf.ntterms` are re-exported here.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator, Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.ntterms import (
    LineCollector,
    Statement,
    distinct_sorted,
    literal_nt,
    nt_parts,
    unescape,
)

__all__ = [
    "LineCollector",
    "Statement",
    "distinct_sorted",
    "quiet_rdflib",
    "rdflib_rows",
    "rdflib_statements",
    "rdflib_term",
    "term_nt",
    "unescape",
]


def term_nt(node: Node) -> str:
    """The N-Triples form of an rdflib term, spelt as Oxigraph spells it.

    >>> term_nt(Literal('say "hi"\\n', lang="EN"))
    '"say \\\\"hi\\\\"\\\\n"@en'
    >>> term_nt(URIRef("http://example.org/a"))
    '<http://example.org/a>'

    :raises TypeError: ``node`` is not an IRI, blank node or literal (e.g. a variable).
    """
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode):
        return f"_:{node}"
    if isinstance(node, Literal):
        datatype = node.datatype
        return literal_nt(
            str(node), language=node.language, datatype=None if datatype is None else str(datatype)
        )
    raise TypeError(f"not an RDF term: {node!r}")


def rdflib_term(text: str) -> Node:
    """An N-Triples term string as an rdflib term: a blank node keeps its label, a literal its
    lexical form and datatype exactly (rdflib's own parser would re-spell ``"01"^^xsd:integer``).

    >>> rdflib_term('"a\\tb"@en')
    rdflib.term.Literal('a\\tb', lang='en')
    """
    kind, value, language, datatype = nt_parts(text)
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if language is not None:
        return Literal(value, lang=language)
    if datatype is not None:
        return Literal(value, datatype=URIRef(datatype), normalize=False)
    return Literal(value)


def rdflib_statements(graph: Graph) -> Iterator[Statement]:
    """The statements of an rdflib graph as N-Triples term strings (see :func:`term_nt`)."""
    cache: dict[Node, str] = {}
    for triple in graph:
        row = []
        for term in triple:
            text = cache.get(term)
            if text is None:
                text = cache[term] = term_nt(term)
            row.append(text)
        yield row[0], row[1], row[2]


def rdflib_rows(
    rows: Sequence[Sequence[str | None]],
) -> tuple[tuple[Node | None, ...], ...]:
    """Rows of N-Triples term strings (``None``: unbound) as rows of rdflib terms, each distinct
    string made once, rdflib's complaints about ill-typed literals held back."""
    made: dict[str | None, Node | None] = {None: None}
    with quiet_rdflib():
        for row in rows:
            for text in row:
                if text not in made:
                    made[text] = rdflib_term(text)  # type: ignore[arg-type]
    return tuple(tuple(made[text] for text in row) for row in rows)


@contextlib.contextmanager
def quiet_rdflib() -> Iterator[None]:
    """rdflib's complaints as it makes an ill-typed literal (a warning for ``"flase"`` as a
    boolean, a logged traceback for other datatypes) held back: the literal is kept as written,
    and the shapes report it. One context for a batch of terms (it costs more than a term)."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logger.setLevel(level)
