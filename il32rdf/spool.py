"""Text made now and given back later, in order, without holding it: a writer whose first line
depends on its whole text (the prefixes that a Turtle or JSON-LD header declares are known only
at the end of the body) keeps the body in a temporary file rather than in memory.

The text stays in memory while it is small (:data:`IN_MEMORY` bytes) and goes to an unnamed
temporary file (in ``TMPDIR``, deleted when read back or dropped) once it grows past that. A
*hole* marks a place whose text is known only later: :meth:`Spool.read` is given the text of
each hole, in order.

>>> spool = Spool()
>>> spool.write("@prefix ... \\n")
>>> spool.hole()
>>> spool.write("the end\\n")
>>> "".join(spool.read(["filled in\\n"]))
'@prefix ... \\nfilled in\\nthe end\\n'
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator, Sequence
from typing import Final

from il32rdf.errors import ExportError

__all__ = ["IN_MEMORY", "Spool"]

IN_MEMORY: Final = 8 << 20
"""Bytes of text a spool holds in memory before it moves them to a temporary file."""
_PIECE: Final = 1 << 20  # bytes read back at a time


class Spool:
    """Text written piece by piece, read back once, in order, with its holes filled."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (closed when read)
        self._size = 0
        self._holes: list[int] = []  # where each hole is, in bytes from the start

    def write(self, text: str) -> None:
        """Add ``text`` at the end.

        :raises ExportError: the temporary file cannot be written (e.g. the disk is full).
        """
        data = text.encode("utf-8")
        try:
            self._file.write(data)
        except OSError as exc:
            self._file.close()
            raise ExportError(f"cannot hold the text in a temporary file: {exc}") from None
        self._size += len(data)

    def hole(self) -> None:
        """Mark the end as a place to fill in when the text is read back."""
        self._holes.append(self._size)

    def read(self, fills: Sequence[str] = ()) -> Iterator[str]:
        """The text in pieces, each hole replaced by its text in ``fills``; the spool is emptied
        (its file deleted) as the last piece is given, or when the reading stops."""
        if len(fills) != len(self._holes):
            raise ValueError(f"{len(self._holes)} hole(s) and {len(fills)} text(s) to fill them")
        return self._pieces(fills)

    def _pieces(self, fills: Sequence[str]) -> Iterator[str]:
        decode = codecs.getincrementaldecoder("utf-8")().decode
        try:
            self._file.seek(0)
            position = 0
            for end, fill in zip([*self._holes, self._size], [*fills, ""], strict=True):
                while position < end:
                    data = self._file.read(min(_PIECE, end - position))
                    if not data:
                        raise ExportError("the temporary file of the text ended early")
                    position += len(data)
                    yield decode(data)
                if fill:
                    yield fill
        finally:
            self._file.close()
