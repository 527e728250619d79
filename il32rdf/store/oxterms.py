"""pyoxigraph's terms as rdflib's and back: what crosses the Oxigraph seam as terms.

>>> from_ox(ox.Literal("flase", datatype=ox.NamedNode(XSD_BOOLEAN)))
rdflib.term.Literal('flase', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#boolean'))
"""

from __future__ import annotations

from typing import Final

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, Node

from il32rdf.errors import QueryError, UsageError

__all__ = ["from_ox", "node", "rdflib_triple", "to_ox"]

_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"
XSD_BOOLEAN: Final = "http://www.w3.org/2001/XMLSchema#boolean"


def from_ox(term: object) -> Node | None:
    """A pyoxigraph term as the rdflib term it stands for (``None`` stays ``None``); a literal
    exactly as given (rdflib would otherwise re-spell some, e.g. ``"flase"^^xsd:boolean``).
    rdflib complains about an ill-typed one as it makes it: make terms within
    :func:`~il32rdf.terms.quiet_rdflib`.

    :raises QueryError: ``term`` is no term rdflib has (e.g. an RDF-star triple).
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise QueryError(f"Oxigraph returned a term il32rdf cannot read: {term!r}")


def node(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """A pyoxigraph term (never ``None``) as an rdflib term (see :func:`from_ox`)."""
    found = from_ox(term)
    assert found is not None
    return found


def rdflib_triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    """The subject, predicate and object of ``quad`` as rdflib terms (see :func:`from_ox`)."""
    return node(quad.subject), node(quad.predicate), node(quad.object)  # type: ignore[arg-type]


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as pyoxigraph's.

    :raises UsageError: ``term`` is no IRI, blank node or literal.
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = str(term.datatype) if term.datatype is not None else _XSD_STRING
        return ox.Literal(str(term), datatype=ox.NamedNode(datatype))
    raise UsageError(f"cannot bind {term!r}: not an IRI, blank node or literal")
