"""Named queries, parameters, result formats and the rdflib/Oxigraph parity (Python API).

Every expected answer below was worked out by hand from ontology/ and ontology/facts/ (IL-32)
and from tests/data/query_second_cytokine.ttl (the fictional IL-Z).
"""

from __future__ import annotations

import csv
import doctest
import io
import json
import os
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest
from rdflib import XSD, Dataset, Literal, URIRef
from rdflib.plugins.sparql.results.jsonresults import JSONResultParser
from rdflib.plugins.sparql.results.xmlresults import XMLResultParser
from rdflib.term import Node

import il32rdf
from il32rdf.errors import QueryError, QueryTimeoutError, UsageError
from il32rdf.query import QUERY_DIR, answer_all, named_queries, parse_query_text, query
from il32rdf.results import QueryResult, ResultFormat, write_results
from il32rdf.stats import stats
from il32rdf.store import OxigraphStore, as_store, open_store
from il32rdf.store.timelimit import start_limited, with_time_limit
from il32rdf.vocab import expand_curie

DATA = Path(__file__).parent / "data"
SECOND = DATA / "query_second_cytokine.ttl"
ILL_TYPED = DATA / "query_ill_typed.ttl"
EX = "http://example.org/il32rdf-test/"
ILZ = EX + "ILZ"

NAMES = [
    "chemokines",
    "cytokine-sources",
    "describe",
    "evidence",
    "immune-cells",
    "lineage",
    "mechanisms",
    "process-effects",
    "secretions",
]


def iri(short: str) -> URIRef:
    """``CL:0000576`` or ``ex:ZCell`` as an IRI."""
    if short.startswith("ex:"):
        return URIRef(EX + short[3:])
    return URIRef(expand_curie(short))


def col(result: QueryResult, *names: str) -> list[tuple[Node | None, ...]]:
    """The given columns of every row, in row order."""
    index = [result.columns.index(n) for n in names]
    return [tuple(row[i] for i in index) for row in result.rows]


def iris(*shorts: str) -> tuple[URIRef, ...]:
    return tuple(iri(s) for s in shorts)


@pytest.fixture(scope="session")
def store(dataset: Dataset) -> OxigraphStore:
    return as_store(dataset, "oxigraph")


@pytest.fixture(scope="session")
def second() -> Dataset:
    """The bundled graph plus the fictional IL-Z facts."""
    return il32rdf.load([SECOND])


@pytest.fixture(scope="session")
def second_alone() -> Dataset:
    """Only the ontology (as a data file) and the IL-Z facts: no bundled IL-32 facts."""
    return il32rdf.load(
        [Path(il32rdf.__file__).parent.parent / "ontology" / "il32rdf.ttl", SECOND], bundled=False
    )


# --- the shipped queries ---------------------------------------------------------------------


def test_the_named_queries_are_shipped_with_headers() -> None:
    queries = named_queries()
    assert list(queries) == NAMES
    for named in queries.values():
        assert named.path is not None and named.path.parent == QUERY_DIR
        assert named.title and named.question.endswith("?")
        assert "ORDER BY" in named.text
        cytokine = named.parameter("cytokine")
        assert cytokine is not None and cytokine.default == "uniprot:P24001"
        assert cytokine.kind == "iri" and cytokine.description
    entity = queries["describe"].parameter("entity")
    assert entity is not None and entity.kind == "term"


def test_a_header_is_parsed() -> None:
    named = parse_query_text(
        "# title: T\n# question: Q?\n# param: x (term) = IL-8 — a thing\n"
        "# param: y = CL:0000576\nSELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x\n"
    )
    assert named.title == "T" and named.question == "Q?"
    assert [(p.name, p.kind, p.default, p.description) for p in named.parameters] == [
        ("x", "term", "IL-8", "a thing"),
        ("y", "iri", "CL:0000576", ""),
    ]


# --- expected answers on the bundled graph, by IRI --------------------------------------------


