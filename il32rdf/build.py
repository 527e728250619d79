"""The main job as a library function: load, check, validate, reason, write the release.

:func:`build` runs the phases in order on one store, whichever engine holds it, and returns a
:class:`BuildResult` (values, never prints). A rule broken on the way (a structural finding, a
SHACL violation, a relation used against its RO domain or range, a reasoner clash) stops the
build before anything is written: the result says why (:attr:`BuildResult.stopped`) and holds
the findings.

``on_phase`` is told when each phase starts and ends (:class:`PhaseEvent`), so a caller can
print each phase with its time as it finishes and a progress line while a long one runs (the
command line does both).
"""

from __future__ import annotations

import functools
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeVar

from il32rdf import figures
from il32rdf.checks import Finding, check
from il32rdf.docs import write_docs
from il32rdf.files import write_atomic
from il32rdf.query import answer_all, named_queries
from il32rdf.reason import (
    DEFAULT_JAVA_MEMORY_MB,
    DEFAULT_TIMEOUT,
    ReasoningResult,
    add_inferences,
    reason,
)
from il32rdf.relation_check import RelationCheck, check_relations
from il32rdf.release import ReleaseFile, start_release
from il32rdf.results import write_results
from il32rdf.stats import Stats, stats
from il32rdf.store import Engine, Store, open_store
from il32rdf.validate import ValidationReport, validate

__all__ = ["PHASES", "BuildResult", "Phase", "PhaseEvent", "build"]

PHASES = (
    "load",
    "checks",
    "validation",
    "relations",
    "reasoning",
    "release files",
    "answers",
    "diagrams",
    "docs",
)
"""The phases of a build, in the order they start. Where the store answers outside Python's
lock (Oxigraph), the reasoning runs while validation and the relation check do, and the release
files are written by a process beside while the answers, diagrams and documentation are made:
those phases end in another order, each with its own time."""


@dataclass(frozen=True)
class Phase:
    """A phase that finished: its name, how long it took, and what it did in a few words."""

    name: str
    seconds: float
    summary: str


@dataclass(frozen=True)
class PhaseEvent:
    """A phase starting (``phase`` is ``None``) or finished (``phase`` says how it went)."""

    name: str
    kind: Literal["start", "end"]
    phase: Phase | None = None


