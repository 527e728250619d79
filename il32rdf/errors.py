"""The exceptions il32rdf raises.

Every error the package raises on purpose derives from :class:`Il32Error`, so a caller can catch
one class. Findings (a graph that breaks a rule, an inconsistent ontology) are *values* returned
by the function that found them, never exceptions.

::

    Il32Error
     ├── InputError        a file is missing, unreadable or not the RDF it claims to be
     ├── ExportError       an output cannot be written (unknown format, unwritable place)
     └── UsageError        a caller asked for something that does not exist (unknown graph name)
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ExportError", "Il32Error", "InputError", "UsageError"]


class Il32Error(Exception):
    """Base class of every error il32rdf raises on purpose."""


class InputError(Il32Error, ValueError):
    """A data file is missing, unreadable or malformed.

    ``path`` is the file and ``line`` the 1-based line of the problem, when the parser told us.
    """

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = f"{self.path}:{line}: " if line is not None else f"{self.path}: "
        super().__init__(f"{where}{message}")


class ExportError(Il32Error, OSError):
    """An export could not be written; nothing was left behind."""


class UsageError(Il32Error, ValueError):
    """An argument names something that does not exist; the message lists what does."""