def test_secretions(dataset: Dataset) -> None:
    answer = query(dataset, "secretions")
    assert col(answer, "cell_type", "molecule", "taxon", "cell_line", "source") == [
        iris(
            "CL:0000235", "uniprot:P06804", "NCBITaxon:10090", "cellosaurus:0493", "pubmed:15664165"
        ),
        iris(
            "CL:0000235", "uniprot:P10889", "NCBITaxon:10090", "cellosaurus:0493", "pubmed:15664165"
        ),
        iris(
            "CL:0000576", "uniprot:P01375", "NCBITaxon:9606", "cellosaurus:0006", "pubmed:15664165"
        ),
        iris(
            "CL:0000576", "uniprot:P10145", "NCBITaxon:9606", "cellosaurus:0006", "pubmed:15664165"
        ),
    ]
    assert col(answer, "cell_type_label", "molecule_label")[3] == (
        Literal("monocyte"),
        Literal("interleukin-8 (human)"),
    )


def test_chemokines_come_from_the_class_hierarchy(dataset: Dataset) -> None:
    answer = query(dataset, "chemokines")
    assert col(answer, "molecule", "cell_type", "taxon") == [
        iris("uniprot:P10145", "CL:0000576", "NCBITaxon:9606"),
        iris("uniprot:P10889", "CL:0000235", "NCBITaxon:10090"),
    ]


def test_process_effects_has_the_polarity_and_the_negated_claim(dataset: Dataset) -> None:
    answer = query(dataset, "process-effects")
    rankl = iri("uniprot:O14788")
    assert col(answer, "process", "polarity", "negated", "with", "without", "claim") == [
        (
            iri("GO:0030316"),
            Literal("supported"),
            Literal(False),
            rankl,
            None,
            iri("fact:il32-increases-osteoclast-formation-with-rankl"),
        ),
        (
            iri("GO:0030316"),
            Literal("supported"),
            Literal(False),
            None,
            rankl,
            iri("fact:il32-supports-osteoclast-differentiation"),
        ),
        (
            iri("GO:0045453"),
            Literal("inhibited"),
            Literal(False),
            rankl,
            None,
            iri("fact:il32-lowers-bone-resorption-with-rankl"),
        ),
        (
            iri("GO:0045453"),
            Literal("not supported"),
            Literal(True),
            None,
            rankl,
            iri("fact:il32-not-osteoclast-activation"),
        ),
    ]


def test_mechanisms(dataset: Dataset) -> None:
    answer = query(dataset, "mechanisms")
    article = iri("wikipedia:Interleukin_32")
    assert col(
        answer, "kind", "mechanism", "structure", "effect", "effect_negated", "explained_per"
    ) == [
        (
            Literal("cellular structure"),
            iri("GO:0030036"),
            iri("GO:0015629"),
            iri("GO:0045453"),
            Literal(True),
            article,
        ),
        (Literal("pathway"), iri("GO:0043491"), None, None, None, None),
        (Literal("pathway"), iri("GO:0070371"), None, iri("GO:0030316"), Literal(False), article),
    ]
    # the pathways are the paper's measurements; the "by regulating" links the article's
    assert col(answer, "source") == [
        (article,),
        (iri("pubmed:19137064"),),
        (iri("pubmed:19137064"),),
    ]


def test_immune_cells_by_subclass_closure(dataset: Dataset) -> None:
    answer = query(dataset, "immune-cells")
    assert col(answer, "cell_type", "acted_on") == [
        (iri("CL:0000092"), Literal(True)),
        (iri("CL:0000235"), Literal(True)),
        (iri("CL:0000576"), Literal(True)),
        (iri("CL:0000738"), Literal(False)),
        (iri("CL:0000766"), Literal(False)),
        (iri("CL:0000842"), Literal(False)),
        (iri("CL:2000001"), Literal(True)),  # the osteoclast experiments' PBMC cultures
    ]


def test_lineage(dataset: Dataset) -> None:
    assert col(query(dataset, "lineage"), "cell_type", "precursor") == [
        iris("CL:0000092", "CL:0000576"),
        iris("CL:0000235", "CL:0000576"),
    ]


def test_cytokine_sources(dataset: Dataset) -> None:
    assert col(query(dataset, "cytokine-sources"), "cell_type", "process") == [
        iris("CL:0000125", "GO:0001816"),
        iris("CL:0000738", "GO:0001816"),
    ]


