"""The Oxigraph engine: the knowledge graph in pyoxigraph, in memory or on disk. With
:mod:`~il32rdf.store.parse` (Oxigraph's parser), :mod:`~il32rdf.store.oxterms` (terms across
the seam) and :mod:`~il32rdf.store.spellings`, the only modules that import pyoxigraph.

Files are loaded by Oxigraph itself (no rdflib term is ever made), queries are answered by
Oxigraph's SPARQL engine with the default graph the union of the named graphs
(``use_default_graph_as_union``), and a graph is read back as Oxigraph's N-Triples dump, split
into lines. The statements whose literal the store re-spells are given back as written
(:mod:`~il32rdf.store.spellings`). An rdflib graph or dataset is copied in as N-Quads
(:meth:`OxigraphStore.from_graph`).

An on-disk store (``path``) is reused while its inputs are unchanged: a manifest of the inputs
(path, size, modification time, il32rdf version) is written last, atomically, so a store whose
load was interrupted has none and is loaded again (see :func:`il32rdf.store.open_store`).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeVar

import pyoxigraph as ox

from il32rdf.errors import ExportError, InputError, QueryError, UsageError
from il32rdf.files import write_atomic
from il32rdf.machine import cores
from il32rdf.ntterms import (
    DumpedLines,
    LineCollector,
    NtTerm,
    Statement,
    distinct_sorted,
    nt_parts,
)
from il32rdf.prefixes import GRAPH_IRIS, PREFIXES
from il32rdf.results import QueryResult, ResultFormat, WrittenResults
from il32rdf.store.base import QueryDataset, Store, check_graph
from il32rdf.store.parse import load_oxigraph
from il32rdf.store.sparql import (
    bind_by_values,
    keywords,
    line_of,
    one_line,
    used_bindings,
)
from il32rdf.store.spellings import Spellings, may_be_respelt
from il32rdf.store.timelimit import with_time_limit
from il32rdf.store.tsvrows import TsvRows

if TYPE_CHECKING:
    from rdflib import Graph, URIRef
    from rdflib.term import Identifier, Node

__all__ = ["OxigraphStore"]

_MANIFEST: Final = "il32rdf-inputs.json"
_SPELLINGS: Final = "il32rdf-spellings.json"


class OxigraphStore(Store):
    """A pyoxigraph ``Store`` behind the store protocol."""

    engine = "oxigraph"
    concurrent_queries = min(4, cores())
    """Oxigraph evaluates without Python's lock: the validation's 100 queries of a 1M graph
    took 17 s one after the other and 6 s two at a time, on 2 cores."""

    def __init__(self, store: ox.Store | None = None, *, path: Path | None = None) -> None:
        self._store = store if store is not None else ox.Store()
        self.path = path
        """The directory of an on-disk store, or ``None`` in memory."""
        self.spellings = Spellings()
        """How the statements whose literal the store re-spells were written."""
        if path is not None and (path / _SPELLINGS).is_file():
            self.spellings = Spellings.loads((path / _SPELLINGS).read_text(encoding="utf-8"))

    @classmethod
    def on_disk(cls, path: Path | str) -> OxigraphStore:
        """Open (or create) the on-disk store in the directory ``path``.

        :raises InputError: the directory cannot be used as a store (e.g. another process has
            it open).
        """
        directory = Path(path)
        try:
            return cls(ox.Store(str(directory)), path=directory)
        except OSError as exc:
            raise InputError(f"cannot open an Oxigraph store here: {exc}", path=directory) from None

    def manifest(self) -> object:
        """The manifest of the inputs this on-disk store was loaded from (``None``: none)."""
        if self.path is None:
            return None
        with contextlib.suppress(OSError, ValueError):
            return json.loads((self.path / _MANIFEST).read_text(encoding="utf-8"))
        return None

    def clear(self) -> None:
        """Empty the store (and forget the manifest of an on-disk one)."""
        if self.path is not None:
            (self.path / _MANIFEST).unlink(missing_ok=True)
            (self.path / _SPELLINGS).unlink(missing_ok=True)
        self._store.clear()
        self.spellings = Spellings()

    def seal(self, manifest: object) -> None:
        """Flush an on-disk store and write its manifest last, atomically."""
        if self.path is not None:
            self._store.flush()
            if self.spellings:
                write_atomic(self.path / _SPELLINGS, self.spellings.dumps().encode("utf-8"))
            write_atomic(self.path / _MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))

    @classmethod
    def from_graph(cls, graph: Graph) -> OxigraphStore:
        """Copy an rdflib graph into a new in-memory store: a Dataset keeps its named graphs, a
        plain Graph (or a Dataset's default graph) goes into the facts graph.

        :raises InputError: Oxigraph rejects a term rdflib accepted (e.g. a malformed IRI).
        """
        from rdflib import BNode, Dataset, Graph, URIRef
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        from il32rdf.terms import term_nt

        lines: list[str] = []
        if isinstance(graph, Dataset):
            for s, p, o, g in graph.quads((None, None, None, None)):
                name = g.identifier if isinstance(g, Graph) else g
                named = isinstance(name, URIRef | BNode) and name != DATASET_DEFAULT_GRAPH_ID
                where = f" {term_nt(name)}" if named else ""  # type: ignore[arg-type]
                lines.append(f"{term_nt(s)} {term_nt(p)} {term_nt(o)}{where} .\n")
        else:  # into the facts graph, as the rdflib engine has it
            facts = f" <{GRAPH_IRIS['facts']}> .\n"
            lines = [f"{term_nt(s)} {term_nt(p)} {term_nt(o)}{facts}" for s, p, o in graph]
        store = cls()
        store._insert("".join(lines), "facts", ox.RdfFormat.N_QUADS)
        return store

    def _insert(self, text: str, graph: str, fmt: ox.RdfFormat) -> None:
        """Add the N-Triples or N-Quads ``text`` (default graph: ``graph``), spellings kept.

        :raises InputError: Oxigraph refuses a term.
        """
        data = text.encode("utf-8")
        try:
            if self.spellings or may_be_respelt(data, fmt):
                self.spellings.load(self._store, ox.parse(data, fmt), _graph_node(graph))
            else:
                self._store.bulk_load(input=data, format=fmt, to_graph=_graph_node(graph))
        except (SyntaxError, ValueError) as exc:
            message = one_line(str(exc))
            raise InputError(f"Oxigraph cannot load the statements: {message}") from None

    def load_file(self, path: Path | str, graph: str) -> None:
        """Load the RDF file ``path`` (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; by its
        suffix): its default graph into the named graph ``graph``, its named graphs as they are.

        :raises InputError: the file is missing, of an unknown type, or malformed.
        """
        load_oxigraph(self._store, path, _graph_node(graph), self.spellings)

    # --- SPARQL ------------------------------------------------------------------------------

    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier | NtTerm] | None = None,
        *,
        timeout: float | None = None,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        used = used_bindings(text, bindings)
        options = _dataset_options(text, dataset)
        options["base_iri"] = base
        return with_time_limit(lambda: _run(self._store, text, used, options, _answer), timeout)

    def query_written(
        self,
        text: str,
        result_format: ResultFormat,
        *,
        timeout: float | None = None,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult | WrittenResults:
        """JSON and XML answers are written by Oxigraph itself, no rdflib term made: the same
        document as :func:`~il32rdf.results.write_results` (a test compares them), in a
        quarter of the time; the other formats as :meth:`Store.query_written`."""
        native = _NATIVE_RESULTS.get(result_format)
        if native is None:
            return super().query_written(
                text, result_format, timeout=timeout, dataset=dataset, base=base
            )
        options = _dataset_options(text, dataset)
        options["base_iri"] = base

        def answer(
            store: ox.Store, text: str, substitutions: _Substitutions, options: _Options
        ) -> QueryResult | WrittenResults:
            solutions = _ask(store, text, substitutions, options)
            if isinstance(solutions, ox.QueryTriples):
                return _result(solutions)
            body = solutions.serialize(format=native[0])
            assert body is not None  # serialize() without output gives the bytes
            return WrittenResults(body, native[1](body, solutions))

        return with_time_limit(lambda: _run(self._store, text, {}, options, answer), timeout)

    def rows(self, text: str) -> list[tuple[str | None, ...]]:
        try:
            answer = self._store.query(
                text, prefixes=dict(PREFIXES), use_default_graph_as_union=True
            )
        except (SyntaxError, RuntimeError, OSError) as exc:
            raise QueryError(f"the query failed in Oxigraph: {one_line(str(exc))}") from None
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("rows() answers a SELECT query")
        sink = TsvRows()
        answer.serialize(sink, format=ox.QueryResultsFormat.TSV)  # type: ignore[arg-type]
        return sink.rows

    def update(self, text: str) -> None:
        try:
            self._store.update(text, prefixes=dict(PREFIXES))
        except (SyntaxError, RuntimeError, OSError) as exc:
            raise QueryError(f"the update failed in Oxigraph: {one_line(str(exc))}") from None

    # --- statements ----------------------------------------------------------------------------

    def lines(self, graph: str = "all") -> list[str]:
        """The lines, as Oxigraph writes each graph in N-Triples, read piece by piece and split
        here: faster than taking the terms one by one (``quads_for_pattern``, 1.1 s for 1M
        triples in memory) or a SPARQL ``SELECT`` (1.3 s; 5.7 s with ``ORDER BY``, whose order
        is not the text order anyway). Oxigraph's order is close to the text order, so sorting
        them first and then dropping repeated neighbours is several times faster than
        de-duplicating with a set.
        """
        check_graph(graph)
        if graph == "all":
            return self._dump(list(self._store.named_graphs()))
        return self._dump([_graph_node(graph)])

    def _dump(self, graphs: list[ox.NamedNode | ox.BlankNode]) -> list[str]:
        sink = LineCollector()
        for name in graphs:
            start = len(sink.lines)
            # Oxigraph calls only write and flush on the output
            self._store.dump(sink, format=ox.RdfFormat.N_TRIPLES, from_graph=name)  # type: ignore[arg-type]
            if not sink.complete:
                raise QueryError("Oxigraph's N-Triples dump ended in the middle of a statement")
            if self.spellings:  # the statements whose literal the store re-spelt, as written
                sink.lines[start:] = self.spellings.written(str(name), sink.lines[start:])
        # the order of the lines is that of their (s, p, o): " " sorts first
        if len(graphs) > 1:
            return distinct_sorted(sink.lines)
        sink.lines.sort()
        return sink.lines

    def add(self, graph: str, statements: Iterable[Statement]) -> None:
        if graph == "all":
            raise UsageError("statements are added to one named graph, not 'all'")
        check_graph(graph)
        text = "".join(f"{s} {p} {o} .\n" for s, p, o in statements)
        self._insert(text, graph, ox.RdfFormat.N_TRIPLES)

    def respelt(self, predicates: Collection[str] | None = None) -> str | None:
        return self.spellings.first(predicates)

    # --- named graphs --------------------------------------------------------------------------

    def named_graphs(self) -> list[str]:
        own = [f"<{iri}>" for iri in GRAPH_IRIS.values()]
        data = {str(g) for g in self._store.named_graphs()} - set(own)
        return [*own, *sorted(data)]

    def graph_lines(self, graph: str) -> list[str]:
        return self._dump([_graph_term(graph)])

    def dump_graph(self, graph: str, path: Path) -> DumpedLines:
        """Oxigraph writes the file itself, in Rust: this process makes no string of it."""
        try:
            name = _graph_term(graph)
            self._store.dump(str(path), format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        except OSError as exc:
            raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
        return DumpedLines(str(path), self.spellings.table.get(graph, {}))

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        from rdflib import BNode, URIRef

        from il32rdf.store.oxterms import from_ox
        from il32rdf.terms import quiet_rdflib

        if isinstance(subject, BNode):
            node: ox.NamedNode | ox.BlankNode = ox.BlankNode(str(subject))
        elif isinstance(subject, URIRef):
            node = ox.NamedNode(str(subject))
        else:
            return []
        quads = self._store.quads_for_pattern(node, ox.NamedNode(str(predicate)), None, None)
        with quiet_rdflib():
            found = {from_ox(quad.object) for quad in quads}
        return sorted((o for o in found if o is not None), key=str)

    # --- counts --------------------------------------------------------------------------------

    def count(self, graph: str = "all") -> int:
        check_graph(graph)
        if graph == "all":
            return len(self._store)  # every named graph's (the default graph is kept empty)
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH_IRIS[graph]}> {{ ?s ?p ?o }} }}"
        (row,) = self._store.query(text)  # type: ignore[misc]
        return int(row[0].value)

    def __len__(self) -> int:
        """Every quad of the store, in any graph."""
        return len(self._store)


def _graph_node(name: str) -> ox.NamedNode:
    return ox.NamedNode(GRAPH_IRIS[name])


def _graph_term(term: str) -> ox.NamedNode | ox.BlankNode:
    """A named graph given as an N-Triples term (``<iri>`` or ``_:label``)."""
    return ox.BlankNode(term[2:]) if term.startswith("_:") else ox.NamedNode(term[1:-1])


_LOCATION: Final = re.compile(r"error at (\d+):(\d+)")


_Options = dict[str, object]


def _dataset_options(text: str, dataset: QueryDataset | None) -> _Options:
    """Oxigraph's options for the query's dataset: the one given (which overrides the query's
    ``FROM``), the query's own ``FROM``/``FROM NAMED`` (Oxigraph reads them from its store,
    never from the web), or the union of the named graphs as default graph.

    :raises UsageError: a graph name is not an IRI.
    """
    if dataset is None:
        return {"use_default_graph_as_union": "FROM" not in keywords(text)}
    try:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in dataset.default],
            "named_graphs": [ox.NamedNode(iri) for iri in dataset.named],
        }
    except ValueError as exc:
        raise UsageError(f"a graph of the dataset is not an IRI: {exc}") from None


_Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]
_T = TypeVar("_T")


def _run(
    store: ox.Store,
    text: str,
    bindings: Mapping[str, Identifier | NtTerm],
    options: _Options,
    answer: Callable[[ox.Store, str, _Substitutions, _Options], _T],
) -> _T:
    """``answer(store, text, ...)`` with the bindings made and Oxigraph's errors said plainly."""
    substitutions: _Substitutions = {}
    with_values = bind_by_values(text, bindings) if bindings else None
    if with_values is not None:
        text = with_values
    else:
        try:
            substitutions = {ox.Variable(k): _bound(v) for k, v in bindings.items()}
        except ValueError as exc:
            raise UsageError(f"cannot bind a parameter: {exc}") from None
    try:
        return answer(store, text, substitutions, options)
    except SyntaxError as exc:
        message = str(exc)
        match = _LOCATION.search(message)
        if match:
            line, column = int(match[1]), int(match[2])
            detail = one_line(message[match.end() :].lstrip(": "))
            raise QueryError(
                f"invalid SPARQL at line {line}, column {column}: {detail}"
                f" (near {line_of(text, line)!r})"
            ) from None
        raise QueryError(f"invalid SPARQL: {one_line(message)}") from None
    except RuntimeError as exc:
        message = str(exc)
        if "SELECT projection" in message:
            message += " (Oxigraph binds a parameter only if the SELECT clause lists its variable)"
        raise QueryError(f"the query failed in Oxigraph: {message}") from None
    except OSError as exc:
        raise QueryError(f"the query failed in Oxigraph: {exc}") from None


