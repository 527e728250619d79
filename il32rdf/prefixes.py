"""The project's prefix map and its IRIs as plain strings: what a query, a CURIE or a table
needs, without loading rdflib (:mod:`il32rdf.vocab` holds the same names as rdflib terms).

The prefix map drives CURIE expansion (``CL:0000576``), the prefixes written in Turtle, the
JSON-LD context and the prefixes offered to SPARQL queries. Its IRIs follow the Bioregistry's
``uri_format`` for each prefix (OBO PURLs for the OBO Foundry ontologies, UniProt's own IRIs for
proteins), so the graph joins up with the OBO and UniProt SPARQL endpoints.

>>> expand_curie("CL:0000576")
'http://purl.obolibrary.org/obo/CL_0000576'
>>> expand_curie("pubmed:15664165")
'https://pubmed.ncbi.nlm.nih.gov/15664165/'
>>> compress_iri("http://purl.obolibrary.org/obo/GO_0030316")
'GO:0030316'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from il32rdf.errors import UsageError

__all__ = ["BASE", "GRAPH_IRIS", "PREFIXES", "compress_iri", "expand_curie"]

BASE: Final = "https://w3id.org/il32rdf/"
"""Every IRI the project mints starts here; set once, here and in the ontology header."""

GRAPH_IRIS: Final[Mapping[str, str]] = MappingProxyType(
    {name: f"{BASE}graph/{name}" for name in ("ontology", "facts", "inferred")}
)
"""The short names of the dataset's graphs used on the command line, mapped to their IRIs
(:data:`il32rdf.vocab.GRAPH_NAMES` as rdflib terms)."""

_OBO: Final = "http://purl.obolibrary.org/obo/"
_OBO_ONTOLOGIES = ("BFO", "CL", "ECO", "GO", "IAO", "NCBITaxon", "PR", "RO", "UBERON")

PREFIXES: Final = MappingProxyType(
    {
        "il32": BASE + "ontology/",
        "fact": BASE + "fact/",
        "owl": "http://www.w3.org/2002/07/owl#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "dcterms": "http://purl.org/dc/terms/",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
        "obo": _OBO,
        **{prefix: f"{_OBO}{prefix}_" for prefix in _OBO_ONTOLOGIES},
        "uniprot": "http://purl.uniprot.org/uniprot/",
        "up": "http://purl.uniprot.org/core/",
        "cellosaurus": "https://www.cellosaurus.org/CVCL_",
        "pubmed": "https://pubmed.ncbi.nlm.nih.gov/",
        "doi": "https://doi.org/",
        "wikipedia": "https://en.wikipedia.org/wiki/",
        "sd": "http://www.w3.org/ns/sparql-service-description#",
    }
)
"""Prefix to IRI namespace; the single source of every prefix the project writes or reads."""

# Spellings people type for the same prefix (Bioregistry and Biolink synonyms).
_SYNONYMS: Final = {
    "uniprot": ["UniProtKB", "uniprotkb", "UNIPROT"],
    "pubmed": ["PMID", "pmid", "PubMed"],
    "cellosaurus": ["CVCL", "Cellosaurus"],
    "NCBITaxon": ["ncbitaxon", "taxon", "NCBITAXON"],
    "doi": ["DOI"],
}
# PubMed IRIs end with a slash (https://pubmed.ncbi.nlm.nih.gov/15664165/), which a plain
# prefix map cannot say; expand_curie and compress_iri add and strip it.
_SUFFIXES: Final = {"pubmed": "/"}

# Prefixes a person reads in Turtle but which would shadow a more specific CURIE on compression.
_NOT_FOR_COMPRESSION = {"obo"}

_BY_PREFIX: Final = MappingProxyType(
    {
        spelling: prefix
        for prefix in PREFIXES
        if prefix not in _NOT_FOR_COMPRESSION
        for spelling in (prefix, prefix.lower(), *_SYNONYMS.get(prefix, []))
    }
)
"""Every spelling of a prefix that :func:`expand_curie` reads, mapped to the prefix."""
_BY_LENGTH: Final = sorted(
    ((ns, p) for p, ns in PREFIXES.items() if p not in _NOT_FOR_COMPRESSION),
    key=lambda item: -len(item[0]),
)


def expand_curie(curie: str) -> str:
    """Expand ``PREFIX:LOCAL`` to a full IRI using :data:`PREFIXES` (and common synonyms).

    :raises UsageError: the prefix is not known; the message lists the known prefixes.
    """
    prefix, sep, local = curie.partition(":")
    standard = _BY_PREFIX.get(prefix) if sep else None
    if standard is None:
        known = ", ".join(sorted(p for p in PREFIXES if p not in _NOT_FOR_COMPRESSION))
        raise UsageError(f"cannot expand {curie!r}: unknown prefix {prefix!r}; known: {known}")
    return PREFIXES[standard] + local + _SUFFIXES.get(standard, "")


def compress_iri(iri: str) -> str | None:
    """Return the CURIE for ``iri`` (the longest namespace of :data:`PREFIXES` that starts it),
    or ``None`` if no prefix covers it."""
    for prefix, suffix in _SUFFIXES.items():
        base = PREFIXES[prefix]
        if iri.startswith(base) and iri.endswith(suffix):
            return f"{prefix}:{iri[len(base) : -len(suffix)]}"
    for namespace, prefix in _BY_LENGTH:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return None
