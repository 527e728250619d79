"""The linked-data server: SPARQL 1.1 Protocol, read-only Graph Store Protocol, dereferenceable
IRIs and pages for people. The only module that imports Starlette and uvicorn.

Routes, under a configurable mount point (``/`` by default, e.g. ``/il32rdf`` behind a proxy):

==============================  ===========================================================
``GET /``                       the query page (named queries, results as a table)
``GET|POST /sparql``            SPARQL 1.1 Protocol; without a query, the Service Description
``GET /queries``                the named queries (JSON)
``GET /queries/NAME?p=v``       a named query with bound parameters
``GET /rdf-graphs[/NAME]``      Graph Store Protocol, read-only (``?graph=IRI``, ``?default``;
                                without either, the whole dataset as N-Quads)
``GET /.well-known/void``       the VoID/DCAT description, with the endpoint
``GET /describe?iri=IRI``       the page of any term of the graph
``GET /PATH``                   the project IRI ``BASE + PATH``: HTML for browsers, RDF for
                                machines (``Accept``, or a ``.ttl``/``.jsonld``/``.nt``/``.rdf``
                                suffix)
==============================  ===========================================================

Safety: read-only (SPARQL Update is refused), no ``SERVICE`` (no request forgery through the
endpoint) and no ``FROM``/``FROM NAMED`` other than the dataset's own graphs (rdflib would fetch
them from the web), a time limit and a result-size limit per query, a request-body limit, and
errors as one-line messages with a 4xx/5xx status, never a stack trace.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import cast
from urllib.parse import parse_qs

import uvicorn
from pyparsing import ParseException
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from il32rdf.errors import Il32Error, QueryError, QueryTimeoutError, UsageError
from il32rdf.export import RdfFormat, export, serialize, serialize_dataset
from il32rdf.metadata import describe_dataset
from il32rdf.negotiation import choose
from il32rdf.pages import describe_url, query_page, term_page
from il32rdf.query import named_queries, query
from il32rdf.results import QueryResult, ResultFormat, write_results
from il32rdf.store import Store, as_store
from il32rdf.store.sparql import SPARQL_PARSER_LOCK
from il32rdf.vocab import BASE, GRAPH_NAMES, PREFIXES

__all__ = ["ServerSettings", "create_app", "serve"]

_RESULT_FORMATS = {
    fmt.media_type: fmt
    for fmt in (ResultFormat.JSON, ResultFormat.XML, ResultFormat.CSV, ResultFormat.TSV)
}
_RDF_FORMATS = {
    fmt.media_type: fmt
    for fmt in (RdfFormat.TURTLE, RdfFormat.JSONLD, RdfFormat.NTRIPLES, RdfFormat.RDFXML)
}
_log = logging.getLogger("il32rdf.server")
_SUFFIXES = {
    ".ttl": RdfFormat.TURTLE,
    ".jsonld": RdfFormat.JSONLD,
    ".nt": RdfFormat.NTRIPLES,
    ".rdf": RdfFormat.RDFXML,
}
_SD = PREFIXES["sd"]
_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class ServerSettings:
    """Limits and placement of the server."""

    mount: str = "/"
    engine: str | None = None
    """An rdflib dataset handed to :func:`create_app` is copied into this engine if given."""
    query_timeout: float = 10.0
    max_results: int = 10_000
    max_body: int = 100_000


class HttpError(Exception):
    """An answer other than 200: status and a one-line message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _walk(node: object) -> Iterable[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or (hasattr(node, "asList") and not isinstance(node, str)):
        for item in cast(Iterable[object], node):  # lists and pyparsing results
            yield from _walk(item)


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> object:
    """rdflib's parse tree of a query, cached by text (parsing costs 5 to 15 ms)."""
    with SPARQL_PARSER_LOCK:
        return parseQuery(text)


def check_read_only(text: str, allowed_graphs: Iterable[str]) -> None:
    """Refuse SPARQL Update, ``SERVICE``, and ``FROM`` graphs that are not the dataset's.

    :raises HttpError: 400 with the reason.
    """
    try:
        parsed = _parse(text)
    except ParseException as exc:
        try:
            with SPARQL_PARSER_LOCK:
                parseUpdate(text)
        except ParseException:
            raise HttpError(
                400, f"invalid SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"
            ) from None
        raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted") from None
    allowed = set(allowed_graphs)
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            raise HttpError(400, "SERVICE is not allowed: this endpoint queries only its own data")
        if node.name == "DatasetClause":
            for key in ("default", "named"):
                iri = node.get(key)
                if iri is not None and str(iri) not in allowed:
                    raise HttpError(
                        400,
                        f"FROM <{iri}> is not allowed: the graphs are {', '.join(sorted(allowed))}",
                    )


class _Service:
    """The store and the limits: what every request handler works with."""

    def __init__(self, store: Store, settings: ServerSettings) -> None:
        self.store = store
        self.settings = settings
        self.home = settings.mount.rstrip("/") + "/"

    def run_query(
        self, text: str | None = None, name: str | None = None, **params: str
    ) -> QueryResult:
        target = name if name is not None else text
        assert target is not None
        if name is None:
            check_read_only(target, (str(g) for g in GRAPH_NAMES.values()))
        try:
            result = query(
                self.store,
                target,
                timeout=self.settings.query_timeout,
                **params,
            )
        except QueryTimeoutError:
            raise HttpError(
                503, f"the query ran longer than {self.settings.query_timeout:g} s and was stopped"
            ) from None
        except (QueryError, UsageError) as exc:
            raise HttpError(400, str(exc)) from None
        size = len(result.graph) if result.graph is not None else len(result.rows)
        if size > self.settings.max_results:
            raise HttpError(
                400,
                f"the answer has {size} results, more than this endpoint's limit of "
                f"{self.settings.max_results}: add a LIMIT",
            )
        return result


def _error(exc: HttpError) -> Response:
    return PlainTextResponse(str(exc) + "\n", status_code=exc.status)


def _negotiated_result(result: QueryResult, accept: str | None) -> Response:
    if result.kind == "graph":
        assert result.graph is not None
        return _negotiated_graph(result.graph, accept)
    media = choose(accept, list(_RESULT_FORMATS))
    if media is None:
        raise HttpError(406, "acceptable result formats: " + ", ".join(_RESULT_FORMATS))
    body = write_results(result, _RESULT_FORMATS[media])
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _negotiated_store_graph(store: Store, name: str, accept: str | None) -> Response:
    """A named graph (or ``all``) of the store, written by the release writers."""
    media = choose(accept, list(_RDF_FORMATS))
    if media is None:
        raise HttpError(406, "acceptable RDF formats: " + ", ".join(_RDF_FORMATS))
    body = export(store, _RDF_FORMATS[media], graph=name)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _negotiated_graph(graph: Graph, accept: str | None, fixed: RdfFormat | None = None) -> Response:
    if fixed is not None:
        return Response(serialize(graph, fixed), media_type=fixed.media_type)
    media = choose(accept, list(_RDF_FORMATS))
    if media is None:
        raise HttpError(406, "acceptable RDF formats: " + ", ".join(_RDF_FORMATS))
    return Response(
        serialize(graph, _RDF_FORMATS[media]), media_type=media, headers={"Vary": "Accept"}
    )


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HttpError(413, f"request body larger than {limit} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HttpError(413, f"request body larger than {limit} bytes")
    return body


def _handler(
    func: Callable[[_Service, Request], Awaitable[Response]], service: _Service
) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return await func(service, request)
        except HttpError as exc:
            return _error(exc)
        except Il32Error as exc:
            return _error(HttpError(400, str(exc)))
        except Exception as exc:  # never a stack trace to the client; the operator's log has it
            _log.exception("internal error answering %s %s", request.method, request.url.path)
            return _error(HttpError(500, f"internal error: {type(exc).__name__}"))

    return endpoint


async def _in_thread(func: Callable[[], Response]) -> Response:
    return await asyncio.get_running_loop().run_in_executor(None, func)


async def _sparql(service: _Service, request: Request) -> Response:
    text: str | None = request.query_params.get("query")
    if "update" in request.query_params:
        raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
    if request.method == "POST":
        body = await _body(request, service.settings.max_body)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/sparql-query":
            text = body.decode("utf-8", errors="replace")
        elif content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", errors="replace"))
            if "update" in form:
                raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
            text = (form.get("query") or [""])[0] or None
        elif content_type == "application/sparql-update":
            raise HttpError(400, "this endpoint is read-only: SPARQL Update is not accepted")
        else:
            raise HttpError(
                415, "POST a query as application/sparql-query or application/x-www-form-urlencoded"
            )
    accept = request.headers.get("accept")
    if not text:
        return _negotiated_graph(_service_description(service, request), accept)
    query_text = text
    return await _in_thread(lambda: _negotiated_result(service.run_query(query_text), accept))


async def _named(service: _Service, request: Request) -> Response:
    name = request.path_params["name"]
    queries = named_queries()
    if name not in queries:
        raise HttpError(404, f"no named query {name!r}; known: {', '.join(sorted(queries))}")
    params = dict(request.query_params)
    accept = request.headers.get("accept")
    return await _in_thread(
        lambda: _negotiated_result(service.run_query(name=name, **params), accept)
    )


async def _query_list(service: _Service, request: Request) -> Response:
    listing = [
        {
            "name": q.name,
            "title": q.title,
            "question": q.question,
            "url": f"{service.home}queries/{q.name}",
            "parameters": [
                {"name": p.name, "default": p.default, "description": p.description}
                for p in q.parameters
            ],
        }
        for q in sorted(named_queries().values(), key=lambda q: q.name)
    ]
    return JSONResponse(listing)


async def _home(service: _Service, request: Request) -> Response:
    return HTMLResponse(query_page(named_queries(), home=service.home))


async def _graph_store(service: _Service, request: Request) -> Response:
    name = request.path_params.get("name")
    iri = request.query_params.get("graph")
    accept = request.headers.get("accept")
    if name is not None:
        if name not in GRAPH_NAMES:
            raise HttpError(404, f"no graph {name!r}; known: {', '.join(GRAPH_NAMES)}")
        return _negotiated_store_graph(service.store, name, accept)
    if iri is not None:
        by_iri = {str(v): k for k, v in GRAPH_NAMES.items()}
        if iri not in by_iri:
            raise HttpError(404, f"no graph <{iri}>; known: {', '.join(sorted(by_iri))}")
        return _negotiated_store_graph(service.store, by_iri[iri], accept)
    if "default" in request.query_params:
        return _negotiated_store_graph(service.store, "all", accept)
    if choose(accept, [RdfFormat.NQUADS.media_type]) is None:
        raise HttpError(406, "the whole dataset is served as application/n-quads")
    return Response(
        serialize_dataset(service.store, list(GRAPH_NAMES)),
        media_type=RdfFormat.NQUADS.media_type,
    )


def _service_description(service: _Service, request: Request) -> Graph:
    sd = Graph()
    node = BNode("service")
    endpoint = URIRef(str(request.url.replace(query="", fragment="")))
    sd.add((node, RDF.type, URIRef(_SD + "Service")))
    sd.add((node, URIRef(_SD + "endpoint"), endpoint))
    sd.add((node, URIRef(_SD + "supportedLanguage"), URIRef(_SD + "SPARQL11Query")))
    sd.add((node, URIRef(_SD + "feature"), URIRef(_SD + "UnionDefaultGraph")))
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


async def _void(service: _Service, request: Request) -> Response:
    origin = f"{request.url.scheme}://{request.url.netloc}"
    endpoint = f"{origin}{service.home}sparql"
    return _negotiated_graph(
        describe_dataset(service.store, sparql_endpoint=endpoint), request.headers.get("accept")
    )


_MENTIONS = (
    "SELECT DISTINCT ?claim WHERE { ?claim a il32:Claim ; ?role ?term VALUES ?role { rdf:subject"
    " rdf:object il32:cellType il32:producedMolecule il32:cellLine } FILTER isIRI(?claim) }"
)


def _term_graph(store: Store, term: URIRef, *, incoming: bool = False) -> Graph:
    """The term's own statements (with their blank nodes: a concise bounded description), the
    claims that mention it, the labels of every IRI there, and with ``incoming`` the
    statements that point to it (at most 200)."""
    mentions = [c for (c,) in store.query(_MENTIONS, {"term": term}).rows]
    described = " ".join(f"<{node}>" for node in [term, *mentions])
    answer = store.query(f"DESCRIBE {described}")
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in answer.graph or ():
        out.add(triple)
    if incoming:
        rows = store.query(
            "SELECT DISTINCT ?s ?p WHERE { ?s ?p ?term FILTER isIRI(?s) } LIMIT 200",
            {"term": term},
        ).rows
        for s, p in rows:
            out.add((s, p, term))  # type: ignore[arg-type]
    iris = sorted({t for triple in out for t in triple if isinstance(t, URIRef)})
    for start in range(0, len(iris), 500):
        values = " ".join(f"<{iri}>" for iri in iris[start : start + 500])
        labels = store.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x rdfs:label ?l }}")
        for iri, label in labels.rows:
            out.add((iri, RDFS.label, label))  # type: ignore[arg-type]
    return out


