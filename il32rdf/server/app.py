"""The routes of the server and the process that runs them."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar

import uvicorn
from rdflib import Dataset, URIRef
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route

from il32rdf.errors import UsageError
from il32rdf.export import RdfFormat, serialize, serialize_dataset
from il32rdf.metadata import describe_dataset
from il32rdf.negotiation import choose
from il32rdf.pages import query_page
from il32rdf.query import named_queries
from il32rdf.server.answers import Answers, ServerSettings
from il32rdf.server.fastpath import ResponseCache
from il32rdf.server.http import RDF_FORMATS, Answer, HttpError, handler, negotiate, respond
from il32rdf.server.linked import SUFFIXES, graph_answer, term_answer
from il32rdf.server.protocol import read_request, service_graph
from il32rdf.server.workers import listen, run_workers
from il32rdf.store import Store, as_store
from il32rdf.store.timelimit import start_limited
from il32rdf.vocab import BASE, GRAPH_NAMES, to_iri

__all__ = ["create_app", "serve"]

_T = TypeVar("_T")


async def _in_thread(func: Callable[[], _T]) -> _T:
    """Run the engine's work off the event loop (Oxigraph releases the GIL while it works)."""
    return await asyncio.get_running_loop().run_in_executor(None, func)


def _settle(done: asyncio.Future[None]) -> None:
    if not done.done():
        done.set_result(None)


class _Routes:
    """The request handlers, over the answers of one store."""

    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self.home = answers.settings.mount.rstrip("/") + "/"

    async def _limited(self, func: Callable[[], _T]) -> _T:
        """Run a query's work in a query thread under the endpoint's time limit, awaited
        here: one thread hop (the store's own limit is this one, see
        :mod:`~il32rdf.store.timelimit`).

        :raises HttpError: 503 when time is up (the work is stopped).
        """
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()

        def finished() -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed: nobody is waiting
                loop.call_soon_threadsafe(_settle, done)

        timeout = self.answers.settings.query_timeout
        job = start_limited(func, timeout, finished)
        try:
            await asyncio.wait_for(done, timeout)
        except TimeoutError:
            job.stop()
            raise self.answers.too_long() from None
        return job.result()

    async def sparql(self, request: Request) -> Response:
        asked = await read_request(request, self.answers.settings.max_body)
        accept = request.headers.get("accept")
        endpoint = str(request.url.replace(query="", fragment=""))
        if not asked.query:
            media, fmt = negotiate(accept, RDF_FORMATS, "RDF formats")
            return respond(request, Answer(serialize(service_graph(endpoint), fmt), media))
        text, dataset = asked.query, asked.dataset
        answer = await self._limited(lambda: self.answers.sparql(text, dataset, accept, endpoint))
        return respond(request, answer)

    async def named(self, request: Request) -> Response:
        name = request.path_params["name"]
        queries = named_queries()
        if name not in queries:
            raise HttpError(404, f"no named query {name!r}; known: {', '.join(sorted(queries))}")
        params = dict(request.query_params)
        accept = request.headers.get("accept")
        answer = await self._limited(lambda: self.answers.named(name, params, accept))
        return respond(request, answer)

    async def query_list(self, request: Request) -> Response:
        listing = [
            {
                "name": q.name,
                "title": q.title,
                "question": q.question,
                "url": f"{self.home}queries/{q.name}",
                "parameters": [
                    {"name": p.name, "default": p.default, "description": p.description}
                    for p in q.parameters
                ],
            }
            for q in sorted(named_queries().values(), key=lambda q: q.name)
        ]
        return JSONResponse(listing, headers={"Access-Control-Allow-Origin": "*"})

    async def home_page(self, request: Request) -> Response:
        return HTMLResponse(query_page(named_queries(), home=self.home))

    async def graph_store(self, request: Request) -> Response:
        name = request.path_params.get("name")
        iri = request.query_params.get("graph")
        accept = request.headers.get("accept")
        if name is not None and name not in GRAPH_NAMES:
            raise HttpError(404, f"no graph {name!r}; known: {', '.join(GRAPH_NAMES)}")
        if iri is not None:
            by_iri = {str(v): k for k, v in GRAPH_NAMES.items()}
            if iri not in by_iri:
                raise HttpError(404, f"no graph <{iri}>; known: {', '.join(sorted(by_iri))}")
            name = by_iri[iri]
        if name is None and "default" in request.query_params:
            name = "all"
        if name is not None:
            chosen = name
            answer = await _in_thread(lambda: graph_answer(self.answers, chosen, accept))
            return respond(request, answer)
        if choose(accept, [RdfFormat.NQUADS.media_type]) is None:
            raise HttpError(406, "the whole dataset is served as application/n-quads")
        store = self.answers.store
        answer = await _in_thread(
            lambda: self.answers.cache.get(
                ("dump",),
                lambda: Answer(
                    serialize_dataset(store, list(GRAPH_NAMES)), RdfFormat.NQUADS.media_type
                ),
            )
        )
        return respond(request, answer)

    async def void(self, request: Request) -> Response:
        origin = f"{request.url.scheme}://{request.url.netloc}"
        endpoint = f"{origin}{self.home}sparql"
        media, fmt = negotiate(request.headers.get("accept"), RDF_FORMATS, "RDF formats")
        graph = await _in_thread(
            lambda: describe_dataset(self.answers.store, sparql_endpoint=endpoint)
        )
        return respond(request, Answer(serialize(graph, fmt), media))

    async def dereference(self, request: Request) -> Response:
        path = request.path_params["path"]
        fixed = None
        for suffix, fmt in SUFFIXES.items():
            if path.endswith(suffix):
                path, fixed = path[: -len(suffix)], fmt
                break
        return await self._term(request, URIRef(BASE + path), fixed)

    async def describe(self, request: Request) -> Response:
        given = request.query_params.get("iri")
        if not given:
            raise HttpError(400, "give the term as ?iri=... (an IRI or a CURIE such as CL:0000092)")
        try:
            iri = to_iri(given)
        except UsageError as exc:
            raise HttpError(400, str(exc)) from None
        fixed = {
            "turtle": RdfFormat.TURTLE,
            "json-ld": RdfFormat.JSONLD,
            "n-triples": RdfFormat.NTRIPLES,
        }.get(request.query_params.get("format", ""))
        return await self._term(request, iri, fixed)

    async def _term(self, request: Request, iri: URIRef, fixed: RdfFormat | None) -> Response:
        accept = request.headers.get("accept")
        answer = await self._limited(
            lambda: term_answer(self.answers, self.home, iri, accept, fixed)
        )
        return respond(request, answer)


