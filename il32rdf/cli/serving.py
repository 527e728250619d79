"""The commands that put the graph where others reach it: ``serve`` (HTTP) and ``publish``
(into a SPARQL store)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TextIO

from il32rdf.cli.common import (
    EXIT_OK,
    Parser,
    add_data_options,
    add_reasoner_options,
    add_store_options,
    open_data,
)
from il32rdf.errors import InputError, UsageError
from il32rdf.prefixes import BASE, GRAPH_IRIS
from il32rdf.store import Store, open_store
from il32rdf.store.urls import STORE_TYPES, store_urls

__all__ = ["add_commands"]


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """``serve`` and ``publish``."""
    _add_serve_command(commands)
    _add_publish_command(commands)


def _add_serve_command(commands: argparse._SubParsersAction[Parser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the graph: SPARQL 1.1 endpoint, dereferenceable IRIs, query page",
        description=(
            "Serve the graph over HTTP until interrupted: the SPARQL 1.1 Protocol at /sparql, "
            "the named queries at /queries/NAME, read-only Graph Store Protocol at /rdf-graphs, "
            "every project IRI as HTML or RDF by content negotiation, a VoID description at "
            "/.well-known/void and a query page at /. What is served is what build releases: "
            "the bundled graph (and --data) with the reasoner's inferences, reasoned once at "
            "start, or a built release directory (serve dist/). Read-only; binds loopback by "
            "default. Exit 0 when stopped (SIGINT, SIGTERM), 2 when the data cannot be loaded, "
            "the reasoner fails, the address cannot be listened on, or a worker fails."
        ),
    )
    serve.add_argument(
        "release",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="serve this release directory (what build wrote: its il32.nq) instead",
    )
    add_data_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback)")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
    add_store_options(serve)
    serve.add_argument(
        "--mount", default="/", help="path prefix when behind a reverse proxy, e.g. /il32rdf"
    )
    serve.add_argument(
        "--query-timeout", type=float, default=10.0, help="seconds per query (default: 10)"
    )
    serve.add_argument("--max-results", type=int, default=10_000, help="rows or triples per answer")
    serve.add_argument(
        "--max-body", type=int, default=100_000, help="bytes per request body (default: 100000)"
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="server processes, forked after loading and sharing the socket (default: one per "
        "core; 1: this process only)",
    )
    add_reasoner_options(serve)
    serve.add_argument(
        "--no-reasoning",
        action="store_true",
        help="serve the asserted statements only, without the reasoner's inferences",
    )
    serve.set_defaults(run=_run_serve)


def _served_store(args: argparse.Namespace, err: TextIO) -> Store:
    """The release: a built directory as it is, else the data with the reasoner's inferences."""
    if args.release is not None:
        release = args.release / "il32.nq"
        if not release.is_file():
            raise InputError(
                "not a release directory (no il32.nq): run il32rdf build", path=args.release
            )
        if args.data or args.no_bundled:
            raise UsageError(
                "serve DIR serves the release as built: it takes no --data or --no-bundled"
            )
        # the release is Oxigraph's own N-Quads: its parser reads it, named graphs kept
        engine = "oxigraph" if args.store == "auto" else args.store
        return open_store([release], engine, args.store_path, bundled=False)
    store = open_data(args, err)
    if not args.no_reasoning:
        from il32rdf.reason import add_inferences, reason

        started = time.perf_counter()
        result = reason(
            store, reasoner=args.reasoner, timeout=args.timeout, java_memory_mb=args.java_memory
        )
        if not result.ok:
            raise InputError(
                "the reasoner found clashes: nothing to serve (il32rdf reason explains)"
            )
        added = add_inferences(store, result)
        print(
            f"il32rdf: {result.reasoner} inferred {added:,} triples in"
            f" {time.perf_counter() - started:.1f} s",
            file=err,
        )
    return store


def _run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.server import ServerSettings, serve
    from il32rdf.server.workers import default_workers, listen

    if not args.mount.startswith("/"):
        raise UsageError(f"--mount must start with '/', not {args.mount!r}")
    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise UsageError(f"--workers must be at least 1, not {workers}")
    settings = ServerSettings(
        mount=args.mount,
        query_timeout=args.query_timeout,
        max_results=args.max_results,
        max_body=args.max_body,
    )
    store = _served_store(args, err)
    sock = listen(args.host, args.port)
    home = f"http://{args.host}:{args.port}{args.mount.rstrip('/')}/"
    processes = f"{workers} workers" if workers > 1 else "one process"
    print(
        f"il32rdf: serving on {home} (SPARQL endpoint {home}sparql, {processes}); Ctrl-C stops",
        file=err,
    )
    err.flush()
    return serve(store, settings=settings, workers=workers, sock=sock)


def _add_publish_command(commands: argparse._SubParsersAction[Parser]) -> None:
    pub = commands.add_parser(
        "publish",
        help="push the graph into a named graph of a SPARQL store and verify it",
        description=(
            "Replace a named graph of a SPARQL 1.1 store (Oxigraph server, Fuseki, Virtuoso, "
            "GraphDB) with the graph: by Graph Store Protocol PUT (default) or SPARQL Update "
            "into a temporary graph and MOVE; retried with back-off; then the remote triple "
            "count is checked. Credentials: IL32RDF_STORE_USER and IL32RDF_STORE_PASSWORD, or "
            "~/.netrc. Exit 0 published and verified, 2 on any failure (the remote graph is "
            "then either fully replaced or as it was)."
        ),
    )
    add_data_options(pub)
    pub.add_argument("--endpoint", required=True, help="the store's SPARQL query endpoint URL")
    pub.add_argument(
        "--graph",
        default=f"{BASE}graph/release",
        metavar="IRI",
        help="the named graph to replace (default: %(default)s)",
    )
    pub.add_argument(
        "--which",
        default="all",
        choices=[*GRAPH_IRIS, "all"],
        help="which part of the dataset to publish (default: all)",
    )
    pub.add_argument(
        "--store-type", choices=sorted(STORE_TYPES), default="oxigraph", help="derives the URLs"
    )
    pub.add_argument("--gsp", metavar="URL", help="the Graph Store Protocol URL, if not derived")
    pub.add_argument("--update", metavar="URL", help="the SPARQL Update URL, if not derived")
    pub.add_argument("--method", choices=["gsp", "update"], default="gsp", help="default: gsp")
    pub.add_argument("--retries", type=int, default=3, help="for transient failures (default 3)")
    pub.add_argument("--timeout", type=float, default=600.0, help="seconds per request")
    add_store_options(pub)
    pub.set_defaults(run=_run_publish)


def _run_publish(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.publish import publish

    urls = store_urls(args.endpoint, args.store_type, gsp=args.gsp, update=args.update)
    result = publish(
        open_data(args, err),
        urls,
        args.graph,
        which=args.which,
        method=args.method,
        retries=args.retries,
        timeout=args.timeout,
    )
    print(
        f"published {result.local_triples:,} triples to <{result.graph}> by {result.method}"
        f" in {result.seconds:.1f} s ({result.attempts} requests); the store holds"
        f" {result.remote_triples:,}: verified",
        file=out,
    )
    return EXIT_OK
