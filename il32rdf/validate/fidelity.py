"""Does an Oxigraph store hold the data as the files write it?

Oxigraph stores the literals of the datatypes it computes with in a canonical form
(oxigraph/oxigraph#526): ``"05"^^xsd:integer`` is held as ``"5"``, ``"1"^^xsd:boolean`` as
``true``, ``"1.50"^^xsd:decimal`` as ``"1.5"``, and every integer type (``xsd:byte``,
``xsd:int``, ...) as ``xsd:integer``, so ``"300"^^xsd:byte`` (ill-typed: a byte stops at 127)
becomes a well-typed ``"300"^^xsd:integer``. A validation of such a store would check, and
report, other literals than the data's. :func:`altered_literal` reads the files again with
Oxigraph's parser (which keeps literals as written) and finds the first literal the store
re-spells otherwise than rdflib's engine reads it (:func:`il32rdf.dataset.parse_file`: a
well-typed boolean or integer canonical on both, any other literal as written); the caller
then validates the files as rdflib's engine reads them instead.

The bundled ontology and facts are not read: a test keeps every literal in them canonical.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rdflib import Literal, URIRef

from il32rdf import resources
from il32rdf.store.parse import as_read

__all__ = ["altered_literal"]

_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS: Final = frozenset(
    _XSD + name
    for name in (
        "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
)  # fmt: skip
_COMPUTED: Final = frozenset(
    _XSD + name
    for name in (
        "boolean", "integer", "decimal", "float", "double", "dateTime", "dateTimeStamp", "date",
        "time", "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration",
        "yearMonthDuration", "dayTimeDuration",
    )
)  # fmt: skip
# Lexical forms Oxigraph and rdflib's engine both hold as they are; anything else is asked of
# both.
_KEPT: Final = {
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "integer": re.compile(r"0|-?[1-9][0-9]*"),
}
_FORMATS: Final = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ntriples": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def altered_literal(files: Iterable[Path], predicates: set[str] | None = None) -> str | None:
    """The first literal of ``files`` that an Oxigraph store holds otherwise than written
    (``"300"^^xsd:byte in data.ttl``), or None when the store holds them all as written.

    With ``predicates``, only the literals of those predicates count (the only triples the
    shapes read); None: all of them.
    """
    bundled = {p.resolve() for p in (*resources.ontology_files(), *resources.fact_files())}
    for path in files:
        if Path(path).resolve() in bundled:
            continue
        try:
            found = _first_altered(Path(path), predicates)
        except (SyntaxError, ValueError, OSError) as exc:  # changed or gone since the load
            return f"its literals cannot be checked ({' '.join(str(exc).split())}) in {path}"
        if found is not None:
            return f"{found} in {path}"
    return None


def _first_altered(path: Path, predicates: set[str] | None) -> str | None:
    rdf_format = _FORMATS.get(path.suffix.lower())
    if rdf_format is None:
        return f"its literals are not checked ({path.suffix} files)"
    literal_type, computed, integers, kept = ox.Literal, _COMPUTED, _INTEGERS, _KEPT
    asked: dict[tuple[str, str], None] = {}
    for quad in ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri()):
        value = quad.object
        if type(value) is not literal_type:
            continue
        if predicates is not None and quad.predicate.value not in predicates:
            continue
        datatype = value.datatype.value
        if datatype in integers:
            return _shown(value.value, datatype)
        if datatype in computed:
            pattern = kept.get(datatype)
            if pattern is None or not pattern.fullmatch(value.value):
                asked[(value.value, datatype)] = None
                if len(asked) >= 10_000:
                    found = _ask(asked)
                    if found is not None:
                        return found
                    asked.clear()
    return _ask(asked)


def _ask(literals: dict[tuple[str, str], None]) -> str | None:
    """The first of ``literals`` (lexical form, datatype) a store holds otherwise than
    :func:`il32rdf.dataset.parse_file` reads it (rdflib's engine)."""
    if not literals:
        return None
    store = ox.Store()
    keys = list(literals)
    subject = ox.NamedNode("urn:il32rdf:fidelity")
    store.extend(
        ox.Quad(
            subject,
            ox.NamedNode(f"urn:il32rdf:fidelity:{i}"),
            ox.Literal(lex, datatype=ox.NamedNode(dt)),
        )
        for i, (lex, dt) in enumerate(keys)
    )
    for quad in store:
        lexical, datatype = keys[int(quad.predicate.value.rpartition(":")[2])]
        read = _as_read(lexical, datatype)
        if (quad.object.value, quad.object.datatype.value) != read:
            return _shown(lexical, datatype)
    return None


def _as_read(lexical: str, datatype: str) -> tuple[str, str]:
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # rdflib logs a traceback for each ill-typed literal
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rdflib's word on a weird boolean
            read = as_read(Literal(lexical, datatype=URIRef(datatype), normalize=False))
    finally:
        logger.setLevel(level)
    return str(read), datatype


def _shown(lexical: str, datatype: str) -> str:
    name = "xsd:" + datatype[len(_XSD) :] if datatype.startswith(_XSD) else f"<{datatype}>"
    return f'"{lexical}"^^{name}'
