"""The streaming Turtle / N-Triples writer: both engines give the same bytes, and it round-trips."""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import XSD, Dataset, Graph, Literal, Variable
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import il32rdf
from il32rdf import gcpause
from il32rdf.dataset import GRAPH_NAMES, graph_by_name
from il32rdf.errors import ExportError, UsageError
from il32rdf.export import RdfFormat, export, export_file
from il32rdf.files import write_chunks
from il32rdf.ntriples import ntriples_chunks
from il32rdf.store import OxigraphStore, open_store
from il32rdf.terms import LineCollector, Statement, rdflib_statements, term_nt
from il32rdf.turtle import turtle_chunks

ROOT = Path(__file__).resolve().parent.parent
GRAPHS = [*GRAPH_NAMES, "all"]
STREAMED = [RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.NQUADS]

# Terms that are awkward to write: escapes, language tags, datatypes, IRIs that are no CURIE,
# a blank node shared by two subjects, a cycle of blank nodes, lists, the empty list.
TRICKY = r'''
@prefix fact: <https://w3id.org/il32rdf/fact/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .

fact:quotes rdfs:label "say \"hi\" \\ back\\slash", 'single \' quote' ;
    rdfs:comment "line one\nline two\r\n\ttabbed \u0007 bell \u007F del" , """long
literal with "quotes" inside""" ;
    ex:lang "colour"@en-GB , "couleur"@fr , "x"@EN ;
    ex:typed "1873"^^xsd:gYear , "007"^^ex:code , true , -5 , 1.5 , "text"^^xsd:string .
<https://pubmed.ncbi.nlm.nih.gov/15664165/> rdfs:label "a PubMed IRI, whose local part ends in /" .
<https://w3id.org/il32rdf/fact/a.b.> ex:p <https://w3id.org/il32rdf/fact/-dash> .
<https://w3id.org/il32rdf/fact/> ex:p <https://w3id.org/il32rdf/fact/a(b)> ,
    <https://w3id.org/il32rdf/fact/caf%C3%A9> , <https://w3id.org/il32rdf/fact/café> ,
    <http://purl.obolibrary.org/obo/GO_0001/extra> , <urn:uuid:1234> .
fact:list ex:members ( fact:a "two" [ ex:p fact:c ] ( fact:nested ) ) ;
    ex:none () ;
    ex:nested [ ex:q [ ex:r "deep" ] ; ex:q [ ex:r "deep" ] ] .
fact:twin ex:p [ ex:same 1 ] , [ ex:same 1 ] .
[ a ex:Root ; ex:p fact:a ] .
[ a ex:Root ; ex:p fact:a ] .
'''
SHARED = """
@prefix ex: <http://example.org/> .
ex:s1 ex:p _:shared .
ex:s2 ex:p _:shared .
_:shared ex:label "shared" .
ex:s3 ex:p _:c1 .
_:c1 ex:next _:c2 .
_:c2 ex:next _:c3 .
_:c3 ex:next _:c2 ; ex:leaf [ ex:label "under a cycle" ] .
_:loop ex:next _:loop .
"""


def _graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def _dataset(text: str) -> Dataset:
    dataset = Dataset(default_union=True)
    dataset.graph(GRAPH_NAMES["facts"]).parse(data=text, format="turtle")
    return dataset


def _rdf11(graph: Graph) -> Graph:
    """``graph`` as RDF 1.1 sees it: ``"x"^^xsd:string`` is the plain literal ``"x"`` and
    language tags are case-insensitive (both engines write them in lower case)."""
    result = Graph()
    for s, p, o in graph:
        if isinstance(o, Literal) and (o.datatype == XSD.string or o.language):
            o = Literal(str(o), lang=o.language.lower() if o.language else None)
        result.add((s, p, o))
    return result


def _explain(expected: Graph, actual: Graph) -> str:
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    return f"missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"


def _turtle(graph: Graph) -> str:
    return "".join(turtle_chunks(rdflib_statements(graph)))


