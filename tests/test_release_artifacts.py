"""What a person reads besides the RDF: diagrams, the VoID/DCAT description, the release diff."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, VOID

from il32rdf.claims import read_claims
from il32rdf.dataset import GRAPH_NAMES, graph_by_name
from il32rdf.diagram import causal_diagram, cytokines_with_claims, lineage_diagram, render
from il32rdf.diff import diff_releases
from il32rdf.errors import UsageError
from il32rdf.figures import picture_graph
from il32rdf.metadata import DATASET_IRI
from il32rdf.store import as_store
from il32rdf.vocab import UNIPROT

DATA = Path(__file__).parent / "data"
SVG = "{http://www.w3.org/2000/svg}"


def _svg_texts(path: Path) -> list[str]:
    return [t.text or "" for t in ET.parse(path).getroot().iter(f"{SVG}text")]


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    return graph_by_name(dataset, "all")


def test_the_default_diagrams_are_chosen_from_the_data(union: Graph) -> None:
    assert cytokines_with_claims(union) == [UNIPROT.P24001]


def test_causal_diagram_from_the_rdf(union: Graph) -> None:
    picture = causal_diagram(union, UNIPROT.P24001)
    labels = {label for label, _, _ in picture.nodes.values()}
    assert {
        "monocyte",
        "macrophage",
        "osteoclast differentiation",
        "bone resorption",
    } <= labels
    assert {"ERK1 and ERK2 cascade", "actin cytoskeleton organization"} <= labels
    assert "TNF\ntumor necrosis factor (human)" in labels
    assert "Cxcl2\nC-X-C motif chemokine 2 (mouse)" in labels
    not_resorption = "NOT acts upstream of, positive effect (without RANKL)"
    negated = [e for e in picture.edges if e.negated]
    assert [(e.target, e.label) for e in negated] == [("n_GO_0045453", not_resorption)]
    dot = picture.dot()
    assert f'n_uniprot_P24001 -> n_GO_0045453 [label="{not_resorption}", style=dashed' in dot
    assert 'label="acts upstream of, negative effect (with RANKL)"' in dot  # the RANKL arm
    # processes grouped by the claim's cell type: the osteoclast experiments' PBMC cultures
    assert 'label="in peripheral blood mononuclear cell"' in dot
    # the actin statement and both "by regulating" links are the encyclopedia's, and say so
    article = "per Wikipedia: Interleukin 32"
    assert f'n_uniprot_P24001 -> n_GO_0030036 [label="acts upstream of, {article}"]' in dot
    mechanisms = {(e.source, e.target, e.label) for e in picture.edges if e.mechanism}
    assert mechanisms == {
        ("n_GO_0070371", "n_GO_0030316", f"mechanism of, {article}"),
        ("n_GO_0030036", "n_GO_0045453", f"mechanism of the NOT, {article}"),
    }
    assert "regulates" not in dot and "maturation" not in dot
    mermaid = picture.mermaid()
    assert mermaid.startswith("flowchart LR\n")
    assert f"n_uniprot_P24001 -.->|{not_resorption}| n_GO_0045453" in mermaid
    assert "n_CL_0000576 -->|secretes (Homo sapiens)| n_uniprot_P10145" in mermaid


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_release_draws_from_the_store_what_the_whole_graph_shows(
    dataset: Dataset, union: Graph, engine: str
) -> None:
    # build and the diagram command draw from a small graph taken from the store: it must hold
    # the "by regulating" links and the names the labels use
    store = as_store(dataset, engine)
    small = causal_diagram(picture_graph(store, [UNIPROT.P24001]), UNIPROT.P24001)
    whole = causal_diagram(union, UNIPROT.P24001)
    assert small.edges == whole.edges and small.nodes == whole.nodes
    assert any(e.mechanism for e in small.edges)
    assert any("(without RANKL)" in e.label for e in small.edges)


def test_lineage_diagram(union: Graph) -> None:
    picture = lineage_diagram(union)
    edges = {(e.source, e.target) for e in picture.edges}
    assert edges == {("n_CL_0000576", "n_CL_0000235"), ("n_CL_0000576", "n_CL_0000092")}


def test_a_non_cytokine_is_refused_with_the_valid_choices(union: Graph) -> None:
    with pytest.raises(UsageError, match="cytokines with claims: uniprot:P24001"):
        causal_diagram(union, URIRef("http://purl.obolibrary.org/obo/CL_0000576"))


@pytest.mark.skipif(
    shutil.which("dot") is None and not os.environ.get("CI"),
    reason="Graphviz (Debian graphviz) is installed by `make setup`; required on CI",
)
def test_rendered_svg_and_png_carry_the_labels(union: Graph, tmp_path: Path) -> None:
    written = render(causal_diagram(union, UNIPROT.P24001), tmp_path)
    assert sorted(p.suffix for p in written) == [".dot", ".mmd", ".png", ".svg"]
    texts = _svg_texts(tmp_path / "IL32-causal.svg")
    for label in ("monocyte", "macrophage", "bone resorption"):
        assert label in texts, label
    assert any(t.startswith("NOT acts upstream of, positive effect") for t in texts)
    assert (tmp_path / "IL32-causal.png").read_bytes().startswith(b"\x89PNG")
    render(lineage_diagram(union), tmp_path)
    assert {"monocyte", "macrophage", "osteoclast"} <= set(_svg_texts(tmp_path / "lineage.svg"))


def test_diagram_command(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("diagram", "--no-images", "-o", str(tmp_path))
    assert result.status == 0, result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "IL32-causal.dot",
        "IL32-causal.mmd",
        "lineage.dot",
        "lineage.mmd",
        "overview.dot",
        "overview.mmd",
    ]
    bad = run_cli("diagram", "--cytokine", "CL:0000576", "--no-images", "-o", str(tmp_path))
    assert bad.status == 2 and "is not a protein with claims" in bad.err


# --- VoID / DCAT ------------------------------------------------------------------------------


def test_build_writes_a_dataset_description_with_correct_counts(
    run_cli: Any,
    dataset: Dataset,
    tmp_path: Path,
) -> None:
    assert run_cli("build", "-o", str(tmp_path)).status == 0
    description = Graph().parse(tmp_path / "il32-void.ttl")
    assert (DATASET_IRI, RDF.type, VOID.Dataset) in description
    assert (DATASET_IRI, RDF.type, DCAT.Dataset) in description
    released = Dataset()  # the release, reasoner's inferences included
    released.parse(tmp_path / "il32.nq", format="nquads")
    union = Graph().parse(tmp_path / "il32.nt")
    assert description.value(DATASET_IRI, VOID.triples) == Literal(len(union))
    for iri in GRAPH_NAMES.values():
        assert (DATASET_IRI, VOID.subset, iri) in description
        assert description.value(iri, VOID.triples) == Literal(len(released.graph(iri)))
    assert len(released.graph(GRAPH_NAMES["ontology"])) == len(
        dataset.graph(GRAPH_NAMES["ontology"])
    )
    for dist in description.objects(DATASET_IRI, DCAT.distribution):
        name = str(dist).removeprefix("https://w3id.org/il32rdf/dataset/")
        size = description.value(dist, DCAT.byteSize)
        assert size is not None and size.toPython() == (tmp_path / name).stat().st_size, name
    examples = set(description.objects(DATASET_IRI, VOID.exampleResource))
    assert URIRef("https://w3id.org/il32rdf/fact/il32-not-osteoclast-activation") in examples
    vocabularies = {str(v) for v in description.objects(DATASET_IRI, VOID.vocabulary)}
    assert "http://purl.obolibrary.org/obo/" in vocabularies
    assert description.value(DATASET_IRI, URIRef("http://purl.org/dc/terms/license")) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )


# --- release diff -----------------------------------------------------------------------------


def test_diff_of_two_fixture_versions_gives_the_exact_change_list() -> None:
    old = Graph().parse(DATA / "diff" / "old.ttl")
    new = Graph().parse(DATA / "diff" / "new.ttl")
    changes = diff_releases(old, new)
    ex = "http://example.org/"
    assert [str(c.iri) for c in changes.claims_added] == [ex + "added"]
    assert [str(c.iri) for c in changes.claims_removed] == [ex + "removed"]
    assert [(str(o.iri), o.negated, n.negated) for o, n in changes.polarity_changed] == [
        (ex + "flipped", False, True)
    ]
    assert [(str(c.iri), c.fields) for c in changes.claims_changed] == [
        (
            ex + "revised",
            (
                ("evidence", "ECO:0000314", "ECO:0000304"),
                ("cell type", "CL:0000576", "CL:0000235"),
                ("in absence of", "(none)", "<http://example.org/Q>"),
            ),
        )
    ]
    assert [str(t.iri) for t in changes.terms_created] == [ex + "NewTerm"]
    assert [str(t.iri) for t in changes.terms_removed] == [ex + "GoneTerm"]
    assert [str(t.iri) for t in changes.terms_obsoleted] == [ex + "OldTerm"]
    assert [t.detail for t in changes.terms_relabelled] == ['"macrophage" -> "macrophage (tissue)"']


def test_diff_reports_and_exit_codes(run_cli: Any, tmp_path: Path) -> None:
    old, new = str(DATA / "diff" / "old.ttl"), str(DATA / "diff" / "new.ttl")
    same = run_cli("diff", old, old)
    assert same.status == 0 and same.out == "release diff: no differences\n"
    text = run_cli("diff", old, new)
    assert text.status == 1
    assert text.out.startswith("release diff: 1 claim added, 1 claim removed, 1 polarity changed")
    assert '<http://example.org/flipped> "flipped": asserted -> negated' in text.out
    markdown = run_cli("diff", old, new, "--format", "markdown")
    assert "### Polarity changed" in markdown.out and "- " in markdown.out
    document = json.loads(run_cli("diff", old, new, "--format", "json").out)
    assert document["counts"]["claims changed"] == 1
    report = tmp_path / "notes.md"
    written = run_cli("diff", old, new, "--format", "markdown", "-o", str(report))
    assert written.status == 1 and report.read_text() == markdown.out
    missing = run_cli("diff", old, str(tmp_path / "nope.ttl"))
    assert missing.status == 2 and "no such file" in missing.err


def test_the_bundled_release_negating_a_claim_shows_up(dataset: Dataset) -> None:
    old = graph_by_name(dataset, "all")
    new = Graph()
    for triple in old:
        new.add(triple)
    flipped = URIRef("https://w3id.org/il32rdf/fact/il32-supports-osteoclast-differentiation")
    new.set((flipped, URIRef("https://w3id.org/il32rdf/ontology/negated"), Literal(True)))
    changes = diff_releases(old, new)
    assert [n.iri for _, n in changes.polarity_changed] == [flipped]
    assert not changes.claims_added and not changes.claims_removed
    assert len(read_claims(new)) == len(read_claims(old))


# --- OBO Graphs (KGX: tests/test_kgx.py) --------------------------------------------


def test_obographs_round_trip_the_ontology_edges(dataset: Dataset, tmp_path: Path) -> None:
    from il32rdf import obographs
    from il32rdf.vocab import OBO

    ontology = dataset.graph(GRAPH_NAMES["ontology"])
    path = tmp_path / "ontology.json"
    path.write_bytes(obographs.to_json(ontology))
    assert obographs.read_edges(path) == obographs.ontology_edges(ontology)
    document = json.loads(path.read_text())
    (graph,) = document["graphs"]
    edges = {(e["sub"], e["pred"], e["obj"]) for e in graph["edges"]}
    assert (str(OBO.CL_0000235), str(OBO.RO_0002202), str(OBO.CL_0000576)) in edges
    assert (str(OBO.CL_0000092), "is_a", str(OBO.CL_0000518)) in edges
    assert not any(s == str(OBO.CL_0000092) and o == str(OBO.CL_0000235) for s, _, o in edges)
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert nodes[str(OBO.CL_0000738)]["lbl"] == "leukocyte"
    assert {"pred": "hasRelatedSynonym", "val": "immune cell"} in nodes[str(OBO.CL_0000738)][
        "meta"
    ]["synonyms"]
    cytokine = next(
        d for d in graph["logicalDefinitionAxioms"] if d["definedClassId"].endswith("/Cytokine")
    )
    assert cytokine["restrictions"] == [
        {"propertyId": str(OBO.RO_0002327), "fillerId": str(OBO.GO_0005125)}
    ]
