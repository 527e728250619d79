"""Running a DL reasoner: HermiT through owlready2, Pellet through its OWLAPI loader. The only
module that imports owlready2."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import owlready2
import owlready2.reasoning
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from il32rdf.errors import ReasonerError
from il32rdf.reason.model import DEFAULT_JAVA_MEMORY_MB

_JAVA_LOCK: Final = threading.Lock()  # owlready2's Java settings are module globals


def find_java() -> tuple[str | None, str | None]:
    """``(path, None)`` when a working ``java`` is on ``PATH``, else ``(None, why not)``."""
    java = shutil.which("java")
    if java is None:
        return None, "no java executable on PATH"
    try:
        done = subprocess.run(
            [java, "-version"], capture_output=True, timeout=60, check=False, text=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"java at {java} does not start: {exc}"
    if done.returncode != 0:
        first = (done.stderr or done.stdout).strip().splitlines()[:1]
        return None, f"java at {java} does not start: {' '.join(first) or done.returncode}"
    return java, None


# --- running a DL reasoner --------------------------------------------------------------------


@dataclass
class _Answer:
    consistent: bool
    parents: set[tuple[URIRef, URIRef]] = field(default_factory=set)  # SubClassOf / equivalent
    types: set[tuple[URIRef, URIRef]] = field(default_factory=set)
    unsatisfiable: set[URIRef] = field(default_factory=set)
    edges: set[tuple[URIRef, URIRef, URIRef]] = field(default_factory=set)
    messages: tuple[str, ...] = ()


@dataclass
class _Engine:
    name: str
    java: str
    timeout: float
    memory: int = DEFAULT_JAVA_MEMORY_MB
    runs: int = 0

    def run(self, graph: Graph, *, full: bool = True) -> _Answer:
        self.runs += 1
        if self.name == "pellet":
            return _run_pellet(self, graph)
        return _run_hermit(self, graph, full=full)

    def fail(self, what: str, output: str) -> ReasonerError:
        text = output.strip()
        if "OutOfMemoryError" in text or "heap" in text.lower():
            return ReasonerError(
                f"{self.name} ran out of JVM memory ({self.memory} MB): raise it with "
                f"--java-memory MB (owlready2 JAVA_MEMORY), or use --reasoner owlrl"
            )
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        detail = next((line for line in lines if "Exception" in line or "Error" in line), "")
        detail = detail or (lines[0] if lines else "no message")
        return ReasonerError(
            f"{self.name} {what}: {detail[:300]} (Java {self.java}, memory {self.memory} MB; "
            "change with --java-memory MB)"
        )

    def timed_out(self) -> ReasonerError:
        return ReasonerError(
            f"{self.name} did not finish within {self.timeout:g} s and was stopped: raise "
            f"--timeout SECONDS, or give the JVM more memory with --java-memory MB (now "
            f"{self.memory} MB, owlready2 JAVA_MEMORY), or use --reasoner owlrl"
        )


def _iri(world: Any, storid: object) -> URIRef | None:
    if not isinstance(storid, int) or storid < 0:
        return None
    iri = world._unabbreviate(storid)
    return URIRef(iri) if isinstance(iri, str) else None


def _run_hermit(engine: _Engine, graph: Graph, *, full: bool) -> _Answer:
    data = graph.serialize(format="nt", encoding="utf-8")  # order is irrelevant here
    with _JAVA_LOCK:  # one owlready2 world at a time, whichever thread reasons
        world = owlready2.World()
        try:
            if not _sync_hermit(engine, world, data, full=full):
                return _Answer(consistent=False)
            return _read_inferences(world)
        finally:
            world.close()


def _sync_hermit(engine: _Engine, world: Any, data: bytes, *, full: bool) -> bool:
    """Load ``data`` into ``world`` and run HermiT; ``False`` when it is inconsistent."""
    try:
        # owlready2 prints its warnings (e.g. on a punned property) to stderr: only cli.py prints
        with contextlib.redirect_stderr(io.StringIO()):
            world.get_ontology("urn:il32rdf:reasoner-input").load(
                fileobj=io.BytesIO(data), format="ntriples"
            )
            saved = (owlready2.JAVA_EXE, owlready2.reasoning.JAVA_MEMORY)
            saved_kargs = owlready2.reasoning._subprocess_kargs
            owlready2.JAVA_EXE = engine.java
            owlready2.reasoning.JAVA_MEMORY = engine.memory
            # owlready2 passes this dict to subprocess.check_output: the run's time limit
            owlready2.reasoning._subprocess_kargs = {**saved_kargs, "timeout": engine.timeout}
            try:
                owlready2.sync_reasoner_hermit(
                    world, infer_property_values=full, debug=0, ignore_unsupported_datatypes=True
                )
            finally:
                owlready2.JAVA_EXE, owlready2.reasoning.JAVA_MEMORY = saved
                owlready2.reasoning._subprocess_kargs = saved_kargs
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    except subprocess.TimeoutExpired:
        raise engine.timed_out() from None
    except owlready2.OwlReadyJavaError as exc:
        raise engine.fail("failed", str(exc)) from None
    except owlready2.OwlReadyError as exc:  # e.g. owlready2 cannot parse what rdflib wrote
        raise ReasonerError(f"owlready2 cannot read the reasoner input: {exc}") from None
    except OSError as exc:
        raise ReasonerError(f"cannot start Java at {engine.java}: {exc}") from None
    return True


def _read_inferences(world: Any) -> _Answer:
    """What owlready2 stored from HermiT's answer (only what was not asserted)."""
    answer = _Answer(consistent=True)
    inferences = world.get_ontology(owlready2.reasoning._INFERRENCES_ONTOLOGY)
    for triple in inferences.get_triples():
        s, p, o = (_iri(world, x) for x in triple[:3])
        if s is None or p is None or o is None:
            continue
        if p == RDFS.subClassOf:
            answer.parents.add((s, o))
        elif p == OWL.equivalentClass:
            if o == OWL.Nothing:
                answer.unsatisfiable.add(s)
            else:
                answer.parents.update({(s, o), (o, s)})
        elif p == RDF.type:
            answer.types.add((s, o))
        elif p not in (RDFS.subPropertyOf, OWL.equivalentProperty):
            answer.edges.add((s, p, o))
    return answer


