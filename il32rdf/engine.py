"""The two embedded SPARQL engines: rdflib (the default) and Oxigraph. The only user of pyoxigraph.

Both engines see the same data with the same default graph: the union of the named graphs
(rdflib's ``Dataset(default_union=True)``; Oxigraph's ``use_default_graph_as_union``). An rdflib
graph or dataset is copied into an in-memory Oxigraph store as N-Quads (each named graph kept);
:meth:`OxigraphStore.from_file` loads a file straight into one, without rdflib.

Parameters are bound as terms, never spliced into the query as user text. rdflib gets them as
``initBindings`` of a prepared query (a pre-binding: the value stands for the variable
throughout the query). Oxigraph gets them as one-row ``VALUES`` blocks built from the checked,
escaped terms, placed first in every group of the ``WHERE`` clause that uses the variable: the
same pre-binding, written so that Oxigraph's optimizer starts from the value, which is 100 to
1,000 times faster on a large graph than its ``substitutions`` argument (measured with
benchmarks/query_bench.py).
Where there is no ``WHERE`` group (``DESCRIBE <x>``), Oxigraph's ``substitutions`` are used. A
parameter whose variable does not occur in the query is not bound on either engine; the parity
test runs every named query both ways.

A time limit runs the query in a worker thread. When time is up, an exception is raised inside
the worker (rdflib stops at its next Python instruction; Oxigraph when it next hands a row
back to Python) and the caller gets :class:`~il32rdf.errors.QueryTimeoutError` at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import enum
import functools
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final, TypeVar

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Identifier, Node, Variable

from il32rdf import __version__, gcpause, resources
from il32rdf.dataset import GRAPH_NAMES
from il32rdf.errors import InputError, QueryError, QueryTimeoutError, UsageError
from il32rdf.export import write_atomic
from il32rdf.remote import RemoteEndpoint, run_remote
from il32rdf.results import QueryResult, Row, term_to_ntriples
from il32rdf.turtle import LineCollector
from il32rdf.vocab import IL32, PREFIXES

__all__ = [
    "AUTO_OXIGRAPH_BYTES",
    "SPARQL_PARSER_LOCK",
    "Engine",
    "OxigraphStore",
    "Source",
    "run",
    "to_oxigraph",
]

_T = TypeVar("_T")
_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

SPARQL_PARSER_LOCK: Final = threading.Lock()
"""Hold this around any parse by rdflib's SPARQL parser. It is built on pyparsing, which is not
thread-safe: parses running at once in two threads corrupt its state, and every later parse in
the process fails (found by load-testing the server)."""
_END: Final = " .\n"


class Engine(enum.Enum):
    """The embedded engines; ``value`` is the name used on the command line."""

    RDFLIB = "rdflib"
    OXIGRAPH = "oxigraph"

    @classmethod
    def from_name(cls, name: str | Engine) -> Engine:
        """Look an engine up by name.

        :raises UsageError: unknown name; the message lists the engines.
        """
        if isinstance(name, Engine):
            return name
        for engine in cls:
            if name.strip().lower() == engine.value:
                return engine
        raise UsageError(f"unknown engine {name!r}; use one of: {', '.join(e.value for e in cls)}")

    @classmethod
    def for_files(cls, files: Sequence[Path | str]) -> Engine:
        """The engine for data files of this size: Oxigraph from :data:`AUTO_OXIGRAPH_BYTES` on.

        rdflib is the embedded default for the bundled graph; at about 100,000 triples it
        becomes the slow part (see benchmarks/peers.py), Oxigraph does not.
        """
        size = sum(Path(f).stat().st_size for f in files if Path(f).is_file())
        return cls.OXIGRAPH if size >= AUTO_OXIGRAPH_BYTES else cls.RDFLIB


AUTO_OXIGRAPH_BYTES: Final = 5_000_000
"""Data files of this many bytes in all (about 40,000 triples of Turtle) go to Oxigraph."""


class OxigraphStore:
    """An in-memory Oxigraph store holding a copy of the data, ready to query."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store
        self.reloaded = True
        """False when :meth:`load` reused an on-disk store instead of loading the files."""
        self.inputs: tuple[tuple[str, Path], ...] = ()
        """The files the store was loaded from, each with its graph (``ontology``, ``facts``,
        or ``default`` for :meth:`from_file`); empty for a store made otherwise."""

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        """Copy an rdflib graph (a Dataset keeps its named graphs) into a new store.

        :raises InputError: Oxigraph rejects a term rdflib accepted (e.g. a malformed IRI).
        """
        lines: list[str] = []
        if isinstance(graph, Dataset):
            for s, p, o, g in graph.quads((None, None, None, None)):
                row = _nt_row((s, p, o))
                name = g.identifier if isinstance(g, Graph) else g
                if isinstance(name, URIRef | BNode) and name != DATASET_DEFAULT_GRAPH_ID:
                    row = row[: -len(_END)] + f" {name.n3()}{_END}"
                lines.append(row)
        else:
            lines = [_nt_row(triple) for triple in graph]
        store = ox.Store()
        try:
            store.bulk_load(input="".join(lines).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, ValueError) as exc:
            raise InputError(f"Oxigraph cannot load the graph: {exc}") from None
        return cls(store)

    @classmethod
    def from_file(cls, path: Path | str) -> OxigraphStore:
        """Load an RDF file (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD) into a new store.

        :raises InputError: the file is missing, of an unknown type, or malformed.
        """
        path = Path(path)
        rdf_format = _rdf_format(path)
        try:
            store = ox.Store()
            store.bulk_load(path=str(path), format=rdf_format)
        except FileNotFoundError:
            raise InputError("no such file", path=path) from None
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(f"Oxigraph cannot load it: {exc}", path=path) from None
        loaded = cls(store)
        loaded.inputs = (("default", path),)
        return loaded

    @classmethod
    def load(
        cls,
        files: Sequence[Path | str] = (),
        *,
        bundled: bool = True,
        path: Path | str | None = None,
    ) -> OxigraphStore:
        """The knowledge graph loaded by Oxigraph alone, as :func:`il32rdf.load` does with rdflib.

        The bundled ontology files go into the ontology graph, the bundled facts and ``files``
        into the facts graph, each file bulk-loaded by Oxigraph (no rdflib on the way); the plain
        edges of positive claims (the rule of :func:`il32rdf.dataset.claim_edges`) are derived
        meanwhile, on a second thread, and added to the inferred graph.

        With ``path`` the store is on disk and reused while its inputs are unchanged: a manifest
        of the inputs (path, size, modification time, il32rdf version) is written last,
        atomically, so a store whose load was interrupted has none and is loaded again.
        :attr:`reloaded` says whether this call loaded the files.

        :raises InputError: a file is missing, of an unknown type, or malformed; or the directory
            cannot be used as a store (e.g. another process has it open).
        """
        inputs = [("ontology", p) for p in resources.ontology_files()] if bundled else []
        inputs += [("facts", p) for p in resources.fact_files()] if bundled else []
        inputs += [("facts", Path(p)) for p in files]
        if path is None:
            store = cls(ox.Store())
            store._fill(inputs)
            store.inputs = tuple(inputs)
            return store
        directory = Path(path)
        manifest = directory / _MANIFEST
        wanted = _manifest(inputs)
        try:
            store = cls(ox.Store(str(directory)))
        except OSError as exc:
            raise InputError(f"cannot open an Oxigraph store here: {exc}", path=directory) from None
        store.inputs = tuple(inputs)
        with contextlib.suppress(OSError, ValueError):
            if json.loads(manifest.read_text(encoding="utf-8")) == wanted:
                store.reloaded = False
                return store
        manifest.unlink(missing_ok=True)
        store._store.clear()
        store._fill(inputs)
        store._store.flush()
        write_atomic(manifest, json.dumps(wanted, indent=1).encode("utf-8"))
        return store

    def _fill(self, inputs: list[tuple[str, Path]]) -> None:
        """Bulk-load ``inputs``; meanwhile, on another thread, read the facts files again for
        the claims and derive their plain edges, added to the inferred graph at the end.

        Oxigraph releases the GIL while it loads, so the derivation runs on a second core and
        the load costs little more than the bulk load alone: for 1M triples, 2.2 s against 2.7 s
        for a SPARQL update after the load (1.9 s of bulk load; 2 cores). The collector is
        paused meanwhile: it would rescan the claims table again and again (+0.6 s).
        """
        edges = _ClaimEdges([path for graph_name, path in inputs if graph_name == "facts"])
        with gcpause.paused():
            edges.start()
            try:
                for graph_name, path in inputs:
                    _bulk_load(self._store, path, ox.NamedNode(str(GRAPH_NAMES[graph_name])))
            except BaseException:
                edges.cancel()
                raise
            self._store.bulk_extend(edges.result())

    def to_dataset(self) -> Dataset:
        """A copy of the store as an rdflib Dataset, named graphs kept (for tools that need rdflib).

        :raises InputError: rdflib cannot read what Oxigraph wrote.
        """
        dataset = Dataset(default_union=True)
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace, override=True, replace=True)
        data = self._store.dump(format=ox.RdfFormat.N_QUADS) or b""
        try:
            dataset.parse(data=data.decode("utf-8"), format="nquads")
        except Exception as exc:  # rdflib's parsers raise several kinds
            raise InputError(f"rdflib cannot read the store's data: {exc}") from None
        return dataset

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        """The objects of ``subject predicate ?o`` in any graph, without duplicates.

        ``subject`` may be a blank node this store returned in an answer.
        """
        if isinstance(subject, BNode):
            node: ox.NamedNode | ox.BlankNode = ox.BlankNode(str(subject))
        elif isinstance(subject, URIRef):
            node = ox.NamedNode(str(subject))
        else:
            return []
        quads = self._store.quads_for_pattern(node, ox.NamedNode(str(predicate)), None, None)
        found = {_from_ox(quad.object) for quad in quads}
        return sorted((o for o in found if o is not None), key=str)

    def update(self, text: str) -> None:
        """Run a SPARQL update (the project's prefixes predeclared) on the store.

        :raises QueryError: the update is malformed or fails.
        """
        try:
            self._store.update(text, prefixes=dict(PREFIXES))
        except (SyntaxError, RuntimeError, OSError) as exc:
            raise QueryError(f"the update failed in Oxigraph: {_one_line(str(exc))}") from None

    def __len__(self) -> int:
        return len(self._store)

    def statements(self, graph: str = "all") -> Iterator[tuple[str, str, str]]:
        """The triples of :meth:`lines`, split into their N-Triples term strings (one string
        object per distinct term: a quarter less memory)."""
        known: dict[str, str] = {}
        same = known.setdefault

        def split(line: str) -> tuple[str, str, str]:
            s, p, o = line.split(" ", 2)
            return same(s, s), same(p, p), same(o, o)

        return map(split, self.lines(graph))

    def lines(self, graph: str = "all") -> list[str]:
        """The triples of the graph ``ontology``, ``facts`` or ``inferred``, or of their union
        (``all``, each triple once), as N-Triples lines without their `` .``, sorted.

        Oxigraph writes each graph as N-Triples, read piece by piece, and the lines are split
        here: faster than taking the terms one by one (``quads_for_pattern``, 1.1 s for 1M
        triples in memory) or a SPARQL ``SELECT`` (1.3 s; 5.7 s with ``ORDER BY``, whose order
        is not the text order anyway). The lines are held in memory, and split as they are read.
        Oxigraph's order is close to the text order, so sorting them first and then dropping
        repeated neighbours is several times faster than de-duplicating with a set.

        :raises UsageError: unknown graph name.
        """
        if graph != "all" and graph not in GRAPH_NAMES:
            raise UsageError(f"unknown graph {graph!r}; use one of: {', '.join(GRAPH_NAMES)}, all")
        names = list(GRAPH_NAMES) if graph == "all" else [graph]
        sink = LineCollector()
        for name in names:
            graph_iri = ox.NamedNode(str(GRAPH_NAMES[name]))
            # Oxigraph calls only write and flush on the output
            self._store.dump(sink, format=ox.RdfFormat.N_TRIPLES, from_graph=graph_iri)  # type: ignore[arg-type]
        if not sink.complete:
            raise QueryError("Oxigraph's N-Triples dump ended in the middle of a statement")
        lines = sink.lines
        lines.sort()  # the order of the lines is that of their (s, p, o): " " sorts first
        if len(names) > 1 and lines:  # a triple in two graphs: the same line, side by side
            last = lines[-1]
            lines = [line for line, after in itertools.pairwise(lines) if line != after]
            lines.append(last)
        return lines


