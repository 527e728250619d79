"""The release: every file ``il32rdf build`` writes, generated from the loaded dataset.

==============================  ======================================================
file                            content
==============================  ======================================================
``il32.ttl``                    everything (ontology, facts, inferred edges) as Turtle
``il32.nt``                     the same as N-Triples
``il32.jsonld``                 the same as JSON-LD
``il32.owl``                    the OWL view as RDF/XML, for OWL tools such as Protégé: the
                                same without the claim nodes (OWL 2 DL has no place for
                                ``rdf:subject``/``rdf:predicate``/``rdf:object``); what the
                                positive claims say is in it as their plain edges
``il32.nq``                     the named graphs as N-Quads (asserted and inferred apart)
``il32-ontology.ttl``           the ontology (TBox) alone, as Turtle
``il32-ontology.owl``           the ontology alone, as RDF/XML
``il32-inferred.ttl``           the inferred graph alone: plain edges of claims, the reasoner's
                                types, subclass closure and relation-graph edges
``il32-ontology.obographs.json``  the ontology as OBO Graphs JSON
``kgx/il32_nodes.tsv``,         the claims as Biolink/KGX-style node and edge tables
``kgx/il32_edges.tsv``
``il32-void.ttl``               the VoID/DCAT description of all of the above
==============================  ======================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from il32rdf import kgx, obographs
from il32rdf.export import RdfFormat, chunks_of_lines, export_file, serialize
from il32rdf.files import write_atomic, write_chunks
from il32rdf.metadata import Distribution, describe_dataset
from il32rdf.store import Store

__all__ = [
    "DESCRIPTION_FILE",
    "KGX_DIRECTORY",
    "OBOGRAPHS_FILE",
    "OWL_VIEW",
    "RELEASE_FILES",
    "ReleaseFile",
    "write_release",
]

OWL_VIEW = "all without claims"
"""The graph of ``il32.owl``: every statement but those about a claim node. OWL 2 reserves the
RDF vocabulary: the OWL API cannot read a claim's ``rdf:subject``, ``rdf:predicate`` and
``rdf:object`` as OWL (they are left as unparsed triples) and a literal ``rdf:object`` breaks the
OWL 2 DL profile; the claims, with their polarity and provenance, are in every other file."""

RELEASE_FILES: tuple[tuple[str, str, RdfFormat], ...] = (
    ("il32.ttl", "all", RdfFormat.TURTLE),
    ("il32.nt", "all", RdfFormat.NTRIPLES),
    ("il32.jsonld", "all", RdfFormat.JSONLD),
    ("il32.owl", OWL_VIEW, RdfFormat.RDFXML),
    ("il32.nq", "all", RdfFormat.NQUADS),
    ("il32-ontology.ttl", "ontology", RdfFormat.TURTLE),
    ("il32-ontology.owl", "ontology", RdfFormat.RDFXML),
    ("il32-inferred.ttl", "inferred", RdfFormat.TURTLE),
)
"""(file name, graph, format) of each RDF release file; the graph :data:`OWL_VIEW` is ``all``
without the claim nodes."""

OBOGRAPHS_FILE = "il32-ontology.obographs.json"
KGX_DIRECTORY = "kgx"
DESCRIPTION_FILE = "il32-void.ttl"
"""The VoID/DCAT description, written last because it lists the other files."""


@dataclass(frozen=True)
class ReleaseFile:
    """A file written by :func:`write_release`."""

    path: Path
    graph: str
    media_type: str
    size: int


def write_release(store: Store, directory: Path | str) -> list[ReleaseFile]:
    """Write every release file into ``directory`` (created if needed), each atomically.

    :raises ExportError: a file cannot be written.
    """
    directory = Path(directory)
    written = []
    lines: dict[str, list[str]] = {}  # each graph's lines, read once for all its files
    for name, graph, fmt in RELEASE_FILES:
        if fmt is RdfFormat.NQUADS:
            size = export_file(store, fmt, directory / name, graph=graph)
        else:
            if graph == OWL_VIEW:
                lines[graph] = _without_claims(store, lines.get("all") or store.lines("all"))
            elif graph not in lines:
                lines[graph] = store.lines(graph)
            size = write_chunks(directory / name, chunks_of_lines(lines[graph], fmt))
        written.append(ReleaseFile(directory / name, graph, fmt.media_type, size))
    lines.clear()
    ontology_json = obographs.to_json(store.graph("ontology"))
    write_atomic(directory / OBOGRAPHS_FILE, ontology_json)
    written.append(
        ReleaseFile(directory / OBOGRAPHS_FILE, "ontology", "application/json", len(ontology_json))
    )
    for path in kgx.write_kgx(store, directory / KGX_DIRECTORY):
        written.append(ReleaseFile(path, "facts", "text/tab-separated-values", path.stat().st_size))
    distributions = [
        Distribution(str(f.path.relative_to(directory)), f.media_type, f.size, f.graph)
        for f in written
    ]
    description = serialize(describe_dataset(store, distributions=distributions), RdfFormat.TURTLE)
    write_atomic(directory / DESCRIPTION_FILE, description)
    written.append(
        ReleaseFile(directory / DESCRIPTION_FILE, "metadata", "text/turtle", len(description))
    )
    return written


def _without_claims(store: Store, lines: list[str]) -> list[str]:
    """The sorted ``lines`` but those whose subject is a claim (see :data:`OWL_VIEW`)."""
    claims = {row[0] for row in store.rows("SELECT DISTINCT ?c WHERE { ?c a il32:Claim }")}
    return [line for line in lines if line[: line.index(" ")] not in claims]
