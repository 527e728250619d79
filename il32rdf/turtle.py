"""Readable, deterministic Turtle and TriG, written from a stream of statements.

Every engine feeds the same writer with statements as N-Triples term strings
(:mod:`il32rdf.terms`). The same set of statements gives the same bytes, whatever the engine,
its blank-node labels or ``PYTHONHASHSEED``:

- statements are sorted by their text; subjects in Turtle are grouped, one block per subject
  (the subject on its own line, then ``    predicate object ;`` lines, ``a`` first, then ``.``),
  IRIs written as CURIEs of :data:`~il32rdf.vocab.PREFIXES` when the local part is a plain
  ``PN_LOCAL`` (letters, digits, ``_``, ``-``, inner ``.``), else in full (e.g. PubMed IRIs,
  whose local part ends in ``/``); only the prefixes used are declared;
- a blank node that is the object of exactly one statement, and not on a cycle, is written
  nested, ``[ ... ]``, or as a collection ``( ... )`` when it is a well-formed ``rdf:List``;
  a blank node that is no statement's object is written as a top-level ``[ ... ] .`` block.
  These tree-shaped nodes are ordered by their rendered content;
- a blank node that is shared (the object of two statements) or on a cycle cannot be nested and
  is written with its canonical label (:func:`il32rdf.canon.blank_labels`). So is every blank
  node of a graph whose blank nodes nest some hundreds deep, too deep to render nested;
- literals are written as given: ``true``/``false`` and integers bare, other datatypes as
  CURIEs, never re-spelt (Oxigraph keeps the value of a number, boolean or date rather than
  its spelling, so ``"1.50"^^xsd:decimal`` comes back from it as ``"1.5"``).

TriG (:func:`trig_chunks`) writes each named graph as a Turtle block in ``GRAPH { ... }``, with
the blank nodes of the whole dataset labelled at once: a blank node found in two graphs (or
naming one) is written with its label in each, never nested.

The text comes out in chunks (:func:`turtle_chunks`), to be written as it is made: Turtle in one
pass over the sorted statements; the text waits in a temporary file
(:class:`il32rdf.spool.Spool`) until the prefixes it uses are known. Statements must be distinct
(a set, as a graph is). Turtle holds them once, as sorted N-Triples lines
(:func:`turtle_chunks_of_lines`, which Oxigraph's dump feeds directly), each ``predicate
object`` pair rendered once while it repeats (a bounded memo:
:func:`il32rdf.ntterms.remember`). The garbage collector is paused meanwhile (it would
otherwise scan the million objects again and again, for nothing: they hold no cycles).
N-Triples and N-Quads are written by :mod:`il32rdf.ntriples`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Final

from il32rdf import gcpause
from il32rdf.canon import blank_labels
from il32rdf.ntriples import dataset_labels, ordered_graphs, relabel, split
from il32rdf.ntterms import Statement, remember
from il32rdf.prefixes import PREFIXES
from il32rdf.spool import Spool

__all__ = ["trig_chunks", "turtle_chunks", "turtle_chunks_of_lines"]

_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_TYPE: Final = f"<{_RDF}type>"
_TYPE_PAIR: Final = _TYPE + " "  # a "<p> <o>" pair of rdf:type starts so
_FIRST: Final = f"<{_RDF}first>"
_REST: Final = f"<{_RDF}rest>"
_NIL: Final = f"<{_RDF}nil>"
_BOOLEAN: Final = f"<{_XSD}boolean>"
_INTEGER: Final = f"<{_XSD}integer>"
_XSD_STRING: Final = f"{_XSD}string"
_CHUNK: Final = 20_000  # lines per chunk handed to the caller
_INDENT: Final = "    "

_LOCAL = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)?\Z")
_INTEGER_LEXICAL = re.compile(r"[+-]?[0-9]+\Z")


class _Curies:
    """CURIEs of IRIs (``<...>`` in, CURIE or ``<...>`` out), cached; records the prefixes used."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._by_start: dict[str, list[tuple[str, str]]] = {}
        self._key = min(len(ns) for ns in PREFIXES.values())
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            self._by_start.setdefault(namespace[: self._key], []).append((prefix, namespace))
        self.cache: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        short = self.cache.get(iri)
        if short is None:
            short = remember(self.cache, iri, self._compress(iri))
        return short

    def _compress(self, text: str) -> str:
        iri = text[1:-1]
        for prefix, namespace in self._by_start.get(iri[: self._key], ()):
            if iri.startswith(namespace) and _LOCAL.match(iri, len(namespace)):
                self.used.add(prefix)
                return f"{prefix}:{iri[len(namespace) :]}"
        return text

    def literal(self, text: str) -> str:
        """A literal in Turtle: ``true``/``false`` and integers bare, datatypes as CURIEs."""
        if text[-1] == '"':
            return text
        end = text.rindex('"')
        if text[end + 1] == "@":
            return text
        datatype = text[end + 3 :]
        lexical = text[1:end]
        if datatype == _BOOLEAN and lexical in ("true", "false"):
            return lexical
        if datatype == _INTEGER and _INTEGER_LEXICAL.match(lexical):
            return lexical
        return f"{text[: end + 1]}^^{self(datatype)}"

    def render(self, term: str) -> str:
        """An IRI or literal in Turtle; ``rdf:nil``, the empty list, as ``()``."""
        if term[0] != "<":
            return self.literal(term)
        return "()" if term == _NIL else self(term)

    def header(self) -> str:
        lines = [f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in sorted(self.used)]
        return "".join(lines) + ("\n" if lines else "")


