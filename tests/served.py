"""``il32rdf serve`` as a real process on 127.0.0.1, for the server's tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx

__all__ = ["Server", "free_port", "start_server"]


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.get(self.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        return httpx.post(self.url + path, timeout=30, **kwargs)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(*options: str) -> Iterator[Server]:
    """Start ``il32rdf serve OPTIONS`` on a free loopback port, yield it once it answers, and
    stop it afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "il32rdf", "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    mount = options[options.index("--mount") + 1].rstrip("/") if "--mount" in options else ""
    server = Server(f"http://127.0.0.1:{port}{mount}/", process)
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(server.url + "sparql", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, stderr = process.communicate(timeout=10)
            raise RuntimeError(f"server did not start: {stderr.decode()}")
        time.sleep(0.2)
    try:
        yield server
    finally:
        process.terminate()
        process.communicate(timeout=10)
