"""Export: every format round-trips, output is byte-identical across seeds, writes are atomic."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import il32rdf
from il32rdf.dataset import GRAPH_NAMES, graph_by_name
from il32rdf.errors import ExportError, UsageError
from il32rdf.export import RdfFormat, export
from il32rdf.files import write_atomic

RDFLIB_FORMAT = {
    RdfFormat.TURTLE: "turtle",
    RdfFormat.NTRIPLES: "nt",
    RdfFormat.JSONLD: "json-ld",
    RdfFormat.RDFXML: "xml",
}
OXIGRAPH_FORMAT = {
    RdfFormat.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    RdfFormat.JSONLD: pyoxigraph.RdfFormat.JSON_LD,
    RdfFormat.RDFXML: pyoxigraph.RdfFormat.RDF_XML,
}


def _explain(expected: Graph, actual: Graph) -> str:
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return f"missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMAT))
@pytest.mark.parametrize("graph", [*GRAPH_NAMES, "all"])
def test_round_trip_is_isomorphic(dataset: Dataset, fmt: RdfFormat, graph: str) -> None:
    original = graph_by_name(dataset, graph)
    parsed = Graph().parse(data=export(dataset, fmt, graph=graph), format=RDFLIB_FORMAT[fmt])
    assert isomorphic(original, parsed), _explain(original, parsed)


@pytest.mark.parametrize("fmt", list(OXIGRAPH_FORMAT))
def test_oxigraph_reads_every_format_with_the_same_count(dataset: Dataset, fmt: RdfFormat) -> None:
    expected = len(graph_by_name(dataset, "all"))
    data = export(dataset, fmt)
    assert sum(1 for _ in pyoxigraph.parse(data, format=OXIGRAPH_FORMAT[fmt])) == expected


@pytest.mark.skipif(
    shutil.which("rapper") is None and not os.environ.get("CI"),
    reason="Raptor (Debian raptor2-utils) is installed by `make setup`; required on CI",
)
@pytest.mark.parametrize(
    ("fmt", "name"),
    [(RdfFormat.TURTLE, "turtle"), (RdfFormat.NTRIPLES, "ntriples"), (RdfFormat.RDFXML, "rdfxml")],
)
def test_raptor_reads_the_export_with_the_same_count(
    dataset: Dataset, tmp_path: Path, fmt: RdfFormat, name: str
) -> None:
    path = tmp_path / f"out{fmt.file_extension}"
    export(dataset, fmt, path=path)
    run = subprocess.run(
        ["rapper", "-i", name, "-c", str(path)], capture_output=True, text=True, check=True
    )
    assert f"returned {len(graph_by_name(dataset, 'all'))} triples" in run.stderr


def test_nquads_keeps_the_named_graphs(dataset: Dataset) -> None:
    parsed = Dataset()
    parsed.parse(data=export(dataset, RdfFormat.NQUADS), format="nquads")
    for iri in GRAPH_NAMES.values():
        assert isomorphic(parsed.graph(iri), dataset.graph(iri)), iri


def test_turtle_is_readable(dataset: Dataset) -> None:
    text = export(dataset, RdfFormat.TURTLE, graph="facts").decode()
    assert text.startswith("@prefix ")
    assert "PREFIX " not in text
    # subjects are grouped: one block per claim, written with the project's prefixes
    assert text.count("\nfact:il32-not-osteoclast-activation\n") == 1
    assert "    rdf:subject uniprot:P24001 ;" in text
    assert not any(line != line.rstrip() for line in text.splitlines())


def test_jsonld_context_comes_from_the_prefix_map(dataset: Dataset) -> None:
    import json

    document = json.loads(export(dataset, RdfFormat.JSONLD, graph="facts"))
    context = document["@context"]
    assert context["CL"] == {"@id": "http://purl.obolibrary.org/obo/CL_", "@prefix": True}
    assert context["uniprot"] == "http://purl.uniprot.org/uniprot/"
    ids = [node["@id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids))  # one node object per subject
    negated = next(
        n for n in document["@graph"] if n["@id"] == "fact:il32-not-osteoclast-activation"
    )
    assert negated["il32:negated"] == [{"@value": "true", "@type": "xsd:boolean"}]
    assert negated["rdf:subject"] == [{"@id": "uniprot:P24001"}]


DIGEST_SCRIPT = """
import hashlib, sys
import il32rdf
dataset = il32rdf.load()
for fmt in il32rdf.RdfFormat:
    for graph in ("ontology", "facts", "inferred", "all"):
        data = il32rdf.export(dataset, fmt, graph=graph)
        print(fmt.value, graph, hashlib.sha256(data).hexdigest())
