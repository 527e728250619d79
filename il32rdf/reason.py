"""OWL reasoning: consistency, classification, inferred types and relation edges, explanations.

Tiers:

- ``hermit`` (OWL 2 DL, complete): owlready2 runs the HermiT it bundles with the machine's Java.
  owlready2 cannot read Turtle, so it gets N-Triples written by rdflib (not canonicalised: the
  order of a throw-away input does not matter, and canonical blank-node labels cost half the
  time on a 100k-triple graph), loaded into a fresh ``owlready2.World()`` per run.
- ``pellet`` (OWL 2 DL): the Pellet 2.3.1 jars that owlready2 bundles, run with Pellet's OWLAPI
  loader on RDF/XML. owlready2's own ``sync_reasoner_pellet`` cannot be used on Java 17: it
  forces Pellet's Jena loader, and ``jena-arq-fixed2.10.0.jar`` in owlready2 0.51 holds a
  patched ``org/apache/jena/riot/lang/LangRDFXML.class`` compiled for Java 25 (class file 69).
- ``owlrl`` (OWL 2 RL, pure Python, incomplete): forward chaining with ``owlrl``; the result
  says that the DL check was skipped, and why.
- ``auto``: HermiT when Java starts, else ``owlrl``.

What the reasoner sees (:func:`reasoner_input`) is the ontology and the facts with the claim
reification translated into OWL, because OWL 2 DL has no reading of ``rdf:subject`` /
``rdf:predicate`` / ``rdf:object``:

- a positive claim ``individual p Class`` becomes the class assertion
  ``individual rdf:type [owl:onProperty p; owl:someValuesFrom Class]`` (so P10145, which enables
  chemokine activity, is inferred to be a chemokine and a cytokine);
- a positive claim ``individual p individual`` becomes the property assertion; a positive claim
  ``ClassA rdfs:subClassOf ClassB`` becomes that axiom;
- claims about classes through other relations (``macrophage develops from monocyte``) stay
  metadata: the ontology's restrictions carry that logic;
- the claim's own ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object`` triples, and qualifiers
  whose value is a class (``il32:cellType``, ``il32:inTaxon``, ``il32:evidence``), are left out.
  OWL 2 DL would read those as class/individual punning, which it allows, but it entails nothing
  from them, and owlready2 0.51 files HermiT's answers for a punned IRI under whichever role it
  saw last (``SubClassOf(monocyte myeloid leukocyte)`` came back as ``monocyte rdf:type myeloid
  leukocyte``). An entity's ``in taxon`` a class becomes ``in taxon some`` that class.

The plain edges of existential axioms (``A SubClassOf R some B`` with named A and B, asserted or
entailed, gives ``A R B``) are computed as Ubergraph's relation graph does it: one helper class
``R some B`` per candidate pair, classified with the rest, then read back and dropped.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import io
import math
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import owlready2
import owlready2.reasoning
import owlrl
from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from il32rdf.dataset import FACTS_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from il32rdf.errors import ReasonerError, UsageError
from il32rdf.vocab import IL32, compress_iri

__all__ = [
    "DEFAULT_JAVA_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "REASONERS",
    "Explanation",
    "ProfileFinding",
    "ReasoningResult",
    "Severity",
    "SubClassAxiom",
    "Term",
    "TypeAssertion",
    "add_inferences",
    "find_java",
    "profile_check",
    "reason",
    "reasoner_input",
]

REASONERS: Final = ("auto", "hermit", "pellet", "owlrl")
DEFAULT_TIMEOUT: Final = 300.0
"""Seconds one reasoner run may take before it is stopped."""
DEFAULT_JAVA_MEMORY_MB: Final = 2000
"""The JVM heap (``-Xmx``) given to HermiT or Pellet, as owlready2's ``JAVA_MEMORY``."""
EXPLANATION_RUNS: Final = 60
"""At most this many extra reasoner runs are spent on each explanation."""