# --- blank nodes ---------------------------------------------------------------------------


class _BlankNodes:
    """Which blank nodes nest, their canonical ordering keys and labels.

    ``triples`` must be sorted; the blank-node subjects are at its end (``_`` sorts after ``<``).
    :attr:`content` holds the statements of every blank node and of every IRI subject with a
    blank-node object, as (predicate, object) pairs.
    """

    def __init__(
        self, triples: list[Statement], *, nest: bool = True, fixed: Collection[str] = ()
    ) -> None:
        first_blank = bisect.bisect_left(triples, ("_",))
        refs = Counter(o for _, _, o in triples if o[0] == "_")
        self.content: dict[str, list[tuple[str, str]]] = {}
        for s, p, o in triples[first_blank:]:
            pairs = self.content.get(s)
            if pairs is None:
                pairs = self.content[s] = []
            pairs.append((p, o))
        self.refs = refs
        self.parent: dict[str, tuple[str, str]] = {}
        for s, p, o in triples:
            if o[0] == "_" and refs[o] == 1:
                self.parent[o] = (s, p)
        for s in {s for s, _, o in triples[:first_blank] if o[0] == "_"}:
            low = bisect.bisect_left(triples, (s,))
            high = bisect.bisect_left(triples, (s, "="), low)  # predicates start with "<"
            self.content[s] = [(p, o) for _, p, o in triples[low:high]]
        self.labelled = {b for b, n in refs.items() if n > 1} | self._cycles()
        self.labelled |= {b for b in fixed if b in refs or b in self.content}
        if not nest:  # every blank node gets a label
            self.labelled = set(refs) | {b for b in self.content if b[0] == "_"}
        self.tree = {b for b in refs if b not in self.labelled}  # nest under their parent
        self.roots = sorted(  # written as top-level [ ... ] blocks
            b for b in self.content if b[0] == "_" and b not in refs and b not in self.labelled
        )
        self._sig: dict[str, str] = {}
        self._ordered: dict[str, list[tuple[str, str]]] = {}

    def _cycles(self) -> set[str]:
        """Blank nodes whose chain of single parents comes back to itself."""
        done: set[str] = set()
        cyclic: set[str] = set()
        for start in self.parent:
            path: list[str] = []
            on_path: set[str] = set()
            node = start
            while node in self.parent and node not in done:
                if node in on_path:
                    cyclic.update(path[path.index(node) :])
                    break
                path.append(node)
                on_path.add(node)
                node = self.parent[node][0]
            done.update(path)
        return cyclic

    def key(self, term: str) -> str:
        """What orders ``term`` among objects: its text, or the content of a nested node."""
        return self.sig(term) if term in self.tree else term

    def ordered(self, node: str) -> list[tuple[str, str]]:
        """The statements of ``node``: ``rdf:type`` first, then by predicate and object key."""
        pairs = self._ordered.get(node)
        if pairs is None:
            key = self.key
            pairs = self._ordered[node] = sorted(
                self.content.get(node, ()), key=lambda po: (po[0] != _TYPE, po[0], key(po[1]))
            )
        return pairs

    def items(self, node: str) -> list[str] | None:
        """The members of the well-formed list starting at the nested node ``node``, or None."""
        members: list[str] = []
        seen: set[str] = set()
        while node != _NIL:
            if node not in self.tree or node in seen:
                return None
            pairs = self.content.get(node, [])
            if len(pairs) != 2 or pairs[0][0] != _FIRST or pairs[1][0] != _REST:
                return None
            seen.add(node)
            members.append(pairs[0][1])
            node = pairs[1][1]
        return members

    def sig(self, node: str) -> str:
        """A one-line rendering of a nested or root node, with nested nodes inline."""
        text = self._sig.get(node)
        if text is None:
            members = self.items(node) if node in self.tree else None
            if members is not None:
                text = "(" + " ".join(self.key(m) for m in members) + ")"
            else:
                parts = [f"{p} {self.key(o)}" for p, o in self.ordered(node)]
                text = "[" + " ; ".join(parts) + "]"
            self._sig[node] = text
        return text


