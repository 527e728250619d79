"""Shared fixtures: the bundled graph is loaded once per test session."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset

import il32rdf
from il32rdf.cli import main

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The bundled ontology and facts (treat as read-only)."""
    return il32rdf.load()


@dataclass
class CliResult:
    status: int
    out: str
    err: str


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """Run ``il32rdf`` in-process: ``run_cli("export", "--format", "nt")``."""

    def run(*argv: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        status = main(list(argv), out=out, err=err)
        return CliResult(status, out.getvalue(), err.getvalue())

    return run
