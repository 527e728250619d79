"""OWL reasoning: the real HermiT (and Pellet) on the bundled graph and on should-fail fixtures,
the Java-less OWL 2 RL tier, the OWL 2 DL profile check and the ``reason`` command."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, BNode, Dataset, Graph, URIRef

import il32rdf
from il32rdf.dataset import FACTS_GRAPH, INFERRED_GRAPH
from il32rdf.errors import ReasonerError, UsageError
from il32rdf.reason import (
    ProfileFinding,
    ReasoningResult,
    Severity,
    add_inferences,
    profile_check,
    reason,
)
from il32rdf.vocab import IL32, OBO, UNIPROT

FIXTURES = Path(__file__).parent / "data" / "reason"
INCONSISTENT = FIXTURES / "inconsistent-protein-is-cell-line.ttl"
INCONSISTENT_BY_INFERENCE = FIXTURES / "inconsistent-inferred-chemokine.ttl"
UNSATISFIABLE = FIXTURES / "unsatisfiable-glial-leukocyte.ttl"
PROFILE = FIXTURES / "profile-violations.ttl"

OSTEOCLAST, MACROPHAGE, MONOCYTE, LEUKOCYTE = (
    OBO.CL_0000092,
    OBO.CL_0000235,
    OBO.CL_0000576,
    OBO.CL_0000738,
)
DEVELOPS_FROM = OBO.RO_0002202
IL8, MIP2, IL32_, TNF, MOUSE_TNF = (
    UNIPROT.P10145,
    UNIPROT.P10889,
    UNIPROT.P24001,
    UNIPROT.P01375,
    UNIPROT.P06804,
)


@pytest.fixture(scope="session")
def hermit(dataset: Dataset) -> ReasoningResult:
    return reason(dataset, reasoner="hermit")


@pytest.fixture(scope="session")
def owlrl_result(dataset: Dataset) -> ReasoningResult:
    return reason(dataset, reasoner="owlrl")


def _types(result: ReasoningResult, individual: URIRef) -> frozenset[str]:
    return result.types[str(individual)]


# --- HermiT on the bundled graph -----------------------------------------------------------


def test_bundled_graph_is_consistent_without_unsatisfiable_classes(
    hermit: ReasoningResult,
) -> None:
    assert hermit.reasoner == "hermit"
    assert hermit.dl_checked and hermit.skipped_reason is None
    assert hermit.consistent and hermit.unsatisfiable == () and hermit.ok
    assert hermit.explanations == ()


def test_proteins_are_typed_by_what_they_enable_not_by_hand(
    dataset: Dataset, hermit: ReasoningResult
) -> None:
    facts = dataset.graph(FACTS_GRAPH)
    for protein in (IL8, MIP2, IL32_, TNF, MOUSE_TNF):
        assert (protein, RDF.type, IL32.Cytokine) not in facts
        assert (protein, RDF.type, IL32.Chemokine) not in facts
    for chemokine in (IL8, MIP2):
        assert {str(IL32.Chemokine), str(IL32.Cytokine)} <= _types(hermit, chemokine)
    for cytokine in (IL32_, TNF, MOUSE_TNF):
        assert str(IL32.Cytokine) in _types(hermit, cytokine)
        assert str(IL32.Chemokine) not in _types(hermit, cytokine)
    rows = {(a.individual.iri, a.cls.iri) for a in hermit.inferred_types}
    assert rows == {
        (str(IL8), str(IL32.Chemokine)),
        (str(MIP2), str(IL32.Chemokine)),
        (str(IL32_), str(IL32.Cytokine)),
        (str(TNF), str(IL32.Cytokine)),
        (str(MOUSE_TNF), str(IL32.Cytokine)),
    }


def test_inferred_hierarchy(hermit: ReasoningResult) -> None:
    assert [(a.sub.label, a.sup.label) for a in hermit.inferred_subclasses] == [
        ("chemokine", "cytokine")
    ]
    assert str(LEUKOCYTE) in hermit.ancestors[str(OSTEOCLAST)]
    assert str(MACROPHAGE) not in hermit.ancestors[str(OSTEOCLAST)]
    assert str(LEUKOCYTE) in hermit.ancestors[str(MACROPHAGE)]


def test_inferred_triples_hold_types_hierarchy_and_relation_edges(
    hermit: ReasoningResult,
) -> None:
    inferred = hermit.inferred
    assert (IL8, RDF.type, IL32.Chemokine) in inferred
    assert (IL8, RDF.type, IL32.Cytokine) in inferred
    assert (IL32.Chemokine, RDFS.subClassOf, IL32.Cytokine) in inferred
    assert (OSTEOCLAST, RDFS.subClassOf, LEUKOCYTE) in inferred
    assert (OSTEOCLAST, RDFS.subClassOf, MACROPHAGE) not in inferred
    # Ubergraph-style plain edges of existential axioms, asserted and inherited
    assert (MACROPHAGE, DEVELOPS_FROM, MONOCYTE) in inferred
    assert (OSTEOCLAST, DEVELOPS_FROM, MONOCYTE) in inferred
    assert (MACROPHAGE, OBO.BFO_0000050, OBO.UBERON_0002405) in inferred  # via leukocyte
    assert (IL32.Chemokine, OBO.RO_0002327, OBO.GO_0008009) in inferred
    # only the most specific filler: not "develops from leukocyte"
    assert (MACROPHAGE, DEVELOPS_FROM, LEUKOCYTE) not in inferred
    # claim "acts upstream of, positive effect" also gives the edges of its super-relations
    assert (IL32_, OBO.RO_0002263, OBO.GO_0032640) in inferred
    # no helper class or blank node leaks out
    terms = {term for triple in inferred for term in triple}
    assert not any(isinstance(term, BNode) for term in terms)
    assert not any(str(term).startswith("urn:il32rdf:") for term in terms)


def test_add_inferences_goes_to_the_inferred_graph_only(hermit: ReasoningResult) -> None:
    dataset = il32rdf.load()
    added = add_inferences(dataset, hermit)
    assert added > 0
    assert (IL8, RDF.type, IL32.Chemokine) in dataset.graph(INFERRED_GRAPH)
    assert (IL8, RDF.type, IL32.Chemokine) not in dataset.graph(FACTS_GRAPH)
    assert add_inferences(dataset, hermit) == 0


def test_pellet_agrees_with_hermit(dataset: Dataset, hermit: ReasoningResult) -> None:
    pellet = reason(dataset, reasoner="pellet")
    assert pellet.reasoner == "pellet" and pellet.dl_checked and pellet.consistent
    assert pellet.inferred_types == hermit.inferred_types
    assert pellet.inferred_subclasses == hermit.inferred_subclasses
    assert pellet.ancestors == hermit.ancestors


# --- should-fail fixtures: caught and explained ----------------------------------------------


def test_inconsistency_is_explained_with_labels() -> None:
    result = reason(il32rdf.load([INCONSISTENT]), reasoner="hermit")
    assert not result.consistent and not result.ok
    (explanation,) = result.explanations
    assert explanation.about == "inconsistency" and explanation.complete
    assert explanation.axioms == (
        "'interleukin-8 (human)' Type 'cell line'",
        "'interleukin-8 (human)' Type 'protein'",
        "'protein' DisjointWith 'cell line'",
    )


def test_inconsistency_through_inference_names_the_claim() -> None:
    result = reason(il32rdf.load([INCONSISTENT_BY_INFERENCE]), reasoner="hermit")
    assert not result.consistent
    (explanation,) = result.explanations
    assert "'chemokine' DisjointWith 'cytokine'" in explanation.axioms
    assert "'chemokine activity' SubClassOf 'cytokine activity'" in explanation.axioms
    assert any(
        "(from claim 'IL-8 (CXCL8) is a chemokine')" in axiom
        or "(from claim 'MIP-2 (mouse CXCL2) is a chemokine')" in axiom
        for axiom in explanation.axioms
    )
    assert not any("_:" in axiom or "http" in axiom for axiom in explanation.axioms)


def test_unsatisfiable_class_is_explained_with_labels() -> None:
    result = reason(il32rdf.load([UNSATISFIABLE]), reasoner="hermit")
    assert result.consistent and not result.ok
    assert [t.iri for t in result.unsatisfiable] == [str(OBO.CL_0000125)]
    (explanation,) = result.explanations
    assert explanation.focus == str(OBO.CL_0000125)
    assert explanation.about == "unsatisfiable class 'glial cell'"
    assert explanation.axioms == (
        "'glial cell' SubClassOf 'leukocyte'",
        "'glial cell' SubClassOf 'neuron associated cell'",
        "'leukocyte' SubClassOf 'hematopoietic cell'",
        "'neuron associated cell' DisjointWith 'hematopoietic cell'",
    )


# --- without Java -----------------------------------------------------------------------------


def test_without_java_the_owl_rl_tier_runs_and_says_so(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without java
    result = reason(dataset)
    assert result.reasoner == "owlrl" and not result.dl_checked
    assert result.skipped_reason == "OWL 2 DL check skipped: no java executable on PATH"
    assert result.consistent
    assert {str(IL32.Chemokine), str(IL32.Cytokine)} <= _types(result, IL8)
    assert (MACROPHAGE, DEVELOPS_FROM, MONOCYTE) in result.inferred
    with pytest.raises(ReasonerError, match="no java executable on PATH"):
        reason(dataset, reasoner="hermit")


def test_a_broken_java_falls_back_or_fails_in_one_line(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    java = tmp_path / "java"
    java.write_text("#!/bin/sh\necho 'Error: could not create the Java VM' >&2\nexit 1\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + "/bin")
    result = reason(dataset, reasoner="auto")
    assert result.reasoner == "owlrl"
    assert result.skipped_reason is not None
    assert "does not start: Error: could not create the Java VM" in result.skipped_reason
    with pytest.raises(ReasonerError, match="does not start"):
        reason(dataset, reasoner="pellet")


def test_owl_rl_tier_catches_a_disjointness_clash() -> None:
    result = reason(il32rdf.load([INCONSISTENT]), reasoner="owlrl")
    assert not result.consistent and not result.dl_checked
    (explanation,) = result.explanations
    assert any("'protein'" in m and "'cell line'" in m for m in explanation.axioms)


def test_owl_rl_tier_entailments(owlrl_result: ReasoningResult) -> None:
    assert owlrl_result.consistent
    for cytokine in (IL32_, TNF, MOUSE_TNF, IL8, MIP2):
        assert str(IL32.Cytokine) in _types(owlrl_result, cytokine)
    assert str(LEUKOCYTE) in owlrl_result.ancestors[str(OSTEOCLAST)]
    assert str(MACROPHAGE) not in owlrl_result.ancestors[str(OSTEOCLAST)]


def test_bad_options_are_usage_errors(dataset: Dataset) -> None:
    with pytest.raises(UsageError, match="unknown reasoner 'fact\\+\\+'"):
        reason(dataset, reasoner="fact++")
    with pytest.raises(UsageError):
        reason(dataset, timeout=0)


def test_time_out_is_a_reasoner_error_naming_the_settings(dataset: Dataset) -> None:
    with pytest.raises(ReasonerError, match=r"--timeout SECONDS.*--java-memory MB"):
        reason(dataset, reasoner="hermit", timeout=0.01)


# --- OWL 2 DL profile ------------------------------------------------------------------------


def test_bundled_graph_passes_the_profile_check(hermit: ReasoningResult) -> None:
    assert [(f.focus, f.severity) for f in hermit.profile] == [(str(RDF.subject), Severity.INFO)]


def test_profile_violations_are_found() -> None:
    findings = profile_check(il32rdf.load([PROFILE]))
    errors = {(f.focus, f.message) for f in findings if f.severity is Severity.ERROR}
    test = "https://example.org/il32rdf-test/"
    assert errors == {
        (
            "http://www.w3.org/2002/07/owl#someValueFrom",
            "not a term of the rdf, rdfs, owl or xsd vocabulary (a typo?)",
        ),
        (test + "Undeclared", "used as a class (rdfs:subClassOf) but not declared owl:Class"),
        (
            test + "undeclaredProperty",
            "used as a property but not declared an object, datatype or annotation property",
        ),
        (
            test + "weight",
            "declared owl:DatatypeProperty and owl:ObjectProperty: OWL 2 DL forbids this "
            "punning of properties",
        ),
    }
    assert all(isinstance(f, ProfileFinding) for f in findings)


# --- the command ---------------------------------------------------------------------------


def test_cli_reason_consistent(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    target = tmp_path / "inferred.ttl"
    result = run_cli("reason", "--reasoner", "hermit", "-o", str(target))
    assert result.status == 0, result.err
    out = result.out
    assert "reasoner: hermit (OWL 2 DL): consistent" in out
    assert "'chemokine' SubClassOf 'cytokine'" in out
    assert "'interleukin-8 (human)' Type 'chemokine'" in out
    graph = Graph().parse(target, format="turtle")
    assert (MACROPHAGE, DEVELOPS_FROM, MONOCYTE) in graph


def test_cli_reason_json_and_unsatisfiable_exit_1(run_cli: Callable[..., Any]) -> None:
    result = run_cli("reason", "--data", str(UNSATISFIABLE), "--format", "json")
    assert result.status == 1
    report = json.loads(result.out)
    assert report["consistent"] is True and report["dl_checked"] is True
    assert report["unsatisfiable"] == [{"iri": str(OBO.CL_0000125), "label": "glial cell"}]
    assert "'glial cell' SubClassOf 'leukocyte'" in report["explanations"][0]["axioms"]


def test_cli_reason_inconsistent_exit_1(run_cli: Callable[..., Any]) -> None:
    result = run_cli("reason", "--data", str(INCONSISTENT))
    assert result.status == 1
    assert "INCONSISTENT" in result.out
    assert "'protein' DisjointWith 'cell line'" in result.out


def test_cli_reason_time_out_exit_2(run_cli: Callable[..., Any]) -> None:
    result = run_cli("reason", "--reasoner", "hermit", "--timeout", "0.01")
    assert result.status == 2
    err = result.err
    assert err.startswith("il32rdf: error: hermit did not finish within 0.01 s")
    assert "--java-memory MB" in err and len(err.strip().splitlines()) == 1


def test_cli_reason_without_java_says_dl_check_skipped(
    run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run_cli("reason")
    assert result.status == 0
    assert "note: OWL 2 DL check skipped: no java executable on PATH" in result.out
    failed = run_cli("reason", "--reasoner", "hermit")
    assert failed.status == 2
    assert "no java executable on PATH" in failed.err


def test_cli_out_of_memory_exit_2_names_the_memory_setting(
    run_cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    java = tmp_path / "java"  # starts (java -version) but dies on the run, as a JVM out of heap
    java.write_text(
        '#!/bin/sh\n[ "$1" = "-version" ] && exit 0\n'
        "echo 'Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space' >&2\n"
        "exit 3\n"
    )
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + "/bin")
    result = run_cli("reason", "--reasoner", "hermit", "--java-memory", "512")
    assert result.status == 2
    assert result.err == (
        "il32rdf: error: hermit ran out of JVM memory (512 MB): raise it with --java-memory MB "
        "(owlready2 JAVA_MEMORY), or use --reasoner owlrl\n"
    )
