"""Validation on the Oxigraph engine: the shapes compiled to SPARQL give pySHACL's report.

Every shapes fixture, the test data and a generated graph with every kind of injected defect
are validated both ways and the reports compared result for result (blank-node labels aside,
which each engine picks for itself). Shapes the compiler does not translate fall back to
pySHACL on a copy of the store.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CliResult
from rdflib import SH, Graph, Literal

import il32rdf
from il32rdf.errors import InputError
from il32rdf.stats import stats
from il32rdf.store import Engine, choose_engine, open_store
from il32rdf.validate import (
    UnsupportedShape,
    ValidationReport,
    ValidationResult,
    compile_shapes,
    load_shapes,
    validate,
)

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "shapes").glob("should_*/*.ttl"))
DATA = [HERE / "data" / "second_cytokine.ttl", HERE / "data" / "query_ill_typed.ttl"]
sys.path.insert(0, str(HERE.parent / "benchmarks"))

from generate import VIOLATION_KINDS, generate  # noqa: E402

Run = Callable[..., CliResult]


def _blank_free(report: ValidationReport) -> list[ValidationResult]:
    """The results with blank-node labels replaced, in order: engines label blank nodes apart."""

    def scrub(text: str | None) -> str | None:
        return re.sub(r"_:\w+", "_:b", text) if text is not None else None

    return [
        dataclasses.replace(r, focus=scrub(r.focus), value=scrub(r.value)) for r in report.results
    ]


@pytest.mark.parametrize("path", FIXTURES + DATA, ids=lambda p: p.name)
def test_oxigraph_gives_the_pyshacl_report(path: Path) -> None:
    expected = validate(il32rdf.load([path]))
    actual = validate(open_store([path], "oxigraph"))
    assert _blank_free(actual) == _blank_free(expected)


def test_shacl_beyond_the_bundled_shapes() -> None:
    # paths (inverse, sequence, alternative, one-or-more), counts 0 and 2, flags, sh:and,
    # sh:not, sh:in, sh:class through rdfs:subClassOf, ill-typed literals, node targets,
    # subjects-of and objects-of targets, qualified max counts, severities
    shapes, data = [HERE / "data" / "shacl" / "shapes.ttl"], [HERE / "data" / "shacl" / "data.ttl"]
    expected = validate(il32rdf.load(data, bundled=False), shapes=shapes, run_qc=False)
    actual = validate(open_store(data, "oxigraph", bundled=False), shapes=shapes, run_qc=False)
    assert actual == expected
    fired = {r.component.rpartition("#")[2] for r in actual.results}
    assert {
        "AndConstraintComponent",
        "NotConstraintComponent",
        "QualifiedMaxCountConstraintComponent",
        "InConstraintComponent",
        "DatatypeConstraintComponent",
        "PatternConstraintComponent",
        "MinCountConstraintComponent",
    } <= fired
    assert len(actual.results) == 16 and len(actual.infos) == 1 and len(actual.warnings) == 1


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "g.ttl"
    kinds = len(VIOLATION_KINDS)
    text, _ = generate(6000, seed=7, violations=2 * kinds)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_generated_graph_with_every_kind_of_defect(generated: Path) -> None:
    expected = validate(il32rdf.load([generated]))
    actual = validate(open_store([generated], "oxigraph"))
    assert len(expected.violations) >= 2 * len(VIOLATION_KINDS) - 2
    assert actual == expected


def test_the_cross_node_targets_select_the_same_claims_on_both_engines(generated: Path) -> None:
    """The contradiction and duplicate targets compare two claims' contexts; rdflib once
    selected claims there that were none, in time growing with the square of the graph
    (shapes/cross-node.ttl says why). Each target selects exactly the claims reported."""
    shapes = Graph().parse(HERE.parent / "shapes" / "cross-node.ttl")
    on_rdflib, on_oxigraph = open_store([generated], "rdflib"), open_store([generated], "oxigraph")
    selected: dict[str, set[str]] = {}
    for shape, target in shapes.subject_objects(SH.target):
        text = str(shapes.value(target, SH.select))
        expected = sorted(str(row[0]) for row in on_oxigraph.query(text).rows)
        assert sorted(str(row[0]) for row in on_rdflib.query(text).rows) == expected
        selected[str(shape).rpartition("/")[2]] = set(expected)
    assert set(selected) == {"ContradictionShape", "PlainEdgeShape", "DuplicateClaimShape"}
    report = validate(on_oxigraph)
    for name in ("ContradictionShape", "DuplicateClaimShape"):
        reported = {r.focus for r in report.violations if r.shape.endswith(name)}
        assert len(reported) == 2  # the fixture injects two of each kind
        assert reported == selected[name]


def test_the_store_is_left_as_it_was(generated: Path) -> None:
    store = open_store([generated], "oxigraph")
    before = len(store)
    validate(store)
    assert len(store) == before  # the scratch graph of the subclass closure is dropped


def test_shapes_the_compiler_does_not_translate_fall_back_to_pyshacl(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix up: <http://purl.uniprot.org/core/> .
<urn:shape:ShortLabel> a sh:NodeShape ; sh:targetClass up:Protein ;
    sh:property [ sh:path rdfs:label ; sh:maxLength 12 ; sh:message "Label too long." ] ;
    sh:property [ sh:path <urn:shape:partner> ; sh:node <urn:shape:ShortLabel> ] .
""",
        encoding="utf-8",
    )
    with pytest.raises(UnsupportedShape, match="recursive"):
        compile_shapes(load_shapes([shapes]))
    expected = validate(il32rdf.load(), shapes=[shapes], run_qc=False)
    actual = validate(open_store(engine="oxigraph"), shapes=[shapes], run_qc=False)
    assert actual == expected
    assert not actual.compiled and "recursive" in (actual.declined or "")
    assert {r.message for r in actual.violations} == {"Label too long."}
    assert len(actual.violations) >= 3


