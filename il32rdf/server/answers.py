"""Answering queries with the limits of a public endpoint, and keeping the answers.

The served data is read-only, so an answer depends only on the request: the query (or named
query and its parameters), the request's dataset and the media type. Answers are kept in a
bounded cache under that key; a repeated request is answered from memory, without the engine.
Errors are never kept (a query stopped at the time limit is tried again).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Final, TypeVar

from il32rdf.errors import QueryError, QueryTimeoutError, UsageError
from il32rdf.export import serialize
from il32rdf.query import query
from il32rdf.results import QueryResult, WrittenResults, write_results
from il32rdf.server.http import RDF_FORMATS, RESULT_FORMATS, Answer, HttpError, negotiate
from il32rdf.server.protocol import check_read_only, refuse_update
from il32rdf.store import Store
from il32rdf.store.base import QueryDataset
from il32rdf.store.sparql import query_form

__all__ = ["AnswerCache", "Answers", "ServerSettings"]


@dataclass(frozen=True)
class ServerSettings:
    """Limits and placement of the server."""

    mount: str = "/"
    engine: str | None = None
    """An rdflib dataset handed to :func:`create_app` is copied into this engine if given."""
    query_timeout: float = 10.0
    max_results: int = 10_000
    max_body: int = 100_000
    cache_bytes: int = 64_000_000
    """The answers kept, in bytes of their bodies (0: none kept)."""


class AnswerCache:
    """The most recently used answers, at most ``limit`` bytes of bodies in all; thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Answer]) -> Answer:
        """The answer kept under ``key``, else ``make()``, kept if it fits."""
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                return answer
        answer = make()
        size = len(answer.body)
        if size * 4 > self.limit:  # a very large answer would push out many small ones
            return answer
        with self._lock:
            if key not in self._answers:
                self._answers[key] = answer
                self._size += size
            while self._size > self.limit:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)
        return answer


_R = TypeVar("_R", QueryResult, QueryResult | WrittenResults)
_GRAPH_FORMS: Final = frozenset(("CONSTRUCT", "DESCRIBE"))


class Answers:
    """The store behind the endpoint's limits: every answer of ``/sparql`` and ``/queries``."""

    def __init__(self, store: Store, settings: ServerSettings) -> None:
        self.store = store
        self.settings = settings
        self.cache = AnswerCache(settings.cache_bytes)

    def sparql(
        self, text: str, dataset: QueryDataset | None, accept: str | None, base: str | None = None
    ) -> Answer:
        """The answer to the SPARQL query ``text`` on ``dataset``, in the media type ``accept``
        prefers; relative IRIs resolve against ``base`` (the endpoint's URL).

        :raises HttpError: 400 (refused or malformed query, too many results), 406, 503 (time).
        """
        check_read_only(text)
        graph_form = query_form(text) in _GRAPH_FORMS
        media = self._media(accept, graph_form)

        def make() -> Answer:
            if graph_form:
                result = self._run(
                    lambda: self.store.query(
                        text, timeout=self._timeout, dataset=dataset, base=base
                    )
                )
                return self._write(result, media, accept)
            if query_form(text) is None:
                refuse_update(text)
            written = self._run(
                lambda: self.store.query_written(
                    text,
                    RESULT_FORMATS[media],
                    timeout=self._timeout,
                    dataset=dataset,
                    base=base,
                )
            )
            if isinstance(written, QueryResult):  # a graph after all: the form was misread
                return self._write(written, media, accept)
            return Answer(written.body, media)

        return self.cache.get(("sparql", text, dataset, base, media), make)

    def named(self, name: str, params: dict[str, str], accept: str | None) -> Answer:
        """The answer to the named query ``name`` with ``params`` bound.

        :raises HttpError: as :meth:`sparql`.
        """
        media = self._media(accept, graph_form=False)
        key = ("named", name, tuple(sorted(params.items())), media)

        def make() -> Answer:
            result = self._run(lambda: query(self.store, name, timeout=self._timeout, **params))
            return self._write(result, media, accept)

        return self.cache.get(key, make)

    def too_long(self) -> HttpError:
        """The answer to a request stopped at the time limit."""
        return HttpError(503, f"the query ran longer than {self._timeout:g} s and was stopped")

    @property
    def _timeout(self) -> float:
        return self.settings.query_timeout

    def _media(self, accept: str | None, graph_form: bool) -> str:
        if graph_form:
            return negotiate(accept, RDF_FORMATS, "RDF formats")[0]
        return negotiate(accept, RESULT_FORMATS, "result formats")[0]

    def _run(self, work: Callable[[], _R]) -> _R:
        try:
            result = work()
        except QueryTimeoutError:
            raise self.too_long() from None
        except (QueryError, UsageError) as exc:
            raise HttpError(400, str(exc)) from None
        if isinstance(result, WrittenResults):
            size = result.size
        else:
            size = len(result.graph) if result.graph is not None else len(result.rows)
        if size > self.settings.max_results:
            raise HttpError(
                400,
                f"the answer has {size} results, more than this endpoint's limit of "
                f"{self.settings.max_results}: add a LIMIT",
            )
        return result

    def _write(self, result: QueryResult, media: str, accept: str | None) -> Answer:
        if result.kind == "graph":
            assert result.graph is not None
            if media not in RDF_FORMATS:  # the form was misread: negotiate again
                media = negotiate(accept, RDF_FORMATS, "RDF formats")[0]
            return Answer(serialize(result.graph, RDF_FORMATS[media]), media)
        if media not in RESULT_FORMATS:
            media = negotiate(accept, RESULT_FORMATS, "result formats")[0]
        return Answer(write_results(result, RESULT_FORMATS[media], compact=True), media)