_PELLET_TREE: Final = re.compile(r"^( *)(\S.*?)(?: - \((.*)\))?$")


def _run_pellet(engine: _Engine, graph: Graph) -> _Answer:
    classpath = owlready2.reasoning._PELLET_CLASSPATH
    with tempfile.TemporaryDirectory(prefix="il32rdf-pellet-") as tmp:
        path = Path(tmp) / "input.owl"
        path.write_bytes(graph.serialize(format="xml", encoding="utf-8"))
        command = [
            engine.java,
            f"-Xmx{engine.memory}M",
            "-cp",
            classpath,
            "pellet.Pellet",
            "realize",
            "--loader",
            "OWLAPI",
            "--ignore-imports",
            path.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=engine.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise engine.timed_out() from None
        except OSError as exc:
            raise ReasonerError(f"cannot start Java at {engine.java}: {exc}") from None
    if "inconsistent" in (done.stdout + done.stderr).lower():
        return _Answer(consistent=False)
    if done.returncode != 0:
        raise engine.fail("failed", done.stderr or done.stdout)
    answer = _Answer(consistent=True)
    stack: list[tuple[int, list[URIRef]]] = []
    for line in done.stdout.splitlines():
        match = _PELLET_TREE.match(line)
        if not match or not match[2].startswith(("http", "urn:")):
            continue
        depth = len(match[1])
        names = [URIRef(name.strip()) for name in match[2].split(" = ")]
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if OWL.Nothing in names:
            answer.unsatisfiable.update(n for n in names if n != OWL.Nothing)
        for a in names:
            for b in names:
                if a != b:
                    answer.parents.add((a, b))
            if stack:
                for parent in stack[-1][1]:
                    answer.parents.add((a, parent))
        if match[3]:
            for individual in match[3].split(", "):
                if individual.startswith(("http", "urn:")):
                    for name in names:
                        answer.types.add((URIRef(individual), name))
        stack.append((depth, names))
    return answer
