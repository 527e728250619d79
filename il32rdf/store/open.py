"""Opening a store: which engine, from which files, and the on-disk store's reuse.

>>> from il32rdf.store import open_store
>>> store = open_store()  # the bundled ontology and facts, in rdflib (small data)
>>> store.engine, store.count("inferred") > 0
('rdflib', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from il32rdf.errors import InputError, UsageError
from il32rdf.store.base import AUTO_OXIGRAPH_BYTES, Engine, Store
from il32rdf.store.oxigraph_store import OxigraphStore
from il32rdf.store.parse import Input, inputs, parse_inputs
from il32rdf.store.rdflib_store import RdflibStore
from il32rdf.version import __version__

__all__ = ["as_store", "choose_engine", "open_store"]


def choose_engine(
    files: Sequence[Path | str] = (), engine: Engine | str = "auto", path: Path | str | None = None
) -> Engine:
    """The engine for ``files``: ``engine`` if named, else (``auto``) Oxigraph from
    :data:`AUTO_OXIGRAPH_BYTES` of data files on, rdflib below; an on-disk ``path`` is Oxigraph.

    rdflib is the embedded default for small data; at about 100,000 triples it becomes the slow
    part of every command (see benchmarks/peers.py), Oxigraph does not.

    :raises UsageError: an unknown engine, or ``path`` with the rdflib engine.
    """
    named = None if engine == "auto" else Engine.from_name(engine)
    if path is not None:
        if named is Engine.RDFLIB:
            raise UsageError(
                "--store-path keeps an Oxigraph store: it does not go with --store rdflib"
            )
        return Engine.OXIGRAPH
    if named is not None:
        return named
    size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
    return Engine.OXIGRAPH if size >= AUTO_OXIGRAPH_BYTES else Engine.RDFLIB


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
    store: Store = RdflibStore() if chosen is Engine.RDFLIB else OxigraphStore()
    _fill(store, found)
    return store


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