def test_the_compiler_covers_the_bundled_shapes() -> None:
    checks = compile_shapes(load_shapes())
    components = {c.component for c in checks}
    assert SH.SPARQLConstraintComponent in components
    assert SH.QualifiedMinCountConstraintComponent in components
    assert SH.UniqueLangConstraintComponent in components
    assert all(c.templates for c in checks)
    shapes = load_shapes()
    shapes.add((next(iter(shapes.subjects(SH.targetClass, None))), SH.xone, Literal(1)))
    with pytest.raises(UnsupportedShape):
        compile_shapes(shapes)


def test_stats_agree_between_engines(generated: Path) -> None:
    assert stats(open_store([generated], "oxigraph")) == stats(il32rdf.load([generated]))


def test_auto_is_oxigraph_and_both_engines_read_with_oxigraphs_parser(tmp_path: Path) -> None:
    small = tmp_path / "small.ttl"
    small.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    assert choose_engine([]) is choose_engine([small]) is Engine.OXIGRAPH
    assert choose_engine([small], "rdflib") is Engine.RDFLIB
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> <not an iri> .\n", encoding="utf-8")
    messages = set()
    for engine in ("rdflib", "oxigraph"):
        with pytest.raises(InputError) as refused:
            open_store([bad], engine, bundled=False)
        messages.add(str(refused.value))
    assert messages == {f"{bad}:1:17: malformed Turtle: Invalid IRI code point ' '"}


def test_cli_validate_on_oxigraph_reports_like_rdflib(run_cli: Run, generated: Path) -> None:
    reports = {}
    for engine in ("rdflib", "oxigraph"):
        result = run_cli("validate", str(generated), "--store", engine, "--format", "json")
        assert result.status == 1, result.err
        reports[engine] = json.loads(result.out)
    assert reports["oxigraph"] == reports["rdflib"]
    assert reports["oxigraph"]["violations"] >= len(VIOLATION_KINDS)


