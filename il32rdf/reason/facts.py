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
The facts are read by SPARQL as N-Triples term strings (only the rows of types, object and data
properties, and the positive claims) and handled as strings; only the representatives become
rdflib terms. A test requires the same inferences as HermiT given
every individual, on the bundled graph and on a generated one.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.documents import Literals
from il32rdf.reason.assemble import _finish, _relation_helpers, _with_helpers
from il32rdf.reason.dl import _Answer, _Engine
from il32rdf.reason.input import (
    _POSITIVE_CLAIMS,
    _add_some,
    _Input,
    _named_classes,
    _restriction_id,
)
from il32rdf.reason.model import (
    ProfileFinding,
    ReasoningResult,
    Term,
    TypeAssertion,
)
from il32rdf.store import Store
from il32rdf.store.graphs import graph_of_lines
from il32rdf.terms import Statement, rdflib_term, term_nt
from il32rdf.vocab import FACTS_GRAPH, IL32, compress_iri

__all__ = ["Facts", "profile_graph", "read_facts", "reason_by_kind"]

_TYPE: Final = term_nt(RDF.type)
_CLAIM: Final = term_nt(IL32.Claim)
_REIFICATION: Final = frozenset(term_nt(p) for p in (RDF.subject, RDF.predicate, RDF.object))
_DECLARED: Final = (
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDFS.Datatype,
    OWL.Ontology,
)
_Pair = tuple[str, str]


@dataclass
class Facts:
    """The facts as the reasoner needs them: the axioms (ontology, the facts' own class and
    property axioms, class-level claims), and each individual's assertions, as N-Triples term
    strings."""

    tbox: Graph
    classes: frozenset[str]
    origin: dict[tuple[Node, Node, Node], Node]
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pairs: dict[str, set[_Pair]] = field(default_factory=lambda: defaultdict(set))
    data: dict[str, set[_Pair]] = field(default_factory=lambda: defaultdict(set))
    links: dict[str, set[_Pair]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, str] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)
    """Individuals that go to HermiT as they are (related to others, or oddly typed)."""

    def individuals(self) -> set[str]:
        return set(self.types) | set(self.pairs) | set(self.data) | set(self.links)

    def statements(self, individual: str) -> list[Statement]:
        """The assertions of ``individual`` as written (an existential as ``i p C``)."""
        found = [(individual, _TYPE, c) for c in self.types.get(individual, ())]
        for facet in (self.pairs, self.data, self.links):
            found += [(individual, p, o) for p, o in facet.get(individual, set())]
        return found

    def add_translated(self, graph: Graph, individual: str) -> None:
        """Add the assertions of ``individual`` to ``graph`` as the reasoner reads them: an
        existential as ``i rdf:type (p some C)``; with its label."""
        node = rdflib_term(individual)
        for _, p, o in self.statements(individual):
            if (p, o) in self.pairs.get(individual, ()):
                _add_some(graph, node, rdflib_term(p), rdflib_term(o))
            else:
                graph.add((node, rdflib_term(p), rdflib_term(o)))
        if individual in self.labels:
            graph.add((node, RDFS.label, Literal(self.labels[individual])))


