"""Measure how long validation takes, and how much memory, on generated graphs.

    python benchmarks/validate_bench.py --sizes 10000 100000 --violations 10

Each size runs in a fresh Python process (so that peak memory is that size's alone): generate
the graph (benchmarks/generate.py, seed 1), load it with the bundled ontology, validate it, and
check that exactly the injected number of violations was found. Prints a Markdown table.
Peak memory is the process's maximum resident set size (resource.getrusage), which includes
the loaded graph; validation time excludes loading.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _one(triples: int, violations: int) -> dict[str, object]:
    sys.path.insert(0, str(HERE))
    from generate import generate

    import il32rdf
    from il32rdf.validate import validate

    text, injected = generate(triples, 1, violations)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.ttl"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        dataset = il32rdf.load([path])
        loaded = time.perf_counter()
        report = validate(dataset)
        done = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "triples": len(dataset),
        "load_s": round(loaded - started, 2),
        "validate_s": round(done - loaded, 2),
        "peak_rss_mib": round(peak_kib / 1024),
        "violations": len(report.violations),
        "expected": len(injected),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--violations", type=int, default=10)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(_one(args.one, args.violations)))
        return 0
    print(
        "| generated triples | total triples | load (s) | validate (s) | peak RSS (MiB) |"
        " violations found / injected |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    ok = True
    for size in args.sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--violations", str(args.violations)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(child.stdout)
        ok = ok and row["violations"] == row["expected"]
        print(
            f"| {size:,} | {row['triples']:,} | {row['load_s']} | {row['validate_s']} |"
            f" {row['peak_rss_mib']} | {row['violations']} / {row['expected']} |",
            flush=True,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