def _oxigraph_graph(data: bytes, fmt: pyoxigraph.RdfFormat) -> Graph:
    """What Oxigraph reads from ``data``, as an rdflib graph (via N-Triples)."""
    lines = "".join(
        f"{t.subject} {t.predicate} {t.object} .\n" for t in pyoxigraph.parse(data, fmt)
    )
    return Graph().parse(data=lines, format="nt")


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """A small graph from benchmarks/generate.py, loaded with the bundled ontology and facts."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    text, _ = generate(3000, 7, 4)
    path = tmp_path_factory.mktemp("generated") / "g.ttl"
    path.write_text(text, encoding="utf-8")
    return il32rdf.load([path])


@pytest.fixture(scope="session")
def tricky() -> Dataset:
    return _dataset(TRICKY + SHARED)


def test_non_canonical_literals_are_kept_as_written_on_each_engine(tmp_path: Path) -> None:
    # An Oxigraph store holds values, not spellings ("1.50" as "1.5", "123"^^xsd:byte as an
    # xsd:integer, "01" and "1" as one term): il32rdf keeps them as written on both engines.
    path = tmp_path / "spelt.ttl"
    path.write_text(NOT_CANONICAL, encoding="utf-8")
    written = {
        '"1.50"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        '"3.0e0"^^<http://www.w3.org/2001/XMLSchema#double>',
        '"123"^^<http://www.w3.org/2001/XMLSchema#byte>',
        '"01"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    }
    values = {  # what SPARQL sees on Oxigraph, which compares values
        '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>',
        '"3"^^<http://www.w3.org/2001/XMLSchema#double>',
        '"123"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    }
    exported = set()
    for engine, answered in (("rdflib", written), ("oxigraph", values)):
        store = open_store([path], engine, bundled=False)
        assert {line.split(" ", 2)[2] for line in store.lines("facts")} == written
        exported.add(export(store, RdfFormat.TURTLE, graph="facts"))
        found = store.query("SELECT ?o WHERE { ?s ?p ?o }").rows
        assert {term_nt(o) for (o,) in found} == answered  # type: ignore[arg-type]
    (turtle,) = exported  # the same bytes from both
    assert b'"1.50"^^xsd:decimal' in turtle and b" 01 ;" in turtle


NOT_CANONICAL = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://example.org/s> <http://example.org/p> 1.50 , "3.0e0"^^xsd:double , "123"^^xsd:byte ,
    01 , 1 .
"""


@pytest.mark.parametrize("fmt", list(RdfFormat), ids=lambda f: f.value)
@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("name", ["bundled", "generated", "tricky"])
def test_both_engines_write_the_same_bytes(
    request: pytest.FixtureRequest, name: str, graph: str, fmt: RdfFormat
) -> None:
    dataset = request.getfixturevalue({"bundled": "dataset"}.get(name, name))
    store = OxigraphStore.from_graph(dataset)  # new blank-node labels
    if name == "tricky" and fmt is RdfFormat.RDFXML and graph in ("facts", "all"):
        # a bell character: XML 1.0 cannot carry it, and both engines say so the same way
        messages = set()
        for source in (dataset, store):
            with pytest.raises(ExportError, match=r"U\+0007 is not allowed in XML 1.0") as refused:
                export(source, fmt, graph=graph)
            messages.add(str(refused.value))
        assert len(messages) == 1
        return
    expected = export(dataset, fmt, graph=graph)
    assert export(store, fmt, graph=graph) == expected
    assert expected or (name == "tricky" and graph in ("ontology", "inferred"))  # facts only


@pytest.mark.parametrize("graph", GRAPHS)
def test_a_store_loaded_by_oxigraph_alone_writes_the_same_bytes(
    dataset: Dataset, graph: str
) -> None:
    store = open_store(engine="oxigraph")
    for fmt in STREAMED:
        assert export(store, fmt, graph=graph) == export(dataset, fmt, graph=graph), fmt


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("name", ["bundled", "generated", "tricky"])
def test_turtle_and_ntriples_round_trip_in_rdflib_and_oxigraph(
    request: pytest.FixtureRequest, name: str, graph: str
) -> None:
    dataset = request.getfixturevalue({"bundled": "dataset"}.get(name, name))
    original = _rdf11(graph_by_name(dataset, graph))
    turtle = export(dataset, RdfFormat.TURTLE, graph=graph)
    ntriples = export(dataset, RdfFormat.NTRIPLES, graph=graph)
    for parsed in (
        Graph().parse(data=turtle, format="turtle"),
        Graph().parse(data=ntriples, format="nt"),
        _oxigraph_graph(turtle, pyoxigraph.RdfFormat.TURTLE),
        _oxigraph_graph(ntriples, pyoxigraph.RdfFormat.N_TRIPLES),
    ):
        assert isomorphic(original, parsed), _explain(original, parsed)