def read_facts(store: Store) -> Facts:
    """Read the axioms and the individuals' assertions from ``store``, by SPARQL."""
    tbox = Graph()
    for triple in store.graph("ontology"):
        tbox.add(triple)
    facts = f"GRAPH <{FACTS_GRAPH}>"
    kinds = " ".join(f"<{k}>" for k in _DECLARED)
    declared = store.rows(
        f"SELECT DISTINCT ?s WHERE {{ {facts} {{ ?s a ?k VALUES ?k {{ {kinds} }} }} }}"
    )
    axioms = sorted({s for (s,) in declared if s is not None and s[0] == "<"})
    for start in range(0, len(axioms), 500):
        values = " ".join(axioms[start : start + 500])
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
    classes = frozenset(term_nt(c) for c in _named_classes(tbox))
    objects = {term_nt(p) for p in tbox.subjects(RDF.type, OWL.ObjectProperty)}
    datas = {term_nt(p) for p in tbox.subjects(RDF.type, OWL.DatatypeProperty)}
    result = Facts(tbox, classes, {})
    skip = set(axioms) | classes
    predicates = " ".join(sorted({_TYPE, *objects, *datas}))
    rows, positive, labels = store.rows_many(  # the engine may answer them at once
        [  # the assertions, less a claim's class-valued qualifiers (the reasoner never sees them)
            f"SELECT ?s ?p ?o WHERE {{ {facts} {{ ?s ?p ?o VALUES ?p {{ {predicates} }}"
            " FILTER isIRI(?s) } FILTER (?p = rdf:type || NOT EXISTS"
            " { ?s a il32:Claim . ?o a owl:Class }) }",
            _POSITIVE_CLAIMS,
            "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER isIRI(?s) }",
        ]
    )
    claims = {s for s, p, o in rows if p == _TYPE and o == _CLAIM}
    for s, p, o in rows:
        assert s is not None and p is not None and o is not None
        if s in skip:
            continue
        if p == _TYPE:
            result.types[s].add(o)
        elif s in claims and (p in _REIFICATION or (p in objects and o in classes)):
            continue
        elif p in objects and o in classes:
            result.pairs[s].add((p, o))
        elif p in objects and o[0] == "<":
            result.links[s].add((p, o))
            result.whole.update((s, o))
        elif o[0] == '"' and p not in objects:
            result.data[s].add((p, o))
        else:  # an object property with a literal value, or a blank node: HermiT sees it whole
            result.links[s].add((p, o))
            result.whole.add(s)
    subclass = term_nt(RDFS.subClassOf)
    for claim, subject, predicate, value in positive:
        assert claim is not None and subject is not None
        assert predicate is not None and value is not None
        if predicate == subclass and subject in classes and value in classes:
            triple = (URIRef(subject[1:-1]), RDFS.subClassOf, URIRef(value[1:-1]))
            result.tbox.add(triple)
            result.origin[triple] = rdflib_term(claim)
        elif predicate in objects and subject not in classes:
            if value in classes:
                result.pairs[subject].add((predicate, value))
                node = _restriction_id(URIRef(predicate[1:-1]), URIRef(value[1:-1]))
                result.origin[(URIRef(subject[1:-1]), RDF.type, node)] = rdflib_term(claim)
            elif value[0] == "<":
                result.links[subject].add((predicate, value))
                result.whole.update((subject, value))
                edge = (URIRef(subject[1:-1]), URIRef(predicate[1:-1]), URIRef(value[1:-1]))
                result.origin[edge] = rdflib_term(claim)
    literal = Literals()
    for s, label in labels:
        assert s is not None and label is not None
        text = literal(label)[0] if label[0] == '"' else label
        if s not in result.labels or text < result.labels[s]:
            result.labels[s] = text
    return result


def profile_graph(store: Store, facts: Facts, individuals: Iterable[str]) -> tuple[Graph, int]:
    """What the profile check reads, at any size: the axioms, the assertions of ``individuals``
    (the representatives and those HermiT sees whole) as written, one statement for each
    predicate the facts use undeclared; and how many claims are reified."""
    graph = Graph()
    for triple in facts.tbox:
        graph.add(triple)
    lines = [" ".join(t) for i in individuals for t in facts.statements(i)]
    used = store.rows(f"SELECT DISTINCT ?p WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?s ?p ?o }} }}")
    declared = {term_nt(s) for s, _ in graph.subject_objects(RDF.type)}
    for (predicate,) in used:
        if predicate is not None and predicate not in declared:
            lines += [
                f"{s} {predicate} {o}"
                for s, o in store.rows(
                    f"SELECT ?s ?o WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?s {predicate} ?o }} }}"
                    " LIMIT 1"
                )
            ]
    for triple in graph_of_lines(lines):
        graph.add(triple)
    (count,) = store.rows(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?c a il32:Claim ;"
        " rdf:subject ?x } }"
    )[0]
    assert count is not None
    return graph, int(count.split('"')[1])


