"""Push the release into a named graph of a SPARQL 1.1 store, and check that it arrived whole.

Two ways, both all-or-nothing on the store's side:

- **Graph Store Protocol** (default): one ``PUT`` of the graph as N-Triples to the store's GSP
  URL with ``?graph=IRI``. The body is streamed, so memory stays flat; the store replaces the
  graph in one transaction; ``PUT`` is idempotent, so publishing twice gives the same graph and a
  failed attempt is simply retried.
- **SPARQL Update** (``--method update``, or when a store has no GSP): the triples go in chunks
  of ``INSERT DATA`` into a fresh temporary graph, which then replaces the target in one
  ``MOVE`` request. A failure before the ``MOVE`` drops the temporary graph and leaves the target
  as it was. Blank nodes are skolemised first (``/.well-known/genid/``), because a blank-node
  label means nothing across requests.

Transient failures (connection errors, 429 and 5xx answers) are retried with exponential
back-off. Afterwards the remote triple count of the graph is compared with the local one.

Credentials never come from the command line: ``IL32RDF_STORE_USER`` and
``IL32RDF_STORE_PASSWORD`` (HTTP basic, or digest with ``IL32RDF_STORE_AUTH=digest``, which
Virtuoso's ``-auth`` endpoints use), or the machine's ``~/.netrc`` entry for the store's host.
The only module that makes HTTP requests to a store (httpx).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Final

import httpx
from rdflib import Graph

from il32rdf.engine import OxigraphStore
from il32rdf.errors import RemoteError, UsageError
from il32rdf.remote import store_auth
from il32rdf.turtle import rdflib_statements

__all__ = ["STORE_TYPES", "PublishResult", "StoreUrls", "publish", "remote_count", "store_urls"]

GENID: Final = "https://w3id.org/il32rdf/.well-known/genid/"


@dataclass(frozen=True)
class StoreUrls:
    """Where a store answers queries, serves its graphs (GSP) and takes updates."""

    query: str
    gsp: str | None
    update: str | None


def _oxigraph(query: str) -> StoreUrls:
    root = query.removesuffix("/query")
    return StoreUrls(query, root + "/store", root + "/update")


def _fuseki(query: str) -> StoreUrls:
    root = query.rsplit("/", 1)[0]  # http://host:3030/DATASET/{sparql,query}
    return StoreUrls(query, root + "/data", root + "/update")


def _virtuoso(query: str) -> StoreUrls:
    root = query.removesuffix("/sparql").removesuffix("/sparql-auth")
    authenticated = query.endswith("-auth")
    gsp = root + ("/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud")
    return StoreUrls(query, gsp, query)


def _graphdb(query: str) -> StoreUrls:
    return StoreUrls(query, query + "/rdf-graphs/service", query + "/statements")


STORE_TYPES: Final[dict[str, Callable[[str], StoreUrls]]] = {
    "oxigraph": _oxigraph,
    "fuseki": _fuseki,
    "virtuoso": _virtuoso,
    "graphdb": _graphdb,
}
"""How each known store lays out its URLs, from its SPARQL query endpoint."""


def store_urls(
    endpoint: str,
    store_type: str = "oxigraph",
    *,
    gsp: str | None = None,
    update: str | None = None,
) -> StoreUrls:
    """The URLs of a store: derived from its query endpoint for a known type, or given.

    :raises UsageError: unknown store type; the message lists the known ones.
    """
    if store_type not in STORE_TYPES:
        raise UsageError(f"unknown store type {store_type!r}; known: {', '.join(STORE_TYPES)}")
    derived = STORE_TYPES[store_type](endpoint.rstrip("/"))
    return StoreUrls(derived.query, gsp or derived.gsp, update or derived.update)


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did."""

    graph: str
    method: str
    local_triples: int
    remote_triples: int
    attempts: int
    seconds: float


def _describe_failure(url: str, response: httpx.Response) -> str:
    if response.status_code in (401, 403):
        return (
            f"the store refused the credentials ({response.status_code}) at {url}: set "
            "IL32RDF_STORE_USER and IL32RDF_STORE_PASSWORD, or a ~/.netrc entry for its host"
        )
    text = " ".join(response.text.split())[:300]
    return f"the store answered {response.status_code} at {url}: {text or response.reason_phrase}"


@dataclass
class _Retry:
    """How often to retry a transient failure, how long to wait, and how many requests went out."""

    retries: int
    backoff: float
    attempts: int = 0


