"""Opening a store: which engine, from which files, and the on-disk store's reuse.

>>> from il32rdf.store import open_store
>>> store = open_store()  # the bundled ontology and facts, in Oxigraph
>>> store.engine, store.count("inferred") > 0
('oxigraph', True)
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from pathlib import Path

from il32rdf.errors import InputError, UsageError
from il32rdf.store.base import AUTO_OXIGRAPH_BYTES, Engine, Store
from il32rdf.store.oxigraph_store import OxigraphStore
from il32rdf.store.parse import Input, inputs, parse_file
from il32rdf.store.rdflib_store import RdflibStore
from il32rdf.terms import rdflib_statements
from il32rdf.version import __version__

__all__ = ["as_store", "choose_engine", "lenient_parse", "open_store", "parse_inputs"]


def choose_engine(
    files: Sequence[Path | str] = (), engine: Engine | str = "auto", path: Path | str | None = None
) -> Engine:
    """The engine ``engine`` names; ``auto`` and an on-disk ``path`` are Oxigraph.

    Oxigraph is the default at every size: on the bundled graph it answers a command in a
    fraction of rdflib's time (rdflib's SPARQL engine alone takes a tenth of a second to
    import), and at 100,000 triples rdflib is the slow part of every command (see
    benchmarks/peers.py). ``auto`` keeps rdflib's parser for the user's files below
    :data:`AUTO_OXIGRAPH_BYTES` (:func:`lenient_parse`).

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


def lenient_parse(files: Sequence[Path | str] = (), engine: Engine | str = "auto") -> bool:
    """Whether the user's ``files`` are read by rdflib's parser (and then copied into the
    store): with ``auto`` while they are smaller than :data:`AUTO_OXIGRAPH_BYTES` in all, so
    that what is accepted, and the messages about what is not, stay those of rdflib; from that
    size on, the engine's own parser reads them (Oxigraph's is strict and fast). The bundled
    files are always read by the engine's own parser."""
    if engine != "auto":
        return Engine.from_name(engine) is Engine.RDFLIB
    size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
    return size < AUTO_OXIGRAPH_BYTES


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

    ``engine``: ``rdflib``, ``oxigraph`` or ``auto`` (:func:`choose_engine`). ``path``: an
    on-disk Oxigraph store in that directory, loaded once and reused while the inputs (path,
    size, modification time, il32rdf version) are unchanged; its ``reloaded`` says which.

    :raises InputError: a file is missing, of an unknown type, or malformed; or ``path`` cannot
        be used as a store.
    :raises UsageError: unknown engine, or ``path`` with the rdflib engine.
    """
    chosen = choose_engine(files, engine, path)
    found = inputs(files, bundled=bundled)
    by_rdflib = {Path(f) for f in files} if lenient_parse(files, engine) else set()
    if path is not None:
        wanted = _manifest(found)
        disk = OxigraphStore.on_disk(path)
        disk.inputs = tuple(found)
        if disk.manifest() == wanted:
            disk.reloaded = False
            return disk
        disk.clear()
        _fill(disk, found, by_rdflib)
        disk.seal(wanted)
        return disk
    store: Store = RdflibStore() if chosen is Engine.RDFLIB else OxigraphStore()
    store.inputs = tuple(found)
    _fill(store, found, by_rdflib)
    return store


def parse_inputs(
    store: Store, files: Sequence[Input], *, by_rdflib: Set[Path] = frozenset()
) -> None:
    """Parse ``files`` into their graphs of ``store``: by rdflib's parser on the rdflib engine
    and for the files ``by_rdflib`` (copied into the store as N-Triples), else by Oxigraph's
    bulk loader.

    :raises InputError: a file is missing, of an unknown type, or malformed (the message names
        the file and, where the parser says, the line).
    """
    for graph_name, path in files:
        if isinstance(store, RdflibStore):
            parse_file(path, store.named(graph_name))
        elif path in by_rdflib:
            store.add(graph_name, rdflib_statements(parse_file(path)))
        elif isinstance(store, OxigraphStore):
            store.bulk_load(path, graph_name)
        else:
            raise InputError(f"files cannot be loaded into a {store.engine} store from here")


def _fill(store: Store, found: list[Input], by_rdflib: set[Path]) -> None:
    parse_inputs(store, found, by_rdflib=by_rdflib)
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
    from rdflib import Graph

    wanted = None if engine is None else Engine.from_name(engine)
    if isinstance(source, RdflibStore):
        if wanted is Engine.OXIGRAPH:
            return OxigraphStore.from_graph(source.dataset)
        return source
    if isinstance(source, Store):
        return source
    if isinstance(source, Graph):
        if wanted is Engine.OXIGRAPH:
            return OxigraphStore.from_graph(source)
        return RdflibStore(source)
    raise UsageError(f"not an RDF graph or store: {type(source).__name__}")
