"""Time every named query on generated graphs, on rdflib and on Oxigraph (and the oxigraph CLI).

    python benchmarks/query_bench.py --sizes 100000 1000000
    python benchmarks/query_bench.py --sizes 100000 --oxigraph-cli /path/to/oxigraph

For each size: generate the graph (benchmarks/generate.py, seed 1), load it with the bundled
ontology and facts (il32rdf.load), copy it into Oxigraph (engine.to_oxigraph), pick as the
cytokine the generated protein that is the subject of the most claims, and run every named query
``--repeat`` times on each engine through ``il32rdf.query`` (best time reported). The rows of
both engines are compared. With ``--oxigraph-cli`` the same data (N-Quads) is loaded into an
on-disk store with ``oxigraph load`` and each query is run with ``oxigraph query
--union-default-graph``; the parameters are written into that copy of the query text, the only
way to give them to the CLI (``?cytokine`` becomes the IRI, and ``(<iri> AS ?cytokine)`` in the
SELECT clause). The CLI time is the wall time of the process, so it includes its start-up and
the opening of the store; the ``ASK {}`` row measures that overhead alone.

Prints a Markdown table; ``--json FILE`` also writes the numbers.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from rdflib import URIRef  # noqa: E402

import il32rdf  # noqa: E402
from il32rdf.errors import QueryTimeoutError  # noqa: E402
from il32rdf.query import bind_parameters, named_queries, query  # noqa: E402
from il32rdf.results import term_to_ntriples  # noqa: E402
from il32rdf.store import OxigraphStore, as_store  # noqa: E402

BUSIEST = """
SELECT ?protein (COUNT(?claim) AS ?n) WHERE {
  ?claim a il32:Claim ; rdf:subject ?protein .
  ?protein a up:Protein .
  FILTER(STRSTARTS(STR(?protein), "http://purl.uniprot.org/uniprot/"))
} GROUP BY ?protein ORDER BY DESC(?n) ?protein LIMIT 1
"""


def _best(run: object, repeat: int) -> tuple[float, object]:
    best, answer = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = run()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best, answer


def _inline(text: str, bindings: dict[str, object]) -> str:
    """The query with its parameters written in, for the oxigraph CLI (benchmark only)."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    head, where, body = re.split(r"(\bWHERE\b)", code, maxsplit=1, flags=re.IGNORECASE)
    for name, term in bindings.items():
        value = term_to_ntriples(term)  # type: ignore[arg-type]
        pattern = rf"\?{name}\b"
        if not re.search(pattern, code):
            continue
        select, sep, rest = head.rpartition("SELECT")
        rest = re.sub(pattern, f"({value} AS ?{name})", rest)
        head = select + sep + rest
        body = re.sub(pattern, lambda _m, v=value: v, body)
    return head + where + body


def _cli(binary: str, location: Path, text: str) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            binary,
            "query",
            "--location",
            str(location),
            "--union-default-graph",
            "--results-format",
            "tsv",
            "--query",
            text,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    return elapsed, max(0, len(done.stdout.splitlines()) - 1)


def bench(size: int, repeat: int, timeout: float, cli: str | None) -> list[dict[str, object]]:
    text, _ = generate(size, 1, 0)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.ttl"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        dataset = il32rdf.load([path])
        load_s = time.perf_counter() - started
        started = time.perf_counter()
        store = as_store(dataset, "oxigraph")
        copy_s = time.perf_counter() - started
        print(
            f"# {size:,} requested: {len(store):,} quads; rdflib load {load_s:.1f} s, "
            f"copy into Oxigraph {copy_s:.1f} s",
            file=sys.stderr,
        )
        busiest = query(store, BUSIEST).rows[0][0]
        assert isinstance(busiest, URIRef)
        label = query(
            store, "SELECT ?p ?l WHERE { ?p rdfs:label ?l } ORDER BY ?l LIMIT 1", p=busiest
        )
        params: dict[str, object] = {"cytokine": busiest}
        location = None
        if cli:
            location = Path(tmp) / "store"
            nq = Path(tmp) / "graph.nq"
            nq.write_bytes(_nquads(store))
            subprocess.run(
                [cli, "load", "--location", str(location), "--file", str(nq)],
                check=True,
                capture_output=True,
            )
            overhead, _ = _cli(cli, location, "ASK {}")
            rows.append({"size": len(store), "query": "ASK {} (CLI start-up)", "cli_s": overhead})
        for name, named in named_queries().items():
            these = dict(params)
            if name == "describe":
                # by label: the case-insensitive name match, the costly way in
                these["entity"] = label.rows[0][1] if label.rows else busiest
            wanted = {k: v for k, v in these.items() if named.parameter(k) is not None}
            row: dict[str, object] = {"size": len(store), "query": name}
            try:
                ox_s, ox_answer = _best(lambda q=named, w=wanted: query(store, q, **w), repeat)
                row["oxigraph_s"] = ox_s
                row["rows"] = len(ox_answer)  # type: ignore[arg-type]
            except QueryTimeoutError:
                row["oxigraph_s"] = None
            try:
                rl_s, rl_answer = _best(
                    lambda q=named, w=wanted: query(dataset, q, timeout=timeout, **w),
                    1 if size > 200_000 else repeat,
                )
                row["rdflib_s"] = rl_s
                row["same_rows"] = rl_answer.rows == ox_answer.rows  # type: ignore[attr-defined]
            except QueryTimeoutError:
                row["rdflib_s"] = None
            if cli and location is not None:
                bound = bind_parameters(named, wanted)  # type: ignore[arg-type]
                cli_s, cli_rows = _cli(cli, location, _inline(named.text, dict(bound)))
                row["cli_s"] = cli_s
                row["cli_rows"] = cli_rows
            rows.append(row)
            print(row, file=sys.stderr)
    return rows


def _nquads(store: OxigraphStore) -> bytes:
    import pyoxigraph  # benchmark only: il32rdf's own code imports it in engine.py alone

    return pyoxigraph.serialize(store._store, format=pyoxigraph.RdfFormat.N_QUADS)  # type: ignore[no-any-return]


def _fmt(value: object) -> str:
    if value is None:
        return "timeout"
    if isinstance(value, float):
        return f"{value * 1000:,.1f}" if value < 10 else f"{value * 1000:,.0f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; best is kept")
    parser.add_argument("--timeout", type=float, default=600, help="per rdflib query (s)")
    parser.add_argument("--oxigraph-cli", metavar="PATH", help="the oxigraph binary, to compare")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args(argv)
    rows: list[dict[str, object]] = []
    for size in args.sizes:
        rows += bench(size, args.repeat, args.timeout, args.oxigraph_cli)
    print("| quads | query | rows | rdflib ms | Oxigraph ms | same rows | oxigraph CLI ms |")
    print("|---:|---|---:|---:|---:|:---:|---:|")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['query']} | {_fmt(r.get('rows', ''))} | "
            f"{_fmt(r.get('rdflib_s', ''))} | {_fmt(r.get('oxigraph_s', ''))} | "
            f"{_fmt(r.get('same_rows', ''))} | {_fmt(r.get('cli_s', ''))} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
