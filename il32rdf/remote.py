"""Queries sent to a remote SPARQL 1.1 endpoint over HTTP (the SPARQL Protocol).

The same named queries run against a store the release was published into: the project's
prefixes are declared in front of the query, parameters arrive already bound in the text (the
engine's ``VALUES`` binding), and ``default_graph`` becomes the protocol's ``default-graph-uri``
so that the published named graph is what the query sees. SELECT and ASK answers are read from
SPARQL 1.1 Query Results JSON, CONSTRUCT and DESCRIBE answers from N-Triples.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import httpx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.errors import QueryError, QueryTimeoutError, RemoteError, UsageError
from il32rdf.results import QueryResult, Row
from il32rdf.vocab import PREFIXES

__all__ = ["RemoteEndpoint", "run_remote", "store_auth"]

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


@dataclass(frozen=True)
class RemoteEndpoint:
    """A SPARQL endpoint URL, and the graph to use as the default graph (or the store's own)."""

    url: str
    default_graph: str | None = None


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


def run_remote(endpoint: RemoteEndpoint, text: str, *, timeout: float | None = None) -> QueryResult:
    """Send ``text`` (parameters already bound) to ``endpoint`` and read the answer.

    :raises QueryError: the endpoint rejected the query (400), with its message.
    :raises QueryTimeoutError: no answer within ``timeout`` seconds.
    :raises RemoteError: unreachable, refused, or an answer in a form this cannot read.
    """
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    form: dict[str, str] = {"query": prologue + text}
    if endpoint.default_graph is not None:
        form["default-graph-uri"] = endpoint.default_graph
    try:
        with httpx.Client(auth=store_auth(), timeout=timeout or 600.0, trust_env=False) as client:
            response = client.post(endpoint.url, data=form, headers={"Accept": _ACCEPT})
    except httpx.TimeoutException:
        raise QueryTimeoutError(
            f"the endpoint {endpoint.url} did not answer within {timeout:g} s"
        ) from None
    except httpx.TransportError as exc:
        raise RemoteError(f"cannot reach the endpoint {endpoint.url}: {exc}") from None
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
