"""What the reasoner returns: results, terms, findings, and the settings' defaults."""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from il32rdf.ntterms import Statement
from il32rdf.prefixes import compress_iri

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

REASONERS: Final = ("auto", "hermit", "pellet", "owlrl")
DEFAULT_TIMEOUT: Final = 300.0
"""Seconds one reasoner run may take before it is stopped."""
DEFAULT_JAVA_MEMORY_MB: Final = 2000
"""The JVM heap (``-Xmx``) given to HermiT or Pellet, as owlready2's ``JAVA_MEMORY``."""
EXPLANATION_RUNS: Final = 60
"""At most this many extra reasoner runs are spent on each explanation."""


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Term:
    """A named entity: its IRI and the label a curator reads (the CURIE when it has none)."""

    iri: str
    label: str


@dataclass(frozen=True, order=True)
class SubClassAxiom:
    """``sub SubClassOf sup``, entailed and not asserted (a direct parent after reasoning)."""

    sub: Term
    sup: Term


@dataclass(frozen=True, order=True)
class TypeAssertion:
    """``individual rdf:type cls``, entailed and not asserted (a direct type after reasoning)."""

    individual: Term
    cls: Term


@dataclass(frozen=True)
class Explanation:
    """Why the ontology is inconsistent or a class unsatisfiable, as axioms a curator reads.

    ``focus`` is the IRI of the unsatisfiable class (``None`` for an inconsistency). ``complete``
    is false when the search ran out of reasoner runs before it reached a minimal set.
    """

    about: str
    focus: str | None
    axioms: tuple[str, ...]
    complete: bool = True


class Severity(enum.Enum):
    """How bad a profile finding is: ``error`` breaks OWL 2 DL, ``info`` is a note."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class ProfileFinding:
    """One OWL 2 DL profile finding: the IRI it is about, how bad, and what is wrong."""

    focus: str
    severity: Severity = field(compare=False)
    message: str


@dataclass(frozen=True)
class ReasoningResult:
    """What the reasoner found. ``consistent`` is meaningful only with ``dl_checked`` (HermiT,
    Pellet) or as "no clash found" (the OWL 2 RL tier, ``skipped_reason`` says why)."""

    consistent: bool
    reasoner: str
    dl_checked: bool
    skipped_reason: str | None
    unsatisfiable: tuple[Term, ...]
    inferred_subclasses: tuple[SubClassAxiom, ...]
    inferred_types: tuple[TypeAssertion, ...]
    explanations: tuple[Explanation, ...]
    statements: frozenset[Statement]
    """What follows and was not asserted, as N-Triples term strings: types, subclass closure,
    relation-graph edges (:attr:`inferred` is the same as an rdflib graph)."""
    ancestors: Mapping[str, frozenset[str]]
    """Every entailed named superclass of each named class (without ``owl:Thing``)."""
    types: Mapping[str, frozenset[str]]
    """Every entailed named class of each named individual (without ``owl:Thing``)."""
    profile: tuple[ProfileFinding, ...]
    seconds: float

    @functools.cached_property
    def inferred(self) -> Graph:
        """:attr:`statements` as an rdflib Graph (made on first use)."""
        from rdflib import Graph

        graph = Graph()
        text = "".join(f"{s} {p} {o} .\n" for s, p, o in sorted(self.statements))
        return graph.parse(data=text, format="nt") if text else graph

    @property
    def ok(self) -> bool:
        """Consistent and without unsatisfiable classes."""
        return self.consistent and not self.unsatisfiable


def _name(node: Node, labels: Mapping[Node, str]) -> str:
    from rdflib import URIRef  # the node is rdflib's: rdflib is loaded

    if node in labels:
        return labels[node]
    if isinstance(node, URIRef):
        return compress_iri(str(node)) or str(node)
    return str(node)