def test_cli_store_path_is_reused_across_commands(run_cli: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = run_cli("validate", "--store-path", str(store))
    assert first.status == 0 and "loaded" in first.err
    again = run_cli("stats", "--store-path", str(store), "--format", "json")
    assert again.status == 0 and "reused" in again.err
    assert json.loads(again.out)["claims"] == stats(il32rdf.load()).claims
    wrong = run_cli("stats", "--store-path", str(store), "--store", "rdflib")
    assert wrong.status == 2 and "does not go with --store rdflib" in wrong.err


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_an_ill_typed_literal_is_reported_as_written(engine: str) -> None:
    report = validate(open_store([HERE / "data" / "flag_typo.ttl"], engine))
    negated = "https://w3id.org/il32rdf/ontology/negated"
    values = {r.value for r in report.results if r.path == negated}
    assert values == {'"flase"^^<http://www.w3.org/2001/XMLSchema#boolean>'}


def test_the_bundled_data_are_validated_by_the_compiled_shapes() -> None:
    # the Oxigraph store holds every literal of the bundled files as they write them
    store = open_store(engine="oxigraph")
    assert store.respelt() is None
    assert validate(store).compiled


LITERALS = """@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/ns#> .
ex:a a ex:Thing ; ex:count {count} ; ex:flag {flag} ; ex:size {size} ; ex:note "1.50"^^xsd:decimal .
"""
LITERAL_SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/ns#> .
ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:count ; sh:maxInclusive 4 ] ;
    sh:property [ sh:path ex:flag ; sh:in ( false ) ] ;
    sh:property [ sh:path ex:size ; sh:datatype xsd:integer ] .
