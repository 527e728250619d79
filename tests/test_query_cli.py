"""``il32rdf query`` and ``il32rdf queries``: formats, parameters, engines and exit codes."""

from __future__ import annotations

import csv
import io
import json
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser

from il32rdf.vocab import expand_curie

DATA = Path(__file__).parent / "data"
SECOND = DATA / "query_second_cytokine.ttl"
ONTOLOGY = Path(__file__).parent.parent / "ontology" / "il32rdf.ttl"
ILZ = "http://example.org/il32rdf-test/ILZ"


def test_queries_lists_names_questions_and_parameters(run_cli: Callable[..., Any]) -> None:
    result = run_cli("queries")
    assert result.status == 0
    out = result.out
    assert "secretions: Secretions" in out
    assert "--param cytokine = uniprot:P24001" in out
    assert "--param entity = uniprot:P24001" in out
    listing = json.loads(run_cli("queries", "--format", "json").out)
    assert [q["name"] for q in listing][:2] == ["chemokines", "cytokine-sources"]
    describe = next(q for q in listing if q["name"] == "describe")
    assert {p["name"]: p["kind"] for p in describe["parameters"]} == {
        "entity": "term",
        "cytokine": "iri",
    }


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_csv_of_a_named_query(run_cli: Callable[..., Any], store: str) -> None:
    result = run_cli("query", "lineage", "--format", "csv", "--store", store)
    assert result.status == 0
    rows = list(csv.DictReader(io.StringIO(result.out, newline="")))
    assert [(r["cell_type"], r["precursor"]) for r in rows] == [
        (expand_curie("CL:0000092"), expand_curie("CL:0000576")),
        (expand_curie("CL:0000235"), expand_curie("CL:0000576")),
    ]


def test_json_and_xml_parse_with_standard_readers(run_cli: Callable[..., Any]) -> None:
    out = run_cli("query", "chemokines", "--format", "json").out
    bindings = json.loads(out)["results"]["bindings"]
    assert [b["molecule"]["value"] for b in bindings] == [
        expand_curie("uniprot:P10145"),
        expand_curie("uniprot:P10889"),
    ]
    parsed = JSONResultParser().parse(io.StringIO(out))
    assert len(parsed.bindings) == 2
    xml = run_cli("query", "chemokines", "--format", "xml").out
    root = ET.fromstring(xml)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    assert len(XMLResultParser().parse(io.BytesIO(xml.encode())).bindings) == 2


def test_tsv_and_table(run_cli: Callable[..., Any]) -> None:
    tsv = run_cli("query", "cytokine-sources", "--format", "tsv").out
    assert tsv.splitlines()[0].split("\t")[0] == "?cell_type"
    assert tsv.splitlines()[1].split("\t")[0] == f"<{expand_curie('CL:0000125')}>"
    table = run_cli("query", "cytokine-sources").out
    assert "glial cell" in table and "CL:0000125" in table and table.endswith("(2 rows)\n")


def test_describe_by_synonym(run_cli: Callable[..., Any]) -> None:
    result = run_cli("query", "describe", "--param", "entity=IL-8", "--format", "json")
    values = {
        b["value"]["value"]
        for b in json.loads(result.out)["results"]["bindings"]
        if b["field"]["value"] == "gene symbol"
    }
    assert values == {"CXCL8"}


@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("bundled", [True, False])
def test_a_second_cytokine_from_data_files(
    run_cli: Callable[..., Any], store: str, bundled: bool
) -> None:
    data = (
        ["--data", str(SECOND)]
        if bundled
        else ["--no-bundled", "--data", str(ONTOLOGY), "--data", str(SECOND)]
    )
    result = run_cli(
        "query",
        "secretions",
        *data,
        "--param",
        f"cytokine={ILZ}",
        "--format",
        "json",
        "--store",
        store,
    )
    assert result.status == 0, result.err
    bindings = json.loads(result.out)["results"]["bindings"]
    assert [b["molecule"]["value"] for b in bindings] == [
        "http://example.org/il32rdf-test/MolB",
        "http://example.org/il32rdf-test/MolA",
    ]


