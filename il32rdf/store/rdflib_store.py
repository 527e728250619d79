"""The rdflib engine: the knowledge graph as an rdflib Dataset in memory.

The embedded engine for small data: every rdflib-made tool (pySHACL, the reasoner's input,
pyLODE) reads it without a copy. It also wraps a plain rdflib Graph (a release file read back,
a term's neighbourhood), which has no named graphs: only ``all`` names it.

Parameters are bound as ``initBindings`` of a prepared query (a pre-binding: the value stands
for the variable throughout the query). Prepared queries are cached by text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Identifier, Node, Variable

from il32rdf.errors import InputError, QueryError, UsageError
from il32rdf.ntterms import NtTerm
from il32rdf.results import QueryResult
from il32rdf.store.base import QueryDataset, Store, check_graph
from il32rdf.store.graphs import new_dataset
from il32rdf.store.sparql import SPARQL_PARSER_LOCK, line_of, one_line, used_bindings
from il32rdf.store.timelimit import Cancelled, with_time_limit
from il32rdf.terms import Statement, rdflib_statements, rdflib_term, term_nt
from il32rdf.vocab import GRAPH_NAMES, PREFIXES

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result

__all__ = ["RdflibStore"]


class RdflibStore(Store):
    """An rdflib Dataset (or a plain Graph) behind the store protocol."""

    engine = "rdflib"

    def __init__(self, graph: Graph | None = None) -> None:
        self._graph = graph if graph is not None else new_dataset()

    @property
    def dataset(self) -> Dataset:
        """The rdflib Dataset itself (a plain Graph is copied into the facts graph of one).

        :raises UsageError: never for a Dataset.
        """
        if isinstance(self._graph, Dataset):
            return self._graph
        dataset = new_dataset()
        facts = dataset.graph(GRAPH_NAMES["facts"])
        for triple in self._graph:
            facts.add(triple)
        return dataset

    def named(self, name: str) -> Graph:
        """The rdflib graph ``name`` (``ontology``, ``facts``, ``inferred``; ``all`` is their
        union, a copy for a Dataset), without copying a named graph.

        :raises UsageError: unknown name, or a named graph asked of a plain Graph.
        """
        check_graph(name)
        if not isinstance(self._graph, Dataset):
            if name != "all":
                raise UsageError(f"a plain RDF graph has no {name!r} graph: use 'all'")
            return self._graph
        if name != "all":
            return self._graph.graph(GRAPH_NAMES[name])
        union = Graph()
        for prefix, namespace in self._graph.namespaces():
            union.bind(prefix, namespace, override=True, replace=True)
        for graph in self._named():
            union.addN((s, p, o, union) for s, p, o in graph)
        return union

    def _named(self) -> list[Graph]:
        """Every named graph of the Dataset, il32rdf's three first (empty ones too)."""
        assert isinstance(self._graph, Dataset)
        own = [self._graph.graph(iri) for iri in GRAPH_NAMES.values()]
        known = {*GRAPH_NAMES.values(), DATASET_DEFAULT_GRAPH_ID}
        data = [g for g in self._graph.graphs() if g.identifier not in known and len(g)]
        return own + sorted(data, key=lambda g: term_nt(g.identifier))

    def named_graphs(self) -> list[str]:
        if not isinstance(self._graph, Dataset):
            return [f"<{GRAPH_NAMES['facts']}>"]
        return [term_nt(g.identifier) for g in self._named()]

    def graph_lines(self, graph: str) -> list[str]:
        if not isinstance(self._graph, Dataset):
            return self.lines("all") if graph == f"<{GRAPH_NAMES['facts']}>" else []
        name = rdflib_term(graph)
        held = {g.identifier for g in self._named()}
        if name not in held:
            return []
        return sorted({" ".join(st) for st in rdflib_statements(self._graph.graph(name))})  # type: ignore[arg-type]

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
        used: dict[str, Identifier] = {
            name: rdflib_term(term) if isinstance(term, NtTerm) else term  # type: ignore[misc]
            for name, term in used_bindings(text, bindings).items()
        }
        prepared = _prepare(text, base)
        clause = prepared.algebra.datasetClause  # None when absent (CompValue.get is not dict.get)
        if dataset is None and clause:
            dataset = QueryDataset(
                tuple(str(d["default"]) for d in clause if "default" in d),
                tuple(str(d["named"]) for d in clause if "named" in d),
            )
        if dataset is None:
            return with_time_limit(lambda: _run(self._graph, prepared, used), timeout)
        chosen = dataset
        return with_time_limit(lambda: _run(self._graph, prepared, used, chosen), timeout)

    def update(self, text: str) -> None:
        from pyparsing import ParseException
        from rdflib.plugins.sparql.processor import prepareUpdate

        try:
            with SPARQL_PARSER_LOCK:
                prepared = prepareUpdate(text, initNs=dict(PREFIXES))
        except ParseException as exc:
            raise QueryError(f"invalid SPARQL update at line {exc.lineno}: {exc.msg}") from None
        try:
            self._graph.update(prepared)
        except Exception as exc:  # a failure inside rdflib's evaluator
            raise QueryError(f"the update failed in rdflib: {one_line(str(exc))}") from None

    # --- statements ----------------------------------------------------------------------------

    def lines(self, graph: str = "all") -> list[str]:
        return sorted({" ".join(statement) for statement in self._statements(graph)})

    def _statements(self, graph: str) -> Iterator[Statement]:
        if graph == "all" and isinstance(self._graph, Dataset):
            for named in self._named():
                yield from rdflib_statements(named)
        else:
            yield from rdflib_statements(self.named(graph))

    def add(self, graph: str, statements: Iterable[Statement]) -> None:
        if graph == "all":
            raise UsageError("statements are added to one named graph, not 'all'")
        target = self.named(graph)
        try:
            target.addN(
                (rdflib_term(s), rdflib_term(p), rdflib_term(o), target) for s, p, o in statements
            )
        except (ValueError, IndexError) as exc:
            raise InputError(f"rdflib cannot read the statements: {one_line(str(exc))}") from None

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        return sorted(set(self._graph.objects(subject, predicate)), key=str)

    # --- counts and graphs -----------------------------------------------------------------------

    def count(self, graph: str = "all") -> int:
        check_graph(graph)
        if graph == "all" and isinstance(self._graph, Dataset):
            return sum(len(named) for named in self._named())
        return len(self.named(graph))

    def graph(self, name: str = "all") -> Graph:
        return self.named(name)

    def to_dataset(self) -> Dataset:
        return self.dataset

    @property
    def holds_rdflib(self) -> bool:
        return True


