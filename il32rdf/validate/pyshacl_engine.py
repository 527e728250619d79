"""The pySHACL path: SHACL validation of an rdflib graph by pySHACL (the only module that
imports it), and the checking of shapes graphs against SHACL-for-SHACL.

How the data is handed to pySHACL:

- the named graphs of a dataset (ontology, facts, inferred) are merged into one graph, because
  pySHACL validates the graphs of a dataset one by one and would not see the class hierarchy of
  the ontology graph, nor the plain edges of the inferred graph, from the facts graph;
- with the bundled shapes, the ``rdfs:subClassOf`` closure is computed here and added to that
  graph, so that "a claim about a monocyte is about a leukocyte" needs no inference (the
  bundled shapes are written against it); a user's shapes see the data as it is;
- the prefixes SPARQL queries may use undeclared (:attr:`Shapes.namespaces`) are bound in it;
- SHACL Core, SHACL-SPARQL constraints and SPARQL targets are enabled (``advanced=True``).

Each result comes back as a :class:`Found`: the nodes of the report, not yet a
:class:`~il32rdf.validate.report.ValidationResult` (:mod:`il32rdf.validate.results` makes those,
for both engines).
"""

from __future__ import annotations

import functools
import importlib.resources
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pyshacl
from pyshacl.errors import ReportableRuntimeError, ShapeLoadError, ValidationFailure
from rdflib import RDFS, SH, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from il32rdf.errors import ShapesError
from il32rdf.validate.report import Found
from il32rdf.validate.sparql_text import substitute

if TYPE_CHECKING:
    from il32rdf.validate.shapes_graph import Shapes

__all__ = ["Fault", "closure", "data_graph", "run", "shacl_shacl_faults"]


@dataclass(frozen=True)
class Fault:
    """A SHACL-for-SHACL result: what in the shapes graph is not valid SHACL."""

    focus: Node | None
    path: Node | None
    value: Node | None
    message: str


@functools.cache
def _shacl_shacl() -> Graph:
    asset = importlib.resources.files("pyshacl") / "assets" / "shacl-shacl.ttl"
    return Graph().parse(data=asset.read_text(encoding="utf-8"), format="turtle")


def shacl_shacl_faults(shapes: Graph) -> list[Fault]:
    """What SHACL-for-SHACL (the W3C shapes graph for shapes graphs) finds in ``shapes``.

    :raises ShapesError: pySHACL cannot even check them.
    """
    try:
        conforms, report, _ = pyshacl.validate(
            shapes, shacl_graph=_shacl_shacl(), inference="none", advanced=False
        )
    except (ReportableRuntimeError, ValidationFailure) as exc:
        raise ShapesError(f"the shapes cannot be checked: {exc}") from None
    if conforms or not isinstance(report, Graph):
        return []
    faults = []
    for result in report.objects(None, SH.result):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        faults.append(
            Fault(
                focus=report.value(result, SH.focusNode),
                path=report.value(result, SH.resultPath),
                value=report.value(result, SH.value),
                message=messages[0] if messages else "see SHACL-for-SHACL",
            )
        )
    return faults


def data_graph(
    data: Dataset | Graph, *, with_closure: bool = True, namespaces: dict[str, str] | None = None
) -> Graph:
    """The graph pySHACL sees: every triple of ``data`` (a dataset's named graphs and default
    graph merged), plus the ``rdfs:subClassOf`` closure unless ``with_closure`` is false, with
    ``namespaces`` bound. ``data`` itself is not changed."""
    union = Graph()
    for prefix, namespace in (namespaces or {}).items():
        union.bind(prefix, namespace, override=True, replace=True)
    if isinstance(data, Dataset):
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    if with_closure:
        for triple in closure(union.subject_objects(RDFS.subClassOf)):
            union.add(triple)
    return union


def closure(edges: Iterable[tuple[Node, Node]]) -> Iterable[tuple[URIRef, URIRef, URIRef]]:
    """The transitive ``rdfs:subClassOf`` edges between named classes that ``edges`` lack."""
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in edges:
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            parents[sub].add(sup)
    for cls, direct in list(parents.items()):
        seen: set[URIRef] = set()
        todo = list(direct)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo.extend(parents.get(node, ()))
        for ancestor in seen - direct:
            yield cls, RDFS.subClassOf, ancestor