def _numbered(nodes: list[str], sig: Callable[[str], str]) -> Iterator[tuple[str, int]]:
    """Nodes ordered by content, each with its rank among nodes of the same content."""
    previous, count = None, 0
    for text, node in sorted((sig(n), n) for n in nodes):
        count = count + 1 if text == previous else 0
        previous = text
        yield node, count


def _blank_nodes(
    triples: list[Statement],
    labels: dict[str, str] | None = None,
    fixed: Collection[str] = (),
) -> tuple[list[Statement], _BlankNodes]:
    """The analysis of the sorted ``triples``, their blank nodes relabelled canonically (by
    ``labels`` when given: those of a dataset), the nodes ``fixed`` never nested. When blank
    nodes nest some hundreds deep, beyond Python's recursion limit, none nests."""
    if labels is None:
        labels = blank_labels((s, p, o, "") for s, p, o in triples if s[0] == "_" or o[0] == "_")
    triples = relabel(triples, labels)
    fixed = {labels.get(b, b) for b in fixed}
    nodes = _BlankNodes(triples, fixed=fixed)
    try:
        for node in [*nodes.roots, *nodes.tree]:
            nodes.sig(node)
        return triples, nodes
    except RecursionError:  # nested deeper than Python's recursion limit: label them all
        return triples, _BlankNodes(triples, nest=False)


# --- Turtle --------------------------------------------------------------------------------


def turtle_chunks(statements: Iterable[Statement]) -> Iterator[str]:
    """Readable Turtle of ``statements`` (see the module docstring), in chunks of text."""
    return turtle_chunks_of_lines(sorted(" ".join(statement) for statement in statements))


def turtle_chunks_of_lines(lines: list[str]) -> Iterator[str]:
    """Readable Turtle of the statements given as N-Triples lines without their `` .``, sorted
    and distinct (their order is that of the statements: a space sorts before any character of
    a subject or predicate), in chunks of text.

    The text is made in one pass over the lines and waits in a temporary file until the
    prefixes it uses are known; blocks whose subject has a blank-node object are filled in at
    the end, when the blank nodes are known. Only those subjects' lines and the blank
    subjects' are split into terms.
    """
    with gcpause.paused():
        writer = _TurtleBlocks(_Curies())
        body = writer.body(lines)
    yield writer.curie.header()
    yield from body


def trig_chunks(graphs: Sequence[tuple[str, list[str]]]) -> Iterator[str]:
    """Readable TriG of the named graphs ``graphs`` (graph term, its sorted, distinct N-Triples
    lines without their `` .``): one ``GRAPH { ... }`` block per graph, in the order given (see
    :func:`il32rdf.ntriples.nquads_chunks`), blank nodes labelled across the dataset."""
    with gcpause.paused():
        labels = dataset_labels(graphs)
        seen: Counter[str] = Counter()
        for _, lines in graphs:
            seen.update({t for line in lines if "_:" in line for t in _blank_terms(line)})
        fixed = {b for b, n in seen.items() if n > 1} | {g for g, _ in graphs if g[0] == "_"}
        curie = _Curies()
        blocks: list[str] = []
        for graph, lines in ordered_graphs(graphs, labels):
            writer = _TurtleBlocks(curie)
            body = "".join(writer.body(lines, labels=labels, fixed=fixed))
            inner = "".join(
                line if line == "\n" else _INDENT + line for line in body.splitlines(keepends=True)
            )
            name = labels.get(graph, graph) if graph[0] == "_" else curie(graph)
            blocks.append(f"{name} {{\n{inner.rstrip()}\n}}\n\n")
    yield curie.header()
    yield from blocks


def _blank_terms(line: str) -> list[str]:
    s, _, o = split(line)
    return [t for t in (s, o) if t[0] == "_"]


def _about(lines: list[str], subject: str) -> list[Statement]:
    """The statements about ``subject`` in the sorted ``lines``."""
    low = bisect.bisect_left(lines, subject + " ")
    return [split(line) for line in lines[low : bisect.bisect_left(lines, subject + "!", low)]]


