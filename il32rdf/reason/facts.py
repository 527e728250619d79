"""What HermiT needs of the facts, at any size, and the rule that carries its answer to the rest.

HermiT (complete OWL 2 DL) gets the ontology, the facts' own class and property axioms, the
class-level claims, and of the individuals only **one representative per kind**. Two
individuals are of one kind when they assert the same named types, the same data values, and
existential types (``p some C``, from positive claims and class-valued properties) that fall under
the same named classes and the same restrictions of the ontology: which is what the ontology's
axioms can see of an individual, so both have the same entailed types. An individual related to
another individual (``i p j``), or typed by a class expression of its own, goes to HermiT as it
is. So HermiT runs twice, on a graph of the ontology's size: once to classify the ontology and
one helper class ``p some C`` per existential the facts use (which says what each falls under),
once with the representatives (consistency, the types of each kind).

The facts' entailed types and relation edges are then materialised for every individual by one
rule on the store's rows: an individual has the entailed types of its kind's representative, and
the relation-graph edges (``i R B``) of its own existentials and of those types, most specific
filler first, as :func:`il32rdf.reason.assemble._assemble` computes them for the representative.
The facts are read by SPARQL (only the rows of types, object and data properties, and the
positive claims), never copied into rdflib. A test requires the same inferences as HermiT given
every individual, on the bundled graph and on a generated one.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.reason.assemble import (
    _assemble,
    _closure,
    _most_specific,
    _relation_helpers,
    _with_helpers,
)
from il32rdf.reason.dl import _Answer, _Engine
from il32rdf.reason.explain import _explain, _term_maker
from il32rdf.reason.input import (
    _CLAIM_REIFICATION,
    _POSITIVE_CLAIMS,
    _add_some,
    _Input,
    _named_classes,
    _restriction_id,
)
from il32rdf.reason.model import Explanation, ProfileFinding, ReasoningResult, TypeAssertion
from il32rdf.store import Store
from il32rdf.vocab import FACTS_GRAPH, IL32

__all__ = ["Facts", "profile_graph", "read_facts", "reason_by_kind"]

_DECLARED: Final = (
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDFS.Datatype,
    OWL.Ontology,
)
_Pair = tuple[URIRef, URIRef]


@dataclass
class Facts:
    """The facts as the reasoner needs them: the axioms (ontology, the facts' own class and
    property axioms, class-level claims), and each individual's assertions."""

    tbox: Graph
    classes: frozenset[URIRef]
    origin: dict[tuple[Node, Node, Node], Node]
    types: dict[URIRef, set[Node]] = field(default_factory=lambda: defaultdict(set))
    pairs: dict[URIRef, set[_Pair]] = field(default_factory=lambda: defaultdict(set))
    data: dict[URIRef, set[tuple[URIRef, Node]]] = field(default_factory=lambda: defaultdict(set))
    links: dict[URIRef, set[tuple[URIRef, Node]]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[Node, str] = field(default_factory=dict)
    whole: set[Node] = field(default_factory=set)
    """Individuals that go to HermiT as they are (related to others, or oddly typed)."""

    def individuals(self) -> set[URIRef]:
        return set(self.types) | set(self.pairs) | set(self.data) | set(self.links)


def read_facts(store: Store) -> Facts:
    """Read the axioms and the individuals' assertions from ``store``, by SPARQL."""
    tbox = Graph()
    for triple in store.graph("ontology"):
        tbox.add(triple)
    facts = f"GRAPH <{FACTS_GRAPH}>"
    kinds = " ".join(f"<{k}>" for k in _DECLARED)
    declared = store.query(
        f"SELECT DISTINCT ?s ?k WHERE {{ {facts} {{ ?s a ?k VALUES ?k {{ {kinds} }} }} }}"
    ).rows
    axioms = {s for s, _ in declared if isinstance(s, URIRef)}
    for start in range(0, len(axioms), 500):
        values = " ".join(f"<{s}>" for s in sorted(axioms)[start : start + 500])
        own = store.query(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {facts} {{ VALUES ?s {{ {values} }} ?s ?p ?o }} }}"
        )
        for triple in own.graph or ():
            tbox.add(triple)
    blank = store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {facts} {{ ?s ?p ?o FILTER isBlank(?s) }} }}"
    )
    for triple in blank.graph or ():
        tbox.add(triple)
    classes = _named_classes(tbox)
    objects = {p for p in tbox.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)}
    datas = {p for p in tbox.subjects(RDF.type, OWL.DatatypeProperty) if isinstance(p, URIRef)}
    result = Facts(tbox, classes, {})
    claims: set[Node] = set()
    predicates = " ".join(f"<{p}>" for p in sorted({RDF.type, *objects, *datas}))
    rows = store.query(
        f"SELECT ?s ?p ?o WHERE {{ {facts} {{ ?s ?p ?o VALUES ?p {{ {predicates} }}"
        " FILTER isIRI(?s) } }"
    ).rows
    for s, p, o in rows:
        if s in axioms or s in classes or not isinstance(s, URIRef) or o is None:
            continue
        if p == RDF.type:
            result.types[s].add(o)
            claims.update([s] if o == IL32.Claim else [])
    for s, p, o in rows:
        if s in axioms or s in classes or not isinstance(s, URIRef) or p == RDF.type:
            continue
        assert isinstance(p, URIRef) and o is not None
        if s in claims and (p in _CLAIM_REIFICATION or (p in objects and o in classes)):
            continue
        _assert(result, s, p, o, objects)
    for claim, subject, predicate, value in store.query(_POSITIVE_CLAIMS).rows:
        assert isinstance(subject, URIRef) and isinstance(predicate, URIRef)
        assert claim is not None and value is not None
        if predicate == RDFS.subClassOf and subject in classes and value in classes:
            result.tbox.add((subject, predicate, value))
            result.origin[(subject, predicate, value)] = claim
        elif predicate in objects and subject not in classes:
            if value in classes:
                result.pairs[subject].add((predicate, value))  # type: ignore[arg-type]
                result.origin[(subject, RDF.type, _restriction_id(predicate, value))] = claim
            elif isinstance(value, URIRef):
                result.links[subject].add((predicate, value))
                result.whole.update((subject, value))
                result.origin[(subject, predicate, value)] = claim
    for s, label in store.query("SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER isIRI(?s) }").rows:
        assert s is not None
        if s not in result.labels or str(label) < result.labels[s]:
            result.labels[s] = str(label)
    return result


