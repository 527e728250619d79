"""One command: il32rdf's two engines side by side with the tools a user would otherwise pick.

    python benchmarks/peers.py --sizes 10000 100000 1000000 --json results.json

For each size the seeded graph is generated (benchmarks/generate.py, seed 1, 10 injected
violations) into ``--work`` (reused when it is already there) and converted once to N-Triples
by the oxigraph CLI, so that every tool reads the same file. Then, on that file:

- **il32rdf-rdflib** and **il32rdf-oxigraph** (``il32rdf.store.open_store``, the
  bundled ontology and facts included): each phase (load; the named queries; validation; Turtle
  export) runs in a fresh Python process, which loads the graph and then does the phase. The
  time is measured inside that process and excludes the load (except for the load phase); the
  peak memory is that process's maximum resident set (GNU ``/usr/bin/time``, else ``wait4``),
  so it includes the load. Peers are measured the same way.
- **oxigraph CLI** (the ``oxigraph`` binary beside ``sys.executable``): ``oxigraph load`` into
  a fresh on-disk store (the file into the facts graph; the bundled files and the inferred edges
  are then added untimed, so the queries see the same data), ``oxigraph query
  --union-default-graph`` for each named query with its parameters written into the text (as
  benchmarks/query_bench.py does), ``oxigraph dump`` of the facts graph to Turtle. These times
  are the wall times of the processes: they include start-up and opening the store.
- **serdi**: parsing the N-Triples (writing N-Triples to /dev/null) and writing Turtle.
- **jena** (Debian's ``libapache-jena-java``): ``tdb2.tdbloader``, ``tdb2.tdbquery`` and
  ``riot --output=turtle``. Debian's Jena 4.5 moved its bundled Xerces classes to the package
  ``xerces`` but left their message files under ``org/apache/jena/ext/xerces``, so it fails at
  start-up ("internal error" in ``XSSimpleTypeDecl``); the benchmark copies those files to where
  the classes look for them, in ``--work``, and puts that directory on the class path.
- **publish**: ``il32rdf publish`` (``--store`` each engine, when publish has that option) of
  the file into a fresh ``oxigraph serve`` against a plain
  HTTP upload (``curl -X PUT``) of the same file into the Graph Store endpoint of another fresh
  server.

Each phase has a time limit (``--timeout``; a query or a phase that exceeds it is recorded as
``timeout``). Prints one Markdown table with the ratios the scale issue targets; ``--json FILE``
also writes every number. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any, Final

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from query_bench import BUSIEST, _inline  # noqa: E402

from il32rdf.dataset import GRAPH_NAMES  # noqa: E402
from il32rdf.files import write_atomic  # noqa: E402
from il32rdf.query import bind_parameters, named_queries  # noqa: E402
from il32rdf.resources import fact_files, ontology_files  # noqa: E402
from il32rdf.store.base import well_formed_claims  # noqa: E402
from il32rdf.vocab import PREFIXES  # noqa: E402

OX, RL, CLI, SERDI, JENA = "il32rdf-oxigraph", "il32rdf-rdflib", "oxigraph CLI", "serdi", "jena"
TOOLS = (OX, RL, CLI, SERDI, JENA)
ENGINES = {"oxigraph": OX, "rdflib": RL}
PEERS = ("oxigraph", "serdi", "jena", "http")
LOAD, VALIDATE, EXPORT, PUBLISH = "load", "validate", "export turtle", "publish"
VIOLATIONS = 10
"""Defects generate.py injects, each one sh:Violation: the engines must report the same ones."""
STARTUP = "oxigraph query ASK {}"
PUBLISH_GRAPH = "https://w3id.org/il32rdf/graph/benchmark"
FACTS = str(GRAPH_NAMES["facts"])

TARGETS = {
    "ox_vs_cli": ("oxigraph engine / peer", "<=", 2.0),
    "rdflib_vs_ox": ("rdflib / oxigraph engine", ">=", 10.0),
    "peak": ("oxigraph engine peak MB", "<", 1000.0),
}


LEGEND = """
Each cell: time, peak resident memory of the process. il32rdf: time inside a fresh process,
after its load (the load row: the load itself); peak: that process, load included. Peers: wall
time of the process, start-up included. publish row: `il32rdf publish` against `curl -X PUT` of
the same file into the same kind of fresh `oxigraph serve` (in the oxigraph CLI column). The
validate row compares pySHACL (rdflib) with the SPARQL-compiled shapes (Oxigraph). rows: the
answer rows when every tool agrees; validate: the number of results and whether both reports
are identical; export: whether both engines wrote the same bytes."""


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Cells: one measurement
# ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One tool doing one operation: ``status`` is ok, timeout, error or n/a."""

    status: str
    seconds: float | None = None
    peak_mb: float | None = None
    note: str = ""
    rows: int | None = None
    """Answer rows, validation results, or bytes written (export)."""
    digest: str = ""
    """The SHA-256 of the Turtle an engine exported (they must be identical)."""

    def text(self) -> str:
        if self.status == "ok" and self.seconds is not None:
            peak = f" · {self.peak_mb:,.0f} MB" if self.peak_mb is not None else ""
            return f"{_secs(self.seconds)}{peak}"
        if self.status == "timeout":
            return "timeout"
        return f"{self.status} ({self.note})" if self.note else self.status


