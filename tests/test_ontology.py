"""The ontology (TBox): header, standard IRIs, labels and definitions, OWL 2 DL hygiene."""

from __future__ import annotations

import re

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

import il32rdf
from il32rdf import resources
from il32rdf.dataset import FACTS_GRAPH, ONTOLOGY_GRAPH, parse_file
from il32rdf.vocab import IL32, OBO, OBO_IN_OWL, ONTOLOGY_IRI

DEFINITION = OBO.IAO_0000115

# The standard IRI forms: OBO PURLs (http, underscore), UniProt's own IRIs, PubMed with a slash.
STANDARD_FORMS = {
    "obo": re.compile(
        r"http://purl\.obolibrary\.org/obo/(BFO|CL|ECO|GO|IAO|NCBITaxon|RO|UBERON)_\d+"
    ),
    "uniprot": re.compile(r"http://purl\.uniprot\.org/uniprot/[OPQ][0-9][A-Z0-9]{3}[0-9]"),
    "pubmed": re.compile(r"https://pubmed\.ncbi\.nlm\.nih\.gov/[1-9]\d*/"),
    "cellosaurus": re.compile(r"https://www\.cellosaurus\.org/CVCL_[A-Z0-9]{4}"),
}
# Spellings of the same identifiers that are *not* the standard IRI.
NON_STANDARD = re.compile(
    r"https://purl\.obolibrary|purl\.obolibrary\.org/obo/[A-Za-z]+:|identifiers\.org|"
    r"uniprot\.org/uniprotkb|www\.ncbi\.nlm\.nih\.gov/pubmed|bioportal"
)


@pytest.fixture(scope="module")
def ontology(dataset: Dataset) -> Graph:
    return dataset.graph(ONTOLOGY_GRAPH)


def _iris(graph: Graph) -> set[URIRef]:
    return {term for triple in graph for term in triple if isinstance(term, URIRef)}


def test_every_bundled_file_parses() -> None:
    files = resources.ontology_files() + resources.fact_files()
    assert [f.name for f in files] == ["il32rdf.ttl", "background.ttl", "entities.ttl", "il32.ttl"]
    for path in files:
        assert len(parse_file(path)) > 50, path


def test_header_is_complete(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, prop
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert str(version) == il32rdf.__version__
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    assert str(version_iri) == f"https://w3id.org/il32rdf/releases/{il32rdf.__version__}/ontology"


def test_external_iris_are_in_standard_form(dataset: Dataset) -> None:
    iris = _iris(dataset.graph(ONTOLOGY_GRAPH)) | _iris(dataset.graph(FACTS_GRAPH))
    assert not [i for i in iris if NON_STANDARD.search(i)]
    for iri in iris:
        text = str(iri)
        if text.startswith("http://purl.obolibrary.org/obo/"):
            assert STANDARD_FORMS["obo"].fullmatch(text), text
        elif text.startswith("http://purl.uniprot.org/uniprot/"):
            assert STANDARD_FORMS["uniprot"].fullmatch(text), text
        elif text.startswith("https://pubmed.ncbi.nlm.nih.gov/"):
            assert STANDARD_FORMS["pubmed"].fullmatch(text), text
        elif text.startswith("https://www.cellosaurus.org/"):
            assert STANDARD_FORMS["cellosaurus"].fullmatch(text), text


def test_project_terms_have_label_and_definition(ontology: Graph) -> None:
    project = {s for s in ontology.subjects() if str(s).startswith(str(IL32._NS))}
    assert project, "no project terms found"
    for term in project:
        labels = list(ontology.objects(term, RDFS.label))
        assert len(labels) == 1, term
        assert len(list(ontology.objects(term, DEFINITION))) == 1, term


def test_python_vocabulary_equals_declared_terms(ontology: Graph) -> None:
    declared = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(str(IL32._NS))}
    in_python = {IL32[name] for name in IL32.__annotations__}
    assert declared == in_python


