"""il32rdf: the interleukin-32 knowledge graph as an OWL ontology, RDF claims and tools.

>>> import il32rdf
>>> dataset = il32rdf.load()
>>> turtle = il32rdf.export(dataset, "turtle", graph="facts")

The names below are imported when first used, so that ``import il32rdf`` (and a command that
needs only a query) does not load rdflib, pySHACL, owlready2, the HTTP server and client.
Several are functions named like the module that holds them (``il32rdf.query`` is the function
:func:`il32rdf.query.query`); importing that module never hides the function.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from il32rdf.errors import ExportError, Il32Error, InputError, UsageError
from il32rdf.version import __version__

if TYPE_CHECKING:
    from il32rdf.build import BuildResult, build
    from il32rdf.checks import Finding, check
    from il32rdf.dataset import load
    from il32rdf.export import RdfFormat, export
    from il32rdf.query import query
    from il32rdf.reason import ReasoningResult, add_inferences, reason
    from il32rdf.results import QueryResult
    from il32rdf.stats import Stats, stats
    from il32rdf.store import Store, open_store
    from il32rdf.validate import ValidationReport, validate
    from il32rdf.vocab import FACTS_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

__all__ = [
    "FACTS_GRAPH",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "BuildResult",
    "ExportError",
    "Finding",
    "Il32Error",
    "InputError",
    "QueryResult",
    "RdfFormat",
    "ReasoningResult",
    "Stats",
    "Store",
    "UsageError",
    "ValidationReport",
    "__version__",
    "add_inferences",
    "build",
    "check",
    "export",
    "load",
    "open_store",
    "query",
    "reason",
    "stats",
    "validate",
]

_LAZY = {
    "FACTS_GRAPH": "il32rdf.vocab",
    "INFERRED_GRAPH": "il32rdf.vocab",
    "ONTOLOGY_GRAPH": "il32rdf.vocab",
    "BuildResult": "il32rdf.build",
    "build": "il32rdf.build",
    "Finding": "il32rdf.checks",
    "check": "il32rdf.checks",
    "load": "il32rdf.dataset",
    "RdfFormat": "il32rdf.export",
    "export": "il32rdf.export",
    "query": "il32rdf.query",
    "ReasoningResult": "il32rdf.reason",
    "add_inferences": "il32rdf.reason",
    "reason": "il32rdf.reason",
    "QueryResult": "il32rdf.results",
    "Stats": "il32rdf.stats",
    "stats": "il32rdf.stats",
    "Store": "il32rdf.store",
    "open_store": "il32rdf.store",
    "ValidationReport": "il32rdf.validate",
    "validate": "il32rdf.validate",
}
"""Public name -> the module that defines it."""


class _Package(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'il32rdf' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        types.ModuleType.__setattr__(self, name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return  # the submodule il32rdf.query must not hide the function il32rdf.query
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