"""


@pytest.mark.parametrize(
    ("count", "flag", "size", "compiled"),
    [
        # canonical: the store holds them as written, and ex:note, which Oxigraph holds as
        # "1.5", is read by no shape: compiled
        ('"5"^^xsd:integer', "true", '"7"^^xsd:integer', True),
        ('"05"^^xsd:integer', "true", '"7"^^xsd:integer', False),  # held as "5"
        ('"5"^^xsd:integer', '"1"^^xsd:boolean', '"7"^^xsd:integer', False),  # held as true
        ('"5"^^xsd:integer', "true", '"1.50"^^xsd:decimal', False),  # held as "1.5"
        ('"5"^^xsd:integer', "true", '"7"^^xsd:int', False),  # held as "7"^^xsd:integer
    ],
)
def test_literals_as_the_file_writes_them_on_both_engines(
    tmp_path: Path, count: str, flag: str, size: str, compiled: bool
) -> None:
    data, shapes = tmp_path / "data.ttl", tmp_path / "shapes.ttl"
    data.write_text(LITERALS.format(count=count, flag=flag, size=size), encoding="utf-8")
    shapes.write_text(LITERAL_SHAPES, encoding="utf-8")
    expected = validate(il32rdf.load([data], bundled=False), shapes=[shapes], run_qc=False)
    actual = validate(open_store([data], "oxigraph", bundled=False), shapes=[shapes], run_qc=False)
    assert actual == expected
    assert actual.compiled is compiled
    if not compiled:
        assert (
            "Oxigraph holds a literal otherwise than the data write it: <http://example.org/ns#a>"
            in (actual.declined or "")
        )
    values = sorted(r.value or "" for r in actual.results)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    wanted = [_nt(count, xsd), _nt(flag if flag != "true" else '"true"^^xsd:boolean', xsd)]
    if "integer" not in size:
        wanted.append(_nt(size, xsd))
    assert values == sorted(wanted)


def _nt(turtle: str, xsd: str) -> str:
    """A literal written ``"v"^^xsd:name`` as the report shows it."""
    return turtle.replace("xsd:", f"<{xsd}") + ">"


_SH = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ex: <http://example.org/ns#> .
"""
_DATA = (
    _SH
    + """
ex:a a ex:Thing ; ex:p ex:b , ex:c ; ex:n 1 , 5 ; ex:m 3 ; ex:label "a"@en , "A"@en , "ä"@de .
ex:b a ex:Thing ; ex:p ex:c ; ex:n 2 ; ex:m 2 ; ex:label "b"@fr .
ex:c a ex:Other ; ex:n 7 ; ex:m 9 .
ex:d a ex:Thing .
"""
)
# SHACL beyond the W3C suite's cases; each must compile and give pySHACL's report
DIFFERENTIAL = {
    "owl-class-implicit-target": """owl:Class rdfs:subClassOf rdfs:Class .
ex:Thing a owl:Class ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .""",
    "counts-inside-node": """ex:S sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:p ; sh:node [ sh:property [ sh:path ex:n ; sh:minCount 2 ;
        sh:maxCount 3 ] ] ] .""",
    "xone-of-three": """ex:S sh:targetClass ex:Thing ; sh:xone (
    [ sh:property [ sh:path ex:n ; sh:minCount 2 ] ]
    [ sh:property [ sh:path ex:m ; sh:minInclusive 3 ] ]
    [ sh:property [ sh:path ex:p ; sh:maxCount 1 ] ] ) .""",
    "pairs": """ex:S sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:n ; sh:lessThanOrEquals ex:m ] ;
    sh:property [ sh:path ex:p ; sh:disjoint ex:n ; sh:equals ex:p ] .""",
    "languages": """ex:S sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:label ; sh:uniqueLang true ; sh:languageIn ( "en" ) ] .""",
    "qualified-disjoint": """ex:S sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:Thing ] ;
        sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true ] ;
    sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:Other ] ;
        sh:qualifiedMaxCount 0 ; sh:qualifiedValueShapesDisjoint true ] .""",
    "nested-in-property-with-paths": """ex:S sh:targetNode ex:a ;
    sh:property [ sh:path [ sh:oneOrMorePath ex:p ] ;
        sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 2 ] ] .""",
    "sparql-prebinding": """ex:S sh:targetClass ex:Thing ;
    sh:sparql [ sh:message "{$this} has {?count} n" ; sh:select '''
        SELECT $this (COUNT(?n) AS ?count) WHERE { OPTIONAL { $this ex:n ?n } }
        GROUP BY $this HAVING (COUNT(?n) < 2)''' ] ;
    sh:sparql [ sh:select '''SELECT $this ?value WHERE {
        { SELECT $this ?value WHERE { $this ex:p ?value } ORDER BY ?value LIMIT 1 }
        FILTER (?value != $currentShape) }''' ] .""",
    "ask-component": """ex:MaxNComponent a sh:ConstraintComponent ;
    sh:parameter [ sh:path ex:maxN ] ;
    sh:validator [ a sh:SPARQLAskValidator ; sh:message "over {$maxN}" ;
        sh:ask "ASK { FILTER (?value <= $maxN) }" ] .
ex:S sh:targetClass ex:Thing ; sh:property [ sh:path ex:n ; ex:maxN 4 ] .""",
    "closed-property-shape-and-no-messages": """ex:S sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:p ; sh:closed true ; sh:ignoredProperties ( ex:n ex:m ) ] ;
    sh:property [ sh:path ex:n ; sh:maxExclusive 5 ; sh:not [ sh:in ( 2 ) ] ] .""",
}


@pytest.mark.parametrize("case", sorted(DIFFERENTIAL))
def test_the_compiled_shapes_give_pyshacls_report(tmp_path: Path, case: str) -> None:
    data, shapes = tmp_path / "data.ttl", tmp_path / "shapes.ttl"
    data.write_text(_DATA, encoding="utf-8")
    shapes.write_text(_SH + DIFFERENTIAL[case] + "\n", encoding="utf-8")
    expected = validate(il32rdf.load([data], bundled=False), shapes=[shapes], run_qc=False)
    actual = validate(open_store([data], "oxigraph", bundled=False), shapes=[shapes], run_qc=False)
    assert actual.compiled, actual.declined
    assert actual == expected
    assert expected.results  # every case finds something
