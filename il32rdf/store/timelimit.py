"""The time limit of a query, the same on every engine.

The work runs in a query thread, kept between queries (starting a thread per query cost more
than the query itself on a busy machine). When time is up, :class:`Cancelled` is raised inside
that thread (rdflib stops at its next Python instruction; Oxigraph when it next hands control
back to Python) and the caller gets :class:`~il32rdf.errors.QueryTimeoutError` at once; a
thread that was stopped ends and another takes its place, so the others never wait for it.

Two ways in: :func:`with_time_limit` waits in the calling thread; :func:`start_limited` calls
back when the work is done (the server's event loop awaits it, one thread hop per request
instead of two). Work that is itself under a limit (a store query inside a server request) runs
inline, under the outer limit. In a process made by ``fork`` the threads start afresh.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import threading
from collections.abc import Callable
from typing import Final, Generic, TypeVar

from il32rdf.errors import QueryTimeoutError, UsageError

__all__ = ["Cancelled", "LimitedWork", "start_limited", "with_time_limit"]

_T = TypeVar("_T")


class Cancelled(BaseException):
    """Raised inside a query thread whose work ran out of time."""


class LimitedWork(Generic[_T]):
    """One piece of work under a time limit, and what came of it."""

    def __init__(self, work: Callable[[], _T], timeout: float, on_done: Callable[[], None]) -> None:
        self.work = work
        self.timeout = timeout
        self.on_done = on_done
        self.finished = False
        self._lock = threading.Lock()
        self._running_in: int | None = None
        self._outcome: _T | None = None
        self._failure: BaseException | None = None

    def result(self) -> _T:
        """What the work returned, once it is done.

        :raises QueryTimeoutError: it was stopped at its limit. Anything the work raised.
        """
        if isinstance(self._failure, Cancelled):  # pragma: no cover - the race at the limit
            raise self.timed_out()
        if self._failure is not None:
            raise self._failure
        return self._outcome  # type: ignore[return-value]

    def stop(self) -> QueryTimeoutError:
        """Time is up: stop the work if it still runs; the error to give the caller."""
        with self._lock:
            if self._running_in is not None and not self.finished:
                _cancel(self._running_in)
        return self.timed_out()

    def timed_out(self) -> QueryTimeoutError:
        return QueryTimeoutError(
            f"the query was stopped after its time limit of {self.timeout:g} s;"
            " narrow it down, add a LIMIT, or allow more time"
        )

    def _run(self) -> None:
        try:
            try:
                with self._lock:
                    self._running_in = threading.get_ident()
                self._outcome = self.work()
            except BaseException as exc:
                self._failure = exc
            finally:
                with self._lock:
                    self._running_in = None
                    self.finished = True
        except Cancelled:  # the stop arrived just as the work ended
            self._failure = Cancelled()
        self.on_done()


class _QueryThreads:
    """The daemon threads that run limited work."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self._jobs: queue.SimpleQueue[LimitedWork[object]] = queue.SimpleQueue()
        self._idle = 0
        self._lock = threading.Lock()
        self.inside = threading.local()

    def run(self, job: LimitedWork[_T]) -> None:
        with self._lock:
            if self._idle == 0:
                threading.Thread(target=self._serve, name="il32rdf-query", daemon=True).start()
            else:
                self._idle -= 1
        self._jobs.put(job)  # type: ignore[arg-type]

    def _serve(self) -> None:
        self.inside.limited = True
        jobs = self._jobs
        while True:
            job = jobs.get()
            job._run()
            if isinstance(job._failure, Cancelled):
                return  # a thread that was interrupted ends; the pool makes a new one
            with self._lock:
                self._idle += 1


_THREADS: Final = _QueryThreads()
if hasattr(os, "register_at_fork"):  # the threads of the parent are not in the child
    os.register_at_fork(after_in_child=_THREADS._start)


def _check(timeout: float) -> None:
    if timeout <= 0:
        raise UsageError(f"the time limit must be a positive number of seconds, not {timeout}")


def with_time_limit(work: Callable[[], _T], timeout: float | None) -> _T:
    """``work()``, stopped after ``timeout`` seconds (``None``: no limit; inside limited work:
    the outer limit).

    :raises QueryTimeoutError: time was up. :raises UsageError: the limit is not positive.
    """
    if timeout is None or getattr(_THREADS.inside, "limited", False):
        return work()
    _check(timeout)
    done = threading.Event()
    job = LimitedWork(work, timeout, done.set)
    _THREADS.run(job)
    if not done.wait(timeout):
        raise job.stop()
    return job.result()


def start_limited(
    work: Callable[[], _T], timeout: float, on_done: Callable[[], None]
) -> LimitedWork[_T]:
    """Start ``work()`` in a query thread; ``on_done()`` is called (in that thread) when it is
    done. The caller calls :meth:`LimitedWork.stop` if ``timeout`` passes first.

    :raises UsageError: the limit is not positive.
    """
    _check(timeout)
    job = LimitedWork(work, timeout, on_done)
    _THREADS.run(job)
    return job


def _cancel(ident: int) -> None:
    """Ask the thread ``ident`` to stop by raising :class:`Cancelled` in it (at its next Python
    instruction); it is a daemon otherwise."""
    with contextlib.suppress(Exception):
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(ident), ctypes.py_object(Cancelled)
        )
