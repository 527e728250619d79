"""rdflib graphs made from N-Triples lines, and the empty dataset: what an engine hands to a tool
made for rdflib."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Dataset, Graph
from rdflib.term import Node

from il32rdf.errors import InputError
from il32rdf.terms import rdflib_term
from il32rdf.vocab import PREFIXES

__all__ = ["dataset_of_lines", "graph_of_lines", "new_dataset"]


def new_dataset() -> Dataset:
    """An empty rdflib Dataset whose default graph is the union of its named graphs, with the
    project's prefixes bound."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def graph_of_lines(lines: Iterable[str]) -> Graph:
    """An rdflib Graph of N-Triples lines without their `` .`` (prefixes bound).

    :raises InputError: rdflib cannot read them.
    """
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    _parse_lines(graph, lines)
    return graph


def dataset_of_lines(graphs: Mapping[str, Iterable[str]]) -> Dataset:
    """An rdflib Dataset of the named graphs' N-Triples lines (graph term -> lines).

    :raises InputError: rdflib cannot read them.
    """
    dataset = new_dataset()
    for name, lines in graphs.items():
        _parse_lines(dataset.graph(rdflib_term(name)), lines)  # type: ignore[arg-type]
    return dataset


def _parse_lines(graph: Graph, lines: Iterable[str]) -> None:
    """Add the statements of ``lines`` to ``graph``, literals as written."""
    terms: dict[str, Node] = {}

    def term(text: str) -> Node:
        found = terms.get(text)
        if found is None:
            found = terms[text] = rdflib_term(text)
        return found

    try:
        graph.addN(
            (term(s), term(p), term(o), graph) for s, p, o in (line.split(" ", 2) for line in lines)
        )
    except (ValueError, IndexError) as exc:
        raise InputError(f"rdflib cannot read the store's data: {exc}") from None
