"""Publishing into Virtuoso open source (opt-in: `pytest --virtuoso`, needs Debian's
virtuoso-opensource-7-bin). The test starts its own virtuoso-t on loopback ports in a temporary
directory, publishes by both methods with digest credentials, and checks the counts."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Dataset

from il32rdf.dataset import graph_by_name

pytestmark = pytest.mark.virtuoso

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
[SPARQL]
ResultSetMaxRows = 100000
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("virtuoso-t")
    assert binary, "install Debian's virtuoso-opensource-7-bin to run the Virtuoso tests"
    directory: Path = tmp_path_factory.mktemp("virtuoso")
    http = _free_port()
    (directory / "virtuoso.ini").write_text(INI.format(d=directory, sql=_free_port(), http=http))
    process = subprocess.Popen(
        [binary, "+configfile", str(directory / "virtuoso.ini"), "+foreground"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{http}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if (
                httpx.get(base + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code
                == 200
            ):
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError("virtuoso did not start")
        time.sleep(0.5)
    yield base
    process.terminate()
    process.wait(timeout=60)


def _count(base: str, graph: str) -> int:
    answer = httpx.post(
        base + "/sparql",
        data={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("method", ["gsp", "update"])
def test_publish_into_virtuoso(
    run_cli: Any,
    virtuoso: str,
    dataset: Dataset,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    engine: str,
) -> None:
    monkeypatch.setenv("IL32RDF_STORE_USER", "dba")
    monkeypatch.setenv("IL32RDF_STORE_PASSWORD", "dba")
    monkeypatch.setenv("IL32RDF_STORE_AUTH", "digest")
    graph = f"https://w3id.org/il32rdf/graph/release-{method}-{engine}"
    for _ in range(2):  # publishing twice replaces the graph
        result = run_cli(
            "publish",
            "--endpoint",
            virtuoso + "/sparql-auth",
            "--store-type",
            "virtuoso",
            "--method",
            method,
            "--graph",
            graph,
            "--store",
            engine,
        )
        assert result.status == 0, result.err
        assert _count(virtuoso, graph) == len(graph_by_name(dataset, "all"))
    # the same question, asked of the store, gets the local answer
    local = run_cli("query", "lineage", "--format", "csv")
    remote = run_cli(
        "query", "lineage", "--format", "csv", "--endpoint", virtuoso + "/sparql", "--graph", graph
    )
    assert remote.status == 0, remote.err
    assert remote.out == local.out and local.out.count("\n") > 1
