"""From a reasoner's answer to a result: closures, most specific classes, the relation graph;
and the OWL 2 RL tier (owlrl, the only module that imports it)."""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Mapping

import owlrl
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from il32rdf.reason.dl import _Answer, _Engine
from il32rdf.reason.explain import _explain, _term_maker
from il32rdf.reason.input import _HELPER, _PROBE, _WITNESS, _Input, _restriction_id
from il32rdf.reason.model import (
    Explanation,
    ProfileFinding,
    ReasoningResult,
    SubClassAxiom,
    TypeAssertion,
)
from il32rdf.terms import rdflib_statements

# --- from answers to a result -----------------------------------------------------------------


def _closure(parents: Mapping[URIRef, set[URIRef]], start: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = list(parents.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(parents.get(node, ()))
    seen.discard(start)
    return seen


def _most_specific(nodes: set[URIRef], ancestors: Mapping[URIRef, set[URIRef]]) -> set[URIRef]:
    return {
        n
        for n in nodes
        if not any(
            other != n and n in ancestors.get(other, ()) and other not in ancestors.get(n, ())
            for other in nodes
        )
    }


def _relation_helpers(
    graph: Graph, classes: frozenset[URIRef]
) -> dict[URIRef, tuple[URIRef, URIRef]]:
    """Helper classes ``R some B`` for every (R, B) an existential axiom can entail."""
    superprops: dict[URIRef, set[URIRef]] = defaultdict(set)
    for p, q in graph.subject_objects(RDFS.subPropertyOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            superprops[p].add(q)
    superclasses: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in graph.subject_objects(RDFS.subClassOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            superclasses[a].add(b)
    pairs: set[tuple[URIRef, URIRef]] = set()
    for node, filler in graph.subject_objects(OWL.someValuesFrom):
        prop = graph.value(node, OWL.onProperty)
        if isinstance(prop, URIRef) and isinstance(filler, URIRef) and filler in classes:
            for r in {prop} | _closure(superprops, prop):
                for b in {filler} | _closure(superclasses, filler):
                    if b in classes:
                        pairs.add((r, b))
    return {
        URIRef(_HELPER + hashlib.sha1(f"{r} {b}".encode()).hexdigest()[:16]): (r, b)
        for r, b in sorted(pairs)
    }


def _with_helpers(graph: Graph, helpers: Mapping[URIRef, tuple[URIRef, URIRef]]) -> Graph:
    extended = Graph()
    for triple in graph:
        extended.add(triple)
    for helper, (r, b) in helpers.items():
        restriction = _restriction_id(r, b)
        extended.add((restriction, RDF.type, OWL.Restriction))
        extended.add((restriction, OWL.onProperty, r))
        extended.add((restriction, OWL.someValuesFrom, b))
        extended.add((helper, RDF.type, OWL.Class))
        extended.add((helper, OWL.equivalentClass, restriction))
    return extended


def _asserted_parents(graph: Graph) -> dict[URIRef, set[URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in graph.subject_objects(RDFS.subClassOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
            parents[b].add(a)
    return parents


def _asserted_types(graph: Graph, classes: frozenset[URIRef]) -> dict[URIRef, set[URIRef]]:
    types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for i, c in graph.subject_objects(RDF.type):
        if isinstance(i, URIRef) and c in classes and i not in classes:
            types[i].add(c)  # type: ignore[arg-type]
    return types


def _assemble(
    prepared: _Input,
    answer: _Answer,
    helpers: Mapping[URIRef, tuple[URIRef, URIRef]],
    *,
    reasoner: str,
    dl_checked: bool,
    skipped: str | None,
    explanations: tuple[Explanation, ...],
    profile: tuple[ProfileFinding, ...],
    started: float,
) -> ReasoningResult:
    graph, classes = prepared.graph, prepared.classes
    term = _term_maker(prepared.labels)
    inferred = Graph()
    if not answer.consistent:
        return ReasoningResult(
            False, reasoner, dl_checked, skipped, (), (), (), explanations, frozenset(), {}, {},
            profile, time.perf_counter() - started,
        )  # fmt: skip

    def named(node: URIRef) -> bool:
        return node in classes and node not in answer.unsatisfiable

    asserted = _asserted_parents(graph)
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, bs in asserted.items():
        parents[a].update(bs)
    for a, b in answer.parents:
        parents[a].add(b)
    every = set(classes) | set(helpers)
    closure = {c: _closure(parents, c) for c in every}
    ancestors = {c: {a for a in closure[c] if named(a)} for c in classes if named(c)}

    new_subclasses: set[SubClassAxiom] = set()
    for c, sups in ancestors.items():
        for sup in _most_specific(sups, ancestors) - asserted.get(c, set()):
            if c not in ancestors.get(sup, ()):  # not an equivalence
                new_subclasses.add(SubClassAxiom(term(c), term(sup)))
        for sup in sups - asserted.get(c, set()):
            inferred.add((c, RDFS.subClassOf, sup))

    direct_types: dict[URIRef, set[URIRef]] = defaultdict(set)
    for i, cs in _asserted_types(graph, classes).items():
        direct_types[i].update(cs)
    for i, c in answer.types:
        if i not in every and not str(i).startswith(_WITNESS) and i != _PROBE:
            direct_types[i].add(c)
    asserted_types = _asserted_types(graph, classes)
    types: dict[URIRef, set[URIRef]] = {}
    helper_types: dict[URIRef, set[URIRef]] = {}
    new_types: set[TypeAssertion] = set()
    for i, cs in direct_types.items():
        all_types = set(cs) | {a for c in cs for a in closure.get(c, ())}
        types[i] = {c for c in all_types if named(c)}
        helper_types[i] = {c for c in all_types if c in helpers}
        for c in _most_specific(types[i], ancestors) - asserted_types.get(i, set()):
            new_types.add(TypeAssertion(term(i), term(c)))
        for c in types[i] - asserted_types.get(i, set()):
            inferred.add((i, RDF.type, c))

    # relation graph: A R B from A SubClassOf (R some B); i R B from i Type (R some B)
    relations: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    for subject, supers in [*((c, closure[c]) for c in ancestors), *helper_types.items()]:
        for helper in supers:
            if helper in helpers:
                r, b = helpers[helper]
                if b != subject:
                    relations[(subject, r)].add(b)
    for (subject, r), fillers in relations.items():
        for b in _most_specific(fillers, ancestors):
            inferred.add((subject, r, b))
    for s, p, o in answer.edges:
        if s not in every and o not in every and (s, p, o) not in graph:
            inferred.add((s, p, o))
    unsat = tuple(sorted(term(c) for c in answer.unsatisfiable if c in classes))
    return ReasoningResult(
        consistent=True,
        reasoner=reasoner,
        dl_checked=dl_checked,
        skipped_reason=skipped,
        unsatisfiable=unsat,
        inferred_subclasses=tuple(sorted(new_subclasses)),
        inferred_types=tuple(sorted(new_types)),
        explanations=explanations,
        statements=frozenset(rdflib_statements(inferred)),
        ancestors={str(c): frozenset(str(a) for a in s) for c, s in sorted(ancestors.items())},
        types={str(i): frozenset(str(c) for c in s) for i, s in sorted(types.items())},
        profile=profile,
        seconds=time.perf_counter() - started,
    )


def _dl_result(
    prepared: _Input,
    engine: _Engine,
    profile: tuple[ProfileFinding, ...],
    started: float,
    *,
    explain: bool,
    relation_edges: bool = True,
) -> ReasoningResult:
    helpers = _relation_helpers(prepared.graph, prepared.classes) if relation_edges else {}
    answer = engine.run(_with_helpers(prepared.graph, helpers), full=relation_edges)
    return _finish(prepared, answer, helpers, engine, profile, started, explain=explain)


def _finish(
    prepared: _Input,
    answer: _Answer | None,
    helpers: Mapping[URIRef, tuple[URIRef, URIRef]],
    engine: _Engine,
    profile: tuple[ProfileFinding, ...],
    started: float,
    *,
    explain: bool,
) -> ReasoningResult:
    """The result of a DL reasoner's ``answer`` (run now when None), with the explanations of
    an inconsistency or of each unsatisfiable class when ``explain``."""
    if answer is None:
        answer = engine.run(_with_helpers(prepared.graph, helpers))
    explanations: list[Explanation] = []
    if explain and not answer.consistent:
        explanations.append(_explain(prepared, engine, None))
    elif explain:
        for cls in sorted(c for c in answer.unsatisfiable if c in prepared.classes):
            explanations.append(_explain(prepared, engine, cls))
    return _assemble(
        prepared, answer, helpers, reasoner=engine.name, dl_checked=True, skipped=None,
        explanations=tuple(explanations), profile=profile, started=started,
    )  # fmt: skip


# --- the OWL 2 RL tier ----------------------------------------------------------------------


def _rl_result(
    prepared: _Input, profile: tuple[ProfileFinding, ...], started: float, skipped: str
) -> ReasoningResult:
    graph = Graph()
    for triple in prepared.graph:
        graph.add(triple)
    # OWL 2 RL cannot use an existential in a class assertion: name a witness instead
    for s, node in list(prepared.graph.subject_objects(RDF.type)):
        filler = prepared.graph.value(node, OWL.someValuesFrom)
        prop = prepared.graph.value(node, OWL.onProperty)
        if isinstance(s, URIRef) and isinstance(node, BNode) and filler in prepared.classes:
            witness = URIRef(_WITNESS + hashlib.sha1(f"{s} {prop} {filler}".encode()).hexdigest())
            graph.add((s, prop, witness))  # type: ignore[arg-type]
            graph.add((witness, RDF.type, filler))  # type: ignore[arg-type]
    errors_before = set(graph.subjects(RDF.type, owlrl.Namespaces.ERRNS.ErrorMessage))
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    messages = sorted(
        str(m)
        for e in set(graph.subjects(RDF.type, owlrl.Namespaces.ERRNS.ErrorMessage)) - errors_before
        for m in graph.objects(e, owlrl.Namespaces.ERRNS.error)
    )
    classes = prepared.classes
    answer = _Answer(consistent=not messages)
    helpers: dict[URIRef, tuple[URIRef, URIRef]] = {}
    for a, b in graph.subject_objects(RDFS.subClassOf):
        if a in classes and b == OWL.Nothing:
            answer.unsatisfiable.add(a)  # type: ignore[arg-type]
        elif a in classes and b in classes:
            answer.parents.add((a, b))  # type: ignore[arg-type]
        elif a in classes and isinstance(b, BNode):
            prop, filler = graph.value(b, OWL.onProperty), graph.value(b, OWL.someValuesFrom)
            if isinstance(prop, URIRef) and filler in classes:
                helper = URIRef(_HELPER + hashlib.sha1(f"{prop} {filler}".encode()).hexdigest())
                helpers[helper] = (prop, filler)  # type: ignore[assignment]
                answer.parents.add((a, helper))  # type: ignore[arg-type]
    for i, c in graph.subject_objects(RDF.type):
        if isinstance(i, URIRef) and c in classes and i not in classes:
            answer.types.add((i, c))  # type: ignore[arg-type]
    for s, p, o in graph:
        if isinstance(s, URIRef) and str(o).startswith(_WITNESS):
            for filler in graph.objects(o, RDF.type):
                if filler in classes:
                    helper = URIRef(_HELPER + hashlib.sha1(f"{p} {filler}".encode()).hexdigest())
                    helpers[helper] = (p, filler)  # type: ignore[assignment]
                    answer.types.add((s, helper))
    object_properties = set(graph.subjects(RDF.type, OWL.ObjectProperty))
    for s, p, o in graph:
        if (
            p in object_properties
            and isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and s not in classes
            and o not in classes
            and not str(o).startswith(_WITNESS)
        ):
            answer.edges.add((s, p, o))  # type: ignore[arg-type]
    explanations: tuple[Explanation, ...] = ()
    if messages:
        readable = tuple(_readable_message(m, prepared.labels) for m in messages)
        explanations = (Explanation("inconsistency (OWL 2 RL rule)", None, readable, False),)
    return _assemble(
        prepared, answer, helpers, reasoner="owlrl", dl_checked=False, skipped=skipped,
        explanations=explanations, profile=profile, started=started,
    )  # fmt: skip


def _readable_message(message: str, labels: Mapping[Node, str]) -> str:
    def label(match: re.Match[str]) -> str:
        iri = URIRef(match[0])
        return f"'{labels[iri]}'" if iri in labels else match[0]

    return re.sub(r"(?:https?|urn):[^\s,;)]+", label, message)
