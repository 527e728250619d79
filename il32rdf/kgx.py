"""The claims as KGX node and edge tables (TSV) that today's Biolink tools accept: ``kgx
validate`` against Biolink 4 finds nothing to report, and kgx's own reader gets every claim back.

- **One edge per claim**, its ``id`` the claim's IRI, so that claims that differ only in their
  context stay apart (kgx's in-memory graph keys an edge by its subject, predicate and object
  and merges them; ``kgx transform --stream`` keeps each), with ``knowledge_level``
  ``knowledge_assertion`` and ``agent_type``
  ``manual_agent`` (each claim was read from a paper by a person), ``negated`` as kgx reads it
  (``True``, or empty for false), the publications (``PMID:`` for PubMed), the evidence code
  and the relation itself in ``original_predicate``.
- **Predicates and qualifiers of Biolink 4** (:data:`BIOLINK_PREDICATES`): the Biolink
  predicate whose exact mapping is the claim's RO relation; where Biolink 4 says a direction by
  a qualifier (``regulates`` with ``object_direction_qualifier``, ``affects`` with
  ``qualified_predicate`` ``causes``), so is it here; any other relation is
  ``biolink:related_to``. The cell type is the ``anatomical_context_qualifier``, the species
  the ``species_context_qualifier``; what Biolink has no slot for (cell line, molecule produced,
  agents present or absent) goes in ``il32_*`` columns, which KGX carries as they are.
- **Identifiers with Biolink's prefixes** (``UniProtKB:``, ``GO:``, ``CL:``, ``PMID:``...;
  :func:`biolink_curie`); a term Biolink has no prefix for is written as its full IRI.
- **Claims Biolink cannot hold as an edge** are kept, never dropped: a claim whose object is a
  literal (Kölliker, 1873) and a claim about claims (``il32:mechanismOf``: this claim is the
  mechanism of that one) have no node to point at, and Biolink has no association about an
  association. Each is carried by its subject's row, the node (an entity) or the edge (a
  claim), in the ``il32_claims`` column: a JSON list of the claims with their id, relation,
  object, polarity, publications and evidence.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rdflib import RDFS, Graph, Literal, URIRef

from il32rdf.claims import Claim, read_claims
from il32rdf.files import write_chunks
from il32rdf.store import Store, as_store
from il32rdf.vocab import OBO, PREFIXES, PROTEIN, UNIPROT

__all__ = [
    "BIOLINK_PREDICATES",
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "BiolinkPredicate",
    "biolink_curie",
    "write_kgx",
]


@dataclass(frozen=True)
class BiolinkPredicate:
    """A Biolink 4 predicate and the qualifiers that complete its reading."""

    predicate: str
    qualifiers: Mapping[str, str] = field(default_factory=dict)


_UP = {"object_direction_qualifier": "upregulated"}
_DOWN = {"object_direction_qualifier": "downregulated"}
_CAUSES = {"qualified_predicate": "biolink:causes"}
BIOLINK_PREDICATES: Final[Mapping[str, BiolinkPredicate]] = {
    str(OBO.RO_0004034): BiolinkPredicate("biolink:acts_upstream_of_positive_effect"),
    str(OBO.RO_0004035): BiolinkPredicate("biolink:acts_upstream_of_negative_effect"),
    str(OBO.RO_0002263): BiolinkPredicate("biolink:acts_upstream_of"),
    str(OBO.RO_0002264): BiolinkPredicate("biolink:acts_upstream_of_or_within"),
    str(OBO.RO_0002327): BiolinkPredicate("biolink:enables"),
    str(OBO.RO_0002202): BiolinkPredicate("biolink:develops_from"),
    str(OBO.RO_0002215): BiolinkPredicate("biolink:capable_of"),
    str(OBO.BFO_0000050): BiolinkPredicate("biolink:part_of"),
    str(OBO.RO_0002162): BiolinkPredicate("biolink:in_taxon"),
    str(RDFS.subClassOf): BiolinkPredicate("biolink:subclass_of"),
    str(OBO.RO_0002211): BiolinkPredicate("biolink:regulates"),
    str(OBO.RO_0002213): BiolinkPredicate("biolink:regulates", _UP),
    str(OBO.RO_0002212): BiolinkPredicate("biolink:regulates", _DOWN),
    str(OBO.RO_0002304): BiolinkPredicate(
        "biolink:affects", {**_CAUSES, "object_direction_qualifier": "increased"}
    ),
    str(OBO.RO_0002305): BiolinkPredicate(
        "biolink:affects", {**_CAUSES, "object_direction_qualifier": "decreased"}
    ),
}
"""The claims' relations in Biolink 4 (biolink-model 4.4.6: the first ten are the predicates
whose ``exact_mappings`` list the relation; the directional ``regulates`` and causal effects
are written as Biolink 4 writes them, with qualifiers). Any other relation is
``biolink:related_to``."""
_RELATED_TO: Final = BiolinkPredicate("biolink:related_to")

NODE_COLUMNS: Final = ("id", "category", "name", "il32_in_taxon", "il32_claims")
"""The node table's columns. A node's species is ``il32_in_taxon``: kgx 2.6's TSV reader makes
a list of Biolink's ``in_taxon`` and its validator then refuses the list (the slot is single
valued in Biolink 4), so no value of ``in_taxon`` passes ``kgx validate``."""
EDGE_COLUMNS: Final = (
    "id",
    "subject",
    "predicate",
    "object",
    "knowledge_level",
    "agent_type",
    "negated",
    "original_predicate",
    "qualified_predicate",
    "object_direction_qualifier",
    "anatomical_context_qualifier",
    "species_context_qualifier",
    "publications",
    "has_evidence",
    "il32_cell_line",
    "il32_produced_molecule",
    "il32_in_presence_of",
    "il32_in_absence_of",
    "il32_claims",
)

_BIOLINK_PREFIX_OF: Final = {
    PREFIXES["uniprot"]: "UniProtKB",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    **{
        PREFIXES[p]: p for p in ("BFO", "CL", "ECO", "GO", "IAO", "NCBITaxon", "PR", "RO", "UBERON")
    },
}
"""Namespaces and their prefix in Biolink's prefix map (``biolink_model_prefix_map.json``)."""
_PUBMED: Final = re.compile(re.escape(PREFIXES["pubmed"]) + r"([0-9]+)/\Z")
_LOCAL: Final = re.compile(r"[A-Za-z0-9_.\-]+\Z")