def test_evidence_lists_every_claim_with_provenance(dataset: Dataset) -> None:
    answer = query(dataset, "evidence")
    claims = col(answer, "claim", "negated", "source", "evidence", "taxon")
    kim, mab = iri("pubmed:15664165"), iri("pubmed:19137064")
    article = iri("wikipedia:Interleukin_32")
    ida, tas = iri("ECO:0000314"), iri("ECO:0000304")
    human, mouse = iri("NCBITaxon:9606"), iri("NCBITaxon:10090")
    false, true = Literal(False), Literal(True)
    assert claims == [
        (iri("fact:il32-acts-on-actin-cytoskeleton"), false, article, tas, human),
        (iri("fact:il32-enables-cytokine-activity"), false, kim, ida, human),
        (iri("fact:il32-induces-il8-in-monocytes"), false, kim, ida, human),
        (iri("fact:il32-induces-mip2-in-macrophages"), false, kim, ida, mouse),
        (iri("fact:il32-induces-tnf-in-macrophages"), false, kim, ida, mouse),
        (iri("fact:il32-induces-tnf-in-monocytes"), false, kim, ida, human),
        (iri("fact:il32-activates-akt-signaling"), false, mab, ida, human),
        (iri("fact:il32-activates-erk-cascade"), false, mab, ida, human),
        (iri("fact:il32-increases-osteoclast-formation-with-rankl"), false, mab, ida, human),
        (iri("fact:il32-lowers-bone-resorption-with-rankl"), false, mab, ida, human),
        (iri("fact:il32-not-osteoclast-activation"), true, mab, ida, human),
        (iri("fact:il32-supports-osteoclast-differentiation"), false, mab, ida, human),
    ]
    assert set(answer.column("evidence_label")) == {
        Literal("direct assay evidence used in manual assertion"),
        Literal("author statement supported by traceable reference used in manual assertion"),
    }
    assert col(answer, "cell_line")[4] == (iri("cellosaurus:0493"),)


@pytest.mark.parametrize(
    "entity",
    [
        "IL-8",
        "il-8",
        "CXCL8",
        "uniprot:P10145",
        "HGNC:6025",
        "http://purl.uniprot.org/uniprot/P10145",
    ],
)
def test_describe_finds_an_entity_by_name_curie_or_iri(dataset: Dataset, entity: str) -> None:
    answer = query(dataset, "describe", entity=entity)
    assert set(answer.column("iri")) == {iri("uniprot:P10145")}
    fields = {(str(f), v) for f, v in col(answer, "field", "value")}
    assert ("label", Literal("interleukin-8 (human)")) in fields
    assert ("exact synonym", Literal("IL-8")) in fields
    assert ("gene symbol", Literal("CXCL8")) in fields
    assert ("xref", Literal("HGNC:6025")) in fields
    assert ("type", iri("up:Protein")) in fields
    assert ("in taxon", iri("NCBITaxon:9606")) in fields


def test_describe_gives_definitions_and_superclasses(dataset: Dataset) -> None:
    answer = query(dataset, "describe", entity="immune cell")  # a related synonym of leukocyte
    assert set(answer.column("iri")) == {iri("CL:0000738")}
    fields = {str(f) for f in answer.column("field")}
    assert {"label", "exact synonym", "related synonym", "superclass", "comment"} <= fields
    claim = query(dataset, "describe", entity="il32:Claim")
    assert ("definition",) in {(str(f),) for f in claim.column("field")}


def test_describe_of_an_unknown_name_is_empty(dataset: Dataset) -> None:
    assert len(query(dataset, "describe", entity="no such thing")) == 0


# --- a second cytokine, with no code change ----------------------------------------------------


@pytest.fixture(scope="session", params=["with-bundled", "alone"])
def ilz_graph(request: pytest.FixtureRequest, second: Dataset, second_alone: Dataset) -> Dataset:
    return second if request.param == "with-bundled" else second_alone


def test_second_cytokine_secretions_and_chemokines(ilz_graph: Dataset) -> None:
    assert col(query(ilz_graph, "secretions", cytokine=ILZ), "cell_type", "molecule", "taxon") == [
        iris("ex:ZCell", "ex:MolB", "NCBITaxon:10090"),
        iris("CL:0000576", "ex:MolA", "NCBITaxon:9606"),
    ]
    # MolA enables a (fictional) subclass of chemokine activity; MolC is a chemokine but its
    # production is negated; MolB is only a cytokine
    assert col(query(ilz_graph, "chemokines", cytokine=ILZ), "molecule") == [iris("ex:MolA")]


