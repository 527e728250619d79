"""``il32rdf serve --workers N``: processes forked after loading, on one socket, stopped as one."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from served import Server, free_port, start_server

ASK = {"query": "ASK { ?s ?p ?o }"}


def _workers(server: Server) -> list[int]:
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    return [int(child) for child in children.split()]


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").split(") ")[1][0]
    except FileNotFoundError:
        return True
    return state in "ZX"


def _wait_until(condition: object, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


needs_proc = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="reads the worker processes from /proc (Linux)"
)


@needs_proc
def test_workers_share_the_socket_and_stop_together() -> None:
    for server in start_server("--no-reasoning", "--workers", "2"):
        workers = _workers(server)
        assert len(workers) == 2
        with ThreadPoolExecutor(8) as pool:  # many connections at once, on one port
            answers = list(pool.map(lambda _, s=server: s.get("sparql", params=ASK), range(40)))
        assert {a.status_code for a in answers} == {200}
        assert {a.headers["etag"] for a in answers} == {answers[0].headers["etag"]}
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=20) == 0
        assert all(_gone(pid) for pid in workers)


@needs_proc
def test_a_worker_that_dies_stops_the_server_with_exit_2() -> None:
    for server in start_server("--no-reasoning", "--workers", "2"):
        first, second = _workers(server)
        os.kill(first, signal.SIGKILL)
        assert server.process.wait(timeout=20) == 2
        assert _wait_until(lambda pid=second: _gone(pid))
        assert server.process.stderr is not None
        message = server.process.stderr.read().decode()
        assert "a server worker ended by itself (exit -9); stopping the others" in message


def test_one_worker_serves_in_the_process_itself() -> None:
    for server in start_server("--no-reasoning", "--workers", "1"):
        assert server.get("sparql", params=ASK).status_code == 200
        if Path("/proc/self/task").is_dir():
            assert _workers(server) == []


def test_a_port_in_use_is_a_one_line_error_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "il32rdf", "serve", "--no-reasoning", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"il32rdf: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    )
    assert "Traceback" not in done.stderr


def test_no_workers_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "il32rdf", "serve", "--workers", "0", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "il32rdf: error: --workers must be at least 1, not 0"
