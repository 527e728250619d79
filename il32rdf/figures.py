"""Which pictures a release draws, at any size: a few causal graphs, the lineage, one overview.

A large graph has thousands of proteins; one picture each is unreadable and slow. So
:func:`draw` draws the causal graph (:func:`il32rdf.diagram.causal_diagram`) of the cytokines a
user names, or else of the few with most claims about processes (:func:`busiest_cytokines`),
the cell lineage, and one overview of what the claims connect, by kind (:func:`overview`).
The causal graphs and the lineage are drawn from a small rdflib graph taken from the store
(:func:`picture_graph`: the ontology, the chosen cytokines' claims and the labels they need), so
:mod:`il32rdf.diagram` stays a pure function of a graph.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef

from il32rdf.diagram import Diagram, Edge, lineage_diagram, pictures, render
from il32rdf.store import Store, as_store
from il32rdf.terms import term_nt
from il32rdf.vocab import IL32, OBO, OBO_IN_OWL, PREFIXES, PROTEIN, compress_iri, to_iri

__all__ = ["busiest_cytokines", "draw", "overview", "picture_graph"]

_LINEAGE = OBO.RO_0002202  # develops from
FEW = 3
"""How many causal graphs are drawn when no cytokine is named."""

_KINDS = (
    (OBO.GO_0008150, "biological process"),
    (OBO.GO_0003674, "molecular activity"),
    (OBO.GO_0005575, "cellular component"),
    (OBO.CL_0000000, "cell type"),
    (OBO.UBERON_0001062, "anatomical entity"),
)


def draw(
    source: Store | Graph,
    directory: Path | str,
    *,
    cytokines: Sequence[str] = (),
    images: bool = True,
    few: int = FEW,
) -> list[Path]:
    """Render the causal graphs of ``cytokines`` (IRIs or CURIEs; default: the ``few`` with most
    claims about processes), the lineage and the overview into ``directory``; return the files.

    :raises UsageError: a named cytokine is not a protein with claims about processes.
    :raises ExportError: Graphviz fails, or a file cannot be written.
    """
    store = as_store(source)
    chosen = [to_iri(c) for c in cytokines] or busiest_cytokines(store, few)
    graph = picture_graph(store, chosen)
    drawn = pictures(graph, chosen) if chosen else [lineage_diagram(graph)]
    return [
        path
        for picture in [*drawn, overview(store)]
        for path in render(picture, directory, images=images)
    ]


def _process_classes(store: Store) -> list[URIRef]:
    rows = store.query(
        f"SELECT DISTINCT ?c WHERE {{ ?c rdfs:subClassOf* <{OBO.GO_0008150}> FILTER isIRI(?c) }}"
    ).rows
    return sorted(c for (c,) in rows if isinstance(c, URIRef))


def busiest_cytokines(source: Store | Graph, few: int = FEW) -> list[URIRef]:
    """The ``few`` proteins that are the subject of most claims about a process (or about a
    molecule that cells produce), most first, ties by IRI."""
    store = as_store(source)
    processes = {term_nt(c) for c in _process_classes(store)}
    proteins = {p for (p,) in store.rows(f"SELECT DISTINCT ?p WHERE {{ ?p a <{PROTEIN}> }}")}
    claims: dict[str, set[str]] = {}
    about = "SELECT ?s ?c ?o WHERE { ?c a il32:Claim ; rdf:subject ?s ; "
    for subject, claim, obj in store.rows(about + "rdf:object ?o }"):
        if subject in proteins and claim is not None and obj in processes:
            claims.setdefault(subject, set()).add(claim)  # type: ignore[arg-type]
    for subject, claim, _ in store.rows(about + "il32:producedMolecule ?o }"):
        if subject in proteins and claim is not None:
            claims.setdefault(subject, set()).add(claim)  # type: ignore[arg-type]
    ranked = sorted(claims, key=lambda s: (-len(claims[s]), s[1:-1]))
    return [URIRef(s[1:-1]) for s in ranked[:few] if s[0] == "<"]


def picture_graph(source: Store | Graph, cytokines: Sequence[URIRef]) -> Graph:
    """What the pictures of ``cytokines`` and the lineage are drawn from: the ontology, the
    claims about those cytokines, the claims that link two of them (``il32:mechanismOf``), every
    claim of the lineage relation, and the labels, exact synonyms, gene symbols and types of the
    terms they name (simple lookups: fast on every engine)."""
    store = as_store(source)
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    for triple in store.graph("ontology"):
        graph.add(triple)
    claims: set[str] = set()
    for predicate, value in [*((RDF.subject, c) for c in cytokines), (RDF.predicate, _LINEAGE)]:
        rows = store.rows(f"SELECT ?c WHERE {{ ?c a il32:Claim ; <{predicate}> <{value}> }}")
        claims.update(c for (c,) in rows if c is not None and c[0] == "<")
    for cytokine in cytokines:
        rows = store.rows(
            "SELECT ?link WHERE { ?link a il32:Claim ; rdf:predicate il32:mechanismOf ;"
            f" rdf:subject ?claim . ?claim rdf:subject <{cytokine}> }}"
        )
        claims.update(c for (c,) in rows if c is not None and c[0] == "<")
    for claim in sorted(URIRef(c[1:-1]) for c in claims):
        answer = store.query("CONSTRUCT { ?c ?p ?o } WHERE { ?c ?p ?o }", {"c": claim})
        for triple in answer.graph or ():
            graph.add(triple)
    named = sorted({t for triple in graph for t in triple if isinstance(t, URIRef)})
    for iri in named:
        for predicate in (RDFS.label, IL32.geneSymbol, OBO_IN_OWL.hasExactSynonym, RDF.type):
            for found in store.objects(iri, predicate):
                graph.add((iri, predicate, found))
    return graph


def overview(source: Store | Graph) -> Diagram:
    """One picture of the whole graph: what kinds of things the claims connect, by relation,
    with the number of claims (and of negated ones) on each edge."""
    store = as_store(source)
    ontology = store.graph("ontology")
    kind_of: dict[URIRef, str] = {}
    for root, kind in reversed(_KINDS):  # the first root listed wins
        for cls in ontology.transitive_subjects(RDFS.subClassOf, root):
            if isinstance(cls, URIRef):
                kind_of[cls] = kind
    proteins = {p for (p,) in store.rows(f"SELECT DISTINCT ?p WHERE {{ ?p a <{PROTEIN}> }}")}
    rows = store.rows(
        "SELECT ?c ?s ?p ?o ?negated WHERE { ?c a il32:Claim ; rdf:subject ?s ; rdf:predicate ?p ;"
        " rdf:object ?o OPTIONAL { ?c il32:negated ?negated } }"
    )
    kinds = {term_nt(c): kind for c, kind in kind_of.items()}
    kinds.update({c: "claim" for c, _, _, _, _ in rows if c is not None})
    claims: Counter[tuple[str, str, str]] = Counter()
    negated: Counter[tuple[str, str, str]] = Counter()
    for _, s, p, o, flag in rows:
        if p is None or p[0] != "<":
            continue
        key = (_kind(s, proteins, kinds), p, _kind(o, proteins, kinds))
        claims[key] += 1
        negated[key] += flag is not None and flag.startswith(('"true"', '"1"'))
    labels = {term_nt(s): str(o) for s, o in ontology.subject_objects(RDFS.label)}
    nodes: dict[str, tuple[str, str, str]] = {}
    edges: set[Edge] = set()
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (subject_kind, predicate, object_kind), n in sorted(claims.items()):
        for kind in (subject_kind, object_kind):
            nodes[_node(kind)] = (kind, "box" if kind == "protein" else "ellipse", "")
        relation = labels.get(predicate) or compress_iri(predicate[1:-1]) or predicate[1:-1]
        nots = negated[(subject_kind, predicate, object_kind)]
        count = f"{n:,} claims" + (f", {nots:,} NOT" if nots else "")
        grouped[(_node(subject_kind), _node(object_kind))].append(f"{relation} ({count})")
    for (source_id, target_id), parts in grouped.items():
        edges.add(Edge(source_id, target_id, "\n".join(parts)))
    title = f"What the {sum(claims.values()):,} claims connect, by kind"
    ordered = tuple(sorted(edges, key=lambda e: (e.source, e.target)))
    return Diagram("overview", title, nodes, ordered)


def _kind(term: str | None, proteins: Collection[str | None], kinds: dict[str, str]) -> str:
    if term in proteins:
        return "protein"
    if term is not None and term[0] == "<":
        return kinds.get(term, "other term")
    return "value"


def _node(kind: str) -> str:
    return "k_" + "".join(ch if ch.isalnum() else "_" for ch in kind)
