"""Biolink/KGX-style node and edge tables (TSV) of the claims, for knowledge-graph tooling.

One edge row per claim, negated claims included (``negated`` column), with the publications and
the evidence kept. The ``predicate`` column holds a Biolink predicate where the Biolink model
states an exact mapping to the claim's relation (:data:`BIOLINK_PREDICATES`; checked against the
Biolink model's schema), and ``biolink:related_to`` otherwise; the relation
itself is always kept in ``original_predicate``. Qualifiers that have no Biolink slot checked here
go in ``il32_*`` columns, which KGX carries as extra properties.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, Graph, Literal, URIRef

from il32rdf.claims import Claim, read_claims
from il32rdf.errors import InputError
from il32rdf.files import write_atomic
from il32rdf.store import Store, as_store
from il32rdf.vocab import OBO, PROTEIN, compress_iri

__all__ = ["BIOLINK_PREDICATES", "EDGE_COLUMNS", "NODE_COLUMNS", "KgxEdge", "read_kgx", "write_kgx"]

BIOLINK_PREDICATES = {
    str(OBO.RO_0004034): "biolink:acts_upstream_of_positive_effect",
    str(OBO.RO_0004035): "biolink:acts_upstream_of_negative_effect",
    str(OBO.RO_0002263): "biolink:acts_upstream_of",
    str(OBO.RO_0002264): "biolink:acts_upstream_of_or_within",
    str(OBO.RO_0002327): "biolink:enables",
    str(OBO.RO_0002202): "biolink:develops_from",
    str(OBO.RO_0002215): "biolink:capable_of",
    str(OBO.BFO_0000050): "biolink:part_of",
    str(OBO.RO_0002162): "biolink:in_taxon",
    str(RDFS.subClassOf): "biolink:subclass_of",
}
"""Relations with an exact mapping in the Biolink model (checked in biolink-model 4.4.6's
``biolink_model.yaml``: each predicate lists the RO term as an ``exact_mapping``); any other
relation is ``biolink:related_to``, with the relation kept in ``original_predicate``."""

NODE_COLUMNS = ("id", "category", "name", "in_taxon")
EDGE_COLUMNS = (
    "id",
    "subject",
    "predicate",
    "object",
    "original_predicate",
    "negated",
    "publications",
    "has_evidence",
    "anatomical_context_qualifier",
    "il32_cell_line",
    "il32_in_taxon",
    "il32_produced_molecule",
    "il32_in_presence_of",
    "il32_in_absence_of",
    "il32_object_literal",
)

# Category by the root a class sits under, or the type of an individual.
_CATEGORY_ROOTS = (
    (OBO.GO_0008150, "biolink:BiologicalProcess"),
    (OBO.GO_0003674, "biolink:MolecularActivity"),
    (OBO.GO_0005575, "biolink:CellularComponent"),
    (OBO.CL_0000000, "biolink:Cell"),
    (OBO.UBERON_0001062, "biolink:AnatomicalEntity"),
)


@dataclass(frozen=True)
class KgxEdge:
    """One edge row read back from an edge table."""

    id: str
    subject: str
    predicate: str
    object: str
    original_predicate: str
    negated: bool
    publications: tuple[str, ...]
    has_evidence: tuple[str, ...]
    cell_type: str


def _curie(term: URIRef | None) -> str:
    if term is None:
        return ""
    return compress_iri(str(term)) or str(term)


def _category(term: URIRef, proteins: Collection[object], ancestors: Collection[object]) -> str:
    if term in proteins:
        return "biolink:Protein"
    if str(term).startswith(str(OBO) + "NCBITaxon_"):
        return "biolink:OrganismTaxon"
    for root, category in _CATEGORY_ROOTS:
        if root in ancestors:
            return category
    return "biolink:NamedThing"


def _tsv(rows: Iterable[dict[str, str]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter="\t", lineterminator="\n", extrasaction="raise"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def _edge_row(claim: Claim) -> dict[str, str]:
    obj = claim.object
    return {
        "id": _curie(claim.iri),
        "subject": _curie(claim.subject),
        "predicate": BIOLINK_PREDICATES.get(str(claim.predicate), "biolink:related_to"),
        "object": _curie(obj) if isinstance(obj, URIRef) else "",
        "original_predicate": _curie(claim.predicate),
        "negated": "true" if claim.negated else "false",
        "publications": "|".join(_curie(s) for s in claim.sources),
        "has_evidence": "|".join(_curie(e) for e in claim.evidence),
        "anatomical_context_qualifier": _curie(claim.cell_type),
        "il32_cell_line": _curie(claim.cell_line),
        "il32_in_taxon": _curie(claim.taxon),
        "il32_produced_molecule": _curie(claim.produced_molecule),
        "il32_in_presence_of": "|".join(_curie(a) for a in claim.in_presence_of),
        "il32_in_absence_of": "|".join(_curie(a) for a in claim.in_absence_of),
        "il32_object_literal": str(obj) if isinstance(obj, Literal) else "",
    }


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
    node_ids: set[URIRef] = set()
    for claim in claims:
        terms = (claim.subject, claim.object, claim.cell_type, claim.produced_molecule)
        for term in (*terms, *claim.in_presence_of, *claim.in_absence_of):
            if isinstance(term, URIRef):
                node_ids.add(term)
    facts = _node_facts(store, sorted(node_ids))
    nodes = []
    for node in sorted(node_ids, key=_curie):
        labels, taxa, ancestors = facts.get(node, ([], [], set()))
        nodes.append(
            {
                "id": _curie(node),
                "category": _category(node, facts.proteins, ancestors),
                "name": min(labels) if labels else str(node),
                "in_taxon": _curie(min(taxa)) if taxa else "",
            }
        )
    nodes_path = directory / f"{name}_nodes.tsv"
    edges_path = directory / f"{name}_edges.tsv"
    write_atomic(nodes_path, _tsv(nodes, NODE_COLUMNS))
    write_atomic(edges_path, _tsv((_edge_row(c) for c in claims), EDGE_COLUMNS))
    return nodes_path, edges_path


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


def read_kgx(edges_path: Path | str) -> list[KgxEdge]:
    """Read an edge table written by :func:`write_kgx` (full IRIs in ``id`` etc. are kept).

    :raises InputError: the file is missing or lacks the expected columns.
    """
    path = Path(edges_path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    missing = set(EDGE_COLUMNS) - set(reader.fieldnames or ())
    if missing:
        raise InputError(f"not a KGX edge table: missing {', '.join(sorted(missing))}", path=path)
    return [
        KgxEdge(
            id=row["id"],
            subject=row["subject"],
            predicate=row["predicate"],
            object=row["object"] or row["il32_object_literal"],
            original_predicate=row["original_predicate"],
            negated=row["negated"] == "true",
            publications=tuple(p for p in row["publications"].split("|") if p),
            has_evidence=tuple(e for e in row["has_evidence"].split("|") if e),
            cell_type=row["anatomical_context_qualifier"],
        )
        for row in reader
    ]
