"""SPARQL 1.1 Protocol conformance of ``il32rdf serve``, against the real server process.

The W3C protocol manifest (``../shared/conformance/sparql/protocol/``) is run as it is: every
query case and every bad-request case, with the manifest's own data (data1-3.nt in the named
graphs its labels give) served next to the bundled graph. An update case cannot pass on a
read-only endpoint; each is run and must be refused with a 400 that says so. The dataset
cases are run a second time adapted to the served graphs (ontology, facts, inferred), on both
engines, where they also check that a graph outside the dataset is not seen.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

import httpx
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from served import Server, start_server
from SPARQLWrapper import JSON, SPARQLWrapper

from il32rdf.vocab import GRAPH_NAMES

SUITE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "sparql" / "protocol"
needs_suite = pytest.mark.skipif(
    not (SUITE / "manifest.ttl").is_file(), reason=f"the W3C protocol suite is not at {SUITE}"
)

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
HTS = "http://www.w3.org/2011/http-statusCodes#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ONTOLOGY, FACTS, INFERRED = (str(GRAPH_NAMES[n]) for n in ("ontology", "facts", "inferred"))
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml"}


@dataclass(frozen=True)
class Exchange:
    """One request of a manifest case and what its answer must be."""

    method: str
    path: str
    headers: dict[str, str]
    body: str | None
    statuses: frozenset[str]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class Case:
    name: str
    exchanges: list[Exchange]
    data: dict[str, Path]
    """Graph IRI -> the data file the manifest puts in it."""


def _manifest() -> list[Case]:
    if not (SUITE / "manifest.ttl").is_file():
        return []
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    (manifest,) = graph.subjects(RDF.type, URIRef(MF + "Manifest"))
    cases = []
    for entry in Collection(graph, graph.value(manifest, URIRef(MF + "entries"))):
        action = graph.value(entry, URIRef(MF + "action"))
        exchanges = []
        for request in Collection(graph, graph.value(action, URIRef(HT + "requests"))):
            response = graph.value(request, URIRef(HT + "resp"))
            headers_list = graph.value(request, URIRef(HT + "headers"))
            headers = {
                str(graph.value(h, URIRef(HT + "fieldName"))): str(
                    graph.value(h, URIRef(HT + "fieldValue"))
                )
                for h in (Collection(graph, headers_list) if headers_list is not None else [])
            }
            body = graph.value(request, URIRef(HT + "body"))
            boolean = graph.value(response, URIRef(MF + "expectedBoolean"))
            fmt = graph.value(response, URIRef(MF + "expectedFormat"))
            exchanges.append(
                Exchange(
                    method=str(graph.value(request, URIRef(HT + "methodName"))),
                    path=str(graph.value(request, URIRef(HT + "absolutePath"))),
                    headers=headers,
                    body=None if body is None else str(graph.value(body, URIRef(CNT + "chars"))),
                    statuses=frozenset(
                        str(s).removeprefix(HTS)
                        for s in graph.objects(response, URIRef(MF + "expectedStatus"))
                    ),
                    expected_format=None if fmt is None else str(fmt),
                    expected_boolean=None if boolean is None else bool(boolean.toPython()),
                )
            )
        data = {
            str(graph.value(d, RDFS.label)): SUITE
            / Path(str(graph.value(d, URIRef(UT + "graph")))).name
            for d in graph.objects(entry, URIRef(UT + "graphData"))
        }
        cases.append(Case(str(entry).rsplit("#", 1)[-1], exchanges, data))
    return cases


CASES = _manifest()
DATASET_CASES = [c for c in CASES if c.data]


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def w3c_server(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Server]:
    """The bundled graph plus the manifest's data, each file in the named graph it labels, on
    each engine."""
    quads = tmp_path_factory.mktemp("protocol") / "w3c-data.nq"
    graphs = {iri: path for case in DATASET_CASES for iri, path in case.data.items()}
    lines = []
    for iri, path in sorted(graphs.items()):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lines.append(f"{line.strip().removesuffix('.').rstrip()} <{iri}> .\n")
    quads.write_text("".join(lines), encoding="utf-8")
    yield from start_server("--no-reasoning", "--store", request.param, "--data", str(quads))


def _send(server: Server, exchange: Exchange) -> httpx.Response:
    assert exchange.path.startswith("/sparql/")
    url = server.url + "sparql" + exchange.path.removeprefix("/sparql/")
    return httpx.request(
        exchange.method,
        url,
        headers=exchange.headers,
        content=None if exchange.body is None else exchange.body.encode("utf-8"),
        timeout=30,
    )


def _check_answer(answer: httpx.Response, exchange: Exchange) -> None:
    classes = {f"StatusCode{answer.status_code // 100}xx"}
    assert classes & exchange.statuses, (answer.status_code, answer.text)
    media = answer.headers.get("content-type", "").split(";")[0]
    if exchange.expected_format in ("boolean", "tabular"):
        assert media in RESULT_TYPES, media
    if exchange.expected_format == "RDF":
        assert media in RDF_TYPES, media
        Graph().parse(data=answer.text, format=RDF_TYPES[media])
    if exchange.expected_boolean is not None:
        assert media.endswith("json")
        assert json.loads(answer.text)["boolean"] is exchange.expected_boolean


@needs_suite
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_w3c_protocol_manifest(w3c_server: Server, case: Case) -> None:
    for exchange in case.exchanges:
        answer = _send(w3c_server, exchange)
        if case.name.startswith("update_"):
            # a read-only endpoint: the update itself is refused, and says why
            assert answer.status_code == 400 and "read-only" in answer.text, answer.text
            break
        _check_answer(answer, exchange)
        assert "Traceback" not in answer.text


def test_the_manifest_is_all_there() -> None:
    if not CASES:
        pytest.skip(f"the W3C protocol suite is not at {SUITE}")
    assert len(CASES) == 34 and len(DATASET_CASES) == 6


# --- the dataset cases adapted to the served graphs ----------------------------------------------

# In each served graph, a statement no other graph holds (the manifest's data give each graph a
# `<dataN> a foaf:Document`); ?type becomes ?typeN since the graphs hold different kinds of thing.
ADAPTED = {
    "http://kasei.us/2009/09/sparql/data/data1.rdf": (
        ONTOLOGY,
        "<https://w3id.org/il32rdf/ontology> a ?type1",
    ),
    "http://kasei.us/2009/09/sparql/data/data2.rdf": (
        FACTS,
        "<https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation> a ?type2",
    ),
    "http://kasei.us/2009/09/sparql/data/data3.rdf": (
        INFERRED,  # the plain edge of a claim: osteoclast develops from monocyte
        "<http://purl.obolibrary.org/obo/CL_0000092> <http://purl.obolibrary.org/obo/RO_0002202>"
        " ?type3",
    ),
}


def _adapt(text: str, absent: bool = False) -> str:
    """A manifest query or parameter on the served graphs (``absent``: graphs not served)."""
    for kasei, (iri, pattern) in ADAPTED.items():
        text = text.replace(f"<{kasei}> a ?type", pattern)
        text = text.replace(kasei, iri + "-absent" if absent else iri)
    return text


def _adapt_path(path: str, absent: bool) -> str:
    """The manifest's path with its query and dataset parameters adapted; ``absent``: the
    dataset names graphs that are not served (the query keeps the served ones)."""
    route, _, query = path.partition("?")
    pairs = [
        (k, _adapt(v, absent=absent and k != "query"))
        for k, v in parse_qsl(query, keep_blank_values=True)
    ]
    return route + "?" + urlencode(pairs, quote_via=quote)


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def engine_server(request: pytest.FixtureRequest) -> Iterator[Server]:
    yield from start_server("--no-reasoning", "--store", request.param)


@needs_suite
@pytest.mark.parametrize("case", DATASET_CASES, ids=[c.name for c in DATASET_CASES])
def test_dataset_cases_adapted_to_the_served_graphs(engine_server: Server, case: Case) -> None:
    (exchange,) = case.exchanges
    for absent in (False, True):
        adapted = Exchange(
            exchange.method,
            _adapt_path(exchange.path, absent),
            exchange.headers,
            None if exchange.body is None else _adapt(exchange.body),
            exchange.statuses,
            exchange.expected_format,
            not absent,  # with the dataset's graphs left out, nothing is seen
        )
        _check_answer(_send(engine_server, adapted), adapted)


def _count(server: Server, **params: object) -> int:
    answer = server.get("sparql", params={"query": COUNT, **params}, headers=JSON_RESULTS)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def _graph_size(server: Server, iri: str) -> int:
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
    answer = server.get("sparql", params={"query": text}, headers=JSON_RESULTS)
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


def test_default_graph_uri_picks_the_graphs(engine_server: Server) -> None:
    sizes = {iri: _graph_size(engine_server, iri) for iri in (ONTOLOGY, FACTS, INFERRED)}
    assert all(sizes.values())
    assert _count(engine_server, **{"default-graph-uri": ONTOLOGY}) == sizes[ONTOLOGY]
    both = _count(engine_server, **{"default-graph-uri": [ONTOLOGY, FACTS]})
    assert sizes[FACTS] < both <= sizes[ONTOLOGY] + sizes[FACTS]
    assert _count(engine_server, **{"default-graph-uri": "https://example.org/none"}) == 0
    # named graphs only: the default graph is empty
    assert _count(engine_server, **{"named-graph-uri": FACTS}) == 0
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    answer = engine_server.get(
        "sparql", params={"query": graphs, "named-graph-uri": [FACTS]}, headers=JSON_RESULTS
    )
    assert [b["g"]["value"] for b in answer.json()["results"]["bindings"]] == [FACTS]
    # by POST too, in the form and in the URL
    form = engine_server.post(
        "sparql", data={"query": COUNT, "default-graph-uri": INFERRED}, headers=JSON_RESULTS
    )
    assert int(form.json()["results"]["bindings"][0]["n"]["value"]) == sizes[INFERRED]
    direct = engine_server.post(
        "sparql",
        params={"default-graph-uri": INFERRED},
        content=COUNT,
        headers={**JSON_RESULTS, "Content-Type": "application/sparql-query"},
    )
    assert int(direct.json()["results"]["bindings"][0]["n"]["value"]) == sizes[INFERRED]


def test_from_and_from_named_read_the_served_graphs_only(engine_server: Server) -> None:
    ontology = _graph_size(engine_server, ONTOLOGY)
    text = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}"
    answer = engine_server.get("sparql", params={"query": text}, headers=JSON_RESULTS)
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == ontology
    # the protocol's dataset wins over FROM
    overridden = engine_server.get(
        "sparql", params={"query": text, "default-graph-uri": FACTS}, headers=JSON_RESULTS
    )
    facts = _graph_size(engine_server, FACTS)
    assert int(overridden.json()["results"]["bindings"][0]["n"]["value"]) == facts
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{FACTS}> WHERE {{ ?s ?p ?o }}"
    answer = engine_server.get("sparql", params={"query": named}, headers=JSON_RESULTS)
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == 0


def test_a_graph_outside_the_data_is_empty_and_never_fetched(engine_server: Server) -> None:
    with socket.socket() as listener:  # a web server the query names: nobody may call it
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        port = listener.getsockname()[1]
        outside = f"http://127.0.0.1:{port}/g"
        for params in (
            {"query": f"SELECT (COUNT(*) AS ?n) FROM <{outside}> WHERE {{ ?s ?p ?o }}"},
            {"query": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{outside}> {{ GRAPH ?g {{?s ?p ?o}}}}"},
            {"query": COUNT, "default-graph-uri": outside},
        ):
            answer = engine_server.get("sparql", params=params, headers=JSON_RESULTS)
            assert answer.status_code == 200, answer.text
            assert answer.json()["results"]["bindings"][0]["n"]["value"] == "0"
        with pytest.raises(TimeoutError):
            listener.accept()


def test_sparqlwrapper_default_graph_and_from(engine_server: Server) -> None:
    ontology = _graph_size(engine_server, ONTOLOGY)
    wrapper = SPARQLWrapper(engine_server.url + "sparql")
    wrapper.setReturnFormat(JSON)
    wrapper.setQuery(COUNT)
    wrapper.addDefaultGraph(ONTOLOGY)
    answer = wrapper.query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == ontology  # type: ignore[index,call-overload]
    plain = SPARQLWrapper(engine_server.url + "sparql")
    plain.setReturnFormat(JSON)
    plain.setQuery(f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY}> WHERE {{ ?s ?p ?o }}")
    answer = plain.query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == ontology  # type: ignore[index,call-overload]
    plain.setMethod("POST")
    answer = plain.query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) == ontology  # type: ignore[index,call-overload]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"query": ["ASK {}", "SELECT * {}"]}, "exactly one query, not 2"),
        ({"query": "ASK {}", "default-graph-uri": "not an iri"}, "is not an IRI"),
    ],
)
def test_one_query_and_iris_only(
    engine_server: Server, params: dict[str, object], message: str
) -> None:
    answer = engine_server.get("sparql", params=params)
    assert answer.status_code == 400 and message in answer.text
    both = engine_server.post(
        "sparql", params={"query": "ASK {}"}, data={"query": "ASK {}"}, headers=JSON_RESULTS
    )
    assert both.status_code == 400 and "exactly one query" in both.text


def test_literal_answers_are_labelled(engine_server: Server) -> None:
    text = "SELECT ?l WHERE { <http://purl.obolibrary.org/obo/CL_0000092> rdfs:label ?l }"
    answer = engine_server.get(
        "sparql", params={"query": text, "default-graph-uri": ONTOLOGY}, headers=JSON_RESULTS
    )
    assert [Literal(b["l"]["value"]) for b in answer.json()["results"]["bindings"]] == [
        Literal("osteoclast")
    ]