class _TurtleBlocks:
    def __init__(self, curie: _Curies) -> None:
        self.curie = curie
        self.nodes: _BlankNodes | None = None

    def body(
        self,
        lines: list[str],
        *,
        labels: dict[str, str] | None = None,
        fixed: Collection[str] = (),
    ) -> Iterator[str]:
        """The blocks of the sorted ``lines``, in chunks (``labels``: the dataset's blank-node
        labels; ``fixed``: blank nodes never nested). Every term is rendered (and every prefix
        used is known) before the first chunk is given; the text waits in a :class:`Spool`."""
        first_blank = bisect.bisect_left(lines, "_")
        spool = Spool()
        deferred = self.iri_subjects(lines, first_blank, spool)
        fills: list[str] = []
        if deferred or first_blank < len(lines):
            blank = [t for s in deferred for t in _about(lines, s)]
            blank += map(split, lines[first_blank:])
            blank, self.nodes = _blank_nodes(sorted(blank), labels, fixed)
            fills = [f"{self.curie(s)}\n{self.block_body(s)}.\n\n" for s in deferred]
            spool.write(self.blank_subjects())
        return spool.read(fills)

    def iri_subjects(self, lines: list[str], end: int, spool: Spool) -> list[str]:
        """Write into ``spool`` the text of the IRI subjects' statements ``lines[:end]``, which
        are sorted N-Triples lines without their `` .``.

        A subject with a blank-node object leaves a hole in the spool, to be filled in later:
        those subjects are returned, in order. The ``predicate object ;`` line of each
        distinct pair is rendered once (types, flags, evidence codes repeat).
        """
        curie = self.curie
        pairs: dict[str, str] = {}  # "<p> <o>" -> its line, "" when the object is a blank node
        deferred: list[str] = []
        out: list[str] = []
        subject = ""
        prefix = "\n"  # the current subject and a space: no line starts with a newline
        skip = False  # the current subject has a blank-node object: written later
        head = typed = cut = 0  # where the block starts, its next ``a`` line, its pairs
        for line in lines[:end] if end < len(lines) else lines:
            if not line.startswith(prefix):
                if subject and not skip:
                    out.append(".\n\n")
                    if len(out) > _CHUNK:
                        spool.write("".join(out))
                        out.clear()
                subject = line[: line.index(" ")]
                prefix = subject + " "
                cut = len(prefix)
                skip = False
                head = len(out)
                out.append(curie(subject) + "\n")
                typed = head + 1
            elif skip:
                continue
            pair = line[cut:]
            text = pairs.get(pair)
            if text is None:
                text = remember(pairs, pair, self._pair_line(pair))
            if not text:  # a blank node
                del out[head:]
                spool.write("".join(out))
                out.clear()
                spool.hole()
                deferred.append(subject)
                skip = True
            elif pair.startswith(_TYPE_PAIR):
                out.insert(typed, text)
                typed += 1
            else:
                out.append(text)
        if subject and not skip:
            out.append(".\n\n")
        spool.write("".join(out))
        return deferred

    def _pair_line(self, pair: str) -> str:
        """The ``    predicate object ;`` line of ``"<p> <o>"``; "" when the object is blank."""
        predicate, obj = pair.split(" ", 1)
        if obj[0] == "_":
            return ""
        return f"{_INDENT}{self._verb(predicate)} {self.curie.render(obj)} ;\n"

    def _verb(self, predicate: str) -> str:
        return "a" if predicate == _TYPE else self.curie(predicate)

    def block_body(self, node: str) -> str:
        """The ``predicate object ;`` lines of ``node``."""
        return "".join(self._pair_lines(node, _INDENT))

    def _pair_lines(self, node: str, indent: str) -> Iterator[str]:
        assert self.nodes is not None
        for p, o in self.nodes.ordered(node):
            yield f"{indent}{self._verb(p)} {self._object(o, indent)} ;\n"

    def _object(self, term: str, indent: str) -> str:
        nodes = self.nodes
        if term[0] != "_":
            return self.curie.render(term)
        assert nodes is not None
        if term not in nodes.tree:
            return term
        members = nodes.items(term)
        if members is not None:
            inner = [self._object(m, indent + _INDENT) for m in members]
            if all("\n" not in item for item in inner) and sum(map(len, inner)) < 80:
                return "( " + " ".join(inner) + " )"
            return "(\n" + "".join(f"{indent}{_INDENT}{i}\n" for i in inner) + f"{indent})"
        body = "".join(self._pair_lines(term, indent + _INDENT))
        return f"[\n{body}{indent}]" if body else "[]"

    def blank_subjects(self) -> str:
        """Top-level blank nodes (no statement's object), then labelled ones, by key."""
        nodes = self.nodes
        assert nodes is not None
        out: list[str] = []
        for root, _ in _numbered(nodes.roots, nodes.sig):
            out.append(f"[\n{self.block_body(root)}] .\n\n")
        for node in sorted(b for b in nodes.labelled if b in nodes.content):
            out.append(f"{node}\n{self.block_body(node)}.\n\n")
        return "".join(out)
