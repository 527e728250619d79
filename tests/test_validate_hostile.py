"""Shapes a user brings, on both engines: what SHACL forbids is refused before any query runs
(no request leaves the process), every error is one line and exit 2, findings exit 1, and the
report is SHACL's: every result kept, blank-node shapes as blank nodes, the real result path,
values as written, sh:conforms false with warnings only."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CliResult
from rdflib import RDF, SH, BNode, Graph, Literal, URIRef

from il32rdf.errors import ShapesError
from il32rdf.store import Store, open_store
from il32rdf.validate import ShapesWarning, render, validate

Run = Callable[..., CliResult]
ENGINES = ("rdflib", "oxigraph")
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/ns#> .
"""


class Listener:
    """A TCP server on 127.0.0.1 that records every connection it accepts."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + text, encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return _write(
        tmp_path,
        "data.ttl",
        """ex:a a ex:Thing ; ex:p ex:b ; ex:size "300"^^xsd:byte ; ex:flag "none"^^xsd:boolean ;
    ex:q ex:c .
ex:c ex:r ex:d .
""",
    )


def _cli(run_cli: Run, data: Path, shapes: Path, engine: str, *extra: str) -> CliResult:
    """``il32rdf validate DATA --no-bundled --shapes SHAPES --store ENGINE ...``."""
    argv = ["validate", str(data), "--no-bundled", "--shapes", str(shapes), "--store", engine]
    return run_cli(*argv, *extra)


def _errors(result: CliResult) -> list[str]:
    """The lines of stderr that are not rdflib's warning about the data's "none" flag."""
    lines = result.err.strip().splitlines()
    assert all(line.startswith("il32rdf: ") for line in lines), lines
    return [line for line in lines if not line.startswith("il32rdf: warning:")]


def _load(engine: str, path: Path) -> Store:
    return open_store([path], engine, bundled=False)


HOSTILE = {
    "service": 'sh:select "SELECT $this WHERE { $this ?p ?o . '
    'SERVICE <http://127.0.0.1:PORT/sparql> { ?o ?q ?r } }"',
    "from": 'sh:select "SELECT $this FROM <http://127.0.0.1:PORT/graph> WHERE { $this ?p ?o }"',
    "minus": 'sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this ex:p ?o } }"',
    "values": 'sh:select "SELECT $this WHERE { VALUES ?o { ex:b } $this ?p ?o }"',
    "as-this": 'sh:select "SELECT $this WHERE { BIND (ex:a AS $this) }"',
    "subquery": 'sh:select "SELECT $this WHERE { $this ?p ?o { SELECT ?o WHERE { ?o ?q ?r } } }"',
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_forbidden_sparql_is_refused_before_any_query_runs(
    engine: str, kind: str, tmp_path: Path, data: Path, listener: Listener
) -> None:
    query = HOSTILE[kind].replace("PORT", str(listener.port))
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        f"ex:HostileShape a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        f'    sh:sparql [ sh:message "m" ; {query} ] .\n',
    )
    with pytest.raises(ShapesError, match=r"^shape ex:HostileShape: SPARQL query refused") as info:
        validate(_load(engine, data), shapes=[shapes])
    assert "\n" not in str(info.value)
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_service_in_a_sparql_target_is_refused_too(
    engine: str, tmp_path: Path, data: Path, listener: Listener, run_cli: Run
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        "ex:TargetShape a sh:NodeShape ; sh:nodeKind sh:IRI ;\n"
        "    sh:target [ a sh:SPARQLTarget ; sh:select "
        f'"SELECT ?this WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/q> '
        '{ ?this ?p ?o } }" ] .\n',
    )
    result = _cli(run_cli, data, shapes, engine)
    assert result.status == 2 and result.out == ""
    assert _errors(result) == [
        "il32rdf: error: shape ex:TargetShape: SPARQL query refused: it uses a federated query "
        "(SERVICE), which SHACL forbids in its SPARQL queries"
    ]
    assert listener.connections == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_a_severity_that_is_not_an_iri_is_an_error(
    engine: str, tmp_path: Path, data: Path, run_cli: Run
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        'ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity "high" ;\n'
        "    sh:nodeKind sh:IRI .\n",
    )
    result = _cli(run_cli, data, shapes, engine)
    assert result.status == 2
    assert _errors(result) == [
        'il32rdf: error: shape ex:S: sh:severity "high" is not an IRI (use sh:Violation, '
        "sh:Warning, sh:Info or an IRI of your own)"
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_severity_of_the_users_own_is_kept_and_fails(
    engine: str, tmp_path: Path, data: Path, run_cli: Run
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:severity ex:Urgent ;\n"
        "    sh:nodeKind sh:BlankNode .\n",
    )
    result = _cli(run_cli, data, shapes, engine, "--format", "turtle")
    assert result.status == 1, result.err
    report = Graph().parse(data=result.out, format="turtle")
    assert set(report.objects(None, SH.resultSeverity)) == {URIRef("http://example.org/ns#Urgent")}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_malformed_path_is_an_error_saying_what_is_wrong(
    engine: str, tmp_path: Path, data: Path, run_cli: Run
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        "    sh:property [ sh:path [ sh:inversePath ex:p ; sh:zeroOrMorePath ex:q ] ; "
        "sh:minCount 1 ] .\n",
    )
    result = _cli(run_cli, data, shapes, engine)
    assert result.status == 2
    (line,) = _errors(result)
    assert line.startswith("il32rdf: error: shape ex:S: malformed sh:path: a path node needs")
    assert "sh:inversePath, sh:zeroOrMorePath" in line


@pytest.mark.parametrize("engine", ENGINES)
def test_a_path_that_is_both_a_list_and_an_inverse_is_read_as_the_list_with_a_warning(
    engine: str, tmp_path: Path, data: Path
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "ex:S a sh:PropertyShape ; sh:targetClass ex:Thing ;\n"
        "    sh:path [ rdf:first ex:q ; rdf:rest ( ex:r ) ; sh:inversePath ( ex:p ) ] ;\n"
        "    sh:class ex:Thing .\n",
    )
    loaded = _load(engine, data)
    with pytest.warns(ShapesWarning, match="both a list and sh:inversePath: read as the list"):
        report = validate(loaded, shapes=[shapes], run_qc=False)
    ((result),) = report.results
    assert result.value == "http://example.org/ns#d"
    assert result.path == "(<http://example.org/ns#q>/<http://example.org/ns#r>)"


@pytest.mark.parametrize("engine", ENGINES)
def test_values_are_reported_as_written(engine: str, tmp_path: Path, data: Path) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        "    sh:property [ sh:path ex:size ; sh:datatype xsd:byte ] ;\n"
        "    sh:property [ sh:path ex:flag ; sh:datatype xsd:boolean ] .\n",
    )
    report = validate(_load(engine, data), shapes=[shapes], run_qc=False)
    assert sorted(r.value or "" for r in report.results) == [
        '"300"^^<http://www.w3.org/2001/XMLSchema#byte>',
        '"none"^^<http://www.w3.org/2001/XMLSchema#boolean>',
    ]
    turtle = Graph().parse(data=render(report, "turtle"), format="turtle")
    assert {str(v) for v in turtle.objects(None, SH.value)} == {"300", "none"}


@pytest.mark.parametrize("engine", ENGINES)
def test_the_report_is_shacls(engine: str, tmp_path: Path, data: Path, run_cli: Run) -> None:
    # a property shape reached twice (both results kept), a blank-node property shape, a
    # complex path, a nested property shape in a property shape, pre-binding in a FILTER
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        """ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property ex:ViaP , ex:ViaQ ;
    sh:property [ sh:path ( ex:q ex:r ) ; sh:nodeKind sh:Literal ] ;
    sh:sparql [ sh:select "SELECT $this WHERE { FILTER ($this = ex:a) }" ] .