def _assert(facts: Facts, s: URIRef, p: URIRef, o: Node, objects: set[URIRef]) -> None:
    if p in objects and o in facts.classes:
        facts.pairs[s].add((p, o))  # type: ignore[arg-type]
    elif p in objects and isinstance(o, URIRef):
        facts.links[s].add((p, o))
        facts.whole.update((s, o))
    elif isinstance(o, Literal) and p not in objects:
        facts.data[s].add((p, o))
    else:  # an object property with a literal value, or a blank node: HermiT sees it whole
        facts.links[s].add((p, o))
        facts.whole.add(s)


def reason_by_kind(
    facts: Facts,
    engine: _Engine,
    profile: tuple[ProfileFinding, ...],
    started: float,
    *,
    explain: bool,
) -> ReasoningResult:
    """Classify the axioms, reason on one representative per kind, and carry the answer to
    every individual (see the module's docstring)."""
    tbox = Graph()
    for triple in facts.tbox:
        tbox.add(triple)
    used_pairs = sorted({pair for pairs in facts.pairs.values() for pair in pairs})
    restricted = Graph()
    for triple in tbox:
        restricted.add(triple)
    for p, c in used_pairs:  # one restriction per existential the facts use, typing nothing
        node = _restriction_id(p, c)
        restricted.add((node, RDF.type, OWL.Restriction))
        restricted.add((node, OWL.onProperty, p))
        restricted.add((node, OWL.someValuesFrom, c))
    helpers = _relation_helpers(restricted, facts.classes)
    by_pair = {pair: helper for helper, pair in helpers.items()}
    tbox_input = _Input(tbox, facts.classes, facts.origin, facts.labels)
    first = engine.run(_with_helpers(tbox, helpers), full=False)
    if not first.consistent or first.unsatisfiable:
        return _finish(tbox_input, first, helpers, engine, profile, started, explain=explain)
    parents = _parents(tbox, first)
    ontology_pairs = _restriction_pairs(facts.tbox)
    kinds: dict[tuple[object, ...], list[URIRef]] = defaultdict(list)
    for individual in sorted(facts.individuals() - facts.whole, key=str):
        kinds[_kind(facts, individual, by_pair, helpers, parents, ontology_pairs)].append(
            individual
        )
    representatives = {members[0]: members for members in kinds.values()}
    graph = Graph()
    for triple in tbox:
        graph.add(triple)
    whole = [i for i in sorted(facts.whole, key=str) if isinstance(i, URIRef)]
    for individual in [*representatives, *whole]:
        _add_individual(graph, facts, individual)
    prepared = _Input(graph, facts.classes, facts.origin, facts.labels)
    result = _finish(prepared, None, helpers, engine, profile, started, explain=explain)
    if not result.ok:
        return result
    return _carry(result, facts, representatives, helpers, by_pair, parents, started)


def _finish(
    prepared: _Input,
    answer: _Answer | None,
    helpers: Mapping[URIRef, _Pair],
    engine: _Engine,
    profile: tuple[ProfileFinding, ...],
    started: float,
    *,
    explain: bool,
) -> ReasoningResult:
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


