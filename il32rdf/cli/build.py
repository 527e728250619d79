"""The ``build`` command: the main job, with each phase printed as it finishes.

Each phase is printed as it ends (``  validation     0.4 s  0 violation(s), 0 warning(s)``), and
a line every few seconds while a long phase runs: on standard output before the text summary,
or on standard error with ``--format json``, whose standard output is the JSON summary alone
(the phases and their times are in it).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from il32rdf.cli.checking import print_reasoning
from il32rdf.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Parser,
    add_data_options,
    add_reasoner_options,
    add_store_options,
    print_stats,
    stats_dict,
)
from il32rdf.errors import UsageError
from il32rdf.version import __version__

if TYPE_CHECKING:
    from il32rdf.build import BuildResult, PhaseEvent

__all__ = ["add_commands"]

PROGRESS_EVERY = 5.0
"""Seconds between the progress lines of a phase that is still running."""


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """``build``."""
    build = commands.add_parser(
        "build",
        help="the main job: validate, reason, answer the competency queries, write the release",
        description=(
            "Load the ontology and facts (plus --data); check them; validate them against the "
            "SHACL shapes; run the OWL reasoner (HermiT, or the OWL 2 RL tier without Java) and "
            "add its inferences; then write the release atomically into the output directory: "
            "the RDF files, OBO Graphs, KGX tables, VoID/DCAT, the answers to the competency "
            "queries, diagrams and HTML documentation. Each phase is printed with its time as "
            "it finishes; on Oxigraph the reasoner works while validation runs, and a second "
            "process writes the RDF files while the rest is made, so phases overlap. Stops with "
            "exit 1, writing nothing, on structural problems, SHACL violations, relations used "
            "against their RO domain or range, or reasoner clashes."
        ),
    )
    add_data_options(build)
    build.add_argument(
        "-o", "--output-dir", type=Path, default=Path("dist"), help="where to write (default: dist)"
    )
    build.add_argument("--format", choices=["text", "json"], default="text", help="summary format")
    build.add_argument(
        "--cytokine",
        action="append",
        default=[],
        metavar="CURIE",
        help="draw this protein's causal diagram (repeatable; default: the few with most claims)",
    )
    add_reasoner_options(build)
    add_store_options(build)
    build.set_defaults(run=_run_build)


class _PhasePrinter:
    """Prints each phase as it ends, and a progress line while a long one runs."""

    def __init__(self, err: TextIO, every: float = PROGRESS_EVERY) -> None:
        self.err, self.every = err, every
        self.lock = threading.Lock()
        self.running: dict[str, float] = {}  # phase -> since when (two may overlap)
        self.stop = threading.Event()
        self.ticker = threading.Thread(target=self._tick, name="il32rdf-progress", daemon=True)
        self.ticker.start()

    def __call__(self, event: PhaseEvent) -> None:
        with self.lock:
            if event.kind == "start":
                self.running[event.name] = time.perf_counter()
                return
            self.running.pop(event.name, None)
            assert event.phase is not None
            phase = event.phase
            print(f"  {phase.name:<14} {phase.seconds:>7.1f} s  {phase.summary}", file=self.err)
            self.err.flush()

    def _tick(self) -> None:
        while not self.stop.wait(self.every):
            with self.lock:
                for name, since in self.running.items():
                    elapsed = time.perf_counter() - since
                    if elapsed >= self.every:
                        print(f"  {name:<14} {elapsed:>7.0f} s  still running", file=self.err)
                        self.err.flush()

    def close(self) -> None:
        self.stop.set()
        self.ticker.join()


def _run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.build import build

    if args.no_bundled and not args.data:
        raise UsageError("--no-bundled needs at least one --data FILE")
    printer = _PhasePrinter(out if args.format == "text" else err)
    try:
        result = build(
            args.data,
            output_dir=args.output_dir,
            bundled=not args.no_bundled,
            engine=args.store,
            store_path=args.store_path,
            reasoner=args.reasoner,
            timeout=args.timeout,
            java_memory_mb=args.java_memory,
            cytokines=args.cytokine,
            on_phase=printer,
        )
    finally:
        printer.close()
    if result.relations is not None:
        for relation in result.relations.unchecked:
            print(f"il32rdf: warning: {relation} has no RO axioms here: {_REVENDOR}", file=err)
    if not result.ok:
        return _stopped(result, err)
    if not result.images:
        print("note: Graphviz's dot is not installed: diagrams written as .dot/.mmd only", file=err)
    if args.format == "json":
        print(json.dumps(_summary(result), indent=2), file=out)
    else:
        _print_summary(result, out)
    return EXIT_OK


_REVENDOR = "re-run tools/vendor_ro_axioms.py with RO's ro.owl (see the README)"


def _stopped(result: BuildResult, err: TextIO) -> int:
    from il32rdf.validate import render

    for finding in result.findings:
        print(f"{finding.focus}: {finding.message}", file=err)
    if result.report is not None and not result.report.passes(strict=False):
        err.write(render(result.report, "text"))
    if result.reasoning is not None and not result.reasoning.ok:
        print_reasoning(result.reasoning, err)
        result.stopped = "the ontology has clashes (explained above)"
    print(f"il32rdf: build stopped: {result.stopped}; nothing written", file=err)
    return EXIT_FINDINGS


def _summary(result: BuildResult) -> dict[str, object]:
    assert result.report is not None and result.reasoning is not None
    assert result.stats is not None and result.relations is not None
    reasoning, relations = result.reasoning, result.relations
    return {
        "output_dir": str(result.output_dir),
        "engine": result.engine,
        "files": [{"path": str(f.path), "graph": f.graph, "bytes": f.size} for f in result.files],
        "validation": {"conforms": True, "warnings": len(result.report.warnings)},
        "relations": {
            "reasoner": relations.reasoner,
            "complete": relations.complete,
            "unchecked": list(relations.unchecked),
        },
        "reasoning": {
            "reasoner": reasoning.reasoner,
            "dl_checked": reasoning.dl_checked,
            "skipped_reason": reasoning.skipped_reason,
            "inferred_triples": len(reasoning.statements),
        },
        "answers": {name: rows for name, (rows, _) in result.answers.items()},
        "diagrams": [str(p) for p in result.diagrams],
        "docs": str(result.docs),
        "stats": stats_dict(result.stats),
        "phases": [{"name": p.name, "seconds": round(p.seconds, 3)} for p in result.phases],
        "seconds": round(result.seconds, 3),
    }


def _print_summary(result: BuildResult, out: TextIO) -> None:
    assert result.report is not None and result.reasoning is not None
    assert result.stats is not None and result.relations is not None
    reasoning, directory = result.reasoning, result.output_dir
    checked = "OWL 2 DL" if reasoning.dl_checked else f"OWL 2 RL only: {reasoning.skipped_reason}"
    print(f"il32rdf {__version__}: built the release in {directory}/", file=out)
    print(f"validation: conforms to the shapes ({len(result.report.warnings)} warnings)", file=out)
    relations = result.relations
    scope = "" if relations.complete else f" (proteins only: {relations.skipped_reason})"
    print(f"relations: every one used within its RO domain and range{scope}", file=out)
    print(
        f"reasoning: {reasoning.reasoner} ({checked}): consistent, no unsatisfiable class;"
        f" {len(reasoning.statements)} inferred triples",
        file=out,
    )
    for f in result.files:
        name = f.path.relative_to(directory)
        print(f"  {name!s:<30} {f.graph:<9} {f.size:>9,} bytes", file=out)
    print(
        f"competency queries: {len(result.answers)} answered in {directory / 'answers'}/", file=out
    )
    for query_name, (rows, question) in result.answers.items():
        print(f"  {query_name:<17} {rows:>3} rows  {question}", file=out)
    print(f"diagrams: {len(result.diagrams)} files in {directory / 'diagrams'}/", file=out)
    print(f"documentation: {result.docs}", file=out)
    print_stats(result.stats, out)
    print(f"done in {result.seconds:.1f} s on {result.engine}", file=out)
