"""The validation report (Python API and formats) and `il32rdf validate` (exit codes, errors)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, SH, Dataset, Graph

import il32rdf
from il32rdf.validate import ReportFormat, Severity, ValidationReport, render, validate

FIXTURES = Path(__file__).parent / "shapes"
BAD_CLAIM = FIXTURES / "should_fail" / "claim-no-evidence.ttl"
TWO_PROBLEMS = [BAD_CLAIM, FIXTURES / "should_fail" / "protein-no-species.ttl"]
WARNING_ONLY = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
<https://example.org/lab/my-cell> rdfs:subClassOf obo:CL_0000576 .
"""


@pytest.fixture(scope="module")
def bad_report() -> ValidationReport:
    return validate(il32rdf.load(TWO_PROBLEMS))


@pytest.fixture(scope="module")
def good_report(dataset: Dataset) -> ValidationReport:
    return validate(dataset)


def test_non_conformance_is_a_value(bad_report: ValidationReport) -> None:
    assert not bad_report.conforms
    assert [r.severity for r in bad_report.violations] == [Severity.VIOLATION] * 2
    assert {r.focus for r in bad_report.violations} == {
        "https://w3id.org/il32rdf/fact/test-claim",
        "http://purl.uniprot.org/uniprot/Q9ZZZ1",
    }


@pytest.mark.parametrize("report_name", ["good_report", "bad_report"])
def test_json_parses_back(report_name: str, request: pytest.FixtureRequest) -> None:
    report: ValidationReport = request.getfixturevalue(report_name)
    document = json.loads(render(report, ReportFormat.JSON))
    assert document["conforms"] is report.conforms
    assert len(document["results"]) == len(report.results)
    for item in document["results"]:
        assert {
            "focus",
            "path",
            "value",
            "severity",
            "level",
            "shape",
            "component",
            "message",
            "hint",
            "focus_label",
            "source",
        } <= set(item)


@pytest.mark.parametrize("report_name", ["good_report", "bad_report"])
def test_turtle_is_a_shacl_validation_report(
    report_name: str, request: pytest.FixtureRequest
) -> None:
    report: ValidationReport = request.getfixturevalue(report_name)
    graph = Graph().parse(data=render(report, "turtle"), format="turtle")
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms).toPython() is report.conforms
    assert len(list(graph.objects(root, SH.result))) == len(report.results)
    for result in graph.objects(root, SH.result):
        assert graph.value(result, SH.focusNode) is not None
        assert graph.value(result, SH.resultSeverity) is not None
        assert graph.value(result, SH.sourceShape) is not None


@pytest.mark.parametrize("report_name", ["good_report", "bad_report"])
def test_junit_is_well_formed(report_name: str, request: pytest.FixtureRequest) -> None:
    report: ValidationReport = request.getfixturevalue(report_name)
    root = ET.fromstring(render(report, "junit"))
    assert root.tag == "testsuites"
    assert int(root.attrib["failures"]) == len(report.violations)
    assert len(root.findall(".//failure")) == len(report.violations)


def test_text_is_grouped_by_focus_with_labels_publication_and_fix(
    bad_report: ValidationReport,
) -> None:
    text = render(bad_report)
    assert text.startswith("il32rdf validate: does NOT conform: 2 violation(s)")
    assert "fact:test-claim (IL-32 induces human macrophages to secrete TNF-alpha (test))" in text
    assert "[source: pubmed:15664165 (Kim et al. 2005)]" in text
    assert "ERROR il32:evidence: A claim needs exactly one evidence code" in text
    assert "fix: add the missing statement" in text
    assert "rule ClaimEvidenceShape, sh:MinCountConstraintComponent" in text


def test_markdown_has_one_row_per_result(bad_report: ValidationReport) -> None:
    rows = [
        line for line in render(bad_report, "markdown").splitlines() if line.startswith("| ERROR")
    ]
    assert len(rows) == 2


def test_reports_are_deterministic(bad_report: ValidationReport) -> None:
    again = validate(il32rdf.load(TWO_PROBLEMS))
    for fmt in ReportFormat:
        assert render(again, fmt) == render(bad_report, fmt)


# ----- command line -------------------------------------------------------------------------


def test_cli_bundled_graph_exits_0(run_cli: Callable[..., object]) -> None:
    result = run_cli("validate")
    assert result.status == 0, result.err
    assert "conforms: 0 violation(s)" in result.out


def test_cli_violations_exit_1(run_cli: Callable[..., object]) -> None:
    result = run_cli("validate", str(BAD_CLAIM), "--format", "json")
    assert result.status == 1
    assert json.loads(result.out)["violations"] == 1


def test_cli_warnings_fail_only_when_strict(run_cli: Callable[..., object], tmp_path: Path) -> None:
    path = tmp_path / "warning.ttl"
    path.write_text(WARNING_ONLY, encoding="utf-8")
    assert run_cli("validate", str(path)).status == 0
    assert run_cli("validate", str(path), "--strict").status == 1


def test_cli_malformed_data_exits_2_naming_file_and_line(
    run_cli: Callable[..., object], tmp_path: Path
) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:b ex:c ;\n", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.status == 2
    assert result.out == ""
    assert f"{path}:" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_cli_malformed_shapes_exits_2_naming_file_and_line(
    run_cli: Callable[..., object], tmp_path: Path
) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:x sh:y\n", encoding="utf-8")
    result = run_cli("validate", "--shapes", str(path))
    assert result.status == 2
    assert f"shapes file {path}:" in result.err


def test_cli_invalid_shacl_exits_2_naming_the_shape(
    run_cli: Callable[..., object], tmp_path: Path
) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex:LabelShape a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        '    sh:property [ sh:path ex:label ; sh:maxCount "many" ] .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--shapes", str(path))
    assert result.status == 2
    assert "LabelShape" in result.err


def test_cli_own_shapes_and_output_file(run_cli: Callable[..., object], tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix il32: <https://w3id.org/il32rdf/ontology/> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex:CommentShape a sh:NodeShape ; sh:targetClass il32:Claim ;\n"
        '    sh:property [ sh:path rdfs:comment ; sh:minCount 1 ; sh:message "comment" ] .\n',
        encoding="utf-8",
    )
    out = tmp_path / "report.xml"
    result = run_cli("validate", "--shapes", str(shapes), "--format", "junit", "-o", str(out))
    assert result.status == 1
    assert result.out == ""
    root = ET.parse(out).getroot()
    assert int(root.attrib["failures"]) > 0


def test_cli_no_bundled_needs_a_file(run_cli: Callable[..., object]) -> None:
    assert run_cli("validate", "--no-bundled").status == 2


def test_cli_malformed_sparql_in_shapes_exits_2_naming_the_shape(
    run_cli: Callable[..., object], tmp_path: Path
) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix il32: <https://w3id.org/il32rdf/ontology/> .\n"
        "@prefix ex: <https://example.org/> .\n"
        "ex:BrokenSparqlShape a sh:NodeShape ; sh:targetClass il32:Claim ;\n"
        '    sh:sparql [ a sh:SPARQLConstraint ; sh:message "x" ;\n'
        '        sh:select "SELECT $this WHERE { $this ?p }" ] .\n',
        encoding="utf-8",
    )
    result = run_cli("validate", "--shapes", str(path))
    assert result.status == 2
    assert "BrokenSparqlShape" in result.err and "malformed SPARQL" in result.err
    assert "Traceback" not in result.err
