"""The ontology as OBO Graphs JSON, the form OBO tools (OAK, ROBOT, obographviz) read.

Nodes are the declared classes and properties with label, definition, synonyms, cross-references,
comments and mappings; edges are ``is_a`` (named superclasses and superproperties) and
``SubClassOf R some B`` axioms with a named filler (edge ``sub R obj``); ``owl:equivalentClass``
intersections of a named genus and existential restrictions are logical definition axioms.
:func:`read_edges` reads the edges back for a round-trip check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from il32rdf.errors import InputError
from il32rdf.vocab import OBO, ONTOLOGY_IRI, PREFIXES

__all__ = ["ontology_edges", "read_edges", "to_json", "to_obograph"]

_OIO = PREFIXES["oboInOwl"]
_SKOS = PREFIXES["skos"]
_SYNONYMS = {
    URIRef(_OIO + "hasExactSynonym"): "hasExactSynonym",
    URIRef(_OIO + "hasRelatedSynonym"): "hasRelatedSynonym",
    URIRef(_OIO + "hasBroadSynonym"): "hasBroadSynonym",
    URIRef(_OIO + "hasNarrowSynonym"): "hasNarrowSynonym",
}
_MAPPINGS = tuple(URIRef(_SKOS + m) for m in ("exactMatch", "closeMatch", "broadMatch"))
_PROPERTY_TYPES = {
    OWL.ObjectProperty: "OBJECT",
    OWL.DatatypeProperty: "DATA",
    OWL.AnnotationProperty: "ANNOTATION",
}


def _existential(graph: Graph, node: Node) -> tuple[URIRef, URIRef] | None:
    if not isinstance(node, BNode) or (node, RDF.type, OWL.Restriction) not in graph:
        return None
    prop, filler = graph.value(node, OWL.onProperty), graph.value(node, OWL.someValuesFrom)
    if isinstance(prop, URIRef) and isinstance(filler, URIRef):
        return prop, filler
    return None


def ontology_edges(graph: Graph) -> set[tuple[str, str, str]]:
    """The (subject, predicate, object) edges OBO Graphs can carry, straight from the RDF."""
    edges = set()
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if not isinstance(sub, URIRef):
            continue
        if isinstance(sup, URIRef):
            edges.add((str(sub), "is_a", str(sup)))
        elif (pair := _existential(graph, sup)) is not None:
            edges.add((str(sub), str(pair[0]), str(pair[1])))
    for sub, sup in graph.subject_objects(RDFS.subPropertyOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            edges.add((str(sub), "is_a", str(sup)))
    return edges


def _meta(graph: Graph, term: URIRef) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    definition = graph.value(term, OBO.IAO_0000115)
    if definition is not None:
        meta["definition"] = {"val": str(definition)}
    comments = sorted(str(c) for c in graph.objects(term, RDFS.comment))
    if comments:
        meta["comments"] = comments
    synonyms = sorted(
        (name, str(value))
        for prop, name in _SYNONYMS.items()
        for value in graph.objects(term, prop)
    )
    if synonyms:
        meta["synonyms"] = [{"pred": pred, "val": val} for pred, val in synonyms]
    xrefs = sorted(str(x) for x in graph.objects(term, URIRef(_OIO + "hasDbXref")))
    if xrefs:
        meta["xrefs"] = [{"val": x} for x in xrefs]
    mappings = sorted((str(p), str(v)) for p in _MAPPINGS for v in graph.objects(term, p))
    if mappings:
        meta["basicPropertyValues"] = [{"pred": p, "val": v} for p, v in mappings]
    if (term, OWL.deprecated, None) in graph:
        meta["deprecated"] = True
    return meta


def to_obograph(graph: Graph) -> dict[str, Any]:
    """The OBO Graphs document (``{"graphs": [...]}``) of the ontology in ``graph``."""
    nodes = []
    kinds: dict[URIRef, dict[str, str]] = {}
    for term in graph.subjects(RDF.type, OWL.Class):
        if isinstance(term, URIRef):
            kinds[term] = {"type": "CLASS"}
    for kind, property_type in _PROPERTY_TYPES.items():
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                kinds[term] = {"type": "PROPERTY", "propertyType": property_type}
    for term in sorted(kinds):
        node: dict[str, Any] = {"id": str(term), **kinds[term]}
        label = graph.value(term, RDFS.label)
        if label is not None:
            node["lbl"] = str(label)
        meta = _meta(graph, term)
        if meta:
            node["meta"] = meta
        nodes.append(node)
    edges = [{"sub": s, "pred": p, "obj": o} for s, p, o in sorted(ontology_edges(graph))]
    definitions = []
    for defined, expression in sorted(graph.subject_objects(OWL.equivalentClass)):
        members = graph.value(expression, OWL.intersectionOf)
        if not isinstance(defined, URIRef) or members is None:
            continue
        parts = list(graph.items(members))
        genus = sorted(str(p) for p in parts if isinstance(p, URIRef))
        restrictions = sorted(pair for p in parts if (pair := _existential(graph, p)) is not None)
        definitions.append(
            {
                "definedClassId": str(defined),
                "genusIds": genus,
                "restrictions": [
                    {"propertyId": str(p), "fillerId": str(f)} for p, f in restrictions
                ],
            }
        )
    header: dict[str, Any] = {"id": str(ONTOLOGY_IRI)}
    version = graph.value(ONTOLOGY_IRI, OWL.versionIRI)
    if version is not None:
        header["meta"] = {"version": str(version)}
    return {
        "graphs": [
            {**header, "nodes": nodes, "edges": edges, "logicalDefinitionAxioms": definitions}
        ]
    }


def to_json(graph: Graph) -> bytes:
    """:func:`to_obograph` as indented JSON bytes (sorted, so deterministic)."""
    return (json.dumps(to_obograph(graph), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_edges(path: Path | str) -> set[tuple[str, str, str]]:
    """The edges of an OBO Graphs JSON file, as (sub, pred, obj).

    :raises InputError: the file is missing or not OBO Graphs JSON.
    """
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {(e["sub"], e["pred"], e["obj"]) for g in document["graphs"] for e in g["edges"]}
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", path=path, line=exc.lineno) from None
    except (KeyError, TypeError) as exc:
        raise InputError(f"not OBO Graphs JSON (missing {exc})", path=path) from None
