"""Pausing Python's cyclic garbage collector around bulk work on a million small objects.

Building a million tuples, lists or terms makes the collector scan them again and again, for
nothing (they hold no cycles): a third of the time of the Turtle writer and of the claims'
derivation during a load. :func:`paused` switches it off for a block and back on after, if it
was on; nested or overlapping blocks (in several threads) keep it off until the last one ends.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterator

__all__ = ["paused"]


class _Pauses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.was_enabled = False


_PAUSES = _Pauses()


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block runs (objects are still freed by reference counts)."""
    with _PAUSES.lock:
        if _PAUSES.depth == 0:
            _PAUSES.was_enabled = gc.isenabled()
            gc.disable()
        _PAUSES.depth += 1
    try:
        yield
    finally:
        with _PAUSES.lock:
            _PAUSES.depth -= 1
            if _PAUSES.depth == 0 and _PAUSES.was_enabled:
                gc.enable()


def _after_fork_in_child() -> None:
    """A fresh lock in a forked child: the thread that held the parent's is not there."""
    _PAUSES.lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
