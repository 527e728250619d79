"""The main job at scale, side by side with ``oxigraph load`` of the same file, in one run.

    python benchmarks/build_bench.py --sizes 100000 1000000 --work /tmp/build-bench \\
        --baseline /path/to/a/checkout/of/main --json results.json

For each size the seeded graph is generated (benchmarks/generate.py, seed 1, no violation) into
``--work`` (reused when it is there). Then, each in a fresh process, wall time and peak memory
(the most the process and the processes it starts held at once, summed: :class:`_TreeMemory`):

- ``oxigraph load --location DIR --file FILE`` (the CLI beside ``sys.executable``), a fresh store;
- ``il32rdf build --data FILE`` (the default engine: Oxigraph), with the time of each phase
  (from ``--format json``);
- at the sizes listed in ``--compare-engines`` (default 100000): the same build on
  ``--store rdflib``, and whether every release file but the HTML documentation is the same
  bytes from both engines.

And, on the bundled graph: ``il32rdf build`` against the same command of ``--baseline`` (a
checkout of main, run with this interpreter), best of ``--repeat``; and the cold start of
``il32rdf query secretions`` against ``oxigraph query`` on a store of the bundled files (the
median of at least 10 runs each, the package's bytecode cached as an install has it). Prints
one Markdown table per part; ``--json FILE`` keeps every number. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from rdflib import URIRef  # noqa: E402

from il32rdf.files import write_atomic  # noqa: E402
from il32rdf.resources import fact_files, ontology_files  # noqa: E402
from il32rdf.store.sparql import bind_by_values  # noqa: E402
from il32rdf.vocab import PREFIXES  # noqa: E402

BIN = Path(sys.executable).parent
OXIGRAPH = str(BIN / "oxigraph")
IL32RDF = [sys.executable, "-m", "il32rdf"]


def _timed(command: list[str], *, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``command``; its wall time, peak memory and output. The peak is the most that the
    process and every process it started (the build's writer beside it, the JVM of HermiT)
    held at once: the sum of their proportional set sizes (shared pages split between their
    holders), sampled every 0.1 s."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err, text=True, env=env)
        peak = _TreeMemory(process.pid)
        while process.poll() is None:
            peak.sample()
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed ({process.returncode}): {stderr[-2000:]}")
    return {"seconds": round(seconds, 3), "peak_mb": round(peak.most_kb / 1024), "stdout": stdout}


def _walls(command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """The wall times of ``runs`` runs of a short ``command``, measured to the microsecond (the
    sampling loop of :func:`_timed` would round up to its 0.1 s), after one run to warm up."""
    subprocess.run(command, check=True, capture_output=True, env=env)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        times.append(round(time.perf_counter() - started, 4))
    return times


class _TreeMemory:
    """The most memory a process and its descendants held at once (Linux ``/proc``)."""

    def __init__(self, pid: int) -> None:
        self.root = pid
        self.most_kb = 0

    def sample(self) -> None:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parents[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
        tree, grown = {self.root}, True
        while grown:
            more = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= more
            grown = bool(more)
        self.most_kb = max(self.most_kb, sum(map(_pss_kb, tree)))


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _release_digests(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.parent.name != "docs"
    }


def _build(data: Path | None, out: Path, *extra: str, cwd_python: list[str] = IL32RDF,
           env: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    args = [*cwd_python, "build", "-o", str(out), "--format", "json", *extra]
    if data is not None:
        args += ["--data", str(data)]
    run = _timed(args, env=env)
    summary = json.loads(run.pop("stdout"))
    run["phases"] = {p["name"]: p["seconds"] for p in summary.get("phases", [])}
    run["engine"] = summary.get("engine")
    return run


def sizes_part(sizes: list[int], compare: set[int], work: Path) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        data = work / f"g{size}.ttl"
        if not data.exists():
            text, _ = generate(size, seed=1, violations=0)
            write_atomic(data, text.encode("utf-8"))
        print(f"{size:,} triples: oxigraph load", file=sys.stderr)
        with tempfile.TemporaryDirectory(dir=work) as scratch:
            load = _timed([OXIGRAPH, "load", "--location", scratch, "--file", str(data)])
        load.pop("stdout")
        print(f"{size:,} triples: il32rdf build", file=sys.stderr)
        out = work / f"release-{size}"
        build = _build(data, out)
        row: dict[str, Any] = {"triples": size, "oxigraph_load": load, "build": build}
        row["ratio"] = round(build["seconds"] / load["seconds"], 1)
        if size in compare:
            print(f"{size:,} triples: il32rdf build --store rdflib", file=sys.stderr)
            other = work / f"release-{size}-rdflib"
            row["build_rdflib"] = _build(data, other, "--store", "rdflib")
            same = _release_digests(out) == _release_digests(other)
            row["same_bytes"] = same
        rows.append(row)
    return rows


def bundled_part(baseline: Path | None, repeat: int, work: Path) -> dict[str, Any]:
    result: dict[str, Any] = {}
    runs = [_build(None, work / "release-bundled")["seconds"] for _ in range(repeat)]
    result["build"] = min(runs)
    if baseline is not None:
        env = {**os.environ, "PYTHONPATH": str(baseline)}
        before = [
            _build(None, work / "release-bundled-main", env=env)["seconds"] for _ in range(repeat)
        ]
        result["build_main"] = min(before)
    with tempfile.TemporaryDirectory(dir=work) as store:
        for path in [*ontology_files(), *fact_files()]:
            subprocess.run([OXIGRAPH, "load", "--location", store, "--file", str(path)], check=True,
                           capture_output=True)  # fmt: skip
        text = (Path(__file__).parents[1] / "il32rdf" / "queries" / "secretions.rq").read_text()
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        bound = bind_by_values(text, {"cytokine": URIRef("http://purl.uniprot.org/uniprot/P24001")})
        assert bound is not None
        query = prologue + bound
        # as installed: the bytecode of the package is cached (pip compiles it at install; a
        # checkout writes it on the first run), which PYTHONDONTWRITEBYTECODE would forbid
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        ours = _walls([*IL32RDF, "query", "secretions"], max(repeat, 10), env)
        theirs = _walls([OXIGRAPH, "query", "--location", store, "--query", query,
                         "--results-format", "tsv", "--union-default-graph"],
                        max(repeat, 10), env)  # fmt: skip
    result["query_secretions"] = statistics.median(ours)
    result["oxigraph_query"] = statistics.median(theirs)
    result["query_secretions_runs"] = ours
    result["oxigraph_query_runs"] = theirs
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--compare-engines", type=int, nargs="*", default=[100_000])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "build-bench")
    parser.add_argument("--baseline", type=Path, help="a checkout of main, for the bundled build")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the bundled measures")
    parser.add_argument("--json", type=Path, help="write every number here")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"load_average": os.getloadavg()}
    results["sizes"] = sizes_part(args.sizes, set(args.compare_engines), args.work)
    if args.json is not None:  # what is measured is kept, whatever comes next
        write_atomic(args.json, (json.dumps(results, indent=1) + "\n").encode("utf-8"))
    results["bundled"] = bundled_part(args.baseline, args.repeat, args.work)
    if args.json is not None:
        write_atomic(args.json, (json.dumps(results, indent=1) + "\n").encode("utf-8"))
    if results["sizes"]:
        _print_sizes(results["sizes"])
    bundled = results["bundled"]
    print(f"bundled build: {bundled['build']:.2f} s (main: {bundled.get('build_main', '—')})")
    print(
        f"cold start, query secretions: {bundled['query_secretions']:.3f} s"
        f" (oxigraph query: {bundled['oxigraph_query']:.3f} s), medians of"
        f" {len(bundled['query_secretions_runs'])} runs"
    )
    print(f"load average: {results['load_average']}")
    return 0


def _print_sizes(sizes: list[dict[str, Any]]) -> None:
    print("| triples | oxigraph load | il32rdf build | build / load | rdflib build | same bytes |")
    print("|---:|---:|---:|---:|---:|---|")
    for row in sizes:
        load, build = row["oxigraph_load"], row["build"]
        rdflib = row.get("build_rdflib")
        other = f"{rdflib['seconds']:.1f} s · {rdflib['peak_mb']:,} MB" if rdflib else "—"
        print(
            f"| {row['triples']:,} | {load['seconds']:.2f} s · {load['peak_mb']:,} MB"
            f" | {build['seconds']:.1f} s · {build['peak_mb']:,} MB | {row['ratio']}x"
            f" | {other} | {row.get('same_bytes', '—')} |"
        )
    print()
    print("| triples | " + " | ".join(sizes[0]["build"]["phases"]) + " |")
    print("|---:|" + "---:|" * len(sizes[0]["build"]["phases"]))
    for row in sizes:
        phases = row["build"]["phases"]
        print(f"| {row['triples']:,} | " + " | ".join(f"{s:.1f}" for s in phases.values()) + " |")
    print()


if __name__ == "__main__":
    raise SystemExit(main())
