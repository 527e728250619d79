"""A shapes graph and what both engines read from it (:class:`Shapes`): stable names for
blank-node shapes, paths as SPARQL, the prefixes of each query, severities, messages.
"""

from __future__ import annotations

import functools
import hashlib
import re
import warnings
from collections.abc import Iterator
from typing import Final

from rdflib import OWL, RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from il32rdf.errors import ShapesError
from il32rdf.validate.report import term_text
from il32rdf.validate.sparql_text import for_pyshacl
from il32rdf.vocab import PREFIXES, compress_iri

__all__ = ["Shapes", "ShapesWarning"]


class ShapesWarning(UserWarning):
    """A shapes graph il32rdf runs, but reads one way of several (the message says which)."""


def _shown(node: Node | None) -> str:
    if isinstance(node, Literal):
        return node.n3()
    return _short(node)


def _short(node: Node | str | None) -> str:
    if node is None:
        return "?"
    if isinstance(node, BNode):
        return "a blank node"
    text = str(node)
    if text.startswith(str(SH)):
        return "sh:" + text[len(str(SH)) :]
    return compress_iri(text) or f"<{text}>"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- reading -----------------------------------------------------------------------------------

_PATH_KEYS: Final = {
    SH.inversePath: "^",
    SH.zeroOrMorePath: "*",
    SH.oneOrMorePath: "+",
    SH.zeroOrOnePath: "?",
    SH.alternativePath: "|",
}
_VALIDATORS: Final = (SH.validator, SH.nodeValidator, SH.propertyValidator)
_BOOLEAN_PARAMETERS: Final = (
    SH.uniqueLang, SH.closed, SH.deactivated, SH.qualifiedValueShapesDisjoint, SH.optional,
)  # fmt: skip


