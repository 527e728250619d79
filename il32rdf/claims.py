"""A typed view of the claims in a store, for the tools that work claim by claim (diff, diagrams,
KGX, pages).

>>> import il32rdf
>>> from il32rdf.claims import read_claims
>>> claims = read_claims(il32rdf.load())
>>> sum(1 for c in claims if c.negated)
1
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from il32rdf.store import Store, as_store
from il32rdf.store.base import well_formed_claims
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

    @property
    def context(self) -> tuple[URIRef | None, ...]:
        """The qualifiers that scope the claim: cell type, cell line, species, molecule."""
        return (self.cell_type, self.cell_line, self.taxon, self.produced_molecule)


def label_of(graph: Graph, term: Node) -> str:
    """The ``rdfs:label`` of ``term`` in ``graph``, or the term itself when it has none."""
    if isinstance(term, Literal):
        return str(term)
    labels = sorted(str(label) for label in graph.objects(term, RDFS.label))
    return labels[0] if labels else str(term)


_QUALIFIERS = (
    RDFS.label,
    IL32.cellType,
    IL32.cellLine,
    IL32.inTaxon,
    IL32.producedMolecule,
    DCTERMS.source,
    IL32.evidence,
)
_CLAIMS = (
    "SELECT ?claim ?s ?p ?o ?negated WHERE {\n"
    f"  {well_formed_claims(in_facts=False, positive_only=False)}\n  FILTER isIRI(?claim)\n}}"
)
_QUALIFIER_VALUES = (
    "SELECT ?claim ?q ?v WHERE { ?claim a il32:Claim ; ?q ?v "
    f"VALUES ?q {{ {' '.join(f'<{q}>' for q in _QUALIFIERS)} }} FILTER isIRI(?claim) }}"
)


def read_claims(source: Store | Graph) -> list[Claim]:
    """Every well-formed claim of ``source`` (any store, or an rdflib graph; the rule:
    :func:`il32rdf.store.base.well_formed_claims`), sorted by IRI. A claim with a blank-node
    IRI is left out; malformed claims are left to validation to report."""
    store = as_store(source)
    qualifiers: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for claim, key, value in store.query(_QUALIFIER_VALUES).rows:
        if claim is not None and key is not None and value is not None:
            qualifiers[claim][key].append(value)
    claims = []
    for node, subject, predicate, obj, flag in store.query(_CLAIMS).rows:
        assert isinstance(node, URIRef) and isinstance(subject, URIRef)
        assert isinstance(predicate, URIRef) and isinstance(obj, URIRef | Literal)
        values = qualifiers.get(node, {})

        def iris(key: URIRef, values: dict[Node, list[Node]] = values) -> list[URIRef]:
            return sorted({v for v in values.get(key, ()) if isinstance(v, URIRef)})

        def first(key: URIRef) -> URIRef | None:
            found = iris(key)
            return found[0] if found else None

        labels = sorted(str(label) for label in values.get(RDFS.label, ()))
        claims.append(
            Claim(
                iri=node,
                label=labels[0] if labels else str(node),
                subject=subject,
                predicate=predicate,
                object=obj,
                negated=isinstance(flag, Literal) and flag.value is True,
                cell_type=first(IL32.cellType),
                cell_line=first(IL32.cellLine),
                taxon=first(IL32.inTaxon),
                produced_molecule=first(IL32.producedMolecule),
                sources=tuple(iris(DCTERMS.source)),
                evidence=tuple(iris(IL32.evidence)),
            )
        )
    return sorted(claims, key=lambda c: str(c.iri))
