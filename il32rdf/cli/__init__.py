"""The ``il32rdf`` command. The only package that reads argv, prints, or picks an exit code.

Exit status: 0 success; 1 findings (the data breaks a rule); 2 an error (bad input, bad usage,
an output that cannot be written). Errors are one line on stderr; ``--debug`` adds the traceback.
Each command imports what it needs when it runs, so that ``il32rdf query`` does not load the
reasoner, pySHACL or the HTTP server.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Final, TextIO

from il32rdf.cli.common import EXIT_ERROR, Parser
from il32rdf.errors import Il32Error
from il32rdf.version import __version__

__all__ = ["main"]

COMMANDS: Final = {
    "build": "build",
    "export": "data",
    "stats": "data",
    "diagram": "data",
    "diff": "data",
    "validate": "checking",
    "reason": "checking",
    "query": "query",
    "queries": "query",
    "serve": "serving",
    "publish": "serving",
}
"""Each command, and the module of :mod:`il32rdf.cli` that defines it, in ``--help`` order:
a command's parser is built, and its module imported, only when that command is run (or the
whole list asked for). A test keeps this table equal to the modules' parsers."""


def _command(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, if its first word (after ``--debug``) is one."""
    words = [arg for arg in argv if arg != "--debug"]
    return words[0] if words and words[0] in COMMANDS else None


def _build_parser(command: str | None = None) -> Parser:
    """The parser of ``command`` alone, or of every command (``None``)."""
    parser = Parser(
        prog="il32rdf",
        description=(
            "The interleukin-32 knowledge graph: an OWL ontology aligned with CL, GO, UBERON, "
            "RO, ECO and UniProt, claims with provenance and polarity, and deterministic RDF."
        ),
        epilog="Exit status: 0 ok, 1 findings in the data, 2 error. Run a command with --help.",
    )
    parser.add_argument("--version", action="version", version=f"il32rdf {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    modules = [COMMANDS[command]] if command is not None else dict.fromkeys(COMMANDS.values())
    for module in modules:
        importlib.import_module(f"il32rdf.cli.{module}").add_commands(commands)
    return parser


def _warning_printer(err: TextIO) -> Callable[..., None]:
    """Python warnings (e.g. rdflib reading ``"flase"^^xsd:boolean`` as false) as one line each,
    without the file, line and source of the library that raised them."""

    def show(message: Warning | str, *_: object, **__: object) -> None:
        print(f"il32rdf: warning: {message}", file=err)

    return show


def main(
    argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run the command line; return the exit status instead of exiting."""
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    words = list(sys.argv[1:] if argv is None else argv)
    parser = _build_parser(_command(words))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(words)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code) if isinstance(exc.code, int) else EXIT_ERROR
    run: Callable[[argparse.Namespace, TextIO, TextIO], int] | None = getattr(args, "run", None)
    if run is None:
        parser.print_help(err)
        return EXIT_ERROR
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the libraries' business
            warnings.simplefilter("default", UserWarning)  # about the data: shown, once each
            warnings.showwarning = _warning_printer(err)
            return run(args, out, err)
    except Il32Error as exc:
        if args.debug:
            raise
        print(f"il32rdf: error: {exc}", file=err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("il32rdf: interrupted", file=err)
        return 130
    except BrokenPipeError:  # the reader went away (`il32rdf export | head`): stop quietly
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
