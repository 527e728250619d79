"""The report as text, JSON, Turtle (a ``sh:ValidationReport``), JUnit XML or Markdown.

Every format holds every result. Turtle is SHACL's own report: ``sh:conforms`` true only with
no result at all, blank-node shapes and data blank nodes as blank nodes, ``sh:resultPath`` the
real path (a complex one as SHACL's path structure), ``sh:resultSeverity`` the shape's own IRI.
Text, JSON, JUnit and Markdown name blank nodes by the report's stable labels.
"""

from __future__ import annotations

import enum
import json
import re
from collections import defaultdict
from dataclasses import asdict
from typing import Final

from rdflib import RDF, SH, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.plugins.parsers.ntriples import unquote
from rdflib.term import Node

from il32rdf.export import RdfFormat, serialize
from il32rdf.validate.report import (
    PathPart,
    ValidationReport,
    ValidationResult,
    parse_path,
)
from il32rdf.vocab import PREFIXES, compress_iri
from il32rdf.xmltext import escape, quoteattr

__all__ = ["ReportFormat", "render", "report_graph"]

_SHAPES_NS: Final = "https://w3id.org/il32rdf/shapes/"


class ReportFormat(enum.Enum):
    """The report formats; ``value`` is the name used on the command line."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"
    JUNIT = "junit"
    MARKDOWN = "markdown"


def render(report: ValidationReport, fmt: ReportFormat | str = ReportFormat.TEXT) -> str:
    """The report in ``fmt``.

    :raises ValueError: ``fmt`` names no format.
    """
    fmt = ReportFormat(fmt)
    if fmt is ReportFormat.JSON:
        return _json(report)
    if fmt is ReportFormat.TURTLE:
        return serialize(report_graph(report), RdfFormat.TURTLE).decode("utf-8")
    if fmt is ReportFormat.JUNIT:
        return _junit(report)
    if fmt is ReportFormat.MARKDOWN:
        return _markdown(report)
    return _text(report)


def summary(report: ValidationReport) -> str:
    """One line: the verdict and the counts (``conforms`` only with no result at all)."""
    if report.conforms:
        verdict = "conforms"
    elif report.passes():
        verdict = "does NOT conform (warnings and infos only: it passes)"
    else:
        verdict = "does NOT conform"
    return (
        f"{verdict}: {len(report.violations)} violation(s), {len(report.warnings)} warning(s),"
        f" {len(report.infos)} info(s)"
    )


def short(node: Node | str | None) -> str:
    """A CURIE where one exists (``CL:0000576``), the local shape name, a path in SPARQL
    syntax with CURIEs, or the IRI."""
    if node is None:
        return ""
    if isinstance(node, Literal):
        return node.n3()
    text = str(node)
    if text.startswith(("<", "^", "(")):  # a complex path
        return _path_words(parse_path(text))
    if text.startswith(_SHAPES_NS):
        return text[len(_SHAPES_NS) :]
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)) :]
    if text.startswith(('"', "_:")):
        return text
    return compress_iri(text) or f"<{text}>"


def _path_words(part: PathPart) -> str:
    if isinstance(part, URIRef):
        return short(part)
    if part.kind in ("sequence", "alternative"):
        joiner = "/" if part.kind == "sequence" else "|"
        return "(" + joiner.join(_path_words(p) for p in part.parts) + ")"
    words = _path_words(part.parts[0])
    mark = {"zeroOrMore": "*", "oneOrMore": "+", "zeroOrOne": "?"}.get(part.kind, "")
    return f"^{words}" if part.kind == "inverse" else f"{words}{mark}"


def _named(term: str | None, label: str | None) -> str:
    if term is None:
        return ""
    return f"{short(term)} ({label})" if label else short(term)


def _level(result: ValidationResult) -> str:
    custom = result.severity_iri != str(result.severity.iri)
    return short(result.severity_iri) if custom else result.severity.level


def _groups(report: ValidationReport) -> list[tuple[str, list[ValidationResult]]]:
    groups: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in report.results:
        groups[result.focus].append(result)
    return sorted(groups.items(), key=lambda item: (min(r.severity.rank for r in item[1]), item[0]))


def _text(report: ValidationReport) -> str:
    lines = [f"il32rdf validate: {summary(report)}"]
    for focus, results in _groups(report):
        first = results[0]
        head = _named(focus, first.focus_label)
        if first.source:
            head += f"  [source: {_named(first.source, first.source_label)}]"
        lines.append("")
        lines.append(head)
        for r in results:
            field = f"{short(r.path)}: " if r.path else ""
            value = f" [value: {_named(r.value, r.value_label)}]" if r.value else ""
            lines.append(f"  {_level(r):<5} {field}{r.message}{value}")
            lines.append(f"        fix: {r.hint}  (rule {short(r.shape)}, {short(r.component)})")
    return "\n".join(lines) + "\n"


def _json(report: ValidationReport) -> str:
    results = []
    for r in report.results:
        item = asdict(r)
        item["severity"] = r.severity.value
        item["level"] = r.severity.level
        item["hint"] = r.hint
        results.append(item)
    document = {
        "conforms": report.conforms,
        "passes": report.passes(),
        "violations": len(report.violations),
        "warnings": len(report.warnings),
        "infos": len(report.infos),
        "results": results,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def report_graph(report: ValidationReport) -> Graph:
    """The report as the standard ``sh:ValidationReport`` graph."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("il32sh", _SHAPES_NS)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    blanks: dict[str, BNode] = {}
    for r in report.results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, _node(r.focus, blanks)))
        graph.add((node, SH.resultSeverity, URIRef(r.severity_iri)))
        graph.add((node, SH.sourceShape, _node(r.shape, blanks)))
        graph.add((node, SH.sourceConstraintComponent, URIRef(r.component)))
        graph.add((node, SH.resultMessage, Literal(r.message)))
        if r.path is not None:
            graph.add((node, SH.resultPath, _path_node(graph, parse_path(r.path))))
        if r.value is not None:
            graph.add((node, SH.value, _node(r.value, blanks)))
    return graph


