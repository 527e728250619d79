"""The W3C RDF 1.1 test suites (Turtle, N-Triples, N-Quads, TriG, RDF/XML), run as a new user
runs il32rdf: ``il32rdf export --no-bundled --data FILE --store ENGINE --format FORMAT``.

- Every positive test (syntax and evaluation) is exported in every format on both engines,
  and the output, read back by pyoxigraph, must be isomorphic to the expected dataset (the
  evaluation test's result, or what pyoxigraph reads from the input of a syntax test). The
  formats that hold named graphs (N-Quads, TriG) must keep them (the input's default graph is
  il32rdf's facts graph); the others hold their union. Where RDF/XML cannot hold the graph (a
  character XML 1.0 forbids, a property with no XML name), the export must be refused with
  exit 2 and one line, and the test checks that the graph does hold such a thing.
- Every negative test must be refused with exit 2, nothing on stdout and one line on stderr
  that names the file.

The suites are read from ``../shared/conformance/rdf/`` (never copied into the project); the
test is skipped, saying so, only where that folder is absent. The counts are printed.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from il32rdf.cli import main
from il32rdf.vocab import FACTS_GRAPH

SUITES = (Path(__file__).resolve().parents[2] / "shared" / "conformance" / "rdf").resolve()
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
ENGINES = ("rdflib", "oxigraph")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_NAME_END = re.compile(r"[A-Za-z_\u00c0-\U000effff][\w.\-\u00b7\u0300-\u036f\u203f-\u2040]*\Z")
_RDF_SYNTAX = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#" + name
    for name in [
        "RDF",
        "ID",
        "about",
        "bagID",
        "parseType",
        "resource",
        "nodeID",
        "datatype",
        "Description",
        "aboutEach",
        "aboutEachPrefix",
        "li",
    ]
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not SUITES.is_dir(), reason=f"the W3C RDF suites are not beside the checkout ({SUITES})"
    ),
]


@dataclass(frozen=True)
class Case:
    suite: str
    name: str
    kind: str  # the rdft test type without its namespace
    action: Path
    result: Path | None
    base: str  # the suite's assumed base IRI, which evaluation results use

    @property
    def positive(self) -> bool:
        return "Negative" not in self.kind


def _cases() -> list[Case]:
    cases = []
    for manifest in sorted(SUITES.glob("*/manifest.ttl")):
        found = ox.Dataset(ox.parse(path=str(manifest), base_iri=manifest.as_uri()))

        def value(subject: object, predicate: str, graph: ox.Dataset = found) -> object:
            for quad in graph.quads_for_subject(subject):  # type: ignore[arg-type]
                if quad.predicate.value == predicate:
                    return quad.object
            return None

        bases = [q.object.value for q in found if q.predicate.value == MF + "assumedTestBase"]
        base = bases[0] if bases else ""  # only the suites with evaluation tests have one
        for quad in found.quads_for_predicate(RDF_TYPE):
            kind = quad.object.value  # type: ignore[union-attr]
            if not kind.startswith(RDFT):
                continue
            action, result = value(quad.subject, MF + "action"), value(quad.subject, MF + "result")
            name = value(quad.subject, MF + "name")
            cases.append(
                Case(
                    manifest.parent.name,
                    str(name.value if name is not None else quad.subject),  # type: ignore[attr-defined]
                    kind[len(RDFT) :],
                    Path(action.value.removeprefix("file://")),  # type: ignore[attr-defined]
                    Path(result.value.removeprefix("file://")) if result is not None else None,  # type: ignore[attr-defined]
                    base,
                )
            )
    return sorted(cases, key=lambda c: (c.suite, c.name))


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def _canonical(quads: list[ox.Quad]) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def _expected(case: Case) -> list[ox.Quad]:
    """The dataset a positive case must give: the evaluation result, with the file's own URL
    standing for the suite's base (as il32rdf reads the file), or what pyoxigraph reads."""
    if case.result is None:
        return list(ox.parse(path=str(case.action), base_iri=case.action.as_uri()))
    suite_url = (SUITES / case.suite).as_uri() + "/"
    text = case.result.read_text(encoding="utf-8").replace(case.base, suite_url)
    return list(ox.parse(text, ox.RdfFormat.from_extension(case.result.suffix[1:])))