_HELPER: Final = "urn:il32rdf:relation-graph/"
_WITNESS: Final = "urn:il32rdf:witness/"
_PROBE: Final = URIRef("urn:il32rdf:probe")
_OWL_NS: Final = str(OWL)
_DECLARATIONS: Final = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.NamedIndividual,
        OWL.Ontology,
        RDFS.Datatype,
    }
)
_CHARACTERISTICS: Final = {
    OWL.FunctionalProperty: "Functional",
    OWL.InverseFunctionalProperty: "InverseFunctional",
    OWL.TransitiveProperty: "Transitive",
    OWL.SymmetricProperty: "Symmetric",
    OWL.AsymmetricProperty: "Asymmetric",
    OWL.ReflexiveProperty: "Reflexive",
    OWL.IrreflexiveProperty: "Irreflexive",
}
_BUILTIN_ANNOTATIONS: Final = frozenset(
    {
        RDFS.label,
        RDFS.comment,
        RDFS.seeAlso,
        RDFS.isDefinedBy,
        OWL.versionInfo,
        OWL.deprecated,
        OWL.priorVersion,
        OWL.backwardCompatibleWith,
        OWL.incompatibleWith,
        OWL.versionIRI,
        OWL.imports,
    }
)
_CLAIM_REIFICATION: Final = (RDF.subject, RDF.predicate, RDF.object)
_JAVA_LOCK: Final = threading.Lock()  # owlready2's Java settings are module globals


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Term:
    """A named entity: its IRI and the label a curator reads (the CURIE when it has none)."""

    iri: str
    label: str


@dataclass(frozen=True, order=True)
class SubClassAxiom:
    """``sub SubClassOf sup``, entailed and not asserted (a direct parent after reasoning)."""

    sub: Term
    sup: Term


@dataclass(frozen=True, order=True)
class TypeAssertion:
    """``individual rdf:type cls``, entailed and not asserted (a direct type after reasoning)."""

    individual: Term
    cls: Term


@dataclass(frozen=True)
class Explanation:
    """Why the ontology is inconsistent or a class unsatisfiable, as axioms a curator reads.

    ``focus`` is the IRI of the unsatisfiable class (``None`` for an inconsistency). ``complete``
    is false when the search ran out of reasoner runs before it reached a minimal set.
    """

    about: str
    focus: str | None
    axioms: tuple[str, ...]
    complete: bool = True


