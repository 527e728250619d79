"""The W3C SHACL test suite (``../shared/conformance/shacl/``): its tests, and how a report is
compared with the expected one.

Each test names a data graph, a shapes graph and either the expected ``sh:ValidationReport`` or
``sht:Failure`` (the validator must refuse). A report matches when ``sh:conforms`` is the same and
the results are the same multiset on focus node, path, value, source shape, constraint component
and severity: the two result graphs restricted to those six properties (and the structure of
complex paths) are isomorphic, so a blank node matches a blank node. Messages are not compared
(the suite leaves their wording to the engine).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
from rdflib import RDF, RDFS, SH, BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.term import Node

from il32rdf.store.oxterms import rdflib_triple
from il32rdf.store.parse import parse_file
from il32rdf.terms import quiet_rdflib

SUITE: Final = (Path(__file__).resolve().parents[2] / "shared" / "conformance" / "shacl").resolve()
"""The suite's folder beside the checkout (CI always has it)."""

MF: Final = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT: Final = Namespace("http://www.w3.org/ns/shacl-test#")

COMPARED: Final = (
    SH.focusNode,
    SH.resultPath,
    SH.value,
    SH.sourceShape,
    SH.sourceConstraintComponent,
    SH.resultSeverity,
)
_PATH_LINKS: Final = (
    RDF.first,
    RDF.rest,
    SH.inversePath,
    SH.alternativePath,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
)


@dataclass(frozen=True)
class SuiteTest:
    """One entry of a manifest. ``expected`` is None for a test that expects a failure."""

    name: str  # e.g. core/node/minInclusive-001
    label: str
    data: Path
    shapes: Path
    expected: Graph | None  # the expected results, as :func:`results_graph` gives them
    conforms: bool | None

    @property
    def part(self) -> str:
        """``core`` or ``sparql``."""
        return self.name.split("/", 1)[0]


def _path_of(uri: Node) -> Path:
    return Path(unquote(urlparse(str(uri)).path))


def entries(root: Path = SUITE) -> list[SuiteTest]:
    """Every test of the suite's manifests, in manifest order."""
    return list(_walk(root / "manifest.ttl", root))


def _parse_text(turtle: str) -> Graph:
    """Turtle text read as il32rdf reads a file (Oxigraph's parser, literals as written: rdflib
    alone would make "4.0"^^xsd:decimal and "4"^^xsd:decimal, or "none"^^xsd:boolean and false,
    one term)."""
    graph = Graph()
    with quiet_rdflib():
        graph.addN((*rdflib_triple(q), graph) for q in ox.parse(turtle, ox.RdfFormat.TURTLE))
    return graph


def _walk(manifest: Path, root: Path) -> Iterator[SuiteTest]:
    graph = parse_file(manifest)
    for included in graph.objects(None, MF.include):
        yield from _walk(_path_of(included), root)
    for head in graph.objects(None, MF.entries):
        for entry in Collection(graph, head):
            yield _entry(graph, entry, manifest, root)


def _entry(graph: Graph, entry: Node, manifest: Path, root: Path) -> SuiteTest:
    action = graph.value(entry, MF.action)
    data, shapes = graph.value(action, SHT.dataGraph), graph.value(action, SHT.shapesGraph)
    result = graph.value(entry, MF.result)
    name = str(manifest.parent.relative_to(root) / str(entry).rsplit("/", 1)[-1])
    assert data is not None and shapes is not None and result is not None, name
    if result == SHT.Failure:
        expected, conforms = None, None
    else:
        flag = graph.value(result, SH.conforms)
        assert isinstance(flag, Literal), name
        expected, conforms = results_graph(graph, result), bool(flag.toPython())
    return SuiteTest(
        name=name,
        label=str(graph.value(entry, RDFS.label) or ""),
        data=_path_of(data),
        shapes=_path_of(shapes),
        expected=expected,
        conforms=conforms,
    )


def results_graph(graph: Graph, report: Node) -> Graph:
    """The results of ``report`` in ``graph``: each result a fresh blank node with the six
    compared properties, and the structure of complex paths below them."""
    out = Graph()
    for result in graph.objects(report, SH.result):
        node = BNode()
        out.add((node, RDF.type, SH.ValidationResult))
        for predicate in COMPARED:
            for value in graph.objects(result, predicate):
                if predicate == SH.resultPath:
                    value = _copy_path(graph, value, out)
                out.add((node, predicate, value))
    return out


def _copy_path(graph: Graph, path: Node, out: Graph) -> Node:
    """A copy of a complex path with fresh blank nodes (each result owns its path)."""
    if not isinstance(path, BNode):
        return path
    fresh: dict[Node, BNode] = {}
    todo = [path]
    while todo:
        node = todo.pop()
        if node in fresh:
            continue
        fresh[node] = BNode()
        for link in _PATH_LINKS:
            todo.extend(t for t in graph.objects(node, link) if isinstance(t, BNode))
    for node, copy in fresh.items():
        for link in _PATH_LINKS:
            for target in graph.objects(node, link):
                out.add((copy, link, fresh.get(target, target)))
    return fresh[path]


def report_results(turtle: str) -> tuple[bool, Graph]:
    """``sh:conforms`` and the results of a Turtle ``sh:ValidationReport``."""
    graph = _parse_text(turtle)
    (report,) = graph.subjects(RDF.type, SH.ValidationReport)
    flag = graph.value(report, SH.conforms)
    assert isinstance(flag, Literal)
    return bool(flag.toPython()), results_graph(graph, report)


def normalized(graph: Graph | None) -> Graph:
    """The graph with each literal in rdflib's canonical form (compared by value)."""
    out = Graph()
    for s, p, o in graph if graph is not None else ():
        if isinstance(o, Literal):
            o = Literal(str(o), lang=o.language, datatype=o.datatype, normalize=True)
        out.add((s, p, o))
    return out


def same_results(actual: Graph, expected: Graph) -> bool:
    """The two result graphs are equal up to blank-node labels."""
    return isomorphic(actual, expected)


def difference(actual: Graph, expected: Graph) -> str:
    """A readable account of what one result graph has that the other lacks."""
    _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
    lines = [f"  unexpected: {' '.join(t.n3() for t in triple)}" for triple in only_actual]
    lines += [f"  missing:    {' '.join(t.n3() for t in triple)}" for triple in only_expected]
    return "\n".join(sorted(lines))
