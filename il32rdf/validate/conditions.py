"""SHACL constraints as SPARQL conditions on one node: the building blocks of the compiler.

:meth:`Conditions.value` is the condition a value node meets for one value-type constraint
(``sh:class``, ``sh:datatype``, ``sh:minInclusive``, ``sh:node``, ...); :meth:`Conditions.conforms`
is the condition that a node conforms to a whole shape (all its constraints, its property
shapes, counts included), used inside ``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``,
``sh:xone`` and qualified value shapes. A condition that could raise a SPARQL error (comparing
a string with a number) is wrapped in ``COALESCE(..., false)``: an error is a failure, as SHACL
says, never a silently dropped row.

Inside a condition a correlated ``EXISTS { SELECT ?n ... GROUP BY ?n HAVING ... }`` counts the
values of one node: Oxigraph substitutes the outer binding of ``?n`` into the subquery (the
conformance suite checks it). Anything these conditions do not translate raises
:class:`UnsupportedShape`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import Final

from rdflib import RDF, RDFS, SH, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from il32rdf.terms import quiet_rdflib
from il32rdf.validate.check import UnsupportedShape
from il32rdf.validate.shapes_graph import Shapes

__all__ = [
    "CANONICAL",
    "CORE",
    "Conditions",
    "count",
    "datatype_ok",
    "literal",
    "term",
    "valid_lexical",
    "valid_lexical_marks",
]


# Value-type constraints: a condition on each value node, one result per failing value.
VALUE_TYPE: Final = (
    "class", "datatype", "nodeKind", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "in", "node", "not",
    "and", "or", "xone",
)  # fmt: skip
# Every SHACL Core parameter the compiler reads, with those that belong to another one.
CORE: Final = {
    *VALUE_TYPE, "minCount", "maxCount", "hasValue", "uniqueLang", "equals", "disjoint",
    "lessThan", "lessThanOrEquals", "closed", "qualifiedMinCount", "qualifiedMaxCount",
    "sparql",
}  # fmt: skip
HELPERS: Final = {
    "flags", "ignoredProperties", "qualifiedValueShape", "qualifiedValueShapesDisjoint",
}  # fmt: skip
NOT_CONSTRAINTS: Final = {
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "message",
    "severity", "path", "property", "deactivated", "name", "description", "order", "group",
    "defaultValue", "declare", "prefixes", "labelTemplate", "select", "ask",
}  # fmt: skip

_COMPARE: Final = {
    "minExclusive": ">",
    "minInclusive": ">=",
    "maxExclusive": "<",
    "maxInclusive": "<=",
}

# Lexical forms that rdflib (so pySHACL) accepts for sure, as Oxigraph writes them; a literal
# of the datatype outside them is checked by rdflib itself (see datatype_ok).
CANONICAL: Final = {
    XSD.boolean: r"^(true|false)$",
    XSD.integer: r"^-?[0-9]+$",
    XSD.decimal: r"^-?[0-9]+(\\.[0-9]+)?$",
    XSD.double: r"^(-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?|INF|-INF|NaN)$",
    XSD.float: r"^(-?[0-9]+(\\.[0-9]+)?(E-?[0-9]+)?|INF|-INF|NaN)$",
    XSD.date: r"^-?[0-9]{4}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.dateTime: r"^-?[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^-?[0-9]{4}(Z|[+-][0-9]{2}:[0-9]{2})?$",
}
# Datatypes whose literals pySHACL never finds ill-typed: the datatype alone decides.
_ANY_LEXICAL: Final = {XSD.string, RDF.langString, RDF.HTML, RDF.XMLLiteral}


def datatype_ok(value: Node, datatype: URIRef) -> bool:
    """Whether ``value`` is a literal of ``datatype`` that pySHACL accepts (rdflib's reading of
    the lexical form: not ill-typed, and of the Python type pySHACL expects)."""
    if not isinstance(value, Literal):
        return False
    if datatype == RDFS.Literal:
        return True
    if datatype == RDF.langString:
        return value.language is not None
    if datatype == XSD.string and value.datatype is None and value.language is None:
        return True
    if value.datatype != datatype:
        return False
    with quiet_rdflib():  # rdflib's complaints about an ill-typed literal
        parsed = Literal(str(value), datatype=datatype, normalize=False)
    if parsed.ill_typed:
        return False
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(parsed.value, expected)


_VALID_LEXICAL: Final = "__il32rdf_valid_lexical__"


def valid_lexical(datatype: URIRef) -> str:
    """A placeholder for the lexical forms of ``datatype`` in the data that rdflib accepts
    but :data:`CANONICAL` does not: the store engine replaces it (:func:`valid_lexical_marks`)."""
    return f"{_VALID_LEXICAL}<{datatype}>"


def valid_lexical_marks(query: str) -> set[URIRef]:
    """The datatypes whose :func:`valid_lexical` placeholder ``query`` holds."""
    return {URIRef(m) for m in re.findall(_VALID_LEXICAL + r"<([^>]*)>", query)}


def _python_types() -> dict[Node, tuple[type, ...]]:
    import datetime
    import decimal

    return {
        XSD.string: (str, bytes),
        RDF.langString: (str, bytes),
        XSD.integer: (int,),
        XSD.float: (float,),
        XSD.decimal: (decimal.Decimal,),
        XSD.boolean: (bool,),
        XSD.date: (datetime.date,),
        XSD.time: (datetime.time,),
        XSD.dateTime: (datetime.datetime,),
    }


_PYTHON_TYPES: Final = _python_types()


def term(node: Node) -> str:
    """A constant in SPARQL syntax (an IRI or a literal; a blank node cannot be one)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise UnsupportedShape(f"the blank node {node} as a constant")


