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


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--virtuoso",
        action="store_true",
        help="also run the tests that start Virtuoso (Debian virtuoso-opensource-7-bin)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--virtuoso"):
        return
    opt_in = pytest.mark.skip(reason="opt-in: run with --virtuoso")
    for item in items:
        if "virtuoso" in item.keywords:
            item.add_marker(opt_in)
