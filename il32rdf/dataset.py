"""The knowledge graph as an rdflib Dataset: :func:`load` for the Python API.

The dataset has three named graphs:

- ``ontology`` (:data:`ONTOLOGY_GRAPH`): the TBox, ``ontology/*.ttl``;
- ``facts`` (:data:`FACTS_GRAPH`): the claims and the entities they talk about,
  ``ontology/facts/*.ttl`` plus any user file;
- ``inferred`` (:data:`INFERRED_GRAPH`): what follows from the other two. Every positive claim
  contributes its plain edge (``subject predicate object``), so simple SPARQL stays simple
  (the rule: :data:`il32rdf.store.base.CLAIM_EDGES`).

The default graph is the union of the three (``Dataset(default_union=True)``). Commands open
the data through :func:`il32rdf.store.open_store`, which also offers Oxigraph; this is the same
load on the rdflib engine, returning the Dataset itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph

from il32rdf.store import RdflibStore, open_store
from il32rdf.store.parse import parse_file
from il32rdf.vocab import FACTS_GRAPH, GRAPH_NAMES, INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = [
    "FACTS_GRAPH",
    "GRAPH_NAMES",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "graph_by_name",
    "load",
    "parse_file",
]


def load(data: Iterable[Path | str] = (), *, bundled: bool = True) -> Dataset:
    """Return the knowledge graph as a Dataset with graphs ontology / facts / inferred.

    :param data: the user's RDF files, added to the ``facts`` graph.
    :param bundled: include the bundled ontology and facts (``False``: only ``data``).
    :raises InputError: a file is missing or malformed.
    """
    return open_store(list(data), engine="rdflib", bundled=bundled).to_dataset()


def graph_by_name(dataset: Dataset, name: str) -> Graph:
    """One named graph (``ontology``, ``facts``, ``inferred``) or ``all`` (their union, a copy).

    :raises UsageError: ``name`` is none of these.
    """
    return RdflibStore(dataset).named(name)