def test_second_cytokine_processes_and_mechanisms(ilz_graph: Dataset) -> None:
    effects = query(ilz_graph, "process-effects", cytokine=ILZ)
    assert col(effects, "process", "polarity") == [
        (iri("GO:0030225"), Literal("supported")),
        (iri("GO:0045453"), Literal("not supported")),
    ]
    # the negated actin claim is not a mechanism
    assert col(query(ilz_graph, "mechanisms", cytokine=ILZ), "kind", "mechanism") == [
        (Literal("pathway"), iri("GO:0000165")),
    ]


def test_second_cytokine_cells(ilz_graph: Dataset, second_alone: Dataset) -> None:
    immune = col(query(ilz_graph, "immune-cells", cytokine=ILZ), "cell_type", "acted_on")
    assert immune == [
        (iri("ex:ZCell"), Literal(True)),
        (iri("CL:0000092"), Literal(True)),
        (iri("CL:0000235"), Literal(False)),
        (iri("CL:0000576"), Literal(True)),
        (iri("CL:0000738"), Literal(False)),
        (iri("CL:0000766"), Literal(False)),
        (iri("CL:0000842"), Literal(False)),
        (iri("CL:2000001"), Literal(False)),
    ]
    assert col(query(ilz_graph, "lineage", cytokine=ILZ), "cell_type", "precursor") == [
        iris("ex:ZCell", "CL:0000235"),  # OWL restriction
        iris("ex:ZCell", "CL:0000576"),  # claim
        iris("CL:0000092", "CL:0000576"),
        iris("CL:0000235", "CL:0000576"),
    ]
    sources = col(query(ilz_graph, "cytokine-sources", cytokine=ILZ), "cell_type", "process")
    expected = [iris("ex:ZCell", "GO:0032602")]
    if ilz_graph is not second_alone:  # glial and immune cells secreting cytokines are claims
        expected += [iris("CL:0000125", "GO:0001816"), iris("CL:0000738", "GO:0001816")]
    assert sources == expected


def test_second_cytokine_evidence_and_describe(ilz_graph: Dataset) -> None:
    evidence = query(ilz_graph, "evidence", cytokine=ILZ)
    assert col(evidence, "claim", "negated") == [
        (iri("ex:c1"), Literal(False)),
        (iri("ex:c10"), Literal(True)),
        (iri("ex:c2"), Literal(False)),
        (iri("ex:c5"), Literal(False)),
        (iri("ex:c6"), Literal(True)),
        (iri("ex:c7"), Literal(False)),
        (iri("ex:c8"), Literal(True)),
    ]
    describe = query(ilz_graph, "describe", entity="il-z")
    assert set(describe.column("iri")) == {URIRef(ILZ)}
    assert ("definition", Literal("A fictional cytokine, written only as test data.")) in {
        (str(f), v) for f, v in col(describe, "field", "value")
    }


# --- parameters: bound, checked, never pasted ----------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "uniprot:P24001> } ; DROP ALL #",
        "<http://purl.uniprot.org/uniprot/P24001> } DROP ALL #>",
        "http://example.org/a b",
        'http://example.org/"quoted"',
        "http://example.org/{x}",
        "uniprot:P24001>\nSELECT * WHERE { ?s ?p ?o }",
    ],
)
def test_an_iri_parameter_that_injects_sparql_is_refused(dataset: Dataset, value: str) -> None:
    with pytest.raises(UsageError, match="not a valid IRI"):
        query(dataset, "secretions", cytokine=value)


def test_a_text_parameter_is_bound_as_a_harmless_literal(dataset: Dataset) -> None:
    answer = query(dataset, "describe", entity='IL-8" ) } ; DROP ALL #')
    assert len(answer) == 0
    assert len(query(dataset, "describe", entity="IL-8")) > 0  # the graph is untouched


def test_a_non_iri_for_an_iri_parameter_is_refused(dataset: Dataset) -> None:
    with pytest.raises(UsageError, match="takes an IRI"):
        query(dataset, "secretions", cytokine="IL-32")
    with pytest.raises(UsageError, match="takes an IRI"):
        query(dataset, "secretions", cytokine=Literal("x"))


def test_unknown_parameter_lists_the_valid_ones(dataset: Dataset) -> None:
    with pytest.raises(
        UsageError, match=r"unknown parameter 'cytokin'.*valid parameters: cytokine"
    ):
        query(dataset, "secretions", cytokin="uniprot:P24001")


