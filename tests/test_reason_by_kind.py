"""Reasoning by kind (HermiT on the ontology and one representative individual per kind, a rule
for the rest) gives what HermiT gives when it sees every individual."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from il32rdf.reason import reason
from il32rdf.store import Store, open_store
from il32rdf.vocab import IL32

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate import generate


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "g10k.ttl"
    text, _ = generate(10_000, seed=1, violations=0)
    path.write_text(text, encoding="utf-8")
    return path


def _both(store: Store) -> None:
    every = reason(store, reasoner="hermit", individuals="all")
    by_kind = reason(store, reasoner="hermit", individuals="by kind")
    assert every.consistent and by_kind.consistent
    assert by_kind.types == every.types
    assert by_kind.statements == every.statements
    assert by_kind.inferred_types == every.inferred_types
    assert by_kind.ancestors == every.ancestors
    assert by_kind.inferred_subclasses == every.inferred_subclasses
    assert by_kind.profile == every.profile


def test_the_bundled_graph() -> None:
    _both(open_store(engine="oxigraph"))


def test_a_generated_graph_of_10k_triples(generated: Path) -> None:
    store = open_store([generated], "oxigraph")
    _both(store)
    chemokines = [i for i, t in reason(store).types.items() if str(IL32.Chemokine) in t]
    assert len(chemokines) > 20  # the generated proteins are typed by what they enable


def test_on_the_rdflib_engine_too() -> None:
    assert reason(open_store(engine="rdflib")).types == reason(open_store(engine="oxigraph")).types


def test_an_unknown_mode_is_a_usage_error() -> None:
    from il32rdf.errors import UsageError

    with pytest.raises(UsageError, match="individuals"):
        reason(open_store(), individuals="some")