def test_external_terms_carry_their_exact_labels(ontology: Graph) -> None:
    expected = {
        "CL_0000576": "monocyte",
        "CL_0000235": "macrophage",
        "CL_0000092": "osteoclast",
        "CL_0000738": "leukocyte",
        "CL_0000113": "mononuclear phagocyte",
        "CL_0000766": "myeloid leukocyte",
        "CL_0000518": "phagocyte (sensu Vertebrata)",
        "CL_0000125": "glial cell",
        "GO_0032640": "tumor necrosis factor production",
        "GO_0032637": "interleukin-8 production",
        "GO_0072567": "chemokine (C-X-C motif) ligand 2 production",
        "GO_0030316": "osteoclast differentiation",
        "GO_0036179": "osteoclast maturation",
        "GO_0070371": "ERK1 and ERK2 cascade",
        "GO_0030036": "actin cytoskeleton organization",
        "GO_0015629": "actin cytoskeleton",
        "GO_0005125": "cytokine activity",
        "GO_0008009": "chemokine activity",
        "UBERON_0002405": "immune system",
        "UBERON_0001016": "nervous system",
        "NCBITaxon_9606": "Homo sapiens",
        "NCBITaxon_10090": "Mus musculus",
        "ECO_0000314": "direct assay evidence used in manual assertion",
        "ECO_0000304": "author statement supported by traceable reference used in manual assertion",
        "RO_0002213": "positively regulates",
        "RO_0002263": "acts upstream of",
        "RO_0002264": "acts upstream of or within",
        "RO_0004034": "acts upstream of, positive effect",
        "RO_0004035": "acts upstream of, negative effect",
        "CL_2000001": "peripheral blood mononuclear cell",
        "GO_0045453": "bone resorption",
        "GO_0043491": "protein kinase B signaling",
        "GO_0007165": "signal transduction",
        "RO_0002202": "develops from",
        "BFO_0000050": "part of",
    }
    for local, label in expected.items():
        assert ontology.value(OBO[local], RDFS.label) == Literal(label), local


def _ancestors(graph: Graph, cls: URIRef) -> set[URIRef]:
    return {a for a in graph.transitive_objects(cls, RDFS.subClassOf) if isinstance(a, URIRef)}


def test_cell_hierarchy(ontology: Graph) -> None:
    for cell in (OBO.CL_0000576, OBO.CL_0000235):
        ancestors = _ancestors(ontology, cell)
        for parent in (OBO.CL_0000113, OBO.CL_0000766, OBO.CL_0000738, OBO.CL_0000000):
            assert parent in ancestors, (cell, parent)
    osteoclast = _ancestors(ontology, OBO.CL_0000092)
    assert {OBO.CL_0000518, OBO.CL_0000766, OBO.CL_0000738, OBO.CL_0000000} <= osteoclast
    assert OBO.CL_0000235 not in osteoclast, "an osteoclast is not a macrophage"
    assert OBO.CL_0000113 not in osteoclast


def _restrictions(graph: Graph, cls: URIRef) -> set[tuple[URIRef, URIRef]]:
    found = set()
    for node in graph.objects(cls, RDFS.subClassOf):
        if isinstance(node, BNode) and (node, RDF.type, OWL.Restriction) in graph:
            prop, filler = graph.value(node, OWL.onProperty), graph.value(node, OWL.someValuesFrom)
            if isinstance(prop, URIRef) and isinstance(filler, URIRef):
                found.add((prop, filler))
    return found


@pytest.mark.parametrize(
    ("cls", "prop", "filler"),
    [
        (OBO.CL_0000235, OBO.RO_0002202, OBO.CL_0000576),  # macrophage develops from monocyte
        (OBO.CL_0000092, OBO.RO_0002202, OBO.CL_0000576),  # osteoclast develops from monocyte
        (OBO.CL_0000092, OBO.RO_0002215, OBO.GO_0045453),  # osteoclast capable of bone resorption
        (OBO.CL_0000738, OBO.BFO_0000050, OBO.UBERON_0002405),  # leukocyte part of immune system
        (OBO.CL_0000576, OBO.RO_0002215, OBO.GO_0030316),  # monocyte capable of osteoclast diff.
    ],
)
def test_class_level_axioms(ontology: Graph, cls: URIRef, prop: URIRef, filler: URIRef) -> None:
    assert (prop, filler) in _restrictions(ontology, cls)


@pytest.mark.parametrize(
    ("cls", "prop", "filler"),
    [
        # CL states none of these; as axioms they would bind every subclass, so they are claims
        (OBO.CL_0000125, OBO.BFO_0000050, OBO.UBERON_0001016),  # glial cell part of nervous system
        (OBO.CL_0000125, OBO.RO_0002215, OBO.GO_0001816),  # glial cell capable of cytokine prod.
        (OBO.CL_0000576, OBO.RO_0002215, OBO.GO_0045087),  # monocyte capable of innate immunity
    ],
)
def test_no_axiom_on_an_external_class_that_its_ontology_lacks(
    ontology: Graph, cls: URIRef, prop: URIRef, filler: URIRef
) -> None:
    assert (prop, filler) not in _restrictions(ontology, cls)


