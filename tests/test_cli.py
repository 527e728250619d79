"""The command line: build, export, stats, and what a user sees when the input is bad."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from il32rdf import __version__
from il32rdf.cli import main
from il32rdf.query import named_queries
from il32rdf.release import DESCRIPTION_FILE, OBOGRAPHS_FILE, RELEASE_FILES

DATA = Path(__file__).parent / "data"
EXPECTED_FILES = [
    *(name for name, _, _ in RELEASE_FILES),
    DESCRIPTION_FILE,
    OBOGRAPHS_FILE,
    "kgx/il32_nodes.tsv",
    "kgx/il32_edges.tsv",
]
Run = Callable[..., "object"]


def test_build_writes_every_release_file(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("build", "-o", str(tmp_path / "dist"))
    assert result.status == 0, result.err
    dist = tmp_path / "dist"
    files = [p for p in dist.rglob("*") if p.is_file() and p.parent.name != "diagrams"]
    answers = [f"answers/{name}.csv" for name in named_queries()]
    assert sorted(str(p.relative_to(dist)) for p in files) == sorted(
        [*EXPECTED_FILES, *answers, "docs/index.html"]
    )
    assert (dist / "answers" / "process-effects.csv").read_text().count("\n") == 5
    pictures = {p.name for p in (tmp_path / "dist" / "diagrams").iterdir()}
    assert {"IL32-causal.dot", "IL32-causal.mmd", "lineage.dot", "lineage.mmd"} <= pictures
    assert "claims: 38 (37 positive, 1 negated)" in result.out
    assert "relations: every one used within its RO domain and range" in result.out
    full = Graph().parse(tmp_path / "dist" / "il32.ttl")
    ontology_only = Graph().parse(tmp_path / "dist" / "il32-ontology.ttl")
    assert 0 < len(ontology_only) < len(full)


def test_build_summary_as_json(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("build", "-o", str(tmp_path), "--format", "json")
    summary = json.loads(result.out)
    assert summary["stats"]["claims"] == 38
    assert summary["stats"]["negated_claims"] == 1
    assert summary["relations"] == {"reasoner": "hermit", "complete": True, "unchecked": []}
    names = {str(Path(f["path"]).relative_to(tmp_path)) for f in summary["files"]}
    assert names == set(EXPECTED_FILES)


def test_build_with_a_second_cytokine_as_data(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("build", "--data", str(DATA / "second_cytokine.ttl"), "-o", str(tmp_path))
    assert result.status == 0, result.err
    assert "claims: 41 (39 positive, 2 negated)" in result.out
    assert "<http://purl.uniprot.org/uniprot/Z9Z9Z9Z9Z9>" in (tmp_path / "il32.nt").read_text()


def test_build_refuses_an_undeclared_project_term(run_cli: Run, tmp_path: Path) -> None:
    typo = tmp_path / "typo.ttl"
    typo.write_text(
        "@prefix il32: <https://w3id.org/il32rdf/ontology/> .\n"
        "<http://example.org/c> a il32:Claim ; il32:celltype <http://example.org/x> .\n",
        encoding="utf-8",
    )
    result = run_cli("build", "--data", str(typo), "-o", str(tmp_path / "dist"))
    assert result.status == 1
    assert "https://w3id.org/il32rdf/ontology/celltype: project term is used" in result.err
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml", "nquads"])
def test_export_to_stdout_and_to_a_file_agree(run_cli: Run, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / "graph.out"
    to_file = run_cli("export", "--format", fmt, "--graph", "facts", "-o", str(out))
    assert to_file.status == 0 and f"wrote {out}" in to_file.err
    run = subprocess.run(
        [sys.executable, "-m", "il32rdf", "export", "--format", fmt, "--graph", "facts"],
        capture_output=True,
        check=True,
    )
    assert run.stdout == out.read_bytes()


def test_stats_as_json(run_cli: Run) -> None:
    result = run_cli("stats", "--format", "json")
    counts = json.loads(result.out)
    assert counts["claims_by_predicate"]["RO:0004034"] == 9
    assert counts["claims_by_predicate"]["il32:mechanismOf"] == 2
    assert counts["triples"]["inferred"] == 35


def test_version_and_help(run_cli: Run) -> None:
    version = run_cli("--version")
    assert version.status == 0 and version.out.strip() == f"il32rdf {__version__}"
    help_text = run_cli("export", "--help")
    assert help_text.status == 0
    assert "--no-bundled" in help_text.out and "--graph" in help_text.out


# --- bad input: one line on stderr, exit 2, nothing left behind ------------------------------


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_missing_file(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("build", "--data", str(tmp_path / "nope.ttl"), "-o", str(tmp_path / "d"))
    assert result.status == 2
    assert _one_line(result.err) == f"il32rdf: error: {tmp_path / 'nope.ttl'}: no such file"
    assert not (tmp_path / "d").exists()


def test_malformed_turtle_names_file_line_and_column(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("export", "--data", str(DATA / "malformed.ttl"), "-o", str(tmp_path / "x"))
    assert result.status == 2
    line = _one_line(result.err)  # where the unterminated string starts
    where = f"{DATA / 'malformed.ttl'}:3:11"
    assert line == f"il32rdf: error: {where}: malformed Turtle: Unexpected end of file"
    assert not (tmp_path / "x").exists()


def test_malformed_ntriples_names_the_line_and_column(run_cli: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> c .\n")
    result = run_cli("stats", "--data", str(bad))
    assert result.status == 2
    line = _one_line(result.err)  # the bare ``c`` is the 23rd character of line 2
    assert line.startswith(f"il32rdf: error: {bad}:2:23: malformed N-Triples: ")


def test_unknown_file_type(run_cli: Run, tmp_path: Path) -> None:
    odd = tmp_path / "facts.csv"
    odd.write_text("a,b\n")
    result = run_cli("stats", "--data", str(odd))
    assert result.status == 2
    assert "unknown RDF file type '.csv'" in _one_line(result.err)


def test_unknown_format(run_cli: Run, tmp_path: Path) -> None:
    result = run_cli("export", "--format", "yaml", "-o", str(tmp_path / "x"))
    assert result.status == 2
    assert "unknown format 'yaml'; use one of: turtle, nt, json-ld, xml, nquads" in result.err
    assert not (tmp_path / "x").exists()


def test_unknown_graph_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("export", "--graph", "tbox")
    assert result.status == 2
    assert "invalid choice: 'tbox'" in _one_line(result.err)


def test_unwritable_output_directory(run_cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "dist"
    blocker.write_text("a file where the directory should be")
    result = run_cli("build", "-o", str(blocker / "release"))
    assert result.status == 2
    assert _one_line(result.err).startswith(f"il32rdf: error: cannot write {blocker}/release/")
    assert blocker.read_text() == "a file where the directory should be"


def test_no_bundled_needs_data(run_cli: Run) -> None:
    result = run_cli("stats", "--no-bundled")
    assert result.status == 2
    assert _one_line(result.err) == "il32rdf: error: --no-bundled needs at least one --data FILE"


def test_no_command_prints_help_and_fails(run_cli: Run) -> None:
    result = run_cli()
    assert result.status == 2
    assert "usage: il32rdf" in result.err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    run = subprocess.run(
        [sys.executable, "-m", "il32rdf", "--debug", "stats", "--data", str(tmp_path / "x.ttl")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode != 0
    assert "Traceback" in run.stderr and "InputError" in run.stderr


def test_a_closed_pipe_is_not_an_error_message() -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    err = io.StringIO()
    assert main(["stats"], out=ClosedPipe(), err=err) == 141  # as a shell reports SIGPIPE
    assert err.getvalue() == ""


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_an_ill_typed_literal_is_a_finding_not_a_library_warning(run_cli: Run, engine: str) -> None:
    # "flase"^^xsd:boolean is kept as written (Oxigraph's parser reads it on both engines, so
    # rdflib's "weird boolean" warning is never printed); the validation report names the flag
    result = run_cli("validate", "--data", str(DATA / "flag_typo.ttl"), "--store", engine)
    assert result.status == 1
    assert result.err.splitlines() == [
        "il32rdf validate: does NOT conform: 7 violation(s), 1 warning(s), 0 info(s)"
    ]
    assert "il32:negated must be the boolean" in result.out
