"""The on-disk Oxigraph store: loaded by Oxigraph once, reused while its inputs are unchanged."""

from __future__ import annotations

import json
import pickle
import threading
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset
from rdflib.namespace import VOID

import il32rdf
from il32rdf import resources
from il32rdf.claims import read_claims
from il32rdf.dataset import GRAPH_NAMES
from il32rdf.errors import InputError
from il32rdf.metadata import DATASET_IRI, describe_dataset
from il32rdf.prefixes import GRAPH_IRIS
from il32rdf.query import named_queries, query
from il32rdf.store import OxigraphStore, open_store
from il32rdf.terms import rdflib_statements

DATA = Path(__file__).parent / "data"


def _open(directory: Path, *extra: Path) -> tuple[OxigraphStore, bool]:
    store = open_store(extra, "oxigraph", directory)
    return store, store.reloaded


def test_the_store_answers_like_the_rdflib_graph(tmp_path: Path, dataset: Dataset) -> None:
    store, loaded = _open(tmp_path / "store")
    assert loaded
    assert len(store) == sum(len(g) for g in dataset.graphs() if len(g))
    for name in named_queries():
        assert query(store, name).rows == query(dataset, name).rows, name


def test_it_is_reused_until_an_input_changes(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> 1 .\n", encoding="utf-8")
    first, loaded = _open(tmp_path / "store", extra)
    assert loaded
    size = len(first)
    del first  # one process may hold the store at a time
    again, loaded = _open(tmp_path / "store", extra)
    assert not loaded and len(again) == size
    del again
    extra.write_text("<http://example.org/a> <http://example.org/b> 1, 2 .\n", encoding="utf-8")
    changed, loaded = _open(tmp_path / "store", extra)
    assert loaded and len(changed) == size + 1
    answer = query(changed, "SELECT ?o WHERE { <http://example.org/a> ?p ?o } ORDER BY ?o")
    assert [int(str(r[0])) for r in answer.rows] == [1, 2]


def test_a_malformed_file_leaves_no_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"malformed\.ttl:3:11: malformed Turtle: "):
        _open(tmp_path / "store", DATA / "malformed.ttl")
    assert not (tmp_path / "store" / "il32rdf-inputs.json").exists()
    store, loaded = _open(tmp_path / "store")  # the next open loads again, cleanly
    assert loaded and len(store) > 900
    manifest = json.loads((tmp_path / "store" / "il32rdf-inputs.json").read_text())
    assert manifest[0].startswith("il32rdf ") and len(manifest) == 1 + len(
        resources.ontology_files() + resources.fact_files()
    )


def test_cli_store_path(run_cli: Any, tmp_path: Path) -> None:
    directory = str(tmp_path / "store")
    first = run_cli("query", "chemokines", "--store-path", directory, "--format", "csv")
    assert first.status == 0 and "loaded" in first.err
    second = run_cli("query", "chemokines", "--store-path", directory, "--format", "csv")
    assert second.status == 0 and "reused" in second.err and second.out == first.out
    assert first.out.count("\n") == 3
    both = run_cli("query", "lineage", "--store-path", directory, "--endpoint", "http://x/q")
    assert both.status == 2 and "pick one" in both.err


# --- the claims' plain edges, derived while the files load ------------------------------------

_CLAIMS_A = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix il32: <https://w3id.org/il32rdf/ontology/> .
@prefix ex: <http://example.org/> .
_:c a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:b ; il32:negated false .
ex:zero a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object "0 flag" ;
    il32:negated "0"^^xsd:boolean .
ex:negated a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:no ;
    il32:negated true .
ex:two a il32:Claim ; rdf:subject ex:a, ex:a2 ; rdf:predicate ex:p ; rdf:object ex:two ;
    il32:negated false .
ex:flags a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:flags ;
    il32:negated false, true .
ex:blank a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object [] ; il32:negated false .
ex:untyped rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:untyped ; il32:negated false .
ex:split a il32:Claim ; rdf:subject ex:a .
"""
_CLAIMS_B = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix il32: <https://w3id.org/il32rdf/ontology/> .
@prefix ex: <http://example.org/> .
_:c a il32:Claim ; rdf:subject ex:c ; rdf:predicate ex:p ; rdf:object ex:d ; il32:negated false .
ex:split rdf:predicate ex:p ; rdf:object ex:split ; il32:negated false .
"""
_EDGES = {
    ("<http://example.org/a>", "<http://example.org/p>", "<http://example.org/b>"),
    ("<http://example.org/c>", "<http://example.org/p>", "<http://example.org/d>"),
    ("<http://example.org/a>", "<http://example.org/p>", '"0 flag"'),
    ("<http://example.org/a>", "<http://example.org/p>", "<http://example.org/split>"),
}


def test_both_engines_derive_the_same_plain_edges(tmp_path: Path) -> None:
    # blank-node claims with one label in two files are two claims; a claim may be spread over
    # files; the flag is false or 0, once; one subject, predicate and object, none blank
    files = [tmp_path / "a.ttl", tmp_path / "b.ttl"]
    files[0].write_text(_CLAIMS_A, encoding="utf-8")
    files[1].write_text(_CLAIMS_B, encoding="utf-8")
    store = open_store(files, "oxigraph", bundled=False)
    assert set(store.statements("inferred")) == _EDGES
    dataset = il32rdf.load(files, bundled=False)
    inferred = dataset.graph(GRAPH_NAMES["inferred"])
    assert set(rdflib_statements(inferred)) == _EDGES


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_an_ill_typed_flag_gives_no_edge(tmp_path: Path, engine: str) -> None:
    # rdflib's SPARQL reads an ill-typed boolean as false; the rule tells the flag by its text
    claims = tmp_path / "claims.ttl"
    claims.write_text(
        _CLAIMS_A.split("_:c a")[0]
        + """ex:junk a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:junk ;
    il32:negated "nope"^^xsd:boolean .
ex:upper a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:upper ;
    il32:negated "FALSE"^^xsd:boolean .
ex:ok a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:ok ;
    il32:negated "false"^^xsd:boolean .
ex:zero a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:zero ;
    il32:negated "0"^^xsd:boolean .
ex:one a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:one ;
    il32:negated "1"^^xsd:boolean .
""",
        encoding="utf-8",
    )
    store = open_store([claims], engine, bundled=False)
    edges = {o for _, _, o in store.statements("inferred")}
    assert edges == {"<http://example.org/ok>", "<http://example.org/zero>"}


