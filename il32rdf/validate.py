"""Validate the graph against the SHACL shapes, and report the problems so a curator can act.

The only module that imports pySHACL. :func:`validate` returns a :class:`ValidationReport`;
a graph that breaks the shapes is a *value* (``report.conforms is False``), never an exception.

How the data is handed to pySHACL:

- the named graphs (ontology, facts, inferred) are merged into one graph, because pySHACL
  validates the graphs of a dataset one by one and would not see the class hierarchy of the
  ontology graph, nor the plain edges of the inferred graph, from the facts graph;
- the ``rdfs:subClassOf`` closure is computed here, in Python, and added to that graph, so that
  "a claim about a monocyte is about a leukocyte" needs no inference (``inference="none"``);
- shapes use SHACL Core, SHACL-SPARQL constraints and SPARQL targets (``advanced=True``).

Besides the shapes, a few QC checks in the spirit of ROBOT ``report`` run on the same graph
(missing label, duplicate label, label whitespace, reference to an obsolete term), with ROBOT's
levels ERROR / WARN / INFO mapped to sh:Violation / sh:Warning / sh:Info.

>>> import il32rdf
>>> report = validate(il32rdf.load())
>>> report.conforms
True
"""

from __future__ import annotations

import enum
import functools
import importlib.resources
import json
import re
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final, Protocol
from xml.sax.saxutils import escape, quoteattr

import pyshacl
from pyshacl.errors import ReportableRuntimeError, ShapeLoadError, ValidationFailure
from rdflib import OWL, RDF, RDFS, SH, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node
from rdflib.util import from_n3

from il32rdf import resources
from il32rdf.dataset import parse_file
from il32rdf.errors import InputError, ShapesError
from il32rdf.export import RdfFormat, serialize
from il32rdf.shacl_sparql import Check, UnsupportedShape, compile_shapes
from il32rdf.store import Store, as_store
from il32rdf.vocab import IL32, PREFIXES, PROTEIN, compress_iri

__all__ = [
    "SHAPES",
    "ReportFormat",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "check_shapes",
    "data_graph",
    "load_shapes",
    "qc",
    "render",
    "validate",
]

SHAPES: Final = Namespace("https://w3id.org/il32rdf/shapes/")
"""The namespace of il32rdf's shapes (and of the QC checks, under ``qc/``)."""

QC: Final = Namespace(str(SHAPES) + "qc/")
_QC_COMPONENT: Final = SHAPES.QcCheckComponent


class Severity(enum.Enum):
    """How bad a result is. ``level`` is ROBOT's name for it."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def iri(self) -> URIRef:
        """``sh:Violation``, ``sh:Warning`` or ``sh:Info``."""
        return SH[self.value]

    @property
    def level(self) -> str:
        """``ERROR``, ``WARN`` or ``INFO``."""
        return {"Violation": "ERROR", "Warning": "WARN", "Info": "INFO"}[self.value]

    @property
    def rank(self) -> int:
        """0 for the worst (Violation), for sorting."""
        return {"Violation": 0, "Warning": 1, "Info": 2}[self.value]


class ReportFormat(enum.Enum):
    """The report formats; ``value`` is the name used on the command line."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"
    JUNIT = "junit"
    MARKDOWN = "markdown"


@dataclass(frozen=True)
class ValidationResult:
    """One problem: which node, which field, what is wrong, which rule said so.

    IRIs are full strings; ``value`` is an IRI, or a literal in Turtle form (``"yes"``).
    ``focus_label`` / ``value_label`` are the ``rdfs:label`` of those nodes when the graph has one;
    ``source`` / ``source_label`` are the publication a claim cites, when the focus is a claim.
    """

    focus: str
    severity: Severity
    shape: str
    component: str
    message: str
    path: str | None = None
    value: str | None = None
    focus_label: str | None = None
    value_label: str | None = None
    source: str | None = None
    source_label: str | None = None
    fix: str | None = None

    @property
    def hint(self) -> str:
        """How to fix it: the shape's own ``sh:description``, else a hint for its component."""
        return self.fix or _hint(self)

    def sort_key(self) -> tuple[str, int, str, str, str, str]:
        """Group by focus node, worst first, then by rule."""
        return (
            self.focus,
            self.severity.rank,
            self.path or "",
            self.shape,
            self.component,
            self.value or "",
        )


