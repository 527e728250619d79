"""The exceptions il32rdf raises.

Every error the package raises on purpose derives from :class:`Il32Error`, so a caller can catch
one class. Findings (a graph that breaks a rule, an inconsistent ontology) are *values* returned
by the function that found them, never exceptions.

::

    Il32Error
     ├── InputError        a file is missing, unreadable or not the RDF it claims to be
     ├── ExportError       an output cannot be written (unknown format, unwritable place)
     ├── UsageError        a caller asked for something that does not exist (unknown graph name)
     ├── ReasonerError     the OWL reasoner failed: no Java, a crash, a time-out, out of memory
     ├── ShapesError       a SHACL shapes file is malformed or not valid SHACL
     ├── QueryError        a SPARQL query is malformed or cannot be run
     │    └── QueryTimeoutError   it ran longer than its time limit
     └── RemoteError       a remote store is unreachable, refuses, fails, or disagrees
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ExportError",
    "Il32Error",
    "InputError",
    "QueryError",
    "QueryTimeoutError",
    "ReasonerError",
    "RemoteError",
    "ShapesError",
    "UsageError",
]


class Il32Error(Exception):
    """Base class of every error il32rdf raises on purpose."""


class InputError(Il32Error, ValueError):
    """A data file is missing, unreadable or malformed.

    ``path`` is the file, ``line`` and ``column`` the 1-based place of the problem, when the
    parser told us; the message starts ``FILE:LINE:COLUMN:``, as compilers write it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ):
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        where = ""
        if self.path is not None:
            where = str(self.path)
            if line is not None:
                where += f":{line}" + (f":{column}" if column is not None else "")
            where += ": "
        super().__init__(f"{where}{message}")


class ExportError(Il32Error, OSError):
    """An export could not be written; nothing was left behind."""


class UsageError(Il32Error, ValueError):
    """An argument names something that does not exist; the message lists what does."""


class ShapesError(Il32Error, ValueError):
    """A SHACL shapes file is malformed (the message names the file and line) or is not valid
    SHACL (the message names the offending shape and what is wrong with it)."""


class QueryError(Il32Error, ValueError):
    """A SPARQL query is malformed (the message gives line and column) or cannot be run."""


class QueryTimeoutError(QueryError):
    """A SPARQL query ran longer than its time limit and was stopped."""


class ReasonerError(Il32Error, RuntimeError):
    """The OWL reasoner could not give an answer: Java missing or broken, a crash, a time-out or
    too little JVM memory. The message says which, and what to change (``--java-memory``,
    ``--timeout``, ``--reasoner owlrl``). An inconsistent ontology is a finding, not this error."""


class RemoteError(Il32Error, RuntimeError):
    """A remote SPARQL store is unreachable, refuses the request or the credentials, fails, or
    ends up with different data than was sent; the message says which and what to do."""