def _secs(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


# ---------------------------------------------------------------------------------------------
# Running a process with a time limit, measuring its own peak memory
# ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    """A finished (or killed) process: wall seconds, peak resident MB, exit code, events."""

    seconds: float
    peak_mb: float | None
    code: int
    timed_out: bool
    events: list[dict[str, Any]]
    error: str


GNU_TIME = Path("/usr/bin/time")
"""GNU time reports the peak memory of the command alone. Without it the peak comes from
``wait4``, which also counts the pages this (large) process had when it forked the child."""


def _reap(proc: subprocess.Popen[str], block: bool) -> tuple[int, float] | None:
    """``wait4`` on the process: (exit code, peak MB of that process alone), or None if running."""
    pid, status, usage = os.wait4(proc.pid, 0 if block else os.WNOHANG)
    if pid == 0:
        return None
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped here, not by Popen
    return code, usage.ru_maxrss / 1024


def _wait_or_kill(proc: subprocess.Popen[str], timeout: float) -> tuple[int, float, bool]:
    """Wait for the process; kill its group after ``timeout`` s. (code, peak MB, killed)."""
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)

    timer = threading.Timer(max(0.0, timeout), kill)
    timer.start()
    try:
        reaped = _reap(proc, block=True)
    finally:
        timer.cancel()
    assert reaped is not None
    return (*reaped, killed.is_set())


def _follow(
    proc: subprocess.Popen[str], timeout: float, got: list[dict[str, Any]]
) -> tuple[int, float, bool]:
    """Collect the JSON lines the process prints; kill it when one is ``timeout`` s late."""
    assert proc.stdout is not None
    pipe, lines = proc.stdout, queue.Queue[str | None]()

    def pump() -> None:
        for line in pipe:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.perf_counter() + timeout
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
        except queue.Empty:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            reaped = _reap(proc, block=True)
            killed = True
            break
        if line is None:  # end of output: the process is ending
            reaped, killed = _reap(proc, block=True), False
            break
        if line.strip():
            got.append(json.loads(line))
        deadline = time.perf_counter() + timeout
    pipe.close()
    assert reaped is not None
    return (*reaped, killed)


def run_process(
    argv: Sequence[str],
    timeout: float,
    *,
    stdout: Path | None = None,
    events: bool = False,
    log: Path | None = None,
) -> Run:
    """Run ``argv``; with ``events`` read JSON lines from its stdout, each one resetting the limit.

    Without ``events`` the whole process gets ``timeout`` seconds; with them, each step does
    (the time to the first event, then between events). Stdout goes to ``stdout`` (default
    /dev/null) unless ``events``; stderr to ``log``.
    """
    err_path = log or Path(tempfile.mkstemp(prefix="peers-", suffix=".log")[1])
    peak_path = Path(tempfile.mkstemp(prefix="peers-", suffix=".rss")[1])
    if GNU_TIME.exists():
        argv = [str(GNU_TIME), "-f", "%M", "-o", str(peak_path), *argv]
    with contextlib.ExitStack() as stack:
        err = stack.enter_context(err_path.open("w"))
        out: IO[str] | int = (
            subprocess.PIPE
            if events
            else (stack.enter_context(stdout.open("w")) if stdout else subprocess.DEVNULL)
        )
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, text=True, start_new_session=True)
        got: list[dict[str, Any]] = []
        if events:
            code, peak, timed_out = _follow(proc, timeout, got)
        else:
            code, peak, timed_out = _wait_or_kill(proc, timeout)
        seconds = time.perf_counter() - started
    with contextlib.suppress(ValueError):  # GNU time's line; none when the process was killed
        lines = peak_path.read_text().split()
        peak = int(lines[-1]) / 1024 if lines else peak
    peak_path.unlink(missing_ok=True)
    error = ""
    if code != 0 and not timed_out:
        said = [x.strip() for x in err_path.read_text(errors="replace").splitlines() if x.strip()]
        said = [x for x in said if "rror" in x or "xception" in x][:1] or said[-1:]
        error = (said[0] if said else f"exit status {code}")[:160]
    if log is None:
        err_path.unlink(missing_ok=True)
    return Run(seconds, None if timed_out else peak, code, timed_out, got, error)


