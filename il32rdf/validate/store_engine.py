"""The store path: the compiled shapes run as SPARQL in the store, and their rows become the
same results pySHACL gives on the same data.

What this module needs from a :class:`~il32rdf.store.Store`: ``query`` (SELECT rows and a
CONSTRUCT graph, as rdflib terms with literals as the store holds them), ``objects`` (labels and
sources for the report) and ``update`` (a scratch graph for the ``rdfs:subClassOf`` closure the
bundled shapes are written against, dropped afterwards). The caller runs it only where the store
holds the literals the shapes read as the data write them (``Store.respelt``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from rdflib import Literal, URIRef
from rdflib.term import Node

from il32rdf.errors import QueryError
from il32rdf.store import Store
from il32rdf.validate.check import Check, UnsupportedShape, by_value
from il32rdf.validate.conditions import (
    CANONICAL,
    datatype_ok,
    literal,
    valid_lexical,
    valid_lexical_marks,
)
from il32rdf.validate.messages import fill
from il32rdf.validate.pyshacl_engine import closure
from il32rdf.validate.qc import store_qc
from il32rdf.validate.report import Found, ValidationResult
from il32rdf.validate.results import StoreLookup, make_result
from il32rdf.validate.shapes_graph import Shapes

__all__ = ["validate_store"]


_SCRATCH: Final = "urn:il32rdf:validation:subclass-closure"
_SUBCLASS_EDGES: Final = (
    "SELECT DISTINCT ?sub ?sup WHERE { ?sub rdfs:subClassOf ?sup "
    "FILTER (isIRI(?sub) && isIRI(?sup)) }"
)


def validate_store(
    store: Store, shapes: Shapes, checks: list[Check], *, run_qc: bool
) -> list[ValidationResult]:
    """Every result of ``checks`` (and of the QC checks) on ``store``.

    With the bundled shapes, the ``rdfs:subClassOf`` closure pySHACL is given is written into a
    scratch named graph of the store for the time of the validation, then dropped.

    :raises UnsupportedShape: Oxigraph cannot run a compiled query (the caller falls back).
    """
    if not shapes.bundled:
        return _results(store, shapes, checks, run_qc=run_qc)
    edges = store.query(_SUBCLASS_EDGES).rows
    added = list(closure((s, o) for s, o in edges if s is not None and o is not None))
    store.update(f"DROP SILENT GRAPH <{_SCRATCH}>")
    try:
        for start in range(0, len(added), 10_000):
            body = " ".join(
                f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in added[start : start + 10_000]
            )
            store.update(f"INSERT DATA {{ GRAPH <{_SCRATCH}> {{ {body} }} }}")
        return _results(store, shapes, checks, run_qc=run_qc)
    finally:
        store.update(f"DROP SILENT GRAPH <{_SCRATCH}>")


def _results(
    store: Store, shapes: Shapes, checks: list[Check], *, run_qc: bool
) -> list[ValidationResult]:
    lookup = StoreLookup(store)
    results = [make_result(found, shapes, lookup) for found in _found(store, checks)]
    if run_qc:
        reported = {(r.focus, r.path) for r in results}

        def rows(text: str) -> list[tuple[Node | None, ...]]:
            return list(store.query(text).rows)

        results.extend(r for r in store_qc(rows, lookup) if (r.focus, r.path) not in reported)
    return results


def _found(store: Store, checks: list[Check]) -> Iterator[Found]:
    as_written: dict[tuple[Literal, ...], dict[Node, Node]] = {}
    lexical: dict[URIRef, str] = {}
    queries = []
    for check in checks:
        query = check.query
        for datatype in sorted(valid_lexical_marks(query)):
            if datatype not in lexical:
                lexical[datatype] = _valid_lexical(store, datatype, checks)
            query = query.replace(valid_lexical(datatype), lexical[datatype])
        queries.append(query)
    try:
        answers = store.query_many(queries)  # several at once where the engine gains by it
    except QueryError as exc:
        raise UnsupportedShape(f"Oxigraph cannot run a compiled query: {exc}") from None
    for check, answer in zip(checks, answers, strict=True):
        if check.constants not in as_written:
            as_written[check.constants] = _as_written(store, check.constants)
        written = as_written[check.constants]
        if any(k != v for k, v in written.items()) and not by_value(check.component):
            raise UnsupportedShape(
                "Oxigraph holds a literal focus node otherwise than the shapes write it: "
                + ", ".join(sorted(v.n3() for k, v in written.items() if k != v))
            )
        for row in answer.rows:
            bound = {
                k: written.get(v, v) if v is not None else None
                for k, v in zip(answer.columns, row, strict=True)
            }
            focus = bound["this"]
            assert focus is not None
            value = next((bound.get(c) for c in check.value if bound.get(c) is not None), None)
            if (
                check.recheck is not None
                and value is not None
                and datatype_ok(value, check.recheck)
            ):
                continue
            path = bound.get("path") if isinstance(bound.get("path"), URIRef) else check.path
            yield Found(
                focus=focus,
                severity=check.severity,
                shape=check.shape,
                component=check.component,
                path=path,
                value=value,
                messages=_messages(check, bound),
            )


def _valid_lexical(store: Store, datatype: URIRef, checks: list[Check]) -> str:
    """The lexical forms of ``datatype`` in the data (and the literal focus nodes) outside
    the canonical ones that rdflib accepts, as a SPARQL list."""
    canonical = CANONICAL.get(datatype)
    unusual = f"&& !REGEX(STR(?v), {literal(canonical)})" if canonical else ""
    answer = store.query(
        f"SELECT DISTINCT ?v WHERE {{ ?s ?p ?v FILTER (isLiteral(?v) && "
        f"sameTerm(DATATYPE(?v), <{datatype}>) {unusual}) }}",
        {},
    )
    candidates = {v for (v,) in answer.rows if v is not None}
    candidates.update(c for check in checks for c in check.constants)
    valid = sorted({str(v) for v in candidates if datatype_ok(v, datatype)})
    return ", ".join(literal(v) for v in valid)


def _as_written(store: Store, constants: tuple[Literal, ...]) -> dict[Node, Node]:
    """Oxigraph's form of each literal constant (``"4"^^xsd:decimal`` for ``"4.0"``), mapped
    to the constant as the shapes graph writes it."""
    if not constants:
        return {}
    rows = " ".join(f"({i} {c.n3()})" for i, c in enumerate(constants))
    answer = store.query(f"SELECT ?i ?c WHERE {{ VALUES (?i ?c) {{ {rows} }} }}", {})
    found: dict[Node, Node] = {}
    for index, canonical in answer.rows:
        if isinstance(index, Literal) and canonical is not None:
            found[canonical] = constants[int(index)]
    return found


def _messages(check: Check, bound: dict[str, Node | None]) -> tuple[str, ...]:
    given = bound.get("message")
    if isinstance(given, Literal):
        return (str(given),)
    if not check.templates:
        return ()
    values: dict[str, Node | None] = dict(check.parameters)
    values.update(bound)
    return tuple(fill(str(t), values) for t in check.templates)