def literal(text: str) -> str:
    """A string literal in SPARQL syntax."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


def count(arg: Node, shape: Node) -> int:
    """A count parameter's value.

    :raises UnsupportedShape: it is not a non-negative integer literal.
    """
    if not isinstance(arg, Literal) or not isinstance(arg.value, int) or arg.value < 0:
        raise UnsupportedShape(f"count {arg!r} of {shape} is not a non-negative integer")
    if arg.datatype != XSD.integer:
        raise UnsupportedShape(f"count {arg!r} of {shape} is not an xsd:integer")
    return arg.value


class Conditions:
    """The SPARQL conditions of a shapes graph; ``path`` turns a SHACL path into SPARQL."""

    def __init__(self, shapes: Shapes, path: Callable[[Node], str]) -> None:
        self.shapes = shapes
        self.sg = shapes.graph
        self.path = path
        self.custom: set[URIRef] = set()
        """The parameters of the SPARQL-based constraint components the graph declares."""
        self._fresh = itertools.count()

    def var(self) -> str:
        """A fresh variable of the compiler's own."""
        return f"?_v{next(self._fresh)}"

    def parameters(self, shape: Node, *, nested: bool = True) -> list[tuple[str, Node]]:
        """The SHACL Core constraint parameters of ``shape`` (name, value), sorted.

        :raises UnsupportedShape: it uses a SHACL parameter the compiler does not know, or
            (``nested``) a parameter of a SPARQL-based constraint component.
        """
        found: list[tuple[str, Node]] = []
        for predicate, value in self.sg.predicate_objects(shape):
            text = str(predicate)
            if nested and predicate in self.custom:
                raise UnsupportedShape(f"a SPARQL-based constraint component in the nested {shape}")
            if not text.startswith(str(SH)):
                continue
            name = text[len(str(SH)) :]
            if name in CORE:
                found.append((name, value))
            elif name not in HELPERS and name not in NOT_CONSTRAINTS:
                raise UnsupportedShape(f"shape {shape} uses sh:{name}")
        return sorted(found, key=lambda item: (item[0], str(item[1])))

    # --- one value --------------------------------------------------------------------------

    def value(self, name: str, arg: Node, var: str, shape: Node, stack: tuple[Node, ...]) -> str:
        """The condition that the value node in ``var`` meets the constraint ``sh:name arg``."""
        if name == "class":
            return f"EXISTS {{ {var} <{RDF.type}>/<{RDFS.subClassOf}>* {term(arg)} }}"
        if name == "datatype":
            return self.datatype(arg, var)
        if name == "nodeKind":
            return _node_kind(arg, var)
        if name in _COMPARE:
            if not isinstance(arg, Literal):
                raise UnsupportedShape(f"sh:{name} {arg!r} is not a literal")
            return f"COALESCE(isLiteral({var}) && {var} {_COMPARE[name]} {term(arg)}, false)"
        if name in ("minLength", "maxLength"):
            n = count(arg, shape)
            compare = ">=" if name == "minLength" else "<="
            return f"(!isBlank({var}) && STRLEN(STR({var})) {compare} {n})"
        if name == "pattern":
            flags = self.sg.value(shape, SH.flags)
            flag_text = f", {literal(str(flags))}" if flags is not None else ""
            return (
                f"COALESCE(!isBlank({var}) && REGEX(STR({var}), {literal(str(arg))}{flag_text}),"
                " false)"
            )
        if name == "languageIn":
            tags = self.members(arg, shape)
            tests = " || ".join(f"langMatches(LANG({var}), {term(t)})" for t in tags) or "false"
            return f"COALESCE(isLiteral({var}) && ({tests}), false)"
        if name == "in":
            members = self.members(arg, shape)
            return " || ".join(f"sameTerm({var}, {term(m)})" for m in members) or "false"
        if name == "node":
            return self.conforms(arg, var, stack)
        if name == "not":
            return f"!({self.conforms(arg, var, stack)})"
        if name in ("and", "or", "xone"):
            shapes = self.members(arg, shape)
            if not shapes:
                return "true" if name == "and" else "false"
            parts = [self.conforms(s, var, stack) for s in shapes]
            if name == "xone":
                return "(" + " + ".join(f"IF(COALESCE({p}, false), 1, 0)" for p in parts) + ") = 1"
            return (" && " if name == "and" else " || ").join(f"({p})" for p in parts)
        raise UnsupportedShape(f"sh:{name} as a condition on a value")

    def datatype(self, datatype: Node, var: str) -> str:
        """The datatype condition inside a nested shape: the lexical forms outside the
        canonical ones that rdflib accepts are listed where :func:`valid_lexical` says, filled
        in by the store engine from the data before the query runs."""
        condition, recheck = self.datatype_at_top(datatype, var)
        if recheck is None:
            return condition
        same = f"isLiteral({var}) && sameTerm(DATATYPE({var}), <{recheck}>)"
        canonical = CANONICAL.get(recheck)
        regex = f"REGEX(STR({var}), {literal(canonical)})" if canonical else "false"
        return f"({same} && ({regex} || STR({var}) IN ({valid_lexical(recheck)})))"

    def datatype_at_top(self, datatype: Node, var: str) -> tuple[str, URIRef | None]:
        """The datatype condition, and the datatype whose values failing it are judged again
        by rdflib (:func:`datatype_ok`): the lexical forms SPARQL alone cannot judge."""
        if not isinstance(datatype, URIRef):
            raise UnsupportedShape(f"datatype {datatype!r}")
        if datatype == RDFS.Literal:
            return f"isLiteral({var})", None
        if datatype == RDFS.Datatype:
            raise UnsupportedShape("sh:datatype rdfs:Datatype")
        same = f"isLiteral({var}) && sameTerm(DATATYPE({var}), <{datatype}>)"
        if datatype in _ANY_LEXICAL or not str(datatype).startswith(str(XSD)):
            return f"({same})", None
        canonical = CANONICAL.get(datatype)
        if canonical is None:
            return "false", datatype
        return f"({same} && REGEX(STR({var}), {literal(canonical)}))", datatype

    def members(self, head: Node, shape: Node) -> list[Node]:
        """The members of an RDF list parameter."""
        if head != RDF.nil and (head, RDF.first, None) not in self.sg:
            raise UnsupportedShape(f"a parameter of {shape} is not a list")
        return list(Collection(self.sg, head))

    # --- a whole shape, on one node ---------------------------------------------------------

    def conforms(self, shape: Node, var: str, stack: tuple[Node, ...]) -> str:
        """The condition that the node in ``var`` conforms to ``shape`` (its targets aside)."""
        if shape in stack:
            raise UnsupportedShape(f"recursive shape {shape}")
        if not isinstance(shape, URIRef | BNode):
            raise UnsupportedShape(f"{shape!r} is not a shape")
        if self.shapes.deactivated(shape):
            return "true"
        stack = (*stack, shape)
        path = self.sg.value(shape, SH.path)
        conditions: list[str] = []
        if path is not None:
            conditions.extend(self._property(shape, path, var, stack))
        else:
            conditions.extend(self._node(shape, var, stack))
            for prop in sorted(self.sg.objects(shape, SH.property), key=str):
                conditions.append(self.conforms(prop, var, stack))
        return " && ".join(f"({c})" for c in conditions) if conditions else "true"

    def _node(self, shape: Node, var: str, stack: tuple[Node, ...]) -> list[str]:
        conditions = []
        for name, arg in self.parameters(shape):
            if name in VALUE_TYPE:
                conditions.append(self.value(name, arg, var, shape, stack))
            elif name == "hasValue":
                conditions.append(f"sameTerm({var}, {term(arg)})")
            elif name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
                y = self.var()
                conditions.append(self._pairs(name, arg, var, f"BIND({var} AS {y})", y))
            elif name == "closed":
                conditions.extend(self._closed(shape, arg, var))
            else:
                raise UnsupportedShape(f"sh:{name} in a node shape {shape} used as a condition")
        return conditions

    def _property(self, shape: Node, path: Node, var: str, stack: tuple[Node, ...]) -> list[str]:
        p = self.path(path)
        conditions = []
        for name, arg in self.parameters(shape):
            y = self.var()
            values = f"{var} {p} {y} ."
            if name in VALUE_TYPE:
                condition = self.value(name, arg, y, shape, stack)
                conditions.append(f"NOT EXISTS {{ {values} FILTER (!({condition})) }}")
            elif name in ("minCount", "maxCount"):
                n = count(arg, shape)
                if name == "minCount" and n == 0:
                    continue
                compare = ">=" if name == "minCount" else ">"
                counted = (
                    f"EXISTS {{ SELECT {var} WHERE {{ {values} }} GROUP BY {var} "
                    f"HAVING (COUNT(DISTINCT {y}) {compare} {n}) }}"
                )
                conditions.append(counted if name == "minCount" else f"!{counted}")
            elif name == "hasValue":
                conditions.append(f"EXISTS {{ {var} {p} {term(arg)} }}")
            elif name == "uniqueLang":
                if arg != Literal(True):
                    continue
                z = self.var()
                conditions.append(
                    f"NOT EXISTS {{ {values} {var} {p} {z} . FILTER (isLiteral({y}) && "
                    f"LANG({y}) != '' && LCASE(LANG({y})) = LCASE(LANG({z})) && "
                    f"!sameTerm({y}, {z})) }}"
                )
            elif name in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
                conditions.append(self._pairs(name, arg, var, values, y))
            elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
                n = count(arg, shape)
                if (name == "qualifiedMinCount" and n == 0) or not self.has_qualified(shape):
                    continue
                matching = f"{values} FILTER ({self.qualified(shape, y, stack)})"
                compare = ">=" if name == "qualifiedMinCount" else ">"
                counted = (
                    f"EXISTS {{ SELECT {var} WHERE {{ {matching} }} GROUP BY {var} "
                    f"HAVING (COUNT(DISTINCT {y}) {compare} {n}) }}"
                )
                conditions.append(counted if name == "qualifiedMinCount" else f"!{counted}")
            else:
                raise UnsupportedShape(f"sh:{name} in a property shape {shape} used as a condition")
        for prop in sorted(self.sg.objects(shape, SH.property), key=str):
            y = self.var()
            conditions.append(
                f"NOT EXISTS {{ {var} {p} {y} . FILTER (!({self.conforms(prop, y, stack)})) }}"
            )
        return conditions

    def _pairs(self, name: str, arg: Node, var: str, values: str, y: str) -> str:
        """Whether the values (``y`` bound by ``values``) compare as ``sh:name`` says with
        the values of the property ``arg`` of the node in ``var``."""
        if not isinstance(arg, URIRef):
            raise UnsupportedShape(f"sh:{name} {arg!r} is not an IRI")
        z = self.var()
        other = f"{var} <{arg}> {z} ."
        if name == "equals":
            same = f"{values} FILTER sameTerm({y}, {z})"
            return (
                f"NOT EXISTS {{ {values} FILTER NOT EXISTS {{ {var} <{arg}> {y} }} }} && "
                f"NOT EXISTS {{ {other} FILTER NOT EXISTS {{ {same} }} }}"
            )
        if name == "disjoint":
            return f"NOT EXISTS {{ {values} {var} <{arg}> {y} }}"
        compare = "<" if name == "lessThan" else "<="
        return f"NOT EXISTS {{ {values} {other} FILTER (!COALESCE({y} {compare} {z}, false)) }}"

    def _closed(self, shape: Node, arg: Node, var: str) -> list[str]:
        if arg != Literal(True):
            return []
        allowed = self.allowed(shape)
        p, o = self.var(), self.var()
        outside = f"!({p} IN ({', '.join(f'<{a}>' for a in allowed)}))" if allowed else "true"
        return [f"NOT EXISTS {{ {var} {p} {o} . FILTER ({outside}) }}"]

    def allowed(self, shape: Node) -> list[URIRef]:
        """The properties a closed shape allows: its property shapes' predicates and
        ``sh:ignoredProperties``."""
        allowed: set[URIRef] = set()
        for prop in self.sg.objects(shape, SH.property):
            path = self.sg.value(prop, SH.path)
            if isinstance(path, URIRef):
                allowed.add(path)
        for head in self.sg.objects(shape, SH.ignoredProperties):
            allowed.update(m for m in self.members(head, shape) if isinstance(m, URIRef))
        return sorted(allowed, key=str)

    def has_qualified(self, shape: Node) -> bool:
        """Whether a qualified count is active: it needs its sh:qualifiedValueShape."""
        return (shape, SH.qualifiedValueShape, None) in self.sg

    def qualified(self, shape: Node, y: str, stack: tuple[Node, ...]) -> str:
        """The condition that the value in ``y`` counts for the qualified value shape of the
        property shape ``shape`` (with ``sh:qualifiedValueShapesDisjoint``, it conforms to none
        of its siblings' qualified value shapes)."""
        inner = self.sg.value(shape, SH.qualifiedValueShape)
        if inner is None:
            raise UnsupportedShape(f"a qualified count without sh:qualifiedValueShape in {shape}")
        condition = self.conforms(inner, y, stack)
        if (shape, SH.qualifiedValueShapesDisjoint, Literal(True)) in self.sg:
            for sibling in self.siblings(shape):
                condition += f" && !({self.conforms(sibling, y, stack)})"
        return condition

    def siblings(self, shape: Node) -> list[Node]:
        """The qualified value shapes of the property shapes that share a parent with
        ``shape`` (sh:qualifiedValueShapesDisjoint)."""
        found: set[Node] = set()
        own = self.sg.value(shape, SH.qualifiedValueShape)
        for parent in self.sg.subjects(SH.property, shape):
            for prop in self.sg.objects(parent, SH.property):
                if prop == shape:
                    continue
                found.update(q for q in self.sg.objects(prop, SH.qualifiedValueShape) if q != own)
        return sorted(found, key=str)


def _node_kind(kind: Node, var: str) -> str:
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
