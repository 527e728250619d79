"""``il32rdf serve`` serves what ``build`` releases: by default the bundled graph with the
reasoner's inferences, or a built release directory (``serve DIR``); tested against the real
server process and the release files of a real build."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset
from served import Server, start_server

from il32rdf.build import build
from il32rdf.vocab import GRAPH_NAMES

pytestmark = pytest.mark.slow
JSON = {"Accept": "application/sparql-results+json"}
IL32 = "http://purl.uniprot.org/uniprot/P24001"


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("release") / "dist"
    result = build(output_dir=directory)
    assert result.stopped is None, result.stopped
    return directory


def _release_counts(release: Path) -> dict[str, int]:
    quads = Dataset()
    quads.parse(release / "il32.nq", format="nquads")
    return {name: len(quads.graph(iri)) for name, iri in GRAPH_NAMES.items()}


def _served_counts(server: Server) -> dict[str, int]:
    counts = {}
    for name, iri in GRAPH_NAMES.items():
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        answer = server.get("sparql", params={"query": text}, headers=JSON)
        counts[name] = int(answer.json()["results"]["bindings"][0]["n"]["value"])
    return counts


@pytest.fixture(scope="module")
def default_server() -> Iterator[Server]:
    yield from start_server()


def test_serve_answers_the_release_by_default(default_server: Server, release: Path) -> None:
    expected = _release_counts(release)
    assert expected["inferred"] > 100  # the reasoner's inferences are in the release
    assert _served_counts(default_server) == expected
    described = default_server.get(
        "describe", params={"iri": "uniprot:P24001"}, headers={"Accept": "application/n-triples"}
    )
    assert f"<{IL32}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" in described.text
    assert "<https://w3id.org/il32rdf/ontology/Cytokine>" in described.text


def test_serve_a_release_directory(release: Path) -> None:
    for server in start_server(str(release)):
        assert _served_counts(server) == _release_counts(release)


def test_serve_refuses_a_directory_that_is_no_release(
    tmp_path: Path, run_cli: Callable[..., Any]
) -> None:
    result = run_cli("serve", str(tmp_path))
    assert result.status == 2
    assert "not a release directory (no il32.nq)" in result.err
    assert len(result.err.strip().splitlines()) == 1
