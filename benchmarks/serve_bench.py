"""HTTP load on `il32rdf serve` (rdflib and Oxigraph engines) against `oxigraph serve`.

Every server runs on 127.0.0.1 with the same data (the release as N-Quads) and gets the same
SPARQL text by GET; il32rdf's named-query and dereferencing routes are measured as well. The
load comes from `wrk` (Debian package `wrk`), a second process, with --latency percentiles.

    python benchmarks/serve_bench.py [--duration 10] [--connections 8] [--oxigraph PATH]

Prints a Markdown table: requests per second and latency percentiles per server and request.
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

SELECT = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX il32: <https://w3id.org/il32rdf/ontology/>
SELECT ?cell ?cell_label ?molecule ?molecule_label WHERE {
  ?claim a il32:Claim ; rdf:subject <http://purl.uniprot.org/uniprot/P24001> ;
         il32:negated false ; il32:cellType ?cell ; il32:producedMolecule ?molecule .
  ?cell rdfs:label ?cell_label . ?molecule rdfs:label ?molecule_label .
} ORDER BY ?cell ?molecule"""
DESCRIBE = "DESCRIBE <https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation>"
JSON = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
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


def wrk(url: str, accept: str, duration: int, connections: int) -> dict[str, str]:
    run = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            f"Accept: {accept}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = run.stdout
    result = {"rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)}  # type: ignore[union-attr]
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", out, re.MULTILINE)
        result[f"p{pct}"] = match.group(1) if match else "?"
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["errors"] = errors.group(1) if errors else "0"
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8)
    beside = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    parser.add_argument(
        "--oxigraph",
        default=beside or shutil.which("oxigraph"),
        help="the oxigraph server binary (default: the one from .[dev])",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    il32rdf = [sys.executable, "-m", "il32rdf"]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / "il32.nq"
        subprocess.run(
            [*il32rdf, "export", "--format", "nquads", "-o", str(dump)],
            check=True,
            capture_output=True,
        )
        select_q = urllib.parse.quote(SELECT)
        describe_q = urllib.parse.quote(DESCRIBE)
        servers = []
        for engine in ("rdflib", "oxigraph"):
            port = free_port()
            base = f"http://127.0.0.1:{port}/"
            servers.append(
                (
                    f"il32rdf serve --store {engine}",
                    [
                        *il32rdf,
                        "serve",
                        "--port",
                        str(port),
                        "--store",
                        engine,
                        "--query-timeout",
                        "30",
                    ],
                    base + "sparql",
                    [
                        ("SELECT (same text)", base + f"sparql?query={select_q}", JSON),
                        (
                            "DESCRIBE (same text)",
                            base + f"sparql?query={describe_q}",
                            "text/turtle",
                        ),
                        ("named query /queries/secretions", base + "queries/secretions", JSON),
                        (
                            "dereference /fact/...",
                            base + "fact/il32-not-osteoclast-activation",
                            "text/turtle",
                        ),
                    ],
                )
            )
        if args.oxigraph:
            location = Path(scratch) / "oxigraph"
            subprocess.run(
                [args.oxigraph, "load", "--location", str(location), "--file", str(dump)],
                check=True,
                capture_output=True,
            )
            port = free_port()
            base = f"http://127.0.0.1:{port}/"
            servers.append(
                (
                    "oxigraph serve",
                    [
                        args.oxigraph,
                        "serve",
                        "--location",
                        str(location),
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--union-default-graph",
                    ],
                    base + "query?query=" + urllib.parse.quote("ASK {}"),
                    [
                        ("SELECT (same text)", base + f"query?query={select_q}", JSON),
                        ("DESCRIBE (same text)", base + f"query?query={describe_q}", "text/turtle"),
                    ],
                )
            )
        for name, command, probe, requests in servers:
            with running(command, probe):
                for label, url, accept in requests:
                    measured = wrk(url, accept, args.duration, args.connections)
                    rows.append((name, label, measured))
    print("| server | request | req/s | p50 | p90 | p99 | non-2xx |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, label, m in rows:
        print(
            f"| {name} | {label} | {m['rps']} | {m['p50']} | {m['p90']} | {m['p99']} |"
            f" {m['errors']} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