ex:ViaP sh:path ex:p ; sh:property ex:Leaf .
ex:ViaQ sh:path ex:p ; sh:property ex:Leaf .
ex:Leaf sh:path ex:missing ; sh:minCount 1 .
""",
    )
    result = _cli(run_cli, data, shapes, engine, "--format", "json")
    assert result.status == 1, result.err
    document = json.loads(result.out)
    assert document["conforms"] is False
    by_component = sorted(
        (r["component"].rpartition("#")[2], r["path"], r["shape"]) for r in document["results"]
    )
    blank = next(s for c, _, s in by_component if c == "NodeKindConstraintComponent")
    assert blank.startswith("_:s") and len(blank) == 13
    assert by_component == [
        (
            "MinCountConstraintComponent",
            "http://example.org/ns#missing",
            "http://example.org/ns#Leaf",
        ),
        (
            "MinCountConstraintComponent",
            "http://example.org/ns#missing",
            "http://example.org/ns#Leaf",
        ),
        (
            "NodeKindConstraintComponent",
            "(<http://example.org/ns#q>/<http://example.org/ns#r>)",
            blank,
        ),
        ("SPARQLConstraintComponent", None, "http://example.org/ns#S"),
    ]
    turtle = _cli(run_cli, data, shapes, engine, "--format", "turtle").out
    report = Graph().parse(data=turtle, format="turtle")
    assert len(set(report.objects(None, SH.result))) == 4
    shapes_used = set(report.objects(None, SH.sourceShape))
    assert sum(isinstance(s, BNode) for s in shapes_used) == 1  # not a relative IRI
    (path,) = (p for p in report.objects(None, SH.resultPath) if isinstance(p, BNode))
    assert list(report.items(path)) == [
        URIRef("http://example.org/ns#q"),
        URIRef("http://example.org/ns#r"),
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_warnings_only_do_not_conform_but_pass(
    engine: str, tmp_path: Path, data: Path, run_cli: Run
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;\n"
        "    sh:property [ sh:path ex:missing ; sh:minCount 1 ; sh:severity sh:Warning ] .\n",
    )
    result = _cli(run_cli, data, shapes, engine, "--format", "turtle")
    assert result.status == 0, result.err
    report = Graph().parse(data=result.out, format="turtle")
    (root,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(root, SH.conforms) == Literal(False)
    assert "does NOT conform (warnings and infos only: it passes)" in result.err
    assert _cli(run_cli, data, shapes, engine, "--strict").status == 1


@pytest.mark.parametrize("engine", ENGINES)
def test_prefixes_of_the_shapes_file_and_sh_prefixes(
    engine: str, tmp_path: Path, data: Path
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        """ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:prefixes ex:Declared ;
        sh:select "SELECT $this ?value WHERE { $this ex:p ?value FILTER (?value != other:b) }" ] .
ex:Declared sh:declare [ sh:prefix "other" ;
    sh:namespace "http://example.org/other#"^^xsd:anyURI ] .
""",
    )
    report = validate(_load(engine, data), shapes=[shapes], run_qc=False)
    assert [r.value for r in report.results] == ["http://example.org/ns#b"]


@pytest.mark.parametrize("engine", ENGINES)
def test_forbidden_words_in_strings_names_iris_and_comments_are_no_false_alarm(
    engine: str, tmp_path: Path, data: Path
) -> None:
    shapes = _write(
        tmp_path,
        "shapes.ttl",
        """ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:sparql [ sh:select '''
        # no MINUS, no SERVICE here
        SELECT $this ?value WHERE {
            $this ex:p ?value .
            OPTIONAL { $this ex:allowedValues ?values }
            FILTER (?value != <http://example.org/VALUES> && STR(?value) != "SERVICE minus")
        }''' ] .
""",
    )
    report = validate(_load(engine, data), shapes=[shapes], run_qc=False)
    assert [r.value for r in report.results] == ["http://example.org/ns#b"]