def _request(
    client: httpx.Client,
    method: str,
    url: str,
    retry: _Retry,
    *,
    params: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    body: Callable[[], Iterator[bytes] | bytes] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One request, retried on connection errors, 429 and 5xx; raises RemoteError otherwise."""
    last = ""
    for attempt in range(retry.retries + 1):
        retry.attempts += 1
        try:
            response = client.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                content=body() if body is not None else None,  # a fresh stream every attempt
            )
        except httpx.TransportError as exc:
            last = f"cannot reach the store at {url}: {exc}"
        else:
            if response.status_code < 400:
                return response
            if response.status_code != 429 and response.status_code < 500:
                raise RemoteError(_describe_failure(url, response))
            last = _describe_failure(url, response)
        if attempt < retry.retries:
            time.sleep(retry.backoff * 2**attempt)
    raise RemoteError(f"{last} (gave up after {retry.retries + 1} attempts)")


def remote_count(client: httpx.Client, query_url: str, graph: str, retry: _Retry) -> int:
    """The number of triples in ``graph`` at the store.

    :raises RemoteError: the store cannot be queried or answers nonsense.
    """
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    response = _request(
        client,
        "POST",
        query_url,
        retry,
        data={"query": text},
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        return int(response.json()["results"]["bindings"][0]["n"]["value"])
    except (ValueError, KeyError, IndexError) as exc:
        raise RemoteError(f"the store's count query at {query_url} gave no number: {exc}") from None


def _skolem(statements: Iterable[tuple[str, str, str]]) -> list[str]:
    """Sorted N-Triples lines of ``statements`` (N-Triples term strings, from either engine),
    each blank node replaced by a well-known skolem IRI."""

    def term(text: str) -> str:
        return f"<{GENID}{text[2:]}>" if text.startswith("_:") else text

    return sorted(f"{term(s)} {p} {term(o)} .\n" for s, p, o in statements)


def _stream(lines: list[str], size: int = 1 << 16) -> Iterator[bytes]:
    buffer: list[str] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def publish(
    graph: Graph | OxigraphStore,
    urls: StoreUrls,
    graph_iri: str,
    *,
    which: str = "all",
    method: str = "gsp",
    chunk_triples: int = 50_000,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 600.0,
) -> PublishResult:
    """Replace the named graph ``graph_iri`` at the store with ``graph`` and verify the count.

    ``graph`` is an rdflib graph, or an Oxigraph store whose graph ``which`` (``ontology``,
    ``facts``, ``inferred`` or ``all``) is sent without passing through rdflib.

    :raises UsageError: the chosen method needs a URL the store does not have, or ``which``
        names no graph.
    :raises RemoteError: the store is unreachable, refuses, fails, or ends with a different
        triple count (the message says which).
    """
    if method not in ("gsp", "update"):
        raise UsageError(f"unknown method {method!r}; use gsp or update")
    if method == "gsp" and urls.gsp is None:
        raise UsageError(
            "this store has no Graph Store Protocol URL: give --gsp or --method update"
        )
    if method == "update" and urls.update is None:
        raise UsageError("this store has no SPARQL Update URL: give --update or --method gsp")
    started = time.perf_counter()
    lines = _skolem(
        rdflib_statements(graph) if isinstance(graph, Graph) else graph.statements(which)
    )
    retry = _Retry(retries, backoff)
    auth = store_auth()
    # a digest exchange sends the request again after the challenge: give it bytes, not a stream
    replayable = isinstance(auth, httpx.DigestAuth)
    with httpx.Client(auth=auth, timeout=timeout, trust_env=False) as client:
        if method == "gsp":
            assert urls.gsp is not None
            _request(
                client,
                "PUT",
                urls.gsp,
                retry,
                params={"graph": graph_iri},
                body=lambda: b"".join(_stream(lines)) if replayable else _stream(lines),
                headers={"Content-Type": "application/n-triples"},
            )
        else:
            assert urls.update is not None
            _update_in_chunks(client, urls.update, graph_iri, lines, chunk_triples, retry)
        remote = remote_count(client, urls.query, graph_iri, retry)
    if remote != len(lines):
        raise RemoteError(
            f"the store holds {remote} triples in <{graph_iri}> after publishing, not {len(lines)}:"
            " check the store's log; publishing again replaces the graph"
        )
    seconds = time.perf_counter() - started
    return PublishResult(graph_iri, method, len(lines), remote, retry.attempts, seconds)


def _update_in_chunks(
    client: httpx.Client,
    url: str,
    graph_iri: str,
    lines: list[str],
    chunk: int,
    retry: _Retry,
) -> None:
    scratch = f"{graph_iri}-upload-{uuid.uuid4().hex}"

    def update(text: str) -> None:
        _request(client, "POST", url, retry, data={"update": text})

    try:
        update(f"DROP SILENT GRAPH <{scratch}>")
        for start in range(0, len(lines), chunk):
            body = "".join(lines[start : start + chunk])
            update(f"INSERT DATA {{ GRAPH <{scratch}> {{\n{body}}} }}")
        update(f"MOVE SILENT GRAPH <{scratch}> TO <{graph_iri}>")
    except RemoteError:
        with contextlib.suppress(RemoteError):  # the first error is the one to report
            update(f"DROP SILENT GRAPH <{scratch}>")
        raise
