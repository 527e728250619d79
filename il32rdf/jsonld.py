"""JSON-LD, written as it is made from the sorted N-Triples lines of a graph.

Deterministic: one node object per subject, subjects in the order of their N-Triples text (IRIs,
then blank nodes), keys sorted, the values of a key sorted by their JSON text, blank nodes with
canonical labels (:func:`il32rdf.canon.blank_labels`), so any engine, any hash seed, gives the
same bytes. Literals are written exactly as held (lexical form and datatype).

Written so that every reader gets the same graph back: an IRI is shortened to a CURIE only by a
prefix that no IRI of the graph uses as its scheme (the IRI ``<rdf:x>`` would otherwise be read
back as ``rdf:``'s ``x``), and never to a CURIE whose local part starts with ``//`` (read back
as an absolute IRI).

The text is made in one pass over the lines, like the Turtle writer's: the JSON text of each
distinct ``predicate object`` pair is made once while it repeats (types, flags, evidence codes;
the memo is bounded: :func:`il32rdf.ntterms.remember`), and the body waits in a temporary file
(:class:`il32rdf.spool.Spool`) until the prefixes it uses, which the context lists, are known.

>>> print("".join(jsonld_chunks(['<urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "A"'])))
{
  "@context": {
    "@version": 1.1,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#"
  },
  "@graph": [
    {
      "@id": "urn:a",
      "rdfs:label": [
        {
          "@value": "A"
        }
      ]
    }
  ]
}
<BLANKLINE>
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator
from typing import Any, Final

from il32rdf import gcpause
from il32rdf.documents import Literals
from il32rdf.ntriples import relabelled_lines, split
from il32rdf.ntterms import remember
from il32rdf.prefixes import PREFIXES, compress_iri
from il32rdf.spool import Spool

__all__ = ["jsonld_chunks"]

_TYPE: Final = f"<{PREFIXES['rdf']}type>"
_CHUNK: Final = 5_000  # subjects per chunk of text
_STRING: Final = json.JSONEncoder(ensure_ascii=False).encode
_PREFIX_SCHEME: Final = re.compile("<(?:" + "|".join(map(re.escape, PREFIXES)) + "):")
"""Where an IRI might have a prefix as its scheme: a superset (it also finds literals' text)."""


class _Curies:
    """CURIEs for JSON-LD; records the prefixes used. None for PubMed's slash-suffixed IRIs,
    none whose local part starts with ``//``, none by a prefix in ``banned`` (a scheme of an
    IRI of the graph: a CURIE-looking IRI such as ``<rdf:x>`` must stay itself)."""

    def __init__(self, banned: Collection[str] = ()) -> None:
        self.used: set[str] = set()
        self.banned = banned
        self._cache: dict[str, tuple[str, str | None]] = {}

    def __call__(self, iri: str) -> str:
        found = self._cache.get(iri)
        if found is None:
            found = remember(self._cache, iri, self._compress(iri))
        if found[1] is not None:
            self.used.add(found[1])
        return found[0]

    def _compress(self, iri: str) -> tuple[str, str | None]:
        short = compress_iri(iri)
        if short is None:
            return iri, None
        prefix, _, local = short.partition(":")
        if prefix in self.banned or prefix == "pubmed" or local.startswith("//"):
            return iri, None
        return short, prefix

    def context(self) -> dict[str, Any]:
        """The ``@context`` of the prefixes used."""
        context: dict[str, Any] = {"@version": 1.1}
        for prefix in sorted(self.used):
            namespace = PREFIXES[prefix]
            # JSON-LD 1.1 uses a term as a prefix only if its IRI ends in a gen-delim or says so
            context[prefix] = (
                namespace if namespace[-1] in "/#:?[]@" else {"@id": namespace, "@prefix": True}
            )
        return context


def _banned_schemes(lines: list[str], literal: Literals) -> set[str]:
    """The schemes of the graph's IRIs (and literals' datatypes) that are also prefixes.

    Looked for term by term only when some line holds ``<prefix:`` (a rare IRI, or a literal
    that says it): every other graph has none."""
    if not any(
        _PREFIX_SCHEME.search("\n".join(lines[i : i + 10_000]))
        for i in range(0, len(lines), 10_000)
    ):
        return set()
    schemes: set[str] = set()
    for line in lines:
        for term in split(line):
            if term[0] == "<":
                schemes.add(term[1 : term.find(":")])
            elif term[0] == '"':
                datatype = literal(term)[2]
                if datatype is not None:
                    schemes.add(datatype[: datatype.find(":")])
    return schemes & set(PREFIXES)


def jsonld_chunks(lines: list[str]) -> Iterator[str]:
    """JSON-LD 1.1 of the graph of the sorted, distinct N-Triples ``lines`` (without their
    `` .``), in pieces: a context made of the project's prefixes that are used, then one node
    object per subject."""
    with gcpause.paused():
        lines = relabelled_lines(lines)
        literal = Literals()
        writer = _Nodes(_Curies(banned=_banned_schemes(lines, literal)), literal)
        body = writer.body(lines)
    head = json.dumps(
        {"@context": writer.curie.context(), "@graph": []}, indent=2, ensure_ascii=False
    )
    yield head[: head.rindex("[]")] + "["
    yield from body
    yield "\n  ]\n}\n" if lines else "]\n}\n"


_Item = tuple[str, str, str]  # a value of a node: its key, its JSON text to sort by, its text


class _Nodes:
    """The node objects of sorted lines, as text."""

    def __init__(self, curie: _Curies, literal: Literals) -> None:
        self.curie = curie
        self.literal = literal
        self.keys: dict[str, str] = {}  # key -> its JSON text

    def body(self, lines: list[str]) -> Iterator[str]:
        """The node objects of ``lines``, in chunks: every term is made (and every prefix used
        is known) before the first is given; the text waits in a :class:`Spool`."""
        items: dict[str, _Item] = {}  # "<p> <o>" -> its value
        body = Spool()
        out: list[str] = []
        node: list[_Item] = []
        subject = ""
        prefix = "\n"  # the current subject and a space: no line starts with a newline
        cut = count = 0
        for line in lines:
            if not line.startswith(prefix):
                if node:
                    out.append(self.node_text(subject, node, count))
                    node = []
                    count += 1
                    if count % _CHUNK == 0:
                        body.write("".join(out))
                        out.clear()
                subject = line[: line.index(" ")]
                prefix = subject + " "
                cut = len(prefix)
            pair = line[cut:]
            item = items.get(pair)
            if item is None:
                item = remember(items, pair, self.item(pair))
            node.append(item)
        if node:
            out.append(self.node_text(subject, node, count))
        body.write("".join(out))
        return body.read()

    def ref(self, term: str) -> str:
        return term if term[0] == "_" else self.curie(term[1:-1])

    def item(self, pair: str) -> _Item:
        """The key, sort text and text of the value of ``"<p> <o>"``."""
        predicate, term = pair.split(" ", 1)
        if predicate == _TYPE and term[0] != '"':
            value: Any = self.ref(term)
            key = "@type"
        else:
            key = self.curie(predicate[1:-1])
            if term[0] != '"':
                value = {"@id": self.ref(term)}
            else:
                lexical, language, datatype = self.literal(term)
                value = {"@value": lexical}
                if language:
                    value["@language"] = language
                elif datatype is not None:
                    value["@type"] = self.curie(datatype)
        if key not in self.keys:
            self.keys[key] = _STRING(key)
        if isinstance(value, str):
            text = f"\n        {_STRING(value)}"
        else:
            fields = ",".join(f"\n          {_STRING(k)}: {_STRING(v)}" for k, v in value.items())
            text = f"\n        {{{fields}\n        }}"
        return key, json.dumps(value, sort_keys=True), text

    def node_text(self, subject: str, node: list[_Item], count: int) -> str:
        """The node object of ``subject`` (``count`` others before it), as
        ``json.dumps(..., indent=2)`` would write it four spaces in."""
        node.sort()
        parts = [",\n    {" if count else "\n    {", '\n      "@id": ', _STRING(self.ref(subject))]
        key = ""
        for item in node:
            if item[0] != key:
                if key:
                    parts.append("\n      ]")
                key = item[0]
                parts.append(f",\n      {self.keys[key]}: [")
                parts.append(item[2])
            else:
                parts.append("," + item[2])
        parts.append("\n      ]\n    }")
        return "".join(parts)
