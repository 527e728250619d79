"""The SHACL shapes: each should_fail fixture breaks exactly the rules it declares, each
should_pass fixture conforms, the bundled graph conforms, and the shapes are valid SHACL.

A fixture declares what it expects in leading comments:
``# expect: <shape local name> sh:<ConstraintComponent>`` (one line per expected violation), or
``# expect: conforms``, optionally with ``# expect-warning: <shape> sh:<Component>`` lines for
the warnings and infos a conforming fixture must draw. Fixtures are validated merged with
the bundled ontology and facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SH, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

import il32rdf
from il32rdf.errors import ShapesError
from il32rdf.validate import (
    SHAPES,
    ValidationReport,
    check_shapes,
    data_graph,
    load_shapes,
    validate,
)
from il32rdf.vocab import FACT, IL32, OBO, UNIPROT

FIXTURES = Path(__file__).parent / "shapes"
PASSING = sorted((FIXTURES / "should_pass").glob("*.ttl"))
FAILING = sorted((FIXTURES / "should_fail").glob("*.ttl"))


def _local(iri: str) -> str:
    if iri.startswith(str(SHAPES)):
        return iri[len(str(SHAPES)) :]
    return iri.rpartition("#")[2]


def _expected(path: Path, tag: str = "# expect:") -> set[tuple[str, str]]:
    expected: set[tuple[str, str]] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(tag):
            words = line.split(":", 1)[1].split()
            if words != ["conforms"]:
                expected.add((words[0], words[1].split(":", 1)[1]))
    return expected


def _fired(report: ValidationReport, *, advice: bool = False) -> set[tuple[str, str]]:
    results = report.warnings + report.infos if advice else report.violations
    return {(_local(r.shape), _local(r.component)) for r in results}


def test_fixtures_declare_what_they_expect() -> None:
    assert len(PASSING) >= 12
    assert len(FAILING) >= 80
    for path in FAILING:
        assert _expected(path), f"{path.name} has no '# expect:' line"


def test_bundled_shapes_are_valid_shacl() -> None:
    check_shapes(load_shapes())


def test_bundled_graph_conforms_without_any_result(dataset: Dataset) -> None:
    report = validate(dataset)
    assert report.conforms
    assert report.results == ()


@pytest.mark.parametrize("path", PASSING, ids=[p.stem for p in PASSING])
def test_should_pass(path: Path) -> None:
    report = validate(il32rdf.load([path]))
    assert report.violations == (), [r.message for r in report.violations]
    advice = _expected(path, "# expect-warning:")
    if advice:  # a fixture that conforms but must draw exactly this advice
        assert _fired(report, advice=True) == advice


@pytest.mark.parametrize("path", FAILING, ids=[p.stem for p in FAILING])
def test_should_fail_fires_exactly_the_expected_rule(path: Path) -> None:
    report = validate(il32rdf.load([path]))
    assert not report.conforms
    assert _fired(report) == _expected(path)
    for result in report.violations:
        assert result.message and "{" not in result.message


def test_every_shape_and_constraint_has_a_message() -> None:
    shapes = load_shapes()
    parameters = [
        SH.minCount,
        SH.maxCount,
        SH.pattern,
        SH.datatype,
        SH.nodeKind,
        SH["in"],
        SH.hasValue,
        SH["class"],
        SH.node,
        SH["or"],
        SH.qualifiedValueShape,
        SH.uniqueLang,
        SH.sparql,
        SH.select,
    ]
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
        shapes.subjects(RDF.type, SH.PropertyShape)
    )
    for parameter in parameters:
        nodes |= set(shapes.subjects(parameter, None))
    nodes -= set(shapes.subjects(RDF.type, SH.SPARQLTarget))
    assert [n for n in nodes if shapes.value(n, SH.message) is None] == []


def test_subclass_only_cell_type_is_accepted_as_a_cell_with_advice() -> None:
    report = validate(il32rdf.load([FIXTURES / "should_pass" / "subclass-only-cell-type.ttl"]))
    assert report.passes() and not report.conforms  # SHACL: an Info is a result
    assert [(_local(r.shape), r.focus) for r in report.results] == [
        ("LocalTermAdviceShape", "https://example.org/lab/my-monocyte-subtype")
    ]


def test_subclass_only_cell_type_under_a_process_is_rejected() -> None:
    path = FIXTURES / "should_fail" / "claim-subclass-only-cell-type-not-a-cell.ttl"
    (result,) = validate(il32rdf.load([path])).violations
    assert result.focus == str(FACT["test-claim"])
    assert result.path == str(IL32.cellType)
    assert result.value == "https://example.org/lab/my-process"
    assert result.value_label == "my osteoclast differentiation assay"


def test_claim_about_a_monocyte_satisfies_is_a_leukocyte(dataset: Dataset) -> None:
    graph = data_graph(dataset)
    assert (OBO.CL_0000576, RDFS.subClassOf, OBO.CL_0000738) in graph
    assert (OBO.CL_0000576, RDFS.subClassOf, OBO.CL_0000000) in graph
    assert (OBO.CL_0000092, RDFS.subClassOf, OBO.CL_0000235) not in graph
    assert (OBO.UBERON_0002405, RDFS.subClassOf, OBO.UBERON_0000467) not in graph


def test_missing_plain_edge_is_a_violation(dataset: Dataset) -> None:
    graph = Graph()  # ontology and facts, but not the inferred graph with the plain edges
    for name in (il32rdf.ONTOLOGY_GRAPH, il32rdf.FACTS_GRAPH):
        for triple in dataset.graph(name):
            graph.add(triple)
    graph.add((UNIPROT.P24001, OBO.RO_0002263, OBO.GO_0030036))  # one edge written by hand
    missing = {r.focus for r in validate(graph).violations if _local(r.shape) == "PlainEdgeShape"}
    assert str(FACT["il32-supports-osteoclast-differentiation"]) in missing
    assert str(FACT["il32-acts-on-actin-cytoskeleton"]) not in missing
    assert str(FACT["il32-not-osteoclast-activation"]) not in missing  # negated: no edge


def test_results_carry_the_label_and_the_publication_of_the_claim() -> None:
    path = FIXTURES / "should_fail" / "claim-no-evidence.ttl"
    (result,) = validate(il32rdf.load([path])).violations
    assert result.focus_label == "IL-32 induces human macrophages to secrete TNF-alpha (test)"
    assert result.source == "https://pubmed.ncbi.nlm.nih.gov/15664165/"
    assert result.source_label == "Kim et al. 2005"
    assert result.severity.level == "ERROR"


def test_contradiction_names_the_asserted_claim() -> None:
    path = FIXTURES / "should_fail" / "claim-contradicts-asserted-claim.ttl"
    (result,) = validate(il32rdf.load([path])).violations
    assert result.focus == str(FACT["test-claim"])
    assert result.value == str(FACT["il32-induces-tnf-in-monocytes"])


def test_invalid_shapes_graph_is_rejected_naming_the_shape() -> None:
    shapes = Graph()
    shape = SHAPES.BrokenShape
    sh = "http://www.w3.org/ns/shacl#"
    shapes.add((shape, RDF.type, URIRef(sh + "NodeShape")))
    shapes.add((shape, URIRef(sh + "targetClass"), IL32.Claim))
    shapes.add((shape, URIRef(sh + "minCount"), Literal("one")))
    with pytest.raises(ShapesError, match="BrokenShape"):
        validate(Graph(), shapes=shapes)


def test_source_must_be_typed_for_readable_reports() -> None:
    path = FIXTURES / "should_fail" / "claim-malformed-pubmed-iri.ttl"
    report = validate(il32rdf.load([path]))
    assert [(_local(r.shape), r.path) for r in report.warnings] == [
        ("ClaimSourceDeclaredShape", str(DCTERMS.source))
    ]


def test_every_constraint_of_every_shape_has_a_fixture_that_breaks_it() -> None:
    shapes = load_shapes()
    parameters = {
        SH.minCount: "MinCount",
        SH.maxCount: "MaxCount",
        SH.pattern: "Pattern",
        SH.datatype: "Datatype",
        SH.nodeKind: "NodeKind",
        SH["in"]: "In",
        SH.hasValue: "HasValue",
        SH["class"]: "Class",
        SH.node: "Node",
        SH["or"]: "Or",
        SH.qualifiedMinCount: "QualifiedMinCount",
        SH.qualifiedMaxCount: "QualifiedMaxCount",
        SH.uniqueLang: "UniqueLang",
        SH.sparql: "SPARQL",
    }
    needed = {
        (_local(str(shape)), f"{name}ConstraintComponent")
        for parameter, name in parameters.items()
        for shape in shapes.subjects(parameter, None)
        if isinstance(shape, URIRef) and not str(shape).endswith("Class")  # sh:node helpers
    }
    covered: set[tuple[str, str]] = set()
    for path in PASSING + FAILING:
        covered |= _expected(path) | _expected(path, "# expect-warning:")
    assert needed - covered == set()
