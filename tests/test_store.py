"""The on-disk Oxigraph store: loaded by Oxigraph once, reused while its inputs are unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset

from il32rdf import resources
from il32rdf.engine import OxigraphStore
from il32rdf.errors import InputError
from il32rdf.query import named_queries, query

DATA = Path(__file__).parent / "data"


def _open(directory: Path, *extra: Path) -> tuple[OxigraphStore, bool]:
    store = OxigraphStore.load(extra, path=directory)
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
    with pytest.raises(InputError, match=r"malformed\.ttl: Oxigraph cannot load it"):
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
