"""Validate the graph against SHACL shapes, and report the problems so a curator can act.

:func:`validate` returns a :class:`ValidationReport`; a graph that breaks the shapes is a
*value* (``report.conforms is False``), never an exception. Two engines give the same report:

- an rdflib graph or dataset is validated by pySHACL (:mod:`.pyshacl_engine`);
- a store of a SPARQL engine (:class:`~il32rdf.store.OxigraphStore`) runs the shapes compiled
  to SPARQL (:mod:`.compiler`, :mod:`.store_engine`) where the store holds the literals the
  shapes read as the data write them (:meth:`~il32rdf.store.Store.respelt`); where it does not,
  or the compiler declines a shapes graph, pySHACL validates the store's data as written, and
  the report says so (``report.compiled``, ``.declined``).

Before either runs, the shapes are checked (:func:`check_shapes`): a shapes graph that is not
valid SHACL, or whose SPARQL uses what SHACL forbids (``SERVICE`` ...), is refused with
:class:`~il32rdf.errors.ShapesError`, and no query runs.

Besides the shapes, a few QC checks in the spirit of ROBOT ``report`` run on the same data
(:mod:`.qc`).

The package's modules, one concern each: :mod:`.report` (the report model),
:mod:`.render` (its formats), :mod:`.shapes` (loading and checking shapes graphs),
:mod:`.messages` and :mod:`.results` (results worded and labelled the same way for both
engines), :mod:`.pyshacl_engine`, :mod:`.compiler` (with :mod:`.conditions`,
:mod:`.sparql_checks`, :mod:`.sparql_text`, :mod:`.check`), :mod:`.store_engine`, :mod:`.qc`.

>>> import il32rdf
>>> report = validate(il32rdf.load())
>>> report.conforms
True
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rdflib import Dataset, Graph

from il32rdf.store import Store, as_store
from il32rdf.validate import pyshacl_engine, store_engine
from il32rdf.validate.check import UnsupportedShape
from il32rdf.validate.compiler import compile_shapes
from il32rdf.validate.qc import QC, QC_PREDICATES, SHAPES, qc
from il32rdf.validate.render import ReportFormat, render, report_graph, summary
from il32rdf.validate.report import Severity, ValidationReport, ValidationResult
from il32rdf.validate.results import GraphLookup, make_result
from il32rdf.validate.shapes import check_shapes, load_shapes, shapes_for
from il32rdf.validate.shapes_graph import Shapes, ShapesWarning

__all__ = [
    "QC",
    "SHAPES",
    "ReportFormat",
    "Severity",
    "ShapesWarning",
    "UnsupportedShape",
    "ValidationReport",
    "ValidationResult",
    "check_shapes",
    "compile_shapes",
    "data_graph",
    "load_shapes",
    "qc",
    "render",
    "report_graph",
    "summary",
    "validate",
]


def validate(
    data: Dataset | Graph | Store,
    *,
    shapes: Graph | Iterable[Path | str] | None = None,
    run_qc: bool = True,
) -> ValidationReport:
    """Validate ``data`` (a loaded dataset, any graph, or a store) against the shapes and the
    QC checks.

    :param shapes: a shapes graph, shapes files, or ``None`` for the bundled ``shapes/``.
    :param run_qc: also run the ROBOT-style QC checks (:func:`qc`).
    :raises ShapesError: a shapes file is malformed, a shape is not valid SHACL, or its SPARQL
        uses what SHACL forbids; nothing has run.
    """
    view = shapes_for(shapes)
    store = as_store(data)
    declined = None
    if _compiled_engine(store):
        results, declined = _compiled(store, view, run_qc=run_qc)
        if declined is None:
            return ValidationReport.of(results, compiled=True)
    # pySHACL needs rdflib: a copy of the data as written (slower, same report), or the rdflib
    # engine's own dataset
    dataset = store.to_dataset()
    graph = data_graph(dataset, with_closure=view.bundled, shapes=view)
    lookup = GraphLookup(graph)
    results = [make_result(found, view, lookup) for found in pyshacl_engine.run(graph, view)]
    if run_qc:
        reported = {(r.focus, r.path) for r in results}
        results.extend(r for r in qc(graph) if (r.focus, r.path) not in reported)
    return ValidationReport.of(results, compiled=False, declined=declined)


def _compiled(
    store: Store, view: Shapes, *, run_qc: bool
) -> tuple[list[ValidationResult], str | None]:
    """The results of the compiled shapes on ``store``, or why they cannot be used: the store
    holds a literal the shapes read otherwise than the data write it, or the compiler
    declines."""
    predicates = view.read_predicates()
    if predicates is not None and run_qc:
        predicates |= QC_PREDICATES
    respelt = store.respelt(predicates)
    if respelt is not None:
        engine = store.engine.capitalize()
        return [], f"{engine} holds a literal otherwise than the data write it: {respelt}"
    try:
        return store_engine.validate_store(store, view, compile_shapes(view), run_qc=run_qc), None
    except UnsupportedShape as exc:
        return [], str(exc)


def _compiled_engine(store: Store) -> bool:
    """The engine choice: a SPARQL engine runs the compiled shapes; rdflib data (which pySHACL
    uses without a copy) goes to pySHACL."""
    return not store.holds_rdflib


def data_graph(
    data: Dataset | Graph, *, with_closure: bool = True, shapes: Shapes | None = None
) -> Graph:
    """The graph pySHACL sees: every triple of ``data`` (a dataset's graphs merged), plus the
    ``rdfs:subClassOf`` closure unless ``with_closure`` is false, with the prefixes the
    ``shapes``' SPARQL may use bound. ``data`` itself is not changed."""
    view = shapes if shapes is not None else shapes_for(None)
    return pyshacl_engine.data_graph(data, with_closure=with_closure, namespaces=view.namespaces)