def _query_cells(
    queries: dict[str, str],
    work: Path,
    stem: str,
    command: Callable[[Path], list[str]],
    timeout: float,
) -> dict[str, Cell]:
    """Run each named query with a peer's command (TSV answers); the cell counts the rows."""
    cells: dict[str, Cell] = {}
    for name, text in queries.items():
        qfile = work / f"{name}.rq"
        qfile.write_text(text, encoding="utf-8")
        out = work / f"{stem}.{name}.tsv"
        cell = measure(command(qfile), timeout, stdout=out)
        if cell.status == "ok":
            cell.rows = max(0, len(out.read_text(encoding="utf-8").splitlines()) - 1)
        cells[f"query: {name}"] = cell
        out.unlink(missing_ok=True)
    return cells


def measure(argv: Sequence[str], timeout: float, **kwargs: Any) -> Cell:
    """A peer's cell: the wall time and peak memory of one process."""
    run = run_process(argv, timeout, **kwargs)
    if run.timed_out:
        return Cell("timeout")
    if run.code != 0:
        return Cell("error", note=run.error)
    return Cell("ok", run.seconds, run.peak_mb)


# ---------------------------------------------------------------------------------------------
# The child process: one phase of one il32rdf engine
# ---------------------------------------------------------------------------------------------


def _emit(**event: Any) -> None:
    print(json.dumps(event), flush=True)


def child(spec: dict[str, Any]) -> int:
    """Load the graph with one engine, then do one phase; report JSON events on stdout."""
    from rdflib import Literal, URIRef

    from il32rdf.errors import QueryTimeoutError
    from il32rdf.export import export
    from il32rdf.query import query
    from il32rdf.store import open_store
    from il32rdf.validate import render, validate

    data, engine, phase = Path(spec["data"]), spec["engine"], spec["phase"]
    started = time.perf_counter()
    target: Any
    target = open_store([data], engine)
    _emit(event="loaded", seconds=time.perf_counter() - started, triples=len(target))
    started = time.perf_counter()  # the phase's own time starts here
    if phase == "queries":
        params = {"cytokine": URIRef(spec["cytokine"]), "entity": Literal(spec["label"])}
        for name, named in named_queries().items():
            wanted = {k: v for k, v in params.items() if named.parameter(k) is not None}
            started = time.perf_counter()
            try:
                answer = query(target, named, engine=engine, timeout=spec["timeout"], **wanted)
            except QueryTimeoutError:
                _emit(event="query", name=name, status="timeout")
                continue
            _emit(event="query", name=name, seconds=time.perf_counter() - started, rows=len(answer))
    elif phase == "validate":
        report = validate(target)
        seconds = time.perf_counter() - started
        digest = hashlib.sha256(render(report, "json").encode("utf-8")).hexdigest()
        _emit(event="validate", seconds=seconds, rows=len(report.results), digest=digest)
    elif phase == "export":
        out = Path(spec["out"])
        export(target, "turtle", path=out)
        seconds = time.perf_counter() - started
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        _emit(event="export", seconds=seconds, rows=out.stat().st_size, digest=digest)
        out.unlink()
    return 0


def _child_argv(spec: dict[str, Any]) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]


