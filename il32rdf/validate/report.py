"""The validation report: its results, and the text forms of the terms and paths in them.

A result holds its terms as text, the same whichever engine found it: an IRI as the IRI, a
literal in N-Triples form as written in the data (``"300"^^<...#byte>``), a blank node as
``_:label``. A path is an IRI for a predicate, and a SPARQL property path over ``<IRI>``s for a
complex one (``^<http://ex/p>``, ``<http://ex/p>/<http://ex/q>``); :func:`parse_path` reads it
back into its parts for the Turtle report.

Blank-node labels are stable: data blank nodes are numbered ``_:b1``, ``_:b2`` ... in report
order, and blank-node shapes are named by :func:`il32rdf.validate.shapes.shape_term` from the
shapes graph, so the same data and shapes give the same report on both engines and in every run.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Final

from rdflib import SH, XSD, BNode, Literal, URIRef
from rdflib.term import Node

__all__ = [
    "Found",
    "PathPart",
    "PathStep",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "parse_path",
    "term_text",
]


class Severity(enum.Enum):
    """How bad a result is. ``level`` is ROBOT's name for it.

    A shape may name a severity of its own (SHACL allows any IRI): such a result counts as a
    violation here (it blocks) and keeps its IRI in :attr:`ValidationResult.severity_iri`.
    """

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def iri(self) -> URIRef:
        """``sh:Violation``, ``sh:Warning`` or ``sh:Info``."""
        return SH[self.value]

    @property
    def level(self) -> str:
        """``ERROR``, ``WARN`` or ``INFO``."""
        return {"Violation": "ERROR", "Warning": "WARN", "Info": "INFO"}[self.value]

    @property
    def rank(self) -> int:
        """0 for the worst (Violation), for sorting."""
        return {"Violation": 0, "Warning": 1, "Info": 2}[self.value]

    @classmethod
    def of(cls, iri: Node | str) -> Severity:
        """The severity an IRI stands for; an IRI of the user's own counts as a violation."""
        text = str(iri)
        for severity in cls:
            if text == str(severity.iri):
                return severity
        return cls.VIOLATION


@dataclass(frozen=True)
class ValidationResult:
    """One problem: which node, which field, what is wrong, which rule said so.

    IRIs are full strings; ``value`` and ``focus`` are terms as :func:`term_text` writes them.
    ``focus_label`` / ``value_label`` are the ``rdfs:label`` of those nodes when the graph has one;
    ``source`` / ``source_label`` are the publication a claim cites, when the focus is a claim.
    ``severity_iri`` is the IRI the shape gave as its severity (``sh:Violation``, ...).
    """

    focus: str
    severity: Severity
    shape: str
    component: str
    message: str
    path: str | None = None
    value: str | None = None
    focus_label: str | None = None
    value_label: str | None = None
    source: str | None = None
    source_label: str | None = None
    fix: str | None = None
    severity_iri: str = ""

    def __post_init__(self) -> None:
        if not self.severity_iri:
            object.__setattr__(self, "severity_iri", str(self.severity.iri))

    @property
    def hint(self) -> str:
        """How to fix it: the shape's own ``sh:description``, else a hint for its component."""
        return self.fix or _hint(self.component)

    def sort_key(self) -> tuple[str, ...]:
        """Group by focus node, worst first, then by rule (blank-node labels left out)."""
        return (
            _unlabelled(self.focus),
            str(self.severity.rank),
            self.severity_iri,
            self.path or "",
            self.shape,
            self.component,
            _unlabelled(self.value or ""),
            self.message,
        )


