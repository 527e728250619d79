"""The relation check: relations used within their RO domain and range, decided by the reasoner."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Dataset, URIRef

import il32rdf
from il32rdf import resources
from il32rdf.cli import main
from il32rdf.dataset import ONTOLOGY_GRAPH
from il32rdf.relation_check import check_relations, relation_axioms
from il32rdf.store import as_store
from il32rdf.vocab import OBO

OLD_RELATIONS = Path(__file__).parent / "data" / "relations" / "old-relations.ttl"


@pytest.fixture(scope="module")
def old_data() -> Dataset:
    return il32rdf.load([OLD_RELATIONS])


def test_the_bundled_graph_uses_every_relation_within_ro(dataset: Dataset) -> None:
    result = check_relations(dataset)
    assert result.ok, result.findings
    assert result.complete and result.reasoner == "hermit"
    assert result.unchecked == ()


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_old_relations_make_il32_and_the_glial_cell_processes(
    old_data: Dataset, engine: str
) -> None:
    source = old_data if engine == "rdflib" else as_store(old_data, "oxigraph")
    result = check_relations(source)
    assert not result.ok
    by_focus = {f.focus: f.message for f in result.findings}
    assert set(by_focus) == {
        "fact:old-il32-induces-il8-in-monocytes (IL-32 induces monocytes to secrete IL-8 (old"
        " relation))",
        "fact:old-il32-regulates-actin-cytoskeleton (IL-32 regulates the actin cytoskeleton"
        " (old relation))",
        "CL:0000125 (glial cell)",
    }
    positive = by_focus[next(f for f in by_focus if "il8" in f)]
    # the two RO:0002213 claims are one finding, naming one and counting the other
    assert "RO:0002213 (positively regulates)" in positive
    assert "and 1 more claim(s) like it" in positive
    assert "RO:0002211 (regulates) has domain BFO:0000015 (process)" in positive
    assert "protein a process" in positive and "RO:0004034" in positive
    glial = by_focus["CL:0000125 (glial cell)"]
    assert "fact:old-glial-cells-regulate-cytokine-production (" in glial
    assert ") uses RO:0002211 (regulates)" in glial
    # the glial cell's legitimate claims (capable of, part of) are not blamed
    assert "fact:glial-cells-secrete-cytokines" not in glial


def test_the_rl_tier_checks_the_proteins_and_says_it_is_incomplete(old_data: Dataset) -> None:
    result = check_relations(old_data, reasoner="owlrl")
    assert not result.complete and result.skipped_reason
    focuses = {f.focus.split(" ")[0] for f in result.findings}
    assert focuses == {
        "fact:old-il32-induces-il8-in-monocytes",
        "fact:old-il32-regulates-actin-cytoskeleton",
    }


def test_a_relation_the_vendored_axioms_do_not_cover_is_reported(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix uniprot: <http://purl.uniprot.org/uniprot/> .
@prefix il32: <https://w3id.org/il32rdf/ontology/> .
obo:RO_0002212 a owl:ObjectProperty ; rdfs:label "negatively regulates" .
<https://example.org/c> a il32:Claim ; rdf:subject obo:GO_0030316 ;
    rdf:predicate obo:RO_0002212 ; rdf:object obo:GO_0045453 ; il32:negated false ;
    il32:inTaxon obo:NCBITaxon_9606 ; il32:evidence obo:ECO_0000304 ;
    dcterms:source <https://en.wikipedia.org/wiki/Osteoclast> .
""",
        encoding="utf-8",
    )
    result = check_relations(il32rdf.load([extra]))
    assert result.unchecked == ("RO:0002212 (negatively regulates)",)


def test_the_vendored_axioms_cover_every_relation_the_ontology_declares(dataset: Dataset) -> None:
    axioms = relation_axioms()
    declared = {
        p
        for p in dataset.graph(ONTOLOGY_GRAPH).subjects(RDF.type, OWL.ObjectProperty)
        if isinstance(p, URIRef) and str(p).startswith((str(OBO) + "RO_", str(OBO) + "BFO_"))
    }
    assert declared <= set(axioms.subjects(RDF.type, OWL.ObjectProperty))
    # RO's own axioms, not ours: regulates goes between processes; a gene product acts upstream
    assert (OBO.RO_0002211, RDFS.domain, OBO.BFO_0000015) in axioms
    assert (OBO.RO_0002595, RDFS.domain, OBO.BFO_0000040) in axioms
    assert (OBO.RO_0004034, RDFS.subPropertyOf, OBO.RO_0002263) in axioms
    header = resources.relation_axioms_file().read_text(encoding="utf-8")
    assert "ro/releases/2025-12-17/ro.owl" in header
    # not part of the graph or the release
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    assert (OBO.RO_0002211, RDFS.domain, None) not in ontology
    assert (OBO.BFO_0000015, RDF.type, OWL.Class) not in ontology


def test_build_stops_on_the_old_relations_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    code = main(["build", "--data", str(OLD_RELATIONS), "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert not out.exists()
    assert "3 relation(s) used against RO; nothing written" in captured.err
    assert "fact:old-il32-regulates-actin-cytoskeleton" in captured.err
