"""The relation check: every relation used as RO defines it, decided by the reasoner.

RO gives many relations a domain and a range: *regulates* (RO:0002211) and its children hold
between two processes, *capable of* (RO:0002215) goes from an independent continuant to a
process, *acts upstream of* (RO:0002263) from a material entity to a process. A claim
``protein positively-regulates process`` therefore says, to any reasoner that reads RO, that the
protein *is a process*. SHACL cannot see this (the shapes check the object's kind, and RO's
axioms are not in the graph); the reasoner can.

The check merges the ontology with RO's domain and range axioms for the relations it declares
(``ontology/qc/ro-domain-range.ttl``, vendored from a named RO release by
``tools/vendor_ro_axioms.py``), reads the class-level claims as the class axioms they state
(``monocyte capable of X`` as ``monocyte SubClassOf capable of some X``), and adds one *probe*
individual for each way the facts use a relation with a UniProt protein (as the subject, or as
the object). The reasoner's entailed types then decide: no protein may become a process (or any
occurrent) or a cell, and no cell type a process. The probes keep the reasoner input the size of
the ontology, whatever the number of claims; each finding names one claim and counts the rest.

Findings are values (:class:`~il32rdf.checks.Finding`), like the structural checks'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef

from il32rdf import resources
from il32rdf.checks import Finding
from il32rdf.query import Source, query
from il32rdf.reason import DEFAULT_JAVA_MEMORY_MB, DEFAULT_TIMEOUT, reason
from il32rdf.store import as_store
from il32rdf.store.parse import parse_file
from il32rdf.vocab import FACTS_GRAPH, OBO, ONTOLOGY_GRAPH, PROTEIN, compress_iri

__all__ = ["RelationCheck", "check_relations", "relation_axioms"]

_PROBE: Final = Namespace("urn:il32rdf:relation-probe/")
_WRONG_KINDS: Final = (
    (OBO.BFO_0000015, "process"),
    (OBO.BFO_0000003, "occurrent"),
    (OBO.CL_0000000, "cell"),
)
"""What a protein must never be entailed to be, most specific first."""
_OCCURRENTS: Final = (OBO.BFO_0000015, OBO.BFO_0000003)
_FIX: Final = (
    "from a gene product to a process use acts upstream of (RO:0002263), with positive effect"
    " (RO:0004034) or negative effect (RO:0004035); its function is enables (RO:0002327)"
)

# Type tests are FILTER EXISTS, evaluated per claim: as triple patterns, rdflib would join every
# typed node with every claim before the claim's own patterns.
_PREFIXES: Final = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX up: <http://purl.uniprot.org/core/>
PREFIX il32: <https://w3id.org/il32rdf/ontology/>
"""
_PROTEIN_USES: Final = (
    _PREFIXES
    + """SELECT ?predicate ?role (COUNT(DISTINCT ?claim) AS ?claims) (MIN(STR(?claim)) AS ?example)
WHERE {
  ?claim a il32:Claim ; rdf:predicate ?predicate .
  { ?claim rdf:subject ?protein . BIND ("subject" AS ?role) }
  UNION
  { ?claim rdf:object ?protein . BIND ("object" AS ?role) }
  FILTER EXISTS { ?protein a up:Protein }
}
GROUP BY ?predicate ?role
ORDER BY ?predicate ?role"""
)
_CLASS_CLAIMS: Final = (
    _PREFIXES
    + """SELECT DISTINCT ?claim ?subject ?predicate ?object WHERE {
  ?claim a il32:Claim ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
  FILTER EXISTS { ?subject a owl:Class }
  FILTER EXISTS { ?object a owl:Class }
  FILTER EXISTS { ?predicate a owl:ObjectProperty }
}
ORDER BY ?claim"""
)


@dataclass(frozen=True)
class RelationCheck:
    """What the relation check found.

    ``unchecked`` lists the RO/BFO relations in use that the vendored axioms do not cover (re-run
    ``tools/vendor_ro_axioms.py``). ``complete`` is false when no OWL 2 DL reasoner ran: the OWL
    2 RL tier checks the proteins but not the class axioms (``skipped_reason`` says why).
    """

    findings: tuple[Finding, ...]
    unchecked: tuple[str, ...]
    reasoner: str
    complete: bool
    skipped_reason: str | None

    @property
    def ok(self) -> bool:
        """No relation is used against its domain or range."""
        return not self.findings


def relation_axioms() -> Graph:
    """RO's domain and range axioms for the ontology's relations (the vendored file)."""
    return parse_file(resources.relation_axioms_file())


