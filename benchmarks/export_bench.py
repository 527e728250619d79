"""Measure Turtle export through each engine, against the ``oxigraph dump`` command.

    python benchmarks/export_bench.py --triples 1000000 --rdflib-triples 100000

For each size the graph is generated once (benchmarks/generate.py, seed 1) in ``--work``. Each
measurement runs in a fresh process, under ``/usr/bin/time -v`` for its peak resident memory:

- ``oxigraph dump``: the Oxigraph server's own command line, ``oxigraph load --location DIR
  --file F --graph FACTS`` once, then ``oxigraph dump --location DIR --format ttl --graph FACTS
  --file OUT`` timed (wall clock of the whole command);
- ``il32rdf oxigraph``: ``open_store([F], "oxigraph", DIR)`` (an on-disk store, loaded on a
  first run and reused), then ``export_file(store, "turtle", path, graph="facts")``, timed;
- ``il32rdf oxigraph-memory``: the same with an in-memory store, ``open_store([F], "oxigraph")``;
- ``il32rdf rdflib``: ``il32rdf.load([F])``, then the same ``export_file``, timed;
- ``rdflib longturtle`` (with ``--longturtle``): the previous writer, rdflib's ``longturtle``
  with ``canon=True`` after ``to_canonical_graph``, timed.

The il32rdf facts graph also holds the bundled facts (some 450 triples more). Prints a Markdown
table: seconds of the export alone; seconds of loading and exporting, each in a fresh process
(for il32rdf, the whole process: Python start, imports, load, export); the peak memory of the
export's process (loading included; for ``il32rdf oxigraph``, of a run that reuses the store).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FACTS = "https://w3id.org/il32rdf/graph/facts"


def _timed(command: list[str]) -> tuple[float, int, str]:
    """Run ``command`` under /usr/bin/time -v: (wall seconds, peak RSS in MB, its stdout)."""
    started = time.perf_counter()
    run = subprocess.run(
        ["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - started
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return elapsed, int(match[1]) // 1024 if match else -1, run.stdout


def _child(engine: str, source: Path, store: Path, out: Path) -> None:
    from il32rdf.export import export_file
    from il32rdf.store import open_store

    if engine == "oxigraph":
        data: object = open_store([source], "oxigraph", store)
    elif engine == "oxigraph-memory":
        data = open_store([source], "oxigraph")
    else:
        import il32rdf

        data = il32rdf.load([source])
    started = time.perf_counter()
    if engine == "longturtle":
        from rdflib.compare import to_canonical_graph

        from il32rdf.dataset import graph_by_name

        text = to_canonical_graph(graph_by_name(data, "facts")).serialize(  # type: ignore[arg-type]
            format="longturtle", canon=True
        )
        out.write_text(text, encoding="utf-8")
    else:
        export_file(data, "turtle", out, graph="facts")  # type: ignore[arg-type]
    print(json.dumps({"seconds": time.perf_counter() - started}))


def _measure(triples: int, work: Path, engines: list[str], oxigraph: str) -> list[list[str]]:
    sys.path.insert(0, str(HERE))
    from generate import generate

    source = work / f"g{triples}.ttl"
    if not source.exists():
        source.write_text(generate(triples, 1, 0)[0], encoding="utf-8")
    rows = []
    if "oxigraph-cli" in engines:
        location = work / f"cli-{triples}"
        shutil.rmtree(location, ignore_errors=True)
        load = [oxigraph, "load", "--location", str(location), "--file", str(source)]
        loading, _, _ = _timed([*load, "--graph", FACTS])
        out = work / f"cli-{triples}.ttl"
        command = [oxigraph, "dump", "--location", str(location), "--format", "ttl"]
        seconds, rss, _ = _timed([*command, "--graph", FACTS, "--file", str(out)])
        row = ["oxigraph dump", f"{triples:,}", f"{seconds:.2f}", f"{loading + seconds:.1f}"]
        rows.append([*row, str(rss)])
    for engine in [e for e in engines if e != "oxigraph-cli"]:
        store, out = work / f"store-{triples}", work / f"{engine}-{triples}.ttl"
        command = [sys.executable, __file__, "--child", engine, str(source), str(store), str(out)]
        shutil.rmtree(store, ignore_errors=True)
        total, rss, stdout = _timed(command)  # loads (the on-disk store, for oxigraph)
        if engine == "oxigraph":  # a second run reuses the store: its peak is the export's
            _, rss, stdout = _timed(command)
        seconds = json.loads(stdout)["seconds"]
        name = "rdflib longturtle" if engine == "longturtle" else f"il32rdf {engine}"
        rows.append([name, f"{triples:,}", f"{seconds:.2f}", f"{total:.1f}", str(rss)])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--rdflib-triples", type=int, nargs="*", default=[100_000])
    parser.add_argument("--longturtle", action="store_true", help="also time the old writer")
    parser.add_argument("--work", type=Path, default=Path("/tmp/il32rdf-export-bench"))
    parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or "oxigraph")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        engine, source, store, out = args.child
        _child(engine, Path(source), Path(store), Path(out))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [["writer", "triples", "export s", "load + export s", "peak RSS MB"], ["---"] * 5]
    for size in args.triples:
        engines = ["oxigraph-cli", "oxigraph", "oxigraph-memory"]
        rows += _measure(size, args.work, engines, args.oxigraph)
    for size in args.rdflib_triples:
        engines = ["oxigraph-cli", "oxigraph", "oxigraph-memory", "rdflib"]
        engines += ["longturtle"] * args.longturtle
        rows += _measure(size, args.work, engines, args.oxigraph)
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
