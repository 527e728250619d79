"""The facts (ABox): one test per statement of the source text, each asked with SPARQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

import il32rdf
from il32rdf.dataset import FACTS_GRAPH, INFERRED_GRAPH
from il32rdf.vocab import IL32, PREFIXES

DATA = Path(__file__).parent / "data"

PREFIX_LINES = "\n".join(f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items())
PREFIX_LINES += "\nPREFIX pmid: <https://pubmed.ncbi.nlm.nih.gov/>"
KIM_2005 = "<https://pubmed.ncbi.nlm.nih.gov/15664165/>"
MABILLEAU_2009 = "<https://pubmed.ncbi.nlm.nih.gov/19137064/>"
IL32_ARTICLE = "<https://en.wikipedia.org/wiki/Interleukin_32>"
RANKL = "uniprot:O14788"


def ask(dataset: Dataset, body: str) -> bool:
    result = dataset.query(f"{PREFIX_LINES}\nASK {{ {body} }}")
    assert result.askAnswer is not None
    return bool(result.askAnswer)


def claim(s: str, p: str, o: str, *, negated: bool = False, **qualifiers: str) -> str:
    """A graph pattern for a claim with the given subject, predicate, object and qualifiers."""
    lines = [
        "?c a il32:Claim",
        f"rdf:subject {s}",
        f"rdf:predicate {p}",
        f"rdf:object {o}",
        f"il32:negated {'true' if negated else 'false'}",
    ]
    names = {"source": "dcterms:source", "evidence": "il32:evidence"}
    for key, value in qualifiers.items():
        lines.append(f"{names.get(key, 'il32:' + key)} {value}")
    return " ;\n".join(lines) + " ."


def test_il32_is_a_cytokine(dataset: Dataset) -> None:
    assert ask(
        dataset,
        claim(
            "uniprot:P24001", "RO:0002327", "GO:0005125", source=KIM_2005, evidence="ECO:0000314"
        ),
    )
    assert ask(dataset, "uniprot:P24001 RO:0002327 GO:0005125 .")  # the plain edge


def test_il32_induces_monocytes_to_secrete_tnf(dataset: Dataset) -> None:
    assert ask(
        dataset,
        claim(
            "uniprot:P24001",
            "RO:0004034",
            "GO:0032640",
            cellType="CL:0000576",
            cellLine="cellosaurus:0006",
            inTaxon="NCBITaxon:9606",
            producedMolecule="uniprot:P01375",
            source=KIM_2005,
            evidence="ECO:0000314",
        ),
    )


def test_il32_induces_il8_in_monocytes(dataset: Dataset) -> None:
    assert ask(
        dataset,
        claim(
            "uniprot:P24001",
            "RO:0004034",
            "GO:0032637",
            cellType="CL:0000576",
            inTaxon="NCBITaxon:9606",
            producedMolecule="uniprot:P10145",
            source=KIM_2005,
        ),
    )


def test_il32_induces_macrophages_to_secrete_mouse_tnf(dataset: Dataset) -> None:
    assert ask(
        dataset,
        claim(
            "uniprot:P24001",
            "RO:0004034",
            "GO:0032640",
            cellType="CL:0000235",
            cellLine="cellosaurus:0493",
            inTaxon="NCBITaxon:10090",
            producedMolecule="uniprot:P06804",
            source=KIM_2005,
        ),
    )


def test_il32_induces_macrophages_to_secrete_mip2_the_mouse_cxcl2(dataset: Dataset) -> None:
    assert ask(
        dataset,
        claim(
            "uniprot:P24001",
            "RO:0004034",
            "GO:0072567",
            cellType="CL:0000235",
            inTaxon="NCBITaxon:10090",
            producedMolecule="uniprot:P10889",
            source=KIM_2005,
        ),
    )
    # MIP-2 is mouse Cxcl2, not human CXCL2 (P19875), and there is no mouse IL-8
    assert not ask(dataset, "?c il32:producedMolecule uniprot:P19875 .")
    assert not ask(
        dataset, "?c il32:producedMolecule uniprot:P10145 ; il32:inTaxon NCBITaxon:10090 ."
    )


def test_no_protein_is_the_subject_of_a_process_to_process_relation(dataset: Dataset) -> None:
    # RO's regulates family (RO:0002211 and below) and causally upstream of (RO:0002411) have
    # domain process: from a protein they would make the protein a process. (Old data:
    # uniprot:P24001 RO:0002213 GO:0032640.)
    assert not ask(
        dataset,
        "?c a il32:Claim ; rdf:subject ?s ; rdf:predicate ?p . ?s a up:Protein ."
        " FILTER (?p IN (RO:0002211, RO:0002212, RO:0002213, RO:0002411, RO:0002304))",
    )
    assert not ask(dataset, "?s a up:Protein ; RO:0002213|RO:0002211 ?o .")


@pytest.mark.parametrize(
    ("protein", "activity"),
    [
        ("uniprot:P01375", "GO:0005125"),  # TNF-alpha (human) is a cytokine
        ("uniprot:P06804", "GO:0005125"),  # TNF-alpha (mouse) is a cytokine
        ("uniprot:P10145", "GO:0008009"),  # IL-8 is a chemokine
        ("uniprot:P10889", "GO:0008009"),  # MIP-2 is a chemokine
    ],
)
def test_induced_molecules_are_cytokines_or_chemokines_per_the_encyclopedia(
    dataset: Dataset, protein: str, activity: str
) -> None:
    # Kim et al. 2005 measured the induction; the article is what types the molecules
    assert ask(
        dataset,
        claim(protein, "RO:0002327", activity, source=IL32_ARTICLE, evidence="ECO:0000304"),
    )
    assert not ask(dataset, claim(protein, "RO:0002327", activity, source=KIM_2005))


def test_chemokines_are_cytokines_by_the_hierarchy(dataset: Dataset) -> None:
    assert ask(dataset, "GO:0008009 rdfs:subClassOf+ GO:0005125 .")
    # which induced molecules are chemokines: found through the hierarchy, not a list
    rows = dataset.query(
        PREFIX_LINES
        + """
        SELECT DISTINCT ?molecule WHERE {
          ?c il32:producedMolecule ?molecule ; il32:negated false .
          ?molecule RO:0002327 ?activity .
          ?activity rdfs:subClassOf* GO:0008009 .
        } ORDER BY ?molecule"""
    )
    assert [str(r[0]) for r in rows] == [
        "http://purl.uniprot.org/uniprot/P10145",
        "http://purl.uniprot.org/uniprot/P10889",
    ]


def test_il32_supports_osteoclast_differentiation_in_pbmc_cultures_without_rankl(
    dataset: Dataset,
) -> None:
    # the cells treated were PBMC cultures of osteoclast precursors, not osteoclasts
    assert ask(
        dataset,
        claim(
            "uniprot:P24001",
            "RO:0004034",
            "GO:0030316",
            cellType="CL:2000001",
            inTaxon="NCBITaxon:9606",
            inAbsenceOf=RANKL,
            source=MABILLEAU_2009,
            evidence="ECO:0000314",
        ),
    )
    assert ask(dataset, "uniprot:P24001 RO:0004034 GO:0030316 .")
    assert not ask(dataset, f"?c dcterms:source {MABILLEAU_2009} ; il32:cellType CL:0000092 .")


def test_il32_without_rankl_does_not_bring_about_bone_resorption(dataset: Dataset) -> None:
    # the readout was lacunar resorption; "without RANKL" is data, not a comment
    negated = claim(
        "uniprot:P24001",
        "RO:0004034",
        "GO:0045453",
        negated=True,
        cellType="CL:2000001",
        inAbsenceOf=RANKL,
        source=MABILLEAU_2009,
        evidence="ECO:0000314",
    )
    assert ask(dataset, negated)
    assert not ask(dataset, claim("uniprot:P24001", "RO:0004034", "GO:0045453"))
    # a negated claim is data, but it never becomes a plain edge
    assert not ask(dataset, "uniprot:P24001 RO:0004034 GO:0045453 .")
    assert (
        URIRef("http://purl.uniprot.org/uniprot/P24001"),
        URIRef("http://purl.obolibrary.org/obo/RO_0004034"),
        URIRef("http://purl.obolibrary.org/obo/GO_0045453"),
    ) not in dataset.graph(INFERRED_GRAPH)


def test_with_rankl_il32_adds_osteoclasts_but_lowers_resorption(dataset: Dataset) -> None:
    with_rankl = {"cellType": "CL:2000001", "inPresenceOf": RANKL, "source": MABILLEAU_2009}
    assert ask(dataset, claim("uniprot:P24001", "RO:0004034", "GO:0030316", **with_rankl))
    assert ask(dataset, claim("uniprot:P24001", "RO:0004035", "GO:0045453", **with_rankl))


def test_the_paper_measured_erk_and_akt_activation(dataset: Dataset) -> None:
    for process in ("GO:0070371", "GO:0043491"):
        assert ask(
            dataset,
            claim(
                "uniprot:P24001",
                "RO:0004034",
                process,
                cellType="CL:2000001",
                source=MABILLEAU_2009,
                evidence="ECO:0000314",
            ),
        )
    assert ask(dataset, "GO:0070371 rdfs:subClassOf+ GO:0007165 .")  # a signaling pathway


def test_the_actin_statement_is_the_encyclopedias_not_the_papers(dataset: Dataset) -> None:
    # the paper reports an absence (no F-actin rings), not that IL-32 regulates actin
    assert not ask(dataset, f"?c rdf:object GO:0030036 ; dcterms:source {MABILLEAU_2009} .")
    actin = claim(
        "uniprot:P24001", "RO:0002263", "GO:0030036", source=IL32_ARTICLE, evidence="ECO:0000304"
    )
    assert ask(dataset, actin)
    assert ask(
        dataset,
        "GO:0030036 rdfs:subClassOf"
        " [ owl:onProperty RO:0002592 ; owl:someValuesFrom GO:0015629 ] .",
    )


def test_by_regulating_is_the_encyclopedias_reading_with_its_own_provenance(
    dataset: Dataset,
) -> None:
    # "supports osteoclast differentiation but not osteoclast activation, by regulating the
    # MAPK/ERK pathway and the actin cytoskeleton": each link is a claim about two claims,
    # sourced to the article as an author statement, never to the paper's assay
    links = dataset.query(
        PREFIX_LINES
        + """SELECT ?cause ?effect ?negated ?source ?evidence WHERE {
              ?link a il32:Claim ; rdf:predicate il32:mechanismOf ; rdf:subject ?c ;
                  rdf:object ?e ; dcterms:source ?source ; il32:evidence ?evidence .
              ?c rdf:object ?cause . ?e rdf:object ?effect ; il32:negated ?negated .
            } ORDER BY ?cause"""
    )
    obo = "http://purl.obolibrary.org/obo/"
    assert [(str(r[0]), str(r[1]), r[2].toPython(), str(r[3]), str(r[4])) for r in links] == [
        (obo + "GO_0030036", obo + "GO_0045453", True, IL32_ARTICLE[1:-1], obo + "ECO_0000304"),
        (obo + "GO_0070371", obo + "GO_0030316", False, IL32_ARTICLE[1:-1], obo + "ECO_0000304"),
    ]
    # the plain edge of each link, for simple SPARQL
    assert ask(dataset, "?a il32:mechanismOf ?b . ?a rdf:object GO:0070371 .")
    # the link is never written on the paper's claims themselves (which cite the assay)
    assert not list(dataset.graph(FACTS_GRAPH).triples((None, IL32.mechanismOf, None)))


def test_the_erk_claim_is_not_cited_to_the_p38_paper(dataset: Dataset) -> None:
    assert not ask(dataset, f"?c rdf:object GO:0070371 ; dcterms:source {KIM_2005} .")


# --- background statements ------------------------------------------------------------------


def test_cytokines_are_signalling_proteins(dataset: Dataset) -> None:
    assert ask(dataset, claim("il32:Cytokine", "rdfs:subClassOf", "up:Protein"))
    assert ask(dataset, claim("il32:Cytokine", "RO:0002327", "GO:0005125"))
    assert ask(dataset, "GO:0005125 rdfs:subClassOf GO:0048018 .")  # receptor ligand activity


def test_cytokines_are_secreted_by_glial_cells_of_the_nervous_system(dataset: Dataset) -> None:
    assert ask(dataset, claim("CL:0000125", "RO:0002215", "GO:0001816"))
    assert ask(dataset, claim("CL:0000125", "BFO:0000050", "UBERON:0001016"))
    # claims, not class axioms: CL states neither, and an axiom would bind every glial cell type
    for prop, value in (("RO:0002215", "GO:0001816"), ("BFO:0000050", "UBERON:0001016")):
        assert not ask(
            dataset,
            f"CL:0000125 rdfs:subClassOf [ owl:onProperty {prop} ; owl:someValuesFrom {value} ] .",
        )


def test_cytokines_are_secreted_by_cells_of_the_immune_system(dataset: Dataset) -> None:
    assert ask(dataset, claim("CL:0000738", "RO:0002215", "GO:0001816"))
    assert ask(dataset, claim("CL:0000738", "BFO:0000050", "UBERON:0002405"))
    # "immune cell" is only a related synonym of leukocyte, never a class label
    assert ask(dataset, 'CL:0000738 oboInOwl:hasRelatedSynonym "immune cell" .')
    assert not ask(dataset, '?x rdfs:label "immune cell" .')


def test_the_immune_system_protects_against_disease(dataset: Dataset) -> None:
    assert ask(dataset, claim("UBERON:0002405", "RO:0002215", "GO:0006955"))


def test_monocytes_are_white_blood_cells_of_vertebrate_innate_immunity(dataset: Dataset) -> None:
    assert ask(dataset, claim("CL:0000576", "rdfs:subClassOf", "CL:0000738"))
    assert ask(dataset, "CL:0000576 rdfs:subClassOf+ CL:0000738 .")
    assert ask(dataset, 'CL:0000738 oboInOwl:hasExactSynonym "white blood cell" .')
    assert ask(dataset, claim("CL:0000576", "RO:0002215", "GO:0045087"))
    assert not ask(
        dataset,
        "CL:0000576 rdfs:subClassOf"
        " [ owl:onProperty RO:0002215 ; owl:someValuesFrom GO:0045087 ] .",
    )
    assert ask(dataset, claim("CL:0000576", "RO:0002162", "NCBITaxon:7742"))


def test_macrophages_develop_from_monocytes_and_are_phagocytes(dataset: Dataset) -> None:
    assert ask(dataset, claim("CL:0000235", "RO:0002202", "CL:0000576"))
    assert ask(dataset, "CL:0000235 RO:0002202 CL:0000576 .")
    for cell in ("CL:0000235", "CL:0000576"):
        assert ask(dataset, claim(cell, "rdfs:subClassOf", "CL:0000234"))
        assert ask(dataset, f"{cell} rdfs:subClassOf+ CL:0000234 .")


def test_osteoclasts_resorb_bone_and_were_discovered_by_koelliker_in_1873(
    dataset: Dataset,
) -> None:
    assert ask(dataset, claim("CL:0000092", "RO:0002215", "GO:0045453"))
    assert ask(dataset, claim("CL:0000092", "RO:0002202", "CL:0000576"))
    assert ask(dataset, claim("CL:0000092", "il32:discoveredBy", '"Albert von Kölliker"'))
    assert ask(dataset, claim("CL:0000092", "il32:discoveryYear", '"1873"^^xsd:gYear'))


def test_the_mapk_erk_pathway_relays_a_signal_from_a_growth_factor_receptor(
    dataset: Dataset,
) -> None:
    assert ask(dataset, claim("GO:0070371", "rdfs:subClassOf", "GO:0000165"))
    assert ask(dataset, claim("GO:0070371", "rdfs:subClassOf", "GO:0007165"))
    assert ask(dataset, claim("GO:0008083", "RO:0002304", "GO:0070371"))
    rows = dataset.query(PREFIX_LINES + " SELECT ?c WHERE { GO:0070371 rdfs:comment ?c }")
    text = " ".join(str(r[0]) for r in rows)
    assert "receptor" in text and "nucleus" in text
    # growth factors are one way in, not the only one: the claim says "can"
    rows = dataset.query(
        PREFIX_LINES + " SELECT ?l WHERE { fact:growth-factors-start-erk-cascade rdfs:label ?l }"
    )
    assert [str(r[0]) for r in rows] == [
        "Growth factor binding to its receptor can start the MAPK/ERK pathway"
    ]


def test_il8_is_interleukin_8_the_chemokine(dataset: Dataset) -> None:
    assert ask(
        dataset,
        'uniprot:P10145 up:mnemonic "IL8_HUMAN" ; il32:geneSymbol "CXCL8" ;'
        ' oboInOwl:hasExactSynonym "IL-8" ; RO:0002162 NCBITaxon:9606 .',
    )
    rows = dataset.query(
        PREFIX_LINES
        + """SELECT ?p WHERE { ?p oboInOwl:hasExactSynonym|rdfs:label|il32:geneSymbol ?n .
              FILTER (lcase(str(?n)) = "il-8") }"""
    )
    assert [str(r[0]) for r in rows] == ["http://purl.uniprot.org/uniprot/P10145"]


# --- every claim carries its provenance; polarity decides the plain edge --------------------


def test_every_claim_has_provenance_and_polarity(dataset: Dataset) -> None:
    rows = dataset.query(
        PREFIX_LINES
        + """
        SELECT ?c WHERE {
          GRAPH ?g { ?c a il32:Claim }
          FILTER NOT EXISTS {
            ?c rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; il32:negated ?n ;
               il32:inTaxon ?t ; il32:evidence ?e ; dcterms:source ?src ; rdfs:label ?l .
          }
        }"""
    )
    assert list(rows) == []


def test_positive_claims_and_only_they_give_plain_edges(dataset: Dataset) -> None:
    facts, inferred = dataset.graph(FACTS_GRAPH), dataset.graph(INFERRED_GRAPH)
    rows = dataset.query(
        PREFIX_LINES
        + """SELECT ?s ?p ?o ?n WHERE { GRAPH ?g { ?c a il32:Claim ; rdf:subject ?s ;
              rdf:predicate ?p ; rdf:object ?o ; il32:negated ?n } }"""
    )
    positive = {(r[0], r[1], r[2]) for r in rows if r[3] == Literal(False)}
    assert len(positive) > 25
    assert set(inferred) == positive
    assert not set(inferred) & set(facts)


def test_no_package_code_names_a_cytokine() -> None:
    package = Path(il32rdf.__file__).parent
    # the cytokine's accession, entry name, or its name as a string literal in code
    pattern = re.compile(r"P24001|IL32_HUMAN|[\"']IL-32[\"']")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_a_second_cytokine_is_a_data_only_change() -> None:
    alone = il32rdf.load([DATA / "second_cytokine.ttl"], bundled=False)
    assert len(alone.graph(INFERRED_GRAPH)) == 2  # two positive claims, one negated
    both = il32rdf.load([DATA / "second_cytokine.ttl"])
    counts = il32rdf.stats(both)
    assert counts.claims == il32rdf.stats(il32rdf.load()).claims + 3
    assert ask(both, "uniprot:Z9Z9Z9Z9Z9 RO:0004034 GO:0032640 .")
    assert not ask(both, "uniprot:Z9Z9Z9Z9Z9 RO:0004034 GO:0030316 .")
