"""HTTP load on `il32rdf serve` against `oxigraph serve-read-only`, in one run, same data.

Both serve the same release (built here with `il32rdf build`, served by `il32rdf serve DIR`
and loaded into Oxigraph from its il32.nq) on 127.0.0.1 and get the same SPARQL by GET. The
routes Oxigraph has no equivalent of are set against the query that gives their content: a
named query against its SPARQL text with the defaults bound, a dereferenced IRI against the
DESCRIBE of that IRI. "distinct" sends a new query text every time (LIMIT n, n counting up),
so no answer is ever repeated; every other request is sent once before it is measured, on both
servers. Load comes from `wrk` (Debian package `wrk`) with --latency.

    python benchmarks/serve_bench.py [--duration 10] [--connections 8]

Prints a Markdown table: requests per second, latency percentiles, and il32rdf's rate as a
share of Oxigraph's on the same request.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

PROLOGUE = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX il32: <https://w3id.org/il32rdf/ontology/>
"""
SELECT = (
    PROLOGUE
    + """SELECT ?cell ?cell_label ?molecule ?molecule_label WHERE {
  ?claim a il32:Claim ; rdf:subject <http://purl.uniprot.org/uniprot/P24001> ;
         il32:negated false ; il32:cellType ?cell ; il32:producedMolecule ?molecule .
  ?cell rdfs:label ?cell_label . ?molecule rdfs:label ?molecule_label .
} ORDER BY ?cell ?molecule"""
)
FACT = "https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation"
DESCRIBE = f"DESCRIBE <{FACT}>"
JSON = "application/sparql-results+json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DISTINCT_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "%s" .. "%%20LIMIT%%20" .. (1000 + counter))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {url}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=2).read()
            return
        time.sleep(0.2)
    raise RuntimeError(f"server did not start: {url}")


@contextlib.contextmanager
def running(command: list[str], probe: str) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(probe, process)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


def wrk(url: str, accept: str, args: argparse.Namespace, script: Path | None) -> dict[str, str]:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency"]
    command += ["-H", f"Accept: {accept}"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    result = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        result[f"p{pct}"] = match.group(1) if match else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = errors.group(1) if errors else "0"
    return result


def named_query_text(name: str) -> str:
    """The SPARQL that ``/queries/NAME`` runs, with its defaults bound as Oxigraph would get
    them from a remote il32rdf store."""
    from il32rdf.query import bind_parameters, named_queries
    from il32rdf.store.sparql import bind_by_values
    from il32rdf.vocab import PREFIXES

    named = named_queries()[name]
    bound = bind_by_values(named.text, bind_parameters(named, {})) or named.text
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + bound


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    beside = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    parser.add_argument("--oxigraph", default=beside or shutil.which("oxigraph"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    if not args.oxigraph:
        sys.exit("the oxigraph server is not installed (pip install oxigraph: the dev extra)")
    il32rdf = [sys.executable, "-m", "il32rdf"]
    quote = urllib.parse.quote
    requests = [  # label, il32rdf path, oxigraph query, accept, distinct
        ("SELECT, same text", "sparql?query=" + quote(SELECT), SELECT, JSON, False),
        ("SELECT, distinct texts", "sparql?query=" + quote(SELECT), SELECT, JSON, True),
        ("DESCRIBE, same text", "sparql?query=" + quote(DESCRIBE), DESCRIBE, "text/turtle", False),
        (
            "named query secretions",
            "queries/secretions",
            named_query_text("secretions"),
            JSON,
            False,
        ),
        (
            "dereference, Turtle",
            FACT.removeprefix("https://w3id.org/il32rdf/"),
            DESCRIBE,
            "text/turtle",
            False,
        ),
        (
            "dereference, HTML page",
            FACT.removeprefix("https://w3id.org/il32rdf/"),
            DESCRIBE,
            BROWSER,
            False,
        ),
    ]
    results: dict[tuple[str, str], dict[str, str]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        release = Path(scratch) / "dist"
        subprocess.run([*il32rdf, "build", "-o", str(release)], check=True, capture_output=True)
        location = Path(scratch) / "oxigraph"
        subprocess.run(
            [
                args.oxigraph,
                "load",
                "--location",
                str(location),
                "--file",
                str(release / "il32.nq"),
            ],
            check=True,
            capture_output=True,
        )
        ours, theirs = free_port(), free_port()
        servers = {
            "il32rdf serve": (
                [*il32rdf, "serve", str(release), "--port", str(ours)],
                f"http://127.0.0.1:{ours}/",
            ),
            "oxigraph serve-read-only": (
                [
                    args.oxigraph,
                    "serve-read-only",
                    *("--location", str(location), "--bind", f"127.0.0.1:{theirs}"),
                    "--union-default-graph",
                ],
                f"http://127.0.0.1:{theirs}/query?query=",
            ),
        }
        for server, (command, base) in servers.items():
            probe = (
                base + "sparql?query=ASK%7B%7D"
                if server.startswith("il32rdf")
                else base + "ASK%7B%7D"
            )
            with running(command, probe):
                for label, path, text, accept, distinct in requests:
                    url = base + path if server.startswith("il32rdf") else base + quote(text)
                    script = None
                    if distinct:
                        script = Path(scratch) / "distinct.lua"
                        script.write_text(DISTINCT_LUA % ("/" + url.split("/", 3)[3]))
                    warm = urllib.request.Request(url, headers={"Accept": accept})
                    urllib.request.urlopen(warm, timeout=60).read()  # the same for both
                    results[(server, label)] = wrk(url, accept, args, script)
    print(
        "| request | il32rdf req/s | oxigraph req/s | il32rdf / oxigraph"
        " | il32rdf p50 / p99 | oxigraph p50 / p99 | non-2xx |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label, *_ in requests:
        a, b = results[("il32rdf serve", label)], results[("oxigraph serve-read-only", label)]
        ratio = float(a["rps"]) / float(b["rps"])
        print(
            f"| {label} | {float(a['rps']):.0f} | {float(b['rps']):.0f} | {ratio:.2f} |"
            f" {a['p50']} / {a['p99']} | {b['p50']} / {b['p99']} | {a['errors']} / {b['errors']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
