"""Files written whole or not at all: through a temporary file beside the target and a rename.

A reader never sees a half-written file, and a failure (or an exception raised while the text is
being made) leaves nothing behind. The bottom of the package: it imports nothing of il32rdf but
its errors.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from il32rdf.errors import ExportError

__all__ = ["write_atomic", "write_chunks"]


def write_chunks(path: Path | str, chunks: Iterable[str]) -> int:
    """Write the text ``chunks`` (UTF-8) to ``path`` as they come, through a temporary file and a
    rename; return the number of bytes written.

    :raises ExportError: the directory is missing or not writable; no file is left behind.
        An exception raised while making the chunks also leaves nothing behind.
    """
    return _write(path, (chunk.encode("utf-8") for chunk in chunks))


def write_atomic(path: Path | str, data: bytes) -> int:
    """Write ``data`` to ``path`` through a temporary file and a rename; return its size.

    :raises ExportError: the directory is missing or not writable; no file is left behind.
    """
    return _write(path, [data])


def _write(path: Path | str, pieces: Iterable[bytes]) -> int:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
                size += len(piece)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return size
