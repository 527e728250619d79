"""Publishing into a real Oxigraph server on 127.0.0.1, and every way it can go wrong.

A small forwarding proxy, also on loopback, stands between il32rdf and the store when a test
needs the store to misbehave: fail the Nth update, refuse credentials, or lose a triple.
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import OWL, RDF, Dataset

from il32rdf.dataset import FACTS_GRAPH, graph_by_name
from il32rdf.publish import store_urls
from il32rdf.query import named_queries, query
from il32rdf.store.remote import RemoteStore

GRAPH = "https://w3id.org/il32rdf/graph/release"
# The Oxigraph server binary comes with the dev extra, beside this interpreter.
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh Oxigraph server; yields its base URL."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("oxigraph did not start") from None
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(timeout=10)


def remote(base: str, sparql: str) -> list[dict[str, Any]]:
    answer = httpx.post(
        base + "/query",
        data={"query": sparql},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    return list(answer.json()["results"]["bindings"])


def count(base: str, graph: str = GRAPH) -> int:
    rows = remote(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"]["value"])


def graphs(base: str) -> set[str]:
    return {r["g"]["value"] for r in remote(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}


@dataclass
class Proxy:
    """Forwards to the store, misbehaving as told; records what it saw."""

    upstream: str
    fail_update_number: int | None = None
    require_auth: str | None = None
    drop_last_line: bool = False
    updates: int = 0
    authorization: list[str] = field(default_factory=list)
    url: str = ""

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = _read_chunked(handler)
        self.authorization.append(handler.headers.get("Authorization", ""))
        if (
            self.require_auth is not None
            and handler.headers.get("Authorization") != self.require_auth
        ):
            return _answer(handler, 401, b"who are you?")
        if handler.path.startswith("/update"):
            self.updates += 1
            if self.updates == self.fail_update_number:
                return _answer(handler, 400, b"simulated failure in the middle of the upload")
        if method == "PUT" and self.drop_last_line:
            body = b"\n".join(body.rstrip(b"\n").split(b"\n")[:-1]) + b"\n"
        headers = {
            k: v
            for k, v in handler.headers.items()
            if k.lower() not in ("host", "content-length", "transfer-encoding", "authorization")
        }
        answer = httpx.request(
            method, self.upstream + handler.path, content=body, headers=headers, timeout=30
        )
        _answer(handler, answer.status_code, answer.content, answer.headers.get("content-type"))


def _read_chunked(handler: BaseHTTPRequestHandler) -> bytes:
    data = b""
    while True:
        size = int(handler.rfile.readline().strip() or b"0", 16)
        if size == 0:
            handler.rfile.readline()
            return data
        data += handler.rfile.read(size)
        handler.rfile.readline()


def _answer(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str | None = None
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype or "text/plain")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def proxy(store: str) -> Iterator[Callable[..., Proxy]]:
    servers: list[ThreadingHTTPServer] = []

    def start(**behaviour: Any) -> Proxy:
        state = Proxy(store, **behaviour)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                state.handle(self, "GET")

            def do_POST(self) -> None:
                state.handle(self, "POST")

            def do_PUT(self) -> None:
                state.handle(self, "PUT")

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        state.url = f"http://127.0.0.1:{server.server_address[1]}"
        return state

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_publish_by_graph_store_protocol_and_republish(
    run_cli: Any, store: str, dataset: Dataset
) -> None:
    local = len(graph_by_name(dataset, "all"))
    first = run_cli("publish", "--endpoint", store + "/query")
    assert first.status == 0, first.err
    assert f"published {local:,} triples to <{GRAPH}> by gsp" in first.out
    assert count(store) == local
    negated = remote(
        store,
        f"""SELECT ?flag WHERE {{ GRAPH <{GRAPH}> {{
        <https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation>
        <https://w3id.org/il32rdf/ontology/negated> ?flag }} }}""",
    )
    assert [r["flag"]["value"] for r in negated] == ["true"]
    again = run_cli("publish", "--endpoint", store + "/query")
    assert again.status == 0 and count(store) == local  # PUT replaces: idempotent


def test_publish_by_sparql_update_leaves_no_temporary_graph(
    run_cli: Any, store: str, dataset: Dataset
) -> None:
    target = GRAPH + "-by-update"
    result = run_cli(
        "publish", "--endpoint", store + "/query", "--method", "update", "--graph", target
    )
    assert result.status == 0, result.err
    assert count(store, target) == len(graph_by_name(dataset, "all"))
    assert not any("-upload-" in g for g in graphs(store))


def _remote_triples(base: str, graph: str) -> list[tuple[str, str, str]]:
    """The graph's triples, sorted, each skolem IRI written as ``genid`` (engines label apart)."""

    def scrub(text: str) -> str:
        return "genid" if text.startswith("https://w3id.org/il32rdf/.well-known/genid/") else text

    rows = remote(base, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return sorted(
        (scrub(r["s"]["value"]), r["p"]["value"], scrub(r["o"]["value"]) + r["o"]["type"])
        for r in rows
    )


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_the_oxigraph_engine_publishes_the_same_graph(
    run_cli: Any, store: str, dataset: Dataset, method: str
) -> None:
    sent = {}
    for engine in ("rdflib", "oxigraph"):
        target = f"{GRAPH}-from-{engine}-{method}"
        result = run_cli(
            "publish", "--endpoint", store + "/query", "--graph", target,
            "--store", engine, "--method", method,
        )  # fmt: skip
        assert result.status == 0, result.err
        sent[engine] = _remote_triples(store, target)
    assert len(sent["oxigraph"]) == len(graph_by_name(dataset, "all"))
    assert sent["oxigraph"] == sent["rdflib"]
    assert ("genid", str(RDF.type), str(OWL.Restriction) + "uri") in sent["oxigraph"]


def test_a_failure_mid_upload_leaves_the_graph_as_it_was(
    run_cli: Any, store: str, proxy: Callable[..., Proxy], dataset: Dataset
) -> None:
    target = GRAPH + "-half"
    facts_only = run_cli(
        "publish", "--endpoint", store + "/query", "--graph", target, "--which", "facts"
    )
    assert facts_only.status == 0
    before = count(store, target)
    broken = proxy(fail_update_number=3)  # DROP scratch, first INSERT, then the failure
    result = run_cli(
        "publish",
        "--endpoint",
        broken.url + "/query",
        "--method",
        "update",
        "--graph",
        target,
        "--retries",
        "0",
    )
    assert result.status == 2
    assert "simulated failure in the middle of the upload" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert count(store, target) == before == len(dataset.graph(FACTS_GRAPH))
    assert not any("-upload-" in g for g in graphs(store))


def test_unreachable_store(run_cli: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli("publish", "--endpoint", f"http://127.0.0.1:{port}/query", "--retries", "1")
    assert result.status == 2
    assert "cannot reach the store" in result.err and "gave up after 2 attempts" in result.err


def test_a_4xx_from_the_store_changes_nothing(run_cli: Any, store: str) -> None:
    run_cli("publish", "--endpoint", store + "/query")
    before = count(store)
    result = run_cli("publish", "--endpoint", store + "/query", "--gsp", store + "/no-such-path")
    assert result.status == 2 and "the store answered 404" in result.err
    assert count(store) == before


def test_credentials_come_from_the_environment(
    run_cli: Any, proxy: Callable[..., Proxy], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.netrc
    expected = "Basic " + base64.b64encode(b"curator:s3cret").decode()
    guarded = proxy(require_auth=expected)
    refused = run_cli("publish", "--endpoint", guarded.url + "/query")
    assert refused.status == 2
    assert "refused the credentials (401)" in refused.err and "IL32RDF_STORE_USER" in refused.err
    monkeypatch.setenv("IL32RDF_STORE_USER", "curator")
    monkeypatch.setenv("IL32RDF_STORE_PASSWORD", "s3cret")
    accepted = run_cli("publish", "--endpoint", guarded.url + "/query", "--graph", GRAPH + "-auth")
    assert accepted.status == 0, accepted.err
    assert expected in guarded.authorization


def test_a_store_that_loses_a_triple_fails_the_check(
    run_cli: Any, proxy: Callable[..., Proxy]
) -> None:
    lossy = proxy(drop_last_line=True)
    result = run_cli("publish", "--endpoint", lossy.url + "/query", "--graph", GRAPH + "-lossy")
    assert result.status == 2
    assert "triples in <" + GRAPH + "-lossy> after publishing, not" in result.err


def test_derived_urls_of_known_stores() -> None:
    assert store_urls("http://h:7878/query") == store_urls(
        "http://h:7878/query", "oxigraph", gsp="http://h:7878/store", update="http://h:7878/update"
    )
    fuseki = store_urls("http://h:3030/ds/sparql", "fuseki")
    assert (fuseki.gsp, fuseki.update) == ("http://h:3030/ds/data", "http://h:3030/ds/update")
    virtuoso = store_urls("http://h:8890/sparql", "virtuoso")
    assert (virtuoso.gsp, virtuoso.update) == (
        "http://h:8890/sparql-graph-crud",
        "http://h:8890/sparql",
    )
    graphdb = store_urls("http://h:7200/repositories/il32", "graphdb")
    assert graphdb.gsp == "http://h:7200/repositories/il32/rdf-graphs/service"
    assert graphdb.update == "http://h:7200/repositories/il32/statements"


def test_named_queries_answer_the_same_at_the_store(
    run_cli: Any, store: str, dataset: Dataset
) -> None:
    assert run_cli("publish", "--endpoint", store + "/query", "--graph", GRAPH + "-q").status == 0
    remote = RemoteStore(store + "/query", GRAPH + "-q")
    for name in named_queries():
        local_rows = query(dataset, name).rows
        assert query(remote, name).rows == local_rows, name
    secretions = run_cli(
        "query",
        "secretions",
        "--endpoint",
        store + "/query",
        "--graph",
        GRAPH + "-q",
        "--format",
        "csv",
    )
    assert secretions.status == 0 and secretions.out.count("\n") == 5
    unreachable = run_cli("query", "lineage", "--endpoint", "http://127.0.0.1:9/query")
    assert unreachable.status == 2 and "cannot reach the endpoint" in unreachable.err