def test_awkward_terms_are_written_as_valid_readable_turtle(tricky: Dataset) -> None:
    text = export(tricky, RdfFormat.TURTLE, graph="facts").decode()
    assert text.splitlines()[:4] == [  # only the prefixes used, and only the project's
        "@prefix fact: <https://w3id.org/il32rdf/fact/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
    ]
    # IRIs whose local part is no plain PN_LOCAL are written in full
    for iri in (
        "https://pubmed.ncbi.nlm.nih.gov/15664165/",
        "https://w3id.org/il32rdf/fact/a.b.",
        "https://w3id.org/il32rdf/fact/-dash",
        "https://w3id.org/il32rdf/fact/a(b)",
        "https://w3id.org/il32rdf/fact/café",
        "http://purl.obolibrary.org/obo/GO_0001/extra",
    ):
        assert f"<{iri}>" in text, iri
    assert "\nfact:\n" in text  # the empty local part is a CURIE
    assert '    rdfs:label "say \\"hi\\" \\\\ back\\\\slash" ;' in text
    assert '"line one\\nline two\\r\\n\\ttabbed \\u0007 bell \\u007F del"' in text
    assert '"x"@en ;' in text  # language tags in lower case, as Oxigraph keeps them
    assert '"text" ;' in text  # xsd:string is the default datatype
    assert '    <http://example.org/typed> "1873"^^xsd:gYear ;' in text
    assert "    <http://example.org/typed> true ;" in text
    assert '    <http://example.org/typed> "007"^^<http://example.org/code> ;' in text
    assert "    <http://example.org/typed> -5 ;" in text
    assert "    <http://example.org/none> () ;" in text
    assert '    <http://example.org/members> (\n        fact:a\n        "two"\n        [\n' in text
    assert "        ( fact:nested )\n    ) ;\n" in text
    assert text.count("[\n    a <http://example.org/Root> ;") == 2  # equal roots stay two


def test_tree_shaped_blank_nodes_nest_and_others_get_canonical_labels(tricky: Dataset) -> None:
    text = export(tricky, RdfFormat.TURTLE, graph="facts").decode()
    assert "    <http://example.org/nested> [\n        <http://example.org/q> [\n" in text
    assert "fact:twin\n    <http://example.org/p> [\n" in text
    labels = {word for word in text.split() if word.startswith("_:")}
    # _:shared and _:c2 (each the object of two statements) and _:loop (its own object);
    # _:c1, _:c3 and the node under _:c3 have one parent each and nest
    assert len(labels) == 3, labels
    assert all(re.fullmatch("_:b[0-9a-f]{24}", label) for label in labels)  # canonical labels
    ntriples = export(tricky, RdfFormat.NTRIPLES, graph="facts").decode()
    assert {w for w in ntriples.split() if w.startswith("_:")} >= labels
    assert ntriples.splitlines() == sorted(ntriples.splitlines())


def test_labels_do_not_depend_on_the_input_labels() -> None:
    statements = [
        ("<http://example.org/a>", "<http://example.org/p>", "_:x1"),
        ("_:x1", "<http://example.org/q>", '"v"'),
        ("_:x2", "<http://example.org/q>", "_:x3"),
        ("_:x3", "<http://example.org/r>", "<http://example.org/b>"),
    ]
    renamed = [tuple(t.replace("_:x", "_:other") for t in row) for row in statements]
    for chunks in (turtle_chunks, ntriples_chunks):
        first = "".join(chunks(statements))
        assert "".join(chunks(reversed(renamed))) == first  # type: ignore[arg-type]
        assert "_:x" not in first


DIGEST_SCRIPT = """
import hashlib, sys
from rdflib import Graph
from il32rdf.ntriples import ntriples_chunks
from il32rdf.turtle import turtle_chunks
from il32rdf.terms import rdflib_statements
graph = Graph().parse(data=sys.stdin.read(), format="turtle")
for chunks in (turtle_chunks, ntriples_chunks):
    text = "".join(chunks(rdflib_statements(graph)))
    print(hashlib.sha256(text.encode()).hexdigest())
"""


def test_bytes_do_not_depend_on_the_hash_seed(tricky: Dataset, generated: Dataset) -> None:
    text = graph_by_name(tricky, "all").serialize(format="nt")
    text += graph_by_name(generated, "facts").serialize(format="nt")
    digests = []
    for seed in ("0", "1"):
        run = subprocess.run(
            [sys.executable, "-c", DIGEST_SCRIPT],
            input=text,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        )
        digests.append(run.stdout)
    assert digests[0].count("\n") == 2
    assert digests[0] == digests[1]