@dataclass(frozen=True)
class ValidationReport:
    """Every result of one validation, sorted by focus node.

    ``conforms`` is true when there is no sh:Violation: warnings and infos are advice.
    """

    results: tuple[ValidationResult, ...]

    @property
    def conforms(self) -> bool:
        """No sh:Violation among the results."""
        return not self.violations

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results that block a release."""
        return self.by_severity(Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """The sh:Warning results."""
        return self.by_severity(Severity.WARNING)

    @property
    def infos(self) -> tuple[ValidationResult, ...]:
        """The sh:Info results."""
        return self.by_severity(Severity.INFO)

    def by_severity(self, severity: Severity) -> tuple[ValidationResult, ...]:
        """The results of one severity."""
        return tuple(r for r in self.results if r.severity is severity)

    def passes(self, *, strict: bool = False) -> bool:
        """True when there is no violation (and, if ``strict``, no warning either)."""
        return self.conforms and not (strict and self.warnings)


# ---------------------------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------------------------


def load_shapes(paths: Iterable[Path | str] | None = None) -> Graph:
    """Parse the shapes files (default: the bundled ``shapes/*.ttl``) into one graph.

    :raises ShapesError: a file is missing or malformed; the message names the file and line.
    """
    files = list(resources.shape_files() if paths is None else paths)
    graph = Graph()
    if not files:
        raise ShapesError("no shapes files given")
    for path in files:
        try:
            parse_file(path, graph)
        except InputError as exc:
            raise ShapesError(f"shapes file {exc}") from None
    return graph


@functools.cache
def _shacl_shacl() -> Graph:
    asset = importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"
    return Graph().parse(data=asset.read_text(encoding="utf-8"), format="turtle")


def check_shapes(shapes: Graph) -> None:
    """Check ``shapes`` against SHACL-for-SHACL (the W3C shapes graph for shapes graphs).

    :raises ShapesError: a shape is not valid SHACL; the message names the shape and the fault.
    """
    try:
        conforms, report, _ = pyshacl.validate(
            shapes, shacl_graph=_shacl_shacl(), inference="none", advanced=False
        )
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise ShapesError(f"the shapes cannot be checked: {exc}") from None
    if conforms:
        _check_queries(shapes)
        return
    faults: list[str] = []
    for result in report.objects(None, SH.result):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        owner = _shape_name(shapes, focus) if focus is not None else "?"
        what = f" {_short(path)}" if isinstance(path, URIRef) else ""
        faults.append(f"shape {owner}:{what} {_short(value)} is not valid SHACL")
    faults.sort()
    more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
    raise ShapesError(f"{faults[0]}{more}")


def _check_queries(shapes: Graph) -> None:
    """Parse every SPARQL query of the shapes (targets and constraints) before running them.

    :raises ShapesError: a query is malformed; the message names the shape that holds it.
    """
    namespaces = {
        str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
        for d in shapes.objects(None, SH.declare)
    }
    for key in (SH.select, SH.ask, SH.construct):
        for owner, text in sorted(shapes.subject_objects(key), key=lambda t: str(t[1])):
            try:
                prepareQuery(str(text), initNs=namespaces)
            except Exception as exc:  # pyparsing and rdflib raise several kinds
                raise ShapesError(
                    f"shape {_shape_name(shapes, owner)}: malformed SPARQL query: "
                    f"{_one_line(str(exc))}"
                ) from None


def _shape_name(shapes: Graph, node: Node) -> str:
    """The IRI of ``node``, or of the named shape a blank node is part of, in short form."""
    seen: set[Node] = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        parent = next(iter(sorted(shapes.subjects(None, node), key=str)), None)
        if parent is None:
            return "a blank-node shape"
        node = parent
    return _short(node)


@functools.cache
def _bundled_shapes(stamp: tuple[tuple[str, int], ...]) -> Graph:
    # The bundled shapes are checked against SHACL-for-SHACL by the test suite
    # (tests/test_shapes.py), not on every run: that check costs more than validating the
    # bundled graph. Shapes given by the caller are always checked.
    return load_shapes(Path(name) for name, _ in stamp)


def _shapes_graph(shapes: Graph | Iterable[Path | str] | None) -> Graph:
    if shapes is None:
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in resources.shape_files())
        return _bundled_shapes(stamp)
    graph = shapes if isinstance(shapes, Graph) else load_shapes(shapes)
    check_shapes(graph)
    return graph


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------


def data_graph(data: Dataset | Graph) -> Graph:
    """The graph pySHACL sees: every triple of ``data`` plus the ``rdfs:subClassOf`` closure.

    A :class:`~rdflib.Dataset` is merged (all named graphs and the default graph) into one
    graph; ``data`` itself is not changed.
    """
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True, replace=True)
    if isinstance(data, Dataset):
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    for triple in _subclass_closure(union):
        union.add(triple)
    return union


def _subclass_closure(graph: Graph) -> Iterable[tuple[URIRef, URIRef, URIRef]]:
    """The transitive ``rdfs:subClassOf`` edges between named classes that ``graph`` lacks."""
    return _closure(graph.subject_objects(RDFS.subClassOf))


def _closure(edges: Iterable[tuple[Node, Node]]) -> Iterable[tuple[URIRef, URIRef, URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in edges:
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)
    for cls, direct in list(parents.items()):
        seen: set[URIRef] = set()
        todo = list(direct)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(parents.get(node, ()))
        for ancestor in seen - direct:
            yield cls, RDFS.subClassOf, ancestor


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def validate(
    data: Dataset | Graph | Store,
    *,
    shapes: Graph | Iterable[Path | str] | None = None,
    run_qc: bool = True,
) -> ValidationReport:
    """Validate ``data`` (a loaded dataset, or any graph) against the shapes and the QC checks.

    :param shapes: a shapes graph, shapes files, or ``None`` for the bundled ``shapes/``.
    :param run_qc: also run the ROBOT-style QC checks (:func:`qc`).
    :raises ShapesError: a shapes file is malformed or a shape is not valid SHACL.
    """
    shapes_graph = _shapes_graph(shapes)
    store = as_store(data)
    if not store.holds_rdflib:
        try:
            checks = _compiled(shapes_graph)
        except UnsupportedShape:
            pass  # pySHACL needs rdflib: a copy, slower, the same report
        else:
            return _validate_in_store(store, shapes_graph, checks, run_qc=run_qc)
    graph = data_graph(store.to_dataset())
    try:
        _, report, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
        )
    except (ShapeLoadError, ReportableRuntimeError, ValidationFailure) as exc:
        raise ShapesError(f"the shapes cannot be used: {_one_line(str(exc))}") from None
    except Exception as exc:  # e.g. a SPARQL query that parses but fails when it runs
        raise ShapesError(
            f"the shapes failed while validating: {type(exc).__name__}: {_one_line(str(exc))}"
        ) from None
    lookup = _GraphLookup(graph)
    results = [
        _result(
            lookup,
            shapes_graph,
            focus=report.value(node, SH.focusNode),
            severity=report.value(node, SH.resultSeverity),
            shape=report.value(node, SH.sourceShape),
            component=report.value(node, SH.sourceConstraintComponent),
            messages=[str(m) for m in report.objects(node, SH.resultMessage)],
            path=report.value(node, SH.resultPath),
            value=report.value(node, SH.value),
        )
        for node in report.objects(None, SH.result)
    ]
    if run_qc:
        reported = {(r.focus, r.path) for r in results}
        results.extend(r for r in qc(graph) if (r.focus, r.path) not in reported)
    return ValidationReport(tuple(sorted(set(results), key=ValidationResult.sort_key)))


def _validate_in_store(
    store: Store, shapes: Graph, checks: list[Check], *, run_qc: bool
) -> ValidationReport:
    """Run the compiled shapes on the store: the report pySHACL gives on the same data.

    The ``rdfs:subClassOf`` closure that :func:`data_graph` adds is written into a scratch
    named graph of the store for the time of the validation, then dropped.
    """
    edges = store.query(_SUBCLASS_EDGES).rows
    closure = list(_closure((s, o) for s, o in edges if s is not None and o is not None))
    store.update(f"DROP SILENT GRAPH <{_SCRATCH}>")
    try:
        for start in range(0, len(closure), 10_000):
            body = " ".join(
                f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in closure[start : start + 10_000]
            )
            store.update(f"INSERT DATA {{ GRAPH <{_SCRATCH}> {{ {body} }} }}")
        lookup = _StoreLookup(store)
        results: list[ValidationResult] = []
        for check in checks:
            answer = store.query(check.query)
            for row in answer.rows:
                bound = dict(zip(answer.columns, row, strict=True))
                value = bound.get("value") if "value" in check.variables else None
                if check.templated and value is None:
                    value = bound["this"]  # a SPARQL constraint of a node shape, as in pySHACL
                messages = [str(m) for m in check.messages]
                if check.templated:
                    messages = [_fill(m, bound) for m in messages]
                results.append(
                    _result(
                        lookup,
                        shapes,
                        focus=bound["this"],
                        severity=check.severity,
                        shape=check.shape,
                        component=check.component,
                        messages=messages,
                        path=check.path,
                        value=value,
                    )
                )
        if run_qc:
            reported = {(r.focus, r.path) for r in results}
            found = _qc(_store_facts(store), lookup)
            results.extend(r for r in found if (r.focus, r.path) not in reported)
    finally:
        store.update(f"DROP SILENT GRAPH <{_SCRATCH}>")
    return ValidationReport(tuple(sorted(set(results), key=ValidationResult.sort_key)))


_SCRATCH: Final = "urn:il32rdf:validation:subclass-closure"
_SUBCLASS_EDGES: Final = (
    "SELECT DISTINCT ?sub ?sup WHERE { ?sub rdfs:subClassOf ?sup "
    "FILTER (isIRI(?sub) && isIRI(?sup)) }"
)


@functools.cache
def _compiled(shapes: Graph) -> list[Check]:
    """The shapes compiled to SPARQL, once per shapes graph (the bundled one is cached too)."""
    return compile_shapes(shapes)


def _fill(message: str, bound: dict[str, Node | None]) -> str:
    """Fill ``{?var}`` / ``{$var}`` in a SPARQL constraint's message, as pySHACL does."""
    for name, term in bound.items():
        if term is not None:
            message = re.sub(
                "{[?$]" + re.escape(name) + "}", str(term).replace("\\", "\\\\"), message
            )
    return message


class _Lookup(Protocol):
    """What a report needs from the data besides the results: labels and cited sources."""

    def label(self, node: Node | None) -> str | None: ...

    def publication(self, focus: Node | None) -> tuple[str | None, str | None]: ...


class _GraphLookup:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def label(self, node: Node | None) -> str | None:
        return _label(self.graph, node)

    def publication(self, focus: Node | None) -> tuple[str | None, str | None]:
        return _publication(self.graph, focus)


class _StoreLookup:
    def __init__(self, store: Store) -> None:
        self.store = store

    def label(self, node: Node | None) -> str | None:
        if node is None or isinstance(node, Literal):
            return None
        return _best_label(self.store.objects(node, RDFS.label))

    def publication(self, focus: Node | None) -> tuple[str | None, str | None]:
        if focus is None or IL32.Claim not in self.store.objects(focus, RDF.type):
            return None, None
        sources = self.store.objects(focus, DCTERMS.source)
        if not sources:
            return None, None
        return str(sources[0]), self.label(sources[0])


def _result(
    lookup: _Lookup,
    shapes: Graph,
    *,
    focus: Node | None,
    severity: Node | None,
    shape: Node | None,
    component: Node | None,
    messages: list[str],
    path: Node | None,
    value: Node | None,
) -> ValidationResult:
    texts = sorted(_compact(m) for m in messages)
    source, source_label = lookup.publication(focus)
    named = _named_shape(shapes, shape)
    fix = shapes.value(URIRef(named), SH.description) if shape is not None else None
    return ValidationResult(
        focus=_term(focus),
        severity=Severity(str(severity).rpartition("#")[2]),
        shape=named,
        component=str(component),
        message=texts[0] if texts else f"breaks {_short(component)}",
        path=_path(shapes, path),
        value=_term(value) if value is not None else None,
        focus_label=lookup.label(focus),
        value_label=lookup.label(value),
        source=source,
        source_label=source_label,
        fix=str(fix) if fix is not None else None,
    )


_IRI_IN_TEXT: Final = re.compile(r"https://w3id\.org/il32rdf/[^\s,;)\]>]+")


def _compact(message: str) -> str:
    """Write the project IRIs pySHACL put into a message (``{?value}``) as CURIEs."""
    return _IRI_IN_TEXT.sub(lambda m: compress_iri(m.group(0)) or m.group(0), message)


def _named_shape(shapes: Graph, shape: Node | None) -> str:
    """The IRI of ``shape``, or of the named shape that holds a blank-node property shape."""
    seen: set[Node] = set()
    while isinstance(shape, BNode) and shape not in seen:
        seen.add(shape)
        shape = next(iter(sorted(shapes.subjects(SH.property, shape), key=str)), shape)
    return str(shape)


def _term(node: Node | None) -> str:
    if isinstance(node, Literal):
        if node.datatype == XSD.string:  # RDF 1.1: "x"^^xsd:string is the simple literal "x"
            return Literal(str(node)).n3()
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path(shapes: Graph, path: Node | None) -> str | None:
    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    inner = shapes.value(path, SH.zeroOrMorePath)
    if inner is not None:
        return f"{inner}*"
    inner = shapes.value(path, SH.oneOrMorePath)
    if inner is not None:
        return f"{inner}+"
    return "a complex path"


def _label(graph: Graph, node: Node | None) -> str | None:
    if node is None or isinstance(node, Literal):
        return None
    return _best_label(graph.objects(node, RDFS.label))


def _best_label(labels: Iterable[Node | None]) -> str | None:
    """The English or untagged label first, then by text."""
    ordered = sorted(
        (label for label in labels if label is not None),
        key=lambda lit: (getattr(lit, "language", None) not in (None, "en"), str(lit)),
    )
    return str(ordered[0]) if ordered else None


def _publication(graph: Graph, focus: Node | None) -> tuple[str | None, str | None]:
    if focus is None or (focus, RDF.type, IL32.Claim) not in graph:
        return None, None
    sources = sorted(graph.objects(focus, DCTERMS.source), key=str)
    if not sources:
        return None, None
    return str(sources[0]), _label(graph, sources[0])


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------------
# QC checks in the spirit of ROBOT report
# ---------------------------------------------------------------------------------------------

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
    entities = {
        e: _kind(set(graph.objects(e, RDF.type)))
        for t in _ENTITY_TYPES
        for e in graph.subjects(RDF.type, t)
        if isinstance(e, URIRef)
    }
    obsolete = set(graph.subjects(OWL.deprecated, Literal(True)))
    facts = _QcFacts(
        entities=entities,
        labels={e: list(graph.objects(e, RDFS.label)) for e in entities},
        defined={e for e in entities if (e, _IAO_DEFINITION, None) in graph},
        obsolete=obsolete,
        labelled=list(graph.subject_objects(RDFS.label)),
        references=[(s, p, term) for term in obsolete for s, p in graph.subject_predicates(term)],
    )
    return _qc(facts, _GraphLookup(graph))


def _store_facts(store: Store) -> _QcFacts:
    """The QC facts of a store, by SPARQL (only the untidy labels are fetched)."""
    types = " ".join(f"<{t}>" for t in _ENTITY_TYPES)

    def rows(text: str) -> tuple[tuple[Node | None, ...], ...]:
        return store.query(text).rows

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


def _qc(facts: _QcFacts, lookup: _Lookup) -> list[ValidationResult]:
    found: list[ValidationResult] = []

    def add(check: str, severity: Severity, focus: Node, message: str, **extra: str) -> None:
        found.append(
            ValidationResult(
                focus=_term(focus),
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
                f'Another term has the same label "{text}": {_short(owners[0])}. Two terms with '
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
            f"It refers to the obsolete term {_short(term)} (owl:deprecated true): use the "
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


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

_HINTS: Final = {
    "MinCountConstraintComponent": "add the missing statement",
    "MaxCountConstraintComponent": "keep one value and remove (or move) the others",
    "PatternConstraintComponent": "rewrite the identifier in the form the message shows",
    "DatatypeConstraintComponent": "write the literal with the datatype the message names",
    "NodeKindConstraintComponent": "use an IRI (a CURIE or <...>), not a quoted string",
    "InConstraintComponent": "use one of the values the message lists",
    "NodeConstraintComponent": "use a term of the kind the message names, or put your term under "
    "the right parent with rdfs:subClassOf",
    "HasValueConstraintComponent": "put the term under the right parent with rdfs:subClassOf",
    "QualifiedValueShapeConstraintComponent": "put the term under the right parent with "
    "rdfs:subClassOf, or add the missing claim",
    "ClassConstraintComponent": "declare the value with the type the message names",
    "OrConstraintComponent": "add one of the alternatives the message lists",
    "UniqueLangConstraintComponent": "keep one label per language",
    "SPARQLConstraintComponent": "compare with the other node named in the message and reconcile",
    "QcCheckComponent": "see the message",
}


def _hint(result: ValidationResult) -> str:
    local = result.component.rpartition("#")[2].rpartition("/")[2]
    if local.startswith("QualifiedM"):
        local = "QualifiedValueShapeConstraintComponent"
    return _HINTS.get(local, "see the message")


def _short(node: Node | str | None) -> str:
    """A CURIE where one exists (``CL:0000576``), the local shape name, or the IRI."""
    if node is None:
        return ""
    text = str(node)
    if isinstance(node, Literal):
        return node.n3()
    if text.startswith(str(SHAPES)):
        return text[len(str(SHAPES)) :]
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)) :]
    if text.startswith('"'):
        return text
    return compress_iri(text) or f"<{text}>"


def _named(term: str | None, label: str | None) -> str:
    if term is None:
        return ""
    return f"{_short(term)} ({label})" if label else _short(term)


def render(report: ValidationReport, fmt: ReportFormat | str = ReportFormat.TEXT) -> str:
    """The report as text, JSON, Turtle (a ``sh:ValidationReport``), JUnit XML or Markdown.

    :raises ValueError: ``fmt`` names no format.
    """
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.JSON:
        return _json(report)
    if fmt is ReportFormat.TURTLE:
        return _turtle(report)
    if fmt is ReportFormat.JUNIT:
        return _junit(report)
    if fmt is ReportFormat.MARKDOWN:
        return _markdown(report)
    return _text(report)


def _summary(report: ValidationReport) -> str:
    verdict = "conforms" if report.conforms else "does NOT conform"
    return (
        f"{verdict}: {len(report.violations)} violation(s), {len(report.warnings)} warning(s),"
        f" {len(report.infos)} info(s)"
    )


def _groups(report: ValidationReport) -> list[tuple[str, list[ValidationResult]]]:
    groups: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in report.results:
        groups[result.focus].append(result)
    return sorted(groups.items(), key=lambda item: (min(r.severity.rank for r in item[1]), item[0]))


def _text(report: ValidationReport) -> str:
    lines = [f"il32rdf validate: {_summary(report)}"]
    for focus, results in _groups(report):
        first = results[0]
        head = _named(focus, first.focus_label)
        if first.source:
            head += f"  [source: {_named(first.source, first.source_label)}]"
        lines.append("")
        lines.append(head)
        for r in results:
            field = f"{_short(r.path)}: " if r.path else ""
            value = f" [value: {_named(r.value, r.value_label)}]" if r.value else ""
            lines.append(f"  {r.severity.level:<5} {field}{r.message}{value}")
            lines.append(f"        fix: {r.hint}  (rule {_short(r.shape)}, {_short(r.component)})")
    return "\n".join(lines) + "\n"


def _json(report: ValidationReport) -> str:
    results = []
    for r in report.results:
        item = asdict(r)
        item["severity"] = r.severity.value
        item["level"] = r.severity.level
        item["hint"] = r.hint
        results.append(item)
    document = {
        "conforms": report.conforms,
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "infos": len(report.infos),
        "results": results,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def report_graph(report: ValidationReport) -> Graph:
    """The report as the standard ``sh:ValidationReport`` graph."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("il32sh", SHAPES)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for r in report.results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _node(r.focus)))
        graph.add((node, SH.resultSeverity, r.severity.iri))
        graph.add((node, SH.sourceShape, _node(r.shape)))
        graph.add((node, SH.sourceConstraintComponent, URIRef(r.component)))
        graph.add((node, SH.resultMessage, Literal(r.message)))
        if r.path is not None and not r.path.endswith(("*", "+")) and " " not in r.path:
            graph.add((node, SH.resultPath, URIRef(r.path)))
        if r.value is not None:
            graph.add((node, SH.value, _node(r.value)))
    return graph


def _node(text: str) -> Node:
    if text.startswith('"'):
        node = from_n3(text)
        return node if isinstance(node, Literal) else Literal(text)
    if text.startswith("_:"):
        return BNode(text[2:])
    return URIRef(text)


def _turtle(report: ValidationReport) -> str:
    return serialize(report_graph(report), RdfFormat.TURTLE).decode("utf-8")


def _junit(report: ValidationReport) -> str:
    failures = len(report.violations)
    cases: list[str] = []
    for r in report.results:
        name = quoteattr(f"{_short(r.focus)} {_short(r.path) if r.path else ''}".strip())
        classname = quoteattr(f"il32rdf.shapes.{_short(r.shape)}")
        body = escape(f"{r.message}\nfix: {r.hint}\nrule: {_short(r.shape)} {_short(r.component)}")
        if r.severity is Severity.VIOLATION:
            inner = f'<failure type="sh:Violation" message={quoteattr(r.message)}>{body}</failure>'
        else:
            inner = f"<system-out>{escape(r.severity.level)}: {body}</system-out>"
        cases.append(f"    <testcase classname={classname} name={name}>{inner}</testcase>")
    if not cases:
        cases.append('    <testcase classname="il32rdf.shapes" name="all shapes"/>')
    tests = max(1, len(report.results))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites tests="{tests}" failures="{failures}">\n'
        f'  <testsuite name="il32rdf validate" tests="{tests}" failures="{failures}" errors="0">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )


def _markdown(report: ValidationReport) -> str:
    lines = ["# il32rdf validation report", "", f"The graph {_summary(report)}.", ""]
    if report.results:
        lines.append("| Level | Node | Source | Field | Problem | Fix | Rule |")
        lines.append("|---|---|---|---|---|---|---|")
        for r in report.results:
            cells = [
                r.severity.level,
                _named(r.focus, r.focus_label),
                _named(r.source, r.source_label),
                _short(r.path) if r.path else "",
                r.message + (f" (value: {_named(r.value, r.value_label)})" if r.value else ""),
                r.hint,
                f"{_short(r.shape)} / {_short(r.component)}",
            ]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
