"""What the machine offers this process: its cores, a thread to work beside it (:class:`Later`),
and a process of its own to work beside it.

:func:`beside` runs a function in a new Python interpreter while the caller goes on, so that
Python work (the release writers) uses a second core. The function and its arguments travel
to it pickled (a function of a module, plain values: never a store) and its value, or its
exception, comes back the same way. The process is forked and at once replaced by a fresh
interpreter (``exec``), with this one's ``sys.path``: it shares and copies none of this
process's memory. (A forked copy that went on running would copy each page of the parent's
heap that it touched, as it allocated into the heap's free blocks and as reading an object
wrote its reference count, until the two held much of the heap twice.) Where ``fork`` or the
interpreter's path is missing, or on one core, the function runs at once in the process.

>>> pending = beside(sum, [1, 2, 3])
>>> pending.result()
6
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["Later", "Pending", "beside", "cores"]

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class Later(Generic[T]):
    """Work for later: started now in a thread (``in_thread``), or run when its
    :meth:`result` is first asked for, in the caller's thread and order."""

    def __init__(self, function: Callable[[], T], *, in_thread: bool) -> None:
        self._function: Callable[[], T] | None = function
        self._future: Future[T] | None = None
        self._value: tuple[str, Any] | None = None
        if in_thread:
            from concurrent.futures import ThreadPoolExecutor  # 10 ms to import: when needed

            pool = ThreadPoolExecutor(1, thread_name_prefix="il32rdf-beside")
            self._future = pool.submit(function)
            pool.shutdown(wait=False)  # the thread ends with the function

    @property
    def started(self) -> bool:
        """Whether it runs (or ran) in a thread beside the caller."""
        return self._future is not None

    def result(self) -> T:
        """Its value (waited for, or made now); its exception is raised here."""
        if self._future is not None:
            return self._future.result()
        if self._value is None:
            assert self._function is not None
            self._value = _outcome(self._function, ())
            self._function = None
        kind, value = self._value
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    def wait(self) -> None:
        """Wait until a thread's work ends (nothing to wait for otherwise), without its value."""
        if self._future is not None:
            from concurrent.futures import wait

            wait([self._future])


class Pending(Generic[T]):
    """The value of a function run by :func:`beside`: :meth:`result` waits for it."""

    def __init__(self, pid: int | None, reader: int | None, value: Any = None) -> None:
        self._pid = pid
        self._reader = reader
        self._value = value

    def result(self) -> T:
        """The function's value; its exception is raised here.

        :raises ChildProcessError: the child died without an answer (killed, out of memory).
        """
        if self._pid is not None:
            self._value = self._collect()
        if self._value is None:
            raise ChildProcessError("the process working beside was stopped")
        kind, value = self._value
        if kind == "error":
            raise value
        return value  # type: ignore[no-any-return]

    @property
    def pid(self) -> int | None:
        """The child's process id while it has not been waited for; None in the process."""
        return self._pid

    def _collect(self) -> tuple[str, Any]:
        assert self._pid is not None and self._reader is not None
        with os.fdopen(self._reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = self._reader = None
        if not data:
            raise ChildProcessError(f"the process working beside stopped ({_how(status)})")
        outcome: tuple[str, Any] = pickle.loads(data)  # written by our own child
        return outcome

    def cancel(self) -> None:
        """Stop the child if it still runs (when the caller gives up on it): asked to stop, it
        leaves no temporary file behind (:mod:`il32rdf.files`); killed after 5 s."""
        if self._pid is None:
            return
        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(self._pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.kill(self._pid, signal.SIGKILL)
                    os.waitpid(self._pid, 0)
                    break
                time.sleep(0.01)
        with contextlib.suppress(OSError):
            os.close(self._reader)  # type: ignore[arg-type]
        self._pid = self._reader = None


def beside(function: Callable[..., T], *args: Any) -> Pending[T]:
    """Start ``function(*args)`` in a new interpreter; :meth:`Pending.result` gives its value.

    :raises pickle.PicklingError: the function or an argument cannot travel (a lambda, a
        local function, an open file): raised here, before any process starts.
    """
    if not hasattr(os, "fork") or not sys.executable or cores() < 2:
        return Pending(None, None, _outcome(function, args))
    try:
        task = pickle.dumps((function, args))
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise pickle.PicklingError(f"{function!r} cannot run beside: {exc}") from None
    answer_reader, answer_writer = os.pipe()
    task_reader, task_writer = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns that a child of a threaded process may find a lock held by a
        # thread it does not have: this child only replaces itself with a new interpreter
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: become a new interpreter that reads the task and answers
        try:
            os.set_inheritable(task_reader, True)
            os.set_inheritable(answer_writer, True)
            code = f"{_SERVE}({sys.path!r}, {task_reader}, {answer_writer})"
            os.execv(sys.executable, [sys.executable, "-c", code])
        finally:
            os._exit(127)
    os.close(answer_writer)
    os.close(task_reader)
    with contextlib.suppress(BrokenPipeError), os.fdopen(task_writer, "wb") as pipe:
        pipe.write(task)  # a child that died first is told by its exit status in result()
    return Pending(pid, answer_reader)


_SERVE: Final = "from il32rdf.machine import _serve; _serve"


def _serve(path: list[str], task: int, answer: int) -> None:
    """The new interpreter of :func:`beside`: run the task read from ``task``, write its
    outcome to ``answer``."""
    sys.path[:] = path
    signal.signal(signal.SIGTERM, _stop)  # cancel(): unwind, so files clean up
    with os.fdopen(task, "rb") as pipe:
        data = pipe.read()
    with os.fdopen(answer, "wb") as pipe:
        pipe.write(_dumped(_outcome(_run_pickled, (data,))))


def _run_pickled(data: bytes) -> Any:
    function, args = pickle.loads(data)  # written by our own parent
    return function(*args)


def _stop(*_: object) -> None:
    raise SystemExit(1)


def _outcome(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return "value", function(*args)
    except BaseException as exc:  # handed to the parent, raised there
        return "error", exc


def _dumped(outcome: tuple[str, Any]) -> bytes:
    try:
        return pickle.dumps(outcome)
    except Exception as exc:  # an answer that cannot travel
        kind, value = outcome
        return pickle.dumps(("error", RuntimeError(f"{kind} {value!r} cannot be sent: {exc}")))


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