def test_claims_in_other_named_graphs_give_no_edge(tmp_path: Path) -> None:
    quads = tmp_path / "claims.nq"
    claim = (
        "<http://example.org/{0}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/il32rdf/ontology/Claim> {1}.\n"
        "<http://example.org/{0}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> "
        "<http://example.org/a> {1}.\n"
        "<http://example.org/{0}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> "
        "<http://example.org/p> {1}.\n"
        "<http://example.org/{0}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> "
        "<http://example.org/{0}> {1}.\n"
        '<http://example.org/{0}> <https://w3id.org/il32rdf/ontology/negated> "false"'
        "^^<http://www.w3.org/2001/XMLSchema#boolean> {1}.\n"
    )
    quads.write_text(
        claim.format("default", "")
        + claim.format("facts", f"<{GRAPH_NAMES['facts']}> ")
        + claim.format("elsewhere", "<http://example.org/graph> "),
        encoding="utf-8",
    )
    store = open_store([quads], "oxigraph", bundled=False)
    assert {o for _, _, o in store.statements("inferred")} == {
        "<http://example.org/default>",
        "<http://example.org/facts>",
    }


def test_a_failed_load_stops_the_claims_thread(tmp_path: Path) -> None:
    big = tmp_path / "big.nt"
    line = "<http://example.org/s{0}> <http://example.org/p> <http://example.org/o> .\n"
    big.write_text("".join(line.format(n) for n in range(200_000)), encoding="utf-8")
    with pytest.raises(InputError, match="malformed"):
        open_store([big, DATA / "malformed.ttl"], "oxigraph", bundled=False)
    assert not [t for t in threading.enumerate() if t.name == "il32rdf-claim-edges"]


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_flag_written_1_is_negated_for_claims_and_the_description(
    tmp_path: Path, engine: str
) -> None:
    claim = (
        "ex:{0} a il32:Claim ; rdf:subject ex:a ; rdf:predicate ex:p ; rdf:object ex:{0} ;"
        ' il32:negated "{1}"^^xsd:boolean .\n'
    )
    claims = tmp_path / "claims.ttl"
    claims.write_text(
        _CLAIMS_A.split("_:c a")[0]
        + "".join(claim.format(f"p{n}", "0") for n in range(3))
        + claim.format("z-negated", "1"),
        encoding="utf-8",
    )
    store = open_store([claims], engine, bundled=False)
    negated = {str(c.iri) for c in read_claims(store) if c.negated}
    assert negated == {"http://example.org/z-negated"}
    # the description's examples: the first negated claim, then the first positive ones (were
    # "1" read as positive, z-negated would sort after the three of them and be left out)
    examples = {str(e) for e in describe_dataset(store).objects(DATASET_IRI, VOID.exampleResource)}
    assert examples == {
        "http://example.org/a",
        "http://example.org/p0",
        "http://example.org/p1",
        "http://example.org/z-negated",
    }


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_dumped_graph_reads_back_as_its_lines(tmp_path: Path, engine: str) -> None:
    # what the release's writer, a process of its own, gets of each graph: Oxigraph keeps the
    # value of "01" and "1.50", not their spelling; the dump must give them as written
    data = tmp_path / "data.ttl"
    data.write_text(
        "@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:a ex:n "01"^^xsd:integer , "1.50"^^xsd:decimal , "1"^^xsd:integer ;\n'
        '  ex:says "tab\\there, Kölliker \\u00e9 \\U0001F600"@en ; ex:b [ ex:c ex:d ] .\n',
        encoding="utf-8",
    )
    store = open_store([data], engine)
    assert engine == "rdflib" or store.respelt() is not None  # Oxigraph re-spelt them
    for number, term in enumerate(store.named_graphs()):
        dumped = store.dump_graph(term, tmp_path / f"{number}.nt")
        travelled = pickle.loads(pickle.dumps(dumped))  # as the writer gets it
        assert travelled.read() == store.graph_lines(term), term
    facts = store.graph_lines(f"<{GRAPH_IRIS['facts']}>")
    assert any('"01"^^' in line for line in facts) and any('"1.50"^^' in line for line in facts)


def test_oxigraph_rows_are_read_piece_by_piece_with_one_string_per_term() -> None:
    from il32rdf.store.tsvrows import TsvRows

    answer = (
        '?s\t?o\t?n\n<urn:a>\t"Kölliker \\t 😀"@en\t1.5\n<urn:a>\t\ttrue\n_:b\t<urn:a>\t2\n'
    ).encode()
    sink = TsvRows()
    for i in range(len(answer)):  # a byte at a time: lines and characters split across writes
        sink.write(answer[i : i + 1])
    decimal = '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert sink.rows == [
        ("<urn:a>", '"Kölliker \\t 😀"@en', decimal),
        ("<urn:a>", None, '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        ("_:b", "<urn:a>", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ]
    assert sink.rows[0][0] is sink.rows[1][0] is sink.rows[2][1]  # one object for the term
