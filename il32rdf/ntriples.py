"""Sorted N-Triples and N-Quads with canonical blank-node labels, written as they are made.

The same statements give the same bytes whatever the engine, its blank-node labels or
``PYTHONHASHSEED``: lines are sorted by their text and blank nodes get the labels of
:func:`il32rdf.canon.blank_labels`. N-Quads labels the blank nodes of the whole dataset at once
(a label names one node in every graph of the document, so a node in two graphs stays one),
and writes the graphs in the order given, a graph named by a blank node after those named by
an IRI, by its label.

>>> "".join(ntriples_chunks_of_lines(['<urn:s> <urn:p> _:x', '_:x <urn:q> "1"']))[:18]
'<urn:s> <urn:p> _:'
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence

from il32rdf import gcpause
from il32rdf.canon import blank_labels
from il32rdf.ntterms import Statement

__all__ = [
    "line_chunks",
    "nquads_chunks",
    "ntriples_chunks",
    "ntriples_chunks_of_lines",
    "relabel",
    "relabelled_lines",
    "split",
]

_CHUNK = 20_000  # lines per chunk handed to the caller


def split(line: str) -> Statement:
    """An N-Triples line without its `` .`` as its three term strings."""
    s, p, o = line.split(" ", 2)
    return s, p, o


def relabel(triples: Iterable[Statement], labels: dict[str, str]) -> list[Statement]:
    """``triples`` with their blank nodes relabelled by ``labels``, sorted."""
    get = labels.get
    return sorted(
        (get(s, s) if s[0] == "_" else s, p, get(o, o) if o[0] == "_" else o) for s, p, o in triples
    )


def ntriples_chunks(statements: Iterable[Statement], *, graph: str | None = None) -> Iterator[str]:
    """Sorted N-Triples lines of ``statements`` (N-Quads lines when ``graph``, a term, is
    given), blank nodes with canonical labels."""
    with gcpause.paused():
        triples = list(statements)
        labels = blank_labels((s, p, o, "") for s, p, o in triples if s[0] == "_" or o[0] == "_")
        triples = relabel(triples, labels)
    end = f" {graph} .\n" if graph else " .\n"
    for start in range(0, len(triples), _CHUNK):
        yield "".join([f"{s} {p} {o}{end}" for s, p, o in triples[start : start + _CHUNK]])


def ntriples_chunks_of_lines(lines: list[str]) -> Iterator[str]:
    """:func:`ntriples_chunks` of the statements given as sorted, distinct N-Triples lines
    without their `` .``: the lines without a blank node are written as they are, those with
    one relabelled (their labels depend on them alone) and merged in."""
    return line_chunks(relabelled_lines(lines))


def relabelled_lines(lines: list[str], labels: dict[str, str] | None = None) -> list[str]:
    """The sorted ``lines`` with their blank nodes relabelled (by ``labels``, or canonically
    among themselves), still sorted."""
    if not any("_:" in line for line in lines):
        return lines
    with gcpause.paused():
        blank: list[Statement] = []
        plain: list[str] = []
        for line in lines:
            if "_:" in line and ((st := split(line))[0][0] == "_" or st[2][0] == "_"):
                blank.append(st)
            else:
                plain.append(line)
        if labels is None:
            labels = blank_labels((s, p, o, "") for s, p, o in blank)
        relabelled = [" ".join(st) for st in relabel(blank, labels)]
        return list(heapq.merge(plain, relabelled))


def line_chunks(lines: list[str], end: str = " .\n") -> Iterator[str]:
    """The ``lines`` as text, each followed by ``end``, some thousands at a time."""
    for start in range(0, len(lines), _CHUNK):
        yield end.join(lines[start : start + _CHUNK]) + end


def nquads_chunks(graphs: Sequence[tuple[str, list[str]]]) -> Iterator[str]:
    """N-Quads of the named graphs ``graphs`` (graph term, its sorted N-Triples lines without
    their `` .``), each graph's lines sorted, blank nodes labelled across the dataset."""
    labels = dataset_labels(graphs)
    for graph, lines in ordered_graphs(graphs, labels):
        yield from line_chunks(relabelled_lines(lines, labels), f" {labels.get(graph, graph)} .\n")


def dataset_labels(graphs: Sequence[tuple[str, list[str]]]) -> dict[str, str]:
    """Canonical labels of the blank nodes of the dataset ``graphs``."""
    quads = []
    for graph, lines in graphs:
        blank_graph = graph[0] == "_"
        for line in lines:
            if blank_graph or "_:" in line:
                s, p, o = split(line)
                if blank_graph or s[0] == "_" or o[0] == "_":
                    quads.append((s, p, o, graph))
    return blank_labels(quads)


def ordered_graphs(
    graphs: Sequence[tuple[str, list[str]]], labels: dict[str, str]
) -> list[tuple[str, list[str]]]:
    """The non-empty ``graphs`` in the order given, those named by a blank node last, by label."""
    named = [(g, lines) for g, lines in graphs if lines and g[0] != "_"]
    blank = sorted(
        ((g, lines) for g, lines in graphs if lines and g[0] == "_"), key=lambda x: labels[x[0]]
    )
    return named + blank
