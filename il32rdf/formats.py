"""The RDF formats il32rdf writes, with their names, file suffixes and media types.

>>> RdfFormat.from_name("ttl").media_type
'text/turtle'
"""

from __future__ import annotations

from collections.abc import Mapping

from il32rdf.names import NamedEnum

__all__ = ["RdfFormat"]


class RdfFormat(NamedEnum):
    """The formats il32rdf writes: ``value`` is the name used on the command line."""

    TURTLE = "turtle"
    NTRIPLES = "nt"
    JSONLD = "json-ld"
    RDFXML = "xml"
    NQUADS = "nquads"
    TRIG = "trig"

    @property
    def keeps_graphs(self) -> bool:
        """Whether the format holds named graphs (N-Quads, TriG)."""
        return self in (RdfFormat.NQUADS, RdfFormat.TRIG)

    @property
    def file_extension(self) -> str:
        """The usual file name suffix, e.g. ``".ttl"``."""
        return _EXTENSIONS[self]

    @property
    def media_type(self) -> str:
        """The IANA media type, e.g. ``"text/turtle"``."""
        return _MEDIA_TYPES[self]

    @classmethod
    def noun(cls) -> str:
        return "format"

    @classmethod
    def aliases(cls) -> Mapping[str, str]:
        """Common other names: ``ttl``, ``ntriples``, ``jsonld``, ``rdfxml``, ``owl``, ``nq``..."""
        return _ALIASES


_EXTENSIONS = {
    RdfFormat.TURTLE: ".ttl",
    RdfFormat.NTRIPLES: ".nt",
    RdfFormat.JSONLD: ".jsonld",
    RdfFormat.RDFXML: ".owl",
    RdfFormat.NQUADS: ".nq",
    RdfFormat.TRIG: ".trig",
}
_MEDIA_TYPES = {
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.NTRIPLES: "application/n-triples",
    RdfFormat.JSONLD: "application/ld+json",
    RdfFormat.RDFXML: "application/rdf+xml",
    RdfFormat.NQUADS: "application/n-quads",
    RdfFormat.TRIG: "application/trig",
}
_ALIASES = {
    alias: fmt.value
    for fmt, names in (
        (RdfFormat.TURTLE, ("ttl",)),
        (RdfFormat.NTRIPLES, ("ntriples", "n-triples")),
        (RdfFormat.JSONLD, ("jsonld",)),
        (RdfFormat.RDFXML, ("rdfxml", "rdf/xml", "owl", "rdf")),
        (RdfFormat.NQUADS, ("nq", "n-quads")),
    )
    for alias in names
}
