"""SHACL shapes compiled into SPARQL queries, so that a SPARQL store validates a large graph.

pySHACL walks the graph node by node in Python; at a million triples that takes minutes. Here
each constraint of each shape becomes one SELECT query whose rows are its validation results
(focus node, value, and a path where it varies): the store evaluates it set-wise.
:func:`compile_shapes` knows nothing of any store; :mod:`il32rdf.validate.store_engine` runs the
queries and the conformance suite compares the reports with the expected ones, and with
pySHACL's.

Compiled: every SHACL Core target (explicit, SPARQL, and implicit class targets), path and
constraint component (value types, cardinality, value ranges, string lengths, patterns,
languages, ``sh:in``, ``sh:hasValue``, property pairs, ``sh:closed``, logical and shape-based
constraints, qualified value shapes with ``sh:qualifiedValueShapesDisjoint``), property shapes
nested in property shapes (their focus nodes are the outer values), shapes without a message
(il32rdf's default message), SPARQL constraints and SPARQL-based constraint components (SELECT
and ASK validators) with SHACL's pre-binding of ``$this``, the parameters and
``$currentShape`` (Oxigraph's ``LATERAL``: the query runs once per focus node with the
variables bound, as the spec defines it), and ``$PATH``.

Declined (:class:`UnsupportedShape`, the caller falls back to pySHACL: slower, never
different): ``$shapesGraph``, recursive shapes, SHACL-AF (rules, custom targets, node
expressions), a lexical datatype check inside a nested shape, a blank node as a constant, a
parameter with several values in a constraint component, and any ``sh:`` parameter not listed
above. Nothing is ignored: a parameter the compiler does not know makes it decline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from rdflib import RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.validate.check import Check, UnsupportedShape
from il32rdf.validate.conditions import VALUE_TYPE, Conditions, count, term
from il32rdf.validate.shapes_graph import Shapes
from il32rdf.validate.sparql_checks import SparqlChecks
from il32rdf.validate.sparql_text import rename

__all__ = ["Check", "UnsupportedShape", "compile_shapes"]


def compile_shapes(shapes: Shapes | Graph) -> list[Check]:
    """Every constraint of every shape with a target, as a :class:`Check` (cached on a
    :class:`~il32rdf.validate.shapes.Shapes`).

    :raises UnsupportedShape: a shape uses SHACL outside what this module translates.
    """
    if isinstance(shapes, Graph):
        shapes = Shapes(shapes, bundled=False)
    if shapes.compiled is None:
        try:
            shapes.compiled = list(_Compiler(shapes).checks())
        except UnsupportedShape as exc:
            shapes.compiled = exc
    if isinstance(shapes.compiled, UnsupportedShape):
        raise shapes.compiled
    assert isinstance(shapes.compiled, list)
    return shapes.compiled


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
_PAIRS = ("equals", "disjoint", "lessThan", "lessThanOrEquals")


@dataclass(frozen=True)
class _Focus:
    """The focus nodes of one validation: a group pattern binding ``?this`` and the ``keys``
    that tell apart the validations of one node (the outer focus nodes of a nested property
    shape: a value reached from two focus nodes is validated twice, as pySHACL does)."""

    pattern: str
    keys: tuple[str, ...] = ()
    constants: tuple[Literal, ...] = ()  # literal sh:targetNode values, as written

    @property
    def columns(self) -> str:
        return "".join(f" ?{k}" for k in self.keys)


class _Compiler:
    def __init__(self, shapes: Shapes) -> None:
        self.shapes = shapes
        self.sg = shapes.graph
        self.conditions = Conditions(shapes, self._path)
        self.sparql = SparqlChecks(shapes, self.conditions, self._path)
        self.implicit = self._implicitly_targeted()

    def _path(self, path: Node) -> str:
        return self.shapes.sparql_path(path)

    # --- shapes and targets -----------------------------------------------------------------

    def checks(self) -> Iterator[Check]:
        for shape in sorted(self._targeted(), key=str):
            yield from self._shape(shape, self._focus(shape), ())

    def _targeted(self) -> set[Node]:
        shapes = {s for key in _TARGETS for s in self.sg.subjects(key, None)}
        return shapes | self.implicit

    def _implicitly_targeted(self) -> set[Node]:
        """The shapes that are classes too (an implicit class target), as pySHACL finds them:
        typed rdfs:Class or a direct subclass of it, and a shape (typed, holding sh:property
        or sh:node, or the value of a shape-expecting parameter)."""
        kinds = {RDFS.Class, *self.sg.subjects(RDFS.subClassOf, RDFS.Class)}
        classes = {c for kind in kinds for c in self.sg.subjects(RDF.type, kind)}
        shapes = {
            s for kind in (SH.NodeShape, SH.PropertyShape) for s in self.sg.subjects(RDF.type, kind)
        }
        for key in (SH.property, SH.node):
            shapes.update(self.sg.subjects(key, None))
        for key in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape):
            shapes.update(self.sg.objects(None, key))
        for key in (SH["and"], SH["or"], SH.xone):
            for head in self.sg.objects(None, key):
                shapes.update(self.sg.items(head))
        return classes & shapes

    def _focus(self, shape: Node) -> _Focus:
        """The focus nodes of a shape with targets, once each."""
        parts: list[str] = []
        classes = set(self.sg.objects(shape, SH.targetClass))
        if shape in self.implicit:
            classes.add(shape)
        for cls in sorted(classes, key=str):
            parts.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {term(cls)} .")
        nodes = sorted(self.sg.objects(shape, SH.targetNode), key=str)
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(term(n) for n in nodes)} }}")
        for p in sorted(self.sg.objects(shape, SH.targetSubjectsOf), key=str):
            parts.append(f"?this {term(p)} [] .")
        for p in sorted(self.sg.objects(shape, SH.targetObjectsOf), key=str):
            parts.append(f"[] {term(p)} ?this .")
        for target in sorted(self.sg.objects(shape, SH.target), key=str):
            parts.append(self.sparql.target(shape, target))
        union = " UNION ".join(f"{{ {p} }}" for p in parts)
        constants = tuple(n for n in nodes if isinstance(n, Literal))
        return _Focus(f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}", constants=constants)

    def _nested(self, outer: _Focus, path: Node) -> _Focus:
        """The focus nodes of a property shape nested in a property shape: the outer values,
        once per outer focus node."""
        key = f"_f{len(outer.keys)}"
        renamed = rename(outer.pattern, {"this": key})
        keys = (*outer.keys, key)
        columns = "".join(f" ?{k}" for k in keys)
        pattern = (
            f"{{ SELECT DISTINCT{columns} ?this WHERE {{ {renamed} ?{key} {self._path(path)} "
            "?this . } }"
        )
        return _Focus(pattern, keys)

    # --- one shape on a set of focus nodes --------------------------------------------------

    def _shape(self, shape: Node, focus: _Focus, stack: tuple[Node, ...]) -> Iterator[Check]:
        if shape in stack:
            raise UnsupportedShape(f"recursive property shapes at {shape}")
        if self.shapes.deactivated(shape):
            return
        stack = (*stack, shape)
        path = self.sg.value(shape, SH.path)
        for check in self._constraints(shape, focus, path):
            yield replace(check, constants=focus.constants)
        for check in self.sparql.components(shape, focus.pattern, focus.columns, path):
            yield replace(check, constants=focus.constants)
        for prop in sorted(self.sg.objects(shape, SH.property), key=str):
            inner = focus if path is None else self._nested(focus, path)
            yield from self._shape(prop, inner, stack)

    def _constraints(self, shape: Node, focus: _Focus, path: Node | None) -> Iterator[Check]:
        severity = self.shapes.severity(shape)
        p = self._path(path) if path is not None else ""
        values = f"?this {p} ?value ." if path is not None else "BIND(?this AS ?value)"
        keys = focus.columns

        def check(
            name: str, where: str, *, value: tuple[str, ...] = ("value",), columns: str = "",
            grouped: str = "", distinct: bool = True, recheck: URIRef | None = None,
        ) -> Check:  # fmt: skip
            shown = columns or " ".join(["?this", *(f"?{v}" for v in value if v != "this")])
            if grouped:
                query = (
                    f"SELECT ?this WHERE {{ {focus.pattern} {where} }} GROUP BY ?this{keys} "
                    f"HAVING ({grouped})"
                )
            else:
                head = "SELECT DISTINCT" if distinct else "SELECT"
                query = f"{head} {shown}{keys} WHERE {{ {focus.pattern} {where} }}"
            component = URIRef(f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent")
            return Check(
                query=query,
                shape=shape,
                component=component,
                severity=severity,
                path=path,
                value=value,
                templates=self.shapes.message_templates(shape, component),
                recheck=recheck,
            )

        for name, arg in self.conditions.parameters(shape, nested=False):
            if name in VALUE_TYPE:
                recheck = None
                if name == "datatype":
                    condition, recheck = self.conditions.datatype_at_top(arg, "?value")
                else:
                    condition = self.conditions.value(name, arg, "?value", shape, ())
                yield check(name, f"{values} FILTER (!({condition}))", recheck=recheck)
            elif name in ("minCount", "maxCount"):
                if path is None:
                    raise UnsupportedShape(f"sh:{name} on the node shape {shape}")
                n = count(arg, shape)
                if name == "minCount" and n == 0:
                    continue
                if name == "minCount" and n == 1:
                    yield check(name, f"FILTER NOT EXISTS {{ {values} }}", value=())
                    continue
                compare = "<" if name == "minCount" else ">"
                where = f"OPTIONAL {{ {values} }}" if name == "minCount" else values
                yield check(name, where, value=(), grouped=f"COUNT(DISTINCT ?value) {compare} {n}")
            elif name == "hasValue":
                if path is None:
                    yield check(name, f"FILTER (!sameTerm(?this, {term(arg)}))", value=())
                else:
                    where = f"FILTER NOT EXISTS {{ ?this {p} {term(arg)} . }}"
                    yield check(name, where, value=())
            elif name == "uniqueLang":
                if path is None:
                    raise UnsupportedShape(f"sh:uniqueLang on the node shape {shape}")
                if arg != Literal(True):
                    continue
                where = (
                    f"?this {p} ?a . ?this {p} ?b . FILTER (isLiteral(?a) && LANG(?a) != '' && "
                    "LCASE(LANG(?a)) = LCASE(LANG(?b)) && !sameTerm(?a, ?b))"
                )
                # one result per focus node and language used twice, as pySHACL reports
                yield check(name, where, value=(), columns="?this (LCASE(LANG(?a)) AS ?lang)")
            elif name in _PAIRS:
                yield from self._pairs(check, name, arg, values, p)
            elif name == "closed":
                if arg != Literal(True):
                    continue
                allowed = ", ".join(f"<{a}>" for a in self.conditions.allowed(shape))
                outside = f"FILTER (!(?path IN ({allowed})))" if allowed else ""
                nodes = f"?this {p} ?_node ." if path is not None else "BIND(?this AS ?_node)"
                where = f"{nodes} ?_node ?path ?value . {outside}"
                yield check(name, where, columns="?this ?path ?value")
            elif name in ("qualifiedMinCount", "qualifiedMaxCount"):
                yield from self._qualified(check, shape, name, arg, values, path)
            elif name == "sparql":
                yield from self.sparql.constraint(shape, arg, focus.pattern, keys, path)
            else:  # pragma: no cover - parameters() returns only the names handled here
                raise UnsupportedShape(f"sh:{name}")

    def _pairs(
        self, check: Callable[..., Check], name: str, arg: Node, values: str, p: str
    ) -> Iterator[Check]:
        """Property pair constraints: one result per value (equals, disjoint) or per pair of a
        value and a value of the other property (lessThan, lessThanOrEquals)."""
        if not isinstance(arg, URIRef):
            raise UnsupportedShape(f"sh:{name} {arg!r} is not an IRI")
        other = f"<{arg}>"
        if name == "equals":
            member = f"?this {p} ?value ." if p else "FILTER sameTerm(?this, ?value)"
            yield check(name, f"{values} FILTER NOT EXISTS {{ ?this {other} ?value }}")
            yield check(name, f"?this {other} ?value . FILTER NOT EXISTS {{ {member} }}")
        elif name == "disjoint":
            yield check(name, f"{values} ?this {other} ?value .")
        else:
            compare = "<" if name == "lessThan" else "<="
            where = (
                f"{{ SELECT DISTINCT ?this ?value ?_other WHERE {{ {values} ?this {other} ?_other "
                f"FILTER (!COALESCE(?value {compare} ?_other, false)) }} }}"
            )
            yield check(name, where, distinct=False)

    def _qualified(
        self, check: Callable[..., Check], shape: Node, name: str, arg: Node, values: str,
        path: Node | None,
    ) -> Iterator[Check]:  # fmt: skip
        n = count(arg, shape)
        minimum = name == "qualifiedMinCount"
        if (minimum and n == 0) or not self.conditions.has_qualified(shape):
            return  # a count without its qualified value shape is not a constraint
        conforms = self.conditions.qualified(shape, "?value", ())
        if path is None:  # the only value node is the focus node: it counts 0 or 1
            if minimum and n > 1:
                yield check(name, "", value=())
            elif minimum:
                yield check(name, f"{values} FILTER (!({conforms}))", value=())
            elif n == 0:
                yield check(name, f"{values} FILTER ({conforms})", value=())
            return
        matching = f"{values} FILTER ({conforms})"
        if minimum and n == 1:
            yield check(name, f"FILTER NOT EXISTS {{ {matching} }}", value=())
            return
        compare = "<" if minimum else ">"
        where = f"OPTIONAL {{ {matching} }}" if minimum else matching
        yield check(name, where, value=(), grouped=f"COUNT(DISTINCT ?value) {compare} {n}")
