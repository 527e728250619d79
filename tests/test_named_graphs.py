"""Named graphs are data: N-Quads and TriG inputs keep their graphs on both engines, N-Quads and
TriG outputs keep them, the release's il32.nq loads back to the same bytes, and the writers
give every reader the same graph back (RDF/XML carriage returns and refusals, JSON-LD's
CURIE-looking IRIs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import CliResult

from il32rdf.export import RdfFormat, export
from il32rdf.store import open_store
from il32rdf.vocab import FACTS_GRAPH

Run = Callable[..., CliResult]
ENGINES = ("rdflib", "oxigraph")

USER_DATA = """
@prefix ex: <http://example.org/> .
ex:a ex:p "in the default graph" .
ex:g1 { ex:a ex:p _:shared . _:shared ex:q "a node in two graphs" . }
ex:g2 { ex:b ex:p _:shared . }
_:g3 { ex:c ex:p [ ex:q "nested in a graph named by a blank node" ] . }
"""


def _canonical(quads: list[ox.Quad]) -> set[str]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


@pytest.fixture
def trig(tmp_path: Path) -> Path:
    path = tmp_path / "user.trig"
    path.write_text(USER_DATA, encoding="utf-8")
    return path


def test_the_release_nquads_load_back_to_the_same_bytes(run_cli: Run, tmp_path: Path) -> None:
    release = tmp_path / "il32.nq"
    assert run_cli("export", "--format", "nquads", "-o", str(release)).status == 0
    trig = tmp_path / "il32.trig"
    assert run_cli("export", "--format", "trig", "-o", str(trig)).status == 0
    for engine in ENGINES:
        for source in (release, trig):
            for fmt, original in (("nquads", release), ("trig", trig)):
                again = run_cli(
                    "export", "--no-bundled", "--data", str(source), "--store", engine,
                    "--format", fmt,
                )  # fmt: skip
                assert again.status == 0, again.err
                assert again.out.encode("utf-8") == original.read_bytes(), (engine, source, fmt)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_files_named_graphs_are_kept(trig: Path, engine: str) -> None:
    store = open_store([trig], engine, bundled=False)
    graphs = store.named_graphs()
    assert "<http://example.org/g1>" in graphs and "<http://example.org/g2>" in graphs
    assert sum(1 for g in graphs if g.startswith("_:")) == 1
    assert store.counts()["facts"] == 1 and store.counts()["other"] == 5
    expected = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(str(FACTS_GRAPH)))
        if isinstance(q.graph_name, ox.DefaultGraph)
        else q
        for q in ox.parse(USER_DATA, ox.RdfFormat.TRIG)
    ]
    for fmt, reader in (
        (RdfFormat.NQUADS, ox.RdfFormat.N_QUADS),
        (RdfFormat.TRIG, ox.RdfFormat.TRIG),
    ):
        read = list(ox.parse(export(store, fmt), reader))
        assert _canonical(read) == _canonical(expected), fmt  # _:shared is one node in two graphs
    merged = {
        str(q.object) for q in ox.parse(export(store, RdfFormat.NTRIPLES), ox.RdfFormat.N_TRIPLES)
    }
    assert '"nested in a graph named by a blank node"' in merged


def test_a_triples_format_says_what_it_merged(run_cli: Run, trig: Path) -> None:
    merged = run_cli("export", "--no-bundled", "--data", str(trig), "--format", "turtle")
    assert merged.status == 0
    assert "merged: <https://w3id.org/il32rdf/graph/facts>, <http://example.org/g1>" in merged.err
    assert "1 named by a blank node" in merged.err
    kept = run_cli("export", "--no-bundled", "--data", str(trig), "--format", "trig")
    assert kept.status == 0 and kept.err == ""
    bundled = run_cli("export", "--format", "nt")
    assert bundled.status == 0 and "merged" not in bundled.err  # il32rdf's own three graphs


@pytest.mark.parametrize("engine", ENGINES)
def test_relative_iris_resolve_against_the_files_url(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "relative.ttl"
    path.write_text('<#a> <p> "x" .\n', encoding="utf-8")
    (line,) = open_store([path], engine, bundled=False).lines("facts")
    assert line == f'<{path.as_uri()}#a> <{tmp_path.as_uri()}/p> "x"'


@pytest.mark.parametrize("engine", ENGINES)
def test_a_carriage_return_survives_every_format(tmp_path: Path, engine: str) -> None:
    path = tmp_path / "crlf.nt"
    path.write_bytes(b'<http://example.org/s> <http://example.org/p> "one\\r\\ntwo" .\r\n')
    store = open_store([path], engine, bundled=False)
    for fmt, reader in (
        (RdfFormat.RDFXML, ox.RdfFormat.RDF_XML),
        (RdfFormat.JSONLD, ox.RdfFormat.JSON_LD),
        (RdfFormat.TURTLE, ox.RdfFormat.TURTLE),
    ):
        text = export(store, fmt)
        (quad,) = ox.parse(text, reader)
        assert quad.object.value == "one\r\ntwo", fmt  # type: ignore[union-attr]
    assert b"one&#13;\ntwo" in export(store, RdfFormat.RDFXML)


@pytest.mark.parametrize(
    ("statement", "reason"),
    [
        ('<http://example.org/s> <http://example.org/p> "bell \\u0007" .', "U+0007 is not allowed"),
        ("<http://example.org/s> <http://example.org/1> <http://example.org/o> .", "no XML name"),
        (
            "<http://example.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#li> <urn:x> .",
            "RDF/XML's own syntax",
        ),
    ],
)
def test_what_rdfxml_cannot_hold_is_refused_in_one_line(
    run_cli: Run, tmp_path: Path, statement: str, reason: str
) -> None:
    path = tmp_path / "data.nt"
    path.write_text(statement + "\n", encoding="utf-8")
    target = tmp_path / "out.owl"
    result = run_cli(
        "export", "--no-bundled", "--data", str(path), "--format", "xml", "-o", str(target)
    )
    assert result.status == 2 and reason in result.err
    assert len(result.err.strip().splitlines()) == 1 and not target.exists()


def test_a_property_splits_where_an_xml_name_ends_it(tmp_path: Path) -> None:
    path = tmp_path / "qname.nt"
    path.write_text("<http://example.org/s> <http://example/3.p> <http://example.org/o> .\n")
    text = export(open_store([path], bundled=False), RdfFormat.RDFXML)
    assert b'xmlns:ns1="http://example/3."' in text and b"<ns1:p " in text
    (quad,) = ox.parse(text, ox.RdfFormat.RDF_XML)
    assert quad.predicate.value == "http://example/3.p"


def test_jsonld_keeps_iris_that_look_like_curies(tmp_path: Path) -> None:
    path = tmp_path / "curie.nt"
    path.write_text(
        "<rdf:x> <rdf:y> <http://www.w3.org/1999/02/22-rdf-syntax-ns#z> .\n"
        "<http://purl.obolibrary.org/obo/GO_//a> <http://example.org/p> <urn:o> .\n"
    )
    store = open_store([path], bundled=False)
    read = {str(t) for t in ox.parse(export(store, RdfFormat.JSONLD), ox.RdfFormat.JSON_LD)}
    assert read == {
        "<rdf:x> <rdf:y> <http://www.w3.org/1999/02/22-rdf-syntax-ns#z>",
        "<http://purl.obolibrary.org/obo/GO_//a> <http://example.org/p> <urn:o>",
    }
