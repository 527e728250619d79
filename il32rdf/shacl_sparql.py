"""SHACL shapes compiled into SPARQL queries, so that a SPARQL store can validate a large graph.

pySHACL walks the graph node by node in Python; at a million triples that takes minutes. Here
each constraint of each shape becomes one SELECT query that returns every violation at once
(focus node, value node): the store evaluates it set-wise. :func:`compile_shapes` does the
compiling and knows nothing of any store; :func:`il32rdf.validate.validate` runs the queries
on an :class:`~il32rdf.engine.OxigraphStore` and builds the same report as with pySHACL (the
test suite compares the two, result for result).

Supported, with pySHACL's reading of SHACL where the spec leaves room:

- targets: ``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``
  and SPARQL targets (``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``);
- paths: predicates, inverse, sequence, alternative, zero-or-more, one-or-more, zero-or-one;
- constraints with a result each: ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
  ``sh:datatype``, ``sh:nodeKind``, ``sh:pattern`` (with ``sh:flags``), ``sh:in``,
  ``sh:hasValue``, ``sh:node``, ``sh:not``, ``sh:or``, ``sh:and``, ``sh:uniqueLang``,
  ``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount`` / ``sh:qualifiedMaxCount``, and
  SPARQL constraints (``sh:sparql`` with ``sh:select``);
- inside ``sh:node`` / ``sh:not`` / ``sh:or`` / ``sh:and`` / qualified value shapes, the same
  constraints written as a SPARQL condition on one node (counts only 0 or 1).

Anything else (``sh:xone``, ``sh:closed``, ``sh:equals``, ``sh:lessThan``, string lengths,
value ranges, SPARQL ASK validators, a shape that reports without any ``sh:message``, ...)
raises :class:`UnsupportedShape`, and the caller falls back to pySHACL: slower, never wrong.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from rdflib import RDF, RDFS, SH, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["Check", "UnsupportedShape", "compile_shapes"]


class UnsupportedShape(Exception):
    """A shape uses SHACL this compiler does not translate; the message says which."""


@dataclass(frozen=True)
class Check:
    """One constraint as one query. Each row of ``query``'s answer is one validation result.

    The query selects ``?this`` (the focus node) and, when the result has a value, ``?value``;
    a SPARQL constraint also selects the variables its message may name. ``messages`` are the
    texts pySHACL reports (``{?var}`` still to be filled in from the row when ``templated``).
    """

    shape: Node
    component: URIRef
    severity: URIRef
    query: str
    messages: tuple[Literal, ...]
    path: Node | None = None
    templated: bool = False
    variables: tuple[str, ...] = field(default=("this",))


_COMPONENTS: Final = {
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "class": "ClassConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "pattern": "PatternConstraintComponent",
    "in": "InConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "node": "NodeConstraintComponent",
    "not": "NotConstraintComponent",
    "or": "OrConstraintComponent",
    "and": "AndConstraintComponent",
    "uniqueLang": "UniqueLangConstraintComponent",
    "qualifiedMinCount": "QualifiedMinCountConstraintComponent",
    "qualifiedMaxCount": "QualifiedMaxCountConstraintComponent",
    "sparql": "SPARQLConstraintComponent",
}

# Shape parameters that are not constraints, and those that belong to another parameter.
_NOT_CONSTRAINTS: Final = {
    RDF.type, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
    SH.message, SH.severity, SH.path, SH.property, SH.deactivated, SH.name, SH.description,
    SH.order, SH.group, SH.defaultValue, SH.flags, SH.qualifiedValueShape,
    SH.qualifiedValueShapesDisjoint, RDFS.label, RDFS.comment, SH.declare, SH.prefixes,
}  # fmt: skip

# Lexical forms pySHACL (through rdflib) accepts for the datatypes it checks most often.
_LEXICAL: Final = {
    XSD.boolean: r"^(true|false|1|0)$",
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)$",
    XSD.gYear: r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.date: r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
_ANY_LEXICAL: Final = {XSD.string, RDF.langString, RDF.HTML, RDF.XMLLiteral}


def compile_shapes(shapes: Graph) -> list[Check]:
    """Every constraint of every shape with a target, as a :class:`Check`.

    :raises UnsupportedShape: a shape uses SHACL outside what this module translates.
    """
    return list(_Compiler(shapes).checks())


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.sg = shapes
        self.fresh = itertools.count()
        self.prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for d in sorted(shapes.objects(None, SH.declare), key=str)
        )

    # --- shapes and targets --------------------------------------------------------------

    def checks(self) -> Iterator[Check]:
        for shape in sorted(self._targeted_shapes(), key=str):
            if (shape, SH.deactivated, Literal(True)) in self.sg:
                continue
            focus = self._focus(shape)
            own_path = self.sg.value(shape, SH.path)  # a property shape may have targets too
            yield from self._shape_checks(shape, focus, path=own_path)
            properties = sorted(self.sg.objects(shape, SH.property), key=str)
            if own_path is not None and properties:
                raise UnsupportedShape(f"property shapes nested in the property shape {shape}")
            for prop in properties:
                if (prop, SH.deactivated, Literal(True)) in self.sg:
                    continue
                path = self.sg.value(prop, SH.path)
                if path is None:
                    raise UnsupportedShape(f"property shape {prop} has no sh:path")
                yield from self._shape_checks(prop, focus, path=path)

    def _targeted_shapes(self) -> set[Node]:
        keys = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
        shapes = {s for key in keys for s in self.sg.subjects(key, None)}
        for shape in self.sg.subjects(RDF.type, RDFS.Class):
            if (shape, RDF.type, SH.NodeShape) in self.sg:
                raise UnsupportedShape(f"implicit class target of {shape}")
        return shapes

    def _focus(self, shape: Node) -> str:
        """A group pattern binding ``?this`` to each focus node of ``shape`` (no duplicates)."""
        parts: list[str] = []
        for cls in sorted(self.sg.objects(shape, SH.targetClass), key=str):
            parts.append(f"?this {_iri(RDF.type)}/{_iri(RDFS.subClassOf)}* {_term(cls)} .")
        for node in sorted(self.sg.objects(shape, SH.targetNode), key=str):
            parts.append(f"VALUES ?this {{ {_term(node)} }}")
        for p in sorted(self.sg.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"?this {_term(p)} [] .")
        for p in sorted(self.sg.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"[] {_term(p)} ?this .")
        for target in sorted(self.sg.objects(shape, SH.target), key=str):
            select = self.sg.value(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in self.sg or select is None:
                raise UnsupportedShape(f"target {target} of {shape} is not a SPARQL select target")
            parts.append("{ " + _subquery(str(select), "this") + " }")
        if len(parts) == 1 and not parts[0].startswith("VALUES"):
            return f"{{ SELECT DISTINCT ?this WHERE {{ {parts[0]} }} }}"
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    # --- constraints with results --------------------------------------------------------

    def _shape_checks(self, shape: Node, focus: str, path: Node | None) -> Iterator[Check]:
        messages = tuple(
            sorted(m for m in self.sg.objects(shape, SH.message) if isinstance(m, Literal))
        )
        severity = self.sg.value(shape, SH.severity) or SH.Violation
        assert isinstance(severity, URIRef)
        params = {p for p in self.sg.predicates(shape, None) if p not in _NOT_CONSTRAINTS}
        unknown = {p for p in params if str(p).rpartition("#")[2] not in _COMPONENTS}
        if unknown:
            names = ", ".join(sorted(str(p) for p in unknown))
            raise UnsupportedShape(f"shape {shape} uses {names}")
        if (shape, SH.qualifiedValueShapesDisjoint, Literal(True)) in self.sg:
            raise UnsupportedShape(f"shape {shape} has disjoint qualified value shapes")
        if params and not messages:
            raise UnsupportedShape(f"shape {shape} reports without a sh:message")
        if SH.qualifiedValueShape in set(self.sg.predicates(shape, None)) and not (
            {SH.qualifiedMinCount, SH.qualifiedMaxCount} & params
        ):
            raise UnsupportedShape(f"shape {shape} has a qualified value shape but no count")
        values = (
            f"?this {self._path(path)} ?value ." if path is not None else "BIND(?this AS ?value)"
        )

        def check(name: str, where: str, *, value: bool, head: str = "", tail: str = "") -> Check:
            variables = ("this", "value") if value else ("this",)
            head = head or "SELECT DISTINCT " + " ".join(f"?{v}" for v in variables)
            return Check(
                shape=shape,
                component=SH[_COMPONENTS[name]],
                severity=severity,
                query=f"{self.prefixes}{head} WHERE {{ {focus} {where} }}{tail}",
                messages=messages,
                path=path,
                variables=variables,
            )

        for name in sorted(str(p).rpartition("#")[2] for p in params):
            for arg in sorted(self.sg.objects(shape, SH[name]), key=str):
                if name in ("minCount", "maxCount", "uniqueLang") and path is None:
                    raise UnsupportedShape(f"{name} on the node shape {shape}")
                if name in ("minCount", "maxCount"):
                    n = _count(arg, shape)
                    if name == "minCount" and n == 1:
                        yield check(name, f"FILTER NOT EXISTS {{ {values} }}", value=False)
                    elif name == "minCount" and n > 1:
                        having = f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
                        yield check(
                            name, f"OPTIONAL {{ {values} }}", value=False, head="SELECT ?this",
                            tail=having,
                        )  # fmt: skip
                    elif name == "maxCount":
                        having = f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
                        yield check(name, values, value=False, head="SELECT ?this", tail=having)
                elif name == "hasValue":
                    if path is None:
                        yield check(name, f"FILTER (!sameTerm(?this, {_term(arg)}))", value=False)
                    else:
                        pattern = f"?this {self._path(path)} {_term(arg)} ."
                        yield check(name, f"FILTER NOT EXISTS {{ {pattern} }}", value=False)
                elif name == "uniqueLang":
                    if arg != Literal(True):
                        continue
                    assert path is not None  # refused above for a node shape
                    p = self._path(path)
                    where = (
                        f"?this {p} ?a . ?this {p} ?b . "
                        "FILTER (isLiteral(?a) && isLiteral(?b) && LANG(?a) != '' && "
                        "LCASE(LANG(?a)) = LCASE(LANG(?b)) && !sameTerm(?a, ?b))"
                    )
                    # one result per focus node and language used twice, as pySHACL reports
                    head = "SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang)"
                    yield check(name, where, value=False, head=head)
                elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
                    n = _count(arg, shape)
                    inner = self.sg.value(shape, SH.qualifiedValueShape)
                    if inner is None:
                        raise UnsupportedShape(f"{name} without sh:qualifiedValueShape in {shape}")
                    conforms = self._conforms(inner, "?value", ())
                    matching = f"{values} FILTER ({conforms})"
                    if name == "qualifiedMinCount" and n == 0:
                        continue
                    if name == "qualifiedMinCount" and n == 1:
                        yield check(name, f"FILTER NOT EXISTS {{ {matching} }}", value=False)
                        continue
                    where = (
                        f"OPTIONAL {{ {matching} }}" if name == "qualifiedMinCount" else matching
                    )
                    compare = "<" if name == "qualifiedMinCount" else ">"
                    having = f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {compare} {n})"
                    yield check(name, where, value=False, head="SELECT ?this", tail=having)
                elif name == "sparql":
                    yield self._sparql_check(shape, arg, focus, path, severity, messages)
                else:
                    condition = self._constraint(name, arg, "?value", (shape,))
                    yield check(name, f"{values} FILTER (!({condition}))", value=True)

    def _sparql_check(
        self,
        shape: Node,
        constraint: Node,
        focus: str,
        path: Node | None,
        severity: URIRef,
        shape_messages: tuple[Literal, ...],
    ) -> Check:
        select = self.sg.value(constraint, SH.select)
        if select is None or (constraint, SH.deactivated, Literal(True)) in self.sg:
            raise UnsupportedShape(f"SPARQL constraint {constraint} has no sh:select")
        text = str(select)
        if path is not None or re.search(r"[$?](PATH|currentShape|shapesGraph)\b", text):
            raise UnsupportedShape(
                f"SPARQL constraint {constraint} on a property shape, or pre-binding "
                "$PATH, $currentShape or $shapesGraph"
            )
        variables = _projection(text)
        if "this" not in variables:
            raise UnsupportedShape(f"SPARQL constraint {constraint} does not select $this")
        own = tuple(m for m in self.sg.objects(constraint, SH.message) if isinstance(m, Literal))
        head = "SELECT DISTINCT " + " ".join(f"?{v}" for v in variables)
        return Check(
            shape=shape,
            component=SH.SPARQLConstraintComponent,
            severity=severity,
            query=f"{self.prefixes}{head} WHERE {{ {focus} {{ {_subquery(text)} }} }}",
            messages=tuple(sorted(set(own) | set(shape_messages))),
            templated=True,
            variables=variables,
        )

    # --- conformance of one node, as a SPARQL condition -------------------------------------

    def _conforms(self, shape: Node, var: str, stack: tuple[Node, ...]) -> str:
        """A SPARQL expression that is true when the node in ``var`` conforms to ``shape``."""
        if shape in stack:
            raise UnsupportedShape(f"recursive shape {shape}")
        stack = (*stack, shape)
        conditions: list[str] = []
        path = self.sg.value(shape, SH.path)
        if path is not None:
            conditions.append(self._property_condition(shape, path, var, stack))
        else:
            params = {p for p in self.sg.predicates(shape, None) if p not in _NOT_CONSTRAINTS}
            for key in sorted(params, key=str):
                name = str(key).rpartition("#")[2]
                if name not in _COMPONENTS or name in (
                    "minCount",
                    "maxCount",
                    "uniqueLang",
                    "qualifiedMinCount",
                    "qualifiedMaxCount",
                    "sparql",
                ):
                    raise UnsupportedShape(f"{name} inside a nested shape {shape}")
                for arg in sorted(self.sg.objects(shape, key), key=str):
                    conditions.append(self._constraint(name, arg, var, stack))
        for prop in sorted(self.sg.objects(shape, SH.property), key=str):
            prop_path = self.sg.value(prop, SH.path)
            if prop_path is None:
                raise UnsupportedShape(f"property shape {prop} has no sh:path")
            conditions.append(self._property_condition(prop, prop_path, var, stack))
        return " && ".join(f"({c})" for c in conditions) if conditions else "true"

    def _property_condition(
        self, shape: Node, path: Node, var: str, stack: tuple[Node, ...]
    ) -> str:
        p = self._path(path)
        y, z = self._var(), self._var()
        conditions: list[str] = []
        params = {k for k in self.sg.predicates(shape, None) if k not in _NOT_CONSTRAINTS}
        for key in sorted(params, key=str):
            name = str(key).rpartition("#")[2]
            for arg in sorted(self.sg.objects(shape, key), key=str):
                if name == "minCount":
                    n = _count(arg, shape)
                    if n > 1:
                        raise UnsupportedShape(f"minCount {n} inside a nested shape {shape}")
                    if n == 1:
                        conditions.append(f"EXISTS {{ {var} {p} {y} }}")
                elif name == "maxCount":
                    n = _count(arg, shape)
                    if n > 1:
                        raise UnsupportedShape(f"maxCount {n} inside a nested shape {shape}")
                    two = f"{var} {p} {y} . {var} {p} {z} . FILTER (!sameTerm({y}, {z}))"
                    one = f"{var} {p} {y}"
                    conditions.append(f"NOT EXISTS {{ {two if n == 1 else one} }}")
                elif name == "hasValue":
                    conditions.append(f"EXISTS {{ {var} {p} {_term(arg)} }}")
                elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
                    n = _count(arg, shape)
                    inner = self.sg.value(shape, SH.qualifiedValueShape)
                    if inner is None:
                        raise UnsupportedShape(f"{name} without sh:qualifiedValueShape")
                    match = f"{var} {p} {y} . FILTER ({self._conforms(inner, y, stack)})"
                    if name == "qualifiedMinCount" and n == 1:
                        conditions.append(f"EXISTS {{ {match} }}")
                    elif name == "qualifiedMaxCount" and n == 0:
                        conditions.append(f"NOT EXISTS {{ {match} }}")
                    elif not (name == "qualifiedMinCount" and n == 0):
                        raise UnsupportedShape(f"{name} {n} inside a nested shape {shape}")
                elif name in _COMPONENTS and name not in ("uniqueLang", "sparql"):
                    condition = self._constraint(name, arg, y, (*stack, shape))
                    conditions.append(f"NOT EXISTS {{ {var} {p} {y} . FILTER (!({condition})) }}")
                else:
                    raise UnsupportedShape(f"{name} inside a nested shape {shape}")
        return " && ".join(f"({c})" for c in conditions) if conditions else "true"

    def _constraint(self, name: str, arg: Node, var: str, stack: tuple[Node, ...]) -> str:
        """The condition a value node in ``var`` meets for one value-type constraint."""
        if name == "class":
            return f"EXISTS {{ {var} {_iri(RDF.type)}/{_iri(RDFS.subClassOf)}* {_term(arg)} }}"
        if name == "datatype":
            return _datatype_condition(arg, var)
        if name == "nodeKind":
            return _node_kind_condition(arg, var)
        if name == "pattern":
            flags = self.sg.value(stack[-1], SH.flags) if stack else None
            flag_text = f", {_literal(str(flags))}" if flags is not None else ""
            return f"(!isBlank({var}) && REGEX(STR({var}), {_literal(str(arg))}{flag_text}))"
        if name == "in":
            members = list(Collection(self.sg, arg))
            if not members:
                return "false"
            return " || ".join(f"sameTerm({var}, {_term(m)})" for m in members)
        if name == "hasValue":
            return f"sameTerm({var}, {_term(arg)})"
        if name == "node":
            return self._conforms(arg, var, stack)
        if name == "not":
            return f"!({self._conforms(arg, var, stack)})"
        if name in ("or", "and"):
            members = list(Collection(self.sg, arg))
            if not members:
                return "false" if name == "or" else "true"
            joiner = " || " if name == "or" else " && "
            return joiner.join(f"({self._conforms(m, var, stack)})" for m in members)
        raise UnsupportedShape(f"sh:{name} as a value condition")

    # --- paths and variables ------------------------------------------------------------

    def _path(self, path: Node) -> str:
        if isinstance(path, URIRef):
            return _iri(path)
        if not isinstance(path, BNode):
            raise UnsupportedShape(f"path {path!r}")
        if (path, RDF.first, None) in self.sg:
            steps = list(Collection(self.sg, path))
            return "(" + "/".join(self._path(s) for s in steps) + ")"
        for key, mark in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = self.sg.value(path, key)
            if inner is not None:
                return f"({self._path(inner)}){mark}"
        inner = self.sg.value(path, SH.inversePath)
        if inner is not None:
            return f"^({self._path(inner)})"
        alternatives = self.sg.value(path, SH.alternativePath)
        if alternatives is not None:
            options = list(Collection(self.sg, alternatives))
            return "(" + "|".join(self._path(o) for o in options) + ")"
        raise UnsupportedShape(f"path {path}")

    def _var(self) -> str:
        return f"?_v{next(self.fresh)}"


# --- helpers -----------------------------------------------------------------------------------


def _count(arg: Node, shape: Node) -> int:
    if not isinstance(arg, Literal) or not isinstance(arg.value, int) or arg.value < 0:
        raise UnsupportedShape(f"count {arg!r} of {shape} is not a non-negative integer")
    return arg.value


def _datatype_condition(datatype: Node, var: str) -> str:
    if not isinstance(datatype, URIRef):
        raise UnsupportedShape(f"datatype {datatype!r}")
    if datatype in _ANY_LEXICAL:
        return f"(isLiteral({var}) && sameTerm(DATATYPE({var}), {_iri(datatype)}))"
    lexical = _LEXICAL.get(datatype)
    if lexical is None:
        raise UnsupportedShape(f"datatype {datatype}: its lexical form is not checked here")
    return (
        f"(isLiteral({var}) && sameTerm(DATATYPE({var}), {_iri(datatype)})"
        f" && REGEX(STR({var}), {_literal(lexical)}))"
    )


def _node_kind_condition(kind: Node, var: str) -> str:
    tests: dict[Node, str] = {
        SH.IRI: f"isIRI({var})",
        SH.BlankNode: f"isBlank({var})",
        SH.Literal: f"isLiteral({var})",
        SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
        SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
        SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
    }
    if kind not in tests:
        raise UnsupportedShape(f"node kind {kind!r}")
    return tests[kind]


def _iri(iri: URIRef) -> str:
    return f"<{iri}>"


def _term(node: Node) -> str:
    if isinstance(node, URIRef):
        return _iri(node)
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"a blank node {node} as a constant")


def _literal(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


_PROLOGUE: Final = re.compile(r"^\s*(PREFIX|BASE)\b", re.IGNORECASE)
_SELECT_HEAD: Final = re.compile(r"SELECT\s+(DISTINCT\s+|REDUCED\s+)?(.*?)\s*WHERE", re.I | re.S)


def _subquery(text: str, only: str | None = None) -> str:
    """A shape's SELECT as a subquery (no prologue allowed), ``$this`` read as ``?this``."""
    if _PROLOGUE.match(text):
        raise UnsupportedShape("a SPARQL query with its own PREFIX or BASE declarations")
    text = re.sub(r"\$(\w+)", r"?\1", text)
    if only is not None and _projection(text) != (only,):
        raise UnsupportedShape(f"a SPARQL target that selects more than ?{only}")
    return text


def _projection(text: str) -> tuple[str, ...]:
    match = _SELECT_HEAD.search(text)
    if match is None or "*" in match[2] or "(" in match[2]:
        raise UnsupportedShape("a SPARQL query whose SELECT clause is not a list of variables")
    return tuple(v[1:] for v in match[2].split())
