"""A user's shapes that the compiler declined before (benchmarks/user-shapes.ttl: no messages,
string lengths, sh:in, sh:closed, sh:xone, nested property shapes, a qualified value shape, a
SPARQL constraint with $this in a FILTER), on the generated graph: pySHACL (the rdflib engine,
and what the Oxigraph engine fell back to) against the same shapes compiled to SPARQL on
Oxigraph, in one run.

    python benchmarks/user_shapes_bench.py --sizes 10000 100000 1000000

Each engine runs in a fresh Python process: load the graph (seed 1, 10 injected defects, the
bundled ontology and facts), then validate it with the user's shapes; the validation is timed
alone. Both reports are rendered to JSON and compared by digest. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHAPES = HERE / "user-shapes.ttl"


def _one(path: Path, engine: str) -> dict[str, object]:
    from il32rdf.store import open_store
    from il32rdf.validate import render, validate

    started = time.perf_counter()
    data = open_store([path], engine)
    loaded = time.perf_counter()
    report = validate(data, shapes=[SHAPES])
    done = time.perf_counter()
    return {
        "load_s": round(loaded - started, 2),
        "validate_s": round(done - loaded, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "results": len(report.results),
        "compiled": report.compiled,
        "digest": hashlib.sha256(render(report, "json").encode("utf-8")).hexdigest()[:12],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--work", type=Path, help="keep the generated graphs here")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one is not None:
        print(json.dumps(_one(Path(args.one[0]), args.one[1])))
        return 0
    sys.path.insert(0, str(HERE))
    from generate import generate

    print(
        "| generated triples | pySHACL (rdflib) validate | compiled (Oxigraph) validate |"
        " ratio | results | compiled | same report |"
    )
    print("|---:|---:|---:|---:|---:|:---:|:---:|")
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            path = work / f"user-shapes-{size}.ttl"
            if not path.exists():
                path.write_text(generate(size, 1, 10)[0], encoding="utf-8")
            rows = {}
            for engine in ("rdflib", "oxigraph"):
                print(f"{size:,} triples: {engine}", file=sys.stderr, flush=True)
                child = subprocess.run(
                    [sys.executable, __file__, "--one", str(path), engine],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                rows[engine] = json.loads(child.stdout.strip().splitlines()[-1])
            slow, fast = rows["rdflib"], rows["oxigraph"]
            agree = slow["digest"] == fast["digest"]
            same = same and agree and bool(fast["compiled"])
            ratio = float(slow["validate_s"]) / max(float(fast["validate_s"]), 0.01)  # type: ignore[arg-type]
            print(
                f"| {size:,} | {slow['validate_s']} s · {slow['peak_rss_mib']} MiB |"
                f" {fast['validate_s']} s · {fast['peak_rss_mib']} MiB | {ratio:.1f}x |"
                f" {fast['results']} | {'yes' if fast['compiled'] else 'no'} |"
                f" {'yes' if agree else 'NO'} |",
                flush=True,
            )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
