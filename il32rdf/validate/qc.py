"""QC checks in the spirit of ROBOT ``report``, on either engine: missing label (ERROR) and
project definition (WARN), duplicate label (ERROR), label whitespace (WARN), reference to an
obsolete term (ERROR). ROBOT's levels ERROR / WARN / INFO map to sh:Violation / sh:Warning /
sh:Info; each finding is a validation result whose shape is ``.../shapes/qc/<check>``.

The checks read a few facts from the data (:class:`_QcFacts`) by the same SPARQL queries on
either engine (:func:`qc` on an rdflib graph, :func:`store_qc` on a store), then apply the same
rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Final, Protocol

from rdflib import OWL, RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.term import Node

from il32rdf.validate.report import Severity, ValidationResult, term_text
from il32rdf.validate.results import GraphLookup, Lookup
from il32rdf.vocab import IL32, PROTEIN, compress_iri

__all__ = ["QC", "QC_PREDICATES", "SHAPES", "qc", "store_qc"]

SHAPES: Final = Namespace("https://w3id.org/il32rdf/shapes/")
"""The namespace of il32rdf's shapes (and of the QC checks, under ``qc/``)."""

QC: Final = Namespace(str(SHAPES) + "qc/")
_QC_COMPONENT: Final = SHAPES.QcCheckComponent
QC_PREDICATES: Final = frozenset(
    str(p)
    for p in (
        RDF.type,
        RDFS.label,
        OWL.deprecated,
        URIRef("http://purl.obolibrary.org/obo/IAO_0000115"),
    )
)
"""The predicates whose literals the QC checks read (owl:deprecated is a boolean)."""


class _Rows(Protocol):
    """A store's SPARQL: the rows of a SELECT, as rdflib terms."""

    def __call__(self, text: str) -> list[tuple[Node | None, ...]]: ...


_ENTITY_TYPES: Final = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    PROTEIN,
)


@dataclass(frozen=True)
class _QcFacts:
    """What the QC checks read from the data, gathered by rdflib or by a store's SPARQL."""

    entities: dict[URIRef, str]  # declared term -> its kind (class, protein, property)
    labels: dict[URIRef, list[Node]]  # declared term -> its rdfs:label values
    defined: set[URIRef]  # project terms with a definition
    obsolete: set[Node]  # terms marked owl:deprecated true
    labelled: list[tuple[Node, Node]]  # (subject, rdfs:label value), at least the untidy ones
    references: list[tuple[Node, Node, Node]]  # (subject, predicate, obsolete term)


def qc(graph: Graph) -> list[ValidationResult]:
    """ROBOT-style QC of ``graph``: missing label (ERROR) and project definition (WARN),
    duplicate label (ERROR), label whitespace (WARN), reference to an obsolete term (ERROR).

    Returns the findings as validation results whose ``shape`` is ``.../shapes/qc/<check>``.
    """

    def rows(text: str) -> list[tuple[Node | None, ...]]:
        answer = graph.query(text, initNs={"rdfs": RDFS, "owl": OWL})
        return [tuple(row) for row in answer]  # type: ignore[arg-type]

    return _qc(_store_facts(rows), GraphLookup(graph))


def store_qc(rows: _Rows, lookup: Lookup) -> list[ValidationResult]:
    """The QC of a store whose SELECT answers ``rows`` gives (only the untidy labels are
    fetched)."""
    return _qc(_store_facts(rows), lookup)