def test_ask_exit_codes(run_cli: Callable[..., Any]) -> None:
    yes = run_cli("query", "--sparql", "ASK { ?c rdf:subject uniprot:P24001 }")
    no = run_cli("query", "--sparql", "ASK { ?c rdf:subject ?x }", "--param", "x=uniprot:P99999")
    assert (yes.status, yes.out, no.status, no.out) == (0, "true\n", 1, "false\n")
    as_json = run_cli("query", "--sparql", "ASK { ?s ?p ?o }", "--format", "json")
    assert json.loads(as_json.out) == {"head": {}, "boolean": True}


def test_construct_in_rdf_formats(run_cli: Callable[..., Any]) -> None:
    text = "CONSTRUCT { ?m a il32:Chemokine } WHERE { ?m RO:0002327 GO:0008009 }"
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("json-ld", "json-ld"), ("xml", "xml")):
        result = run_cli("query", "--sparql", text, "--format", fmt)
        assert result.status == 0, result.err
        graph = Graph().parse(data=result.out, format=parser)
        assert len(graph) == 2
    bad = run_cli("query", "--sparql", text, "--format", "csv")
    assert bad.status == 2 and "graph" in bad.err


def test_query_from_a_file_and_from_stdin(
    run_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mine.rq"
    path.write_text(
        "# title: Mine\n# param: cell (iri) = CL:0000576 — a cell type\n"
        "SELECT ?cell ?label WHERE { ?cell rdfs:label ?label } ORDER BY ?label\n"
    )
    result = run_cli("query", str(path), "--format", "csv")
    assert result.out.splitlines()[1] == f"{expand_curie('CL:0000576')},monocyte"
    other = run_cli("query", str(path), "--param", "cell=CL:0000092", "--format", "csv")
    assert other.out.splitlines()[1].endswith(",osteoclast")
    monkeypatch.setattr(sys, "stdin", io.StringIO("SELECT ?l WHERE { CL:0000235 rdfs:label ?l }"))
    piped = run_cli("query", "-", "--format", "csv")
    assert piped.out.splitlines() == ["l", "macrophage"]


def test_output_file(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "out" / "lineage.json"
    result = run_cli("query", "lineage", "--format", "json", "-o", str(target))
    assert result.status == 0 and result.out == ""
    assert "2 rows" in result.err
    assert len(json.loads(target.read_text())["results"]["bindings"]) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "secretion"], "no named query 'secretion'; the named queries are: chemokines"),
        (["query", "secretions", "--param", "cell=CL:0000576"], "valid parameters: cytokine"),
        (
            ["query", "secretions", "--param", "cytokine=uniprot:P24001> } ; DROP ALL #"],
            "is not a valid IRI",
        ),
        (["query", "secretions", "--param", "cytokine"], "--param takes NAME=VALUE"),
        (
            ["query", "--sparql", "SELECT ?x WHERE {\n  ?x ?y\n}", "--store", "rdflib"],
            "invalid SPARQL at line 2",
        ),
        (
            ["query", "--sparql", "SELECT ?x WHERE {\n  ?x ?y\n}", "--store", "oxigraph"],
            "invalid SPARQL at line 3",
        ),
        (["query"], "give a query"),
        (["query", "lineage", "--sparql", "ASK {}"], "not both"),
        (["query", "missing.rq"], "no such query file"),
        (["query", "lineage", "--format", "turtle"], "use --format one of table"),
        (["query", "lineage", "--timeout", "0"], "positive number of seconds"),
        (["query", "lineage", "--no-bundled"], "--no-bundled needs"),
        (
            [
                "query",
                "--timeout",
                "0.3",
                "--sparql",
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            ],
            "stopped after its time limit of 0.3 s",
        ),
    ],
)
def test_errors_are_one_line_and_exit_2(
    run_cli: Callable[..., Any], argv: list[str], message: str
) -> None:
    result = run_cli(*argv)
    assert result.status == 2
    err = result.err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
