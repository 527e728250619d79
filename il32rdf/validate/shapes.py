"""Shapes graphs: loading them, and checking them before anything runs.

:func:`check_shapes` refuses, with one line naming the shape, every shapes graph il32rdf cannot
run faithfully: one that is not valid SHACL (checked against SHACL-for-SHACL), a severity that
is not an IRI, a malformed path, a SPARQL query that does not parse or that uses what SHACL
forbids (``SERVICE``, ``MINUS``, ``VALUES``, ...: :func:`~il32rdf.validate.sparql_text.forbidden`).
It runs before any query does, whichever engine validates.

:class:`~il32rdf.validate.shapes_graph.Shapes` is what both engines read from a checked graph.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from rdflib import SH, Graph, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from il32rdf import resources
from il32rdf.errors import InputError, ShapesError
from il32rdf.store.parse import parse_file
from il32rdf.validate import pyshacl_engine
from il32rdf.validate.shapes_graph import Shapes, ShapesWarning
from il32rdf.validate.sparql_text import forbidden

__all__ = ["Shapes", "ShapesWarning", "check_shapes", "load_shapes", "shapes_for"]


# --- loading -----------------------------------------------------------------------------------


def load_shapes(paths: Iterable[Path | str] | None = None) -> Graph:
    """Parse the shapes files (default: the bundled ``shapes/*.ttl``) into one graph.

    :raises ShapesError: a file is missing or malformed; the message names the file and line.
    """
    files = list(resources.shape_files() if paths is None else paths)
    graph = Graph()
    if not files:
        raise ShapesError("no shapes files given")
    for path in files:
        try:
            parse_file(path, graph)
        except InputError as exc:
            raise ShapesError(f"shapes file {exc}") from None
    return graph


@functools.cache
def _bundled(stamp: tuple[tuple[str, int], ...]) -> Shapes:
    # The bundled shapes are checked against SHACL-for-SHACL by the test suite
    # (tests/test_shapes.py), not on every run: that check costs more than validating the
    # bundled graph. Shapes given by the caller are always checked.
    return Shapes(load_shapes(Path(name) for name, _ in stamp), bundled=True)


def shapes_for(shapes: Graph | Iterable[Path | str] | None) -> Shapes:
    """The checked shapes of a validation: the bundled ones (``None``), a graph, or files.

    :raises ShapesError: see :func:`check_shapes`.
    """
    if shapes is None:
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in resources.shape_files())
        return _bundled(stamp)
    graph = shapes if isinstance(shapes, Graph) else load_shapes(shapes)
    check_shapes(graph)
    return Shapes(graph, bundled=False)


# --- checking ----------------------------------------------------------------------------------


def check_shapes(shapes: Graph) -> None:
    """Check that ``shapes`` is SHACL il32rdf can run, before anything runs.

    :raises ShapesError: a shape is not valid SHACL, names a severity that is not an IRI, has a
        malformed path, or holds a SPARQL query that does not parse or uses what SHACL forbids;
        the message names the shape and the fault.
    """
    view = Shapes(shapes, bundled=False)
    for shape, severity in sorted(shapes.subject_objects(SH.severity), key=str):
        if not isinstance(severity, URIRef):
            raise ShapesError(
                f"shape {view.name(shape)}: sh:severity {view.short(severity)} is not an IRI (use "
                "sh:Violation, sh:Warning, sh:Info or an IRI of your own)"
            )
    for owner, path in sorted(shapes.subject_objects(SH.path), key=str):
        view.sparql_path(path, owner=owner)
    faults = [
        fault
        for fault in pyshacl_engine.shacl_shacl_faults(shapes)
        if not view.strange_path(fault.focus, fault.path)
    ]
    if faults:
        first = min(faults, key=lambda f: (view.name(f.focus), str(f.path), f.message))
        what = f" {view.short(first.path)}" if isinstance(first.path, URIRef) else ""
        value = f" {view.short(first.value)}" if first.value is not None else ""
        more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
        raise ShapesError(
            f"shape {view.name(first.focus)}:{what}{value} is not valid SHACL: "
            f"{first.message}{more}"
        )
    for key, kind, wanted in (
        (SH.validator, SH.ask, "an ASK validator"),
        (SH.nodeValidator, SH.select, "a SELECT validator"),
        (SH.propertyValidator, SH.select, "a SELECT validator"),
    ):
        for component, validator in sorted(shapes.subject_objects(key), key=str):
            if (validator, kind, None) not in shapes:
                raise ShapesError(
                    f"constraint component {view.name(component)}: {view.short(key)} must be "
                    f"{wanted} (with {view.short(kind)})"
                )
    for owner, text, prebound in view.queries():
        fault = forbidden(str(text), prebound)
        if fault is not None:
            raise ShapesError(f"{_holder(view, owner)}: SPARQL query refused: {fault}")
        try:
            prepareQuery(str(text), initNs=view.prefixes(owner))
        except Exception as exc:  # pyparsing and rdflib raise several kinds
            raise ShapesError(
                f"{_holder(view, owner)}: malformed SPARQL query: {_one_line(str(exc))}"
            ) from None


_HOLDERS: Final = (
    (SH.sparql, "shape"),
    (SH.target, "shape"),
    (SH.validator, "constraint component"),
    (SH.nodeValidator, "constraint component"),
    (SH.propertyValidator, "constraint component"),
)


def _holder(view: Shapes, node: Node) -> str:
    """``shape X`` for the shape whose SPARQL constraint or target ``node`` is (or ``constraint
    component X`` for a validator's), naming ``node`` too when it has an IRI of its own."""
    for key, kind in _HOLDERS:
        holder = next(iter(sorted(view.graph.subjects(key, node), key=str)), None)
        if holder is not None:
            own = f" ({view.short(node)})" if isinstance(node, URIRef) else ""
            return f"{kind} {view.name(holder)}{own}"
    return f"shape {view.name(node)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
