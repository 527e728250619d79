"""The commands that read the data and write it out: ``export``, ``stats``, ``diagram``,
``diff``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from il32rdf.cli.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    Parser,
    add_data_options,
    add_store_options,
    open_data,
    print_stats,
    stats_dict,
    write_out,
)
from il32rdf.formats import RdfFormat
from il32rdf.prefixes import GRAPH_IRIS
from il32rdf.store import Store

__all__ = ["add_commands"]


def add_commands(commands: argparse._SubParsersAction[Parser]) -> None:
    """``export``, ``stats``, ``diagram`` and ``diff``."""
    exp = commands.add_parser(
        "export",
        help="write the graph (or one named graph) in one RDF format",
        description="Serialize the graph deterministically: the same input gives the same bytes.",
    )
    add_data_options(exp)
    exp.add_argument(
        "--format",
        default=RdfFormat.TURTLE.value,
        metavar="FORMAT",
        help=f"one of: {', '.join(f.value for f in RdfFormat)} (default: turtle); nquads and "
        "trig keep the named graphs, the others write their union",
    )
    exp.add_argument(
        "--graph",
        default="all",
        choices=[*GRAPH_IRIS, "all"],
        help="which graph to write (default: all, their union)",
    )
    exp.add_argument("-o", "--output", type=Path, help="write to FILE instead of stdout")
    add_store_options(exp)
    exp.set_defaults(run=_run_export)

    st = commands.add_parser("stats", help="count triples, terms and claims")
    add_data_options(st)
    st.add_argument("--format", choices=["text", "json"], default="text", help="output format")
    add_store_options(st)
    st.set_defaults(run=_run_stats)
    _add_diagram_command(commands)
    _add_diff_command(commands)


def _run_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.export import export, export_file

    fmt = RdfFormat.from_name(args.format)
    source = open_data(args, err)
    if args.output is not None:  # streamed to the file, never held whole
        size = export_file(source, fmt, args.output, graph=args.graph)
        _say_merged(source, fmt, args.graph, err)
        print(f"wrote {args.output} ({size:,} bytes)", file=err)
        return EXIT_OK
    text = export(source, fmt, graph=args.graph)
    _say_merged(source, fmt, args.graph, err)  # once the export is made: a refusal is one line
    write_out(text, out)
    return EXIT_OK


def _say_merged(source: Store, fmt: RdfFormat, graph: str, err: TextIO) -> None:
    """A note naming the data's own named graphs that a triples format merges, if any."""
    from il32rdf.export import merged_graphs

    merged = merged_graphs(source, fmt, graph)
    own = {f"<{iri}>" for iri in GRAPH_IRIS.values()}
    if all(g in own for g in merged):
        return
    blank = sum(1 for g in merged if g[0] == "_")
    shown = [g for g in merged if g[0] == "<"] + [f"{blank} named by a blank node"] * (blank > 0)
    print(
        f"il32rdf: note: {fmt.value} holds one graph, so these {len(merged)} named graphs are"
        f" merged: {', '.join(shown)}; --format nquads or trig keeps them apart",
        file=err,
    )


def _run_stats(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.stats import stats

    counts = stats(open_data(args, err))
    if args.format == "json":
        print(json.dumps(stats_dict(counts), indent=2), file=out)
    else:
        print_stats(counts, out)
    return EXIT_OK


def _add_diagram_command(commands: argparse._SubParsersAction[Parser]) -> None:
    diagram = commands.add_parser(
        "diagram",
        help="draw a cytokine's causal graph and the cell lineage (SVG, PNG, DOT, Mermaid)",
        description=(
            "Generate pictures from the RDF: for each cytokine named (default: the few proteins "
            "with most claims about processes), the cells it acts on, what they secrete and the "
            "processes it affects, negated claims dashed; the cell lineage; and one overview of "
            "what the claims connect, by kind. Writes NAME.dot and NAME.mmd, and NAME.svg and "
            "NAME.png with Graphviz's dot."
        ),
    )
    add_data_options(diagram)
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
    add_store_options(diagram)
    diagram.set_defaults(run=_run_diagram)


def _run_diagram(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from il32rdf.figures import draw

    written = draw(
        open_data(args, err), args.output_dir, cytokines=args.cytokine, images=not args.no_images
    )
    for path in written:
        print(path, file=out)
    return EXIT_OK


def _add_diff_command(commands: argparse._SubParsersAction[Parser]) -> None:
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
    from il32rdf.diff import diff_releases
    from il32rdf.files import write_atomic
    from il32rdf.store.parse import parse_file

    changes = diff_releases(parse_file(args.old), parse_file(args.new))
    render = {"text": changes.to_text, "markdown": changes.to_markdown, "json": changes.to_json}
    report = render[args.format]()
    if args.output is not None:
        write_atomic(args.output, report.encode("utf-8"))
        print(f"wrote {args.output}: {changes.summary()}", file=err)
    else:
        out.write(report)
    return EXIT_FINDINGS if changes else EXIT_OK
