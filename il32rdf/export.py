"""Deterministic RDF output: the same graph gives the same bytes, whatever ``PYTHONHASHSEED``.

rdflib's own N-Triples, JSON-LD and RDF/XML writers follow the order of Python sets and label
blank nodes at random, so two runs differ (rdflib#3545). Here every format starts from the
canonical form of the graph (:func:`rdflib.compare.to_canonical_graph`, stable blank-node labels)
and writes its statements in sorted order:

- Turtle: rdflib's ``longturtle`` with ``canon=True`` (grouped subjects, nested blank nodes,
  stable order), tidied to classic ``@prefix`` lines;
- N-Triples and N-Quads: one sorted line per statement;
- JSON-LD: one node object per subject, sorted, with a context built from :data:`PREFIXES`;
- RDF/XML: one ``rdf:Description`` per subject, sorted, blank nodes as ``rdf:nodeID``.

Files are written to a temporary file beside the target and renamed, so a reader never sees a
half-written file and a failure leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from il32rdf.dataset import GRAPH_NAMES, graph_by_name
from il32rdf.errors import ExportError, UsageError
from il32rdf.vocab import PREFIXES, compress_iri

__all__ = ["RdfFormat", "export", "serialize", "serialize_dataset", "write_atomic"]


class RdfFormat(enum.Enum):
    """The formats il32rdf writes: ``value`` is the name used on the command line."""

    TURTLE = "turtle"
    NTRIPLES = "nt"
    JSONLD = "json-ld"
    RDFXML = "xml"
    NQUADS = "nquads"

    @property
    def file_extension(self) -> str:
        """The usual file name suffix, e.g. ``".ttl"``."""
        return _EXTENSIONS[self]

    @property
    def media_type(self) -> str:
        """The IANA media type, e.g. ``"text/turtle"``."""
        return _MEDIA_TYPES[self]

    @classmethod
    def from_name(cls, name: str) -> RdfFormat:
        """Look a format up by its command-line name or a common alias (``ttl``, ``rdfxml``).

        :raises UsageError: the name is not known; the message lists the known names.
        """
        key = name.strip().lower()
        for fmt in cls:
            if key == fmt.value or key in _ALIASES.get(fmt, ()):
                return fmt
        raise UsageError(f"unknown format {name!r}; use one of: {', '.join(f.value for f in cls)}")


_EXTENSIONS = {
    RdfFormat.TURTLE: ".ttl",
    RdfFormat.NTRIPLES: ".nt",
    RdfFormat.JSONLD: ".jsonld",
    RdfFormat.RDFXML: ".owl",
    RdfFormat.NQUADS: ".nq",
}
_MEDIA_TYPES = {
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.NTRIPLES: "application/n-triples",
    RdfFormat.JSONLD: "application/ld+json",
    RdfFormat.RDFXML: "application/rdf+xml",
    RdfFormat.NQUADS: "application/n-quads",
}
_ALIASES = {
    RdfFormat.TURTLE: ("ttl",),
    RdfFormat.NTRIPLES: ("ntriples", "n-triples"),
    RdfFormat.JSONLD: ("jsonld",),
    RdfFormat.RDFXML: ("rdfxml", "rdf/xml", "owl", "rdf"),
    RdfFormat.NQUADS: ("nq", "n-quads"),
}


def export(
    dataset: Dataset,
    rdf_format: RdfFormat | str = RdfFormat.TURTLE,
    *,
    graph: str = "all",
    path: Path | str | None = None,
) -> bytes:
    """Serialize ``graph`` (``ontology``, ``facts``, ``inferred`` or ``all``) of ``dataset``.

    N-Quads keeps the named graphs (``graph="all"`` writes all three, each in its own graph).
    When ``path`` is given the bytes are also written there atomically.

    :raises UsageError: unknown format or graph name.
    :raises ExportError: the file cannot be written.
    """
    fmt = rdf_format if isinstance(rdf_format, RdfFormat) else RdfFormat.from_name(rdf_format)
    if fmt is RdfFormat.NQUADS:
        names = list(GRAPH_NAMES) if graph == "all" else [graph]
        graph_by_name(dataset, names[0])  # validates the name
        data = serialize_dataset(dataset, names)
    else:
        data = serialize(graph_by_name(dataset, graph), fmt)
    if path is not None:
        write_atomic(path, data)
    return data


def serialize(graph: Graph, rdf_format: RdfFormat) -> bytes:
    """The bytes of ``graph`` in ``rdf_format``, identical for identical graphs."""
    canonical = _canonical(graph)
    if rdf_format is RdfFormat.TURTLE:
        return _turtle(canonical)
    if rdf_format is RdfFormat.NTRIPLES:
        return "".join(sorted(_nt_row(t) for t in canonical)).encode("utf-8")
    if rdf_format is RdfFormat.JSONLD:
        return _jsonld(canonical)
    if rdf_format is RdfFormat.RDFXML:
        return _rdfxml(canonical)
    raise UsageError(f"{rdf_format.value} needs a dataset: use serialize_dataset")


def serialize_dataset(dataset: Dataset, names: list[str]) -> bytes:
    """N-Quads of the named graphs ``names``, sorted, with canonical blank-node labels."""
    lines: list[str] = []
    for name in names:
        graph_iri = GRAPH_NAMES[name].n3()
        for triple in _canonical(dataset.graph(GRAPH_NAMES[name])):
            lines.append(_nt_row(triple)[: -len(" .\n")] + f" {graph_iri} .\n")
    return "".join(sorted(lines)).encode("utf-8")


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    :raises ExportError: the directory is missing or not writable; no file is left behind.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None


# --- helpers -------------------------------------------------------------------------------


def _canonical(graph: Graph) -> Graph:
    """A copy with stable blank-node labels (the graph itself when it has no blank nodes)."""
    has_bnodes = any(isinstance(term, BNode) for triple in graph for term in triple)
    canonical = to_canonical_graph(graph) if has_bnodes else graph
    result = Graph()
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace, override=True, replace=True)
    for triple in canonical:
        result.add(triple)
    return result


def _sort_key(term: Node) -> tuple[int, str]:
    kind = 0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2
    return kind, term.n3()


def _turtle(graph: Graph) -> bytes:
    text = graph.serialize(format="longturtle", canon=True)
    lines: list[str] = []
    in_long_literal = False
    list_depth = 0  # longturtle opens a collection with a line ending "(" and closes with ")"
    for line in text.splitlines():
        if not in_long_literal:
            match = re.fullmatch(r"PREFIX (\S*:) (<[^>]*>)", line)
            if match:
                line = f"@prefix {match[1]} {match[2]} ."
            line = line.rstrip()
            stripped = line.strip()
            if stripped.endswith("("):
                list_depth += 1
            elif stripped.startswith(")"):
                list_depth -= 1
            elif not stripped and list_depth > 0:
                continue  # longturtle leaves an empty line between the members of a list
        if line.count('"""') % 2 == 1:
            in_long_literal = not in_long_literal
        lines.append(line)
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def _jsonld(graph: Graph) -> bytes:
    used: set[str] = set()

    def curie(iri: str) -> str:
        short = compress_iri(iri)
        if short is None:
            return iri
        prefix = short.split(":", 1)[0]
        if prefix == "pubmed":  # the slash-suffixed PubMed form has no JSON-LD prefix
            return iri
        used.add(prefix)
        return short

    def ref(term: Node) -> str:
        return f"_:{term}" if isinstance(term, BNode) else curie(str(term))

    def value(term: Node) -> dict[str, str]:
        if isinstance(term, Literal):
            item = {"@value": str(term)}
            if term.language:
                item["@language"] = term.language
            elif term.datatype is not None:
                item["@type"] = curie(str(term.datatype))
            return item
        return {"@id": ref(term)}

    nodes: dict[Node, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        if p == RDF.type and not isinstance(o, Literal):
            nodes[s]["@type"].append(ref(o))
        else:
            nodes[s][curie(str(p))].append(value(o))
    documents = []
    for subject in sorted(nodes, key=_sort_key):
        node: dict[str, Any] = {"@id": ref(subject)}
        for key in sorted(nodes[subject]):
            values = nodes[subject][key]
            node[key] = sorted(values, key=lambda v: json.dumps(v, sort_keys=True))
        documents.append(node)
    context: dict[str, Any] = {"@version": 1.1}
    for prefix in sorted(used):
        namespace = PREFIXES[prefix]
        # JSON-LD 1.1 uses a term as a prefix only if its IRI ends in a gen-delim or it says so
        context[prefix] = (
            namespace if namespace[-1] in "/#:?[]@" else {"@id": namespace, "@prefix": True}
        )
    document = {"@context": context, "@graph": documents}
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")


def _split_predicate(iri: str) -> tuple[str, str]:
    for index in range(len(iri) - 1, -1, -1):
        if iri[index] in "/#:":
            local = iri[index + 1 :]
            if _NCNAME.match(local):
                return iri[: index + 1], local
            break
    raise ExportError(f"RDF/XML cannot write the property <{iri}> (no XML name for it)")


def _rdfxml(graph: Graph) -> bytes:
    prefix_of = {namespace: prefix for prefix, namespace in sorted(PREFIXES.items())}
    prefix_of[PREFIXES["rdf"]] = "rdf"
    declared: dict[str, str] = {PREFIXES["rdf"]: "rdf"}
    by_subject: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in graph:
        by_subject[s].append((p, o))

    def qname(iri: str) -> str:
        namespace, local = _split_predicate(iri)
        if namespace not in declared:
            prefix = prefix_of.get(namespace) or f"ns{len(declared)}"
            declared[namespace] = prefix
        return f"{declared[namespace]}:{local}"

    body: list[str] = []
    for subject in sorted(by_subject, key=_sort_key):
        about = (
            f"rdf:nodeID={quoteattr(str(subject))}"
            if isinstance(subject, BNode)
            else f"rdf:about={quoteattr(str(subject))}"
        )
        body.append(f"  <rdf:Description {about}>")
        for p, o in sorted(by_subject[subject], key=lambda po: (po[0].n3(), _sort_key(po[1]))):
            name = qname(str(p))
            if isinstance(o, URIRef):
                body.append(f"    <{name} rdf:resource={quoteattr(str(o))}/>")
            elif isinstance(o, BNode):
                body.append(f"    <{name} rdf:nodeID={quoteattr(str(o))}/>")
            else:
                assert isinstance(o, Literal)
                attributes = ""
                if o.language:
                    attributes = f" xml:lang={quoteattr(o.language)}"
                elif o.datatype is not None:
                    attributes = f" rdf:datatype={quoteattr(str(o.datatype))}"
                body.append(f"    <{name}{attributes}>{escape(str(o))}</{name}>")
        body.append("  </rdf:Description>")
    namespaces = "".join(
        f"\n    xmlns:{prefix}={quoteattr(namespace)}"
        for namespace, prefix in sorted(declared.items(), key=lambda item: item[1])
    )
    head = f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{namespaces}>\n'
    return (head + "\n".join(body) + "\n</rdf:RDF>\n").encode("utf-8")