def _term_response(
    service: _Service, request: Request, term: URIRef, fixed: RdfFormat | None
) -> Response:
    known = service.store.query("ASK { { ?term ?p ?o } UNION { ?s ?p ?term } }", {"term": term})
    if not known.boolean:
        raise HttpError(404, f"<{term}> is not in this graph")
    accept = request.headers.get("accept")
    if (
        fixed is None
        and choose(accept, ["text/turtle", "text/html"]) == "text/html"
        and (choose(accept, ["text/html", *list(_RDF_FORMATS)]) == "text/html")
    ):
        base = describe_url(service.home, term)
        links = {"Turtle": base + ".ttl", "JSON-LD": base + ".jsonld", "N-Triples": base + ".nt"}
        if not str(term).startswith(BASE):
            links = {k: f"{base}&format={k.lower()}" for k in links}
        page = term_page(
            _term_graph(service.store, term, incoming=True),
            term,
            linker=lambda t: describe_url(service.home, t),
            home=service.home,
            rdf_links=links,
        )
        return HTMLResponse(page, headers={"Vary": "Accept"})
    return _negotiated_graph(_term_graph(service.store, term), accept, fixed)


async def _dereference(service: _Service, request: Request) -> Response:
    path = request.path_params["path"]
    fixed = None
    for suffix, fmt in _SUFFIXES.items():
        if path.endswith(suffix):
            path, fixed = path[: -len(suffix)], fmt
            break
    return await _in_thread(lambda: _term_response(service, request, URIRef(BASE + path), fixed))


