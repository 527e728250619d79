"""The linked-data server, over real HTTP against a real server process on 127.0.0.1."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from browser import chromium_page, needs_chromium
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from served import Server, start_server
from SPARQLWrapper import JSON, SPARQLWrapper

from il32rdf.dataset import FACTS_GRAPH, GRAPH_NAMES, graph_by_name
from il32rdf.vocab import IL32

# Distinct triples: Oxigraph's union default graph holds a triple once per named graph that has
# it (the plain edge of a claim that is also asserted is in two), rdflib's once.
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NEGATED = "https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    yield from start_server(
        "--no-reasoning", "--query-timeout", "2", "--max-results", "500", "--max-body", "4000"
    )


def _count(server: Server) -> int:
    answer = server.get(
        "sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# --- SPARQL 1.1 Protocol ----------------------------------------------------------------------


def test_query_by_get_and_both_kinds_of_post(server: Server, dataset: Dataset) -> None:
    expected = len(graph_by_name(dataset, "all"))
    assert _count(server) == expected
    accept = {"Accept": "application/sparql-results+json"}
    form = server.post("sparql", data={"query": COUNT}, headers=accept)
    direct = server.post(
        "sparql", content=COUNT, headers={**accept, "Content-Type": "application/sparql-query"}
    )
    for answer in (form, direct):
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("application/*;q=0.2, text/csv", "text/csv"),
    ],
)
def test_select_results_by_accept(
    server: Server, dataset: Dataset, accept: str, media_type: str
) -> None:
    text = "SELECT ?c ?label WHERE { ?c a il32:Claim ; rdfs:label ?label } ORDER BY ?c"
    answer = server.get("sparql", params={"query": text}, headers={"Accept": accept})
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == media_type
    body = answer.text
    if media_type.endswith("json"):
        rows = json.loads(body)["results"]["bindings"]
        values = [r["c"]["value"] for r in rows]
    elif media_type.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(body)
        values = [b.find("r:uri", ns).text for b in root.iterfind(".//r:binding[@name='c']", ns)]  # type: ignore[union-attr]
    elif media_type == "text/csv":
        values = [row["c"] for row in csv.DictReader(io.StringIO(body))]
    else:
        lines = body.splitlines()
        assert lines[0].split("\t") == ["?c", "?label"]
        values = [line.split("\t")[0].strip("<>") for line in lines[1:]]
    claims = set(dataset.graph(FACTS_GRAPH).subjects(RDF.type, IL32.Claim))
    assert len(values) == len(claims) and NEGATED in values


def test_concurrent_queries_all_succeed(server: Server) -> None:
    # rdflib's SPARQL parser (pyparsing) is not thread-safe: parses at once in two threads broke
    # it for good before parsing was serialised. Distinct texts defeat the parse cache.
    def ask(i: int) -> tuple[int, int]:
        text = f"SELECT ?c WHERE {{ ?c a il32:Claim }} ORDER BY ?c LIMIT {i % 20 + 1}"
        answer = server.get("sparql", params={"query": text}, headers={"Accept": "text/csv"})
        return answer.status_code, len(answer.text.splitlines()) - 1

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(ask, range(80)))
    assert results == [(200, i % 20 + 1) for i in range(80)]
    assert _count(server) > 900  # and the server still parses afterwards


def test_ask_and_construct(server: Server, dataset: Dataset) -> None:
    ask = server.get(
        "sparql",
        params={"query": f"ASK {{ <{NEGATED}> il32:negated true }}"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert ask.json()["boolean"] is True
    construct = f"CONSTRUCT {{ <{NEGATED}> ?p ?o }} WHERE {{ <{NEGATED}> ?p ?o }}"
    for accept, fmt in (
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ):
        answer = server.get("sparql", params={"query": construct}, headers={"Accept": accept})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(accept)
        graph = Graph().parse(data=answer.text, format=fmt)
        expected = set(graph_by_name(dataset, "all").predicate_objects(URIRef(NEGATED)))
        assert set(graph.predicate_objects(URIRef(NEGATED))) == expected


def test_not_acceptable_is_406(server: Server) -> None:
    answer = server.get("sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert answer.status_code == 406
    assert "application/sparql-results+json" in answer.text


def test_service_description_without_a_query(server: Server) -> None:
    answer = server.get("sparql", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    sd = Graph().parse(data=answer.text, format="turtle")
    prefix = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [str(e) for e in sd.objects(None, URIRef(prefix + "endpoint"))]
    assert endpoints == [server.url + "sparql"]
    names = {str(n) for n in sd.objects(None, URIRef(prefix + "name"))}
    assert names == {str(g) for g in GRAPH_NAMES.values()}


def test_named_queries_over_http(server: Server) -> None:
    listing = server.get("queries").json()
    assert "secretions" in {q["name"] for q in listing}
    answer = server.get(
        "queries/chemokines",
        params={"cytokine": "uniprot:P24001"},
        headers={"Accept": "application/sparql-results+json"},
    )
    molecules = {b["molecule"]["value"] for b in answer.json()["results"]["bindings"]}
    assert molecules == {
        "http://purl.uniprot.org/uniprot/P10145",
        "http://purl.uniprot.org/uniprot/P10889",
    }
    missing = server.get("queries/nope")
    assert missing.status_code == 404 and "secretions" in missing.text
    bad = server.get("queries/secretions", params={"colour": "red"})
    assert bad.status_code == 400 and "cytokine" in bad.text


def test_standard_clients(server: Server) -> None:
    wrapper = SPARQLWrapper(server.url + "sparql")
    wrapper.setQuery(COUNT)
    wrapper.setReturnFormat(JSON)
    answer = wrapper.query().convert()
    assert int(answer["results"]["bindings"][0]["n"]["value"]) > 900  # type: ignore[index,call-overload]
    store = SPARQLStore(server.url + "sparql", returnFormat="json")
    rows = list(
        store.query(
            "SELECT ?label WHERE { <http://purl.obolibrary.org/obo/CL_0000092> rdfs:label ?label }",
            initNs={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
        )
    )
    assert [str(r[0]) for r in rows] == ["osteoclast"]  # type: ignore[index]


# --- Graph Store Protocol, VoID -----------------------------------------------------------------


def test_graph_store_protocol_read_only(server: Server, dataset: Dataset) -> None:
    facts = server.get("rdf-graphs/facts", headers={"Accept": "application/n-triples"})
    assert isomorphic(Graph().parse(data=facts.text, format="nt"), dataset.graph(FACTS_GRAPH))
    by_iri = server.get(
        "rdf-graphs", params={"graph": str(FACTS_GRAPH)}, headers={"Accept": "text/turtle"}
    )
    assert isomorphic(Graph().parse(data=by_iri.text, format="turtle"), dataset.graph(FACTS_GRAPH))
    union = server.get("rdf-graphs", params={"default": ""}, headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=union.text, format="turtle")) == len(
        graph_by_name(dataset, "all")
    )
    dump = server.get("rdf-graphs", headers={"Accept": "application/n-quads"})
    quads = Dataset()
    quads.parse(data=dump.text, format="nquads")
    assert sum(len(quads.graph(g)) for g in GRAPH_NAMES.values()) == sum(
        len(dataset.graph(g)) for g in GRAPH_NAMES.values()
    )
    assert server.get("rdf-graphs/tbox").status_code == 404
    assert server.post("rdf-graphs/facts", content="x").status_code == 405


def test_void_description_names_the_endpoint(server: Server) -> None:
    answer = server.get(".well-known/void", headers={"Accept": "text/turtle"})
    void = Graph().parse(data=answer.text, format="turtle")
    endpoints = [
        str(e) for e in void.objects(None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"))
    ]
    assert endpoints == [server.url + "sparql"]


# --- dereferenceable IRIs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_project_iris_resolve_to_rdf(server: Server, accept: str, fmt: str) -> None:
    answer = server.get("fact/il32-not-osteoclast-activation", headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["vary"] == "Accept"
    graph = Graph().parse(data=answer.text, format=fmt)
    assert (URIRef(NEGATED), URIRef("https://w3id.org/il32rdf/ontology/negated"), None) in graph


def test_project_iris_resolve_to_html_for_browsers(server: Server) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = server.get("ontology/Cytokine", headers={"Accept": browser_accept})
    assert page.headers["content-type"].startswith("text/html")
    assert "<h1>cytokine</h1>" in page.text
    assert "any protein that enables cytokine activity" in page.text
    claim = server.get("fact/il32-not-osteoclast-activation", headers={"Accept": browser_accept})
    assert "class='negated'>NOT</span>" in claim.text
    assert "https://pubmed.ncbi.nlm.nih.gov/19137064/" in claim.text
    suffix = server.get(
        "fact/il32-not-osteoclast-activation.ttl", headers={"Accept": browser_accept}
    )
    assert suffix.headers["content-type"].startswith("text/turtle")
    external = server.get(
        "describe",
        params={"iri": "http://purl.obolibrary.org/obo/CL_0000092"},
        headers={"Accept": browser_accept},
    )
    assert "<h1>osteoclast</h1>" in external.text
    assert "Osteoclasts develop from monocytes" in external.text
    assert server.get("fact/no-such-claim").status_code == 404


def test_mount_point_for_a_reverse_proxy() -> None:
    for mounted in start_server("--no-reasoning", "--mount", "/il32rdf"):
        assert mounted.url.endswith("/il32rdf/")
        answer = mounted.get(
            "fact/il32-not-osteoclast-activation", headers={"Accept": "text/turtle"}
        )
        assert answer.status_code == 200 and NEGATED in answer.text.replace(
            "fact:", "https://w3id.org/il32rdf/fact/"
        )
        assert _count(mounted) > 900


# --- safety: every hostile request is refused, and the server keeps answering --------------------


@pytest.mark.parametrize(
    ("request_kwargs", "status", "message"),
    [
        (
            {
                "method": "GET",
                "params": {
                    "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
                },
            },
            400,
            "SERVICE is not allowed",
        ),
        ({"method": "POST", "data": {"update": "DROP ALL"}}, 400, "read-only"),
        (
            {
                "method": "POST",
                "content": "DROP ALL",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            400,
            "read-only",
        ),
        ({"method": "POST", "data": {"query": "CLEAR DEFAULT"}}, 400, "read-only"),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p }"}},
            400,
            "invalid SPARQL at line 1, column",
        ),
        ({"method": "GET", "params": {"query": SLOW}}, 503, "ran longer than 2 s"),
        (
            {"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p ?o }"}},
            400,
            "limit of 500: add a LIMIT",
        ),
        (
            {
                "method": "POST",
                "content": "#" * 5000 + "\nSELECT * WHERE {}",
                "headers": {"Content-Type": "application/sparql-query"},
            },
            413,
            "larger than 4000 bytes",
        ),
        (
            {"method": "POST", "content": "x", "headers": {"Content-Type": "text/plain"}},
            415,
            "application/sparql-query",
        ),
    ],
)
def test_hostile_requests_are_refused_and_the_server_stays_up(
    server: Server, dataset: Dataset, request_kwargs: dict[str, object], status: int, message: str
) -> None:
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method")
    for _ in range(2):  # a refusal is never kept: the repeat is refused again, not served
        answer = httpx.request(str(method), server.url + "sparql", timeout=30, **kwargs)  # type: ignore[arg-type]
        assert answer.status_code == status, answer.text
        assert message in answer.text
        assert "Traceback" not in answer.text and len(answer.text.strip().splitlines()) == 1
    assert server.process.poll() is None
    assert _count(server) == len(graph_by_name(dataset, "all"))


def test_a_heavy_query_does_not_stall_other_clients(server: Server) -> None:
    heavy_done: list[float] = []

    def heavy() -> int:
        answer = server.get("sparql", params={"query": SLOW})
        heavy_done.append(time.monotonic())
        return answer.status_code

    def client(i: int) -> tuple[int, float]:
        answers = []
        with httpx.Client(base_url=server.url, timeout=30) as http:  # one connection, kept
            for j in range(10):  # distinct texts (the engine answers), a repeated one (memory)
                text = f"SELECT ?c WHERE {{ ?c a il32:Claim }} ORDER BY ?c LIMIT {i * 10 + j + 1}"
                answers.append(http.get("sparql", params={"query": text}).status_code)
                answers.append(http.get("sparql", params={"query": COUNT}).status_code)
        assert answers == [200] * 20
        return len(answers), time.monotonic()

    with ThreadPoolExecutor(9) as pool:
        slow = pool.submit(heavy)
        time.sleep(0.3)  # the heavy query is running
        clients = list(pool.map(client, range(8)))
        assert slow.result() == 503  # stopped at the time limit
    assert [n for n, _ in clients] == [20] * 8
    # every client had all its answers while the heavy query was still running
    assert max(finished for _, finished in clients) < heavy_done[0]


# --- the query page in a real browser -------------------------------------------------------


@needs_chromium
def test_query_page_runs_a_named_query_in_chromium(server: Server) -> None:
    with chromium_page() as page:
        page.goto(server.url)
        assert page.title() == "il32rdf: ask the knowledge graph"
        page.select_option("#query", "secretions")
        assert page.input_value("#param-cytokine") == "uniprot:P24001"
        page.click("#run")
        page.wait_for_selector("#answer")
        headers = page.eval_on_selector_all(
            "#answer tr:first-child th", "ths => ths.map(t => t.textContent)"
        )
        assert headers[:4] == ["cytokine", "cytokine_label", "cell_type", "cell_type_label"]
        rows = page.eval_on_selector_all(
            "#answer tr:not(:first-child)", "trs => trs.map(tr => tr.children[5].textContent)"
        )
        assert sorted(rows) == sorted(
            [
                "tumor necrosis factor (mouse)",
                "C-X-C motif chemokine 2 (mouse)",
                "tumor necrosis factor (human)",
                "interleukin-8 (human)",
            ]
        )
        assert page.inner_text("#status") == "4 rows"


# --- what browsers and JSON clients need ------------------------------------------------------


def test_plain_json_is_a_results_format(server: Server) -> None:
    text = f"ASK {{ <{NEGATED}> il32:negated true }}"
    answer = server.get("sparql", params={"query": text}, headers={"Accept": "application/json"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json()["boolean"] is True


def test_cors_for_browser_clients_on_other_origins(server: Server) -> None:
    origin = {"Origin": "https://yasgui.example"}
    for answer in (
        server.get("sparql", params={"query": "ASK {}"}, headers=origin),
        server.post("sparql", data={"query": "ASK {}"}, headers=origin),
        server.get("sparql", params={"query": "ASK {"}, headers=origin),  # errors too
    ):
        assert answer.headers["access-control-allow-origin"] == "*"
    preflight = httpx.request(
        "OPTIONS",
        server.url + "sparql",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()


def test_etag_and_if_none_match(server: Server) -> None:
    for path, params, accept in (
        ("sparql", {"query": "SELECT ?c WHERE { ?c a il32:Claim } ORDER BY ?c"}, "text/csv"),
        ("queries/secretions", {}, "application/sparql-results+json"),
        ("fact/il32-not-osteoclast-activation", {}, "text/turtle"),
        ("rdf-graphs/ontology", {}, "application/n-triples"),
    ):
        first = server.get(path, params=params, headers={"Accept": accept})
        again = server.get(path, params=params, headers={"Accept": accept})
        assert first.status_code == 200 and first.content == again.content
        etag = first.headers["etag"]
        assert etag.startswith('"') and again.headers["etag"] == etag
        cached = server.get(path, params=params, headers={"Accept": accept, "If-None-Match": etag})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == etag
        stale = server.get(path, params=params, headers={"Accept": accept, "If-None-Match": '"x"'})
        assert stale.status_code == 200 and stale.content == first.content
    other = server.get(
        "sparql",
        params={"query": "SELECT ?c WHERE { ?c a il32:Claim } ORDER BY ?c"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert other.headers["etag"] != etag


def test_describe_takes_a_curie(server: Server) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = server.get("describe", params={"iri": "CL:0000092"}, headers={"Accept": browser_accept})
    assert page.status_code == 200 and "<h1>osteoclast</h1>" in page.text
    turtle = server.get("describe", params={"iri": "CL:0000092"}, headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef("http://purl.obolibrary.org/obo/CL_0000092"), None, None) in graph
    unknown = server.get("describe", params={"iri": "NOPE:1"})
    assert unknown.status_code == 400 and "unknown prefix" in unknown.text


@pytest.mark.parametrize("name", list(GRAPH_NAMES))
def test_graph_iris_dereference(server: Server, name: str) -> None:
    iri = GRAPH_NAMES[name]
    path = str(iri).removeprefix("https://w3id.org/il32rdf/")
    triples = server.get(path, headers={"Accept": "application/n-triples"})
    assert triples.status_code == 200 and triples.headers["vary"] == "Accept"
    expected = len(server_graph := Graph().parse(data=triples.text, format="nt"))
    gsp = server.get(f"rdf-graphs/{name}", headers={"Accept": "application/n-triples"})
    assert isomorphic(server_graph, Graph().parse(data=gsp.text, format="nt")) and expected > 0
    suffix = server.get(path + ".ttl")
    assert suffix.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=suffix.text, format="turtle")) == expected
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = server.get(path, headers={"Accept": browser_accept})
    assert page.headers["content-type"].startswith("text/html")
    assert f"<h1>the {name} graph</h1>" in page.text and f"{expected:,} statements" in page.text