@dataclass
class BuildResult:
    """What a build did. ``stopped`` is ``None`` when the release was written, else why not."""

    output_dir: Path
    engine: str
    stopped: str | None = None
    findings: list[Finding] = field(default_factory=list)
    report: ValidationReport | None = None
    relations: RelationCheck | None = None
    reasoning: ReasoningResult | None = None
    files: list[ReleaseFile] = field(default_factory=list)
    answers: dict[str, tuple[int, str]] = field(default_factory=dict)
    diagrams: list[Path] = field(default_factory=list)
    images: bool = True
    docs: Path | None = None
    stats: Stats | None = None
    phases: list[Phase] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Whether the release was written."""
        return self.stopped is None


class _Phases:
    def __init__(self, result: BuildResult, on_phase: Callable[[PhaseEvent], None] | None):
        self.result = result
        self.on_phase = on_phase
        self.summary = ""

    def start(self, name: str) -> float:
        """Say that the phase ``name`` starts; when it did."""
        if self.on_phase is not None:
            self.on_phase(PhaseEvent(name, "start"))
        return time.perf_counter()

    def end(self, name: str, seconds: float, summary: str) -> None:
        """Say that the phase ``name`` ended, after ``seconds``."""
        phase = Phase(name, seconds, summary)
        self.result.phases.append(phase)
        if self.on_phase is not None:
            self.on_phase(PhaseEvent(name, "end", phase))

    @contextmanager
    def run(self, name: str) -> Iterator[_Phases]:
        started = self.start(name)
        self.summary = ""
        yield self
        self.end(name, time.perf_counter() - started, self.summary)


def build(
    files: Sequence[Path | str] = (),
    *,
    output_dir: Path | str = "dist",
    bundled: bool = True,
    engine: Engine | str = "auto",
    store_path: Path | str | None = None,
    store: Store | None = None,
    reasoner: str = "auto",
    timeout: float = DEFAULT_TIMEOUT,
    java_memory_mb: int = DEFAULT_JAVA_MEMORY_MB,
    cytokines: Sequence[str] = (),
    on_phase: Callable[[PhaseEvent], None] | None = None,
) -> BuildResult:
    """Build the release of the bundled data (unless ``bundled`` is false) and ``files`` into
    ``output_dir``, on the engine ``engine`` names (``auto``: Oxigraph from 5 MB of data files)
    or in ``store`` when one is given (it then gains the reasoner's inferences).

    ``cytokines`` (IRIs or CURIEs): the causal diagrams to draw; by default those of the few
    proteins with most claims about processes, and one overview.

    :raises InputError: a file is missing or malformed.
    :raises UsageError: an unknown engine or reasoner, or a cytokine that has no claims.
    :raises ReasonerError: the reasoner crashed, ran out of time or of memory.
    :raises ExportError: a release file cannot be written.
    """
    started = time.perf_counter()
    directory = Path(output_dir)
    result = BuildResult(directory, engine="")
    phases = _Phases(result, on_phase)
    with phases.run("load") as phase:
        if store is None:
            store = open_store(list(files), engine, store_path, bundled=bundled)
        result.engine = store.engine
        phase.summary = f"{len(store):,} statements in {store.engine}"
    with phases.run("checks") as phase:
        result.findings = check(store)
        phase.summary = f"{len(result.findings)} structural problem(s)"
    if result.findings:
        return _stopped(result, f"{len(result.findings)} structural problem(s)", started)
    stopped = _validate_and_reason(store, result, phases, reasoner, timeout, java_memory_mb)
    if stopped is not None:
        return _stopped(result, stopped, started)
    assert result.reasoning is not None
    add_inferences(store, result.reasoning)
    _write(store, directory, cytokines, result, phases)
    result.seconds = time.perf_counter() - started
    return result


def _validate_and_reason(
    store: Store,
    result: BuildResult,
    phases: _Phases,
    reasoner: str,
    timeout: float,
    java_memory_mb: int,
) -> str | None:
    """Validate, check the relations and reason (where the engine answers outside Python's
    lock the reasoner works meanwhile, awaited after the relation check; a build stopped before
    waits for it too); why the build stops, or ``None``."""
    run_reasoner = functools.partial(
        _timed,
        functools.partial(
            reason, store, reasoner=reasoner, timeout=timeout, java_memory_mb=java_memory_mb
        ),
    )
    pending = store.beside(run_reasoner)
    if pending.started:
        phases.start("reasoning")
    try:
        with phases.run("validation") as phase:
            report = result.report = validate(store)
            phase.summary = (
                f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s)"
            )
        if not report.passes(strict=False):
            return f"{len(report.violations)} SHACL violation(s)"
        with phases.run("relations") as phase:
            relations = result.relations = check_relations(
                store, reasoner=reasoner, timeout=timeout, java_memory_mb=java_memory_mb
            )
            phase.summary = f"{len(relations.findings)} used against RO ({relations.reasoner})"
        if not relations.ok:
            result.findings = list(relations.findings)
            return f"{len(relations.findings)} relation(s) used against RO"
    finally:
        pending.wait()
    if not pending.started:
        phases.start("reasoning")
    reasoning, seconds = pending.result()
    result.reasoning = reasoning
    summary = f"{reasoning.reasoner}: {len(reasoning.statements):,} inferred triples"
    phases.end("reasoning", seconds, summary)
    return None if reasoning.ok else "the ontology has clashes"


def _write(
    store: Store,
    directory: Path,
    cytokines: Sequence[str],
    result: BuildResult,
    phases: _Phases,
) -> None:
    """The release, the answers, the diagrams and the docs: the release's RDF files are written
    by a process beside this one while the rest is made."""
    release_started = phases.start("release files")
    counted = store.beside(functools.partial(stats, store))
    release = start_release(store, directory)
    try:
        with phases.run("answers") as phase:
            result.answers = _write_answers(store, directory / "answers")
            phase.summary = f"{len(result.answers)} competency queries"
        with phases.run("diagrams") as phase:
            result.images = shutil.which("dot") is not None
            result.diagrams = figures.draw(
                store, directory / "diagrams", cytokines=cytokines, images=result.images
            )
            phase.summary = f"{len(result.diagrams)} files"
        with phases.run("docs") as phase:
            result.docs = write_docs(store.graph("ontology"), directory / "docs")
            phase.summary = str(result.docs)
    except BaseException:
        release.cancel()
        raise
    finally:
        counted.wait()
    result.files = release.finish()
    result.stats = counted.result()
    seconds = time.perf_counter() - release_started
    phases.end("release files", seconds, f"{len(result.files)} files")


_T = TypeVar("_T")


def _timed(function: Callable[[], _T]) -> tuple[_T, float]:
    started = time.perf_counter()
    return function(), time.perf_counter() - started


def _stopped(result: BuildResult, why: str, started: float) -> BuildResult:
    result.stopped = why
    result.seconds = time.perf_counter() - started
    return result


def _write_answers(store: Store, directory: Path) -> dict[str, tuple[int, str]]:
    """Answer every named query with its own defaults, as SPARQL CSV: name -> (rows, question)."""
    queries = named_queries()
    written = {}
    for name, answer in answer_all(store).items():
        write_atomic(directory / f"{name}.csv", write_results(answer, "csv"))
        written[name] = (len(answer.rows), queries[name].question)
    return written
