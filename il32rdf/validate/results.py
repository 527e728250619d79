"""From what an engine found to a :class:`~il32rdf.validate.report.ValidationResult`, the same
way for both engines: the shape's stable name, the path as text, the message (the shape's own,
or the default one), labels and the publication a claim cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Protocol

from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from il32rdf.validate.messages import default_message
from il32rdf.validate.report import Found, Severity, ValidationResult, term_text
from il32rdf.validate.shapes_graph import Shapes
from il32rdf.vocab import IL32, compress_iri

__all__ = ["GraphLookup", "Lookup", "StoreLookup", "make_result"]


class Lookup(Protocol):
    """What a report needs from the data besides the results: labels and cited sources."""

    def label(self, node: Node | None) -> str | None: ...

    def publication(self, focus: Node | None) -> tuple[str | None, str | None]: ...


class _Objects(Protocol):
    def objects(self, subject: Node, predicate: URIRef) -> list[Node]: ...


class GraphLookup:
    """Labels and sources read from an rdflib graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def label(self, node: Node | None) -> str | None:
        if node is None or isinstance(node, Literal):
            return None
        return best_label(self.graph.objects(node, RDFS.label))

    def publication(self, focus: Node | None) -> tuple[str | None, str | None]:
        if focus is None or (focus, RDF.type, IL32.Claim) not in self.graph:
            return None, None
        sources = sorted(self.graph.objects(focus, DCTERMS.source), key=str)
        if not sources:
            return None, None
        return str(sources[0]), self.label(sources[0])


class StoreLookup:
    """Labels and sources read from a store (its ``objects`` method)."""

    def __init__(self, store: _Objects) -> None:
        self.store = store

    def label(self, node: Node | None) -> str | None:
        if node is None or isinstance(node, Literal):
            return None
        return best_label(self.store.objects(node, RDFS.label))

    def publication(self, focus: Node | None) -> tuple[str | None, str | None]:
        if focus is None or isinstance(focus, Literal):
            return None, None
        if IL32.Claim not in self.store.objects(focus, RDF.type):
            return None, None
        sources = self.store.objects(focus, DCTERMS.source)
        if not sources:
            return None, None
        return str(sources[0]), self.label(sources[0])


def best_label(labels: Iterable[Node | None]) -> str | None:
    """The English or untagged label first, then by text."""
    ordered = sorted(
        (label for label in labels if label is not None),
        key=lambda lit: (getattr(lit, "language", None) not in (None, "en"), str(lit)),
    )
    return str(ordered[0]) if ordered else None


def make_result(found: Found, shapes: Shapes, lookup: Lookup) -> ValidationResult:
    """The result of ``found``, named and worded from ``shapes``, labelled from ``lookup``."""
    texts = sorted(_compact(m) for m in found.messages)
    source, source_label = lookup.publication(found.focus)
    path = found.path
    return ValidationResult(
        focus=term_text(found.focus),
        severity=Severity.of(found.severity),
        shape=shapes.term(found.shape),
        component=str(found.component),
        message=texts[0] if texts else default_message(shapes, found.shape, found.component),
        path=shapes.path_text(path) if path is not None else None,
        value=term_text(found.value) if found.value is not None else None,
        focus_label=lookup.label(found.focus),
        value_label=lookup.label(found.value),
        source=source,
        source_label=source_label,
        fix=_fix(shapes, found.shape),
        severity_iri=str(found.severity),
    )


def _fix(shapes: Shapes, shape: Node) -> str | None:
    """The shape's ``sh:description``, else that of the named shape holding a blank one."""
    seen: set[Node] = set()
    node: Node | None = shape
    while node is not None and node not in seen:
        seen.add(node)
        text = shapes.description(node)
        if text is not None or not isinstance(node, BNode):
            return text
        node = next(iter(sorted(shapes.graph.subjects(SH.property, node), key=str)), None)
    return None


_IRI_IN_TEXT: Final = re.compile(r"https://w3id\.org/il32rdf/[^\s,;)\]>]+")


def _compact(message: str) -> str:
    """Write the project IRIs a filled-in message holds (``{?value}``) as CURIEs."""
    return _IRI_IN_TEXT.sub(lambda m: compress_iri(m.group(0)) or m.group(0), message)