"""


def test_output_is_byte_identical_across_hash_seeds() -> None:
    digests = []
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", DIGEST_SCRIPT],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        digests.append(run.stdout)
    assert digests[0].count("\n") == len(RdfFormat) * 4
    assert digests[0] == digests[1] == digests[2]


def test_export_writes_to_a_file_atomically(dataset: Dataset, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.ttl"
    data = export(dataset, "turtle", graph="ontology", path=target)
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == ["out.ttl"]


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"previous release\n")

    def no_space(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(ExportError, match="No space left on device"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"previous release\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_write_into_a_path_under_a_file_is_an_export_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot write"):
        write_atomic(blocker / "out.ttl", b"data")
    assert blocker.read_text() == "x"


def test_unknown_format_and_graph_names_list_the_valid_ones(dataset: Dataset) -> None:
    with pytest.raises(UsageError, match="turtle, nt, json-ld, xml, nquads"):
        export(dataset, "yaml")
    with pytest.raises(UsageError, match="ontology, facts, inferred, all"):
        export(dataset, "turtle", graph="tbox")


def test_format_values_carry_media_types_and_extensions() -> None:
    assert RdfFormat.from_name("ttl") is RdfFormat.TURTLE
    assert RdfFormat.RDFXML.media_type == "application/rdf+xml"
    assert RdfFormat.JSONLD.file_extension == ".jsonld"


def test_user_data_is_exported_with_the_bundled_graph(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    dataset = il32rdf.load([extra])
    assert b"<http://example.org/a> <http://example.org/b> <http://example.org/c> ." in export(
        dataset, "nt", graph="facts"
    )


def test_the_writers_give_the_same_bytes_whatever_their_memo_and_spool_hold(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the memos of CURIEs, pairs and literals are emptied when full, and the Turtle and JSON-LD
    # bodies wait in a temporary file: neither may change a byte, even with a memo of 3
    # entries, a spool on disk from its first 100 bytes, read back 7 bytes at a time (so a
    # character of "Kölliker" is split between two reads)
    wanted = {fmt: export(dataset, fmt, graph="all") for fmt in RdfFormat}
    monkeypatch.setattr("il32rdf.ntterms.MEMO_LIMIT", 3)
    monkeypatch.setattr("il32rdf.spool.IN_MEMORY", 100)
    monkeypatch.setattr("il32rdf.spool._PIECE", 7)
    for fmt in RdfFormat:
        assert export(dataset, fmt, graph="all") == wanted[fmt], fmt
    assert "Kölliker".encode() in wanted[RdfFormat.TURTLE]


def test_a_spool_gives_its_text_back_in_order_with_its_holes_filled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from il32rdf.spool import Spool

    monkeypatch.setattr("il32rdf.spool.IN_MEMORY", 10)  # on disk from the start
    monkeypatch.setattr("il32rdf.spool._PIECE", 3)
    spool = Spool()
    pieces = ["é" * 7, "", "a😀b", "\n" * 4]
    for text in pieces:
        spool.write(text)
        spool.hole()
    with pytest.raises(ValueError, match="4 hole"):
        spool.read(["one"])
    filled = "".join(spool.read(["1", "", "3", "4"]))
    assert filled == "é" * 7 + "1" + "" + "a😀b" + "3" + "\n" * 4 + "4"
