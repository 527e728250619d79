"""The ``il32rdf`` command. The only module that reads argv, prints, or picks an exit code.

Exit status: 0 success; 1 findings (the data breaks a rule); 2 an error (bad input, bad usage,
an output that cannot be written). Errors are one line on stderr; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import NoReturn, TextIO

from rdflib import Dataset

from il32rdf import __version__, diagram
from il32rdf.checks import Finding, check
from il32rdf.dataset import GRAPH_NAMES, graph_by_name, load, parse_file
from il32rdf.diff import diff_releases
from il32rdf.docs import write_docs
from il32rdf.engine import AUTO_OXIGRAPH_BYTES, Engine, OxigraphStore
from il32rdf.errors import Il32Error, UsageError
from il32rdf.export import RdfFormat, export, export_file, serialize, write_atomic
from il32rdf.publish import STORE_TYPES, publish, store_urls
from il32rdf.query import answer_all, named_queries, query
from il32rdf.reason import (
    DEFAULT_JAVA_MEMORY_MB,
    DEFAULT_TIMEOUT,
    REASONERS,
    ReasoningResult,
    Severity,
    add_inferences,
    reason,
)
from il32rdf.release import write_release
from il32rdf.remote import RemoteEndpoint
from il32rdf.results import write_results
from il32rdf.server import ServerSettings, serve
from il32rdf.stats import Stats, stats
from il32rdf.validate import ReportFormat, render, summary, validate
from il32rdf.vocab import BASE, to_iri

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


def _add_store_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("engine")
    group.add_argument(
        "--store",
        choices=["auto", *(e.value for e in Engine)],
        default="auto",
        help="the embedded engine: rdflib, or Oxigraph, which parses the files itself (no "
        f"rdflib) and scales to millions of triples; auto (default) picks Oxigraph when the "
        f"--data files reach {AUTO_OXIGRAPH_BYTES // 1_000_000} MB",
    )
    group.add_argument(
        "--store-path",
        metavar="DIR",
        type=Path,
        help="keep an on-disk Oxigraph store here: loaded once, reused while the input files "
        "are unchanged; implies --store oxigraph",
    )


def _open(
    args: argparse.Namespace, err: TextIO, files: Sequence[Path] = ()
) -> Dataset | OxigraphStore:
    """The data of a command, loaded by the engine ``--store`` names (or ``auto`` picks)."""
    data = [*files, *args.data]
    if args.no_bundled and not data:
        needs = "FILE or --data FILE" if hasattr(args, "files") else "--data FILE"
        raise UsageError(f"--no-bundled needs at least one {needs}")
    if args.store_path is not None and args.store == Engine.RDFLIB.value:
        raise UsageError("--store-path keeps an Oxigraph store: it does not go with --store rdflib")
    if args.store_path is not None or args.store == Engine.OXIGRAPH.value:
        engine = Engine.OXIGRAPH
    elif args.store == "auto":
        engine = Engine.for_files(data)
    else:
        engine = Engine.RDFLIB
    if engine is Engine.RDFLIB:
        return load(data, bundled=not args.no_bundled)
    started = time.perf_counter()
    store = OxigraphStore.load(data, bundled=not args.no_bundled, path=args.store_path)
    seconds = time.perf_counter() - started
    took = f"in {seconds:.1f} s"
    if args.store_path is None:
        if seconds >= 1.0:  # progress on long work only
            print(f"il32rdf: Oxigraph loaded {len(store):,} quads {took}", file=err)
    elif store.reloaded:
        print(f"il32rdf: loaded {len(store):,} quads into {args.store_path} {took}", file=err)
    else:
        print(f"il32rdf: reused {args.store_path} ({len(store):,} quads) {took}", file=err)
    return store


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
        help="the main job: validate, reason, answer the competency queries, write the release",
        description=(
            "Load the ontology and facts (plus --data); check them; validate them against the "
            "SHACL shapes; run the OWL reasoner (HermiT, or the OWL 2 RL tier without Java) and "
            "add its inferences; then write the release atomically into the output directory: "
            "the RDF files, OBO Graphs, KGX tables, VoID/DCAT, the answers to the competency "
            "queries, diagrams and HTML documentation. Stops with exit 1, writing nothing, on "
            "SHACL violations or reasoner clashes."
        ),
    )
    _add_data_options(build)
    build.add_argument(
        "-o", "--output-dir", type=Path, default=Path("dist"), help="where to write (default: dist)"
    )
    build.add_argument("--format", choices=["text", "json"], default="text", help="summary format")
    _add_reasoner_options(build)
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
    _add_store_options(exp)
    exp.set_defaults(run=_run_export)

    st = commands.add_parser("stats", help="count triples, terms and claims")
    _add_data_options(st)
    st.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    _add_store_options(st)
    st.set_defaults(run=_run_stats)
    _add_validate_command(commands)
    _add_query_command(commands)
    _add_diagram_command(commands)
    _add_diff_command(commands)
    _add_serve_command(commands)
    _add_publish_command(commands)
    _add_reason_command(commands)
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
        return _stopped(f"{len(findings)} structural problem(s)", err)
    report = validate(dataset)
    if not report.passes(strict=False):
        err.write(render(report, "text"))
        return _stopped(f"{len(report.violations)} SHACL violation(s)", err)
    reasoning = reason(
        dataset, reasoner=args.reasoner, timeout=args.timeout, java_memory_mb=args.java_memory
    )
    if not reasoning.ok:
        _print_reasoning(reasoning, err)
        return _stopped("the ontology has clashes (explained above)", err)
    add_inferences(dataset, reasoning)
    written = write_release(dataset, args.output_dir)
    answers = _write_answers(dataset, args.output_dir / "answers")
    pictures = _write_diagrams(dataset, args.output_dir / "diagrams", err)
    docs = write_docs(graph_by_name(dataset, "ontology"), args.output_dir / "docs")
    counts = stats(dataset)
    seconds = time.perf_counter() - started
    checked = "OWL 2 DL" if reasoning.dl_checked else f"OWL 2 RL only: {reasoning.skipped_reason}"
    if args.format == "json":
        summary = {
            "output_dir": str(args.output_dir),
            "files": [{"path": str(f.path), "graph": f.graph, "bytes": f.size} for f in written],
            "validation": {"conforms": True, "warnings": len(report.warnings)},
            "reasoning": {
                "reasoner": reasoning.reasoner,
                "dl_checked": reasoning.dl_checked,
                "skipped_reason": reasoning.skipped_reason,
                "inferred_triples": len(reasoning.inferred),
            },
            "answers": {name: rows for name, (rows, _) in answers.items()},
            "diagrams": [str(p) for p in pictures],
            "docs": str(docs),
            "stats": _stats_dict(counts),
            "seconds": round(seconds, 3),
        }
        print(json.dumps(summary, indent=2), file=out)
        return EXIT_OK
    print(f"il32rdf {__version__}: built the release in {args.output_dir}/", file=out)
    print(f"validation: conforms to the shapes ({len(report.warnings)} warnings)", file=out)
    print(
        f"reasoning: {reasoning.reasoner} ({checked}): consistent, no unsatisfiable class;"
        f" {len(reasoning.inferred)} inferred triples",
        file=out,
    )
    for f in written:
        name = f.path.relative_to(args.output_dir)
        print(f"  {name!s:<30} {f.graph:<9} {f.size:>9,} bytes", file=out)
    print(
        f"competency queries: {len(answers)} answered in {args.output_dir / 'answers'}/", file=out
    )
    for query_name, (rows, question) in answers.items():
        print(f"  {query_name:<17} {rows:>3} rows  {question}", file=out)
    print(f"diagrams: {len(pictures)} files in {args.output_dir / 'diagrams'}/", file=out)
    print(f"documentation: {docs}", file=out)
    _print_stats(counts, out)
    print(f"done in {seconds:.1f} s", file=out)
    return EXIT_OK


def _stopped(reason_text: str, err: TextIO) -> int:
    print(f"il32rdf: build stopped: {reason_text}; nothing written", file=err)
    return EXIT_FINDINGS


def _write_answers(dataset: Dataset, directory: Path) -> dict[str, tuple[int, str]]:
    """Answer every named query with its own defaults, as SPARQL CSV: name -> (rows, question)."""
    queries = named_queries()
    written = {}
    for name, answer in answer_all(dataset).items():
        write_atomic(directory / f"{name}.csv", write_results(answer, "csv"))
        written[name] = (len(answer.rows), queries[name].question)
    return written


def _write_diagrams(dataset: Dataset, directory: Path, err: TextIO) -> list[Path]:
    """The causal graph of every cytokine with claims, and the lineage; images when Graphviz is
    installed, otherwise the DOT and Mermaid text with a note."""
    images = shutil.which("dot") is not None
    if not images:
        print("note: Graphviz's dot is not installed: diagrams written as .dot/.mmd only", file=err)
    return [
        path
        for picture in diagram.pictures(graph_by_name(dataset, "all"))
        for path in diagram.render(picture, directory, images=images)
    ]


def _run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    fmt = RdfFormat.from_name(args.format)
    source = _open(args, err)
    if args.output is not None:  # streamed to the file, never held whole
        size = export_file(source, fmt, args.output, graph=args.graph)
        print(f"wrote {args.output} ({size:,} bytes)", file=err)
        return EXIT_OK
    data = export(source, fmt, graph=args.graph)
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8"))
    return EXIT_OK


def _run_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    counts = stats(_open(args, err))
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


def _add_validate_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    _add_data_options(val)
    _add_store_options(val)
    val.add_argument(
        "--shapes",
        metavar="FILE",
        action="append",
        type=Path,
        help="use this shapes file instead of the bundled shapes; repeatable",
    )
    val.add_argument(
        "--format",
        choices=[f.value for f in ReportFormat],
        default=ReportFormat.TEXT.value,
        help="report format (default: text)",
    )
    val.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    val.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the report to FILE")
    val.set_defaults(run=_run_validate)


def _run_validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    report = validate(_open(args, err, args.files), shapes=args.shapes)
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


_RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
_GRAPH_FORMATS = ("turtle", "nt", "json-ld", "xml")


def _add_query_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    _add_data_options(qry)
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
    _add_store_options(qry)
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
    if args.timeout is not None and args.timeout <= 0:
        raise UsageError(f"--timeout takes a positive number of seconds, not {args.timeout:g}")
    source = _query_source(args)
    params = _params(args.param)
    if args.graph is not None and args.endpoint is None:
        raise UsageError("--graph goes with --endpoint")
    if args.store_path is not None and args.endpoint is not None:
        raise UsageError("--store-path and --endpoint are two different places to query: pick one")
    target = RemoteEndpoint(args.endpoint, args.graph) if args.endpoint else _open(args, err)
    answer = query(target, source, timeout=args.timeout, **params)
    if answer.kind == "graph":
        name = args.format or "turtle"
        if name not in _GRAPH_FORMATS:
            raise UsageError(
                f"a CONSTRUCT or DESCRIBE answer is a graph: use --format one of "
                f"{', '.join(_GRAPH_FORMATS)}, not {name!r}"
            )
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
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode("utf-8"))
    else:
        write_atomic(args.output, data)
        print(f"wrote {args.output} ({summary})", file=err)
    if answer.kind == "ask" and not answer.boolean:
        return EXIT_FINDINGS
    return EXIT_OK


def _run_queries(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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


# --- diagram ---------------------------------------------------------------------------------


def _add_diagram_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    diagram = commands.add_parser(
        "diagram",
        help="draw a cytokine's causal graph and the cell lineage (SVG, PNG, DOT, Mermaid)",
        description=(
            "Generate pictures from the RDF: for each cytokine (default: every protein that is "
            "the subject of a claim about a process), the cells it acts on, what they secrete "
            "and the processes it affects, negated claims dashed; and the cell lineage. Writes "
            "NAME.dot and NAME.mmd, and NAME.svg and NAME.png with Graphviz's dot."
        ),
    )
    _add_data_options(diagram)
    diagram.add_argument(
        "--cytokine",
        action="append",
        default=[],
        metavar="CURIE",
        help="a protein, e.g. uniprot:ACCESSION",
    )
    diagram.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=Path("dist/diagrams"),
        help="default: dist/diagrams",
    )
    diagram.add_argument(
        "--no-images", action="store_true", help="write only .dot and .mmd (no Graphviz needed)"
    )
    diagram.set_defaults(run=_run_diagram)


def _run_diagram(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    graph = graph_by_name(_load(args), "all")
    for picture in diagram.pictures(graph, [to_iri(c) for c in args.cytokine]):
        for path in diagram.render(picture, args.output_dir, images=not args.no_images):
            print(path, file=out)
    return EXIT_OK


# --- diff ------------------------------------------------------------------------------------


def _add_diff_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="list the claims and terms that changed between two releases",
        description=(
            "Compare two releases (e.g. dist/il32.ttl of two versions; any RDF file): claims "
            "added, removed, with polarity flipped, or changed (statement, evidence, source, "
            "context), and terms created, removed, obsoleted or relabelled. "
            "Exit 0 when they say the same, 1 when they differ, 2 on error."
        ),
    )
    diff.add_argument("old", type=Path, help="the earlier release file")
    diff.add_argument("new", type=Path, help="the later release file")
    diff.add_argument(
        "--format", choices=["text", "markdown", "json"], default="text", help="default: text"
    )
    diff.add_argument("-o", "--output", type=Path, help="write the report to FILE")
    diff.set_defaults(run=_run_diff)


def _run_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    changes = diff_releases(parse_file(args.old), parse_file(args.new))
    render = {"text": changes.to_text, "markdown": changes.to_markdown, "json": changes.to_json}
    report = render[args.format]()
    if args.output is not None:
        write_atomic(args.output, report.encode("utf-8"))
        print(f"wrote {args.output}: {changes.summary()}", file=err)
    else:
        out.write(report)
    return EXIT_FINDINGS if changes else EXIT_OK


def _add_reason_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    _add_data_options(rea)
    _add_reasoner_options(rea)
    rea.add_argument("--format", choices=["text", "json"], default="text", help="report format")
    rea.add_argument("-o", "--output", type=Path, help="write the inferred triples as Turtle")
    rea.set_defaults(run=_run_reason)


def _add_reasoner_options(parser: argparse.ArgumentParser) -> None:
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


def _run_reason(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:

    result = reason(
        _load(args),
        reasoner=args.reasoner,
        timeout=args.timeout,
        java_memory_mb=args.java_memory,
    )
    if args.output is not None:
        write_atomic(args.output, serialize(result.inferred, RdfFormat.TURTLE))
        print(f"wrote {args.output} ({len(result.inferred)} inferred triples)", file=err)
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
            "inferred_triples": len(result.inferred),
            "seconds": round(result.seconds, 3),
        }
        print(json.dumps(report, indent=2), file=out)
    else:
        _print_reasoning(result, out)
    if not result.ok:
        print("il32rdf reason: the ontology has clashes (see the explanation)", file=err)
    return EXIT_OK if result.ok and not profile_errors else EXIT_FINDINGS


def _print_reasoning(result: ReasoningResult, out: TextIO) -> None:
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
        f"inferred triples: {len(result.inferred)} ({result.seconds:.1f} s)",
        file=out,
    )


# --- serve -----------------------------------------------------------------------------------


def _add_serve_command(commands: argparse._SubParsersAction[_Parser]) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the graph: SPARQL 1.1 endpoint, dereferenceable IRIs, query page",
        description=(
            "Serve the graph over HTTP until interrupted: the SPARQL 1.1 Protocol at /sparql, "
            "the named queries at /queries/NAME, read-only Graph Store Protocol at /rdf-graphs, "
            "every project IRI as HTML or RDF by content negotiation, a VoID description at "
            "/.well-known/void and a query page at /. Read-only; binds loopback by default."
        ),
    )
    _add_data_options(serve)
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback)")
    serve.add_argument("--port", type=int, default=8000, help="default: 8000")
    serve.add_argument(
        "--store", choices=["rdflib", "oxigraph"], default="rdflib", help="query engine"
    )
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
    serve.set_defaults(run=_run_serve)


def _run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if not args.mount.startswith("/"):
        raise UsageError(f"--mount must start with '/', not {args.mount!r}")
    settings = ServerSettings(
        mount=args.mount,
        engine=args.store,
        query_timeout=args.query_timeout,
        max_results=args.max_results,
        max_body=args.max_body,
    )
    dataset = _load(args)
    home = f"http://{args.host}:{args.port}{args.mount.rstrip('/')}/"
    print(f"il32rdf: serving on {home} (SPARQL endpoint {home}sparql); Ctrl-C stops", file=err)
    err.flush()
    serve(dataset, host=args.host, port=args.port, settings=settings)
    return EXIT_OK


# --- publish ---------------------------------------------------------------------------------


def _add_publish_command(commands: argparse._SubParsersAction[_Parser]) -> None:
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
    _add_data_options(pub)
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
        choices=[*GRAPH_NAMES, "all"],
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
    _add_store_options(pub)
    pub.set_defaults(run=_run_publish)


def _run_publish(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    urls = store_urls(args.endpoint, args.store_type, gsp=args.gsp, update=args.update)
    source = _open(args, err)
    result = publish(
        source if isinstance(source, OxigraphStore) else graph_by_name(source, args.which),
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


def _warning_printer(err: TextIO) -> Callable[..., None]:
    """Python warnings (e.g. rdflib reading ``"flase"^^xsd:boolean`` as false) as one line each,
    without the file, line and source of the library that raised them."""

    def show(message: Warning | str, *_: object, **__: object) -> None:
        print(f"il32rdf: warning: {message}", file=err)

    return show


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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the libraries' business
            warnings.simplefilter("default", UserWarning)  # about the data: shown, once each
            warnings.showwarning = _warning_printer(err)
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
