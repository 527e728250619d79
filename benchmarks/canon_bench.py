"""Measure canonical blank-node labelling: il32rdf's (il32rdf/canon.py) against pyoxigraph's
RDFC-1.0 and rdflib's ``to_canonical_graph``, on the graphs the writers meet.

    python benchmarks/canon_bench.py --triples 10000 100000 --timeout 120

Cases:

- ``W3C suites``: every file of ../shared/conformance/rdf that parses (the inputs of the
  positive tests of Turtle, N-Triples, N-Quads, TriG and RDF/XML, and the expected results),
  labelled one after the other (rdflib labels graphs only: it gets each dataset's union);
- ``generate.py N``: benchmarks/generate.py's graph of N triples with the bundled ontology and
  facts, as ``il32rdf export`` writes it (the ontology's blank nodes: restrictions, lists);
- ``two 200-deep twin chains`` (402 triples), ``a 2,500-deep chain``: the shapes that stalled
  the writers before (issue 17);
- ``a 200-node cycle``: a large symmetric tangle of blank nodes, the worst case of refinement.

Each (case, tool) runs in a fresh process that builds the input first and then times the
labelling alone; a run past ``--timeout`` seconds is stopped and shown as such. Prints a
Markdown table of seconds and of each tool's time over il32rdf's, and writes the results to
``--json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SUITES = HERE.parent.parent / "shared" / "conformance" / "rdf"
TOOLS = ("il32rdf", "pyoxigraph RDFC-1.0", "rdflib to_canonical_graph")
Quad = tuple[str, str, str, str]


def _suite_datasets() -> list[list[Quad]]:
    import pyoxigraph as ox

    found = []
    for path in sorted(SUITES.rglob("*")):
        fmt = ox.RdfFormat.from_extension(path.suffix[1:]) if path.suffix else None
        if fmt is None and path.suffix == ".rdf":
            fmt = ox.RdfFormat.RDF_XML
        if fmt is None or path.name == "manifest.ttl":
            continue
        try:
            quads = list(ox.parse(path=str(path), format=fmt, base_iri=path.as_uri()))
        except (SyntaxError, ValueError):  # a negative test's input
            continue
        found.append([_quad(q) for q in quads])
    return found


def _quad(q: Any) -> Quad:
    import pyoxigraph as ox

    graph = "" if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name)
    return str(q.subject), str(q.predicate), str(q.object), graph


def _generated(triples: int, work: Path) -> list[list[Quad]]:
    sys.path.insert(0, str(HERE))
    from generate import generate  # type: ignore[import-not-found]

    from il32rdf.store import open_store

    path = work / f"canon-g{triples}.ttl"
    if not path.exists():
        text, _ = generate(triples, 1, 0)
        path.write_text(text, encoding="utf-8")
    lines = open_store([path], "oxigraph").lines("all")
    return [[(*line.split(" ", 2), "") for line in lines]]  # type: ignore[misc]


def _chains(depth: int, count: int) -> list[list[Quad]]:
    quads = []
    for c in range(count):
        previous = "<http://example.org/s>"
        for i in range(depth):
            node = f"_:c{c}x{i}"
            quads.append((previous, "<http://example.org/next>", node, ""))
            previous = node
        quads.append((previous, "<http://example.org/next>", '"end"', ""))
    return [quads]


def _cycle(n: int) -> list[list[Quad]]:
    return [[(f"_:n{i}", "<http://example.org/p>", f"_:n{(i + 1) % n}", "") for i in range(n)]]


def _case(name: str, work: Path) -> list[list[Quad]]:
    if name == "W3C suites":
        return _suite_datasets()
    if name.startswith("generate.py "):
        return _generated(int(name.split()[1].replace(",", "")), work)
    if name == "two 200-deep twin chains":
        return _chains(200, 2)
    if name == "a 2,500-deep chain":
        return _chains(2500, 1)
    if name == "a 200-node cycle":
        return _cycle(200)
    raise SystemExit(f"unknown case {name!r}")


def _child(case: str, tool: str, work: Path) -> None:
    """Build the inputs of ``case`` for ``tool``, then time the labelling; print seconds."""
    datasets = [d for d in _case(case, work) if d]
    if tool == "il32rdf":
        from il32rdf.canon import blank_labels

        started = time.perf_counter()
        for quads in datasets:
            blank_labels(quads)
    elif tool == "pyoxigraph RDFC-1.0":
        import pyoxigraph as ox

        text = ["".join(f"{s} {p} {o} {g} .\n" for s, p, o, g in d) for d in datasets]
        inputs = [ox.Dataset(ox.parse(t, ox.RdfFormat.N_QUADS)) for t in text]
        started = time.perf_counter()
        for dataset in inputs:
            dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    else:
        import pyoxigraph as ox
        from rdflib import Graph
        from rdflib.compare import to_canonical_graph

        from il32rdf.store.oxterms import quiet_rdflib, rdflib_triple

        graphs = []
        for d in datasets:  # the terms as il32rdf's rdflib engine makes them
            text = "".join(f"{s} {p} {o} .\n" for s, p, o, _ in d)
            graph = Graph()
            with quiet_rdflib():
                graph.addN(
                    (*rdflib_triple(q), graph) for q in ox.parse(text, ox.RdfFormat.N_TRIPLES)
                )
            graphs.append(graph)
        started = time.perf_counter()
        for graph in graphs:
            to_canonical_graph(graph)
    seconds = time.perf_counter() - started
    blank = sum(len({t for q in d for t in q if t.startswith("_:")}) for d in datasets)
    print(json.dumps({"seconds": seconds, "graphs": len(datasets), "blank_nodes": blank}))


def _measure(case: str, tool: str, work: Path, timeout: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", case, tool, "--work", str(work)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"stopped_after": timeout}
    result: dict[str, Any] = json.loads(run.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/il32rdf-canon-bench"))
    parser.add_argument("--json", type=Path, default=HERE / "canon_bench_results.json")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "TOOL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.child:
        _child(*args.child, args.work)
        return
    cases = [
        "W3C suites",
        *(f"generate.py {n:,}" for n in args.triples),
        "two 200-deep twin chains",
        "a 2,500-deep chain",
        "a 200-node cycle",
    ]
    results: dict[str, dict[str, Any]] = {}
    print("| graph | blank nodes | " + " | ".join(TOOLS) + " |")
    print("|---|---:|" + "---:|" * len(TOOLS))
    for case in cases:
        results[case] = {tool: _measure(case, tool, args.work, args.timeout) for tool in TOOLS}
        ours = results[case]["il32rdf"]
        cells = []
        for tool in TOOLS:
            found = results[case][tool]
            if "seconds" not in found:
                cells.append(f"stopped at {found['stopped_after']:.0f} s")
                continue
            ratio = f" ({found['seconds'] / ours['seconds']:.1f}x)" if tool != "il32rdf" else ""
            cells.append(f"{found['seconds']:.3f} s{ratio}")
        blank = ours.get("blank_nodes", "?")
        graphs = ours.get("graphs", 1)
        label = f"{case} ({graphs} graphs)" if graphs > 1 else case
        print(f"| {label} | {blank:,} | " + " | ".join(cells) + " |", flush=True)
    args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
