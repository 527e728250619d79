"""The W3C SHACL test suite (``../shared/conformance/shacl/``, 98 core and 22 SHACL-SPARQL
tests) on both engines, with raw pySHACL alongside as the reference.

- rdflib engine: the data parsed by il32rdf, validated by ``il32rdf.validate`` (pySHACL);
- Oxigraph engine: the data loaded by Oxigraph, validated by the shapes compiled to SPARQL,
  or by pySHACL on a copy where the compiler declines (``report.compiled`` tells which).

A test passes when ``sh:conforms`` and the multiset of results (focus node, path, value, source
shape, constraint component, severity; blank nodes matched as blank nodes) equal the expected
report read from the Turtle report il32rdf writes; a test that expects a failure passes only on
a clear refusal: a ShapesError of one line naming the shape. The counts are printed
(``pytest -s``) and kept in the README.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, SH, Graph
from shacl_suite import (
    SUITE,
    SuiteTest,
    difference,
    entries,
    normalized,
    report_results,
    results_graph,
    same_results,
)

from il32rdf.errors import ShapesError
from il32rdf.store import OxigraphStore
from il32rdf.store.parse import parse_file
from il32rdf.validate import ValidationReport, render, validate

pytestmark = pytest.mark.skipif(
    not SUITE.is_dir(), reason=f"the W3C SHACL suite is not at {SUITE} (CI always has it)"
)

ENGINES = ("pyshacl", "rdflib", "oxigraph")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    compiled: bool = False
    why: str = ""
    report: ValidationReport | str | None = None  # il32rdf's report, or its refusal


def _run(test: SuiteTest, engine: str) -> Outcome:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a strange path is read as the suite reads it
        if engine == "pyshacl":
            return _raw_pyshacl(test)
        try:
            if engine == "rdflib":
                data: Graph | OxigraphStore = parse_file(test.data)
            else:
                data = _oxigraph(test.data)
            report = validate(data, shapes=[test.shapes], run_qc=False)
        except ShapesError as exc:
            message = str(exc)
            clear = "\n" not in message and message.startswith(
                ("shape ", "shapes file ", "constraint component ")
            )
            if test.expected is None and clear:
                return Outcome(True, why=message, report=message)
            return Outcome(False, why=f"refused: {message}", report=message)
    if test.expected is None:
        return Outcome(False, report.compiled, "no refusal", report)
    conforms, results = report_results(render(report, "turtle"))
    outcome = _compare(test, conforms, results, report.compiled)
    why = f"{outcome.why} (declined: {report.declined})" if report.declined else outcome.why
    return Outcome(outcome.passed, outcome.compiled, why, report)


def _oxigraph(path: Path) -> OxigraphStore:
    """The data as ``open_store`` reads it into an Oxigraph store: into the facts graph, the
    spelling of each literal the store re-spells kept beside it."""
    store = OxigraphStore()
    store.load_file(path, "facts")
    return store


def _raw_pyshacl(test: SuiteTest) -> Outcome:
    data = Graph().parse(test.data, format="turtle")  # as a pySHACL user reads them
    shapes = Graph().parse(test.shapes, format="turtle")
    try:
        conforms, report, _ = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True
        )
    except Exception as exc:  # pySHACL raises several kinds where it cannot go on
        return Outcome(test.expected is None, why=f"raised {type(exc).__name__}")
    if not isinstance(report, Graph):  # pySHACL returns its failure instead of raising it
        return Outcome(test.expected is None, why="refused")
    if test.expected is None:
        return Outcome(False, why="no refusal")
    (root,) = report.subjects(RDF.type, SH.ValidationReport)
    # pySHACL's rdflib re-spells literals ("none"^^xsd:boolean as false): compared by value,
    # as the 97 core and 21 SPARQL tests pySHACL passes were counted
    expected = SuiteTest(**{**test.__dict__, "expected": normalized(test.expected)})
    return _compare(expected, bool(conforms), normalized(results_graph(report, root)), False)


def _compare(test: SuiteTest, conforms: bool, results: Graph, compiled: bool) -> Outcome:
    assert test.expected is not None
    if conforms != test.conforms:
        return Outcome(False, compiled, f"sh:conforms {conforms}, expected {test.conforms}")
    if not same_results(results, test.expected):
        return Outcome(False, compiled, "results differ:\n" + difference(results, test.expected))
    return Outcome(True, compiled)


@pytest.fixture(scope="module")
def outcomes() -> dict[tuple[str, str], Outcome]:
    found = {(t.name, e): _run(t, e) for t in entries() for e in ENGINES}
    counts: Counter[tuple[str, str]] = Counter()
    compiled = Counter[str]()
    for test in entries():
        for engine in ENGINES:
            outcome = found[(test.name, engine)]
            counts[(engine, test.part)] += outcome.passed
            compiled[engine] += outcome.compiled
    print("\nW3C SHACL test suite: tests passed (core of 98, SPARQL of 22)")
    for engine in ENGINES:
        print(
            f"  {engine:<9} core {counts[(engine, 'core')]:>3}  sparql "
            f"{counts[(engine, 'sparql')]:>3}  compiled {compiled[engine]:>3}"
        )
    return found


def test_the_suite_is_complete() -> None:
    parts = Counter(t.part for t in entries())
    assert parts == {"core": 98, "sparql": 22}


def test_raw_pyshacl_is_the_reference_we_measured(outcomes: dict[tuple[str, str], Outcome]) -> None:
    passed = Counter(t.part for t in entries() if outcomes[(t.name, "pyshacl")].passed)
    assert passed["core"] >= 97 and passed["sparql"] >= 21


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_every_test_pyshacl_passes_passes_on_both_engines(
    outcomes: dict[tuple[str, str], Outcome], engine: str
) -> None:
    failed = [
        f"{t.name}: {outcomes[(t.name, engine)].why}"
        for t in entries()
        if outcomes[(t.name, "pyshacl")].passed and not outcomes[(t.name, engine)].passed
    ]
    assert failed == [], "\n".join(failed)


def test_at_least_110_run_compiled_on_oxigraph(outcomes: dict[tuple[str, str], Outcome]) -> None:
    compiled = [t.name for t in entries() if outcomes[(t.name, "oxigraph")].compiled]
    refused = [t.name for t in entries() if t.expected is None]
    assert len(compiled) + len(refused) >= 110, sorted(
        t.name for t in entries() if t.name not in compiled and t.name not in refused
    )


def test_no_silent_conforms(outcomes: dict[tuple[str, str], Outcome]) -> None:
    # wherever the suite expects results, no engine answers "conforms" with none
    silent = [
        (t.name, e)
        for t in entries()
        for e in ("rdflib", "oxigraph")
        if t.conforms is False and "sh:conforms True" in outcomes[(t.name, e)].why
    ]
    assert silent == []


def test_both_engines_give_identical_reports(outcomes: dict[tuple[str, str], Outcome]) -> None:
    # every result, its message included, or the same one-line refusal
    differ = [
        t.name
        for t in entries()
        if outcomes[(t.name, "rdflib")].report != outcomes[(t.name, "oxigraph")].report
    ]
    assert differ == []


def test_suite_files_exist() -> None:
    assert all(Path(t.data).is_file() and Path(t.shapes).is_file() for t in entries())