def test_go_parents_are_gos(ontology: Graph) -> None:
    # checked against GO's own files (README: "Checked against"); the trap was IL-8 production
    # placed under chemokine production, where GO has it under cytokine production
    il8 = _ancestors(ontology, OBO.GO_0032637)
    assert OBO.GO_0001816 in il8
    assert OBO.GO_0032602 not in il8
    assert OBO.GO_0032602 in _ancestors(ontology, OBO.GO_0072567)  # CXCL2 production is one
    signaling = _ancestors(ontology, OBO.GO_0070371)
    assert {OBO.GO_0000165, OBO.GO_0141124, OBO.GO_0035556, OBO.GO_0007165} <= signaling
    # the encyclopedia's name of the pathway is not one of GO's synonyms
    assert (OBO.GO_0070371, OBO_IN_OWL.hasRelatedSynonym, Literal("MAPK/ERK pathway")) not in (
        ontology
    )
    # Reactome's RAF/MAP kinase cascade is only the ERK branch of GO's MAPK cascade
    raf = URIRef("https://reactome.org/content/detail/R-HSA-5673001")
    assert (OBO.GO_0000165, SKOS.narrowMatch, raf) in ontology
    assert (OBO.GO_0000165, SKOS.closeMatch, raf) not in ontology


def test_synonym_scopes_are_the_source_ontologys(ontology: Graph) -> None:
    # ECO has "traceable author statement" as a RELATED synonym of ECO:0000033
    tas = Literal("traceable author statement")
    assert (OBO.ECO_0000033, OBO_IN_OWL.hasRelatedSynonym, tas) in ontology
    assert (OBO.ECO_0000033, OBO_IN_OWL.hasExactSynonym, tas) not in ontology


def test_cytokine_and_chemokine_are_defined_by_what_they_enable(ontology: Graph) -> None:
    for cls, activity in ((IL32.Cytokine, OBO.GO_0005125), (IL32.Chemokine, OBO.GO_0008009)):
        definition = ontology.value(cls, OWL.equivalentClass)
        members = list(Graph.collection(ontology, ontology.value(definition, OWL.intersectionOf)))
        fillers = {ontology.value(m, OWL.someValuesFrom) for m in members if isinstance(m, BNode)}
        assert activity in fillers
    assert (OBO.GO_0008009, RDFS.subClassOf, OBO.GO_0005125) in ontology


def test_owl2_dl_declarations(dataset: Dataset) -> None:
    ontology = dataset.graph(ONTOLOGY_GRAPH)
    facts = dataset.graph(FACTS_GRAPH)
    object_props = set(ontology.subjects(RDF.type, OWL.ObjectProperty))
    data_props = set(ontology.subjects(RDF.type, OWL.DatatypeProperty))
    annotation_props = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    assert not object_props & data_props, "a property is both object and datatype property"
    assert not (object_props | data_props) & annotation_props
    builtin = {str(RDF), str(RDFS), str(OWL)}
    used_predicates = {p for g in (ontology, facts) for p in g.predicates()}
    for predicate in used_predicates:
        if any(str(predicate).startswith(ns) for ns in builtin):
            continue
        assert predicate in object_props | data_props | annotation_props, predicate
    # every named class used in an axiom or as a type is declared
    for graph in (ontology, facts):
        for prop in (RDFS.subClassOf, OWL.someValuesFrom, RDF.type):
            for value in graph.objects(None, prop):
                if isinstance(value, URIRef) and not str(value).startswith(tuple(builtin)):
                    assert value in classes, (prop, value)
    # a datatype property always has literal values, an object property never does
    for graph in (ontology, facts):
        for prop in data_props:
            assert all(isinstance(o, Literal) for o in graph.objects(None, prop)), prop
        for prop in object_props:
            assert not any(isinstance(o, Literal) for o in graph.objects(None, prop)), prop
    negated = list(facts.objects(None, IL32.negated))
    assert negated and all(o.datatype == XSD.boolean for o in negated)
