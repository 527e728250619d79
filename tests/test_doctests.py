"""The examples in the package's docstrings run, module by module (they are documentation
a reader copies, so they must stay true)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import il32rdf

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(il32rdf.__path__, prefix="il32rdf.")
    if name != "il32rdf.__main__"
)


def test_every_module_is_listed() -> None:
    assert {"il32rdf.store.open", "il32rdf.reason.facts", "il32rdf.cli.build"} <= set(MODULES)


@pytest.mark.parametrize("name", ["il32rdf", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failed == 0, name