def check_relations(
    source: Source,
    *,
    reasoner: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    java_memory_mb: int = DEFAULT_JAVA_MEMORY_MB,
) -> RelationCheck:
    """Check that every relation the claims and class axioms use respects RO's domain and range.

    ``source`` is a loaded graph (either engine): it is read with three SPARQL queries, so the
    reasoner sees the ontology, RO's axioms and a few probes, never the whole graph.

    :raises ReasonerError: as :func:`il32rdf.reason`, for a reasoner that was asked for and fails.
    :raises UsageError: an unknown reasoner name.
    """
    axioms = relation_axioms()
    ontology = _ontology_of(source)
    uses = [
        (URIRef(str(predicate)), str(role), int(str(count)), URIRef(str(example)))
        for predicate, role, count, example in query(source, _PROTEIN_USES).rows
    ]
    class_claims = [
        (URIRef(str(c)), URIRef(str(s)), URIRef(str(p)), URIRef(str(o)))
        for c, s, p, o in query(source, _CLASS_CLAIMS).rows
    ]
    probes = {
        (predicate, role): _PROBE[f"{role}{i}"] for i, (predicate, role, _, _) in enumerate(uses)
    }
    merged = _reasoner_input(ontology, axioms, class_claims, probes)
    tbox = merged.graph(ONTOLOGY_GRAPH)
    result = reason(
        merged,
        reasoner=reasoner,
        timeout=timeout,
        java_memory_mb=java_memory_mb,
        explain=False,
        relation_edges=False,
    )
    named = {t for use in uses for t in (use[0], use[3])} | {t for c in class_claims for t in c}
    labels = {**_labels(tbox), **_labels_in(source, named)}
    findings: list[Finding] = []
    if not result.consistent:
        findings.append(
            Finding(
                "the ontology",
                "merged with RO's domain and range axioms, the ontology and the class-level"
                " claims are inconsistent: run il32rdf reason on them with"
                f" {resources.relation_axioms_file().name} for an explanation",
            )
        )
    for predicate, role, count, example in uses:
        kind = _wrong_kind(result.types.get(str(probes[predicate, role]), frozenset()))
        if kind is not None:
            findings.append(_protein_finding(axioms, labels, predicate, role, count, example, kind))
    findings.extend(_cell_findings(result.ancestors, axioms, ontology, labels, class_claims))
    used = {p for p, _, _, _ in uses} | {p for _, _, p, _ in class_claims}
    used |= {p for p in tbox.objects(None, OWL.onProperty) if isinstance(p, URIRef)}
    covered = set(axioms.subjects(RDF.type, OWL.ObjectProperty))
    unchecked = sorted(
        _name(p, labels)
        for p in used
        if str(p).startswith((str(OBO) + "RO_", str(OBO) + "BFO_")) and p not in covered
    )
    return RelationCheck(
        findings=tuple(sorted(set(findings))),
        unchecked=tuple(unchecked),
        reasoner=result.reasoner,
        complete=result.dl_checked,
        skipped_reason=result.skipped_reason,
    )


def _reasoner_input(
    ontology: Graph,
    axioms: Graph,
    class_claims: list[tuple[URIRef, URIRef, URIRef, URIRef]],
    probes: Mapping[tuple[URIRef, str], URIRef],
) -> Dataset:
    """The ontology with RO's axioms, each class-level claim as the axiom ``S SubClassOf P some
    O``, and each probe: a protein that is the subject (or the object) of one relation."""
    merged = Dataset()
    tbox = merged.graph(ONTOLOGY_GRAPH)
    for graph in (ontology, axioms):
        for triple in graph:
            tbox.add(triple)
    for _, subject, predicate, obj in class_claims:
        restriction = BNode()
        tbox.add((restriction, RDF.type, OWL.Restriction))
        tbox.add((restriction, OWL.onProperty, predicate))
        tbox.add((restriction, OWL.someValuesFrom, obj))
        tbox.add((subject, RDFS.subClassOf, restriction))
    abox = merged.graph(FACTS_GRAPH)
    for (predicate, role), probe in probes.items():
        other = URIRef(f"{probe}-other")
        subject, obj = (probe, other) if role == "subject" else (other, probe)
        abox.add((probe, RDF.type, PROTEIN))
        abox.add((probe, RDF.type, OWL.NamedIndividual))
        abox.add((other, RDF.type, OWL.NamedIndividual))
        abox.add((subject, predicate, obj))
    return merged


