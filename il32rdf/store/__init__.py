"""The store seam: the knowledge graph behind one protocol, in rdflib, Oxigraph or a remote
SPARQL store. See :mod:`il32rdf.store.base` for the protocol.

>>> from il32rdf.store import open_store
>>> store = open_store(engine="oxigraph")
>>> store.counts()["ontology"] > 400
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from il32rdf.store.base import Engine, QueryDataset, Store, check_graph
from il32rdf.store.open import as_store, choose_engine, open_store
from il32rdf.store.oxigraph_store import OxigraphStore

if TYPE_CHECKING:
    from il32rdf.store.rdflib_store import RdflibStore
    from il32rdf.store.remote import RemoteStore, StoreUrls

__all__ = [
    "Engine",
    "OxigraphStore",
    "QueryDataset",
    "RdflibStore",
    "RemoteStore",
    "Store",
    "StoreUrls",
    "as_store",
    "check_graph",
    "choose_engine",
    "open_store",
]


def __getattr__(name: str) -> Any:
    """The rdflib and remote stores on first use: a command on Oxigraph needs neither rdflib nor
    httpx (which the remote store alone imports)."""
    if name == "RdflibStore":
        from il32rdf.store.rdflib_store import RdflibStore

        return RdflibStore
    if name in ("RemoteStore", "StoreUrls"):
        from il32rdf.store import remote

        return getattr(remote, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