# Category by the root a class sits under, or the type of an individual.
_CATEGORY_ROOTS = (
    (OBO.GO_0008150, "biolink:BiologicalProcess"),
    (OBO.GO_0003674, "biolink:MolecularActivity"),
    (OBO.GO_0005575, "biolink:CellularComponent"),
    (OBO.CL_0000000, "biolink:Cell"),
    (OBO.UBERON_0001062, "biolink:AnatomicalEntity"),
)


def biolink_curie(term: URIRef | str | None) -> str:
    """``term`` as a CURIE with Biolink's prefix (``PMID:15664165`` for a PubMed IRI), or the
    full IRI where Biolink has no prefix for it ("" for ``None``).

    >>> biolink_curie("http://purl.uniprot.org/uniprot/P10145")
    'UniProtKB:P10145'
    >>> biolink_curie("https://pubmed.ncbi.nlm.nih.gov/15664165/")
    'PMID:15664165'
    >>> biolink_curie("https://en.wikipedia.org/wiki/Interleukin_32")
    'https://en.wikipedia.org/wiki/Interleukin_32'
    """
    return "" if term is None else _biolink_curie(str(term))


@functools.lru_cache(maxsize=65_536)  # the same sources, codes and taxa, many times over
def _biolink_curie(iri: str) -> str:
    pubmed = _PUBMED.match(iri)
    if pubmed:
        return f"PMID:{pubmed[1]}"
    for namespace, prefix in _BIOLINK_PREFIX_OF.items():
        if iri.startswith(namespace) and _LOCAL.match(iri, len(namespace)):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _cell(values: Iterable[str]) -> str:
    """A list in one cell, as kgx reads it: values joined by ``|``."""
    return "|".join(v for v in values if v)