@functools.lru_cache(maxsize=256)
def _prepare(text: str, base: str | None = None) -> Query:
    """The parsed and translated query; cached by text (a prepared query is evaluated with a
    fresh context each time, so one may serve many threads), as parsing costs 5 to 15 ms.
    rdflib's SPARQL engine is imported here, on first use: it takes a tenth of a second."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    try:
        with SPARQL_PARSER_LOCK:
            return prepareQuery(text, initNs=dict(PREFIXES), base=base)
    except ParseException as exc:
        raise QueryError(
            f"invalid SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"
            f" (near {line_of(text, exc.lineno)!r})"
        ) from None
    except Exception as exc:  # rdflib reports e.g. an unknown prefix as a bare Exception
        raise QueryError(f"invalid SPARQL: {one_line(str(exc))}") from None


def _on_dataset(
    graph: Graph, prepared: Query, bindings: Mapping[str, Identifier], dataset: QueryDataset
) -> Result:
    """Evaluate ``prepared`` on ``dataset`` made of ``graph``'s graphs, as rdflib's own
    evaluation does but for two things: a graph that is not there is empty (rdflib would fetch
    it from the web), and its ``FROM`` clauses are not read (``dataset`` stands for them)."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.processor import SPARQLResult
    from rdflib.plugins.sparql.sparql import QueryContext

    def part(iri: str) -> Graph:
        if not isinstance(graph, Dataset):
            return Graph()
        return Graph(store=graph.store, identifier=URIRef(iri))  # a view: no copy

    named = Dataset()
    for iri in dataset.named:
        copy = named.graph(URIRef(iri))
        copy += part(iri)
    default = Graph()
    for iri in dataset.default:
        default += part(iri)
    context = QueryContext(named, initBindings=bindings)
    context.graph = default
    context.prologue = prepared.prologue
    return SPARQLResult(evalPart(context, prepared.algebra))


def _run(
    graph: Graph,
    prepared: Query,
    bindings: Mapping[str, Identifier],
    dataset: QueryDataset | None = None,
) -> QueryResult:
    initial: dict[str, Identifier] = {Variable(k): v for k, v in bindings.items()}
    try:
        if dataset is None:
            result = graph.query(prepared, initBindings=initial)
        else:
            result = _on_dataset(graph, prepared, initial, dataset)
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
    except (QueryError, Cancelled):
        raise
    except Exception as exc:  # a failure inside rdflib's evaluator
        raise QueryError(f"the query failed in rdflib: {type(exc).__name__}: {exc}") from None


def _simple(term: Node | None) -> Node | None:
    """``"x"^^xsd:string`` returned as ``"x"`` (one simple literal in RDF 1.1, as in Oxigraph)."""
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term
