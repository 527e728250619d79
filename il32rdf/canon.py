"""Canonical blank-node labels: the same graph (or dataset) gets the same labels, whatever the
labels it came with, in time close to linear in its size.

Statements are quads of N-Triples term strings ``(subject, predicate, object, graph)``, the
graph ``""`` for the default graph (a triples format). :func:`blank_labels` labels every blank
node in three steps:

1. **Trees.** A blank node that is the object of at most one statement, names no graph and
   whose own statements lead only to such nodes (no cycle) is a tree node: the usual shape of
   OWL restrictions, lists and nested ``[ ... ]``. Each gets a hash of its content, computed
   bottom-up in one pass (children before parents, no recursion), so two identical trees have
   the same hash. Its label is then a hash of its place (its parent's label or IRI, the
   predicate, the graph), its content and its rank among identical siblings (identical
   siblings can be swapped without changing the graph, so the rank cannot matter).
2. **The rest** (blank nodes that are shared, on a cycle, or graph names) is split into
   connected parts, each labelled by colour refinement (each node's colour is refined by the
   colours of its neighbours, tree nodes standing for their content hash, until the partition
   is stable), and where that leaves ties, by individualising a node of the smallest tied class
   and refining again, every choice explored and the smallest result kept, with the choices
   that an automorphism already found makes equivalent skipped. Identical parts are ranked.
3. Tree nodes under those parts get their labels from their parents', as in step 1.

Step 1 is linear; step 2 costs a few passes over each part for the shapes found in practice
(a node shared by two subjects, small cycles), more for large symmetric tangles of blank nodes.

>>> one = blank_labels([("<urn:s>", "<urn:p>", "_:x", ""), ("_:x", "<urn:q>", '"1"', "")])
>>> two = blank_labels([("<urn:s>", "<urn:p>", "_:y", ""), ("_:y", "<urn:q>", '"1"', "")])
>>> one["_:x"] == two["_:y"]
True
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

__all__ = ["Quad", "blank_labels"]

Quad = tuple[str, str, str, str]
"""Subject, predicate, object and graph (``""``: the default graph) as N-Triples terms."""

_PREFIX: Final = "_:b"


def _hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _blank(term: str) -> bool:
    return term[:2] == "_:"


def blank_labels(quads: Iterable[Quad]) -> dict[str, str]:
    """A canonical label (``_:b`` and 24 hex digits) for every blank node of ``quads``."""
    quads = [q for q in quads if _blank(q[0]) or _blank(q[2]) or _blank(q[3])]
    if not quads:
        return {}
    trees = _Trees(quads)
    labels: dict[str, str] = {}
    core = [b for b in trees.blanks if b not in trees.content]
    if core:
        labels.update(_Core(quads, set(core), trees.content).labels())
    labels.update(trees.labels(labels))
    return labels


class _Trees:
    """The tree nodes of ``quads`` and a hash of each one's content."""

    def __init__(self, quads: Sequence[Quad]) -> None:
        refs: dict[str, int] = defaultdict(int)
        self.blanks: set[str] = set()
        self.about: dict[str, list[Quad]] = defaultdict(list)  # a blank node's own statements
        graph_names: set[str] = set()
        for quad in quads:
            s, _, o, g = quad
            if _blank(s):
                self.blanks.add(s)
                self.about[s].append(quad)
            if _blank(o):
                self.blanks.add(o)
                refs[o] += 1
            if _blank(g):
                self.blanks.add(g)
                graph_names.add(g)
        self.refs = refs
        # a candidate: referenced at most once, names no graph, says nothing in a blank graph
        candidates = {
            b
            for b in self.blanks
            if refs[b] <= 1
            and b not in graph_names
            and not any(_blank(q[3]) for q in self.about[b])
        }
        pending: dict[str, int] = {}
        parents: dict[str, str] = {}
        for b in candidates:
            children = [q[2] for q in self.about[b] if _blank(q[2])]
            if any(c not in candidates for c in children):
                continue
            pending[b] = len(children)
            for child in children:
                parents[child] = b
        self.content: dict[str, str] = {}
        ready = [b for b, n in pending.items() if n == 0]
        while ready:  # children before parents: a node on a cycle never gets here
            node = ready.pop()
            parts = sorted(
                f"{p} {'#' + self.content[o] if _blank(o) else o} {g}"
                for _, p, o, g in self.about[node]
            )
            self.content[node] = _hash("\n".join(parts))
            parent = parents.get(node)
            if parent is not None and parent in pending:
                pending[parent] -= 1
                if pending[parent] == 0:
                    ready.append(parent)
        self.parent: dict[str, tuple[str, str, str]] = {}  # tree node -> (parent, predicate, graph)
        for quad in quads:
            s, p, o, g = quad
            if o in self.content:
                self.parent[o] = (s, p, g)

    def labels(self, known: dict[str, str]) -> dict[str, str]:
        """Labels of the tree nodes, from their place (``known``: the other nodes' labels)."""
        labels: dict[str, str] = {}
        by_place: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        roots: list[str] = []
        for node in self.content:
            place = self.parent.get(node)
            if place is None:
                roots.append(node)
            else:
                by_place[place].append(node)
        todo: list[tuple[str, str]] = []
        for node, rank in _ranked(roots, self.content):
            labels[node] = _PREFIX + _hash(f"root {self.content[node]} {rank}")
            todo.append((node, labels[node]))
        children: dict[str, list[tuple[str, str, list[str]]]] = defaultdict(list)
        for (parent, p, g), group in by_place.items():
            children[parent].append((p, known.get(g, g), group))  # a blank graph: its label
        for parent in children:
            if not _blank(parent) or parent in known:
                todo.append((parent, known.get(parent, parent)))
        while todo:
            parent, label = todo.pop()
            for p, g, group in children.get(parent, ()):
                for node, rank in _ranked(group, self.content):
                    labels[node] = _PREFIX + _hash(f"{label} {p} {g} {self.content[node]} {rank}")
                    todo.append((node, labels[node]))
        return labels


