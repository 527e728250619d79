"""JSON-LD and RDF/XML, written as they are made from the sorted N-Triples lines of a graph.

Both are deterministic: one node object (JSON-LD) or one ``rdf:Description`` (RDF/XML) per
subject, subjects in the order of their N-Triples text (IRIs, then blank nodes), and blank nodes
labelled by rdflib's canonical labelling (:func:`rdflib.compare.to_canonical_graph`) of the
statements that hold them, so any engine, any hash seed, gives the same bytes. Terms are spelt as
rdflib reads them from N-Triples (a typed literal's lexical form is rdflib's normal form).

The text is made subject by subject: nothing but the lines is held. What the header needs (the
prefixes of the JSON-LD context, the namespaces of RDF/XML) is gathered by a first pass over the
lines, so a predicate RDF/XML cannot write is refused before a byte is written.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final
from xml.sax.saxutils import escape, quoteattr

from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from il32rdf.errors import ExportError
from il32rdf.terms import Statement, term_nt, unescape
from il32rdf.vocab import PREFIXES, compress_iri

__all__ = ["jsonld_chunks", "rdfxml_chunks"]

_RDF: Final = PREFIXES["rdf"]
_TYPE: Final = f"<{_RDF}type>"
_CHUNK: Final = 5_000  # subjects per chunk of text
# --- statements --------------------------------------------------------------------------------


def _split(line: str) -> Statement:
    s, p, o = line.split(" ", 2)
    return s, p, o


def canonical_statements(lines: list[str]) -> Iterator[Statement]:
    """The statements of the sorted ``lines``, in order, blank nodes relabelled canonically."""
    statements = map(_split, lines)
    if not any("_:" in line for line in lines):
        return statements
    plain: list[Statement] = []
    blank: list[Statement] = []
    for s, p, o in statements:
        (blank if s[0] == "_" or o[0] == "_" else plain).append((s, p, o))
    if not blank:
        return iter(plain)
    graph = Graph().parse(data="".join(f"{s} {p} {o} .\n" for s, p, o in blank), format="nt")
    relabelled = sorted(
        (term_nt(s), term_nt(p), term_nt(o)) for s, p, o in to_canonical_graph(graph)
    )
    return heapq.merge(plain, relabelled)


def _by_subject(statements: Iterable[Statement]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    for subject, group in itertools.groupby(statements, key=lambda t: t[0]):
        yield subject, [(p, o) for _, p, o in group]


class _Literals:
    """N-Triples literals as rdflib reads them: (lexical form, language, datatype IRI)."""

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, str | None, str | None]] = {}

    def __call__(self, text: str) -> tuple[str, str | None, str | None]:
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self._read(text)
        return found

    @staticmethod
    def _read(text: str) -> tuple[str, str | None, str | None]:
        end = text.rindex('"')
        lexical = unescape(text[1:end])
        rest = text[end + 1 :]
        if rest.startswith("@"):
            return lexical, rest[1:], None
        if rest.startswith("^^"):
            datatype = rest[3:-1]
            return str(Literal(lexical, datatype=URIRef(datatype))), None, datatype
        return lexical, None, None

    def n3(self, text: str) -> str:
        """rdflib's ``n3()`` of the literal, by which RDF/XML orders a subject's values."""
        if "\\" not in text:
            return text  # no escape: rdflib writes it as N-Triples does
        lexical, language, datatype = self(text)
        return Literal(lexical, lang=language, datatype=URIRef(datatype) if datatype else None).n3()


# --- JSON-LD -----------------------------------------------------------------------------------


class _Curies:
    """CURIEs for JSON-LD: none for PubMed's slash-suffixed IRIs; records the prefixes used."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self._cache: dict[str, tuple[str, str | None]] = {}

    def __call__(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            short = compress_iri(iri)
            prefix = short.split(":", 1)[0] if short is not None else None
            found = self._cache[iri] = (
                (iri, None) if short is None or prefix == "pubmed" else (short, prefix)
            )
        if found[1] is not None:
            self.used.add(found[1])
        return found[0]


def jsonld_chunks(lines: list[str]) -> Iterator[str]:
    """JSON-LD 1.1 of the graph of the sorted N-Triples ``lines``, in pieces: a context made of
    the project's prefixes that are used, then one node object per subject."""
    curie = _Curies()
    literal = _Literals()
    for s, p, o in canonical_statements(lines):  # first pass: the prefixes used
        if s[0] == "<":
            curie(s[1:-1])
        if p != _TYPE or o[0] == '"':
            curie(p[1:-1])
        if o[0] == "<":
            curie(o[1:-1])
        elif o[0] == '"':
            _, language, datatype = literal(o)
            if language is None and datatype is not None:
                curie(datatype)
    context: dict[str, Any] = {"@version": 1.1}
    for prefix in sorted(curie.used):
        namespace = PREFIXES[prefix]
        # JSON-LD 1.1 uses a term as a prefix only if its IRI ends in a gen-delim or it says so
        context[prefix] = (
            namespace if namespace[-1] in "/#:?[]@" else {"@id": namespace, "@prefix": True}
        )
    head = json.dumps({"@context": context, "@graph": []}, indent=2, ensure_ascii=False)
    head = head[: head.rindex("[]")]
    yield head + "["

    def ref(term: str) -> str:
        return term if term[0] == "_" else curie(term[1:-1])

    def value(term: str) -> dict[str, str]:
        if term[0] != '"':
            return {"@id": ref(term)}
        lexical, language, datatype = literal(term)
        item = {"@value": lexical}
        if language:
            item["@language"] = language
        elif datatype is not None:
            item["@type"] = curie(datatype)
        return item

    first = True
    out: list[str] = []
    for count, (subject, pairs) in enumerate(_by_subject(canonical_statements(lines))):
        node: dict[str, list[Any]] = {}
        for p, o in pairs:
            key = "@type" if p == _TYPE and o[0] != '"' else curie(p[1:-1])
            node.setdefault(key, []).append(ref(o) if key == "@type" else value(o))
        document: dict[str, Any] = {"@id": ref(subject)}
        for key in sorted(node):
            values = node[key]
            document[key] = values if len(values) == 1 else sorted(values, key=_json_key)
        out.append(("\n    " if first else ",\n    ") + _node_text(document))
        first = False
        if count % _CHUNK == _CHUNK - 1:
            yield "".join(out)
            out.clear()
    out.append("]\n}\n" if first else "\n  ]\n}\n")
    yield "".join(out)


_STRING: Final = json.JSONEncoder(ensure_ascii=False).encode


def _node_text(document: dict[str, Any]) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, indented by four spaces, for a
    node object (string values, lists of strings or of flat objects of strings): the same
    text, without the pure-Python encoder that an indent otherwise costs."""
    parts = ["{"]
    items = list(document.items())
    for number, (key, value) in enumerate(items):
        comma = "," if number < len(items) - 1 else ""
        if isinstance(value, str):
            parts.append(f"\n      {_STRING(key)}: {_STRING(value)}{comma}")
            continue
        parts.append(f"\n      {_STRING(key)}: [")
        for index, item in enumerate(value):
            after = "," if index < len(value) - 1 else ""
            if isinstance(item, str):
                parts.append(f"\n        {_STRING(item)}{after}")
            else:
                fields = ",".join(
                    f"\n          {_STRING(k)}: {_STRING(v)}" for k, v in item.items()
                )
                parts.append(f"\n        {{{fields}\n        }}{after}")
        parts.append(f"\n      ]{comma}")
    parts.append("\n    }")
    return "".join(parts)


def _json_key(value: object) -> str:
    return json.dumps(value, sort_keys=True)


# --- RDF/XML -----------------------------------------------------------------------------------

_NCNAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")


def _split_predicate(iri: str) -> tuple[str, str]:
    for index in range(len(iri) - 1, -1, -1):
        if iri[index] in "/#:":
            local = iri[index + 1 :]
            if _NCNAME.match(local):
                return iri[: index + 1], local
            break
    raise ExportError(f"RDF/XML cannot write the property <{iri}> (no XML name for it)")


class _QNames:
    def __init__(self) -> None:
        self.prefix_of = {namespace: prefix for prefix, namespace in sorted(PREFIXES.items())}
        self.prefix_of[_RDF] = "rdf"
        self.declared: dict[str, str] = {_RDF: "rdf"}
        self._cache: dict[str, str] = {}

    def __call__(self, predicate: str) -> str:
        name = self._cache.get(predicate)
        if name is None:
            namespace, local = _split_predicate(predicate[1:-1])
            if namespace not in self.declared:
                prefix = self.prefix_of.get(namespace) or f"ns{len(self.declared)}"
                self.declared[namespace] = prefix
            name = self._cache[predicate] = f"{self.declared[namespace]}:{local}"
        return name


def rdfxml_chunks(lines: list[str]) -> Iterator[str]:
    """RDF/XML of the graph of the sorted N-Triples ``lines``, in pieces: one
    ``rdf:Description`` per subject, blank nodes as ``rdf:nodeID``.

    :raises ExportError: a predicate has no XML name (before anything is made).
    """
    qname = _QNames()
    literal = _Literals()
    for _, pairs in _by_subject(canonical_statements(lines)):  # first pass: the namespaces
        for p in sorted({p for p, _ in pairs}):
            qname(p)
    namespaces = "".join(
        f"\n    xmlns:{prefix}={quoteattr(namespace)}"
        for namespace, prefix in sorted(qname.declared.items(), key=lambda item: item[1])
    )
    yield f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{namespaces}>\n'
    key = _object_key(literal.n3)
    out: list[str] = []
    count = -1
    for count, (subject, pairs) in enumerate(_by_subject(canonical_statements(lines))):
        about = (
            f"rdf:nodeID={quoteattr(subject[2:])}"
            if subject[0] == "_"
            else f"rdf:about={quoteattr(subject[1:-1])}"
        )
        out.append(f"  <rdf:Description {about}>\n")
        for p, o in sorted(pairs, key=key):
            name = qname(p)
            if o[0] == "<":
                out.append(f"    <{name} rdf:resource={quoteattr(o[1:-1])}/>\n")
            elif o[0] == "_":
                out.append(f"    <{name} rdf:nodeID={quoteattr(o[2:])}/>\n")
            else:
                lexical, language, datatype = literal(o)
                attributes = ""
                if language:
                    attributes = f" xml:lang={quoteattr(language)}"
                elif datatype is not None:
                    attributes = f" rdf:datatype={quoteattr(datatype)}"
                out.append(f"    <{name}{attributes}>{escape(lexical)}</{name}>\n")
        out.append("  </rdf:Description>\n")
        if count % _CHUNK == _CHUNK - 1:
            yield "".join(out)
            out.clear()
    out.append("</rdf:RDF>\n" if count >= 0 else "\n</rdf:RDF>\n")
    yield "".join(out)


def _object_key(n3: Callable[[str], str]) -> Callable[[tuple[str, str]], tuple[str, int, str]]:
    """A subject's values in rdflib's order: by predicate, then IRIs, blank nodes, literals."""

    def key(pair: tuple[str, str]) -> tuple[str, int, str]:
        p, o = pair
        kind = o[0]
        if kind == "<":
            return p, 0, o
        if kind == "_":
            return p, 1, o
        return p, 2, n3(o)

    return key
