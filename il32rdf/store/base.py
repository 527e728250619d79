"""The store seam: the one protocol every operation of il32rdf is written against.

A store holds the knowledge graph as three named graphs, ``ontology``, ``facts`` and
``inferred`` (:data:`~il32rdf.prefixes.GRAPH_IRIS`), and the named graphs of the user's N-Quads or
TriG files under their own names (:meth:`Store.named_graphs`); the union of all of them is the
default graph that queries see, and the graph ``all``. Three engines implement :class:`Store`:
rdflib in memory (:class:`~il32rdf.store.rdflib_store.RdflibStore`), Oxigraph in memory or on disk
(:class:`~il32rdf.store.oxigraph_store.OxigraphStore`) and any SPARQL 1.1 store over HTTP
(:class:`~il32rdf.store.remote.RemoteStore`). Every operation outside this package (stats,
checks, validation, reasoning, export, the release, the server, publishing) uses only the methods
below, so it is written once and runs on each engine; none asks which engine it holds.

A statement is a triple of N-Triples term strings (:data:`~il32rdf.turtle.Statement`), spelt as
Oxigraph spells them, whichever engine holds it: that is what makes the release the same bytes
from every engine.

The rules that belong to the data rather than to an engine are written here once, in SPARQL:
the plain edge of a positive claim (:data:`CLAIM_EDGES`, run by :meth:`Store.derive_claim_edges`
when a store is opened) and the shape of a well-formed claim that the typed view
(:func:`il32rdf.claims.read_claims`) reads.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeVar

from il32rdf.errors import UsageError
from il32rdf.files import write_chunks
from il32rdf.machine import Later
from il32rdf.names import NamedEnum
from il32rdf.ntriples import line_chunks
from il32rdf.ntterms import DumpedLines
from il32rdf.prefixes import GRAPH_IRIS

if TYPE_CHECKING:
    from collections.abc import Collection
    from pathlib import Path

    from rdflib import Dataset, Graph, URIRef
    from rdflib.term import Identifier, Node

    from il32rdf.ntterms import NtTerm
    from il32rdf.results import QueryResult, ResultFormat, WrittenResults
    from il32rdf.terms import Statement

_T = TypeVar("_T")

__all__ = [
    "CLAIM_EDGES",
    "NEGATED_FLAG",
    "Engine",
    "QueryDataset",
    "Store",
    "check_graph",
    "well_formed_claims",
]


class Engine(NamedEnum):
    """The embedded engines; ``value`` is the name used on the command line (``--store``)."""

    RDFLIB = "rdflib"
    OXIGRAPH = "oxigraph"

    @classmethod
    def noun(cls) -> str:
        return "engine"


def check_graph(graph: str) -> None:
    """Refuse a graph name that is none of ``ontology``, ``facts``, ``inferred``, ``all``.

    :raises UsageError: the message lists the names.
    """
    if graph != "all" and graph not in GRAPH_IRIS:
        raise UsageError(f"unknown graph {graph!r}; use one of: {', '.join([*GRAPH_IRIS, 'all'])}")


def well_formed_claims(*, in_facts: bool, positive_only: bool) -> str:
    """The SPARQL group of every well-formed claim, binding ``?claim ?s ?p ?o ?negated``.

    A claim (``a il32:Claim``) is well formed when it has exactly one subject, predicate, object
    and ``il32:negated`` flag, the subject and predicate are IRIs, the object is an IRI or a
    literal, and the flag is an ``xsd:boolean`` written ``true``/``false`` or ``1``/``0``, told
    by its lexical form so that every engine agrees (rdflib's SPARQL reads an ill-typed
    ``"nope"^^xsd:boolean`` as false, Oxigraph's as no boolean; ``"1"`` is held as written by
    the one, as ``true`` by the other). A malformed claim gives nothing: the shapes report it.
    ``in_facts``: only claims of the facts graph (else of the default graph); ``positive_only``:
    only those whose flag is false.
    """
    one = (
        "?claim a il32:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;"
        " il32:negated ?negated"
    )
    polarity = 'STR(?negated) IN ("false", "0")' if positive_only else _FLAG
    # "exactly one": no other value of each, told as terms (two equal numbers spelt apart
    # are two values); faster on Oxigraph than counting a GROUP BY, and the same answers
    others = " ".join(
        f"FILTER NOT EXISTS {{ ?claim {prop} ?other FILTER (!sameTerm(?other, {var})) }}"
        for prop, var in _ONE_EACH
    )
    group = (
        f"{one}\n  FILTER (isIRI(?s) && isIRI(?p) && !isBlank(?o)"
        f" && datatype(?negated) = xsd:boolean && {polarity})\n  {others}"
    )
    return f"GRAPH <{GRAPH_IRIS['facts']}> {{ {group} }}" if in_facts else group


_ONE_EACH: Final = (
    ("rdf:subject", "?s"),
    ("rdf:predicate", "?p"),
    ("rdf:object", "?o"),
    ("il32:negated", "?negated"),
)


_FLAG: Final = 'STR(?negated) IN ("true", "false", "1", "0")'
"""A well-formed ``xsd:boolean`` flag, by its lexical form (also in ``process-effects.rq``)."""


NEGATED_FLAG: Final = 'FILTER (datatype(?flag) = xsd:boolean && STR(?flag) IN ("true", "1"))'
"""The flag ``?flag`` says "negated": an ``xsd:boolean`` written ``true`` or ``1``, by its
lexical form as in :func:`well_formed_claims`."""


_POSITIVE: Final = well_formed_claims(in_facts=True, positive_only=True)
CLAIM_EDGES: Final = f"SELECT DISTINCT ?s ?p ?o WHERE {{\n  {_POSITIVE}\n}}"
"""The rule of the plain edges: every positive claim of the facts graph gives its edge
``subject predicate object`` in the inferred graph, so that simple SPARQL stays simple. An
ill-typed flag (``"nope"``) gives no edge on any engine."""


@dataclass(frozen=True)
class QueryDataset:
    """The RDF dataset one query runs on (SPARQL 1.1 Protocol's ``default-graph-uri`` and
    ``named-graph-uri``, or the query's ``FROM`` and ``FROM NAMED``): the default graph is the
    merge of the graphs ``default`` names (empty if none), and ``GRAPH`` sees only the graphs
    ``named`` names. A graph IRI the store does not hold is an empty graph: nothing is ever
    fetched."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


class Store(abc.ABC):
    """The knowledge graph in one engine, and everything il32rdf asks of it.

    :attr:`engine` names the engine for messages and reports; no code outside
    ``il32rdf/store/`` branches on it.
    """

    engine: str = "store"
    concurrent_queries: int = 1
    """How many queries at once pay off (:meth:`query_many`): more than one where the engine
    works outside Python's lock."""
    reloaded: bool = True
    """False when :func:`~il32rdf.store.open_store` reused an on-disk store instead of loading."""

    # --- SPARQL ------------------------------------------------------------------------------

    @abc.abstractmethod
    def query(
        self,
        text: str,
        bindings: Mapping[str, Identifier | NtTerm] | None = None,
        *,
        timeout: float | None = None,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """Answer the SPARQL query ``text`` with ``bindings`` pre-bound (the variable stands for
        the value throughout the query). The project's prefixes are predeclared. The query runs
        on ``dataset`` if given (it overrides the query's ``FROM``), else on the query's own
        ``FROM``/``FROM NAMED`` graphs, else on the union of the named graphs as default graph.
        Relative IRIs in the query resolve against ``base`` if given.

        :raises QueryError: the query is malformed (the message gives line and column) or fails.
        :raises QueryTimeoutError: it ran longer than ``timeout`` seconds.
        """

    def query_many(self, texts: Sequence[str]) -> list[QueryResult]:
        """The answers to ``texts``, in their order; up to :attr:`concurrent_queries` of them
        run at once.

        :raises QueryError: the first query, in order, that is malformed or fails.
        """
        return self._many(self.query, texts)

    def rows_many(self, texts: Sequence[str]) -> list[list[tuple[str | None, ...]]]:
        """:meth:`rows` of each of ``texts``, in their order, as :meth:`query_many` runs them.

        :raises QueryError: as :meth:`rows`, the first in order.
        """
        return self._many(self.rows, texts)

    def beside(self, function: Callable[[], _T]) -> Later[_T]:
        """``function`` for later: started now in a thread beside the caller where this engine
        answers outside Python's lock (:attr:`concurrent_queries` above one), else run when its
        result is asked for (an engine held by Python, as rdflib's, is not asked two things at
        once); :attr:`~il32rdf.machine.Later.started` says which."""
        return Later(function, in_thread=self.concurrent_queries > 1)

    def _many(self, ask: Callable[[str], _T], texts: Sequence[str]) -> list[_T]:
        if self.concurrent_queries <= 1 or len(texts) <= 1:
            return [ask(text) for text in texts]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(self.concurrent_queries, thread_name_prefix="il32rdf") as pool:
            return list(pool.map(ask, texts))

    def query_written(
        self,
        text: str,
        result_format: ResultFormat,
        *,
        timeout: float | None = None,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult | WrittenResults:
        """:meth:`query`, with a ``SELECT`` or ``ASK`` answer given already written in
        ``result_format`` (a ``CONSTRUCT`` or ``DESCRIBE`` answer is given as its graph). An
        engine may write the answer itself where its document says the same as
        :func:`~il32rdf.results.write_results` (the endpoint's fast path).

        :raises QueryError: as :meth:`query`. :raises QueryTimeoutError: as :meth:`query`.
        """
        from il32rdf.results import WrittenResults

        result = self.query(text, timeout=timeout, dataset=dataset, base=base)
        return result if result.kind == "graph" else WrittenResults.of(result, result_format)

    def rows(self, text: str) -> list[tuple[str | None, ...]]:
        """The rows of the SELECT query ``text`` as N-Triples term strings (``None`` where
        unbound): for large answers, which need no rdflib term.

        :raises QueryError: the query is malformed or fails, or is not a SELECT.
        """
        from il32rdf.terms import term_nt

        return [
            tuple(None if t is None else term_nt(t) for t in row) for row in self.query(text).rows
        ]

    @abc.abstractmethod
    def update(self, text: str) -> None:
        """Run the SPARQL update ``text`` (the project's prefixes predeclared).

        :raises QueryError: the update is malformed or fails.
        """

    # --- statements ----------------------------------------------------------------------------

    @abc.abstractmethod
    def lines(self, graph: str = "all") -> list[str]:
        """The statements of the graph ``ontology``, ``facts`` or ``inferred``, or of the union
        of every named graph (``all``, each statement once), as N-Triples lines without their
        `` .``, sorted.

        :raises UsageError: unknown graph name.
        """

    def named_graphs(self) -> list[str]:
        """Every named graph as an N-Triples term (``<iri>`` or ``_:label``): il32rdf's three
        first, then those of the user's files, sorted."""
        return [f"<{iri}>" for iri in GRAPH_IRIS.values()]

    def graph_lines(self, graph: str) -> list[str]:
        """The statements of the named graph ``graph`` (a term of :meth:`named_graphs`), as
        :meth:`lines` gives them (none for a graph the store does not hold)."""
        by_term = {f"<{iri}>": name for name, iri in GRAPH_IRIS.items()}
        return self.lines(by_term[graph]) if graph in by_term else []

    def dump_graph(self, graph: str, path: Path) -> DumpedLines:
        """Write the statements of the named graph ``graph`` (a term of :meth:`named_graphs`)
        into the new file ``path`` as N-Triples, for a process of its own to read later as
        :meth:`graph_lines` gives them (:meth:`DumpedLines.read`, no store needed): so the
        release's writer gets them without this process holding them.

        :raises ExportError: the file cannot be written.
        """
        write_chunks(path, line_chunks(self.graph_lines(graph)))
        return DumpedLines(str(path))

    def statements(self, graph: str = "all") -> Iterator[Statement]:
        """The statements of :meth:`lines`, split into their N-Triples term strings (one string
        object per distinct term: a quarter less memory)."""
        known: dict[str, str] = {}
        same = known.setdefault

        def split(line: str) -> Statement:
            s, p, o = line.split(" ", 2)
            return same(s, s), same(p, p), same(o, o)

        return map(split, self.lines(graph))

    @abc.abstractmethod
    def add(self, graph: str, statements: Iterable[Statement]) -> None:
        """Add ``statements`` (N-Triples term strings) to the named graph ``graph``.

        :raises UsageError: unknown graph name.
        :raises InputError: the engine refuses a term.
        """

    @abc.abstractmethod
    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        """The objects of ``subject predicate ?o`` in any graph, each once, sorted by text.

        ``subject`` may be a blank node this store returned in an answer.
        """

    # --- counts and graphs -----------------------------------------------------------------------

    @abc.abstractmethod
    def count(self, graph: str = "all") -> int:
        """The number of statements in the named graph ``graph``, or in all of them (``all``:
        counted once per graph they are in, the user's named graphs too).

        :raises UsageError: unknown graph name.
        """

    def counts(self) -> dict[str, int]:
        """The number of statements of each of il32rdf's named graphs, by short name, and of
        the user's named graphs together (``other``, when there are some)."""
        counts = {name: self.count(name) for name in GRAPH_IRIS}
        other = self.count("all") - sum(counts.values())
        return {**counts, "other": other} if other else counts

    def __len__(self) -> int:
        return self.count("all")

    def graph(self, name: str = "all") -> Graph:
        """The graph ``name`` as an rdflib Graph, for the tools made for rdflib (the reasoner's
        input, OBO Graphs, pyLODE, a term's page). A copy, except on the rdflib engine; meant
        for the small graphs (the ontology, a term's neighbourhood).

        :raises UsageError: unknown graph name.
        """
        from il32rdf.store.graphs import graph_of_lines

        return graph_of_lines(self.lines(name))

    def to_dataset(self) -> Dataset:
        """The whole store as an rdflib Dataset, named graphs kept (a copy, except on the rdflib
        engine): for pySHACL, which needs rdflib.

        :raises InputError: rdflib cannot read what the engine wrote.
        """
        from il32rdf.store.graphs import dataset_of_lines

        return dataset_of_lines({term: self.graph_lines(term) for term in self.named_graphs()})

    @property
    def holds_rdflib(self) -> bool:
        """Whether the data are rdflib objects already, so that a tool made for rdflib
        (pySHACL) uses them without a copy; a SPARQL way is then no faster."""
        return False

    def respelt(self, predicates: Collection[str] | None = None) -> str | None:
        """A statement whose literal the engine holds otherwise than the data write it (what
        SPARQL sees is then not the data as written), shown in one line, or ``None`` when it
        holds every literal as written. With ``predicates`` (IRIs), only the statements of
        those count. Literals are held as written except where an engine says otherwise (the
        Oxigraph store: :mod:`~il32rdf.store.spellings`)."""
        return None

    # --- the rules of the data -----------------------------------------------------------------

    def derive_claim_edges(self) -> None:
        """Add the plain edge of every positive claim to the inferred graph (:data:`CLAIM_EDGES`;
        a query and an addition rather than one SPARQL update, which rdflib evaluates tens of
        times slower).

        :raises QueryError: the engine fails.
        """
        self.add("inferred", self.rows(CLAIM_EDGES))  # type: ignore[arg-type]
