"""The entry points: :func:`reason` and :func:`add_inferences`."""

from __future__ import annotations

import time
from typing import Final

from rdflib import Dataset, Graph

from il32rdf.errors import ReasonerError, UsageError
from il32rdf.reason.assemble import _dl_result, _rl_result
from il32rdf.reason.dl import _Engine, find_java
from il32rdf.reason.facts import read_facts, reason_by_kind
from il32rdf.reason.input import _prepare
from il32rdf.reason.model import (
    DEFAULT_JAVA_MEMORY_MB,
    DEFAULT_TIMEOUT,
    REASONERS,
    ProfileFinding,
    ReasoningResult,
)
from il32rdf.reason.profile import profile_check, profile_findings
from il32rdf.store import Store, as_store

__all__ = ["ALL_INDIVIDUALS_BELOW", "add_inferences", "reason"]

ALL_INDIVIDUALS_BELOW: Final = 500
"""With fewer individuals than this, HermiT sees them all in one run (a JVM start saved); from
this many on, one per kind (faster from about a thousand: benchmarks/build_bench.py)."""


def reason(
    source: Store | Dataset,
    *,
    reasoner: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    java_memory_mb: int = DEFAULT_JAVA_MEMORY_MB,
    explain: bool = True,
    individuals: str = "auto",
    relation_edges: bool = True,
) -> ReasoningResult:
    """Check ``source`` (any store, or an rdflib Dataset) with an OWL reasoner and return what
    it entails.

    HermiT and Pellet get the ontology and, of the facts, one representative individual of
    each kind (``individuals="by kind"``, :mod:`il32rdf.reason.facts`: the same entailments, at
    any size, in two short reasoner runs), or every individual (``"all"``: one run, slower as
    the facts grow; the two are compared by the tests). ``auto`` gives every individual when
    there are fewer than :data:`ALL_INDIVIDUALS_BELOW`. The OWL 2 RL tier always reads
    everything, through rdflib.

    :param reasoner: ``hermit`` or ``pellet`` (OWL 2 DL, need Java), ``owlrl`` (pure Python,
        OWL 2 RL), ``auto`` (HermiT when Java works, else ``owlrl``).
    :param timeout: seconds one reasoner run may take.
    :param java_memory_mb: the JVM heap for HermiT or Pellet.
    :param explain: search for the axioms behind an inconsistency or unsatisfiable class.
    :param relation_edges: also compute the relation-graph edges and property values (HermiT,
        Pellet); without them a run is one plain classification of every individual, which
        checks that add axioms of their own need (the relation check), and which stays fast
        with deep property hierarchies.
    :raises UsageError: unknown reasoner name or ``individuals``, or a timeout / memory that is
        not positive.
    :raises ReasonerError: ``hermit`` or ``pellet`` asked for and Java is missing or broken;
        the reasoner crashed, ran out of time or out of JVM memory.
    """
    if reasoner not in REASONERS:
        raise UsageError(f"unknown reasoner {reasoner!r}; use one of: {', '.join(REASONERS)}")
    if not timeout > 0 or java_memory_mb < 64:
        raise UsageError("the timeout must be positive and the Java memory at least 64 MB")
    if individuals not in ("auto", "by kind", "all"):
        raise UsageError(f"individuals is 'auto', 'by kind' or 'all', not {individuals!r}")
    started = time.perf_counter()
    store = as_store(source)
    skipped = None
    if reasoner != "owlrl":
        java, why = find_java()
        if java is None:
            if reasoner != "auto":
                raise ReasonerError(
                    f"{reasoner} needs Java 8 or later: {why}; install Java or use "
                    "--reasoner owlrl (OWL 2 RL, no DL check)"
                )
            skipped = f"OWL 2 DL check skipped: {why}"
        else:
            engine = _Engine(reasoner if reasoner != "auto" else "hermit", java, timeout)
            engine.memory = java_memory_mb
            facts = read_facts(store) if individuals != "all" and relation_edges else None
            if facts is not None and (
                individuals == "by kind" or len(facts.individuals()) >= ALL_INDIVIDUALS_BELOW
            ):

                def profile_of(graph: Graph, reified: int) -> tuple[ProfileFinding, ...]:
                    return tuple(profile_findings(graph, reified))

                return reason_by_kind(store, facts, engine, profile_of, started, explain=explain)
            dataset = store.to_dataset()
            profile = tuple(profile_check(dataset))
            return _dl_result(
                _prepare(dataset),
                engine,
                profile,
                started,
                explain=explain,
                relation_edges=relation_edges,
            )
    dataset = store.to_dataset()
    prepared = _prepare(dataset)
    profile = tuple(profile_check(dataset))
    return _rl_result(
        prepared,
        profile,
        started,
        skipped or "OWL 2 DL check skipped: the OWL 2 RL tier (owlrl) was asked for",
    )


def add_inferences(target: Store | Dataset, result: ReasoningResult) -> int:
    """Add ``result.inferred`` to the ``inferred`` graph of ``target`` (any store, or an rdflib
    Dataset); return how many were new."""
    store = as_store(target)
    before = store.count("inferred")
    store.add("inferred", result.statements)
    return store.count("inferred") - before
