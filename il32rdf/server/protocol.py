"""The SPARQL 1.1 Protocol, read-only: what a request asks (one query, its RDF dataset), the
checks that keep the endpoint to its own data, and the Service Description.

A query comes by ``GET ?query=``, by ``POST`` of ``application/x-www-form-urlencoded`` (the
dataset parameters in the body or the URL) or of ``application/sparql-query`` (UTF-8; the
dataset parameters in the URL). Exactly one query: two, or one in the URL and one in the body,
is a 400. ``default-graph-uri`` and ``named-graph-uri`` make the request's dataset, which
overrides the query's ``FROM`` and ``FROM NAMED``; a graph that is not served is an empty
graph, never fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs

from pyparsing import ParseException
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseUpdate
from starlette.requests import Request

from il32rdf.server.http import HttpError, read_body
from il32rdf.store.base import QueryDataset
from il32rdf.store.sparql import SPARQL_PARSER_LOCK, keywords
from il32rdf.vocab import GRAPH_NAMES, PREFIXES

__all__ = ["SparqlRequest", "check_read_only", "read_request", "refuse_update", "service_graph"]

_READ_ONLY: Final = "this endpoint is read-only: SPARQL Update is not accepted"
_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
_SD: Final = PREFIXES["sd"]
_FORMATS: Final = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class SparqlRequest:
    """What one request to the endpoint asks: a query (``None``: the Service Description) and
    the protocol's dataset (``None``: the query's own, or the default one)."""

    query: str | None
    dataset: QueryDataset | None = None


async def read_request(request: Request, max_body: int) -> SparqlRequest:
    """The query and dataset of a protocol request.

    :raises HttpError: 400 (an update, two queries, a graph that is not an IRI, a body that
        is not UTF-8), 413 (body too large), 415 (a body of another media type or charset).
    """
    url = parse_qs(request.url.query, keep_blank_values=True)
    if "update" in url:
        raise HttpError(400, _READ_ONLY)
    params = dict(url)
    queries = list(url.get("query", []))
    if request.method == "POST":
        media, charset = _content_type(request.headers.get("content-type", ""))
        if media == "application/sparql-update":
            raise HttpError(400, _READ_ONLY)
        if media not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            raise HttpError(
                415, "POST a query as application/sparql-query or application/x-www-form-urlencoded"
            )
        if charset not in (None, "utf-8", "utf8"):
            raise HttpError(415, f"the query must be UTF-8, not {charset}")
        body = _utf8(await read_body(request, max_body))
        if media == "application/sparql-query":
            queries.append(body)
        else:
            form = parse_qs(body, keep_blank_values=True)
            if "update" in form:
                raise HttpError(400, _READ_ONLY)
            queries += form.get("query", [])
            for key in ("default-graph-uri", "named-graph-uri"):
                params[key] = params.get(key, []) + form.get(key, [])
        if not queries:
            raise HttpError(400, "no query: give it as the body or as the query parameter")
    if len(queries) > 1:
        raise HttpError(400, f"give exactly one query, not {len(queries)}")
    return SparqlRequest(queries[0] if queries else None, _dataset(params))


def _content_type(header: str) -> tuple[str, str | None]:
    media, *parameters = (part.strip() for part in header.split(";"))
    charset = None
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise HttpError(400, f"the request body is not UTF-8 (byte {exc.start})") from None


def _dataset(params: dict[str, list[str]]) -> QueryDataset | None:
    default = params.get("default-graph-uri", [])
    named = params.get("named-graph-uri", [])
    for iri in (*default, *named):
        if not _IRI.fullmatch(iri):
            raise HttpError(400, f"the graph {iri!r} is not an IRI")
    if not default and not named:
        return None
    return QueryDataset(tuple(default), tuple(named))


def check_read_only(text: str) -> None:
    """Refuse ``SERVICE``: the endpoint queries only its own data and never reaches the network
    for a client. (``FROM`` is allowed: it names graphs of the store, an empty graph if absent.)

    :raises HttpError: 400 with the reason.
    """
    if "SERVICE" in keywords(text):
        raise HttpError(400, "SERVICE is not allowed: this endpoint queries only its own data")


def refuse_update(text: str) -> None:
    """After a query failed to parse: say so plainly if it is a SPARQL Update.

    :raises HttpError: 400, read-only.
    """
    try:
        with SPARQL_PARSER_LOCK:
            parseUpdate(text)
    except ParseException:
        return
    raise HttpError(400, _READ_ONLY)


def service_graph(endpoint: str) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``."""
    sd = Graph()
    node = BNode("service")
    sd.add((node, RDF.type, URIRef(_SD + "Service")))
    sd.add((node, URIRef(_SD + "endpoint"), URIRef(endpoint)))
    sd.add((node, URIRef(_SD + "supportedLanguage"), URIRef(_SD + "SPARQL11Query")))
    for feature in ("UnionDefaultGraph", "EmptyGraphs"):
        sd.add((node, URIRef(_SD + "feature"), URIRef(_SD + feature)))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        sd.add((node, URIRef(_SD + "resultFormat"), URIRef(_FORMATS + name)))
    default = BNode("dataset")
    sd.add((node, URIRef(_SD + "defaultDataset"), default))
    sd.add((default, RDF.type, URIRef(_SD + "Dataset")))
    for name, iri in GRAPH_NAMES.items():
        named = BNode(f"graph-{name}")
        sd.add((default, URIRef(_SD + "namedGraph"), named))
        sd.add((named, URIRef(_SD + "name"), iri))
        sd.add((named, RDFS.label, Literal(f"{name} graph")))
    return sd
