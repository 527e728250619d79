"""What the commands share: exit codes, the parser class, the data, engine and reasoner
options, opening the data, and the stats printout. Only the ``il32rdf.cli`` package prints,
reads argv or picks exit codes."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from il32rdf.errors import UsageError
from il32rdf.store import Engine, Store, open_store

if TYPE_CHECKING:
    from il32rdf.stats import Stats

__all__ = [
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "Parser",
    "add_data_options",
    "add_reasoner_options",
    "add_store_options",
    "open_data",
    "print_stats",
    "stats_dict",
    "write_out",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line and exits 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def add_data_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("data")
    group.add_argument(
        "--data",
        metavar="FILE",
        action="append",
        default=[],
        type=Path,
        help="add an RDF file (.ttl, .nt, .nq, .trig, .jsonld, .owl/.rdf/.xml) to the data: its "
        "default graph to the facts, its named graphs kept under their names; relative IRIs "
        "resolve against the file's URL; repeatable",
    )
    group.add_argument(
        "--no-bundled",
        action="store_true",
        help="leave out the bundled ontology and facts: use only the --data files",
    )


def add_store_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--store",
        choices=["auto", *(e.value for e in Engine)],
        default="auto",
        help="the embedded engine: rdflib, or Oxigraph (auto, the default), which scales to "
        "millions of triples; both read the files with Oxigraph's strict parser",
    )
    group.add_argument(
        "--store-path",
        metavar="DIR",
        type=Path,
        help="keep an on-disk Oxigraph store here: loaded once, reused while the input files "
        "are unchanged; implies --store oxigraph",
    )


def add_reasoner_options(parser: argparse.ArgumentParser) -> None:
    from il32rdf.reason.model import DEFAULT_JAVA_MEMORY_MB, DEFAULT_TIMEOUT, REASONERS

    group = parser.add_argument_group("reasoner")
    group.add_argument("--reasoner", choices=REASONERS, default="auto", help="default: auto")
    group.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"time limit of one reasoner run (default: {DEFAULT_TIMEOUT:g})",
    )
    group.add_argument(
        "--java-memory",
        type=int,
        default=DEFAULT_JAVA_MEMORY_MB,
        metavar="MB",
        help=f"JVM heap for HermiT/Pellet (default: {DEFAULT_JAVA_MEMORY_MB})",
    )


def open_data(args: argparse.Namespace, err: TextIO, files: Sequence[Path] = ()) -> Store:
    """The data of a command, loaded by the engine ``--store`` names (or ``auto`` picks)."""
    data = [*files, *args.data]
    if args.no_bundled and not data:
        needs = "FILE or --data FILE" if hasattr(args, "files") else "--data FILE"
        raise UsageError(f"--no-bundled needs at least one {needs}")
    path = getattr(args, "store_path", None)
    started = time.perf_counter()
    store = open_store(data, getattr(args, "store", "auto"), path, bundled=not args.no_bundled)
    seconds = time.perf_counter() - started
    took = f"in {seconds:.1f} s"
    if path is None:
        if seconds >= 1.0:  # progress on long work only
            print(f"il32rdf: {store.engine} loaded {len(store):,} quads {took}", file=err)
    elif store.reloaded:
        print(f"il32rdf: loaded {len(store):,} quads into {path} {took}", file=err)
    else:
        print(f"il32rdf: reused {path} ({len(store):,} quads) {took}", file=err)
    return store


def stats_dict(counts: Stats) -> dict[str, object]:
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


def print_stats(counts: Stats, out: TextIO) -> None:
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


def write_out(data: bytes, out: TextIO) -> None:
    """Bytes to standard output (its binary buffer when it has one)."""
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))