def test_unknown_query_name_lists_the_named_queries(dataset: Dataset) -> None:
    with pytest.raises(UsageError, match=r"no named query 'secretion'.*secretions"):
        query(dataset, "secretion")


def test_terms_can_be_passed_as_rdflib_terms(dataset: Dataset) -> None:
    answer = query(dataset, "chemokines", cytokine=URIRef(expand_curie("uniprot:P24001")))
    assert len(answer) == 2


def test_free_query_binds_its_own_variables(dataset: Dataset) -> None:
    text = "SELECT ?label WHERE { ?x rdfs:label ?label } ORDER BY ?label"
    answer = query(dataset, text, x="CL:0000576")
    assert answer.columns == ("label",) and answer.rows == ((Literal("monocyte"),),)
    with pytest.raises(UsageError, match="valid parameters: label, x"):
        query(dataset, text, y="CL:0000576")


def test_invalid_sparql_reports_line_and_column(dataset: Dataset, store: OxigraphStore) -> None:
    text = "SELECT ?x\nWHERE {\n  ?x ?y\n}"
    with pytest.raises(QueryError, match=r"invalid SPARQL at line 3, column 3: .*'\?x \?y'"):
        query(dataset, text)
    with pytest.raises(QueryError, match=r"invalid SPARQL at line 4, column \d+"):
        query(store, text)


