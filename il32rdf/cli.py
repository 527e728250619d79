"""The ``il32rdf`` command. The only module that reads argv, prints, or picks an exit code.

Exit status: 0 success; 1 findings (the data breaks a rule); 2 an error (bad input, bad usage,
an output that cannot be written). Errors are one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from rdflib import Dataset

from il32rdf import __version__
from il32rdf.checks import Finding, check
from il32rdf.dataset import GRAPH_NAMES, load
from il32rdf.errors import Il32Error, UsageError
from il32rdf.export import RdfFormat, export
from il32rdf.release import write_release
from il32rdf.stats import Stats, stats

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_data_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("data")
    group.add_argument(
        "--data",
        metavar="FILE",
        action="append",
        default=[],
        type=Path,
        help="add an RDF file (.ttl, .nt, .jsonld, .owl/.rdf) to the facts; repeatable",
    )
    group.add_argument(
        "--no-bundled",
        action="store_true",
        help="leave out the bundled ontology and facts: use only the --data files",
    )


def _build_parser() -> _Parser:
    parser = _Parser(
        prog="il32rdf",
        description=(
            "The interleukin-32 knowledge graph: an OWL ontology aligned with CL, GO, UBERON, "
            "RO, ECO and UniProt, claims with provenance and polarity, and deterministic RDF."
        ),
        epilog="Exit status: 0 ok, 1 findings in the data, 2 error. Run a command with --help.",
    )
    parser.add_argument("--version", action="version", version=f"il32rdf {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    build = commands.add_parser(
        "build",
        help="load and check the graph, write the release files, print a summary",
        description=(
            "The main job: load the ontology and facts (plus --data), check them, and write "
            "the release files (il32.ttl, .nt, .jsonld, .owl, .nq and the ontology alone) "
            "atomically into the output directory."
        ),
    )
    _add_data_options(build)
    build.add_argument(
        "-o", "--output-dir", type=Path, default=Path("dist"), help="where to write (default: dist)"
    )
    build.add_argument("--format", choices=["text", "json"], default="text", help="summary format")
    build.set_defaults(run=_run_build)

    exp = commands.add_parser(
        "export",
        help="write the graph (or one named graph) in one RDF format",
        description="Serialize the graph deterministically: the same input gives the same bytes.",
    )
    _add_data_options(exp)
    exp.add_argument(
        "--format",
        default=RdfFormat.TURTLE.value,
        metavar="FORMAT",
        help=f"one of: {', '.join(f.value for f in RdfFormat)} (default: turtle)",
    )
    exp.add_argument(
        "--graph",
        default="all",
        choices=[*GRAPH_NAMES, "all"],
        help="which graph to write (default: all, their union)",
    )
    exp.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    exp.set_defaults(run=_run_export)

    st = commands.add_parser("stats", help="count triples, terms and claims")
    _add_data_options(st)
    st.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    st.set_defaults(run=_run_stats)
    return parser


def _load(args: argparse.Namespace) -> Dataset:
    if args.no_bundled and not args.data:
        raise UsageError("--no-bundled needs at least one --data FILE")
    return load(args.data, bundled=not args.no_bundled)


def _print_findings(findings: list[Finding], out: TextIO) -> None:
    for finding in findings:
        print(f"{finding.focus}: {finding.message}", file=out)


def _run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    started = time.perf_counter()
    dataset = _load(args)
    findings = check(dataset)
    if findings:
        _print_findings(findings, err)
        print(f"il32rdf: build stopped: {len(findings)} problem(s); nothing written", file=err)
        return EXIT_FINDINGS
    written = write_release(dataset, args.output_dir)
    counts = stats(dataset)
    seconds = time.perf_counter() - started
    if args.format == "json":
        summary = {
            "output_dir": str(args.output_dir),
            "files": [{"path": str(f.path), "graph": f.graph, "bytes": f.size} for f in written],
            "stats": _stats_dict(counts),
            "seconds": round(seconds, 3),
        }
        print(json.dumps(summary, indent=2), file=out)
        return EXIT_OK
    print(f"il32rdf {__version__}: built {len(written)} files in {args.output_dir}/", file=out)
    for f in written:
        print(f"  {f.path.name:<20} {f.graph:<9} {f.size:>9,} bytes", file=out)
    _print_stats(counts, out)
    print(f"done in {seconds:.1f} s", file=out)
    return EXIT_OK


def _run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = RdfFormat.from_name(args.format)
    dataset = _load(args)
    data = export(dataset, fmt, graph=args.graph, path=args.output)
    if args.output is None:
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
    else:
        print(f"wrote {args.output} ({len(data):,} bytes)", file=err)
    return EXIT_OK


def _run_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    counts = stats(_load(args))
    if args.format == "json":
        print(json.dumps(_stats_dict(counts), indent=2), file=out)
    else:
        _print_stats(counts, out)
    return EXIT_OK


def _stats_dict(counts: Stats) -> dict[str, object]:
    return {
        "triples": counts.triples,
        "total_triples": counts.total_triples,
        "classes": counts.classes,
        "properties": counts.properties,
        "claims": counts.claims,
        "negated_claims": counts.negated_claims,
        "sources": counts.sources,
        "claims_by_predicate": counts.claims_by_predicate,
    }


def _print_stats(counts: Stats, out: TextIO) -> None:
    per_graph = ", ".join(f"{name} {n:,}" for name, n in counts.triples.items())
    print(f"triples: {counts.total_triples:,} ({per_graph})", file=out)
    print(f"ontology: {counts.classes} classes, {counts.properties} properties", file=out)
    positive = counts.claims - counts.negated_claims
    print(
        f"claims: {counts.claims} ({positive} positive, {counts.negated_claims} negated)"
        f" from {counts.sources} sources",
        file=out,
    )
    for predicate, n in counts.claims_by_predicate.items():
        print(f"  {predicate:<20} {n}", file=out)


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit status instead of exiting."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    parser = _build_parser()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help(err)
        return EXIT_ERROR
    try:
        return run(args, out, err)
    except Il32Error as exc:
        if args.debug:
            raise
        print(f"il32rdf: error: {exc}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("il32rdf: interrupted", file=err)
        return 130
    except BrokenPipeError:  # the reader went away (`il32rdf export | head`): stop quietly
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