class Shapes:
    """A shapes graph and what both engines read from it; ``bundled`` for il32rdf's own."""

    def __init__(self, graph: Graph, *, bundled: bool) -> None:
        self.graph = graph
        self.bundled = bundled
        self._terms: dict[Node, str] = {}
        self._warned: set[Node] = set()
        self.compiled: object = None  # the compiled checks, kept by the compiler

    # --- names

    def term(self, node: Node) -> str:
        """``node`` as a result names its shape: the IRI, or ``_:s`` and ten hex digits for a
        blank node, made from what the shape says and where it sits (stable across runs)."""
        if not isinstance(node, BNode):
            return term_text(node)
        if node not in self._terms:
            self._terms[node] = "_:s" + self._digest(node, ())[:10]
        return self._terms[node]

    def _digest(self, node: Node, stack: tuple[Node, ...]) -> str:
        def content(n: Node, seen: tuple[Node, ...]) -> str:
            if not isinstance(n, BNode):
                return n.n3()
            if n in seen:
                return "@"
            items = sorted(
                f"{p.n3()} {content(o, (*seen, n))}" for p, o in self.graph.predicate_objects(n)
            )
            return "[" + ";".join(items) + "]"

        if node in stack:
            return "@"
        parents = sorted(
            f"{p.n3()}<{s.n3() if not isinstance(s, BNode) else self._digest(s, (*stack, node))}"
            for s, p in self.graph.subject_predicates(node)
        )
        text = content(node, ()) + "|" + "|".join(parents)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def name(self, node: Node | None) -> str:
        """A short name of a shape for a person: its CURIE or IRI, or, for a blank node, the
        named shape it is part of."""
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            parent = next(iter(sorted(self.graph.subjects(None, node), key=str)), None)
            if parent is None:
                return "a blank-node shape"
            node = parent
        if node is None:
            return "?"
        text = str(node)
        shapes_ns = "https://w3id.org/il32rdf/shapes/"
        return text[len(shapes_ns) :] if text.startswith(shapes_ns) else self.short(node)

    def short(self, node: Node) -> str:
        """A CURIE by il32rdf's prefixes or the shapes files' own, else ``<IRI>``."""
        if not isinstance(node, URIRef):
            return _shown(node)
        text = str(node)
        known = compress_iri(text)
        if known is not None or text.startswith(str(SH)):
            return _short(node)
        for prefix, namespace in sorted(self.graph.namespaces(), key=lambda p: -len(p[1])):
            local = text[len(namespace) :]
            if prefix and text.startswith(str(namespace)) and local and "/" not in local:
                return f"{prefix}:{local}"
        return f"<{text}>"

    # --- paths

    def path_text(self, path: Node) -> str:
        """A path as a result holds it: the IRI of a predicate, SPARQL syntax otherwise."""
        return str(path) if isinstance(path, URIRef) else self.sparql_path(path)

    def sparql_path(self, path: Node, *, owner: Node | None = None) -> str:
        """A SHACL path as a SPARQL property path.

        A node that is both a list and another kind of path is read as the list (the W3C
        suite's reading), with a :class:`ShapesWarning`.

        :raises ShapesError: the path is not a SHACL path.
        """
        try:
            return self._path(path, ())
        except ValueError as exc:
            raise ShapesError(
                f"shape {self.name(owner or path)}: malformed sh:path: {exc}"
            ) from None

    def _path(self, path: Node, stack: tuple[Node, ...]) -> str:
        if isinstance(path, URIRef):
            return f"<{path}>"
        if not isinstance(path, BNode):
            raise ValueError(f"{_shown(path)} is neither an IRI nor a path node")
        if path in stack:
            raise ValueError("the path refers to itself")
        stack = (*stack, path)
        keys = [k for k in _PATH_KEYS if (path, k, None) in self.graph]
        if (path, RDF.first, None) in self.graph:
            if keys and path not in self._warned:
                self._warned.add(path)
                warnings.warn(
                    ShapesWarning(
                        f"shape {self.name(path)}: its sh:path is both a list and "
                        f"{_short(keys[0])}: read as the list (a sequence path)"
                    ),
                    stacklevel=2,
                )
            steps = self._list(path)
            if len(steps) < 2:
                raise ValueError("a sequence path needs at least two steps")
            return "(" + "/".join(self._path(s, stack) for s in steps) + ")"
        if len(keys) != 1:
            found = ", ".join(_short(k) for k in keys) or "no path property"
            raise ValueError(f"a path node needs exactly one path property, not {found}")
        (key,) = keys
        values = list(self.graph.objects(path, key))
        if len(values) != 1:
            raise ValueError(f"{_short(key)} has {len(values)} values")
        if key == SH.alternativePath:
            options = self._list(values[0])
            if len(options) < 2:
                raise ValueError("an alternative path needs at least two options")
            return "(" + "|".join(self._path(o, stack) for o in options) + ")"
        inner = self._path(values[0], stack)
        return f"^{inner}" if key == SH.inversePath else f"{inner}{_PATH_KEYS[key]}"

    def _list(self, head: Node) -> list[Node]:
        if head != RDF.nil and (head, RDF.first, None) not in self.graph:
            raise ValueError(f"{_shown(head)} is not a list")
        return list(Collection(self.graph, head))

    def strange_path(self, focus: Node | None, path: Node | None) -> bool:
        """Whether a SHACL-for-SHACL fault comes only from a path that is both a list and
        another kind of path (read as the list, as the W3C suite does)."""
        nodes = [focus, self.graph.value(focus, SH.path) if focus is not None else None]
        return any(
            isinstance(n, BNode)
            and (n, RDF.first, None) in self.graph
            and any((n, k, None) in self.graph for k in _PATH_KEYS)
            for n in nodes
        )

    # --- SPARQL

    def queries(self) -> Iterator[tuple[Node, Literal, tuple[str, ...] | None]]:
        """Every SPARQL query of the graph: (the node holding it, its text, the variables SHACL
        pre-binds when it runs; None for a SPARQL target, which pre-binds nothing)."""
        for key in (SH.select, SH.ask):
            for owner, text in sorted(self.graph.subject_objects(key), key=lambda t: str(t[1])):
                if not isinstance(text, Literal):
                    raise ShapesError(f"shape {self.name(owner)}: {_short(key)} is not a string")
                if (owner, RDF.type, SH.SPARQLTarget) in self.graph or (
                    None,
                    SH.target,
                    owner,
                ) in self.graph:
                    yield owner, text, None  # a target: nothing is pre-bound
                    continue
                prebound = ["this", *self.parameters_of_validator(owner)]
                if key == SH.ask:
                    prebound.append("value")
                yield owner, text, tuple(prebound)

    def parameters_of_validator(self, validator: Node) -> list[str]:
        """The parameter names of the constraint component a validator belongs to."""
        names: list[str] = []
        for key in _VALIDATORS:
            for component in self.graph.subjects(key, validator):
                for parameter in self.graph.objects(component, SH.parameter):
                    path = self.graph.value(parameter, SH.path)
                    if isinstance(path, URIRef):
                        names.append(_local_name(path))
        return names

    @functools.cached_property
    def for_pyshacl(self) -> Graph:
        """The graph as pySHACL should read it: a boolean parameter is on only when it is the
        literal ``true`` (SHACL; pySHACL takes ``"1"^^xsd:boolean`` for true too), and each
        query written so that pySHACL's checks raise no false alarm
        (:func:`~il32rdf.validate.sparql_text.for_pyshacl`; these words were checked by
        il32rdf's reading of the query already)."""
        changes: list[tuple[tuple[Node, Node, Node], Node]] = [
            ((s, p, o), Literal(False))
            for p in _BOOLEAN_PARAMETERS
            for s, o in self.graph.subject_objects(p)
            if isinstance(o, Literal) and o.value is True and str(o) != "true"
        ]
        for key in (SH.select, SH.ask):
            for owner, query in self.graph.subject_objects(key):
                text, renamed = for_pyshacl(str(query))
                if text != str(query):
                    changes.append(((owner, key, query), Literal(text)))
                for message in self.graph.objects(owner, SH.message) if renamed else ():
                    written = str(message)
                    for old, new in renamed.items():
                        written = re.sub(r"\{([?$])" + old + r"\}", r"{\1" + new + "}", written)
                    if isinstance(message, Literal) and written != str(message):
                        changes.append(
                            ((owner, SH.message, message), Literal(written, lang=message.language))
                        )
        if not changes:
            return self.graph
        copy = Graph()
        for prefix, namespace in self.graph.namespaces():
            copy.bind(prefix, namespace)
        for triple in self.graph:
            copy.add(triple)
        for triple, replacement in changes:
            copy.remove(triple)
            copy.add((triple[0], triple[1], replacement))
        return copy

    @functools.cached_property
    def namespaces(self) -> dict[str, str]:
        """The prefixes every query of this graph may use without declaring them: rdflib's,
        il32rdf's, every ``sh:declare`` of the graph and the shapes files' ``@prefix`` lines
        (these win)."""
        found = {prefix: str(namespace) for prefix, namespace in Graph().namespaces()}
        found.update(PREFIXES)
        for declaration in sorted(self.graph.objects(None, SH.declare), key=str):
            prefix = self.graph.value(declaration, SH.prefix)
            namespace = self.graph.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                found[str(prefix)] = str(namespace)
        found.update((prefix, str(namespace)) for prefix, namespace in self.graph.namespaces())
        return found

    def prefixes(self, node: Node) -> dict[str, str]:
        """The prefixes of the query held by ``node``: :attr:`namespaces`, then those it
        declares through ``sh:prefixes/owl:imports*/sh:declare`` (these win)."""
        found = dict(self.namespaces)
        found.update(rdf=str(RDF), rdfs="http://www.w3.org/2000/01/rdf-schema#", owl=str(OWL))
        todo = list(self.graph.objects(node, SH.prefixes))
        seen: set[Node] = set()
        while todo:
            source = todo.pop()
            if source in seen:
                continue
            seen.add(source)
            todo.extend(self.graph.objects(source, OWL.imports))
            for declaration in self.graph.objects(source, SH.declare):
                prefix = self.graph.value(declaration, SH.prefix)
                namespace = self.graph.value(declaration, SH.namespace)
                if not isinstance(prefix, Literal) or not isinstance(namespace, Literal):
                    raise ShapesError(
                        f"shape {self.name(node)}: a sh:declare needs a sh:prefix and a "
                        "sh:namespace, both literals"
                    )
                found[str(prefix)] = str(namespace)
        return found

    def read_predicates(self) -> set[str] | None:
        """The predicates whose triples the shapes read (paths, property targets, property
        pairs, class membership), or None when they may read any (sh:closed, SPARQL, a
        constraint component of the graph's own)."""
        graph = self.graph
        if (
            (None, SH.closed, None) in graph
            or (None, SH.sparql, None) in graph
            or (None, SH.target, None) in graph
            or any(True for _ in self.graph.subjects(SH.parameter, None))
        ):
            return None
        found = {str(RDF.type), "http://www.w3.org/2000/01/rdf-schema#subClassOf"}
        for key in (
            SH.targetSubjectsOf, SH.targetObjectsOf, SH.equals, SH.disjoint, SH.lessThan,
            SH.lessThanOrEquals,
        ):  # fmt: skip
            found.update(str(o) for o in graph.objects(None, key) if isinstance(o, URIRef))
        for path in graph.objects(None, SH.path):
            found.update(re.findall(r"<([^>]*)>", self.sparql_path(path)))
        return found

    # --- what a shape says

    def severity(self, shape: Node) -> URIRef:
        """The shape's ``sh:severity`` (checked to be an IRI), sh:Violation by default."""
        value = self.graph.value(shape, SH.severity)
        return value if isinstance(value, URIRef) else SH.Violation

    def deactivated(self, shape: Node) -> bool:
        """``sh:deactivated true`` (as written: "1" does not deactivate)."""
        return any(
            isinstance(v, Literal) and v.datatype == XSD.boolean and str(v) == "true"
            for v in self.graph.objects(shape, SH.deactivated)
        )

    def messages(self, node: Node) -> tuple[Literal, ...]:
        """The ``sh:message`` values of a shape or constraint, sorted."""
        return tuple(
            sorted(m for m in self.graph.objects(node, SH.message) if isinstance(m, Literal))
        )

    def message_templates(
        self, shape: Node, component: Node, constraint: Node | None = None
    ) -> tuple[Literal, ...]:
        """The ``sh:message`` templates a result of ``component`` takes its message from, as
        pySHACL reads them: a SPARQL constraint's own and its shape's; a constraint component's
        validator's (the one given as ``constraint``, else any), the component's and the
        shape's; else the shape's. Empty when the result gets il32rdf's default message."""
        own: tuple[Literal, ...] = ()
        if component == SH.SPARQLConstraintComponent and constraint is not None:
            own = self.messages(constraint)
        elif self.is_component(component):
            validators = (
                [constraint]
                if constraint is not None
                else [v for key in _VALIDATORS for v in self.graph.objects(component, key)]
            )
            own = tuple(m for v in validators if v is not None for m in self.messages(v))
            own = own or self.messages(component)
        return tuple(sorted(set(own) | set(self.messages(shape))))

    @functools.cached_property
    def components(self) -> frozenset[Node]:
        """The SPARQL-based constraint components the graph declares (instances of
        sh:ConstraintComponent or of a subclass of it)."""
        kinds: set[Node] = {SH.ConstraintComponent}
        kinds.update(
            k
            for k in self.graph.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent)
            if k is not None
        )
        return frozenset(c for kind in kinds for c in self.graph.subjects(RDF.type, kind))

    def is_component(self, node: Node) -> bool:
        """Whether ``node`` is a SPARQL-based constraint component of this graph."""
        return node in self.components

    def description(self, shape: Node) -> str | None:
        """The shape's ``sh:description``: how to fix what it finds."""
        value = self.graph.value(shape, SH.description)
        return str(value) if value is not None else None


def _local_name(iri: URIRef) -> str:
    text = str(iri)
    for mark in ("#", "/", ":"):
        if mark in text:
            text = text.rpartition(mark)[2]
    return text
