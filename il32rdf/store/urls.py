"""Where a SPARQL store answers queries, serves its graphs and takes updates, by store type.

>>> store_urls("http://127.0.0.1:7878/query").gsp
'http://127.0.0.1:7878/store'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from il32rdf.errors import UsageError

__all__ = ["STORE_TYPES", "StoreUrls", "store_urls"]


@dataclass(frozen=True)
class StoreUrls:
    """Where a store answers queries, serves its graphs (GSP) and takes updates."""

    query: str
    gsp: str | None = None
    update: str | None = None


def _oxigraph(query: str) -> StoreUrls:
    root = query.removesuffix("/query")
    return StoreUrls(query, root + "/store", root + "/update")


def _fuseki(query: str) -> StoreUrls:
    root = query.rsplit("/", 1)[0]  # http://host:3030/DATASET/{sparql,query}
    return StoreUrls(query, root + "/data", root + "/update")


def _virtuoso(query: str) -> StoreUrls:
    root = query.removesuffix("/sparql").removesuffix("/sparql-auth")
    authenticated = query.endswith("-auth")
    gsp = root + ("/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud")
    return StoreUrls(query, gsp, query)


def _graphdb(query: str) -> StoreUrls:
    return StoreUrls(query, query + "/rdf-graphs/service", query + "/statements")


STORE_TYPES: Final[dict[str, Callable[[str], StoreUrls]]] = {
    "oxigraph": _oxigraph,
    "fuseki": _fuseki,
    "virtuoso": _virtuoso,
    "graphdb": _graphdb,
}
"""How each known store lays out its URLs, from its SPARQL query endpoint."""


def store_urls(
    endpoint: str,
    store_type: str = "oxigraph",
    *,
    gsp: str | None = None,
    update: str | None = None,
) -> StoreUrls:
    """The URLs of a store: derived from its query endpoint for a known type, or given.

    :raises UsageError: unknown store type; the message lists the known ones.
    """
    if store_type not in STORE_TYPES:
        raise UsageError(f"unknown store type {store_type!r}; known: {', '.join(STORE_TYPES)}")
    derived = STORE_TYPES[store_type](endpoint.rstrip("/"))
    return StoreUrls(derived.query, gsp or derived.gsp, update or derived.update)