_MANIFEST: Final = "il32rdf-inputs.json"


def _manifest(inputs: list[tuple[str, Path]]) -> list[object]:
    entries: list[object] = [f"il32rdf {__version__}"]
    for graph_name, path in inputs:
        try:
            status = path.stat()
        except FileNotFoundError:
            raise InputError("no such file", path=path) from None
        entries.append([graph_name, str(path.resolve()), status.st_size, status.st_mtime_ns])
    return entries


def _rdf_format(path: Path) -> ox.RdfFormat:
    rdf_format = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if rdf_format is None and path.suffix.lower() in (".owl", ".rdf"):
        rdf_format = ox.RdfFormat.RDF_XML
    if rdf_format is None:
        raise InputError(f"unknown RDF file type {path.suffix!r}", path=path)
    return rdf_format


def _bulk_load(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    rdf_format = _rdf_format(path)
    try:
        store.bulk_load(path=str(path), format=rdf_format, to_graph=graph)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"Oxigraph cannot load it: {exc}", path=path) from None


class _ClaimEdges(threading.Thread):
    """The plain edges of the positive claims in ``files`` (the facts graph), as quads in the
    inferred graph, derived on a thread of their own: the rule of
    :func:`il32rdf.dataset.claim_edges`, over Oxigraph's terms.

    A claim (``a il32:Claim``) gives the edge ``subject predicate object`` when it has exactly
    one of each and exactly one ``il32:negated`` flag, that flag is ``false`` (spelt ``false``
    or ``0``, an ``xsd:boolean``), the subject and predicate are IRIs and the object is not a
    blank node. Blank nodes are told apart by file, as the bulk load does.
    """

    _SLOTS: Final = {
        ox.NamedNode(str(RDF.subject)): 0,
        ox.NamedNode(str(RDF.predicate)): 1,
        ox.NamedNode(str(RDF.object)): 2,
        ox.NamedNode(str(IL32.negated)): 3,
        ox.NamedNode(str(RDF.type)): 4,  # typed as a claim when the object is il32:Claim
    }
    _CLAIM: Final = ox.NamedNode(str(IL32.Claim))
    _FACTS: Final = ox.NamedNode(str(GRAPH_NAMES["facts"]))
    _INFERRED: Final = ox.NamedNode(str(GRAPH_NAMES["inferred"]))

    def __init__(self, files: list[Path]) -> None:
        super().__init__(name="il32rdf-claim-edges", daemon=True)
        self._files = files
        self._halt = threading.Event()
        self._edges: list[ox.Quad] = []
        self._error: BaseException | None = None

    def cancel(self) -> None:
        """Make the thread end soon (by its next 65,536th statement) and wait for it."""
        self._halt.set()
        self.join()

    def result(self) -> list[ox.Quad]:
        """The edges, once the thread has derived them.

        :raises InputError: a file the bulk load read could not be read again.
        """
        self.join()
        if isinstance(self._error, SyntaxError | ValueError | OSError | InputError):
            raise InputError(f"cannot read the claims: {self._error}") from None
        if self._error is not None:  # a fault of ours: never an inferred graph missing edges
            raise self._error
        return self._edges

    def run(self) -> None:
        try:
            self._edges = self._derive()
        except Exception as exc:  # handed to the loading thread by result()
            self._error = exc

    def _derive(self) -> list[ox.Quad]:
        slots, facts, claim_class = self._SLOTS, self._FACTS, self._CLAIM
        claims: dict[tuple[int, str] | str, tuple[list[_OxTerm], ...]] = {}
        typed: set[tuple[int, str] | str] = set()
        for number, path in enumerate(self._files):
            quads = ox.parse(path=str(path), format=_rdf_format(path))
            for index, quad in enumerate(quads):
                if not index & 0xFFFF and self._halt.is_set():
                    return []
                slot = slots.get(quad.predicate)
                if slot is None:
                    continue
                graph = quad.graph_name
                if not isinstance(graph, ox.DefaultGraph) and graph != facts:
                    continue
                claim = quad.subject  # keys are strings: Oxigraph's terms hash slowly
                key = (number, claim.value) if isinstance(claim, ox.BlankNode) else str(claim)
                value = quad.object
                if slot == 4:
                    if value == claim_class:
                        typed.add(key)
                    continue
                values = claims.get(key)
                if values is None:
                    values = claims[key] = ([], [], [], [])
                if value not in values[slot]:
                    values[slot].append(value)
        edges: set[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = set()
        for claim_key, (subjects, predicates, objects, flags) in claims.items():
            if claim_key not in typed or not len(subjects) == len(predicates) == len(objects) == 1:
                continue
            if len(flags) != 1 or not _is_false(flags[0]):
                continue
            (s,), (p,), (o,) = subjects, predicates, objects
            if (
                isinstance(s, ox.NamedNode)
                and isinstance(p, ox.NamedNode)
                and isinstance(o, ox.NamedNode | ox.Literal)
            ):
                edges.add((s, p, o))
        inferred = self._INFERRED
        return [ox.Quad(s, p, o, inferred) for s, p, o in edges]


def _is_false(flag: _OxTerm) -> bool:
    return (
        isinstance(flag, ox.Literal)
        and flag.datatype.value == str(XSD.boolean)
        and flag.value in ("false", "0")
    )


Source = Graph | OxigraphStore | RemoteEndpoint
"""What a query runs on: an rdflib Graph or Dataset, an :class:`OxigraphStore`, or a
:class:`~il32rdf.remote.RemoteEndpoint` (a SPARQL store over HTTP)."""


def to_oxigraph(source: Source) -> OxigraphStore:
    """``source`` as an :class:`OxigraphStore` (copied once if it is an rdflib graph).

    :raises InputError: Oxigraph rejects the data.
    :raises UsageError: ``source`` is a remote endpoint, which holds no data to copy.
    """
    if isinstance(source, RemoteEndpoint):
        raise UsageError("a remote endpoint is queried where it is, not copied into Oxigraph")
    return source if isinstance(source, OxigraphStore) else OxigraphStore.from_graph(source)


def run(
    source: Source,
    text: str,
    bindings: Mapping[str, Identifier],
    *,
    engine: Engine | str = Engine.RDFLIB,
    timeout: float | None = None,
) -> QueryResult:
    """Run the SPARQL query ``text`` on ``source`` with the parameters ``bindings`` pre-bound.

    The project's prefixes (:data:`~il32rdf.vocab.PREFIXES`) are predeclared. An rdflib source
    queried with ``engine="oxigraph"`` is copied into Oxigraph first (keep an
    :class:`OxigraphStore` to query it many times); an :class:`OxigraphStore` is always queried
    by Oxigraph.

    :raises QueryError: the query is malformed (the message gives line and column) or fails.
    :raises QueryTimeoutError: it ran longer than ``timeout`` seconds.
    :raises UsageError: unknown engine.
    """
    chosen = Engine.from_name(engine)
    if isinstance(source, RemoteEndpoint):
        used = {name: term for name, term in bindings.items() if _occurs(name, text)}
        bound = _bind_by_values(text, used) if used else text
        if bound is None:
            raise UsageError(
                "a remote endpoint takes parameters only in a query with a WHERE group"
            )
        return run_remote(source, bound, timeout=timeout)
    if isinstance(source, OxigraphStore):
        chosen = Engine.OXIGRAPH
    used = {name: term for name, term in bindings.items() if _occurs(name, text)}
    if chosen is Engine.RDFLIB:
        assert isinstance(source, Graph)
        prepared = _prepare(text)
        return _with_time_limit(lambda: _run_rdflib(source, prepared, used), timeout)
    store = to_oxigraph(source)
    return _with_time_limit(lambda: _run_oxigraph(store, text, used), timeout)


def _occurs(name: str, text: str) -> bool:
    """Whether the variable ``name`` occurs in the query outside whole-line comments."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    pattern = rf"[?$]{re.escape(name)}(?![\w\u00b7\u0300-\u036f\u203f-\u2040])"
    return re.search(pattern, code) is not None


# --- rdflib --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _prepare(text: str) -> Query:
    """The parsed and translated query; cached by text (a prepared query is evaluated with a
    fresh context each time, so one may serve many threads), as parsing costs 5 to 15 ms."""
    try:
        with SPARQL_PARSER_LOCK:
            return prepareQuery(text, initNs=dict(PREFIXES))
    except ParseException as exc:
        raise QueryError(
            f"invalid SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"
            f" (near {_line(text, exc.lineno)!r})"
        ) from None
    except Exception as exc:  # rdflib reports e.g. an unknown prefix as a bare Exception
        raise QueryError(f"invalid SPARQL: {_one_line(str(exc))}") from None


def _one_line(message: str, limit: int = 200) -> str:
    """A parser message on one line, cut short if it lists every token it expected."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


def _run_rdflib(graph: Graph, prepared: Query, bindings: Mapping[str, Identifier]) -> QueryResult:
    try:
        result = graph.query(prepared, initBindings={Variable(k): v for k, v in bindings.items()})
        if result.type == "ASK":
            return QueryResult.ask(bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            answer = Graph()
            for prefix, namespace in PREFIXES.items():
                answer.bind(prefix, namespace, override=True, replace=True)
            for triple in result:
                answer.add(triple)  # type: ignore[arg-type]
            return QueryResult.of_graph(answer)
        columns = [str(v) for v in result.vars or []]
        rows = [tuple(_simple(term) for term in row) for row in result]  # type: ignore[union-attr]
        return QueryResult.select(columns, rows)
    except (QueryError, _Cancelled):
        raise
    except Exception as exc:  # a failure inside rdflib's evaluator
        raise QueryError(f"the query failed in rdflib: {type(exc).__name__}: {exc}") from None


def _simple(term: Node | None) -> Node | None:
    """``"x"^^xsd:string`` returned as ``"x"`` (one simple literal in RDF 1.1, as in Oxigraph)."""
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


# --- Oxigraph ------------------------------------------------------------------------------

_LOCATION: Final = re.compile(r"error at (\d+):(\d+)")


def _to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype or XSD.string
        return ox.Literal(str(term), datatype=ox.NamedNode(str(datatype)))
    raise UsageError(f"cannot bind {term!r}: not an IRI, blank node or literal")


def _from_ox(term: object) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        # as Oxigraph holds it: canonical when well-formed, as written when not (rdflib would
        # otherwise re-spell some ill-typed literals, e.g. "flase"^^xsd:boolean as "false")
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise QueryError(f"Oxigraph returned a term il32rdf cannot read: {term!r}")


def _run_oxigraph(
    store: OxigraphStore, text: str, bindings: Mapping[str, Identifier]
) -> QueryResult:
    substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {}
    with_values = _bind_by_values(text, bindings) if bindings else None
    if with_values is not None:
        text = with_values
    else:
        try:
            substitutions = {ox.Variable(k): _to_ox(v) for k, v in bindings.items()}
        except ValueError as exc:
            raise UsageError(f"cannot bind a parameter: {exc}") from None
    try:
        answer = store._store.query(
            text,
            prefixes=dict(PREFIXES),
            use_default_graph_as_union=True,
            substitutions=substitutions or None,
        )
        if isinstance(answer, ox.QueryBoolean):
            return QueryResult.ask(bool(answer))
        if isinstance(answer, ox.QueryTriples):
            graph = Graph()
            for prefix, namespace in PREFIXES.items():
                graph.bind(prefix, namespace, override=True, replace=True)
            for triple in answer:
                s, p, o = (_from_ox(t) for t in (triple.subject, triple.predicate, triple.object))
                graph.add((s, p, o))  # type: ignore[arg-type]
            return QueryResult.of_graph(graph)
        columns = [v.value for v in answer.variables]
        rows: list[Row] = [tuple(_from_ox(solution[c]) for c in columns) for solution in answer]
        return QueryResult.select(columns, rows)
    except SyntaxError as exc:
        message = str(exc)
        match = _LOCATION.search(message)
        if match:
            line, column = int(match[1]), int(match[2])
            detail = _one_line(message[match.end() :].lstrip(": "))
            raise QueryError(
                f"invalid SPARQL at line {line}, column {column}: {detail}"
                f" (near {_line(text, line)!r})"
            ) from None
        raise QueryError(f"invalid SPARQL: {_one_line(message)}") from None
    except RuntimeError as exc:
        message = str(exc)
        if "SELECT projection" in message:
            message += " (Oxigraph binds a parameter only if the SELECT clause lists its variable)"
        raise QueryError(f"the query failed in Oxigraph: {message}") from None
    except OSError as exc:
        raise QueryError(f"the query failed in Oxigraph: {exc}") from None


_IRIREF: Final = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]*>")
_VARNAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORD: Final = re.compile(r"[\w.-]+(:[\w.%:-]*)?")
_LANGTAG: Final = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


def _values_term(name: str, term: Identifier) -> str:
    """A parameter value in SPARQL syntax, refusing anything that could leave its place."""
    if isinstance(term, URIRef) and _IRIREF.fullmatch(f"<{term}>") and ":" in term:
        return f"<{term}>"
    if isinstance(term, Literal):
        datatype = term.datatype
        if term.language and not _LANGTAG.fullmatch(term.language):
            raise UsageError(f"parameter {name!r}: bad language tag {term.language!r}")
        if datatype is not None and not _IRIREF.fullmatch(f"<{datatype}>"):
            raise UsageError(f"parameter {name!r}: bad datatype IRI {str(datatype)!r}")
        return term_to_ntriples(term)
    raise UsageError(f"parameter {name!r}: {term!r} cannot be bound (use an IRI or a literal)")


def _values_block(bindings: Mapping[str, Identifier]) -> str:
    for name in bindings:
        if not _VARNAME.fullmatch(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_values_term(name, term) for name, term in bindings.items())
    return f" VALUES ({names}) {{ ({values}) }} "


def _skip_lexeme(text: str, i: int) -> int | None:
    """The index just after the comment, string or IRI that starts at ``i``; ``None`` if none
    does. Braces and variables inside these are not the query's."""
    n, c = len(text), text[i]
    if c == "#":
        end = text.find("\n", i)
        return n if end < 0 else end + 1
    if c in "\"'":
        quote = c * 3 if text.startswith(c * 3, i) else c
        j = i + len(quote)
        while j < n and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    if c == "<":
        match = _IRIREF.match(text, i)
        return match.end() if match else i + 1
    return None


def _where_group(text: str) -> int | None:
    """The index of the ``{`` that opens the query's top-level WHERE group, if it has one.

    Skips comments, strings, IRIs, a CONSTRUCT template and braces inside parentheses (an
    ``EXISTS {}`` in a SELECT expression).
    """
    i, n = 0, len(text)
    form: str | None = None
    where_seen = False
    parens = 0
    while i < n:
        c = text[i]
        skipped = _skip_lexeme(text, i)
        if skipped is not None:
            i = skipped
            continue
        if c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            assert match is not None
            word = match[0].upper()  # a keyword, or a prefixed name (it has a colon)
            if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif word == "WHERE":
                where_seen = True
            i = match.end()
            continue
        if c in "?$":  # a variable: skip its name, which may look like a keyword
            match = _VARNAME.match(text, i + 1)
            i = match.end() if match else i + 1
            continue
        if c == "(":
            parens += 1
        elif c == ")":
            parens = max(0, parens - 1)
        elif c == "{":
            if parens == 0 and (where_seen or form in ("SELECT", "ASK", "DESCRIBE")):
                return i if form is not None else None
            i = _skip_braces(text, i)  # a CONSTRUCT template or an expression's group
            continue
        i += 1
    return None


def _bind_by_values(text: str, bindings: Mapping[str, Identifier]) -> str | None:
    """``text`` with a one-row VALUES block first in every group that uses a bound variable.

    That is the pre-binding of the variable (what rdflib's ``initBindings`` does), written so
    that Oxigraph's optimizer sees the value. ``None`` when the query has no WHERE group.
    """
    start = _where_group(text)
    if start is None:
        return None
    groups: list[tuple[int, int]] = []
    uses: list[tuple[int, str]] = []
    stack: list[int] = []
    values_header = False
    i, n = start, len(text)
    while i < n:
        c = text[i]
        skipped = _skip_lexeme(text, i)
        if skipped is not None:
            i = skipped
            continue
        if c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            assert match is not None
            values_header = values_header or match[0].upper() == "VALUES"
            i = match.end()
            continue
        if c in "?$":
            match = _VARNAME.match(text, i + 1)
            if match:
                if match[0] in bindings:
                    uses.append((i, match[0]))
                i = match.end()
                continue
        elif c == "{":
            if values_header:  # a VALUES data block, not a group
                values_header = False
                i = _skip_braces(text, i)
                continue
            stack.append(i)
        elif c == "}" and stack:
            groups.append((stack.pop(), i))
            if not stack:
                break
        i += 1
    inserts = []
    for begin, end in groups:
        names = sorted({name for at, name in uses if begin < at < end})
        if names:
            inserts.append((begin + 1, _values_block({k: bindings[k] for k in names})))
    for at, block in sorted(inserts, reverse=True):
        text = text[:at] + block + text[at:]
    return text


def _skip_braces(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


# --- time limit ----------------------------------------------------------------------------


class _Cancelled(BaseException):
    """Raised inside a worker thread whose query ran out of time."""


def _with_time_limit(work: Callable[[], _T], timeout: float | None) -> _T:
    if timeout is None:
        return work()
    if timeout <= 0:
        raise UsageError(f"the time limit must be a positive number of seconds, not {timeout}")
    outcome: list[_T] = []
    failure: list[BaseException] = []

    def worker() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=worker, name="il32rdf-query", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        _cancel(thread)
        raise QueryTimeoutError(
            f"the query was stopped after its time limit of {timeout:g} s;"
            " narrow it down, add a LIMIT, or allow more time"
        )
    if failure:
        if isinstance(failure[0], _Cancelled):  # pragma: no cover - the race at the limit
            raise QueryTimeoutError(f"the query was stopped after {timeout:g} s")
        raise failure[0]
    return outcome[0]


def _cancel(thread: threading.Thread) -> None:
    """Ask ``thread`` to stop by raising :class:`_Cancelled` in it; it is a daemon otherwise."""
    if thread.ident is not None:
        with contextlib.suppress(Exception):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(thread.ident), ctypes.py_object(_Cancelled)
            )