def engine_phases(
    engine: str, data: Path, params: dict[str, str], work: Path, timeout: float
) -> dict[str, Cell]:
    """Every phase of one engine, each in a fresh process: ``{operation: cell}``."""
    cells: dict[str, Cell] = {}
    names = list(named_queries())
    for phase in ("load", "queries", "validate", "export"):
        spec = {"data": str(data), "engine": engine, "phase": phase, "timeout": timeout}
        spec |= {"out": str(work / f"{data.stem}.{engine}.out.ttl"), **params}
        _log(f"  {ENGINES[engine]}: {phase}")
        log = work / f"{data.stem}.{engine}.{phase}.log"
        run = run_process(_child_argv(spec), timeout, events=True, log=log)
        by_kind = {e["event"]: e for e in run.events}
        done = {e["name"]: e for e in run.events if e["event"] == "query"}
        failure = Cell("timeout") if run.timed_out else Cell("error", note=run.error or "no result")
        if phase == "load":
            loaded = by_kind.get("loaded")
            cells[LOAD] = (
                Cell("ok", loaded["seconds"], run.peak_mb, rows=loaded["triples"])
                if loaded
                else failure
            )
        elif phase == "queries":
            for name in names:
                event = done.get(name)
                if event is None:
                    cells[f"query: {name}"] = failure
                elif event.get("status") == "timeout":
                    cells[f"query: {name}"] = Cell("timeout", peak_mb=run.peak_mb)
                else:
                    cells[f"query: {name}"] = Cell(
                        "ok", event["seconds"], run.peak_mb, rows=event["rows"]
                    )
        else:
            event = by_kind.get(phase)
            op = VALIDATE if phase == "validate" else EXPORT
            cells[op] = (
                Cell("ok", event["seconds"], run.peak_mb, rows=event["rows"]) if event else failure
            )
            if event and "digest" in event:
                cells[op].digest = event["digest"]
        _log(f"    {[(op, c.text()) for op, c in cells.items() if op.startswith(phase[:4])][:3]}")
    return cells


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def oxigraph_binary() -> Path:
    """The ``oxigraph`` CLI installed with the PyPI package, beside this Python."""
    found = Path(sys.executable).parent / "oxigraph"
    return found if found.exists() else Path(shutil.which("oxigraph") or found)


def prepare(size: int, work: Path, oxigraph: Path) -> tuple[Path, dict[str, str]]:
    """The size's N-Triples file in ``work`` (made once) and the query parameters for it."""
    stem = f"g{size}-seed1-v{VIOLATIONS}"
    ttl, nt, meta = (work / f"{stem}.{ext}" for ext in ("ttl", "nt", "params.json"))
    if not ttl.exists():
        _log(f"generating {size:,} triples -> {ttl}")
        text, _ = generate(size, 1, VIOLATIONS)
        write_atomic(ttl, text.encode("utf-8"))
    if not nt.exists():
        _log(f"converting to N-Triples -> {nt}")
        partial = nt.with_suffix(".partial.nt")
        subprocess.run(
            [str(oxigraph), "convert", "--from-file", str(ttl), "--to-file", str(partial)],
            check=True,
            capture_output=True,
        )
        partial.replace(nt)
    if not meta.exists():
        write_atomic(meta, json.dumps(_parameters(nt)).encode("utf-8"))
    return nt, json.loads(meta.read_text(encoding="utf-8"))


def _parameters(nt: Path) -> dict[str, str]:
    """As query_bench.py: the cytokine is the generated protein with the most claims."""
    from rdflib import URIRef

    from il32rdf.query import query
    from il32rdf.store import open_store

    store = open_store([nt], "oxigraph", bundled=False)
    busiest = query(store, BUSIEST).rows[0][0]
    assert isinstance(busiest, URIRef)
    label = query(store, "SELECT ?p ?l WHERE { ?p rdfs:label ?l } ORDER BY ?l LIMIT 1", p=busiest)
    return {"cytokine": str(busiest), "label": str(label.rows[0][1]) if label.rows else ""}


def _bound_queries(params: dict[str, str]) -> dict[str, str]:
    """Each named query's text with its parameters written in (for the CLIs)."""
    from rdflib import Literal, URIRef

    values = {"cytokine": URIRef(params["cytokine"]), "entity": Literal(params["label"])}
    texts = {}
    for name, named in named_queries().items():
        wanted = {k: v for k, v in values.items() if named.parameter(k) is not None}
        texts[name] = _inline(named.text, dict(bind_parameters(named, wanted)))
    return texts


