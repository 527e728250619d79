"""il32rdf: the interleukin-32 knowledge graph as an OWL ontology, RDF claims and tools.

>>> import il32rdf
>>> dataset = il32rdf.load()
>>> turtle = il32rdf.export(dataset, "turtle", graph="facts")
"""

from __future__ import annotations

from il32rdf.checks import Finding, check
from il32rdf.dataset import FACTS_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, load
from il32rdf.errors import ExportError, Il32Error, InputError, UsageError
from il32rdf.export import RdfFormat, export
from il32rdf.query import query
from il32rdf.reason import ReasoningResult, add_inferences, reason
from il32rdf.results import QueryResult
from il32rdf.stats import Stats, stats
from il32rdf.validate import ValidationReport, validate
from il32rdf.version import __version__

__all__ = [
    "FACTS_GRAPH",
    "INFERRED_GRAPH",
    "ONTOLOGY_GRAPH",
    "ExportError",
    "Finding",
    "Il32Error",
    "InputError",
    "QueryResult",
    "RdfFormat",
    "ReasoningResult",
    "Stats",
    "UsageError",
    "ValidationReport",
    "__version__",
    "add_inferences",
    "check",
    "export",
    "load",
    "query",
    "reason",
    "stats",
    "validate",
]