@dataclass(frozen=True)
class ValidationReport:
    """Every result of one validation, in a stable order.

    ``conforms`` is SHACL's: true only when there is no result at all. Whether the graph *passes*
    (no violation; with ``strict``, no warning either) is :meth:`passes`: warnings and infos are
    advice. ``compiled`` says whether the shapes ran as SPARQL in the store (else pySHACL), and
    ``declined`` why the compiler left a store's validation to pySHACL.
    """

    results: tuple[ValidationResult, ...]
    compiled: bool = field(default=False, compare=False)
    declined: str | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls, results: Iterable[ValidationResult], *, compiled: bool, declined: str | None = None
    ) -> ValidationReport:
        """The report of ``results``: sorted, every result kept, data blank nodes relabelled."""
        ordered = sorted(results, key=ValidationResult.sort_key)
        return cls(tuple(_relabel(ordered)), compiled=compiled, declined=declined)

    @property
    def conforms(self) -> bool:
        """No result at all (SHACL's ``sh:conforms``)."""
        return not self.results

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """The results that block a release (a shape's own severity blocks too)."""
        return self.by_severity(Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """The sh:Warning results."""
        return self.by_severity(Severity.WARNING)

    @property
    def infos(self) -> tuple[ValidationResult, ...]:
        """The sh:Info results."""
        return self.by_severity(Severity.INFO)

    def by_severity(self, severity: Severity) -> tuple[ValidationResult, ...]:
        """The results of one severity."""
        return tuple(r for r in self.results if r.severity is severity)

    def passes(self, *, strict: bool = False) -> bool:
        """True when there is no violation (and, if ``strict``, no warning either)."""
        return not self.violations and not (strict and self.warnings)


def _unlabelled(text: str) -> str:
    return "_:" if text.startswith("_:") else text


def _relabel(results: list[ValidationResult]) -> Iterable[ValidationResult]:
    """Data blank nodes (focus nodes and values) numbered in report order."""
    labels: dict[str, str] = {}

    def label(text: str | None) -> str | None:
        if text is None or not text.startswith("_:"):
            return text
        return labels.setdefault(text, f"_:b{len(labels) + 1}")

    for result in results:
        focus, value = label(result.focus), label(result.value)
        if focus != result.focus or value != result.value:
            result = replace(result, focus=focus or "", value=value)
        yield result


def term_text(node: Node) -> str:
    """An RDF term as a result holds it: IRI, N-Triples literal as written, or ``_:label``."""
    if isinstance(node, Literal):
        if node.datatype == XSD.string:  # RDF 1.1: "x"^^xsd:string is the simple literal "x"
            return Literal(str(node)).n3()
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


@dataclass(frozen=True)
class Found:
    """One result as an engine found it, in RDF terms (``path`` an IRI, a shapes-graph path
    node, or None; ``messages`` already filled in, or empty for the default message)."""

    focus: Node
    severity: Node
    shape: Node
    component: Node
    path: Node | None = None
    value: Node | None = None
    messages: tuple[str, ...] = ()


# --- paths as text -----------------------------------------------------------------------------

_PATH_TOKEN: Final = re.compile(r"\s*(<[^>]*>|[\^/|()*+?])")


@dataclass(frozen=True)
class PathStep:
    """A complex path: ``kind`` is inverse, zeroOrMore, oneOrMore or zeroOrOne (one part), or
    sequence or alternative (two parts or more)."""

    kind: str
    parts: tuple[PathPart, ...]


PathPart = URIRef | PathStep
"""A parsed path: an IRI or a :class:`PathStep`."""


def parse_path(text: str) -> PathPart:
    """The parts of a path written by :func:`il32rdf.validate.shapes.path_text`.

    :raises ValueError: ``text`` is not such a path.
    """
    if not text.startswith(("<", "^", "(")):
        return URIRef(text)
    tokens = [m.group(1) for m in _PATH_TOKEN.finditer(text)]
    if "".join(tokens) != re.sub(r"\s+", "", text):
        raise ValueError(f"not a path: {text!r}")
    part, rest = _alternative(tokens)
    if rest:
        raise ValueError(f"not a path: {text!r}")
    return part


def _alternative(tokens: list[str]) -> tuple[PathPart, list[str]]:
    return _joined(tokens, "|", "alternative", _sequence)


def _sequence(tokens: list[str]) -> tuple[PathPart, list[str]]:
    return _joined(tokens, "/", "sequence", _unary)


def _joined(
    tokens: list[str],
    mark: str,
    kind: str,
    part: Callable[[list[str]], tuple[PathPart, list[str]]],
) -> tuple[PathPart, list[str]]:
    """Parts separated by ``mark`` (one part stands for itself)."""
    first, tokens = part(tokens)
    parts = [first]
    while tokens and tokens[0] == mark:
        following, tokens = part(tokens[1:])
        parts.append(following)
    return (parts[0] if len(parts) == 1 else PathStep(kind, tuple(parts))), tokens


_MODIFIERS: Final = {"*": "zeroOrMore", "+": "oneOrMore", "?": "zeroOrOne"}


def _unary(tokens: list[str]) -> tuple[PathPart, list[str]]:
    if not tokens:
        raise ValueError("a path ends too early")
    head, tokens = tokens[0], tokens[1:]
    part: PathPart
    if head == "^":
        inner, tokens = _unary(tokens)
        part = PathStep("inverse", (inner,))
    elif head == "(":
        part, tokens = _alternative(tokens)
        if not tokens or tokens[0] != ")":
            raise ValueError("a path has an unclosed (")
        tokens = tokens[1:]
    elif head.startswith("<"):
        part = URIRef(head[1:-1])
    else:
        raise ValueError(f"unexpected {head!r} in a path")
    while tokens and tokens[0] in _MODIFIERS:
        part = PathStep(_MODIFIERS[tokens[0]], (part,))
        tokens = tokens[1:]
    return part, tokens


# --- hints ---------------------------------------------------------------------------------

_HINTS: Final = {
    "MinCountConstraintComponent": "add the missing statement",
    "MaxCountConstraintComponent": "keep one value and remove (or move) the others",
    "PatternConstraintComponent": "rewrite the identifier in the form the message shows",
    "DatatypeConstraintComponent": "write the literal with the datatype the message names",
    "NodeKindConstraintComponent": "use an IRI (a CURIE or <...>), not a quoted string",
    "InConstraintComponent": "use one of the values the message lists",
    "NodeConstraintComponent": "use a term of the kind the message names, or put your term under "
    "the right parent with rdfs:subClassOf",
    "HasValueConstraintComponent": "put the term under the right parent with rdfs:subClassOf",
    "QualifiedValueShapeConstraintComponent": "put the term under the right parent with "
    "rdfs:subClassOf, or add the missing claim",
    "ClassConstraintComponent": "declare the value with the type the message names",
    "OrConstraintComponent": "add one of the alternatives the message lists",
    "UniqueLangConstraintComponent": "keep one label per language",
    "SPARQLConstraintComponent": "compare with the other node named in the message and reconcile",
    "QcCheckComponent": "see the message",
}


def _hint(component: str) -> str:
    local = component.rpartition("#")[2].rpartition("/")[2]
    if local.startswith("QualifiedM"):
        local = "QualifiedValueShapeConstraintComponent"
    return _HINTS.get(local, "see the message")
