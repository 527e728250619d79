"""Push the release into a named graph of a SPARQL 1.1 store, and check that it arrived whole.

The statements of one graph of any local store (``which``: ``ontology``, ``facts``, ``inferred``
or ``all``) replace the named graph ``graph_iri`` of a :class:`~il32rdf.store.remote.RemoteStore`
(by Graph Store Protocol ``PUT``, or SPARQL Update into a temporary graph and ``MOVE``: all or
nothing on the store's side), then the store's count of that graph is compared with the number
sent. Blank nodes are skolemised first (``/.well-known/genid/``), because a blank-node label
means nothing across requests.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from rdflib import Graph

from il32rdf.errors import RemoteError
from il32rdf.store import Store, as_store
from il32rdf.store.remote import STORE_TYPES, RemoteStore, StoreUrls, store_urls

__all__ = ["GENID", "STORE_TYPES", "PublishResult", "StoreUrls", "publish", "store_urls"]

GENID: Final = "https://w3id.org/il32rdf/.well-known/genid/"


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did."""

    graph: str
    method: str
    local_triples: int
    remote_triples: int
    attempts: int
    seconds: float


def publish(
    source: Store | Graph,
    urls: StoreUrls,
    graph_iri: str,
    *,
    which: str = "all",
    method: str = "gsp",
    chunk_triples: int = 50_000,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 600.0,
) -> PublishResult:
    """Replace the named graph ``graph_iri`` at the store with the graph ``which`` of ``source``
    (any store, or an rdflib graph) and verify the count.

    :raises UsageError: the chosen method needs a URL the store does not have, or ``which``
        names no graph.
    :raises RemoteError: the store is unreachable, refuses, fails, or ends with a different
        triple count (the message says which).
    """
    started = time.perf_counter()
    lines = _skolem(as_store(source).statements(which))
    target = RemoteStore(urls, retries=retries, backoff=backoff, timeout=timeout)
    remote = target.replace_graph(graph_iri, lines, method=method, chunk=chunk_triples)
    if remote != len(lines):
        raise RemoteError(
            f"the store holds {remote} triples in <{graph_iri}> after publishing, not {len(lines)}:"
            " check the store's log; publishing again replaces the graph"
        )
    seconds = time.perf_counter() - started
    return PublishResult(graph_iri, method, len(lines), remote, target.attempts, seconds)


def _skolem(statements: Iterable[tuple[str, str, str]]) -> list[str]:
    """Sorted N-Triples lines of ``statements`` (N-Triples term strings, from any engine),
    each blank node replaced by a well-known skolem IRI."""

    def term(text: str) -> str:
        return f"<{GENID}{text[2:]}>" if text.startswith("_:") else text

    return sorted(f"{term(s)} {p} {term(o)} .\n" for s, p, o in statements)