class Severity(enum.Enum):
    """How bad a profile finding is: ``error`` breaks OWL 2 DL, ``info`` is a note."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class ProfileFinding:
    """One OWL 2 DL profile finding: the IRI it is about, how bad, and what is wrong."""

    focus: str
    severity: Severity = field(compare=False)
    message: str


@dataclass(frozen=True)
class ReasoningResult:
    """What the reasoner found. ``consistent`` is meaningful only with ``dl_checked`` (HermiT,
    Pellet) or as "no clash found" (the OWL 2 RL tier, ``skipped_reason`` says why)."""

    consistent: bool
    reasoner: str
    dl_checked: bool
    skipped_reason: str | None
    unsatisfiable: tuple[Term, ...]
    inferred_subclasses: tuple[SubClassAxiom, ...]
    inferred_types: tuple[TypeAssertion, ...]
    explanations: tuple[Explanation, ...]
    inferred: Graph
    ancestors: Mapping[str, frozenset[str]]
    """Every entailed named superclass of each named class (without ``owl:Thing``)."""
    types: Mapping[str, frozenset[str]]
    """Every entailed named class of each named individual (without ``owl:Thing``)."""
    profile: tuple[ProfileFinding, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        """Consistent and without unsatisfiable classes."""
        return self.consistent and not self.unsatisfiable


# --- the reasoner input ------------------------------------------------------------------------


@dataclass
class _Input:
    graph: Graph
    classes: frozenset[URIRef]
    origin: dict[tuple[Node, Node, Node], Node]  # translated triple -> the claim it came from
    labels: Mapping[Node, str]


def reasoner_input(dataset: Dataset) -> Graph:
    """The ontology and facts as the reasoner sees them (claims translated into OWL axioms)."""
    return _prepare(dataset).graph


def _prepare(dataset: Dataset) -> _Input:
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    both = Graph()
    for source in (ontology, facts):
        for triple in source:
            both.add(triple)
    classes = _named_classes(both)
    object_properties = frozenset(
        p for p in both.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)
    )
    claims = set(facts.subjects(RDF.type, IL32.Claim))
    graph = Graph()
    origin: dict[tuple[Node, Node, Node], Node] = {}
    for s, p, o in both:
        if s in claims and (p in _CLAIM_REIFICATION or (p in object_properties and o in classes)):
            continue
        if p in object_properties and isinstance(s, URIRef) and s not in classes and o in classes:
            _add_some(graph, s, p, o)
            continue
        graph.add((s, p, o))
    for claim in sorted(claims, key=str):
        edge = _positive_edge(facts, claim)
        if edge is None:
            continue
        subject, predicate, value = edge
        if predicate == RDFS.subClassOf and subject in classes and value in classes:
            graph.add(edge)
            origin[edge] = claim
        elif predicate in object_properties and subject not in classes:
            if value in classes:
                origin[(subject, RDF.type, _add_some(graph, subject, predicate, value))] = claim
            elif isinstance(value, URIRef):
                graph.add(edge)
                origin[edge] = claim
    pairs = sorted(both.subject_objects(RDFS.label), key=lambda so: (str(so[0]), str(so[1])))
    labels = {s: str(o) for s, o in reversed(pairs)}  # the first label in sort order wins
    return _Input(graph, classes, origin, labels)


def _named_classes(graph: Graph) -> frozenset[URIRef]:
    found = {c for kind in (OWL.Class, RDFS.Class) for c in graph.subjects(RDF.type, kind)}
    return frozenset(c for c in found if isinstance(c, URIRef) and not str(c).startswith(_OWL_NS))


def _positive_edge(facts: Graph, claim: Node) -> tuple[URIRef, URIRef, Node] | None:
    flags = list(facts.objects(claim, IL32.negated))
    if len(flags) != 1 or not isinstance(flags[0], Literal) or flags[0].value is not False:
        return None
    s, p, o = (facts.value(claim, term) for term in _CLAIM_REIFICATION)
    if isinstance(s, URIRef) and isinstance(p, URIRef) and o is not None:
        return s, p, o
    return None


def _restriction_id(p: Node, o: Node) -> BNode:
    digest = hashlib.sha1(f"{p} {o}".encode()).hexdigest()[:16]
    return BNode(f"some{digest}")


def _add_some(graph: Graph, s: Node, p: Node, o: Node) -> BNode:
    """Add ``s rdf:type (p some o)``; the same restriction node for the same (p, o)."""
    node = _restriction_id(p, o)
    graph.add((node, RDF.type, OWL.Restriction))
    graph.add((node, OWL.onProperty, p))
    graph.add((node, OWL.someValuesFrom, o))
    graph.add((s, RDF.type, node))
    return node


_Unit = list[tuple[Node, Node, Node]]


# --- the public entry points ---------------------------------------------------------------


def find_java() -> tuple[str | None, str | None]:
    """``(path, None)`` when a working ``java`` is on ``PATH``, else ``(None, why not)``."""
    java = shutil.which("java")
    if java is None:
        return None, "no java executable on PATH"
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, timeout=60, check=False, text=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"java at {java} does not start: {exc}"
    if done.returncode != 0:
        first = (done.stderr or done.stdout).strip().splitlines()[:1]
        return None, f"java at {java} does not start: {' '.join(first) or done.returncode}"
    return java, None


def reason(
    dataset: Dataset,
    *,
    reasoner: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    java_memory_mb: int = DEFAULT_JAVA_MEMORY_MB,
    explain: bool = True,
    relation_edges: bool = True,
) -> ReasoningResult:
    """Check ``dataset`` with an OWL reasoner and return what it entails.

    :param reasoner: ``hermit`` or ``pellet`` (OWL 2 DL, need Java), ``owlrl`` (pure Python,
        OWL 2 RL), ``auto`` (HermiT when Java works, else ``owlrl``).
    :param timeout: seconds one reasoner run may take.
    :param java_memory_mb: the JVM heap for HermiT or Pellet.
    :param explain: search for the axioms behind an inconsistency or unsatisfiable class.
    :param relation_edges: also compute the relation-graph edges and property values (HermiT,
        Pellet); without them a run is a plain classification, which checks that add axioms
        of their own need (the relation check), and which stays fast with deep hierarchies.
    :raises UsageError: unknown reasoner name, or a timeout / memory that is not positive.
    :raises ReasonerError: ``hermit`` or ``pellet`` asked for and Java is missing or broken;
        the reasoner crashed, ran out of time or out of JVM memory.
    """
    if reasoner not in REASONERS:
        raise UsageError(f"unknown reasoner {reasoner!r}; use one of: {', '.join(REASONERS)}")
    if not timeout > 0 or java_memory_mb < 64:
        raise UsageError("the timeout must be positive and the Java memory at least 64 MB")
    started = time.perf_counter()
    prepared = _prepare(dataset)
    profile = tuple(profile_check(dataset))
    skipped = None
    if reasoner != "owlrl":
        java, why = find_java()
        if java is None:
            if reasoner != "auto":
                raise ReasonerError(
                    f"{reasoner} needs Java 8 or later: {why}; install Java or use "
                    "--reasoner owlrl (OWL 2 RL, no DL check)"
                )
            skipped = f"OWL 2 DL check skipped: {why}"
        else:
            engine = _Engine(reasoner if reasoner != "auto" else "hermit", java, timeout)
            engine.memory = java_memory_mb
            return _dl_result(
                prepared, engine, profile, started, explain=explain, relation_edges=relation_edges
            )
    return _rl_result(
        prepared,
        profile,
        started,
        skipped or "OWL 2 DL check skipped: the OWL 2 RL tier (owlrl) was asked for",
    )


def add_inferences(dataset: Dataset, result: ReasoningResult) -> int:
    """Add ``result.inferred`` to the dataset's ``inferred`` graph; return how many were new."""
    graph = dataset.graph(INFERRED_GRAPH)
    before = len(graph)
    for triple in result.inferred:
        graph.add(triple)
    return len(graph) - before