def run(graph: Graph, shapes: Shapes) -> list[Found]:
    """Every result pySHACL reports for ``graph`` (made by :func:`data_graph`).

    A result's message is kept when its shape or SPARQL constraint has a ``sh:message`` (pySHACL
    filled in its variables); otherwise it is left for the default message.

    :raises ShapesError: pySHACL refuses the shapes or fails while validating.
    """
    try:
        _, report, _ = pyshacl.validate(
            graph,
            shacl_graph=shapes.for_pyshacl,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            inplace=True,  # the graph is data_graph's own copy; a clone would re-spell literals
        )
    except (ShapeLoadError, ReportableRuntimeError, ValidationFailure) as exc:
        raise ShapesError(f"the shapes cannot be used: {_one_line(str(exc))}") from None
    except Exception as exc:  # e.g. a SPARQL query that parses but fails when it runs
        raise ShapesError(
            f"the shapes failed while validating: {type(exc).__name__}: {_one_line(str(exc))}"
        ) from None
    if not isinstance(report, Graph):  # pySHACL returns its failure instead of raising it
        raise ShapesError(f"the shapes cannot be used: {_one_line(str(report))}")
    found: list[Found] = []
    for node in report.objects(None, SH.result):
        shape = report.value(node, SH.sourceShape)
        constraint = report.value(node, SH.sourceConstraint)
        path = report.value(node, SH.resultPath)
        assert shape is not None
        if path is not None and not isinstance(path, URIRef):
            path = shapes.graph.value(shape, SH.path)  # the same path, as the shapes graph has it
        component = _required(report.value(node, SH.sourceConstraintComponent))
        keep = shapes.message_templates(shape, component, constraint)
        messages = tuple(
            sorted(str(m) for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal))
        )
        found.append(
            Found(
                focus=_required(report.value(node, SH.focusNode)),
                severity=_required(report.value(node, SH.resultSeverity)),
                shape=shape,
                component=component,
                path=path,
                value=report.value(node, SH.value),
                messages=messages if keep else (),
            )
        )
    return list(_with_ask_values(graph, shapes, found))


def _with_ask_values(graph: Graph, shapes: Shapes, found: list[Found]) -> Iterable[Found]:
    """The results, with the value node put back into those pySHACL leaves without one: an
    ASK validator's on a property shape (SHACL's template selects ``?value``; pySHACL drops it
    for the DASH suite). The failing value nodes are found again with rdflib, one ASK each."""
    groups: dict[tuple[Node, Node, Node], list[Found]] = defaultdict(list)
    for result in found:
        path = shapes.graph.value(result.shape, SH.path)
        if result.value is None and path is not None and shapes.is_component(result.component):
            groups[(result.focus, result.shape, result.component)].append(result)
        else:
            yield result
    for (focus, shape, component), results in groups.items():
        failing = _failing_values(graph, shapes, focus, shape, component)
        if len(failing) == len(results):
            yield from (replace(r, value=v) for r, v in zip(results, failing, strict=True))
        else:  # not an ASK validator's results: as pySHACL gave them
            yield from results


def _failing_values(
    graph: Graph, shapes: Shapes, focus: Node, shape: Node, component: Node
) -> list[Node]:
    sg = shapes.graph
    validator = next(
        (v for k in (SH.propertyValidator, SH.validator) for v in sg.objects(component, k)), None
    )
    ask = sg.value(validator, SH.ask) if validator is not None else None
    path = sg.value(shape, SH.path)
    if validator is None or ask is None or path is None or not isinstance(focus, Identifier):
        return []
    constants = {"PATH": shapes.sparql_path(path)}
    for parameter in sg.objects(component, SH.parameter):
        key = sg.value(parameter, SH.path)
        value = sg.value(shape, key) if isinstance(key, URIRef) else None
        if key is not None and value is not None:
            constants[str(key).rpartition("#")[2].rpartition("/")[2]] = value.n3()
    prologue = "".join(f"PREFIX {p}: <{n}>\n" for p, n in shapes.prefixes(validator).items())
    query = prologue + substitute(str(ask), constants)
    values = graph.query(f"SELECT DISTINCT ?v WHERE {{ {focus.n3()} {constants['PATH']} ?v }}")
    failing: list[Node] = []
    for (value,) in sorted(values, key=str):  # type: ignore[misc]
        answer = graph.query(query, initBindings={"this": focus, "value": value})
        if answer.askAnswer is False:
            failing.append(value)
    return failing


def _required(node: Node | None) -> Node:
    assert node is not None, "pySHACL left out a required part of a result"
    return node


def _one_line(text: str) -> str:
    return " ".join(text.split())