def _parents(tbox: Graph, answer: _Answer) -> dict[URIRef, set[URIRef]]:
    parents: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in tbox.subject_objects(RDFS.subClassOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
    for a, b in tbox.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            parents[a].add(b)
            parents[b].add(a)
    for a, b in answer.parents:
        parents[a].add(b)
    return parents


def _restriction_pairs(graph: Graph) -> set[_Pair]:
    pairs = set()
    for node, filler in graph.subject_objects(OWL.someValuesFrom):
        prop = graph.value(node, OWL.onProperty)
        if isinstance(prop, URIRef) and isinstance(filler, URIRef):
            pairs.add((prop, filler))
    return pairs


def _kind(
    facts: Facts,
    individual: URIRef,
    by_pair: Mapping[_Pair, URIRef],
    helpers: Mapping[URIRef, _Pair],
    parents: Mapping[URIRef, set[URIRef]],
    ontology_pairs: set[_Pair],
) -> tuple[object, ...]:
    """What the ontology can see of ``individual``: named types, data values, and the named
    classes and ontology restrictions its existentials fall under."""
    seen: set[object] = set(facts.types.get(individual, ()))
    for pair in facts.pairs.get(individual, ()):
        helper = by_pair[pair]
        for above in _closure(parents, helper) | {helper}:
            if above in facts.classes:
                seen.add(above)
            elif above in helpers and helpers[above] in ontology_pairs:
                seen.add(helpers[above])
    seen.update(("data", p, o) for p, o in facts.data.get(individual, ()))
    return tuple(sorted(seen, key=str))


def profile_graph(store: Store, facts: Facts) -> tuple[Graph, int]:
    """What the profile check reads, at any size: the axioms, every individual's assertions as
    written (a claim's class-valued qualifiers included), one statement for each predicate the
    facts use undeclared; and how many claims are reified."""
    graph = Graph()
    for triple in facts.tbox:
        graph.add(triple)
    for individual in facts.individuals():
        for cls in facts.types.get(individual, ()):
            graph.add((individual, RDF.type, cls))
        for p, value in [
            *facts.pairs.get(individual, ()),
            *facts.data.get(individual, ()),
            *facts.links.get(individual, ()),
        ]:
            graph.add((individual, p, value))
    declared = {s for s, _ in graph.subject_objects(RDF.type)}
    used = store.query(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?s ?p ?o }} }}")
    for (predicate,) in used.rows:
        if isinstance(predicate, URIRef) and predicate not in declared:
            example = store.query(
                f"SELECT ?s ?o WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?s <{predicate}> ?o }} }} LIMIT 1"
            ).rows
            for s, o in example:
                graph.add((s, predicate, o))  # type: ignore[arg-type]
    (count,) = store.query(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?c a il32:Claim ;"
        " rdf:subject ?x } }"
    ).rows[0]
    return graph, int(str(count))


def _add_individual(graph: Graph, facts: Facts, individual: URIRef) -> None:
    for cls in facts.types.get(individual, ()):
        graph.add((individual, RDF.type, cls))
    for p, c in facts.pairs.get(individual, ()):
        _add_some(graph, individual, p, c)
    for p, value in facts.data.get(individual, set()) | facts.links.get(individual, set()):
        graph.add((individual, p, value))
    if individual in facts.labels:
        graph.add((individual, RDFS.label, Literal(facts.labels[individual])))


def _carry(
    result: ReasoningResult,
    facts: Facts,
    representatives: Mapping[URIRef, list[URIRef]],
    helpers: Mapping[URIRef, _Pair],
    by_pair: Mapping[_Pair, URIRef],
    parents: Mapping[URIRef, set[URIRef]],
    started: float,
) -> ReasoningResult:
    """The rule: each member of a kind has its representative's entailed types, and the
    relation edges of its own existentials and of those types."""
    ancestors = {URIRef(c): {URIRef(a) for a in s} for c, s in result.ancestors.items()}
    term = _term_maker(facts.labels)
    inferred = Graph()
    for triple in result.inferred:
        inferred.add(triple)
    types = dict(result.types)
    new_types = set(result.inferred_types)
    most_specific: dict[URIRef, set[URIRef]] = {}
    for representative, members in representatives.items():
        entailed = {URIRef(c) for c in result.types.get(str(representative), frozenset())}
        asserted = {c for c in facts.types.get(representative, ()) if c in facts.classes}
        chosen = most_specific.setdefault(
            representative,
            _most_specific(entailed, ancestors) - asserted,
        )
        for member in members[1:]:
            types[str(member)] = frozenset(str(c) for c in entailed)
            for c in entailed - asserted:
                inferred.add((member, RDF.type, c))
            for c in chosen:
                new_types.add(TypeAssertion(term(member), term(c)))
            direct = set(entailed) | {by_pair[pair] for pair in facts.pairs.get(member, ())}
            _relation_edges(inferred, member, direct, helpers, parents, ancestors)
    return dataclasses.replace(
        result,
        inferred=inferred,
        types=dict(sorted(types.items())),
        inferred_types=tuple(sorted(new_types)),
        seconds=time.perf_counter() - started,
    )


def _relation_edges(
    inferred: Graph,
    individual: URIRef,
    direct: set[URIRef],
    helpers: Mapping[URIRef, _Pair],
    parents: Mapping[URIRef, set[URIRef]],
    ancestors: Mapping[URIRef, set[URIRef]],
) -> None:
    fillers: dict[URIRef, set[URIRef]] = defaultdict(set)
    for node in direct:
        for above in _closure(parents, node) | {node}:
            if above in helpers:
                r, b = helpers[above]
                if b != individual:
                    fillers[r].add(b)
    for r, found in fillers.items():
        for b in _most_specific(found, ancestors):
            inferred.add((individual, r, b))
