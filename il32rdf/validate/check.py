"""What the compiler makes of a shapes graph: one :class:`Check` per constraint, or
:class:`UnsupportedShape` when it declines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from rdflib import Literal, URIRef
from rdflib.term import Node

__all__ = ["Check", "UnsupportedShape", "by_value"]

# Components whose verdict on a literal depends on its value only (not its lexical form or its
# identity as a term): Oxigraph's canonical form of a literal focus node gives the same verdict.
_BY_VALUE: Final = {
    "Class", "NodeKind", "Datatype", "MinExclusive", "MinInclusive", "MaxExclusive",
    "MaxInclusive", "MinCount", "MaxCount", "Closed", "UniqueLang", "LessThan",
    "LessThanOrEquals",
}  # fmt: skip


def by_value(component: URIRef) -> bool:
    """Whether a result of ``component`` depends only on the values of literals."""
    local = str(component).rpartition("#")[2].removesuffix("ConstraintComponent")
    return str(component).startswith("http://www.w3.org/ns/shacl#") and local in _BY_VALUE


class UnsupportedShape(Exception):
    """A shape uses SHACL the compiler does not translate; the message says which."""


@dataclass(frozen=True)
class Check:
    """One constraint as one query. Each row of ``query``'s answer is one validation result.

    The query selects ``?this`` (the focus node) and the columns results take their value
    from (``value``: the first bound one; ``this`` means the focus node) and, where the path
    varies, ``?path``. ``templates`` are the messages (``{?var}`` / ``{$param}`` filled from the
    row and ``parameters``; none: the default message). ``recheck`` is a datatype whose
    returned values are judged again by rdflib's reading of their lexical form.
    """

    query: str
    shape: Node
    component: URIRef
    severity: URIRef
    path: Node | None = None
    value: tuple[str, ...] = ("value",)
    templates: tuple[Literal, ...] = ()
    parameters: tuple[tuple[str, Node], ...] = ()
    recheck: URIRef | None = None
    constants: tuple[Literal, ...] = ()
    """Literal focus nodes (``sh:targetNode``) as written: Oxigraph answers with its canonical
    form of a constant (``"4"`` for ``"4.0"^^xsd:decimal``), mapped back to these."""
