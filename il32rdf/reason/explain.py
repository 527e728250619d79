"""Explanations: a minimal set of axioms that still clashes, rendered with labels."""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import owlready2
import owlready2.reasoning
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from il32rdf.reason.dl import _Engine
from il32rdf.reason.input import (
    _BUILTIN_ANNOTATIONS,
    _CHARACTERISTICS,
    _DECLARATIONS,
    _PROBE,
    _RESERVED,
    _Input,
    _named_classes,
    _Unit,
)
from il32rdf.reason.model import EXPLANATION_RUNS, Explanation, Term, _name

# --- explanations ---------------------------------------------------------------------------


def _term_maker(labels: Mapping[Node, str]) -> Any:
    def term(node: Node) -> Term:
        return Term(str(node), _name(node, labels))

    return term


def _units(graph: Graph) -> tuple[Graph, list[list[tuple[Node, Node, Node]]]]:
    """Split ``graph`` into background (declarations, annotations) and axiom units: a triple with
    an IRI subject together with the blank nodes it reaches (one restriction, one list)."""
    annotation = set(graph.subjects(RDF.type, OWL.AnnotationProperty)) | _BUILTIN_ANNOTATIONS
    background = Graph()
    referenced = {o for o in graph.objects() if isinstance(o, BNode)}

    def reach(node: Node) -> Iterator[tuple[Node, Node, Node]]:
        for triple in sorted(graph.triples((node, None, None))):
            yield triple
            if isinstance(triple[2], BNode):
                yield from reach(triple[2])

    units: list[list[tuple[Node, Node, Node]]] = []
    for s, p, o in sorted(graph):
        if p in annotation or (p == RDF.type and o in _DECLARATIONS):
            if isinstance(s, URIRef):
                background.add((s, p, o))
            continue
        if isinstance(s, URIRef):
            unit: _Unit = [(s, p, o)]
            if isinstance(o, BNode):
                unit.extend(reach(o))
            units.append(unit)
    for root in sorted({s for s in graph.subjects() if isinstance(s, BNode)} - referenced):
        units.append(list(reach(root)))  # e.g. owl:AllDisjointClasses
    # ABox (individuals) after TBox, so that the first halves tried split them apart
    individuals = _individuals(graph)
    tbox = [u for u in units if u[0][0] not in individuals]
    abox = [u for u in units if u[0][0] in individuals]
    return background, tbox + abox


def _individuals(graph: Graph) -> set[Node]:
    classes = _named_classes(graph)
    properties = {
        p
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for p in graph.subjects(RDF.type, kind)
    }
    return {
        s
        for s in graph.subjects()
        if isinstance(s, URIRef) and s not in classes and s not in properties
    }


def _explain(prepared: _Input, engine: _Engine, cls: URIRef | None) -> Explanation:
    """A minimal set of axioms that still clashes, checked with the engine's reasoner.

    Pellet's explanation (one JVM run) names the entities involved; the axioms over those names
    are checked and shrunk one by one. Without a usable hint, ddmin over all axiom units, within
    :data:`EXPLANATION_RUNS` runs.
    """
    background, units = _units(prepared.graph)
    if cls is not None:
        background.add((_PROBE, RDF.type, OWL.NamedIndividual))
        background.add((_PROBE, RDF.type, cls))
        about = f"unsatisfiable class '{_name(cls, prepared.labels)}'"
    else:
        about = "inconsistency"
    budget = engine.runs + EXPLANATION_RUNS

    def clashes(candidate: list[list[tuple[Node, Node, Node]]]) -> bool:
        graph = Graph()
        for triple in background:
            graph.add(triple)
        for unit in candidate:
            for triple in unit:
                graph.add(triple)
        return not engine.run(graph, full=False).consistent

    complete = True
    hint = _pellet_hint(engine, prepared.graph, cls)
    candidates = [u for u in units if hint and _local_names(u) <= hint[0]]
    if hint and candidates and clashes(candidates):
        core = candidates
        if len(core) > hint[1]:  # more axioms share the names than Pellet used: drop extras
            for unit in list(core):
                if engine.runs >= budget:
                    complete = False
                    break
                trial = [u for u in core if u is not unit]
                if clashes(trial):
                    core = trial
    else:
        core, complete = _ddmin(units, clashes, lambda: engine.runs < budget)
    full = Graph()
    for triple in prepared.graph:
        full.add(triple)
    axioms = sorted({_render_unit(full, unit, prepared) for unit in core})
    return Explanation(about, str(cls) if cls is not None else None, tuple(axioms), complete)


def _ddmin(units: list[_Unit], clashes: Any, may_run: Any) -> tuple[list[_Unit], bool]:
    """Zeller's ddmin (complements only): drop chunks that the clash does not need."""
    core, chunks = units, 2
    while len(core) >= 2:
        size = math.ceil(len(core) / chunks)
        for start in range(0, len(core), size):
            if not may_run():
                return core, False
            trial = core[:start] + core[start + size :]
            if clashes(trial):
                core, chunks = trial, max(chunks - 1, 2)
                break
        else:
            if chunks >= len(core):
                break
            chunks = min(len(core), chunks * 2)
    return core, True


def _local_names(unit: _Unit) -> set[str]:
    return {
        re.split(r"[/#]", str(term).rstrip("/"))[-1]
        for triple in unit
        for term in triple
        if isinstance(term, URIRef) and not str(term).startswith(_RESERVED)
    }