def reason_by_kind(
    store: Store,
    facts: Facts,
    engine: _Engine,
    profile_of: Callable[[Graph, int], tuple[ProfileFinding, ...]],
    started: float,
    *,
    explain: bool,
) -> ReasoningResult:
    """Classify the axioms, reason on one representative per kind, and carry the answer to
    every individual (see the module's docstring)."""
    used_pairs = sorted({pair for pairs in facts.pairs.values() for pair in pairs})
    restricted = Graph()
    for triple in facts.tbox:
        restricted.add(triple)
    for triple in graph_of_lines(
        " ".join(t) for t in _restrictions(used_pairs)
    ):  # one restriction per existential the facts use, typing nothing
        restricted.add(triple)
    helpers = _relation_helpers(restricted, frozenset(URIRef(c[1:-1]) for c in facts.classes))
    hierarchy = _Hierarchy(facts.tbox, helpers)
    labels: dict[Node, str] = {URIRef(k[1:-1]): v for k, v in facts.labels.items()}
    classes = frozenset(URIRef(c[1:-1]) for c in facts.classes)
    tbox_input = _Input(facts.tbox, classes, facts.origin, labels)
    first = engine.run(_with_helpers(facts.tbox, helpers), full=False)
    if not first.consistent or first.unsatisfiable:
        profile = profile_of(*profile_graph(store, facts, facts.whole))
        return _finish(tbox_input, first, helpers, engine, profile, started, explain=explain)
    hierarchy.learn(first)
    kinds: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for individual in sorted(facts.individuals() - facts.whole):
        kinds[hierarchy.kind(facts, individual)].append(individual)
    representatives = {members[0]: members for members in kinds.values()}
    seen = [*representatives, *sorted(facts.whole)]
    graph = Graph()
    for triple in facts.tbox:
        graph.add(triple)
    for individual in seen:
        facts.add_translated(graph, individual)
    profile = profile_of(*profile_graph(store, facts, seen))
    prepared = _Input(graph, classes, facts.origin, labels)
    result = _finish(prepared, None, helpers, engine, profile, started, explain=explain)
    if not result.ok:
        return result
    return _carry(result, facts, representatives, hierarchy, started)


def _restrictions(pairs: Iterable[_Pair]) -> list[Statement]:
    found: list[Statement] = []
    for p, c in pairs:
        node = f"_:{_restriction_id(URIRef(p[1:-1]), URIRef(c[1:-1]))}"
        found += [
            (node, _TYPE, term_nt(OWL.Restriction)),
            (node, term_nt(OWL.onProperty), p),
            (node, term_nt(OWL.someValuesFrom), c),
        ]
    return found