def create_app(source: Store | Dataset, settings: ServerSettings | None = None) -> ResponseCache:
    """The ASGI application serving ``source`` (any store; an rdflib dataset is served by rdflib,
    or copied once into the engine ``settings.engine`` names), repeated GETs answered first
    from memory (:class:`~il32rdf.server.fastpath.ResponseCache`)."""
    settings = settings or ServerSettings()
    routes = _Routes(Answers(as_store(source, settings.engine), settings))

    def route(
        path: str,
        func: Callable[[Request], Awaitable[Response]],
        methods: tuple[str, ...] = ("GET",),
    ) -> Route:
        return Route(path, handler(func), methods=[*methods, "OPTIONS"])

    table = [
        route("/", routes.home_page),
        route("/sparql", routes.sparql, ("GET", "POST")),
        route("/queries", routes.query_list),
        route("/queries/{name}", routes.named),
        route("/rdf-graphs", routes.graph_store),
        route("/rdf-graphs/{name}", routes.graph_store),
        route("/.well-known/void", routes.void),
        route("/describe", routes.describe),
        route("/{path:path}", routes.dereference),
    ]
    mount = settings.mount.rstrip("/")
    app = Starlette(routes=[Mount(mount, routes=table)] if mount else table)
    return ResponseCache(app, settings.cache_bytes)


def serve(
    source: Store | Dataset,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: ServerSettings | None = None,
    workers: int = 1,
    sock: socket.socket | None = None,
) -> int:
    """Serve ``source`` over HTTP until interrupted (uvicorn; ``workers`` processes forked
    after loading, see :mod:`~il32rdf.server.workers`) on ``sock`` if given, else on
    ``host``:``port``. 0 when stopped, 2 when a worker failed.

    :raises UsageError: ``host``:``port`` cannot be listened on.
    """
    sock = sock or listen(host, port)
    config = uvicorn.Config(
        create_app(source, settings),
        host=host,
        port=port,
        log_level="warning",
        limit_concurrency=64,
        timeout_keep_alive=5,
        server_header=False,
    )
    return run_workers(config, sock, workers)
