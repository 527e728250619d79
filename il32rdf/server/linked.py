"""Linked data: every IRI of the graph dereferenceable, as HTML for browsers and RDF for
machines, and every named graph IRI too (its statements, or a summary page)."""

from __future__ import annotations

from typing import Final

from rdflib import RDFS, Graph, URIRef

from il32rdf.export import RdfFormat, export, serialize
from il32rdf.negotiation import choose
from il32rdf.pages import describe_url, graph_page, term_page
from il32rdf.server.answers import Answers
from il32rdf.server.http import RDF_FORMATS, Answer, HttpError, negotiate
from il32rdf.store import Store
from il32rdf.vocab import BASE, GRAPH_NAMES, PREFIXES

__all__ = ["SUFFIXES", "graph_answer", "term_answer"]

SUFFIXES: Final = {
    ".ttl": RdfFormat.TURTLE,
    ".jsonld": RdfFormat.JSONLD,
    ".nt": RdfFormat.NTRIPLES,
    ".rdf": RdfFormat.RDFXML,
}
"""A suffix on a project IRI's path fixes the format (``/fact/x.ttl``)."""

_MENTIONS: Final = (
    "SELECT DISTINCT ?claim WHERE { ?claim a il32:Claim ; ?role ?term VALUES ?role { rdf:subject"
    " rdf:object il32:cellType il32:producedMolecule il32:cellLine } FILTER isIRI(?claim) }"
)
_GRAPH_BY_IRI: Final = {str(iri): name for name, iri in GRAPH_NAMES.items()}


def _wants_html(accept: str | None) -> bool:
    """A browser's ``Accept`` (HTML preferred to every RDF format)."""
    return (
        choose(accept, ["text/turtle", "text/html"]) == "text/html"
        and choose(accept, ["text/html", *RDF_FORMATS]) == "text/html"
    )


def _rdf_links(home: str, term: URIRef) -> dict[str, str]:
    base = describe_url(home, term)
    links = {"Turtle": base + ".ttl", "JSON-LD": base + ".jsonld", "N-Triples": base + ".nt"}
    if not str(term).startswith(BASE):
        links = {k: f"{base}&format={k.lower()}" for k in links}
    return links


def term_graph(store: Store, term: URIRef, *, incoming: bool = False) -> Graph:
    """The term's own statements (with their blank nodes: a concise bounded description), the
    claims that mention it, the labels of every IRI there, and with ``incoming`` the
    statements that point to it (at most 200)."""
    mentions = [c for (c,) in store.query(_MENTIONS, {"term": term}).rows]
    described = " ".join(f"<{node}>" for node in [term, *mentions])
    answer = store.query(f"DESCRIBE {described}")
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in answer.graph or ():
        out.add(triple)
    if incoming:
        rows = store.query(
            "SELECT DISTINCT ?s ?p WHERE { ?s ?p ?term FILTER isIRI(?s) } LIMIT 200",
            {"term": term},
        ).rows
        for s, p in rows:
            out.add((s, p, term))  # type: ignore[arg-type]
    iris = sorted({t for triple in out for t in triple if isinstance(t, URIRef)})
    for start in range(0, len(iris), 500):
        values = " ".join(f"<{iri}>" for iri in iris[start : start + 500])
        labels = store.query(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} ?x rdfs:label ?l }}")
        for iri, label in labels.rows:
            out.add((iri, RDFS.label, label))  # type: ignore[arg-type]
    return out


def term_answer(
    answers: Answers, home: str, term: URIRef, accept: str | None, fixed: RdfFormat | None
) -> Answer:
    """The page (for a browser) or the RDF description of ``term``, or of the named graph it
    names; ``fixed``: this format whatever ``accept`` says.

    :raises HttpError: 404 (not in the graph), 406.
    """
    html = fixed is None and _wants_html(accept)
    if fixed is not None:
        media: str = fixed.media_type
    elif html:
        media = "text/html"
    else:
        media = negotiate(accept, RDF_FORMATS, "RDF formats")[0]
    name = _GRAPH_BY_IRI.get(str(term))
    if name is not None:
        return answers.cache.get(
            ("graph", name, media, fixed is None),
            lambda: _graph_iri_answer(answers.store, home, name, media, negotiated=fixed is None),
        )

    def make() -> Answer:
        store = answers.store
        known = store.query("ASK { { ?term ?p ?o } UNION { ?s ?p ?term } }", {"term": term})
        if not known.boolean:
            raise HttpError(404, f"<{term}> is not in this graph")
        if html:
            page = term_page(
                term_graph(store, term, incoming=True),
                term,
                linker=lambda t: describe_url(home, t),
                home=home,
                rdf_links=_rdf_links(home, term),
            )
            return Answer(page.encode("utf-8"), "text/html; charset=utf-8")
        fmt = fixed or RDF_FORMATS[media]
        return Answer(serialize(term_graph(store, term), fmt), media, negotiated=fixed is None)

    return answers.cache.get(("term", str(term), media, fixed is None), make)


def _graph_iri_answer(
    store: Store, home: str, name: str, media: str, *, negotiated: bool
) -> Answer:
    iri = GRAPH_NAMES[name]
    if media.startswith("text/html"):
        rows = store.query(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
            " GROUP BY ?p ORDER BY DESC(?n) ?p",
            {"g": iri},
        ).rows
        page = graph_page(
            iri,
            store.count(name),
            [(p, int(str(n))) for p, n in rows],  # type: ignore[misc]
            home=home,
            rdf_links=_rdf_links(home, iri),
        )
        return Answer(page.encode("utf-8"), "text/html; charset=utf-8")
    return Answer(export(store, RDF_FORMATS[media], graph=name), media, negotiated=negotiated)


def graph_answer(answers: Answers, name: str, accept: str | None) -> Answer:
    """The statements of the named graph ``name`` (or ``all``), in the format ``accept``
    prefers: the Graph Store Protocol's ``GET``.

    :raises HttpError: 406.
    """
    media, fmt = negotiate(accept, RDF_FORMATS, "RDF formats")
    return answers.cache.get(
        ("gsp", name, media), lambda: Answer(export(answers.store, fmt, graph=name), media)
    )