def _pellet_hint(engine: _Engine, graph: Graph, cls: URIRef | None) -> tuple[set[str], int] | None:
    """The local names in Pellet's first explanation, and how many axioms it has (or None)."""
    with tempfile.TemporaryDirectory(prefix="il32rdf-explain-") as tmp:
        path = Path(tmp) / "input.owl"
        path.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
        what = ["--unsat", str(cls)] if cls is not None else ["--inconsistent"]
        command = [
            engine.java, f"-Xmx{engine.memory}M", "-cp", owlready2.reasoning._PELLET_CLASSPATH,
            "pellet.Pellet", "explain", *what, "--ignore-imports", path.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=engine.timeout, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
    _, found, text = done.stdout.partition("Explanation(s):")
    if not found:
        return None
    block: list[str] = []
    for line in text.splitlines():
        if not line.strip() and not block:
            continue
        if not line.strip() or (block and re.match(r"^\d+\)", line)):
            break
        block.append(re.sub(r"^\d+\)", "  ", line))
    if not block:
        return None
    indent = min(len(line) - len(line.lstrip()) for line in block)
    count = sum(1 for line in block if len(line) - len(line.lstrip()) == indent)
    names = set(re.findall(r"[A-Za-z_][\w.\-]*", " ".join(block)))
    return names, count


def _render_unit(graph: Graph, unit: list[tuple[Node, Node, Node]], prepared: _Input) -> str:
    labels = prepared.labels
    s, p, o = unit[0]

    def q(node: Node) -> str:
        if isinstance(node, Literal):
            return str(node.value).lower() if node.datatype == XSD.boolean else f'"{node}"'
        return f"'{_name(node, labels)}'"

    text: str
    if isinstance(s, BNode):
        members = _members(graph, graph.value(s, OWL.members))
        kind: dict[Node, str] = {
            OWL.AllDisjointClasses: "DisjointClasses",
            OWL.AllDifferent: "DifferentIndividuals",
        }
        name = next((kind[t] for t in graph.objects(s, RDF.type) if t in kind), "Axiom")
        text = f"{name}: {', '.join(q(m) for m in members)}"
    elif p == RDF.type and o in _CHARACTERISTICS:
        text = f"{q(s)} is {_CHARACTERISTICS[o]}"  # type: ignore[index]
    else:
        keyword = {
            RDFS.subClassOf: "SubClassOf",
            OWL.equivalentClass: "EquivalentTo",
            OWL.disjointWith: "DisjointWith",
            RDF.type: "Type",
            RDFS.domain: "Domain",
            RDFS.range: "Range",
            RDFS.subPropertyOf: "SubPropertyOf",
            OWL.inverseOf: "InverseOf",
            OWL.sameAs: "SameAs",
            OWL.differentFrom: "DifferentFrom",
            OWL.propertyDisjointWith: "DisjointWith",
        }.get(p)  # type: ignore[call-overload]
        if keyword is None:
            text = f"{q(s)} {q(p)} {_expr(graph, o, labels)}"
        else:
            text = f"{q(s)} {keyword} {_expr(graph, o, labels)}"
    claim = prepared.origin.get(unit[0])
    if claim is not None:
        text += f" (from claim '{_name(claim, labels)}')"
    return text


def _members(graph: Graph, head: Node | None) -> list[Node]:
    if head is None:
        return []
    return list(Collection(graph, head))


def _expr(graph: Graph, node: Node, labels: Mapping[Node, str]) -> str:
    """A class expression in Manchester-like syntax, with labels."""
    if isinstance(node, Literal):
        return str(node.value).lower() if node.datatype == XSD.boolean else f'"{node}"'
    if not isinstance(node, BNode):
        return f"'{_name(node, labels)}'"

    def sub(n: Node) -> str:
        text = _expr(graph, n, labels)
        return f"({text})" if isinstance(n, BNode) else text

    prop = graph.value(node, OWL.onProperty)
    if prop is not None:
        name = f"'{_name(prop, labels)}'"
        for key, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only")):
            filler = graph.value(node, key)
            if filler is not None:
                return f"{name} {word} {sub(filler)}"
        value = graph.value(node, OWL.hasValue)
        if value is not None:
            return f"{name} value {sub(value)}"
        for key, word in (
            (OWL.minQualifiedCardinality, "min"),
            (OWL.maxQualifiedCardinality, "max"),
            (OWL.qualifiedCardinality, "exactly"),
            (OWL.minCardinality, "min"),
            (OWL.maxCardinality, "max"),
            (OWL.cardinality, "exactly"),
        ):
            number = graph.value(node, key)
            if number is not None:
                on = graph.value(node, OWL.onClass)
                return f"{name} {word} {number}" + (f" {sub(on)}" if on is not None else "")
        return f"{name} (restriction)"
    for key, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
        head = graph.value(node, key)
        if head is not None:
            return word.join(sub(m) for m in _members(graph, head))
    complement = graph.value(node, OWL.complementOf)
    if complement is not None:
        return f"not {sub(complement)}"
    one_of = graph.value(node, OWL.oneOf)
    if one_of is not None:
        return "{" + ", ".join(sub(m) for m in _members(graph, one_of)) + "}"
    return "an anonymous class"