def _bundled() -> list[tuple[list[str], str]]:
    """The bundled files, by the named graph il32rdf loads them into."""
    return [
        ([str(p) for p in ontology_files()], str(GRAPH_NAMES["ontology"])),
        ([str(p) for p in fact_files()], FACTS),
    ]


PLAIN_EDGES: Final = (
    "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    + f"INSERT {{ GRAPH <{GRAPH_NAMES['inferred']}> {{ ?s ?p ?o }} }}\n"
    + f"WHERE {{ {well_formed_claims(in_facts=True, positive_only=True)} }}"
)
"""The inferred graph of il32rdf (the plain edges of positive claims, which il32rdf derives while
it loads: :data:`il32rdf.store.base.CLAIM_EDGES`) as a SPARQL update, for the peers' stores: run
untimed after their load, so that their queries see the same data."""


# ---------------------------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------------------------


def oxigraph_cli(
    binary: Path, data: Path, queries: dict[str, str], work: Path, timeout: float
) -> dict[str, Cell]:
    """``oxigraph load``, ``query`` (each named query) and ``dump`` on a fresh on-disk store."""
    location = work / f"{data.stem}.oxigraph-cli"
    shutil.rmtree(location, ignore_errors=True)
    ox = str(binary)
    cells = {
        LOAD: measure(
            [ox, "load", "--location", str(location), "--file", str(data), "--graph", FACTS],
            timeout,
        )
    }
    _log(f"  {CLI}: load {cells[LOAD].text()}")
    if cells[LOAD].status != "ok":
        return cells
    for paths, graph in _bundled():  # untimed: the same data as il32rdf's, for the queries
        subprocess.run(
            [ox, "load", "--location", str(location), "--graph", graph, "--file", *paths],
            check=True,
            capture_output=True,
        )
    subprocess.run(
        [ox, "update", "--location", str(location), "--update", PLAIN_EDGES],
        check=True,
        capture_output=True,
    )
    cells[STARTUP] = measure(  # what every CLI query below pays before it starts
        [ox, "query", "--location", str(location), "--query", "ASK {}", "--results-format", "tsv"],
        timeout,
    )
    cells.update(
        _query_cells(
            queries,
            work,
            f"{data.stem}.cli",
            lambda qfile: [
                ox, "query", "--location", str(location), "--query-file", str(qfile),
                "--union-default-graph", "--results-format", "tsv",
            ],
            timeout,
        )
    )  # fmt: skip
    out = work / f"{data.stem}.cli-dump.ttl"
    cells[EXPORT] = measure(
        [ox, "dump", "--location", str(location), "--file", str(out), "--graph", FACTS], timeout
    )
    out.unlink(missing_ok=True)
    _log(f"  {CLI}: queries and dump done, dump {cells[EXPORT].text()}")
    shutil.rmtree(location, ignore_errors=True)
    return cells


def serdi(data: Path, work: Path, timeout: float) -> dict[str, Cell]:
    """``serdi`` parsing the N-Triples (load) and writing them as Turtle (export)."""
    binary = shutil.which("serdi")
    if binary is None:
        return {op: Cell("n/a", note="serdi not installed") for op in (LOAD, EXPORT)}
    out = work / f"{data.stem}.serdi.ttl"
    cells = {
        LOAD: measure([binary, "-i", "ntriples", "-o", "ntriples", str(data)], timeout),
        EXPORT: measure([binary, "-i", "ntriples", "-o", "turtle", str(data)], timeout, stdout=out),
    }
    out.unlink(missing_ok=True)
    _log(f"  {SERDI}: load {cells[LOAD].text()}, export {cells[EXPORT].text()}")
    return cells


_VERSIONED = re.compile(r"-[0-9][0-9.]*$")  # jena-core-4.5.0.jar is jena-core.jar again
_JENA_DEPS = (
    *("commons-lang3", "commons-io", "commons-codec", "commons-compress", "commons-csv"),
    *("commons-cli", "guava", "gson", "jackson-core", "jackson-databind", "jackson-annotations"),
    *("slf4j-api", "slf4j-nop", "dexx.collection", "httpclient", "httpcore", "jsonld-java"),
    *("titanium-json-ld", "thrift", "protobuf"),
)


