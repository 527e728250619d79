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
from il32rdf.terms import rdflib_term, unescape
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


_QUALIFIERS = (
    RDFS.label,
    IL32.cellType,
    IL32.cellLine,
    IL32.inTaxon,
    IL32.producedMolecule,
    DCTERMS.source,
    IL32.evidence,
    IL32.inPresenceOf,
    IL32.inAbsenceOf,
)
_LABEL, _CELL_TYPE, _CELL_LINE, _TAXON, _MOLECULE, _SOURCE, _EVIDENCE, _PRESENT, _ABSENT = (
    f"<{q}>" for q in _QUALIFIERS
)
_CLAIMS = (
    "SELECT ?claim ?s ?p ?o ?negated WHERE {\n"
    f"  {well_formed_claims(in_facts=False, positive_only=False)}\n  FILTER isIRI(?claim)\n}}"
)
_QUALIFIER_VALUES = (
    "SELECT ?claim ?q ?v WHERE { ?claim a il32:Claim ; ?q ?v "
    f"VALUES ?q {{ {' '.join(f'<{q}>' for q in _QUALIFIERS)} }} FILTER isIRI(?claim) }}"
)


def _lexical(literal: str) -> str:
    """The text of an N-Triples literal (an IRI as it is)."""
    return unescape(literal[1 : literal.rindex('"')]) if literal[0] == '"' else literal[1:-1]


def read_claims(source: Store | Graph) -> list[Claim]:
    """Every well-formed claim of ``source`` (any store, or an rdflib graph; the rule:
    :func:`il32rdf.store.base.well_formed_claims`), sorted by IRI. A claim with a blank-node
    IRI is left out; malformed claims are left to validation to report."""
    store = as_store(source)
    rows, qualifier_rows = store.rows_many([_CLAIMS, _QUALIFIER_VALUES])
    qualifiers: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for claim, key, value in qualifier_rows:
        if claim is not None and key is not None and value is not None:
            qualifiers[claim][key].append(value)
    known: dict[str, URIRef] = {}

    def iri(text: str) -> URIRef:
        found = known.get(text)
        if found is None:
            found = known[text] = URIRef(text)
        return found

    flags: dict[str, bool] = {}  # a flag's N-Triples text: whether it says "negated"
    claims = []
    for node, subject, predicate, obj, flag in rows:
        assert node is not None and subject is not None and predicate is not None
        assert obj is not None and flag is not None
        values = qualifiers.get(node, {})

        def iris(key: str, values: dict[str, list[str]] = values) -> list[URIRef]:
            return [iri(v) for v in sorted({v[1:-1] for v in values.get(key, ()) if v[0] == "<"})]

        def first(key: str, values: dict[str, list[str]] = values) -> URIRef | None:
            found = [v[1:-1] for v in values.get(key, ()) if v[0] == "<"]
            return iri(min(found)) if found else None

        labels = sorted(_lexical(label) for label in values.get(_LABEL, ()))
        target = iri(obj[1:-1]) if obj[0] == "<" else rdflib_term(obj)
        negated = flags.get(flag)
        if negated is None:
            polarity = rdflib_term(flag)
            negated = flags[flag] = isinstance(polarity, Literal) and polarity.value is True
        assert isinstance(target, URIRef | Literal)
        claims.append(
            Claim(
                iri=URIRef(node[1:-1]),
                label=labels[0] if labels else node[1:-1],
                subject=iri(subject[1:-1]),
                predicate=iri(predicate[1:-1]),
                object=target,
                negated=negated,
                cell_type=first(_CELL_TYPE),
                cell_line=first(_CELL_LINE),
                taxon=first(_TAXON),
                produced_molecule=first(_MOLECULE),
                sources=tuple(iris(_SOURCE)),
                evidence=tuple(iris(_EVIDENCE)),
                in_presence_of=tuple(iris(_PRESENT)),
                in_absence_of=tuple(iris(_ABSENT)),
            )
        )
    return sorted(claims, key=lambda c: str(c.iri))
