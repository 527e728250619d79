"""The OWL 2 DL profile check of the ontology and facts."""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.reason.input import _BUILTIN_ANNOTATIONS, _DECLARATIONS, _RESERVED
from il32rdf.reason.model import ProfileFinding, Severity, _name
from il32rdf.vocab import FACTS_GRAPH, IL32, ONTOLOGY_GRAPH

# --- the OWL 2 DL profile check ------------------------------------------------------------


_TOP_BOTTOM: Final = frozenset(
    {
        OWL.Thing,
        OWL.Nothing,
        OWL.topObjectProperty,
        OWL.bottomObjectProperty,
        OWL.topDataProperty,
        OWL.bottomDataProperty,
    }
)
_CLASS_POSITIONS: Final = (
    RDFS.subClassOf,
    OWL.equivalentClass,
    OWL.disjointWith,
    OWL.complementOf,
)


def _reserved(term: URIRef) -> bool:
    return str(term).startswith(_RESERVED)


def _known_reserved(term: URIRef) -> bool:
    text = str(term)
    if text.startswith(str(XSD)):
        return True
    return any(term in ns for ns in (RDF, RDFS, OWL))


def profile_check(dataset: Dataset) -> list[ProfileFinding]:
    """OWL 2 DL profile findings for the ontology and facts, sorted by focus.

    Errors: an IRI used as a class or property that is not declared; a property declared as two
    of object, datatype and annotation property (punning that OWL 2 DL forbids); a class that is
    also a datatype; an unknown term in the rdf/rdfs/owl vocabulary; reserved vocabulary given
    axioms; an object property with a literal value or a datatype property with an IRI value.
    Info: claims reified with ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object`` (no OWL
    reading; the reasoner input translates them). Class IRIs as values of object properties are
    class/individual punning, which OWL 2 DL allows: not a finding.
    """
    graph = Graph()
    for name in (ONTOLOGY_GRAPH, FACTS_GRAPH):
        for triple in dataset.graph(name):
            graph.add(triple)
    claims = set(graph.subjects(RDF.type, IL32.Claim))
    reified = {s for s in claims if any(graph.triples((s, RDF.subject, None)))}
    return profile_findings(graph, len(reified))


def profile_findings(graph: Graph, reified: int) -> list[ProfileFinding]:
    """The findings of :func:`profile_check` for the axioms and assertions in ``graph``, of a
    dataset whose facts hold ``reified`` reified claims."""
    findings: set[ProfileFinding] = set()

    def add(focus: Node, message: str, severity: Severity = Severity.ERROR) -> None:
        findings.add(ProfileFinding(str(focus), severity, message))

    declared: dict[Node, set[Node]] = defaultdict(set)
    for s, kind in graph.subject_objects(RDF.type):
        if kind in _DECLARATIONS:
            declared[s].add(kind)
    classes = {s for s, kinds in declared.items() if kinds & {OWL.Class, RDFS.Class}}
    objects = {s for s, kinds in declared.items() if OWL.ObjectProperty in kinds}
    datas = {s for s, kinds in declared.items() if OWL.DatatypeProperty in kinds}
    annotations = {s for s, kinds in declared.items() if OWL.AnnotationProperty in kinds}
    annotations |= _BUILTIN_ANNOTATIONS
    for s, kinds in declared.items():
        roles = kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
        if len(roles) > 1:
            names = " and ".join(sorted(_name(k, {}) for k in roles))
            add(s, f"declared {names}: OWL 2 DL forbids this punning of properties")
        if kinds & {OWL.Class, RDFS.Class} and RDFS.Datatype in kinds:
            add(s, "declared both a class and a datatype: OWL 2 DL forbids this punning")
    for s, p, o in graph:
        for term in (p, o) if p == RDF.type else (s, p, o):
            if (
                isinstance(term, URIRef)
                and str(term).startswith(_RESERVED)
                and not _known_reserved(term)
            ):
                add(term, "not a term of the rdf, rdfs, owl or xsd vocabulary (a typo?)")
        axiom = p in (*_CLASS_POSITIONS, RDFS.domain, RDFS.range, RDFS.subPropertyOf)
        if (
            isinstance(s, URIRef)
            and str(s).startswith(_RESERVED)
            and s not in _TOP_BOTTOM
            and (axiom or (p == RDF.type and o in _DECLARATIONS))
        ):
            add(
                s,
                f"reserved vocabulary is given an axiom ({_name(p, {})}); OWL 2 DL forbids it",
            )
        if p == RDF.type and isinstance(o, URIRef) and not _reserved(o) and o not in classes:
            add(o, "used as a class (rdf:type) but not declared owl:Class")
        if p in _CLASS_POSITIONS or p == OWL.someValuesFrom or p == OWL.allValuesFrom:
            for c in (s, o) if p in _CLASS_POSITIONS else (o,):
                if (
                    p in (OWL.someValuesFrom, OWL.allValuesFrom)
                    and graph.value(s, OWL.onProperty) in datas
                ):
                    continue
                if isinstance(c, URIRef) and c not in classes and not _reserved(c):
                    add(c, f"used as a class ({_name(p, {})}) but not declared owl:Class")
        if (
            p == OWL.onProperty
            and isinstance(o, URIRef)
            and o not in objects | datas
            and not _reserved(o)
        ):
            add(o, "used in a restriction (owl:onProperty) but not declared a property")
        if isinstance(p, URIRef) and not str(p).startswith(_RESERVED):
            if p not in objects | datas | annotations:
                add(
                    p,
                    "used as a property but not declared an object, datatype or annotation"
                    " property",
                )
            elif p in objects and p not in datas and isinstance(o, Literal):
                add(p, f"object property with a literal value (on {_name(s, {})})")
            elif p in datas and p not in objects and not isinstance(o, Literal):
                add(p, f"datatype property with a non-literal value (on {_name(s, {})})")
    if reified:
        add(
            RDF.subject,
            f"{reified} claims are reified with rdf:subject / rdf:predicate / rdf:object, "
            "which OWL 2 DL gives no meaning; the reasoner input translates positive claims "
            "into OWL axioms and leaves the reification out",
            Severity.INFO,
        )
    return sorted(findings)
