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

import functools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from il32rdf import kgx, obographs
from il32rdf.export import RdfFormat, chunks_of_lines, serialize
from il32rdf.files import write_atomic, write_chunks
from il32rdf.machine import Later, Pending, beside
from il32rdf.metadata import (
    Distribution,
    add_distributions,
    add_triple_count,
    describe_dataset,
)
from il32rdf.ntriples import nquads_chunks
from il32rdf.ntterms import DumpedLines, distinct_sorted
from il32rdf.store import Store
from il32rdf.vocab import GRAPH_NAMES

__all__ = [
    "DESCRIPTION_FILE",
    "KGX_DIRECTORY",
    "OBOGRAPHS_FILE",
    "OWL_VIEW",
    "RELEASE_FILES",
    "PendingRelease",
    "ReleaseFile",
    "start_release",
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
    return start_release(store, directory).finish()


def start_release(store: Store, directory: Path | str) -> PendingRelease:
    """Start writing the release into ``directory``; :meth:`PendingRelease.finish` ends it.

    The RDF files (:data:`RELEASE_FILES`) are made from each graph's lines by a process beside
    this one (:func:`il32rdf.machine.beside`), which reads them from files the store dumps
    into a temporary directory (:meth:`~il32rdf.store.Store.dump_graph`: this process never
    holds them); this one writes the OBO Graphs and KGX files
    before it returns, while the store counts what the description says (in a thread where the
    engine answers outside Python's lock, else in :meth:`~PendingRelease.finish`:
    :meth:`~il32rdf.store.Store.beside`). The caller
    may do other work before it calls :meth:`~PendingRelease.finish` (the build answers its
    queries and draws its diagrams meanwhile). Each file is the same bytes as when written one
    after the other.

    :raises ExportError: a file cannot be written.
    """
    directory = Path(directory)
    dumps = Path(tempfile.mkdtemp(prefix="il32rdf-release-"))
    try:
        graphs = [
            (term, store.dump_graph(term, dumps / f"{number}.nt"))
            for number, term in enumerate(store.named_graphs())
        ]
        claims = {row[0] for row in store.rows("SELECT DISTINCT ?c WHERE { ?c a il32:Claim }")}
        child = beside(_write_from_dumps, directory, graphs, claims)
    except BaseException:
        shutil.rmtree(dumps, ignore_errors=True)
        raise
    pending = PendingRelease(directory, child, dumps)
    try:
        pending.described = store.beside(
            functools.partial(describe_dataset, store, count_triples=False)
        )
        ontology_json = obographs.to_json(store.graph("ontology"))
        pending.sizes[OBOGRAPHS_FILE] = write_atomic(directory / OBOGRAPHS_FILE, ontology_json)
        for path in kgx.write_kgx(store, directory / KGX_DIRECTORY):
            pending.sizes[f"{KGX_DIRECTORY}/{path.name}"] = path.stat().st_size
    except BaseException:
        pending.cancel()
        raise
    return pending


class PendingRelease:
    """A release being written (:func:`start_release`)."""

    def __init__(
        self, directory: Path, child: Pending[tuple[dict[str, int], int]], dumps: Path
    ) -> None:
        self.directory = directory
        self.child = child
        self.dumps = dumps  # the graphs' statements for the child, removed when it is done
        self.described: Later[Graph] | None = None
        self.sizes: dict[str, int] = {}  # file (as ``kgx/NAME`` in its directory) -> bytes

    def finish(self) -> list[ReleaseFile]:
        """Wait for the files, write the description; every file written, in the table's order.

        :raises ExportError: a file cannot be written.
        """
        try:
            written_by_child, triples = self.child.result()
            shutil.rmtree(self.dumps, ignore_errors=True)
            sizes = {**written_by_child, **self.sizes}
            assert self.described is not None
            description = self.described.result()
        except BaseException:
            self.cancel()
            raise
        directory = self.directory
        written = [
            ReleaseFile(directory / name, graph, fmt.media_type, sizes[name])
            for name, graph, fmt in RELEASE_FILES
        ]
        size = sizes[OBOGRAPHS_FILE]
        written.append(
            ReleaseFile(directory / OBOGRAPHS_FILE, "ontology", "application/json", size)
        )
        for name in [name for name in self.sizes if name.startswith(f"{KGX_DIRECTORY}/")]:
            size = sizes[name]
            written.append(
                ReleaseFile(directory / name, "facts", "text/tab-separated-values", size)
            )
        distributions = [
            Distribution(str(f.path.relative_to(directory)), f.media_type, f.size, f.graph)
            for f in written
        ]
        add_triple_count(description, triples)
        add_distributions(description, distributions)
        text = serialize(description, RdfFormat.TURTLE)
        write_atomic(directory / DESCRIPTION_FILE, text)
        written.append(
            ReleaseFile(directory / DESCRIPTION_FILE, "metadata", "text/turtle", len(text))
        )
        return written

    def cancel(self) -> None:
        """Stop the writing process and wait for the counting (after an error)."""
        self.child.cancel()
        shutil.rmtree(self.dumps, ignore_errors=True)
        if self.described is not None:
            self.described.wait()


def _write_from_dumps(
    directory: Path, dumps: list[tuple[str, DumpedLines]], claims: set[str]
) -> tuple[dict[str, int], int]:
    """Write the RDF files of :data:`RELEASE_FILES` from the statements of each named graph
    (``dumps``: term, its statements in a file); :data:`OWL_VIEW` leaves out the statements
    about the ``claims``. Their sizes by name, and how many distinct statements there are in
    all."""
    graphs = [(term, dumped.read()) for term, dumped in dumps]
    by_name = dict(graphs)
    everything = distinct_sorted([line for _, lines in graphs for line in lines])
    sizes = {}
    for name, graph, fmt in RELEASE_FILES:
        if fmt is RdfFormat.NQUADS:
            chunks = nquads_chunks(graphs)
        elif graph == "all":
            chunks = chunks_of_lines(everything, fmt)
        elif graph == OWL_VIEW:
            chunks = chunks_of_lines(_without_claims(everything, claims), fmt)
        else:
            chunks = chunks_of_lines(by_name[f"<{GRAPH_NAMES[graph]}>"], fmt)
        sizes[name] = write_chunks(directory / name, chunks)
    return sizes, len(everything)


def _without_claims(lines: list[str], claims: set[str]) -> list[str]:
    """The sorted ``lines`` but those whose subject is a claim (see :data:`OWL_VIEW`)."""
    return [line for line in lines if line[: line.index(" ")] not in claims]
