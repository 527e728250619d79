"""KGX as today's Biolink tools read it, tried with kgx itself (``tests/kgx_offline.py``: kgx
2.6 with Biolink 4.4.6 from the biolink-model package, no network): ``kgx validate`` finds
nothing to report, and kgx's own reader gets every claim back, with its polarity and
publications, as an edge or as one of the claims a row carries."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

from il32rdf.claims import Claim, read_claims
from il32rdf.kgx import EDGE_COLUMNS, NODE_COLUMNS, biolink_curie, write_kgx
from il32rdf.store import Store, open_store

KGX = Path(__file__).parent / "kgx_offline.py"

pytestmark = pytest.mark.slow


def _kgx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(KGX), *args], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def store() -> Store:
    return open_store()


@pytest.fixture(scope="module")
def tables(store: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_kgx(store, tmp_path_factory.mktemp("kgx"))


@pytest.fixture(scope="module")
def read_back(tables: tuple[Path, Path]) -> dict[str, Any]:
    run = _kgx("read", *map(str, tables))
    assert run.returncode == 0, run.stderr[-2000:]
    found: dict[str, Any] = json.loads(run.stdout)
    return found


def test_kgx_validate_finds_nothing(tables: tuple[Path, Path], tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    run = _kgx("validate", "-i", "tsv", *map(str, tables), "-o", str(report))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert json.loads(report.read_text() or "{}") == {}


def test_kgx_reads_back_every_claim(store: Store, read_back: dict[str, Any]) -> None:
    edges = {e["id"]: e for e in read_back["edges"]}
    carried: dict[str, dict[str, Any]] = {}
    for row in [*read_back["nodes"].values(), *read_back["edges"]]:
        for entry in json.loads(row.get("il32_claims") or "[]"):
            assert entry["id"] not in carried, entry["id"]
            carried[entry["id"]] = entry
    claims = read_claims(store)
    assert len(edges) == len(read_back["edges"])  # one edge per claim: ids are distinct
    assert set(edges) | set(carried) == {str(c.iri) for c in claims}
    assert not set(edges) & set(carried)
    for claim in claims:
        if str(claim.iri) in edges:
            _check_edge(claim, edges[str(claim.iri)])
        else:
            _check_carried(claim, carried[str(claim.iri)])
    assert sum(1 for c in claims if c.negated) == sum(1 for e in edges.values() if e.get("negated"))


def _check_edge(claim: Claim, edge: dict[str, Any]) -> None:
    assert edge["subject"] == biolink_curie(claim.subject)
    assert edge["object"] == biolink_curie(claim.object)  # type: ignore[arg-type]
    assert edge["original_predicate"] == biolink_curie(claim.predicate)
    assert edge.get("negated", False) is claim.negated  # kgx reads True, or nothing for false
    assert sorted(edge["publications"]) == sorted(biolink_curie(s) for s in claim.sources)
    assert edge["has_evidence"] == [biolink_curie(e) for e in claim.evidence]
    assert (edge["knowledge_level"], edge["agent_type"]) == ("knowledge_assertion", "manual_agent")
    assert edge["predicate"].startswith("biolink:")


def _check_carried(claim: Claim, entry: dict[str, Any]) -> None:
    assert entry["predicate"] == biolink_curie(claim.predicate)
    assert entry["negated"] is claim.negated
    assert entry["publications"] == [biolink_curie(s) for s in claim.sources]
    if isinstance(claim.object, URIRef):
        assert entry["object"] == str(claim.object)
    else:
        assert entry["object"]["value"] == str(claim.object)


def test_rows_use_biolink_predicates_prefixes_and_qualifiers(read_back: dict[str, Any]) -> None:
    edges = {e["id"]: e for e in read_back["edges"]}
    negated = edges["https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation"]
    assert negated["negated"] is True and negated["subject"] == "UniProtKB:P24001"
    assert negated["predicate"] == "biolink:acts_upstream_of_positive_effect"
    assert negated["object"] == "GO:0045453"  # bone resorption
    assert negated["publications"] == ["PMID:19137064"]
    assert negated["anatomical_context_qualifier"] == ["CL:2000001"]  # PBMC
    assert negated["species_context_qualifier"] == "NCBITaxon:9606"
    # the experiment's conditions are kept: without RANKL here, with RANKL in the other arm
    assert _values(negated["il32_in_absence_of"]) == ["UniProtKB:O14788"]
    assert "il32_in_presence_of" not in negated or not negated["il32_in_presence_of"]
    with_rankl = edges["https://w3id.org/il32rdf/fact/il32-lowers-bone-resorption-with-rankl"]
    assert _values(with_rankl["il32_in_presence_of"]) == ["UniProtKB:O14788"]
    assert with_rankl["predicate"] == "biolink:acts_upstream_of_negative_effect"
    nodes = read_back["nodes"]
    assert nodes["UniProtKB:P24001"]["category"] == ["biolink:Protein"]
    assert nodes["UniProtKB:P24001"]["il32_in_taxon"] == "NCBITaxon:9606"
    literal = json.loads(nodes["CL:0000092"]["il32_claims"])
    assert {e["object"]["value"] for e in literal} >= {"Albert von Kölliker", "1873"}


def _values(cell: str | list[str]) -> list[str]:
    """A cell kgx read: a list, or one value as text."""
    return cell if isinstance(cell, list) else [cell]


def test_both_engines_write_the_same_tables(tmp_path: Path) -> None:
    written = set()
    for engine in ("rdflib", "oxigraph"):
        nodes, edges = write_kgx(open_store(engine=engine), tmp_path / engine)
        written.add((nodes.read_bytes(), edges.read_bytes()))
        assert nodes.read_text().splitlines()[0].split("\t") == list(NODE_COLUMNS)
        assert edges.read_text().splitlines()[0].split("\t") == list(EDGE_COLUMNS)
    assert len(written) == 1