# --- running a DL reasoner --------------------------------------------------------------------


@dataclass
class _Answer:
    consistent: bool
    parents: set[tuple[URIRef, URIRef]] = field(default_factory=set)  # SubClassOf / equivalent
    types: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    unsatisfiable: set[URIRef] = field(default_factory=set)
    edges: set[tuple[URIRef, URIRef, URIRef]] = field(default_factory=set)
    messages: tuple[str, ...] = ()


@dataclass
class _Engine:
    name: str
    java: str
    timeout: float
    memory: int = DEFAULT_JAVA_MEMORY_MB
    runs: int = 0

    def run(self, graph: Graph, *, full: bool = True) -> _Answer:
        self.runs += 1
        if self.name == "pellet":
            return _run_pellet(self, graph)
        return _run_hermit(self, graph, full=full)

    def fail(self, what: str, output: str) -> ReasonerError:
        text = output.strip()
        if "OutOfMemoryError" in text or "heap" in text.lower():
            return ReasonerError(
                f"{self.name} ran out of JVM memory ({self.memory} MB): raise it with "
                f"--java-memory MB (owlready2 JAVA_MEMORY), or use --reasoner owlrl"
            )
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        detail = next((line for line in lines if "Exception" in line or "Error" in line), "")
        detail = detail or (lines[0] if lines else "no message")
        return ReasonerError(
            f"{self.name} {what}: {detail[:300]} (Java {self.java}, memory {self.memory} MB; "
            "change with --java-memory MB)"
        )

    def timed_out(self) -> ReasonerError:
        return ReasonerError(
            f"{self.name} did not finish within {self.timeout:g} s and was stopped: raise "
            f"--timeout SECONDS, or give the JVM more memory with --java-memory MB (now "
            f"{self.memory} MB, owlready2 JAVA_MEMORY), or use --reasoner owlrl"
        )


