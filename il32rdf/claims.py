"""A typed view of the claims in a graph, for the tools that work claim by claim (diff, diagrams).

>>> import il32rdf
>>> from il32rdf.claims import read_claims
>>> claims = read_claims(il32rdf.load())
>>> sum(1 for c in claims if c.negated)
1
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from il32rdf.vocab import IL32

__all__ = ["Claim", "label_of", "read_claims"]


@dataclass(frozen=True)
class Claim:
    """One claim node: what it says, in which context, on whose authority, and its polarity."""

    iri: URIRef
    label: str
    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal
    negated: bool
    cell_type: URIRef | None = None
    cell_line: URIRef | None = None
    taxon: URIRef | None = None
    produced_molecule: URIRef | None = None
    sources: tuple[URIRef, ...] = ()
    evidence: tuple[URIRef, ...] = ()
    in_presence_of: tuple[URIRef, ...] = ()
    in_absence_of: tuple[URIRef, ...] = ()

    @property
    def context(self) -> tuple[URIRef | tuple[URIRef, ...] | None, ...]:
        """The qualifiers that scope the claim: cell type, cell line, species, molecule, and the
        agents present or deliberately absent."""
        return (
            self.cell_type,
            self.cell_line,
            self.taxon,
            self.produced_molecule,
            self.in_presence_of,
            self.in_absence_of,
        )


def label_of(graph: Graph, term: Node) -> str:
    """The ``rdfs:label`` of ``term`` in ``graph``, or the term itself when it has none."""
    if isinstance(term, Literal):
        return str(term)
    labels = sorted(str(label) for label in graph.objects(term, RDFS.label))
    return labels[0] if labels else str(term)


def _one_iri(graph: Graph, node: URIRef, prop: URIRef) -> URIRef | None:
    values = _iris(graph, node, prop)
    return values[0] if values else None


def _iris(graph: Graph, node: URIRef, prop: URIRef) -> tuple[URIRef, ...]:
    return tuple(sorted(v for v in graph.objects(node, prop) if isinstance(v, URIRef)))


def read_claims(graph: Graph) -> list[Claim]:
    """Every well-formed claim in ``graph`` (one with a subject, predicate, object and a boolean
    negation flag), sorted by IRI. Malformed claims are left to validation to report."""
    claims = []
    for node in set(graph.subjects(RDF.type, IL32.Claim)):
        if not isinstance(node, URIRef):
            continue
        subject = _one_iri(graph, node, RDF.subject)
        predicate = _one_iri(graph, node, RDF.predicate)
        objects = list(graph.objects(node, RDF.object))
        flag = graph.value(node, IL32.negated)
        if subject is None or predicate is None or len(objects) != 1:
            continue
        obj = objects[0]
        if not isinstance(obj, URIRef | Literal) or not isinstance(flag, Literal):
            continue
        if not isinstance(flag.value, bool):
            continue
        claims.append(
            Claim(
                iri=node,
                label=label_of(graph, node),
                subject=subject,
                predicate=predicate,
                object=obj,
                negated=flag.value,
                cell_type=_one_iri(graph, node, IL32.cellType),
                cell_line=_one_iri(graph, node, IL32.cellLine),
                taxon=_one_iri(graph, node, IL32.inTaxon),
                produced_molecule=_one_iri(graph, node, IL32.producedMolecule),
                sources=_iris(graph, node, DCTERMS.source),
                evidence=_iris(graph, node, IL32.evidence),
                in_presence_of=_iris(graph, node, IL32.inPresenceOf),
                in_absence_of=_iris(graph, node, IL32.inAbsenceOf),
            )
        )
    return sorted(claims, key=lambda c: str(c.iri))
