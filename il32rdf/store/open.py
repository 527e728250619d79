"""Opening a store: which engine, from which files, and the on-disk store's reuse.

Every file is read by Oxigraph's parser (:mod:`il32rdf.store.parse`), whichever the engine. The
named graphs of a file (N-Quads, TriG, JSON-LD) are kept under their own names beside
il32rdf's three graphs; its default graph goes into the ``facts`` graph (the ``ontology``
graph for the bundled ontology files). A quad whose graph is one of il32rdf's own
(``https://w3id.org/il32rdf/graph/ontology``...) goes into that graph, so a release's
``il32.nq`` loads back into the same three graphs.

>>> from il32rdf.store import open_store
>>> store = open_store()  # the bundled ontology and facts, in Oxigraph
>>> store.engine, store.count("inferred") > 0
('oxigraph', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from il32rdf.errors import InputError, UsageError
from il32rdf.store.base import Engine, Store
from il32rdf.store.oxigraph_store import OxigraphStore
from il32rdf.store.parse import Input, inputs
from il32rdf.version import __version__

__all__ = ["as_store", "choose_engine", "open_store", "parse_inputs"]


def choose_engine(
    files: Sequence[Path | str] = (), engine: Engine | str = "auto", path: Path | str | None = None
) -> Engine:
    """The engine ``engine`` names; ``auto`` and an on-disk ``path`` are Oxigraph.

    Oxigraph is the default at every size: on the bundled graph it answers a command in a
    fraction of rdflib's time (rdflib's SPARQL engine alone takes a tenth of a second to
    import), and at 100,000 triples rdflib is the slow part of every command (see
    benchmarks/peers.py).

    :raises UsageError: an unknown engine, or ``path`` with the rdflib engine.
    """
    named = None if engine == "auto" else Engine.from_name(engine)
    if path is not None:
        if named is Engine.RDFLIB:
            raise UsageError(
                "--store-path keeps an Oxigraph store: it does not go with --store rdflib"
            )
        return Engine.OXIGRAPH
    return named if named is not None else Engine.OXIGRAPH


def open_store(
    files: Sequence[Path | str] = (),
    engine: Engine | str = "auto",
    path: Path | str | None = None,
    *,
    bundled: bool = True,
) -> Store:
    """The knowledge graph in one store: the bundled ontology (into the ontology graph) and facts
    (into the facts graph) unless ``bundled`` is false, ``files`` into the facts graph, and the
    plain edges of the positive claims in the inferred graph.

    The named graphs of N-Quads and TriG files are kept (see the module's docstring).
    ``engine``: ``rdflib``, ``oxigraph`` or ``auto`` (:func:`choose_engine`). ``path``: an
    on-disk Oxigraph store in that directory, loaded once and reused while the inputs (path,
    size, modification time, il32rdf version) are unchanged; its ``reloaded`` says which.

    :raises InputError: a file is missing, of an unknown type, or malformed; or ``path`` cannot
        be used as a store.
    :raises UsageError: unknown engine, or ``path`` with the rdflib engine.
    """
    chosen = choose_engine(files, engine, path)
    found = inputs(files, bundled=bundled)
    if path is not None:
        wanted = _manifest(found)
        disk = OxigraphStore.on_disk(path)
        if disk.manifest() == wanted:
            disk.reloaded = False
            return disk
        disk.clear()
        _fill(disk, found)
        disk.seal(wanted)
        return disk
    store: Store = _rdflib_store() if chosen is Engine.RDFLIB else OxigraphStore()
    _fill(store, found)
    return store


def parse_inputs(store: Store, files: Sequence[Input]) -> None:
    """Parse ``files`` into ``store`` with Oxigraph's parser: each file's default graph into the
    graph its input names, its named graphs under their own names.

    :raises InputError: a file is missing, of an unknown type, or malformed (one line:
        ``FILE:LINE:COLUMN: malformed FORMAT: what``).
    """
    for graph_name, path in files:
        if isinstance(store, OxigraphStore):
            store.load_file(path, graph_name)
        elif store.engine == "rdflib":
            from il32rdf.store.parse import load_rdflib
            from il32rdf.store.rdflib_store import RdflibStore
            from il32rdf.vocab import GRAPH_NAMES

            assert isinstance(store, RdflibStore)
            load_rdflib(path, store.dataset, GRAPH_NAMES[graph_name])
        else:
            raise InputError(f"files cannot be loaded into a {store.engine} store from here")


def _rdflib_store() -> Store:
    """A new, empty rdflib store (rdflib is loaded only for it)."""
    from il32rdf.store.rdflib_store import RdflibStore

    return RdflibStore()


def _fill(store: Store, found: list[Input]) -> None:
    parse_inputs(store, found)
    store.derive_claim_edges()


def _manifest(found: list[Input]) -> list[object]:
    entries: list[object] = [f"il32rdf {__version__}"]
    for graph_name, path in found:
        try:
            status = path.stat()
        except FileNotFoundError:
            raise InputError("no such file", path=path) from None
        entries.append([graph_name, str(path.resolve()), status.st_size, status.st_mtime_ns])
    return entries


def as_store(source: object, engine: Engine | str | None = None) -> Store:
    """``source`` behind the store protocol: a :class:`Store` as it is, an rdflib Graph or
    Dataset wrapped without a copy, or copied into Oxigraph when ``engine`` is ``oxigraph``
    (keep the store to query it many times). A store of another engine is used as it is.

    :raises UsageError: unknown engine, or ``source`` is no RDF graph or store.
    :raises InputError: Oxigraph rejects a term of the rdflib graph.
    """
    wanted = None if engine is None else Engine.from_name(engine)
    if isinstance(source, Store):
        if wanted is Engine.OXIGRAPH and source.engine == "rdflib":
            from il32rdf.store.rdflib_store import RdflibStore

            assert isinstance(source, RdflibStore)
            return OxigraphStore.from_graph(source.dataset)
        return source
    from rdflib import Graph

    from il32rdf.store.rdflib_store import RdflibStore

    if isinstance(source, Graph):
        if wanted is Engine.OXIGRAPH:
            return OxigraphStore.from_graph(source)
        return RdflibStore(source)
    raise UsageError(f"not an RDF graph or store: {type(source).__name__}")
