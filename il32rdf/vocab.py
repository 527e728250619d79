"""The project's IRIs as rdflib terms: the vocabulary (``IL32``), the namespaces and the names
of the dataset's graphs. The prefix map and the CURIE rules are :mod:`il32rdf.prefixes` (plain
strings, no rdflib), re-exported here.

>>> IL32.Claim
rdflib.term.URIRef('https://w3id.org/il32rdf/ontology/Claim')
>>> to_iri("CL:0000576")
rdflib.term.URIRef('http://purl.obolibrary.org/obo/CL_0000576')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from il32rdf.prefixes import BASE, GRAPH_IRIS, PREFIXES, compress_iri, expand_curie

__all__ = [
    "BASE",
    "FACT",
    "FACTS_GRAPH",
    "GRAPH",
    "GRAPH_NAMES",
    "IL32",
    "INFERRED_GRAPH",
    "OBO",
    "OBO_IN_OWL",
    "ONTOLOGY_GRAPH",
    "ONTOLOGY_IRI",
    "PREFIXES",
    "PROTEIN",
    "UNIPROT",
    "compress_iri",
    "expand_curie",
    "to_iri",
]

ONTOLOGY_IRI: Final = URIRef(BASE + "ontology")


class IL32(DefinedNamespace):
    """The project vocabulary. A misspelt term raises ``AttributeError`` (``_fail = True``).

    A test keeps this list equal to the terms the ontology declares.
    """

    _fail = True
    _NS = Namespace(PREFIXES["il32"])

    # classes
    Claim: URIRef
    Cytokine: URIRef
    Chemokine: URIRef
    CellLine: URIRef
    # qualifiers of a claim
    cellType: URIRef
    cellLine: URIRef
    inTaxon: URIRef
    producedMolecule: URIRef
    inPresenceOf: URIRef
    inAbsenceOf: URIRef
    evidence: URIRef
    negated: URIRef
    mechanismOf: URIRef
    # annotations of entities
    geneSymbol: URIRef
    discoveredBy: URIRef
    discoveryYear: URIRef


FACT: Final = Namespace(PREFIXES["fact"])
"""Claims and other project individuals."""

GRAPH: Final = Namespace(BASE + "graph/")
"""Names of the dataset's graphs: ``GRAPH.ontology``, ``GRAPH.facts``, ``GRAPH.inferred``."""

GRAPH_NAMES: Final[Mapping[str, URIRef]] = MappingProxyType(
    {name: URIRef(iri) for name, iri in GRAPH_IRIS.items()}
)
"""The short names used on the command line, mapped to the graphs' IRIs."""
ONTOLOGY_GRAPH: Final = GRAPH_NAMES["ontology"]
"""The TBox: ``ontology/*.ttl``."""
FACTS_GRAPH: Final = GRAPH_NAMES["facts"]
"""The claims and the entities they talk about: ``ontology/facts/*.ttl`` plus a user's files."""
INFERRED_GRAPH: Final = GRAPH_NAMES["inferred"]
"""What follows from the other two: the plain edges of positive claims, the reasoner's output."""

OBO: Final = Namespace(PREFIXES["obo"])
OBO_IN_OWL: Final = Namespace(PREFIXES["oboInOwl"])
UNIPROT: Final = Namespace(PREFIXES["uniprot"])
PROTEIN: Final = URIRef("http://purl.uniprot.org/core/Protein")
"""UniProt's class of protein entries: every protein of the facts is one."""


def to_iri(value: str) -> URIRef:
    """Read a user's term: a full IRI (``http...``, ``<...>``) or a CURIE.

    :raises UsageError: neither an absolute IRI nor a CURIE with a known prefix.
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return URIRef(text)
    return URIRef(expand_curie(text))