def _as_written(quads: list[ox.Quad], keeps_graphs: bool) -> list[ox.Quad]:
    """What a format of il32rdf holds of ``quads``: the default graph as the facts graph, or
    the union of every graph."""
    facts = ox.NamedNode(str(FACTS_GRAPH))
    out = []
    for q in quads:
        graph = q.graph_name
        if not keeps_graphs:
            graph = ox.DefaultGraph()
        elif isinstance(graph, ox.DefaultGraph):
            graph = facts
        out.append(ox.Quad(q.subject, q.predicate, q.object, graph))
    return out


def _beyond_rdfxml(quads: list[ox.Quad]) -> bool:
    """Whether RDF/XML cannot hold ``quads``: a forbidden character, a property without an XML
    name or one of RDF/XML's own names."""
    for q in quads:
        predicate = q.predicate.value
        if predicate in _RDF_SYNTAX or not _XML_NAME_END.search(predicate):
            return True
        for term in (q.subject, q.object):
            text = term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""
            if _NOT_XML.search(text):
                return True
    return False


REFUSED = "refused: RDF/XML cannot hold it"


def _check_positive(case: Case, engine: str, fmt: str, tally: Counter[str]) -> tuple[str, str]:
    """The output of ``case`` in ``fmt`` on ``engine`` and "" when it passes, else what went
    wrong."""
    status, out, err = _run(
        "export", "--no-bundled", "--data", str(case.action), "--store", engine, "--format", fmt
    )
    expected = _expected(case)
    if fmt == "xml" and _beyond_rdfxml(expected):
        lines = err.strip().splitlines()
        ok = status == 2 and len(lines) == 1 and "RDF/XML cannot hold" in lines[0] and not out
        tally[REFUSED if ok else "failed"] += 1
        return err, "" if ok else f"not refused as RDF/XML: {status} {err!r}"
    problem = ""
    if status != 0:
        problem = f"exit {status}: {err.strip()}"
    else:
        try:
            read = list(ox.parse(out.encode("utf-8"), FORMATS[fmt]))
        except SyntaxError as exc:
            problem = f"pyoxigraph cannot read the {fmt} output: {exc}"
        else:
            wanted = _as_written(expected, keeps_graphs=fmt in ("nquads", "trig"))
            if _canonical(read) != _canonical(wanted):
                problem = f"not isomorphic: {len(read)} quads out, {len(expected)} expected"
    tally["failed" if problem else "passed"] += 1
    return out, problem


def _check_negative(case: Case, engine: str, tally: Counter[str]) -> str:
    status, out, err = _run(
        "export", "--no-bundled", "--data", str(case.action), "--store", engine, "--format", "nt"
    )
    lines = err.splitlines()
    if status == 2 and not out and len(lines) == 1 and f"error: {case.action}" in lines[0]:
        tally["refused"] += 1
        return ""
    tally["failed"] += 1
    return f"exit {status}, stderr {err!r}"


CASES = _cases() if SUITES.is_dir() else []
SUITE_NAMES = sorted({c.suite for c in CASES})


@pytest.mark.parametrize("suite", SUITE_NAMES)
def test_w3c_rdf_suite(suite: str, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [c for c in CASES if c.suite == suite]
    assert cases, f"no test in the {suite} manifest"
    failures: list[str] = []
    tallies = {(e, fmt): Counter[str]() for e in ENGINES for fmt in FORMATS}
    negatives = {e: Counter[str]() for e in ENGINES}
    same_bytes = 0
    for case in cases:
        for fmt in FORMATS if case.positive else ():
            outputs = set()
            for engine in ENGINES:
                out, problem = _check_positive(case, engine, fmt, tallies[engine, fmt])
                outputs.add(out)
                if problem:
                    failures.append(f"{case.name} [{fmt}, {engine}]: {problem}")
            if len(outputs) == 1:
                same_bytes += 1
            else:
                failures.append(f"{case.name} [{fmt}]: the engines wrote different bytes")
        for engine in ENGINES if not case.positive else ():
            problem = _check_negative(case, engine, negatives[engine])
            if problem:
                failures.append(f"{case.name} [{engine}]: {problem}")
    positives = sum(1 for c in cases if c.positive)
    with capsys.disabled():
        for engine in ENGINES:
            tally = {fmt: tallies[engine, fmt] for fmt in FORMATS}
            counts = ", ".join(
                f"{fmt} {t['passed']}" + (f" (+{t[REFUSED]} refused)" if t[REFUSED] else "")
                for fmt, t in tally.items()
            )
            print(
                f"\n{suite} on {engine}: of {positives} positive tests, {counts} round-trip;"
                f" {negatives[engine]['refused']} of {len(cases) - positives} negative tests"
                " refused"
            )
        print(f"{suite}: both engines wrote the same bytes in {same_bytes} exports")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:40])
