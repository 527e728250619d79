"""The commands that ask questions: ``query`` (named, a file, or free SPARQL) and ``queries``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TextIO

from il32rdf.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Parser,
    add_data_options,
    add_store_options,
    open_data,
    write_out,
)
from il32rdf.errors import UsageError
from il32rdf.store import Store

__all__ = ["add_commands"]

_RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
_GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """``query`` and ``queries``."""
    qry = commands.add_parser(
        "query",
        help="answer a named competency query, a .rq file or free SPARQL",
        description=(
            "Run a named query (see 'il32rdf queries'), a .rq file, SPARQL read from stdin "
            "('-'), or --sparql TEXT on the graph. Parameters are bound, never pasted into "
            "the query. SELECT answers in table, csv, tsv, json or xml (the W3C SPARQL result "
            "formats); CONSTRUCT and DESCRIBE answers in turtle, nt, json-ld or xml (RDF/XML)."
        ),
        epilog="Exit status: 0 ok (or ASK true), 1 ASK false, 2 error.",
    )
    add_data_options(qry)
    qry.add_argument("query", nargs="?", metavar="NAME|FILE.rq|-", help="the query to run")
    qry.add_argument("--sparql", metavar="TEXT", help="the SPARQL query itself")
    qry.add_argument(
        "--param",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="bind a parameter (an IRI, a CURIE such as CL:0000576, or text); repeatable",
    )
    qry.add_argument(
        "--format",
        metavar="FORMAT",
        help=(
            f"SELECT/ASK: {', '.join(_RESULT_FORMATS)} (default table); "
            f"CONSTRUCT/DESCRIBE: {', '.join(_GRAPH_FORMATS)} (default turtle)"
        ),
    )
    add_store_options(qry)
    qry.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="stop the query after SECONDS"
    )
    qry.add_argument(
        "--endpoint",
        metavar="URL",
        help="run the query at this SPARQL endpoint instead (e.g. a store `publish` filled)",
    )
    qry.add_argument(
        "--graph",
        metavar="IRI",
        help="with --endpoint: the named graph to query as the default graph (default-graph-uri),"
        " e.g. the one `publish` wrote",
    )
    qry.add_argument("-o", "--output", type=Path, help="write the answer to FILE")
    qry.set_defaults(run=_run_query)

    lst = commands.add_parser(
        "queries",
        help="list the named queries with their questions and parameters",
        description="List the named competency queries shipped with il32rdf.",
    )
    lst.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    lst.set_defaults(run=_run_queries)


def _query_source(args: argparse.Namespace) -> str | Path:
    if args.sparql is not None and args.query is not None:
        raise UsageError("give either a query (NAME, FILE.rq or -) or --sparql, not both")
    if args.sparql is not None:
        return str(args.sparql)
    if args.query is None:
        raise UsageError("give a query: NAME, FILE.rq, - (stdin) or --sparql TEXT")
    if args.query == "-":
        return sys.stdin.read()
    if args.query.endswith(".rq") or os.sep in args.query:
        return Path(args.query)
    return str(args.query)


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, not {pair!r}")
        params[name.strip()] = value
    return params


def _run_query(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.files import write_atomic
    from il32rdf.query import query
    from il32rdf.results import write_results

    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout takes a positive number of seconds, not {args.timeout:g}")
    source = _query_source(args)
    params = _params(args.param)
    if args.graph is not None and args.endpoint is None:
        raise UsageError("--graph goes with --endpoint")
    if args.store_path is not None and args.endpoint is not None:
        raise UsageError("--store-path and --endpoint are two different places to query: pick one")
    if args.endpoint:
        from il32rdf.store.remote import RemoteStore

        target: Store = RemoteStore(args.endpoint, args.graph)
    else:
        target = open_data(args, err)
    answer = query(target, source, timeout=args.timeout, **params)
    if answer.kind == "graph":
        name = args.format or "turtle"
        if name not in _GRAPH_FORMATS:
            raise UsageError(
                f"a CONSTRUCT or DESCRIBE answer is a graph: use --format one of "
                f"{', '.join(_GRAPH_FORMATS)}, not {name!r}"
            )
        from il32rdf.export import RdfFormat, serialize

        assert answer.graph is not None
        data = serialize(answer.graph, RdfFormat.from_name(name))
        summary = f"{len(answer.graph)} triples"
    else:
        name = args.format or "table"
        if name not in _RESULT_FORMATS:
            raise UsageError(
                f"a SELECT or ASK answer is a table: use --format one of "
                f"{', '.join(_RESULT_FORMATS)}, not {name!r}"
            )
        data = write_results(answer, name)
        summary = str(answer.boolean).lower() if answer.kind == "ask" else f"{len(answer)} rows"
    if args.output is None:
        write_out(data, out)
    else:
        write_atomic(args.output, data)
        print(f"wrote {args.output} ({summary})", file=err)
    if answer.kind == "ask" and not answer.boolean:
        return EXIT_FINDINGS
    return EXIT_OK


def _run_queries(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.query import named_queries

    queries = named_queries()
    if args.format == "json":
        listing = [
            {
                "name": q.name,
                "title": q.title,
                "question": q.question,
                "answer": q.answer,
                "parameters": [
                    {
                        "name": p.name,
                        "kind": p.kind,
                        "default": p.default,
                        "description": p.description,
                    }
                    for p in q.parameters
                ],
            }
            for q in queries.values()
        ]
        print(json.dumps(listing, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    for q in queries.values():
        print(f"{q.name}: {q.title}", file=out)
        print(f"  {q.question}", file=out)
        for p in q.parameters:
            default = f" = {p.default}" if p.default is not None else ""
            print(f"  --param {p.name}{default}  ({p.kind}) {p.description}", file=out)
    return EXIT_OK