def _iri(world: Any, storid: object) -> URIRef | None:
    if not isinstance(storid, int) or storid < 0:
        return None
    iri = world._unabbreviate(storid)
    return URIRef(iri) if isinstance(iri, str) else None


def _run_hermit(engine: _Engine, graph: Graph, *, full: bool) -> _Answer:
    data = graph.serialize(format="nt", encoding="utf-8")  # order is irrelevant here
    world = owlready2.World()
    try:
        if not _sync_hermit(engine, world, data, full=full):
            return _Answer(consistent=False)
        return _read_inferences(world)
    finally:
        world.close()


def _sync_hermit(engine: _Engine, world: Any, data: bytes, *, full: bool) -> bool:
    """Load ``data`` into ``world`` and run HermiT; ``False`` when it is inconsistent."""
    try:
        # owlready2 prints its warnings (e.g. on a punned property) to stderr: only cli.py prints
        with contextlib.redirect_stderr(io.StringIO()), _JAVA_LOCK:
            world.get_ontology("urn:il32rdf:reasoner-input").load(
                fileobj=io.BytesIO(data), format="ntriples"
            )
            saved = (owlready2.JAVA_EXE, owlready2.reasoning.JAVA_MEMORY)
            saved_kargs = owlready2.reasoning._subprocess_kargs
            owlready2.JAVA_EXE = engine.java
            owlready2.reasoning.JAVA_MEMORY = engine.memory
            # owlready2 passes this dict to subprocess.check_output: the run's time limit
            owlready2.reasoning._subprocess_kargs = {**saved_kargs, "timeout": engine.timeout}
            try:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=full, debug=0, ignore_unsupported_datatypes=True
                )
            finally:
                owlready2.JAVA_EXE, owlready2.reasoning.JAVA_MEMORY = saved
                owlready2.reasoning._subprocess_kargs = saved_kargs
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    except subprocess.TimeoutExpired:
        raise engine.timed_out() from None
    except owlready2.OwlReadyJavaError as exc:
        raise engine.fail("failed", str(exc)) from None
    except owlready2.OwlReadyError as exc:  # e.g. owlready2 cannot parse what rdflib wrote
        raise ReasonerError(f"owlready2 cannot read the reasoner input: {exc}") from None
    except OSError as exc:
        raise ReasonerError(f"cannot start Java at {engine.java}: {exc}") from None
    return True


def _read_inferences(world: Any) -> _Answer:
    """What owlready2 stored from HermiT's answer (only what was not asserted)."""
    answer = _Answer(consistent=True)
    inferences = world.get_ontology(owlready2.reasoning._INFERRENCES_ONTOLOGY)
    for triple in inferences.get_triples():
        s, p, o = (_iri(world, x) for x in triple[:3])
        if s is None or p is None or o is None:
            continue
        if p == RDFS.subClassOf:
            answer.parents.add((s, o))
        elif p == OWL.equivalentClass:
            if o == OWL.Nothing:
                answer.unsatisfiable.add(s)
            else:
                answer.parents.update({(s, o), (o, s)})
        elif p == RDF.type:
            answer.types.add((s, o))
        elif p not in (RDFS.subPropertyOf, OWL.equivalentProperty):
            answer.edges.add((s, p, o))
    return answer


_PELLET_TREE: Final = re.compile(r"^( *)(\S.*?)(?: - \((.*)\))?$")


