"""OWL reasoning: consistency, classification, inferred types and relation edges, explanations.

Tiers:

- ``hermit`` (OWL 2 DL, complete): owlready2 runs the HermiT it bundles with the machine's Java.
  owlready2 cannot read Turtle, so it gets N-Triples written by rdflib (not canonicalised: the
  order of a throw-away input does not matter, and canonical blank-node labels cost half the
  time on a 100k-triple graph), loaded into a fresh ``owlready2.World()`` per run.
- ``pellet`` (OWL 2 DL): the Pellet 2.3.1 jars that owlready2 bundles, run with Pellet's OWLAPI
  loader on RDF/XML. owlready2's own ``sync_reasoner_pellet`` cannot be used on Java 17: it
  forces Pellet's Jena loader, and ``jena-arq-fixed2.10.0.jar`` in owlready2 0.51 holds a
  patched ``org/apache/jena/riot/lang/LangRDFXML.class`` compiled for Java 25 (class file 69).
- ``owlrl`` (OWL 2 RL, pure Python, incomplete): forward chaining with ``owlrl``; the result
  says that the DL check was skipped, and why.
- ``auto``: HermiT when Java starts, else ``owlrl``.

What the reasoner sees (:func:`reasoner_input`) is the ontology and the facts with the claim
reification translated into OWL, because OWL 2 DL has no reading of ``rdf:subject`` /
``rdf:predicate`` / ``rdf:object``:

- a positive claim ``individual p Class`` becomes the class assertion
  ``individual rdf:type [owl:onProperty p; owl:someValuesFrom Class]`` (so P10145, which enables
  chemokine activity, is inferred to be a chemokine and a cytokine);
- a positive claim ``individual p individual`` becomes the property assertion; a positive claim
  ``ClassA rdfs:subClassOf ClassB`` becomes that axiom;
- claims about classes through other relations (``macrophage develops from monocyte``) stay
  metadata: the ontology's restrictions carry that logic;
- the claim's own ``rdf:subject`` / ``rdf:predicate`` / ``rdf:object`` triples, and qualifiers
  whose value is a class (``il32:cellType``, ``il32:inTaxon``, ``il32:evidence``), are left out.
  OWL 2 DL would read those as class/individual punning, which it allows, but it entails nothing
  from them, and owlready2 0.51 files HermiT's answers for a punned IRI under whichever role it
  saw last (``SubClassOf(monocyte myeloid leukocyte)`` came back as ``monocyte rdf:type myeloid
  leukocyte``). An entity's ``in taxon`` a class becomes ``in taxon some`` that class.

The plain edges of existential axioms (``A SubClassOf R some B`` with named A and B, asserted or
entailed, gives ``A R B``) are computed as Ubergraph's relation graph does it: one helper class
``R some B`` per candidate pair, classified with the rest, then read back and dropped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from il32rdf.reason.model import (
    DEFAULT_JAVA_MEMORY_MB,
    DEFAULT_TIMEOUT,
    EXPLANATION_RUNS,
    REASONERS,
    Explanation,
    ProfileFinding,
    ReasoningResult,
    Severity,
    SubClassAxiom,
    Term,
    TypeAssertion,
)

if TYPE_CHECKING:
    from il32rdf.reason.dl import find_java
    from il32rdf.reason.input import reasoner_input
    from il32rdf.reason.profile import profile_check
    from il32rdf.reason.run import add_inferences, reason

__all__ = [
    "DEFAULT_JAVA_MEMORY_MB",
    "DEFAULT_TIMEOUT",
    "EXPLANATION_RUNS",
    "REASONERS",
    "Explanation",
    "ProfileFinding",
    "ReasoningResult",
    "Severity",
    "SubClassAxiom",
    "Term",
    "TypeAssertion",
    "add_inferences",
    "find_java",
    "profile_check",
    "reason",
    "reasoner_input",
]

_LAZY = {
    "add_inferences": "run",
    "reason": "run",
    "find_java": "dl",
    "reasoner_input": "input",
    "profile_check": "profile",
}


def __getattr__(name: str) -> Any:
    """The functions on first use: they import owlready2 and owlrl, the results do not."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