def jena_classpath(work: Path) -> tuple[str | None, str]:
    """Debian Jena's class path, with its Xerces message files moved to where they are looked for.

    Returns (class path, "") when ``riot`` then works on a one-triple file, else (None, why).
    """
    java, jars = shutil.which("java"), Path("/usr/share/java")
    core = jars / "jena-core.jar"
    if java is None or not core.exists():
        return None, "libapache-jena-java not installed"
    fix = work / "jena-xerces-messages"
    if not fix.exists():
        staging = work / "jena-xerces-messages.partial"
        shutil.rmtree(staging, ignore_errors=True)
        prefix = "org/apache/jena/ext/xerces/"
        with zipfile.ZipFile(core) as archive:
            for entry in archive.namelist():
                if entry.startswith(prefix) and entry.endswith(".properties"):
                    target = staging / "xerces" / entry[len(prefix) :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(archive.read(entry))
        staging.replace(fix)
    entries = [str(p) for p in sorted(jars.glob("jena-*.jar")) if not _VERSIONED.search(p.stem)]
    entries += [str(jars / f"{dep}.jar") for dep in _JENA_DEPS if (jars / f"{dep}.jar").exists()]
    classpath = ":".join([*entries, str(fix)])
    probe = work / "jena-probe.nt"
    probe.write_text('<http://example.org/s> <http://example.org/p> "1" .\n', encoding="utf-8")
    done = subprocess.run(
        [java, "-cp", classpath, "riotcmd.riot", "--output=turtle", str(probe)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0 or "example.org" not in done.stdout:
        lines = [x for x in done.stderr.splitlines() if x.strip()]
        return None, f"riot fails: {lines[0][:100] if lines else done.returncode}"
    return classpath, ""


def jena(
    classpath: str, data: Path, queries: dict[str, str], work: Path, timeout: float
) -> dict[str, Cell]:
    """TDB2 load and queries (union default graph), and ``riot`` writing Turtle."""
    java = ["java", "-cp", classpath]
    location = work / f"{data.stem}.tdb2"
    shutil.rmtree(location, ignore_errors=True)
    loc = f"--loc={location}"
    cells = {LOAD: measure([*java, "tdb2.tdbloader", loc, f"--graph={FACTS}", str(data)], timeout)}
    _log(f"  {JENA}: load {cells[LOAD].text()}")
    if cells[LOAD].status == "ok":
        for paths, graph in _bundled():
            subprocess.run(
                [*java, "tdb2.tdbloader", loc, f"--graph={graph}", *paths],
                check=True,
                capture_output=True,
            )
        ufile = work / "plain-edges.ru"
        ufile.write_text(PLAIN_EDGES, encoding="utf-8")
        subprocess.run(
            [*java, "tdb2.tdbupdate", loc, f"--update={ufile}"], check=True, capture_output=True
        )
        cells.update(
            _query_cells(
                queries,
                work,
                f"{data.stem}.jena",
                lambda qfile: [
                    *java, "tdb2.tdbquery", loc, "--set", "tdb:unionDefaultGraph=true",
                    "--results=tsv", f"--query={qfile}",
                ],
                timeout,
            )
        )  # fmt: skip
    out = work / f"{data.stem}.riot.ttl"
    cells[EXPORT] = measure(
        [*java, "riotcmd.riot", "--output=turtle", str(data)], timeout, stdout=out
    )
    out.unlink(missing_ok=True)
    shutil.rmtree(location, ignore_errors=True)
    _log(f"  {JENA}: queries and riot done, riot {cells[EXPORT].text()}")
    return cells


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def oxigraph_server(binary: Path, work: Path, name: str) -> Iterator[str]:
    """A fresh ``oxigraph serve`` on a free local port; yields its base URL; killed after."""
    location = work / f"server-{name}"
    shutil.rmtree(location, ignore_errors=True)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (work / f"server-{name}.log").open("w")
    proc = subprocess.Popen(
        [str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=log,
    )
    try:
        for _ in range(300):
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2),
            ):
                break
            if proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited; see {log.name}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(location, ignore_errors=True)


def publish(
    binary: Path, data: Path, work: Path, timeout: float, engines: list[str]
) -> dict[str, Cell]:
    """``il32rdf publish`` (per engine, if publish has ``--store``) against ``curl -X PUT``."""
    il32rdf_cli = Path(sys.executable).parent / "il32rdf"
    helptext = subprocess.run(
        [str(il32rdf_cli), "publish", "--help"], capture_output=True, text=True
    ).stdout
    cells: dict[str, Cell] = {}
    for engine in engines:
        tool = ENGINES[engine]
        extra = ["--store", engine] if "--store " in helptext else []
        if not extra and engine != "rdflib":
            cells[tool] = Cell("n/a", note="publish has no --store; it loads with rdflib")
            continue
        with oxigraph_server(binary, work, f"publish-{engine}") as base:
            cells[tool] = measure(
                [
                    str(il32rdf_cli),
                    "publish",
                    "--endpoint",
                    f"{base}/query",
                    "--store-type",
                    "oxigraph",
                    "--no-bundled",
                    "--data",
                    str(data),
                    "--graph",
                    PUBLISH_GRAPH,
                    *extra,
                ],
                timeout,
            )
        _log(f"  publish ({tool}): {cells[tool].text()}")
    curl = shutil.which("curl")
    if curl is None:
        cells[CLI] = Cell("n/a", note="curl not installed")
        return cells
    with oxigraph_server(binary, work, "upload") as base:
        cells[CLI] = measure(
            [
                curl,
                "-sS",
                "-f",
                "-X",
                "PUT",
                "-H",
                "Content-Type: application/n-triples",
                "--data-binary",
                f"@{data}",
                f"{base}/store?graph={PUBLISH_GRAPH}",
            ],
            timeout,
        )
    _log(f"  HTTP upload (curl PUT): {cells[CLI].text()}")
    return cells


# ---------------------------------------------------------------------------------------------
# Ratios and the table
# ---------------------------------------------------------------------------------------------


def _ratio(top: Cell | None, bottom: Cell | None) -> float | None:
    if not top or not bottom or top.status != "ok" or bottom.status != "ok":
        return None
    if top.seconds is None or not bottom.seconds:
        return None
    return round(top.seconds / bottom.seconds, 2)


def ratios(op: str, cells: dict[str, Cell]) -> dict[str, dict[str, Any]]:
    """The issue's targets for one row: each ``{"value": float | None, "met": bool | None}``."""
    ox, rl = cells.get(OX), cells.get(RL)
    ours = ox
    if op == PUBLISH:  # whichever il32rdf publish ran, fastest first
        ran = [c for c in (ox, rl) if c and c.status == "ok" and c.seconds is not None]
        ours = min(ran, key=lambda c: c.seconds or 0.0) if ran else ox
    values = {
        "ox_vs_cli": _ratio(ours, cells.get(CLI)),
        "rdflib_vs_ox": None if op == PUBLISH else _ratio(rl, ox),
        "peak": ox.peak_mb if ox and ox.status == "ok" and op != PUBLISH else None,
    }
    out: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        _, sense, limit = TARGETS[key]
        met = None
        if value is not None:
            met = (
                value <= limit
                if sense == "<="
                else value >= limit
                if sense == ">="
                else value < limit
            )
        out[key] = {"value": value, "met": met}
    return out


def _mark(entry: dict[str, Any], peak: bool = False) -> str:
    if entry["value"] is None:
        return "—"
    value = f"{entry['value']:,.0f}" if peak else f"{entry['value']:.2f}"
    return f"{value} {'met' if entry['met'] else 'NOT met'}"


def table(results: dict[str, Any], tools: list[str]) -> str:
    """The Markdown table: a row per size and operation."""
    head = ["triples", "operation", *tools]
    head += [f"{name} (target {sense} {limit:g})" for name, sense, limit in TARGETS.values()]
    head.append("rows")
    lines = ["| " + " | ".join(head) + " |", "|" + "---:|---|" + "---:|" * (len(head) - 2)]
    for size in results["sizes"]:
        for op, row in size["operations"].items():
            cells = [row["cells"][t]["text"] if t in row["cells"] else "—" for t in tools]
            marks = [_mark(row["ratios"][k], peak=k == "peak") for k in TARGETS]
            marks.append(_rows(op, row["cells"]))
            lines.append(f"| {size['triples']:,} | {op} | " + " | ".join(cells + marks) + " |")
    return "\n".join(lines)


def _rows(op: str, cells: dict[str, dict[str, Any]]) -> str:
    """Answer rows (queries) or results (validation): one number when every tool agrees.

    For the export, whether the two engines wrote the same bytes; for validation, also whether
    they reported the same results.
    """
    digests = {c["digest"] for c in cells.values() if c["digest"]}
    same = "" if not digests else "identical" if len(digests) == 1 else "differ"
    if op == EXPORT:
        return same
    if op == VALIDATE and same:
        return f"{_rows('query', cells)}, {same}"
    if not op.startswith("query") and op != VALIDATE:
        return ""
    counts = {t: c["rows"] for t, c in cells.items() if c["rows"] is not None}
    if len(set(counts.values())) <= 1:
        return str(next(iter(counts.values()), ""))
    return "differ: " + ", ".join(f"{t} {n}" for t, n in counts.items())


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def bench_size(size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    """Every tool on one size: the rows of the table for it."""
    oxigraph = oxigraph_binary()
    data, params = prepare(size, work, oxigraph)
    busy = os.getloadavg()[0]  # other work on the machine skews every number: say how much
    triples = sum(1 for _ in data.open("rb"))
    _log(f"size {size:,}: {triples:,} triples in {data.name}; cytokine <{params['cytokine']}>")
    queries = _bound_queries(params)
    by_tool: dict[str, dict[str, Cell]] = {}
    startup = None
    for engine in args.engines:
        by_tool[ENGINES[engine]] = engine_phases(engine, data, params, work, args.timeout)
    if "oxigraph" in args.peers:
        by_tool[CLI] = oxigraph_cli(oxigraph, data, queries, work, args.timeout)
        startup = by_tool[CLI].pop(STARTUP, None)
    if "serdi" in args.peers:
        by_tool[SERDI] = serdi(data, work, args.timeout)
    if "jena" in args.peers:
        classpath, why = jena_classpath(work)
        if classpath is None:
            _log(f"  {JENA}: n/a ({why})")
            by_tool[JENA] = {op: Cell("n/a", note=why) for op in (LOAD, EXPORT)}
        else:
            by_tool[JENA] = jena(classpath, data, queries, work, args.timeout)
    publish_cells = (
        publish(oxigraph, data, work, args.timeout, args.engines) if "http" in args.peers else {}
    )
    ops = [LOAD, *(f"query: {n}" for n in named_queries()), VALIDATE, EXPORT]
    operations: dict[str, Any] = {}
    for op in [*ops, PUBLISH] if publish_cells else ops:
        cells = (
            publish_cells if op == PUBLISH else {t: c[op] for t, c in by_tool.items() if op in c}
        )
        operations[op] = {
            "cells": {t: {**asdict(c), "text": c.text()} for t, c in cells.items()},
            "ratios": ratios(op, cells),
        }
    return {
        "requested": size,
        "triples": triples,
        "file": str(data),
        "params": params,
        "oxigraph_cli_startup_s": startup.seconds if startup else None,
        "load_average": [round(busy, 2), round(os.getloadavg()[0], 2)],
        "operations": operations,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--engines", nargs="+", choices=list(ENGINES), default=list(ENGINES))
    parser.add_argument(
        "--peers", nargs="*", choices=PEERS, default=list(PEERS), help="default: all"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per phase or query")
    parser.add_argument("--work", type=Path, help="cache for the graphs (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(json.loads(args.child))
    with contextlib.ExitStack() as stack:
        work = args.work or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        work.mkdir(parents=True, exist_ok=True)
        work = work.resolve()
        results: dict[str, Any] = {
            "command": " ".join(["python", "benchmarks/peers.py", *(argv or sys.argv[1:])]),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "python": platform.python_version(),
            },
            "targets": {k: {"name": n, "sense": s, "limit": v} for k, (n, s, v) in TARGETS.items()},
            "sizes": [bench_size(size, args, work) for size in args.sizes],
        }
    tools = [
        t
        for t in TOOLS
        if any(t in row["cells"] for s in results["sizes"] for row in s["operations"].values())
    ]
    results["tools"] = tools
    print(table(results, tools))
    print(LEGEND)
    busy = ", ".join(
        f"{s['triples']:,}: {s['load_average'][0]:.1f} → {s['load_average'][1]:.1f}"
        for s in results["sizes"]
    )
    machine = results["machine"]
    print(
        f"{machine['cpus']} CPUs, Python {machine['python']}; load average at start → end: {busy}"
    )
    if args.json:
        write_atomic(args.json, (json.dumps(results, indent=1) + "\n").encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
