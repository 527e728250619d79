"""The server's processes: uvicorn in this process, or a worker per core on one socket.

One Python process answers with one core at a time (the GIL), however many threads Oxigraph
uses. With ``workers`` above one, the socket is bound here, the graph is loaded here, and the
process forks that many workers after loading: each shares the loaded store copy-on-write and
accepts on the same socket (the kernel spreads the connections), each keeps its own cache of
answers. The parent only watches: ``SIGTERM`` or ``SIGINT`` stops every worker, and a worker
that ends on its own stops the others (exit 2), so a supervisor sees one service, up or down.
Where ``fork`` is missing (Windows) one process serves.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
from types import FrameType

import uvicorn

from il32rdf.errors import UsageError
from il32rdf.machine import cores

__all__ = ["default_workers", "listen", "run_workers"]


def default_workers() -> int:
    """One worker per core this process may run on (1 where ``fork`` is missing)."""
    return cores() if hasattr(os, "fork") else 1


def listen(host: str, port: int) -> socket.socket:
    """A TCP socket listening on ``host``:``port``.

    :raises UsageError: the address cannot be used (taken, not this machine's, no permission).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def run_workers(config: uvicorn.Config, sock: socket.socket, workers: int) -> int:
    """Serve ``config``'s application on ``sock`` until stopped: in this process when
    ``workers`` is 1, else in that many forked workers. 0 when stopped by a signal, 2 when a
    worker ended on its own."""
    if workers <= 1 or not hasattr(os, "fork"):
        uvicorn.Server(config).run(sockets=[sock])
        return 0
    children: set[int] = set()
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            _signal(pid)

    signal.signal(signal.SIGTERM, stop)  # before the first fork: no signal finds it unready
    signal.signal(signal.SIGINT, stop)
    gc.freeze()  # the collector then never touches the loaded objects: they stay shared
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the worker (its coverage is not collected)
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                if not stopping:
                    uvicorn.Server(config).run(sockets=[sock])
            except BaseException:
                code = 2
            finally:
                os._exit(code)
        children.add(pid)
    sock.close()
    if stopping:  # a signal came while the workers were made
        stop(signal.SIGTERM, None)
    failed = False
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        children.discard(pid)
        if not stopping:
            code = os.waitstatus_to_exitcode(status)
            print(
                f"il32rdf: a server worker ended by itself (exit {code}); stopping the others",
                file=sys.stderr,
            )
            failed = stopping = True
            for other in children:
                _signal(other)
    return 2 if failed else 0


def _signal(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