def _claims_cell(claims: list[Claim]) -> str:
    """The claims a row carries, as a JSON list (``|``, kgx's list separator, escaped)."""
    if not claims:
        return ""
    entries = [
        {
            "id": str(c.iri),
            "predicate": biolink_curie(c.predicate),
            "object": str(c.object) if isinstance(c.object, URIRef) else _literal(c.object),
            "negated": c.negated,
            "publications": [biolink_curie(s) for s in c.sources],
            "has_evidence": [biolink_curie(e) for e in c.evidence],
            "species_context_qualifier": biolink_curie(c.taxon),
            "il32_in_presence_of": [biolink_curie(a) for a in c.in_presence_of],
            "il32_in_absence_of": [biolink_curie(a) for a in c.in_absence_of],
        }
        for c in sorted(claims, key=lambda c: str(c.iri))
    ]
    return json.dumps(entries, ensure_ascii=False, sort_keys=True).replace("|", "\\u007c")


def _literal(value: Literal) -> dict[str, str]:
    found = {"value": str(value)}
    if value.language:
        found["language"] = value.language
    elif value.datatype is not None:
        found["datatype"] = str(value.datatype)
    return found


def _edge_row(claim: Claim, carried: list[Claim]) -> dict[str, str]:
    mapped = BIOLINK_PREDICATES.get(str(claim.predicate), _RELATED_TO)
    return {
        "id": str(claim.iri),
        "subject": biolink_curie(claim.subject),
        "predicate": mapped.predicate,
        "object": biolink_curie(claim.object),
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "negated": "True" if claim.negated else "",
        "original_predicate": biolink_curie(claim.predicate),
        "qualified_predicate": mapped.qualifiers.get("qualified_predicate", ""),
        "object_direction_qualifier": mapped.qualifiers.get("object_direction_qualifier", ""),
        "anatomical_context_qualifier": biolink_curie(claim.cell_type),
        "species_context_qualifier": biolink_curie(claim.taxon),
        "publications": _cell(biolink_curie(s) for s in claim.sources),
        "has_evidence": _cell(biolink_curie(e) for e in claim.evidence),
        "il32_cell_line": biolink_curie(claim.cell_line),
        "il32_produced_molecule": biolink_curie(claim.produced_molecule),
        "il32_in_presence_of": _cell(biolink_curie(a) for a in claim.in_presence_of),
        "il32_in_absence_of": _cell(biolink_curie(a) for a in claim.in_absence_of),
        "il32_claims": _claims_cell(carried),
    }


def _named(term: object) -> bool:
    """Whether Biolink has a prefix for ``term`` (an IRI), so that it can be a node."""
    return isinstance(term, URIRef) and biolink_curie(term) != str(term)


def _carriers(claims: list[Claim]) -> tuple[list[Claim], dict[URIRef, list[Claim]]]:
    """The claims that are edges, and what each row (by its node's or edge's IRI) carries.

    An edge needs two nodes Biolink can name. A claim about claims is carried by the edge of
    the claim it is about (its subject's, else its object's, else wherever that claim is
    carried); any other claim that is no edge (a literal object, a term of il32rdf's own) by
    its subject's node, else its object's, else its species' (the scope it holds in)."""
    by_iri = {c.iri: c for c in claims}
    about = {c.iri for c in claims if c.subject in by_iri or c.object in by_iri}
    edges = [c for c in claims if c.iri not in about and _named(c.subject) and _named(c.object)]
    edge_iris = {c.iri for c in edges}

    def home(claim: Claim, seen: frozenset[URIRef]) -> URIRef:
        ends = [t for t in (claim.subject, claim.object) if isinstance(t, URIRef)]
        if claim.iri in about:
            for end in ends:
                if end in edge_iris:
                    return end
            for end in ends:
                if end in by_iri and end not in seen:
                    return home(by_iri[end], seen | {claim.iri})
        for end in ends:
            if _named(end):
                return end
        return claim.taxon if claim.taxon is not None else claim.subject

    carried: dict[URIRef, list[Claim]] = {}
    for claim in claims:
        if claim.iri not in edge_iris:
            carried.setdefault(home(claim, frozenset()), []).append(claim)
    return edges, carried