def _bound(value: Identifier | NtTerm) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A bound parameter as Oxigraph's term.

    :raises UsageError: an rdflib value that is no IRI, blank node or literal.
    :raises ValueError: Oxigraph refuses the term (e.g. an IRI with a space).
    """
    if not isinstance(value, NtTerm):
        from il32rdf.store.oxterms import to_ox  # the value is rdflib's: rdflib is loaded

        return to_ox(value)
    kind, text, language, datatype = nt_parts(value)
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if language is not None:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=None if datatype is None else ox.NamedNode(datatype))


def _answer(
    store: ox.Store, text: str, substitutions: _Substitutions, options: _Options
) -> QueryResult:
    """Run ``text``; a ``SELECT`` answer is kept as N-Triples term strings (Oxigraph spells
    them as :func:`~il32rdf.terms.term_nt` does), its rdflib terms made only if asked for."""
    return _result(_ask(store, text, substitutions, options))


def _ask(
    store: ox.Store, text: str, substitutions: _Substitutions, options: _Options
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Oxigraph's answer to ``text``, the project's prefixes predeclared."""
    return store.query(
        text,
        prefixes=dict(PREFIXES),
        substitutions=substitutions or None,
        **options,  # type: ignore[arg-type]
    )


def _result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    """Oxigraph's answer: a boolean, N-Triples term strings, or an rdflib graph."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult.ask(bool(answer))
    if isinstance(answer, ox.QueryTriples):
        from rdflib import Graph

        from il32rdf.store.oxterms import from_ox
        from il32rdf.terms import quiet_rdflib

        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        with quiet_rdflib():
            for triple in answer:
                s, p, o = (from_ox(t) for t in (triple.subject, triple.predicate, triple.object))
                graph.add((s, p, o))  # type: ignore[arg-type]
        return QueryResult.of_graph(graph)
    columns = [v.value for v in answer.variables]
    rows = [tuple(_statement_term(solution[c]) for c in columns) for solution in answer]
    return QueryResult.of_statements(columns, rows)


def _statement_term(term: object) -> str | None:
    """A term of a solution in N-Triples syntax (``None``: unbound).

    :raises QueryError: an RDF-star triple, which no engine of il32rdf reads.
    """
    if term is None:
        return None
    if isinstance(term, ox.Triple):
        raise QueryError(f"Oxigraph returned a term il32rdf cannot read: {term!r}")
    return str(term)


_IRIREF: Final = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]*>")
_VARNAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _json_size(body: bytes, answer: object) -> int:
    if isinstance(answer, ox.QueryBoolean):
        return 1
    return len(json.loads(body)["results"]["bindings"])


def _xml_size(body: bytes, answer: object) -> int:
    # element text is escaped, so "<result>" is always the start of a solution
    return 1 if isinstance(answer, ox.QueryBoolean) else body.count(b"<result>")


_NATIVE_RESULTS: Final[Mapping[ResultFormat, tuple[ox.QueryResultsFormat, Callable[..., int]]]] = {
    ResultFormat.JSON: (ox.QueryResultsFormat.JSON, _json_size),
    ResultFormat.XML: (ox.QueryResultsFormat.XML, _xml_size),
}
"""The result formats Oxigraph writes with the same meaning as il32rdf's writer (its TSV writes
numbers short and its CSV and TSV an ASK answer bare, so those are il32rdf's), and how the
solutions are counted in its bytes."""
