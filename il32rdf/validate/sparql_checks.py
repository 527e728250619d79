"""SHACL-SPARQL compiled for the store: SPARQL targets, SPARQL constraints (``sh:sparql``) and
SPARQL-based constraint components (``sh:ConstraintComponent`` with SELECT or ASK validators).

Pre-binding is SHACL's: the query runs once per focus node with ``$this`` (and the component's
parameters, ``$currentShape``) bound, wherever the variable occurs: in a FILTER, a BIND, a
nested group or a subquery. Oxigraph's ``LATERAL`` does exactly that, set-wise: the focus
nodes on the left, the shape's query on the right, evaluated for each left row with its
bindings substituted. An ASK validator is a correlated ``FILTER NOT EXISTS`` on each value node.
``$PATH`` is replaced by the shape's path; prefixed names are written out in full, so that the
query can sit inside another whatever prefixes that one declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rdflib import RDF, SH, BNode, Literal, URIRef
from rdflib.term import Node

from il32rdf.validate.check import Check, UnsupportedShape
from il32rdf.validate.conditions import Conditions, term
from il32rdf.validate.shapes_graph import Shapes
from il32rdf.validate.sparql_text import expand, group_after, projection, substitute, tokens

__all__ = ["SparqlChecks"]

_TEMPLATE_VARIABLES = ("this", "value", "path", "message")


class SparqlChecks:
    """The SHACL-SPARQL of one shapes graph, compiled."""

    def __init__(self, shapes: Shapes, conditions: Conditions, path: Callable[[Node], str]) -> None:
        self.shapes = shapes
        self.sg = shapes.graph
        self.conditions = conditions
        self.path = path
        self.declared = self._declared()

    # --- targets ----------------------------------------------------------------------------

    def target(self, shape: Node, target: Node) -> str:
        """A SPARQL target (``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``) as a group
        pattern binding ``?this``."""
        select = self.sg.value(target, SH.select)
        if (target, RDF.type, SH.SPARQLTarget) not in self.sg or not isinstance(select, Literal):
            raise UnsupportedShape(f"target {target} of {shape} is not a SPARQL select target")
        body = self._text(select, target, shape, None)
        if "this" not in (projection(body) or ("this",)):
            raise UnsupportedShape(f"the SPARQL target of {shape} does not select ?this")
        return "{ " + body + " }"

    # --- sh:sparql ----------------------------------------------------------------------------

    def constraint(
        self, shape: Node, constraint: Node, focus: str, keys: str, path: Node | None
    ) -> Iterator[Check]:
        """The SPARQL constraint ``constraint`` of ``shape``, on the focus nodes ``focus``."""
        if self.shapes.deactivated(constraint):
            return
        select = self.sg.value(constraint, SH.select)
        if not isinstance(select, Literal):
            raise UnsupportedShape(f"SPARQL constraint {constraint} has no sh:select")
        body = self._text(select, constraint, shape, path, {})
        templates = self.shapes.message_templates(shape, SH.SPARQLConstraintComponent, constraint)
        yield Check(
            query=self._lateral(focus, body, templates),
            shape=shape,
            component=SH.SPARQLConstraintComponent,
            severity=self.shapes.severity(shape),
            path=path,
            value=("value", "this") if path is None else ("value",),
            templates=templates,
        )

    # --- constraint components ----------------------------------------------------------------

    def _declared(self) -> dict[Node, list[tuple[URIRef, bool]]]:
        """Each declared constraint component: its parameters (path, optional)."""
        found: dict[Node, list[tuple[URIRef, bool]]] = {}
        for component in sorted(self.shapes.components, key=str):
            parameters = []
            for parameter in self.sg.objects(component, SH.parameter):
                path = self.sg.value(parameter, SH.path)
                if not isinstance(path, URIRef):
                    raise UnsupportedShape(f"a parameter of {component} has no IRI path")
                optional = (parameter, SH.optional, Literal(True)) in self.sg
                parameters.append((path, optional))
            found[component] = parameters
        self.conditions.custom = {p for ps in found.values() for p, _ in ps}
        return found

    def components(self, shape: Node, focus: str, keys: str, path: Node | None) -> Iterator[Check]:
        """The checks of the SPARQL-based constraint components ``shape`` uses."""
        for component, parameters in sorted(self.declared.items(), key=lambda i: str(i[0])):
            values: dict[str, Node] = {}
            complete = True
            for parameter, optional in parameters:
                given = list(self.sg.objects(shape, parameter))
                if len(given) > 1:
                    raise UnsupportedShape(f"{shape} gives {parameter} several values")
                if given:
                    values[_local(parameter)] = given[0]
                elif not optional:
                    complete = False
            if complete and values:
                yield self._component(shape, component, values, focus, keys, path)

    def _component(
        self, shape: Node, component: Node, parameters: dict[str, Node], focus: str, keys: str,
        path: Node | None,
    ) -> Check:  # fmt: skip
        kinds = (SH.propertyValidator if path is not None else SH.nodeValidator, SH.validator)
        validator = next((v for k in kinds for v in self.sg.objects(component, k)), None)
        if validator is None:
            raise UnsupportedShape(f"constraint component {component} has no validator here")
        templates = self.shapes.message_templates(shape, component, validator)
        assert isinstance(component, URIRef)
        common = {
            "shape": shape,
            "component": component,
            "severity": self.shapes.severity(shape),
            "path": path,
            "templates": templates,
            "parameters": tuple(sorted(parameters.items())),
        }
        select = self.sg.value(validator, SH.select)
        ask = self.sg.value(validator, SH.ask)
        if isinstance(select, Literal):
            body = self._text(select, validator, shape, path, parameters)
            query = self._lateral(focus, body, templates)
            value = ("value", "this") if path is None else ("value",)
            return Check(query=query, value=value, **common)  # type: ignore[arg-type]
        if isinstance(ask, Literal):
            body = self._text(ask, validator, shape, path, parameters)
            try:
                group = group_after(body, "ASK")
            except ValueError as exc:
                raise UnsupportedShape(f"the ASK validator of {component}: {exc}") from None
            values = (
                f"?this {self.path(path)} ?value ." if path is not None else "BIND(?this AS ?value)"
            )
            query = (
                f"SELECT DISTINCT ?this ?value{keys} WHERE {{ {focus} {values} "
                f"FILTER NOT EXISTS {group} }}"
            )
            return Check(query=query, **common)  # type: ignore[arg-type]
        raise UnsupportedShape(f"the validator of {component} has neither sh:select nor sh:ask")

    # --- the text of a query ------------------------------------------------------------------

    def _text(
        self, text: Literal, owner: Node, shape: Node, path: Node | None,
        parameters: dict[str, Node] | None = None,
    ) -> str:  # fmt: skip
        """The query with full IRIs, ``$PATH`` replaced by the path and the pre-bound
        parameters and ``$currentShape`` by their values (SHACL's pre-binding: every occurrence
        of the variable stands for the value).

        :raises UnsupportedShape: ``$shapesGraph``, an undeclared prefix, a BASE, ``$PATH``
            outside a property shape, ``$currentShape`` of a blank-node shape.
        """
        names = {t.variable for t in tokens(str(text)) if t.kind == "var"}
        if "shapesGraph" in names:
            raise UnsupportedShape(f"the SPARQL of {shape} uses $shapesGraph")
        try:
            body = expand(str(text), self.shapes.prefixes(owner))
        except ValueError as exc:
            raise UnsupportedShape(f"the SPARQL of {shape}: {exc}") from None
        constants = {name: term(value) for name, value in (parameters or {}).items()}
        if "currentShape" in names:
            if isinstance(shape, BNode):
                raise UnsupportedShape("$currentShape of a blank-node shape")
            constants["currentShape"] = term(shape)
        if "PATH" in names:
            if path is None:
                raise UnsupportedShape(f"the SPARQL of {shape} uses $PATH outside a property shape")
            constants["PATH"] = self.path(path)
        return substitute(body, constants)

    def _lateral(self, focus: str, body: str, templates: tuple[Literal, ...]) -> str:
        """The focus nodes, and the query run for each with ``?this`` bound (pre-binding)."""
        wanted = list(_TEMPLATE_VARIABLES)
        for template in templates:
            for token in tokens(str(template).replace("{", " ").replace("}", " ")):
                if token.kind == "var" and token.variable not in wanted:
                    wanted.append(token.variable)
        head = " ".join(f"?{v}" for v in wanted)
        return f"SELECT {head} WHERE {{ {focus} LATERAL {{ {body} }} }}"


def _local(iri: URIRef) -> str:
    text = str(iri)
    for mark in ("#", "/", ":"):
        text = text.rpartition(mark)[2] if mark in text else text
    return text