def _ranked(nodes: list[str], content: dict[str, str]) -> Iterable[tuple[str, int]]:
    """Nodes by content, each with its rank among nodes of the same content."""
    previous, rank = None, 0
    for key, node in sorted((content[n], n) for n in nodes):
        rank = rank + 1 if key == previous else 0
        previous = key
        yield node, rank


class _Core:
    """The blank nodes that are no tree node, labelled part by part."""

    def __init__(self, quads: Sequence[Quad], core: set[str], content: dict[str, str]) -> None:
        self.core = core
        self.edges: dict[str, list[Quad]] = defaultdict(list)
        constant = {b: "#" + h for b, h in content.items()}
        for quad in quads:
            mine = {t for t in (quad[0], quad[2], quad[3]) if t in core}
            if mine:
                s, p, o, g = (constant.get(t, t) for t in quad)
                for node in mine:
                    self.edges[node].append((s, p, o, g))

    def parts(self) -> list[list[str]]:
        """The connected parts of the core."""
        seen: set[str] = set()
        found = []
        for start in sorted(self.core):
            if start in seen:
                continue
            part, todo = [], [start]
            seen.add(start)
            while todo:
                node = todo.pop()
                part.append(node)
                for quad in self.edges[node]:
                    for t in (quad[0], quad[2], quad[3]):
                        if t in self.core and t not in seen:
                            seen.add(t)
                            todo.append(t)
            found.append(part)
        return found

    def labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        results = []
        for part in self.parts():
            colours, certificate = _Part(part, self.edges).canonical()
            results.append((certificate, colours))
        results.sort(key=lambda item: item[0])
        previous, rank = None, 0
        for certificate, colours in results:
            rank = rank + 1 if certificate == previous else 0
            previous = certificate
            prefix = _hash(certificate) + f" {rank} "
            for node, colour in colours.items():
                labels[node] = _PREFIX + _hash(prefix + colour)
        return labels


class _Part:
    """One connected part of the core: colour refinement, then a search over the ties."""

    def __init__(self, nodes: list[str], edges: dict[str, list[Quad]]) -> None:
        self.nodes = nodes
        self.members = set(nodes)
        self.edges = {n: edges[n] for n in nodes}
        self.quads = sorted({q for n in nodes for q in self.edges[n]})

    def _signature(self, node: str, colours: dict[str, str]) -> str:
        rows = []
        for quad in self.edges[node]:
            rows.append(" ".join("@" if t == node else colours.get(t, t) for t in quad))
        rows.sort()
        return "\n".join(rows)

    def refine(self, colours: dict[str, str]) -> dict[str, str]:
        """Refine ``colours`` until the partition they make is stable."""
        classes = len(set(colours.values()))
        while True:
            refined = {
                n: _hash(colours[n] + "\n" + self._signature(n, colours)) for n in self.nodes
            }
            count = len(set(refined.values()))
            if count == classes:
                return refined
            colours, classes = refined, count

    def certificate(self, colours: dict[str, str]) -> str:
        rows = sorted(" ".join(colours.get(t, t) for t in quad) for quad in self.quads)
        return "\n".join(rows)

    def canonical(self) -> tuple[dict[str, str], str]:
        """Discrete colours of the part's nodes and the certificate they give."""
        start = {n: _hash(self._signature(n, {m: "_:" for m in self.members})) for n in self.nodes}
        colours = self.refine(start)
        best: list[tuple[str, dict[str, str]]] = []
        self._search(colours, best, [], [])
        certificate, colours = best[0]
        return colours, certificate

    def _search(
        self,
        colours: dict[str, str],
        best: list[tuple[str, dict[str, str]]],
        automorphisms: list[dict[str, str]],
        fixed: list[str],
    ) -> None:
        """Explore the individualisations of ``colours`` (``fixed``: the nodes individualised
        on the way here); keep the least certificate in ``best`` and record the automorphisms
        found (each as a node-to-node map)."""
        cells: dict[str, list[str]] = defaultdict(list)
        for node, colour in colours.items():
            cells[colour].append(node)
        tied = [(len(c), colour, sorted(c)) for colour, c in cells.items() if len(c) > 1]
        if not tied:
            certificate = self.certificate(colours)
            if not best or certificate < best[0][0]:
                best[:] = [(certificate, colours)]
            elif certificate == best[0][0]:
                by_colour = {c: n for n, c in best[0][1].items()}
                automorphisms.append({n: by_colour[c] for n, c in colours.items()})
            return
        _, _, cell = min(tied)
        orbit = {n: n for n in cell}

        def root(node: str) -> str:
            while orbit[node] != node:
                node = orbit[node]
            return node

        done: set[str] = set()
        for member in cell:
            if root(member) in done:
                continue
            found: list[dict[str, str]] = []
            chosen = dict(colours)
            chosen[member] = _hash(colours[member] + " !")
            self._search(self.refine(chosen), best, found, [*fixed, member])
            done.add(root(member))
            for mapping in found:  # nodes that an automorphism fixing the way here swaps
                if any(mapping[n] != n for n in fixed):  # lead to the same results
                    continue
                for node in cell:
                    image = mapping.get(node)
                    if image in orbit:
                        a, b = root(node), root(image)
                        if a != b:
                            orbit[b] = a
                            if b in done:
                                done.add(a)
            automorphisms.extend(found)
