"""A query answered from the command line loads only what it needs: no rdflib, pySHACL,
owlready2, HTTP client or server; and the answers it writes from N-Triples term strings are the
bytes the writers make of rdflib terms."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest
from rdflib import BNode, Literal, URIRef

import il32rdf.cli as cli
from il32rdf.query import named_queries, query
from il32rdf.results import QueryResult, ResultFormat, write_results
from il32rdf.store import open_store

_LOADED = """
import json, sys
from il32rdf.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
heavy = sorted(
    name for name in sys.modules
    if name.split(".")[0] in {"rdflib", "pyshacl", "owlready2", "httpx", "pylode", "pyparsing"}
    or name.startswith(("il32rdf.server", "il32rdf.reason.", "il32rdf.validate", "il32rdf.export"))
)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def _run_alone(*argv: str) -> tuple[bytes, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *argv], capture_output=True, check=False, timeout=120
    )
    report = json.loads(done.stderr.decode("utf-8").strip().splitlines()[-1])
    return done.stdout, report


@pytest.mark.parametrize("fmt", [f.value for f in ResultFormat])
def test_a_named_query_loads_no_rdflib_and_writes_what_rdflib_terms_give(fmt: str) -> None:
    out, report = _run_alone("query", "secretions", "--format", fmt)
    assert report == {"code": 0, "heavy": []}
    answer = query(open_store(), "secretions")
    assert answer.kind == "select" and len(answer) > 0
    assert out == write_results(QueryResult.select(answer.columns, answer.rows), fmt)


def test_an_ask_and_a_free_query_load_no_rdflib() -> None:
    out, report = _run_alone("query", "--sparql", "ASK { ?c a il32:Claim }")
    assert report == {"code": 0, "heavy": []}
    assert out == b"true\n"
    out, report = _run_alone(
        "query", "--sparql", "SELECT ?x WHERE { ?x rdfs:label ?l } LIMIT 1", "--format", "csv"
    )
    assert report == {"code": 0, "heavy": []}
    assert out.startswith(b"x\r\n")


_ODD_TERMS = """
SELECT ?term ?none WHERE {
  VALUES ?term {
    <http://example.org/a%20b#x>
    "plain" "tab\\there \\"quoted\\" and \\\\ and\\nnew line" "é ☃ 😀"
    "hello"@EN-gb "5"^^xsd:integer "01"^^xsd:integer "flase"^^xsd:boolean
    "x"^^<http://example.org/datatype> "<&>"
  }
} ORDER BY STR(?term)
"""


def test_the_writers_read_strings_and_rdflib_terms_alike() -> None:
    """Every named query and odd literals (escapes, tags, datatypes, unbound), every format."""
    store = open_store(engine="oxigraph")
    answers = [query(store, name) for name in named_queries()]
    answers.append(store.query(_ODD_TERMS))
    answers.append(store.query("SELECT ?b WHERE { ?c a il32:Claim BIND(BNODE() AS ?b) } LIMIT 2"))
    for answer in answers:
        if answer.kind != "select":
            continue
        assert answer.cells() is not answer.rows  # still N-Triples strings
        as_terms = QueryResult.select(answer.columns, answer.rows)
        for fmt in ResultFormat:
            assert write_results(answer, fmt) == write_results(as_terms, fmt), fmt
            assert write_results(answer, fmt, compact=True) == write_results(
                as_terms, fmt, compact=True
            )
        assert answer == as_terms
    odd = answers[-2]
    assert Literal("hello", lang="en-gb") in odd.column("term")
    assert Literal("01", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")) in {
        t for t in odd.column("term") if isinstance(t, Literal)
    }
    assert set(odd.column("none")) == {None}
    assert all(isinstance(b, BNode) for b in answers[-1].column("b"))


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_text_parameters_bind_as_rdflib_terms_do(engine: str) -> None:
    store = open_store(engine=engine)
    as_text = query(store, "secretions", cytokine="uniprot:P24001")
    as_term = query(store, "secretions", cytokine=URIRef("http://purl.uniprot.org/uniprot/P24001"))
    assert as_text == as_term and len(as_text) > 0
    by_label = "# param: label (literal)\nSELECT ?x WHERE { ?x rdfs:label ?label }"
    as_term = query(store, by_label, label=Literal("interleukin-32 (human)"))
    as_text = query(store, by_label, label="interleukin-32 (human)")
    assert as_text == as_term and len(as_text) == 1
    assert len(query(store, by_label, label='a"b\\c\nd }')) == 0


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


def test_the_command_table_equals_the_modules_parsers() -> None:
    assert _commands(cli._build_parser()) == list(cli.COMMANDS)
    for module in dict.fromkeys(cli.COMMANDS.values()):
        own = [c for c, m in cli.COMMANDS.items() if m == module]
        for command in own:
            assert _commands(cli._build_parser(command)) == own
    assert cli._command(["--debug", "query", "x"]) == "query"
    assert cli._command(["--help"]) is None and cli._command([]) is None