def _store_facts(rows: _Rows) -> _QcFacts:
    types = " ".join(f"<{t}>" for t in _ENTITY_TYPES)
    typed = rows(
        f"SELECT DISTINCT ?e ?t WHERE {{ VALUES ?t {{ {types} }} ?e a ?t FILTER isIRI(?e) }}"
    )
    kinds: dict[URIRef, set[Node | None]] = defaultdict(set)
    for entity, kind in typed:
        assert isinstance(entity, URIRef)
        kinds[entity].add(kind)
    entities = {e: _kind(k) for e, k in kinds.items()}
    labels: dict[URIRef, list[Node]] = defaultdict(list)
    for entity, label in rows(
        f"SELECT DISTINCT ?e ?l WHERE {{ VALUES ?t {{ {types} }} ?e a ?t ; rdfs:label ?l "
        "FILTER isIRI(?e) }"
    ):
        assert isinstance(entity, URIRef) and label is not None
        labels[entity].append(label)
    defined = rows(
        f"SELECT DISTINCT ?e WHERE {{ ?e <{_IAO_DEFINITION}> [] "
        f'FILTER STRSTARTS(STR(?e), "{IL32._NS}") }}'
    )
    obsolete = rows("SELECT DISTINCT ?e WHERE { ?e owl:deprecated ?d FILTER sameTerm(?d, true) }")
    untidy = rows(
        "SELECT DISTINCT ?s ?l WHERE { ?s rdfs:label ?l "
        r'FILTER REGEX(STR(?l), "^[\\s\\x1c-\\x1f]|[\\s\\x1c-\\x1f]$|  |\\n|\\t") }'
    )
    references = rows(
        "SELECT DISTINCT ?s ?p ?e WHERE { ?e owl:deprecated ?d FILTER sameTerm(?d, true) ?s ?p ?e }"
    )
    return _QcFacts(
        entities=entities,
        labels=labels,
        defined={e for (e,) in defined if isinstance(e, URIRef)},
        obsolete={e for (e,) in obsolete if e is not None},
        labelled=[(s, label) for s, label in untidy if s is not None and label is not None],
        references=[(s, p, e) for s, p, e in references if None not in (s, p, e)],  # type: ignore[misc]
    )


def _qc(facts: _QcFacts, lookup: Lookup) -> list[ValidationResult]:
    found: list[ValidationResult] = []

    def add(check: str, severity: Severity, focus: Node, message: str, **extra: str) -> None:
        found.append(
            ValidationResult(
                focus=term_text(focus),
                severity=severity,
                shape=str(QC[check]),
                component=str(_QC_COMPONENT),
                message=message,
                focus_label=lookup.label(focus),
                **extra,
            )
        )

    by_label: dict[tuple[str, str], list[URIRef]] = defaultdict(list)
    for entity in sorted(facts.entities, key=str):
        labels = facts.labels.get(entity, [])
        if not labels and entity not in facts.obsolete:
            add(
                "missing_label",
                Severity.VIOLATION,
                entity,
                "The term is declared but has no rdfs:label: add its exact label.",
                path=str(RDFS.label),
            )
        if str(entity).startswith(str(IL32._NS)) and entity not in facts.defined:
            add(
                "missing_definition",
                Severity.WARNING,
                entity,
                "The project term has no definition (obo:IAO_0000115): write one.",
                path=str(_IAO_DEFINITION),
            )
        for label in labels:
            by_label[(facts.entities[entity], str(label).strip().casefold())].append(entity)
    for (_, text), owners in sorted(by_label.items()):
        owners = sorted(set(owners), key=str)
        for owner in owners[1:]:
            add(
                "duplicate_label",
                Severity.VIOLATION,
                owner,
                f'Another term has the same label "{text}": {_curie(owners[0])}. Two terms with '
                "one label are usually one term minted twice: merge them, or make the labels say "
                "how they differ.",
                path=str(RDFS.label),
                value=str(owners[0]),
            )
    for subject, label in sorted(set(facts.labelled), key=lambda t: (str(t[0]), str(t[1]))):
        text = str(label)
        if text != text.strip() or "  " in text or "\n" in text or "\t" in text:
            add(
                "label_whitespace",
                Severity.WARNING,
                subject,
                "The label has leading, trailing or doubled whitespace, or a line break: tidy it.",
                path=str(RDFS.label),
                value=label.n3(),
            )
    for subject, predicate, term in sorted(
        set(facts.references), key=lambda t: (str(t[2]), str(t[0]), str(t[1]))
    ):
        if subject in facts.obsolete or isinstance(subject, BNode):
            continue
        add(
            "deprecated_reference",
            Severity.VIOLATION,
            subject,
            f"It refers to the obsolete term {_curie(term)} (owl:deprecated true): use the "
            "term that replaces it (see its IAO:0100001 'term replaced by', if any).",
            path=str(predicate),
            value=str(term),
        )
    return found


_IAO_DEFINITION: Final = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")


def _kind(types: Collection[Node | None]) -> str:
    """The kind of a term of these ``rdf:type`` values. Labels are compared within one kind: a
    class and a property may share a label."""
    if OWL.Class in types:
        return "class"
    if PROTEIN in types:
        return "protein"
    return "property"


def _curie(node: Node) -> str:
    return compress_iri(str(node)) or f"<{node}>"