_LITERAL: Final = re.compile(r'^"(.*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$', re.DOTALL)


def _node(text: str, blanks: dict[str, BNode]) -> Node:
    match = _LITERAL.match(text)
    if match is not None:  # as written: rdflib would re-spell "none"^^xsd:boolean as false
        lexical, language, datatype = match.groups()
        return Literal(
            unquote(lexical),
            lang=language,
            datatype=URIRef(datatype) if datatype else None,
            normalize=False,
        )
    if text.startswith("_:"):
        return blanks.setdefault(text, BNode())
    return URIRef(text)


_PATH_KEYS: Final = {
    "inverse": SH.inversePath,
    "zeroOrMore": SH.zeroOrMorePath,
    "oneOrMore": SH.oneOrMorePath,
    "zeroOrOne": SH.zeroOrOnePath,
}


def _path_node(graph: Graph, part: PathPart) -> Node:
    """A path's SHACL structure in ``graph`` (fresh blank nodes for each result)."""
    if isinstance(part, URIRef):
        return part
    if part.kind in ("sequence", "alternative"):
        head = BNode()
        Collection(graph, head, [_path_node(graph, p) for p in part.parts])
        if part.kind == "sequence":
            return head
        node = BNode()
        graph.add((node, SH.alternativePath, head))
        return node
    node = BNode()
    graph.add((node, _PATH_KEYS[part.kind], _path_node(graph, part.parts[0])))
    return node


def _junit(report: ValidationReport) -> str:
    failures = len(report.violations)
    cases: list[str] = []
    for r in report.results:
        name = quoteattr(f"{short(r.focus)} {short(r.path) if r.path else ''}".strip())
        classname = quoteattr(f"il32rdf.shapes.{short(r.shape)}")
        body = escape(f"{r.message}\nfix: {r.hint}\nrule: {short(r.shape)} {short(r.component)}")
        if r.severity.rank == 0:
            kind, message = quoteattr(short(r.severity_iri)), quoteattr(r.message)
            inner = f"<failure type={kind} message={message}>{body}</failure>"
        else:
            inner = f"<system-out>{escape(r.severity.level)}: {body}</system-out>"
        cases.append(f"    <testcase classname={classname} name={name}>{inner}</testcase>")
    if not cases:
        cases.append('    <testcase classname="il32rdf.shapes" name="all shapes"/>')
    tests = max(1, len(report.results))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites tests="{tests}" failures="{failures}">\n'
        f'  <testsuite name="il32rdf validate" tests="{tests}" failures="{failures}" errors="0">\n'
        + "\n".join(cases)
        + "\n  </testsuite>\n</testsuites>\n"
    )


def _markdown(report: ValidationReport) -> str:
    lines = ["# il32rdf validation report", "", f"The graph {summary(report)}.", ""]
    if report.results:
        lines.append("| Level | Node | Source | Field | Problem | Fix | Rule |")
        lines.append("|---|---|---|---|---|---|---|")
        for r in report.results:
            cells = [
                _level(r),
                _named(r.focus, r.focus_label),
                _named(r.source, r.source_label),
                short(r.path) if r.path else "",
                r.message + (f" (value: {_named(r.value, r.value_label)})" if r.value else ""),
                r.hint,
                f"{short(r.shape)} / {short(r.component)}",
            ]
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