def _ontology_of(source: Source) -> Graph:
    """The ontology graph, as an rdflib Graph, whichever engine holds it."""
    return as_store(source).graph("ontology")


def _wrong_kind(types: Iterable[str]) -> tuple[URIRef, str] | None:
    present = set(types)
    for cls, name in _WRONG_KINDS:
        if str(cls) in present:
            return cls, name
    return None


def _protein_finding(
    axioms: Graph,
    labels: Mapping[URIRef, str],
    predicate: URIRef,
    role: str,
    count: int,
    example: URIRef,
    kind: tuple[URIRef, str],
) -> Finding:
    side = RDFS.domain if role == "subject" else RDFS.range
    reasons = [
        f"{_name(prop, labels)} has {'domain' if side == RDFS.domain else 'range'}"
        f" {_name(value, labels)}"
        for prop in axioms.transitive_objects(predicate, RDFS.subPropertyOf)
        for value in axioms.objects(prop, side)
        if isinstance(prop, URIRef)
        and isinstance(value, URIRef)
        and kind[0] in set(axioms.transitive_objects(value, RDFS.subClassOf))
    ]
    others = f" (and {count - 1} more claim(s) like it)" if count > 1 else ""
    return Finding(
        _name(example, labels),
        f"uses {_name(predicate, labels)} with a UniProt protein as its {role}{others}; in RO"
        f" {'; '.join(sorted(reasons)) or 'its axioms'}, so a reasoner that reads RO makes the"
        f" protein a {kind[1]}: {_FIX}",
    )


def _cell_findings(
    ancestors: Mapping[str, frozenset[str]],
    axioms: Graph,
    ontology: Graph,
    labels: Mapping[URIRef, str],
    class_claims: list[tuple[URIRef, URIRef, URIRef, URIRef]],
) -> list[Finding]:
    findings = []
    for cls, supers in sorted(ancestors.items()):
        if str(OBO.CL_0000000) not in supers or not any(str(o) in supers for o in _OCCURRENTS):
            continue
        iri = URIRef(cls)
        culprits = [
            f"{_name(claim, labels)} uses {_name(p, labels)}"
            for claim, subject, p, _ in class_claims
            if subject == iri and _domain_is_occurrent(axioms, p)
        ]
        culprits += [
            f"the axiom {_name(iri, labels)} SubClassOf {_name(p, labels)} some ..."
            for restriction in ontology.objects(iri, RDFS.subClassOf)
            if isinstance(restriction, BNode)
            for p in ontology.objects(restriction, OWL.onProperty)
            if isinstance(p, URIRef) and _domain_is_occurrent(axioms, p)
        ]
        why = "; ".join(sorted(set(culprits))) or "a superclass"
        findings.append(
            Finding(
                _name(iri, labels),
                f"is a cell type, but RO's domains make it a process ({why}): a cell type is"
                " capable of (RO:0002215) a process; relations such as regulates (RO:0002211)"
                " hold between processes",
            )
        )
    return findings


def _domain_is_occurrent(axioms: Graph, prop: URIRef) -> bool:
    """Whether RO gives ``prop``, or one of its super-properties, an occurrent as domain."""
    return any(
        occurrent in set(axioms.transitive_objects(domain, RDFS.subClassOf))
        for sup in axioms.transitive_objects(prop, RDFS.subPropertyOf)
        for domain in axioms.objects(sup, RDFS.domain)
        for occurrent in _OCCURRENTS
    )


def _labels(graph: Graph) -> dict[URIRef, str]:
    pairs = sorted(
        (s, str(o))
        for s, o in graph.subject_objects(RDFS.label)
        if isinstance(s, URIRef) and isinstance(o, Literal)
    )
    return {s: label for s, label in reversed(pairs)}


def _labels_in(source: Source, terms: Iterable[URIRef]) -> dict[URIRef, str]:
    """The labels of ``terms`` wherever the source has them (a claim's label is in the facts)."""
    values = " ".join(f"<{t}>" for t in sorted(terms))
    if not values:
        return {}
    rows = query(
        source,
        "SELECT ?term ?label WHERE { VALUES ?term { " + values + " }"
        " ?term <http://www.w3.org/2000/01/rdf-schema#label> ?label }",
    ).rows
    graph = Graph()
    for term, label in rows:
        if term is not None and label is not None:
            graph.add((term, RDFS.label, label))
    return _labels(graph)


def _name(term: URIRef, labels: Mapping[URIRef, str]) -> str:
    short = compress_iri(str(term)) or f"<{term}>"
    label = labels.get(term)
    return f"{short} ({label})" if label else short