async def _describe(service: _Service, request: Request) -> Response:
    iri = request.query_params.get("iri")
    if not iri:
        raise HttpError(400, "give the term as ?iri=...")
    fixed = {
        "turtle": RdfFormat.TURTLE,
        "json-ld": RdfFormat.JSONLD,
        "n-triples": RdfFormat.NTRIPLES,
    }.get(request.query_params.get("format", ""))
    return await _in_thread(lambda: _term_response(service, request, URIRef(iri), fixed))


def create_app(source: Store | Dataset, settings: ServerSettings | None = None) -> Starlette:
    """The ASGI application serving ``source`` (any store; an rdflib dataset is served by rdflib,
    or copied once into the engine ``settings.engine`` names)."""
    settings = settings or ServerSettings()
    service = _Service(as_store(source, settings.engine), settings)

    def route(
        path: str,
        func: Callable[[_Service, Request], Awaitable[Response]],
        methods: list[str] | None = None,
        name: str | None = None,
    ) -> Route:
        return Route(path, _handler(func, service), methods=methods or ["GET"], name=name)

    routes = [
        route("/", _home),
        route("/sparql", _sparql, ["GET", "POST"], name="sparql"),
        route("/queries", _query_list),
        route("/queries/{name}", _named),
        route("/rdf-graphs", _graph_store),
        route("/rdf-graphs/{name}", _graph_store),
        route("/.well-known/void", _void),
        route("/describe", _describe),
        route("/{path:path}", _dereference),
    ]
    mount = settings.mount.rstrip("/")
    return Starlette(routes=[Mount(mount, routes=routes)] if mount else routes)


def serve(
    source: Store | Dataset,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ServerSettings | None = None,
) -> None:
    """Serve ``source`` over HTTP until interrupted (uvicorn, one process)."""
    config = uvicorn.Config(
        create_app(source, settings),
        host=host,
        port=port,
        log_level="warning",
        limit_concurrency=64,
        timeout_keep_alive=5,
        server_header=False,
    )
    uvicorn.Server(config).run()
