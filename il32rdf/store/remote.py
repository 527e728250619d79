"""A SPARQL 1.1 store over HTTP (Oxigraph server, Fuseki, Virtuoso, GraphDB, QLever). The only
module that imports httpx.

Queries go to the store's query endpoint by the SPARQL Protocol: the project's prefixes are
declared in front of the query, parameters arrive bound in the text (the ``VALUES`` binding of
:mod:`il32rdf.store.sparql`), and ``default_graph`` becomes the protocol's ``default-graph-uri``
so that a published named graph is what the query sees. SELECT and ASK answers are read from
SPARQL 1.1 Query Results JSON, CONSTRUCT and DESCRIBE answers from N-Triples.

Writing (what ``publish`` does) replaces one named graph, all or nothing on the store's side:

- **Graph Store Protocol**: one ``PUT`` of N-Triples with ``?graph=IRI``, streamed; the store
  replaces the graph in one transaction, and ``PUT`` is idempotent;
- **SPARQL Update**: ``INSERT DATA`` in chunks into a fresh temporary graph, then one ``MOVE``
  onto the target; a failure before the ``MOVE`` drops the temporary graph.

Transient failures of those requests (connection errors, 429 and 5xx answers) are retried with
exponential back-off. Credentials never come from the command line: ``IL32RDF_STORE_USER`` and
``IL32RDF_STORE_PASSWORD`` (HTTP basic, or digest with ``IL32RDF_STORE_AUTH=digest``, which
Virtuoso's ``-auth`` endpoints use), or the machine's ``~/.netrc`` entry for the store's host.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from il32rdf.errors import QueryError, QueryTimeoutError, RemoteError, UsageError
from il32rdf.ntterms import NtTerm
from il32rdf.results import QueryResult, Row
from il32rdf.store.base import QueryDataset, Store, check_graph
from il32rdf.store.sparql import bind_by_values, used_bindings
from il32rdf.store.urls import STORE_TYPES, StoreUrls, store_urls
from il32rdf.terms import Statement, rdflib_statements, term_nt
from il32rdf.vocab import GRAPH_NAMES, PREFIXES

__all__ = ["STORE_TYPES", "RemoteStore", "StoreUrls", "store_auth", "store_urls"]

_ACCEPT: Final = "application/sparql-results+json, application/n-triples;q=0.9"


def store_auth() -> httpx.Auth | None:
    """Credentials for a store, never from the command line: ``IL32RDF_STORE_USER`` and
    ``IL32RDF_STORE_PASSWORD`` (HTTP basic, or digest with ``IL32RDF_STORE_AUTH=digest``, as
    Virtuoso's ``-auth`` endpoints want), else the store host's ``~/.netrc`` entry, else none.

    :raises UsageError: ``IL32RDF_STORE_AUTH`` is neither basic nor digest.
    """
    user, password = os.environ.get("IL32RDF_STORE_USER"), os.environ.get("IL32RDF_STORE_PASSWORD")
    if user is not None and password is not None:
        scheme = os.environ.get("IL32RDF_STORE_AUTH", "basic").lower()
        if scheme == "digest":
            return httpx.DigestAuth(user, password)
        if scheme != "basic":
            raise UsageError(f"IL32RDF_STORE_AUTH must be basic or digest, not {scheme!r}")
        return httpx.BasicAuth(user, password)
    if os.path.exists(os.path.expanduser("~/.netrc")):
        return httpx.NetRCAuth()
    return None


class RemoteStore(Store):
    """A SPARQL 1.1 store at ``url`` (its query endpoint, or all its :class:`StoreUrls`).

    ``default_graph``: the graph queries see as their default graph (``None``: the store's own).
    ``retries``, ``backoff`` and ``timeout`` govern the requests that write and count.
    """

    engine = "remote"

    def __init__(
        self,
        url: str | StoreUrls,
        default_graph: str | None = None,
        *,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 600.0,
    ) -> None:
        self.urls = url if isinstance(url, StoreUrls) else StoreUrls(url)
        self.url = self.urls.query
        self.default_graph = default_graph
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.attempts = 0
        """How many write or count requests went out, retries included."""

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r}, {self.default_graph!r})"

    # --- SPARQL ------------------------------------------------------------------------------

    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier | NtTerm] | None = None,
        *,
        timeout: float | None = None,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """The query is sent once (no retry); a 400 is the store's verdict on the query.
        ``dataset`` goes as the protocol's ``default-graph-uri`` and ``named-graph-uri``.

        :raises QueryError: the endpoint rejected the query (400), with its message.
        :raises QueryTimeoutError: no answer within ``timeout`` seconds.
        :raises RemoteError: unreachable, refused, or an answer in a form this cannot read.
        :raises UsageError: parameters given to a query without a WHERE group.
        """
        used = used_bindings(text, bindings)
        bound = bind_by_values(text, used) if used else text
        if bound is None:
            raise UsageError(
                "a remote endpoint takes parameters only in a query with a WHERE group"
            )
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        if base is not None:
            prologue = f"BASE <{base}>\n{prologue}"
        form: dict[str, str | list[str]] = {"query": prologue + bound}
        if dataset is not None:
            form["default-graph-uri"] = list(dataset.default)
            form["named-graph-uri"] = list(dataset.named)
        elif self.default_graph is not None:
            form["default-graph-uri"] = self.default_graph
        try:
            with httpx.Client(auth=store_auth(), timeout=timeout or 600.0, trust_env=False) as c:
                response = c.post(self.url, data=form, headers={"Accept": _ACCEPT})
        except httpx.TimeoutException:
            raise QueryTimeoutError(
                f"the endpoint {self.url} did not answer within {timeout:g} s"
            ) from None
        except httpx.TransportError as exc:
            raise RemoteError(f"cannot reach the endpoint {self.url}: {exc}") from None
        return _answer(self.url, response)

    def update(self, text: str) -> None:
        """Run the SPARQL update ``text`` at the store's update URL, retried on transient
        failures.

        :raises UsageError: the store has no update URL.
        :raises RemoteError: the store refuses or fails.
        """
        if self.urls.update is None:
            raise UsageError("this store has no SPARQL Update URL: give --update or --method gsp")
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        with self._client() as client:
            self._request(client, "POST", self.urls.update, data={"update": prologue + text})

    # --- statements ----------------------------------------------------------------------------

    def lines(self, graph: str = "all") -> list[str]:
        check_graph(graph)
        where = "?s ?p ?o" if graph == "all" else f"GRAPH <{GRAPH_NAMES[graph]}> {{ ?s ?p ?o }}"
        answer = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
        assert answer.graph is not None
        return sorted({" ".join(s) for s in rdflib_statements(answer.graph)})

    def add(self, graph: str, statements: Iterable[Statement]) -> None:
        check_graph(graph)
        if graph == "all":
            raise UsageError("statements are added to one named graph, not 'all'")
        lines = sorted(f"{s} {p} {o} .\n" for s, p, o in statements)
        with self._client() as client:
            self._insert(client, str(GRAPH_NAMES[graph]), lines, 50_000)

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        answer = self.query(f"SELECT DISTINCT ?o WHERE {{ {term_nt(subject)} <{predicate}> ?o }}")
        return sorted((o for (o,) in answer.rows if o is not None), key=str)

    def count(self, graph: str = "all") -> int:
        check_graph(graph)
        if graph == "all":
            return sum(self.count(name) for name in GRAPH_NAMES)
        with self._client() as client:
            return self.count_graph(client, str(GRAPH_NAMES[graph]))

    # --- writing a named graph -------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        return httpx.Client(auth=store_auth(), timeout=self.timeout, trust_env=False)

    def replace_graph(
        self, graph_iri: str, lines: list[str], *, method: str = "gsp", chunk: int = 50_000
    ) -> int:
        """Replace the named graph ``graph_iri`` with the N-Triples ``lines`` (each ending in
        `` .\\n``, no blank nodes), by ``gsp`` or ``update``; return how many statements the
        store then holds there.

        :raises UsageError: unknown method, or one the store has no URL for.
        :raises RemoteError: the store is unreachable, refuses or fails.
        """
        if method not in ("gsp", "update"):
            raise UsageError(f"unknown method {method!r}; use gsp or update")
        if method == "gsp" and self.urls.gsp is None:
            raise UsageError(
                "this store has no Graph Store Protocol URL: give --gsp or --method update"
            )
        if method == "update" and self.urls.update is None:
            raise UsageError("this store has no SPARQL Update URL: give --update or --method gsp")
        auth = store_auth()
        # a digest exchange sends the request again after the challenge: give it bytes
        replayable = isinstance(auth, httpx.DigestAuth)
        with httpx.Client(auth=auth, timeout=self.timeout, trust_env=False) as client:
            if method == "gsp":
                assert self.urls.gsp is not None
                self._request(
                    client,
                    "PUT",
                    self.urls.gsp,
                    params={"graph": graph_iri},
                    body=lambda: b"".join(_stream(lines)) if replayable else _stream(lines),
                    headers={"Content-Type": "application/n-triples"},
                )
            else:
                self._move_in(client, graph_iri, lines, chunk)
            return self.count_graph(client, graph_iri)

    def _move_in(self, client: httpx.Client, graph_iri: str, lines: list[str], chunk: int) -> None:
        scratch = f"{graph_iri}-upload-{uuid.uuid4().hex}"
        assert self.urls.update is not None
        update_url = self.urls.update

        def update(text: str) -> None:
            self._request(client, "POST", update_url, data={"update": text})

        try:
            update(f"DROP SILENT GRAPH <{scratch}>")
            self._insert(client, scratch, lines, chunk)
            update(f"MOVE SILENT GRAPH <{scratch}> TO <{graph_iri}>")
        except RemoteError:
            with contextlib.suppress(RemoteError):  # the first error is the one to report
                update(f"DROP SILENT GRAPH <{scratch}>")
            raise

    def _insert(self, client: httpx.Client, graph_iri: str, lines: list[str], chunk: int) -> None:
        if self.urls.update is None:
            raise UsageError("this store has no SPARQL Update URL: give --update")
        for start in range(0, len(lines), chunk):
            body = "".join(lines[start : start + chunk])
            text = f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}}} }}"
            self._request(client, "POST", self.urls.update, data={"update": text})

    def count_graph(self, client: httpx.Client, graph_iri: str) -> int:
        """The number of triples in the named graph ``graph_iri`` at the store.

        :raises RemoteError: the store cannot be queried or answers nonsense.
        """
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
        response = self._request(
            client,
            "POST",
            self.url,
            data={"query": text},
            headers={"Accept": "application/sparql-results+json"},
        )
        try:
            return int(response.json()["results"]["bindings"][0]["n"]["value"])
        except (ValueError, KeyError, IndexError) as exc:
            raise RemoteError(
                f"the store's count query at {self.url} gave no number: {exc}"
            ) from None

    def _request(
        self,
        client: httpx.Client,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        body: Callable[[], Iterator[bytes] | bytes] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One request, retried on connection errors, 429 and 5xx; RemoteError otherwise."""
        last = ""
        for attempt in range(self.retries + 1):
            self.attempts += 1
            try:
                response = client.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    content=body() if body is not None else None,  # a fresh stream each time
                )
            except httpx.TransportError as exc:
                last = f"cannot reach the store at {url}: {exc}"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code != 429 and response.status_code < 500:
                    raise RemoteError(_describe_failure(url, response))
                last = _describe_failure(url, response)
            if attempt < self.retries:
                time.sleep(self.backoff * 2**attempt)
        raise RemoteError(f"{last} (gave up after {self.retries + 1} attempts)")


def _describe_failure(url: str, response: httpx.Response) -> str:
    if response.status_code in (401, 403):
        return (
            f"the store refused the credentials ({response.status_code}) at {url}: set "
            "IL32RDF_STORE_USER and IL32RDF_STORE_PASSWORD, or a ~/.netrc entry for its host"
        )
    text = " ".join(response.text.split())[:300]
    return f"the store answered {response.status_code} at {url}: {text or response.reason_phrase}"


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


def _term(binding: dict[str, Any]) -> Node:
    kind, value = binding.get("type"), binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return Literal(value, lang=binding["xml:lang"])
        datatype = binding.get("datatype")
        return Literal(value, datatype=URIRef(datatype) if datatype else None)
    raise RemoteError(f"the endpoint answered an unknown term type {kind!r}")


def _answer(url: str, response: httpx.Response) -> QueryResult:
    message = " ".join(response.text.split())[:300]
    if response.status_code == 400:
        raise QueryError(f"the endpoint rejected the query: {message}")
    if response.status_code >= 400:
        raise RemoteError(f"the endpoint answered {response.status_code}: {message}")
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media in ("application/n-triples", "text/plain", "text/turtle"):
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph.parse(data=response.text, format="turtle" if media == "text/turtle" else "nt")
        return QueryResult.of_graph(graph)
    try:
        document = response.json()
    except ValueError:
        raise RemoteError(
            f"the endpoint answered {media or 'something'} this cannot read"
        ) from None
    if "boolean" in document:
        return QueryResult.ask(bool(document["boolean"]))
    columns = list(document["head"]["vars"])
    rows: list[Row] = [
        tuple(_term(b[c]) if c in b else None for c in columns)
        for b in document["results"]["bindings"]
    ]
    return QueryResult.select(columns, rows)