def test_an_update_is_not_a_query(dataset: Dataset) -> None:
    with pytest.raises(QueryError, match="invalid SPARQL"):
        query(dataset, "DROP ALL")


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_that_runs_too_long_is_stopped(dataset: Dataset, engine: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with pytest.raises(QueryTimeoutError, match=r"time limit of 0\.3 s"):
        query(dataset, slow, engine=engine, timeout=0.3)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_the_time_limit_works_in_a_forked_process(store: OxigraphStore) -> None:
    """The server's workers are forked after queries ran: the query threads start afresh."""
    assert len(query(store, "lineage", timeout=30)) == 2  # a query thread is idle now
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            code = 0 if len(query(store, "lineage", timeout=30)) == 2 else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_limited_work_inside_limited_work_runs_in_its_thread() -> None:
    done = threading.Event()
    job = start_limited(
        lambda: with_time_limit(threading.get_ident, 5) == threading.get_ident(), 5, done.set
    )
    assert done.wait(30)
    assert job.result() is True


def test_a_quick_query_within_its_time_limit(dataset: Dataset) -> None:
    assert len(query(dataset, "lineage", timeout=60)) == 2


def test_ask_and_construct(dataset: Dataset, store: OxigraphStore) -> None:
    for source in (dataset, store):
        yes = query(source, "ASK { ?c rdf:subject ?cytokine }", cytokine="uniprot:P24001")
        no = query(source, "ASK { ?c rdf:subject ?cytokine }", cytokine="uniprot:P99999")
        assert (yes.kind, yes.boolean, no.boolean) == ("ask", True, False)
        graph = query(
            source, "CONSTRUCT { ?m a il32:Chemokine } WHERE { ?m RO:0002327 GO:0008009 }"
        )
        assert graph.kind == "graph" and graph.graph is not None
        assert set(graph.graph.subjects()) == {iri("uniprot:P10145"), iri("uniprot:P10889")}


# --- result formats ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mixed() -> QueryResult:
    """Every kind of term, and an unbound value."""
    return QueryResult.select(
        ["iri", "text", "lang", "typed", "blank"],
        [
            (
                iri("CL:0000576"),
                Literal('say "hi",\tand\nbye'),
                Literal("Monozyt", lang="de"),
                Literal("1873", datatype=XSD.gYear),
                None,
            ),
            (None, Literal("plain"), None, Literal(True), URIRef("urn:x")),
        ],
    )


def test_csv_parses_with_the_csv_module(mixed: QueryResult) -> None:
    rows = list(csv.reader(io.StringIO(write_results(mixed, "csv").decode(), newline="")))
    assert rows[0] == ["iri", "text", "lang", "typed", "blank"]
    assert rows[1] == [expand_curie("CL:0000576"), 'say "hi",\tand\nbye', "Monozyt", "1873", ""]
    assert rows[2] == ["", "plain", "", "true", "urn:x"]


def test_tsv_is_one_line_per_row_in_ntriples_syntax(mixed: QueryResult) -> None:
    lines = write_results(mixed, "tsv").decode().split("\n")
    assert lines[0] == "?iri\t?text\t?lang\t?typed\t?blank"
    cells = lines[1].split("\t")
    assert cells == [
        f"<{expand_curie('CL:0000576')}>",
        '"say \\"hi\\",\\tand\\nbye"',
        '"Monozyt"@de',
        f'"1873"^^<{XSD.gYear}>',
        "",
    ]
    assert lines[3] == ""


def test_json_and_xml_round_trip_through_rdflib_parsers(mixed: QueryResult) -> None:
    data = json.loads(write_results(mixed, "json"))
    assert data["head"]["vars"] == list(mixed.columns)
    assert data["results"]["bindings"][0]["lang"] == {
        "type": "literal",
        "value": "Monozyt",
        "xml:lang": "de",
    }
    assert "iri" not in data["results"]["bindings"][1]
    for parser, fmt in ((JSONResultParser(), "json"), (XMLResultParser(), "xml")):
        parsed = parser.parse(io.BytesIO(write_results(mixed, fmt)))
        assert [str(v) for v in parsed.vars] == list(mixed.columns)
        rows = [tuple(b.get(v) for v in parsed.vars) for b in parsed.bindings]
        assert rows == list(mixed.rows)


WRITTEN = [
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 300",
    'SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) ("a \\"q\\" <b> & </result>\\nd"@en 2.50)'
    ' (<http://example.org/x> "b"^^xsd:string) ("t"^^<http://example.org/dt> true) } }',
    "SELECT ?b ?p WHERE { ?b ?p ?o FILTER isBlank(?b) } ORDER BY ?b ?p LIMIT 5",
    "SELECT ?n WHERE {}",
    "SELECT ?x WHERE { FILTER(false) }",
    "ASK { ?s a il32:Claim }",
    "ASK { ?s a il32:Nothing }",
]


def _parsed(body: bytes, fmt: ResultFormat) -> object:
    parser = JSONResultParser() if fmt is ResultFormat.JSON else XMLResultParser()
    parsed = parser.parse(io.BytesIO(body))
    if parsed.type == "ASK":
        return parsed.askAnswer
    return [str(v) for v in parsed.vars], [
        tuple(b.get(v) for v in parsed.vars) for b in parsed.bindings
    ]


@pytest.mark.parametrize("fmt", [f for f in ResultFormat if f is not ResultFormat.TABLE])
@pytest.mark.parametrize("text", WRITTEN)
def test_answers_written_by_oxigraph_say_what_il32rdf_writes(
    store: OxigraphStore, fmt: ResultFormat, text: str
) -> None:
    """The endpoint's fast path: Oxigraph writes JSON and XML answers itself, with the meaning
    (and count) of il32rdf's writer; CSV and TSV are il32rdf's bytes on every engine."""
    result = store.query(text)
    ours = write_results(result, fmt, compact=True)
    written = store.query_written(text, fmt)
    assert not isinstance(written, QueryResult)
    assert written.size == (1 if result.kind == "ask" else len(result.rows))
    if fmt in (ResultFormat.JSON, ResultFormat.XML):
        assert written.body != ours  # written by Oxigraph (else this test tests nothing)
        assert _parsed(written.body, fmt) == _parsed(ours, fmt)
    else:
        assert written.body == ours


def test_a_graph_answer_is_not_written_as_results(store: OxigraphStore) -> None:
    written = store.query_written(
        "DESCRIBE <http://purl.uniprot.org/uniprot/P24001>", ResultFormat.JSON
    )
    assert isinstance(written, QueryResult) and written.kind == "graph"
    assert written.graph is not None and len(written.graph) > 10


def test_xml_is_sparql_results_xml(mixed: QueryResult) -> None:
    root = ET.fromstring(write_results(mixed, "xml"))
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == list(mixed.columns)
    assert len(root.findall("s:results/s:result", ns)) == 2


@pytest.mark.parametrize("fmt", [f.value for f in ResultFormat])
def test_ask_in_every_format(fmt: str) -> None:
    data = write_results(QueryResult.ask(False), fmt).decode()
    if fmt == "json":
        assert json.loads(data) == {"head": {}, "boolean": False}
    elif fmt == "xml":
        root = ET.fromstring(data)
        assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"  # type: ignore[union-attr]
    else:
        assert data.strip().endswith("false")


def test_table_is_aligned_and_readable(dataset: Dataset) -> None:
    text = write_results(query(dataset, "lineage"), "table").decode()
    lines = text.splitlines()
    assert lines[0].split() == ["cell_type", "cell_type_label", "precursor", "precursor_label"]
    assert lines[2].split() == ["CL:0000092", "osteoclast", "CL:0000576", "monocyte"]
    assert lines[-1] == "(2 rows)"


def test_a_graph_answer_is_not_a_table(dataset: Dataset) -> None:
    graph = query(dataset, "CONSTRUCT WHERE { ?s a il32:CellLine }")
    with pytest.raises(UsageError, match="RDF format"):
        write_results(graph, "csv")


# --- rdflib / Oxigraph parity -------------------------------------------------------------


@pytest.fixture(scope="session")
def parity_graph() -> Dataset:
    """Bundled data, the IL-Z facts and ill-typed literals (a date as xsd:string, flags)."""
    return il32rdf.load([SECOND, ILL_TYPED])


@pytest.fixture(scope="session")
def parity_store(parity_graph: Dataset) -> OxigraphStore:
    return as_store(parity_graph, "oxigraph")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("cytokine", ["uniprot:P24001", ILZ])
def test_parity_of_every_named_query(
    parity_graph: Dataset, parity_store: OxigraphStore, name: str, cytokine: str
) -> None:
    params = {"cytokine": cytokine}
    if name == "describe":
        params["entity"] = "IL-Z" if cytokine == ILZ else "uniprot:P24001"
    by_rdflib = query(parity_graph, name, **params)
    by_oxigraph = query(parity_store, name, **params)
    assert by_rdflib.columns == by_oxigraph.columns
    # the same rows, a value spelt as the engine holds it: rdflib as written ("1"^^xsd:boolean),
    # Oxigraph canonical (true)
    assert _by_value(by_rdflib.rows) == _by_value(by_oxigraph.rows)
    assert len(by_rdflib) > 0
    assert query(parity_graph, name, engine="oxigraph", **params).rows == by_oxigraph.rows


def _by_value(rows: Sequence[Sequence[object]]) -> list[tuple[object, ...]]:
    """The rows with every typed literal in its canonical spelling."""

    def canonical(term: object) -> object:
        if isinstance(term, Literal) and term.datatype is not None and not term.ill_typed:
            return Literal(str(term), datatype=term.datatype, normalize=True)
        return term

    return [tuple(canonical(t) for t in row) for row in rows]


def test_ill_typed_flags_are_handled_alike(
    parity_graph: Dataset, parity_store: OxigraphStore
) -> None:
    # "true"^^xsd:string is not a flag: left out; "1"^^xsd:boolean is true: not supported
    for source in (parity_graph, parity_store):
        answer = query(source, "process-effects", cytokine=ILZ)
        assert col(answer, "process", "polarity") == [
            (iri("GO:0030225"), Literal("supported")),
            (iri("GO:0036179"), Literal("not supported")),
            (iri("GO:0045453"), Literal("not supported")),
        ]


ZERO_FLAG = """@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix obo: <http://purl.obolibrary.org/obo/> .
@prefix il32: <https://w3id.org/il32rdf/ontology/> .
@prefix ex: <http://example.org/il32rdf-test/> .
ex:zero a il32:Claim ; rdf:subject ex:ILZ ; rdf:predicate obo:RO_0002215 ;
    rdf:object obo:GO_0071604 ; il32:producedMolecule ex:M ; il32:cellType obo:CL_0000576 ;
    il32:inTaxon obo:NCBITaxon_9606 ; dcterms:source ex:paper ; il32:negated "0"^^xsd:boolean .
ex:junk a il32:Claim ; rdf:subject ex:ILZ ; rdf:predicate obo:RO_0002215 ;
    rdf:object obo:GO_0071604 ; il32:producedMolecule ex:N ; il32:cellType obo:CL_0000576 ;
    il32:inTaxon obo:NCBITaxon_9606 ; dcterms:source ex:paper ; il32:negated "nope"^^xsd:boolean .
"""


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_flag_written_0_is_a_positive_claim_on_every_engine(tmp_path: Path, engine: str) -> None:
    # told by the lexical form: rdflib holds "0" as written, Oxigraph as false; "nope" is no flag
    data = tmp_path / "zero.ttl"
    data.write_text(ZERO_FLAG, encoding="utf-8")
    store = open_store([data], engine, bundled=False)
    answer = query(store, "secretions", cytokine=ILZ)
    assert col(answer, "claim", "molecule") == [(URIRef(EX + "zero"), URIRef(EX + "M"))]
    assert stats(store).negated_claims == 0
    assert {o for _, _, o in store.statements("inferred")} == {
        "<http://purl.obolibrary.org/obo/GO_0071604>"
    }


DATE_QUERY = """
SELECT ?paper WHERE {{
  ?paper dcterms:date ?date .
  FILTER ({condition})
}} ORDER BY ?paper
"""


def test_a_date_comparison_follows_sparql_on_oxigraph(parity_store: OxigraphStore) -> None:
    # SPARQL 1.1: comparing "2008-01-05"^^xsd:string with an xsd:date is a type error
    naive = DATE_QUERY.format(condition='?date >= "2008-01-01"^^xsd:date')
    assert query(parity_store, naive).rows == ((URIRef(EX + "paper-typed-date"),),)


def test_a_datatype_guard_gives_the_same_answer_on_both(
    parity_graph: Dataset, parity_store: OxigraphStore
) -> None:
    guarded = DATE_QUERY.format(
        condition='datatype(?date) = xsd:date && ?date >= "2008-01-01"^^xsd:date'
    )
    expected = ((URIRef(EX + "paper-typed-date"),),)
    assert query(parity_graph, guarded).rows == expected
    assert query(parity_store, guarded).rows == expected


def test_oxigraph_store_from_a_file() -> None:
    store = open_store([SECOND], "oxigraph", bundled=False)
    assert len(store) > 0
    answer = query(store, "SELECT ?c ?l WHERE { ?c rdfs:label ?l } ORDER BY ?l", c=EX + "c1")
    assert answer.rows == ((iri("ex:c1"), Literal("IL-Z induces monocytes to secrete molecule A")),)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_parameter_need_not_be_projected(dataset: Dataset, engine: str) -> None:
    answer = query(dataset, "SELECT ?l WHERE { ?c rdfs:label ?l }", engine=engine, c="CL:0000576")
    assert answer.rows == ((Literal("monocyte"),),)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_parameter_in_a_nested_group_is_bound_there_too(dataset: Dataset, engine: str) -> None:
    text = (
        "SELECT ?c ?l WHERE { { ?x rdfs:label ?l FILTER(sameTerm(?x, ?c)) } UNION "
        "{ ?x oboInOwl:hasExactSynonym ?l FILTER(sameTerm(?x, ?c)) } } ORDER BY ?l"
    )
    answer = query(dataset, text, engine=engine, c="CL:0000235")
    assert [str(row[1]) for row in answer] == ["histiocyte", "macrophage"]


def test_the_engine_refuses_a_malformed_iri_given_directly(store: OxigraphStore) -> None:
    with pytest.raises(UsageError, match="cannot be bound"):
        store.query("SELECT ?c WHERE { ?c ?p ?o }", {"c": URIRef("x> } DROP ALL #")})


def test_unknown_engine(dataset: Dataset) -> None:
    with pytest.raises(UsageError, match="rdflib, oxigraph"):
        query(dataset, "lineage", engine="jena")


def test_query_is_exported_from_the_package() -> None:
    assert il32rdf.query is query


@pytest.mark.parametrize("module", ["il32rdf.query", "il32rdf.results", "il32rdf.store.open"])
def test_doctests(module: str) -> None:
    failed, _ = doctest.testmod(sys.modules[module])
    assert failed == 0


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_answer_all(second: Dataset, engine: str) -> None:
    answers = answer_all(second, engine=engine, cytokine=ILZ)
    assert list(answers) == NAMES
    assert col(answers["chemokines"], "molecule") == [iris("ex:MolA")]
    assert len(answers["describe"]) == 14  # entity keeps its default, IL-32
    with pytest.raises(UsageError, match="no named query takes colour"):
        answer_all(second, colour="red")