def test_rdflib_terms_are_spelt_as_oxigraph_spells_them(tricky: Dataset) -> None:
    store = OxigraphStore.from_graph(tricky)

    def without_blank_nodes(statements: Iterable[Statement]) -> set[Statement]:
        return {t for t in statements if "_:" not in t[0] + t[2]}

    expected = without_blank_nodes(store.statements("facts"))
    assert without_blank_nodes(rdflib_statements(graph_by_name(tricky, "facts"))) == expected
    assert term_nt(Literal("a\tb", lang="EN-gb")) == '"a\\tb"@en-gb'
    assert term_nt(Literal("s", datatype=XSD.string)) == '"s"'
    with pytest.raises(TypeError):
        term_nt(Variable("x"))


def test_the_union_holds_each_triple_once() -> None:
    text = "@prefix ex: <http://example.org/> . ex:a ex:p ex:b ."
    dataset = Dataset(default_union=True)
    dataset.graph(GRAPH_NAMES["facts"]).parse(data=text, format="turtle")
    dataset.graph(GRAPH_NAMES["ontology"]).parse(data=text, format="turtle")
    store = OxigraphStore.from_graph(dataset)
    assert list(store.statements("all")) == [
        ("<http://example.org/a>", "<http://example.org/p>", "<http://example.org/b>")
    ]
    assert export(store, "nt") == export(dataset, "nt")
    with pytest.raises(UsageError, match="unknown graph"):
        store.statements("tbox")
    with pytest.raises(UsageError, match="unknown graph"):
        export(store, "turtle", graph="tbox")


def test_export_file_streams_the_same_bytes(dataset: Dataset, tmp_path: Path) -> None:
    store = OxigraphStore.from_graph(dataset)
    target = tmp_path / "out.ttl"
    size = export_file(store, RdfFormat.TURTLE, target, graph="facts")
    assert target.read_bytes() == export(dataset, RdfFormat.TURTLE, graph="facts")
    assert size == target.stat().st_size


def test_a_failure_while_writing_chunks_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("previous\n")

    def failing() -> Iterator[str]:
        yield "@prefix a: <http://a/> .\n"
        raise ExportError("stopped half-way")

    with pytest.raises(ExportError, match="half-way"):
        write_chunks(target, failing())
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_doctests() -> None:
    import doctest

    import il32rdf.terms  # the term functions moved here from il32rdf.turtle

    failed, tried = doctest.testmod(il32rdf.terms)
    assert (failed, tried) == (0, 3)


def test_deep_chains_of_blank_nodes_round_trip() -> None:
    def chain(depth: int) -> list[Statement]:
        rows = [("<http://example.org/a>", "<http://example.org/p>", "_:n0")]
        for i in range(depth):
            last = '"end"' if i == depth - 1 else f"_:n{i + 1}"
            rows.append((f"_:n{i}", "<http://example.org/p>", last))
        return rows

    nested = "".join(turtle_chunks(chain(60)))
    assert nested.count("[") == 60 and "_:" not in nested
    assert len(Graph().parse(data=nested, format="turtle")) == 61
    # beyond what nesting can render; N-Triples needs no rendering of it
    lines = "".join(ntriples_chunks(chain(3000))).splitlines()
    following = {s: o for s, _, o in (line[: -len(" .")].split(" ", 2) for line in lines)}
    node, depth = "<http://example.org/a>", 0
    while node in following:
        node, depth = following[node], depth + 1
    assert (len(lines), depth, node) == (3001, 3001, '"end"')


def test_the_collector_is_paused_for_the_longest_block_and_restored() -> None:
    assert gc.isenabled()
    inner_done, outer_may_end = threading.Event(), threading.Event()

    def other_thread() -> None:  # a block that ends while the main thread's block still runs
        with gcpause.paused():
            inner_done.set()
            outer_may_end.wait(5)

    with gcpause.paused():
        assert not gc.isenabled()
        worker = threading.Thread(target=other_thread)
        worker.start()
        inner_done.wait(5)
        outer_may_end.set()
        worker.join()
        assert not gc.isenabled()  # the other block ended first: still paused
    assert gc.isenabled()
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


def test_the_line_collector_takes_pieces_cut_anywhere() -> None:
    text = (
        b'<http://e/a> <http://e/p> "x .\\n y" .\n'
        b"<http://e/a> <http://e/p> <http://e/b> .\n"
        b'_:b1 <http://e/q> "z"@en .\n'
    )
    expected = [line[: -len(" .")] for line in text.decode().splitlines()]
    for cut in range(len(text) + 1):
        for pieces in (
            [text[:cut], text[cut:]],
            [text[:cut], text[cut : cut + 1], text[cut + 1 :]],
        ):
            sink = LineCollector()
            for piece in pieces:
                sink.write(piece)
            assert sink.lines == expected and sink.complete, cut
    sink = LineCollector()
    sink.write(text[:-1])
    assert not sink.complete