def write_kgx(
    source: Store | Graph, directory: Path | str, *, name: str = "il32"
) -> tuple[Path, Path]:
    """Write ``NAME_nodes.tsv`` and ``NAME_edges.tsv`` of the claims of ``source`` (any store,
    or an rdflib graph) into ``directory``; return their paths.

    :raises ExportError: a file cannot be written.
    """
    store = as_store(source)
    directory = Path(directory)
    claims = read_claims(store)
    edges, carried = _carriers(claims)
    node_ids: set[URIRef] = set()
    for claim in edges:
        terms = (claim.subject, claim.object, claim.cell_type, claim.produced_molecule)
        for term in (*terms, *claim.in_presence_of, *claim.in_absence_of):
            if isinstance(term, URIRef):
                node_ids.add(term)
    node_ids.update(t for t in carried if t not in {c.iri for c in edges})
    facts = _node_facts(store, sorted(node_ids))
    nodes = []
    for node in sorted(node_ids, key=biolink_curie):
        labels, taxa, ancestors = facts.get(node, ([], [], set()))
        nodes.append(
            {
                "id": biolink_curie(node),
                "category": _category(node, facts.proteins, ancestors),
                "name": min(labels) if labels else str(node),
                "il32_in_taxon": biolink_curie(min(taxa)) if taxa else "",
                "il32_claims": _claims_cell(carried.get(node, [])),
            }
        )
    nodes_path = directory / f"{name}_nodes.tsv"
    edges_path = directory / f"{name}_edges.tsv"
    write_chunks(nodes_path, _tsv(nodes, NODE_COLUMNS))
    rows = (_edge_row(c, carried.get(c.iri, [])) for c in edges)
    write_chunks(edges_path, _tsv(rows, EDGE_COLUMNS))
    return nodes_path, edges_path


def _category(term: URIRef, proteins: Collection[object], ancestors: Collection[object]) -> str:
    if term in proteins or str(term).startswith(str(UNIPROT)):
        return "biolink:Protein"
    if str(term).startswith(str(OBO) + "NCBITaxon_"):
        return "biolink:OrganismTaxon"
    for root, category in _CATEGORY_ROOTS:
        if root in ancestors:
            return category
    return "biolink:NamedThing"


def _tsv(rows: Iterable[dict[str, str]], columns: tuple[str, ...]) -> Iterator[str]:
    """A table as kgx writes and reads it, in pieces of a few thousand lines: tab-separated,
    unquoted, a tab or line break inside a value written as a space."""
    clean = str.maketrans({"\t": " ", "\n": " ", "\r": " "})
    tabs = len(columns) - 1
    lines = ["\t".join(columns)]
    for row in rows:
        line = "\t".join([row[c] for c in columns])
        if line.count("\t") != tabs or "\n" in line or "\r" in line:  # rare: clean each value
            line = "\t".join([row[c].translate(clean) for c in columns])
        lines.append(line)
        if len(lines) == 5_000:
            yield "\n".join(lines) + "\n"
            lines.clear()
    yield "\n".join(lines) + "\n" if lines else ""


class _NodeFacts(dict[URIRef, tuple[list[str], list[URIRef], set[URIRef]]]):
    """Each node's labels, taxa and the category roots above it; and which nodes are proteins."""

    proteins: set[object]


def _node_facts(store: Store, nodes: list[URIRef]) -> _NodeFacts:
    facts = _NodeFacts()
    facts.proteins = set()
    roots = " ".join(f"<{root}>" for root, _ in _CATEGORY_ROOTS)
    for start in range(0, len(nodes), 1000):
        values = " ".join(f"<{n}>" for n in nodes[start : start + 1000])
        rows = store.query(
            f"SELECT ?n ?label ?taxon ?root ?protein WHERE {{ VALUES ?n {{ {values} }}"
            f" {{ ?n rdfs:label ?label }}"
            f" UNION {{ ?n <{OBO.RO_0002162}> ?taxon FILTER isIRI(?taxon) }}"
            f" UNION {{ VALUES ?root {{ {roots} }} ?n rdfs:subClassOf* ?root }}"
            f" UNION {{ ?n a <{PROTEIN}> BIND (true AS ?protein) }} }}"
        ).rows
        for node, label, taxon, root, protein in rows:
            assert isinstance(node, URIRef)
            labels, taxa, ancestors = facts.setdefault(node, ([], [], set()))
            if label is not None:
                labels.append(str(label))
            if isinstance(taxon, URIRef):
                taxa.append(taxon)
            if isinstance(root, URIRef):
                ancestors.add(root)
            if protein is not None:
                facts.proteins.add(node)
    return facts