class _Hierarchy:
    """The classes, relation helpers and their entailed superclasses, as N-Triples strings."""

    def __init__(self, tbox: Graph, helpers: Mapping[URIRef, tuple[URIRef, URIRef]]) -> None:
        self.helpers = {term_nt(h): (term_nt(r), term_nt(b)) for h, (r, b) in helpers.items()}
        self.by_pair = {pair: helper for helper, pair in self.helpers.items()}
        self.parents: dict[str, set[str]] = defaultdict(set)
        for a, b in tbox.subject_objects(RDFS.subClassOf):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                self.parents[term_nt(a)].add(term_nt(b))
        for a, b in tbox.subject_objects(OWL.equivalentClass):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                self.parents[term_nt(a)].add(term_nt(b))
                self.parents[term_nt(b)].add(term_nt(a))
        self.ontology_pairs = set()
        for node, filler in tbox.subject_objects(OWL.someValuesFrom):
            prop = tbox.value(node, OWL.onProperty)
            if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                self.ontology_pairs.add((term_nt(prop), term_nt(filler)))

    def learn(self, answer: _Answer) -> None:
        for a, b in answer.parents:
            self.parents[term_nt(a)].add(term_nt(b))
        self.above.cache_clear()

    @functools.cache  # noqa: B019 - one hierarchy per reasoner run
    def above(self, node: str) -> frozenset[str]:
        """``node`` and everything entailed above it."""
        seen = {node}
        todo = list(self.parents.get(node, ()))
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return frozenset(seen)

    def kind(self, facts: Facts, individual: str) -> tuple[str, ...]:
        """What the ontology can see of ``individual``: named types, data values, and the named
        classes and ontology restrictions its existentials fall under."""
        seen: set[str] = set(facts.types.get(individual, ()))
        for pair in facts.pairs.get(individual, ()):
            for above in self.above(self.by_pair[pair]):
                if above in facts.classes:
                    seen.add(above)
                elif above in self.helpers and self.helpers[above] in self.ontology_pairs:
                    seen.add(" ".join(self.helpers[above]))
        seen.update(f"{p} {o}" for p, o in facts.data.get(individual, ()))
        return tuple(sorted(seen))

    @functools.cache  # noqa: B019 - one hierarchy per reasoner run
    def edges(self, direct: frozenset[str], ancestors: _Ancestors) -> tuple[tuple[str, str], ...]:
        """The relation-graph edges ``(R, B)`` of an individual of these direct classes: for
        each relation, the most specific fillers."""
        fillers: dict[str, set[str]] = defaultdict(set)
        for node in direct:
            for above in self.above(node):
                if above in self.helpers:
                    r, b = self.helpers[above]
                    fillers[r].add(b)
        return tuple(
            (r, b) for r, found in sorted(fillers.items()) for b in ancestors.most_specific(found)
        )


class _Ancestors:
    """The entailed named superclasses of each named class, as the result gives them."""

    def __init__(self, ancestors: Mapping[str, frozenset[str]]) -> None:
        self.of = {f"<{c}>": frozenset(f"<{a}>" for a in s) for c, s in ancestors.items()}

    def most_specific(self, nodes: Collection[str]) -> list[str]:
        return list(self._most_specific(frozenset(nodes)))

    @functools.cache  # noqa: B019 - one set of ancestors per reasoner run
    def _most_specific(self, nodes: frozenset[str]) -> tuple[str, ...]:
        return tuple(
            sorted(
                n
                for n in nodes
                if not any(
                    o != n and n in self.of.get(o, ()) and o not in self.of.get(n, ())
                    for o in nodes
                )
            )
        )


def _carry(
    result: ReasoningResult,
    facts: Facts,
    representatives: Mapping[str, list[str]],
    hierarchy: _Hierarchy,
    started: float,
) -> ReasoningResult:
    """The rule: each member of a kind has its representative's entailed types, and the
    relation edges of its own existentials and of those types."""
    ancestors = _Ancestors(result.ancestors)
    statements = set(result.statements)
    types = dict(result.types)
    new_types = set(result.inferred_types)

    def term(node: str) -> Term:
        iri = node[1:-1]
        return Term(iri, facts.labels.get(node) or compress_iri(iri) or iri)

    for representative, members in representatives.items():
        entailed_iris = result.types.get(representative[1:-1], frozenset())
        entailed = frozenset(f"<{c}>" for c in entailed_iris)
        asserted = {c for c in facts.types.get(representative, ()) if c in facts.classes}
        added = sorted(entailed - asserted)
        chosen = [term(c) for c in ancestors.most_specific(set(entailed)) if c not in asserted]
        for member in members[1:]:
            types[member[1:-1]] = entailed_iris
            statements.update((member, _TYPE, c) for c in added)
            new_types.update(TypeAssertion(term(member), c) for c in chosen)
            direct = entailed | {hierarchy.by_pair[p] for p in facts.pairs.get(member, ())}
            for r, b in hierarchy.edges(direct, ancestors):
                if b != member:
                    statements.add((member, r, b))
    return dataclasses.replace(
        result,
        statements=frozenset(statements),
        types=dict(sorted(types.items())),
        inferred_types=tuple(sorted(new_types)),
        seconds=time.perf_counter() - started,
    )
