"""The commands that check the data: ``validate`` (SHACL and QC) and ``reason`` (OWL)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from il32rdf.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Parser,
    add_data_options,
    add_reasoner_options,
    add_store_options,
    open_data,
)

if TYPE_CHECKING:
    from il32rdf.reason.model import ReasoningResult

__all__ = ["REPORT_FORMATS", "add_commands", "print_reasoning"]

REPORT_FORMATS = ("text", "json", "turtle", "junit", "markdown")
"""The values of :class:`il32rdf.validate.ReportFormat` (a test keeps them equal), named here so
that building the parser does not import pySHACL."""


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """``validate`` and ``reason``."""
    _add_validate_command(commands)
    _add_reason_command(commands)


def _add_validate_command(commands: argparse._SubParsersAction[Parser]) -> None:
    val = commands.add_parser(
        "validate",
        help="check the graph against the SHACL shapes and the QC checks",
        description=(
            "Validate the bundled graph, or the given FILEs merged with the bundled ontology and "
            "facts, against the SHACL shapes (shapes/, or --shapes) and ROBOT-style QC checks. "
            "Exit 0 when there is no violation, 1 when there are violations (or, with --strict, "
            "warnings; a severity of the shapes' own counts as a violation), 2 on an error "
            "(malformed data or shapes file, invalid SHACL, a SPARQL query that SHACL forbids: "
            "SERVICE, MINUS, VALUES, ...), reported in one line before any query runs. SHACL's "
            "sh:conforms is true only without any result: a report with warnings only does not "
            "conform, and exits 0."
        ),
    )
    val.add_argument("files", nargs="*", type=Path, metavar="FILE", help="RDF files to check")
    add_data_options(val)
    add_store_options(val)
    val.add_argument(
        "--shapes",
        metavar="FILE",
        action="append",
        type=Path,
        help="use this shapes file instead of the bundled shapes; repeatable",
    )
    val.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="report format (default: text)",
    )
    val.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    val.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    val.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.files import write_atomic
    from il32rdf.validate import render, summary, validate

    report = validate(open_data(args, err, args.files), shapes=args.shapes)
    if report.declined:
        print(f"il32rdf: validated by pySHACL: {report.declined}", file=err)
    text = render(report, args.format)
    if args.output is None:
        out.write(text)
    else:
        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}", file=err)
    print(f"il32rdf validate: {summary(report)}", file=err)
    return EXIT_OK if report.passes(strict=args.strict) else EXIT_FINDINGS


def _add_reason_command(commands: argparse._SubParsersAction[Parser]) -> None:
    rea = commands.add_parser(
        "reason",
        help="check consistency with an OWL reasoner; print the inferred hierarchy and types",
        description=(
            "Run an OWL reasoner on the ontology and facts: HermiT or Pellet (OWL 2 DL, need "
            "Java), or owlrl (OWL 2 RL, pure Python, no DL check); auto uses HermiT when Java "
            "works. Reports consistency, unsatisfiable classes with the axioms that cause them, "
            "new subclass axioms, inferred types of individuals and OWL 2 DL profile findings. "
            "Exit 0 consistent, 1 inconsistent, unsatisfiable classes or profile errors, "
            "2 reasoner crash, time-out or out of memory."
        ),
    )
    add_data_options(rea)
    add_reasoner_options(rea)
    rea.add_argument("--format", choices=["text", "json"], default="text", help="report format")
    rea.add_argument("-o", "--output", type=Path, help="write the inferred triples as Turtle")
    rea.set_defaults(run=_run_reason)


def _run_reason(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.export import RdfFormat, serialize
    from il32rdf.files import write_atomic
    from il32rdf.reason import Severity, reason

    result = reason(
        open_data(args, err),
        reasoner=args.reasoner,
        timeout=args.timeout,
        java_memory_mb=args.java_memory,
    )
    if args.output is not None:
        write_atomic(args.output, serialize(result.inferred, RdfFormat.TURTLE))
        print(f"wrote {args.output} ({len(result.statements)} inferred triples)", file=err)
    profile_errors = [f for f in result.profile if f.severity is Severity.ERROR]
    if args.format == "json":
        report = {
            "consistent": result.consistent,
            "reasoner": result.reasoner,
            "dl_checked": result.dl_checked,
            "skipped_reason": result.skipped_reason,
            "unsatisfiable": [{"iri": t.iri, "label": t.label} for t in result.unsatisfiable],
            "inferred_subclasses": [asdict(a) for a in result.inferred_subclasses],
            "inferred_types": [asdict(t) for t in result.inferred_types],
            "explanations": [asdict(e) for e in result.explanations],
            "profile": [
                {"severity": f.severity.value, "focus": f.focus, "message": f.message}
                for f in result.profile
            ],
            "inferred_triples": len(result.statements),
            "seconds": round(result.seconds, 3),
        }
        print(json.dumps(report, indent=2), file=out)
    else:
        print_reasoning(result, out)
    if not result.ok:
        print("il32rdf reason: the ontology has clashes (see the explanation)", file=err)
    return EXIT_OK if result.ok and not profile_errors else EXIT_FINDINGS


def print_reasoning(result: ReasoningResult, out: TextIO) -> None:
    if result.dl_checked:
        verdict = "consistent" if result.consistent else "INCONSISTENT"
        print(f"reasoner: {result.reasoner} (OWL 2 DL): {verdict}", file=out)
    else:
        verdict = "no clash found" if result.consistent else "INCONSISTENT"
        print(f"reasoner: {result.reasoner} (OWL 2 RL only): {verdict}", file=out)
        print(f"note: {result.skipped_reason}", file=out)
    print(f"unsatisfiable classes: {len(result.unsatisfiable)}", file=out)
    for term in result.unsatisfiable:
        print(f"  '{term.label}' <{term.iri}>", file=out)
    for explanation in result.explanations:
        note = "" if explanation.complete else " (not minimal: search stopped)"
        print(f"explanation of the {explanation.about}{note}:", file=out)
        for text in explanation.axioms:
            print(f"  {text}", file=out)
    print(f"inferred subclass axioms: {len(result.inferred_subclasses)}", file=out)
    for axiom in result.inferred_subclasses:
        print(f"  '{axiom.sub.label}' SubClassOf '{axiom.sup.label}'", file=out)
    print(f"inferred types: {len(result.inferred_types)}", file=out)
    for assertion in result.inferred_types:
        print(f"  '{assertion.individual.label}' Type '{assertion.cls.label}'", file=out)
    print(f"OWL 2 DL profile findings: {len(result.profile)}", file=out)
    for finding in result.profile:
        print(f"  {finding.severity.value}: <{finding.focus}>: {finding.message}", file=out)
    print(
        f"inferred triples: {len(result.statements)} ({result.seconds:.1f} s)",
        file=out,
    )
