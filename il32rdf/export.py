"""Deterministic RDF output: the same graph gives the same bytes, whatever ``PYTHONHASHSEED``
and whichever engine holds it.

rdflib's own N-Triples, JSON-LD and RDF/XML writers follow the order of Python sets and label
blank nodes at random, so two runs differ (rdflib#3545). Here every format writes its statements
in sorted order with canonical blank-node labels:

- Turtle and TriG: :mod:`il32rdf.turtle`; N-Triples and N-Quads: :mod:`il32rdf.ntriples`; fed
  a store's statements as N-Triples term strings (:meth:`il32rdf.store.Store.lines`), whatever
  its engine: the same bytes from each;
- JSON-LD and RDF/XML: :mod:`il32rdf.documents`, from the same lines: one node object or one
  ``rdf:Description`` per subject, sorted.

Blank nodes get canonical labels (:mod:`il32rdf.canon`). N-Quads and TriG keep the named
graphs (il32rdf's three and the user's own); the other formats hold one graph, so ``all`` is
the union of every named graph (:func:`merged_graphs` says which were merged).

Every format is streamed to the file as it is made, through a temporary file beside the target
and a rename, so a reader never sees a half-written file and a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Dataset, Graph

from il32rdf.documents import rdfxml_chunks
from il32rdf.errors import UsageError
from il32rdf.files import write_chunks
from il32rdf.formats import RdfFormat
from il32rdf.jsonld import jsonld_chunks
from il32rdf.ntriples import nquads_chunks, ntriples_chunks, ntriples_chunks_of_lines
from il32rdf.store import Store, as_store, check_graph
from il32rdf.terms import rdflib_statements
from il32rdf.turtle import trig_chunks, turtle_chunks, turtle_chunks_of_lines
from il32rdf.vocab import GRAPH_NAMES

__all__ = [
    "RdfFormat",
    "chunks_of_lines",
    "export",
    "export_file",
    "merged_graphs",
    "serialize",
    "serialize_dataset",
]


def export(
    source: Graph | Store,
    rdf_format: RdfFormat | str = RdfFormat.TURTLE,
    *,
    graph: str = "all",
    path: Path | str | None = None,
) -> bytes:
    """Serialize ``graph`` (``ontology``, ``facts``, ``inferred`` or ``all``) of ``source``.

    ``source`` is any store (or an rdflib dataset); every engine gives the same bytes. N-Quads
    and TriG keep the named graphs (``graph="all"`` writes every one, each in its own). When
    ``path`` is given the text is streamed there atomically and then read back;
    :func:`export_file` writes without returning the bytes.

    :raises UsageError: unknown format or graph name.
    :raises ExportError: the file cannot be written.
    """
    if path is not None:
        export_file(source, rdf_format, path, graph=graph)
        return Path(path).read_bytes()
    return _join(_chunks(source, _format(rdf_format), graph))


def export_file(
    source: Graph | Store,
    rdf_format: RdfFormat | str,
    path: Path | str,
    *,
    graph: str = "all",
) -> int:
    """Stream ``graph`` of ``source`` to ``path`` (atomically) and return the bytes written.

    :raises UsageError: unknown format or graph name; nothing is written.
    :raises ExportError: the file cannot be written.
    """
    return write_chunks(path, _chunks(source, _format(rdf_format), graph))  # checks first


def serialize(graph: Graph, rdf_format: RdfFormat) -> bytes:
    """The bytes of ``graph`` in ``rdf_format``, identical for identical graphs."""
    if rdf_format is RdfFormat.TURTLE:
        return _join(turtle_chunks(rdflib_statements(graph)))
    if rdf_format is RdfFormat.NTRIPLES:
        return _join(ntriples_chunks(rdflib_statements(graph)))
    if rdf_format is RdfFormat.JSONLD:
        return _join(jsonld_chunks(_lines(graph)))
    if rdf_format is RdfFormat.RDFXML:
        return _join(rdfxml_chunks(_lines(graph)))
    raise UsageError(f"{rdf_format.value} needs a dataset: use serialize_dataset")


def serialize_dataset(
    source: Dataset | Store, names: list[str], rdf_format: RdfFormat = RdfFormat.NQUADS
) -> bytes:
    """N-Quads (or TriG) of il32rdf's named graphs ``names`` (short names; ``all``: every named
    graph), each sorted, with canonical blank-node labels."""
    return _join(_dataset_chunks(as_store(source), names, rdf_format))


def merged_graphs(
    source: Graph | Store, rdf_format: RdfFormat | str, graph: str = "all"
) -> list[str]:
    """The named graphs (as terms) that writing ``graph`` of ``source`` in ``rdf_format`` merges
    into one: none for N-Quads and TriG or a single graph, else those that hold statements."""
    if _format(rdf_format).keeps_graphs or graph != "all":
        return []
    store = as_store(source)
    return [g for g in store.named_graphs() if store.graph_lines(g)]


# --- helpers -------------------------------------------------------------------------------


def _format(rdf_format: RdfFormat | str) -> RdfFormat:
    return RdfFormat.from_name(rdf_format)


def _lines(graph: Graph) -> list[str]:
    return sorted({" ".join(statement) for statement in rdflib_statements(graph)})


def _join(chunks: Iterable[str]) -> bytes:
    return "".join(chunks).encode("utf-8")


def _chunks(source: Graph | Store, fmt: RdfFormat, graph: str) -> Iterator[str]:
    """The text of ``graph`` of ``source`` in ``fmt``, in pieces."""
    check_graph(graph)
    store = as_store(source)
    if fmt.keeps_graphs:
        return _dataset_chunks(store, [graph], fmt)
    return chunks_of_lines(store.lines(graph), fmt)


def chunks_of_lines(lines: list[str], rdf_format: RdfFormat | str) -> Iterator[str]:
    """The text, in pieces, of the graph whose statements are the sorted, distinct N-Triples
    ``lines`` (without their `` .``), in any format but N-Quads (which needs the named graphs).

    :raises UsageError: unknown format, or N-Quads.
    """
    fmt = _format(rdf_format)
    if fmt is RdfFormat.TURTLE:
        return turtle_chunks_of_lines(lines)
    if fmt is RdfFormat.NTRIPLES:
        return ntriples_chunks_of_lines(lines)
    if fmt is RdfFormat.JSONLD:
        return jsonld_chunks(lines)
    if fmt is RdfFormat.RDFXML:
        return rdfxml_chunks(lines)
    raise UsageError(f"{fmt.value} is written from a store (export), not from one graph's lines")


def _dataset_chunks(store: Store, names: list[str], fmt: RdfFormat) -> Iterator[str]:
    """N-Quads or TriG of the named graphs ``names`` of ``store`` (``all``: every one)."""
    every = "all" in names
    terms = store.named_graphs() if every else [f"<{GRAPH_NAMES[name]}>" for name in names]
    graphs = [(term, store.graph_lines(term)) for term in terms]
    return nquads_chunks(graphs) if fmt is RdfFormat.NQUADS else trig_chunks(graphs)