def _run_pellet(engine: _Engine, graph: Graph) -> _Answer:
    classpath = owlready2.reasoning._PELLET_CLASSPATH
    with tempfile.TemporaryDirectory(prefix="il32rdf-pellet-") as tmp:
        path = Path(tmp) / "input.owl"
        path.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
        command = [
            engine.java,
            f"-Xmx{engine.memory}M",
            "-cp",
            classpath,
            "pellet.Pellet",
            "realize",
            "--loader",
            "OWLAPI",
            "--ignore-imports",
            path.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=engine.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise engine.timed_out() from None
        except OSError as exc:
            raise ReasonerError(f"cannot start Java at {engine.java}: {exc}") from None
    if "inconsistent" in (done.stdout + done.stderr).lower():
        return _Answer(consistent=False)
    if done.returncode != 0:
        raise engine.fail("failed", done.stderr or done.stdout)
    answer = _Answer(consistent=True)
    stack: list[tuple[int, list[URIRef]]] = []
    for line in done.stdout.splitlines():
        match = _PELLET_TREE.match(line)
        if not match or not match[2].startswith(("http", "urn:")):
            continue
        depth = len(match[1])
        names = [URIRef(name.strip()) for name in match[2].split(" = ")]
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if OWL.Nothing in names:
            answer.unsatisfiable.update(n for n in names if n != OWL.Nothing)
        for a in names:
            for b in names:
                if a != b:
                    answer.parents.add((a, b))
            if stack:
                for parent in stack[-1][1]:
                    answer.parents.add((a, parent))
        if match[3]:
            for individual in match[3].split(", "):
                if individual.startswith(("http", "urn:")):
                    for name in names:
                        answer.types.add((URIRef(individual), name))
        stack.append((depth, names))
    return answer


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
            False, reasoner, dl_checked, skipped, (), (), (), explanations, inferred, {}, {},
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
        inferred=inferred,
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


# --- explanations ---------------------------------------------------------------------------


def _term_maker(labels: Mapping[Node, str]) -> Any:
    def term(node: Node) -> Term:
        return Term(str(node), _name(node, labels))

    return term


def _name(node: Node, labels: Mapping[Node, str]) -> str:
    if node in labels:
        return labels[node]
    if isinstance(node, URIRef):
        return compress_iri(str(node)) or str(node)
    return str(node)


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


# --- the OWL 2 DL profile check ------------------------------------------------------------


_RESERVED: Final = (str(RDF), str(RDFS), str(OWL), str(XSD))
_TOP_BOTTOM: Final = frozenset(
    {
        OWL.Thing,
        OWL.Nothing,
        OWL.topObjectProperty,
        OWL.bottomObjectProperty,
        OWL.topDataProperty,
        OWL.bottomDataProperty,
    }
)
_CLASS_POSITIONS: Final = (
    RDFS.subClassOf,
    OWL.equivalentClass,
    OWL.disjointWith,
    OWL.complementOf,
)


def _reserved(term: URIRef) -> bool:
    return str(term).startswith(_RESERVED)


def _known_reserved(term: URIRef) -> bool:
    text = str(term)
    if text.startswith(str(XSD)):
        return True
    return any(term in ns for ns in (RDF, RDFS, OWL))


def profile_check(dataset: Dataset) -> list[ProfileFinding]:
    """OWL 2 DL profile findings for the ontology and facts, sorted by focus.

    Errors: an IRI used as a class or property that is not declared; a property declared as two
    of object, datatype and annotation property (punning that OWL 2 DL forbids); a class that is
    also a datatype; an unknown term in the rdf/rdfs/owl vocabulary; reserved vocabulary given
    axioms; an object property with a literal value or a datatype property with an IRI value.
    Info: claims reified with ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object`` (no OWL
    reading; the reasoner input translates them). Class IRIs as values of object properties are
    class/individual punning, which OWL 2 DL allows: not a finding.
    """
    graph = Graph()
    for name in (ONTOLOGY_GRAPH, FACTS_GRAPH):
        for triple in dataset.graph(name):
            graph.add(triple)
    findings: set[ProfileFinding] = set()

    def add(focus: Node, message: str, severity: Severity = Severity.ERROR) -> None:
        findings.add(ProfileFinding(str(focus), severity, message))

    declared: dict[Node, set[Node]] = defaultdict(set)
    for s, kind in graph.subject_objects(RDF.type):
        if kind in _DECLARATIONS:
            declared[s].add(kind)
    classes = {s for s, kinds in declared.items() if kinds & {OWL.Class, RDFS.Class}}
    objects = {s for s, kinds in declared.items() if OWL.ObjectProperty in kinds}
    datas = {s for s, kinds in declared.items() if OWL.DatatypeProperty in kinds}
    annotations = {s for s, kinds in declared.items() if OWL.AnnotationProperty in kinds}
    annotations |= _BUILTIN_ANNOTATIONS
    for s, kinds in declared.items():
        roles = kinds & {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
        if len(roles) > 1:
            names = " and ".join(sorted(_name(k, {}) for k in roles))
            add(s, f"declared {names}: OWL 2 DL forbids this punning of properties")
        if kinds & {OWL.Class, RDFS.Class} and RDFS.Datatype in kinds:
            add(s, "declared both a class and a datatype: OWL 2 DL forbids this punning")
    for s, p, o in graph:
        for term in (p, o) if p == RDF.type else (s, p, o):
            if (
                isinstance(term, URIRef)
                and str(term).startswith(_RESERVED)
                and not _known_reserved(term)
            ):
                add(term, "not a term of the rdf, rdfs, owl or xsd vocabulary (a typo?)")
        axiom = p in (*_CLASS_POSITIONS, RDFS.domain, RDFS.range, RDFS.subPropertyOf)
        if (
            isinstance(s, URIRef)
            and str(s).startswith(_RESERVED)
            and s not in _TOP_BOTTOM
            and (axiom or (p == RDF.type and o in _DECLARATIONS))
        ):
            add(
                s,
                f"reserved vocabulary is given an axiom ({_name(p, {})}); OWL 2 DL forbids it",
            )
        if p == RDF.type and isinstance(o, URIRef) and not _reserved(o) and o not in classes:
            add(o, "used as a class (rdf:type) but not declared owl:Class")
        if p in _CLASS_POSITIONS or p == OWL.someValuesFrom or p == OWL.allValuesFrom:
            for c in (s, o) if p in _CLASS_POSITIONS else (o,):
                if (
                    p in (OWL.someValuesFrom, OWL.allValuesFrom)
                    and graph.value(s, OWL.onProperty) in datas
                ):
                    continue
                if isinstance(c, URIRef) and c not in classes and not _reserved(c):
                    add(c, f"used as a class ({_name(p, {})}) but not declared owl:Class")
        if (
            p == OWL.onProperty
            and isinstance(o, URIRef)
            and o not in objects | datas
            and not _reserved(o)
        ):
            add(o, "used in a restriction (owl:onProperty) but not declared a property")
        if isinstance(p, URIRef) and not str(p).startswith(_RESERVED):
            if p not in objects | datas | annotations:
                add(
                    p,
                    "used as a property but not declared an object, datatype or annotation"
                    " property",
                )
            elif p in objects and p not in datas and isinstance(o, Literal):
                add(p, f"object property with a literal value (on {_name(s, {})})")
            elif p in datas and p not in objects and not isinstance(o, Literal):
                add(p, f"datatype property with a non-literal value (on {_name(s, {})})")
    claims = set(graph.subjects(RDF.type, IL32.Claim))
    reified = {s for s in claims if any(graph.triples((s, RDF.subject, None)))}
    if reified:
        add(
            RDF.subject,
            f"{len(reified)} claims are reified with rdf:subject / rdf:predicate / rdf:object, "
            "which OWL 2 DL gives no meaning; the reasoner input translates positive claims "
            "into OWL axioms and leaves the reification out",
            Severity.INFO,
        )
    return sorted(findings)
