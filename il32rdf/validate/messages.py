"""The messages of results: a shape's own ``sh:message`` with its variables filled in, or, for a
shape without one, il32rdf's default message for the constraint component.

Both engines use these, so a result has the same message whichever engine found it. A default
message is made from the shape and its parameters only (not from the value, which a report
shows beside it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from rdflib import SH, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from il32rdf.errors import ShapesError
from il32rdf.validate.shapes_graph import Shapes

__all__ = ["default_message", "fill", "shown"]

_NODE_KINDS: Final[dict[Node, str]] = {
    SH.IRI: "an IRI",
    SH.BlankNode: "a blank node",
    SH.Literal: "a literal",
    SH.BlankNodeOrIRI: "a blank node or an IRI",
    SH.BlankNodeOrLiteral: "a blank node or a literal",
    SH.IRIOrLiteral: "an IRI or a literal",
}

# component local name -> (parameter, sentence with {arg}, {path})
_SENTENCES: Final = {
    "Class": ("class", "The value is not an instance of {arg}."),
    "Datatype": ("datatype", "The value is not a well-formed literal of datatype {arg}."),
    "NodeKind": ("nodeKind", "The value is not {arg}."),
    "MinCount": ("minCount", "{path} has fewer than {arg} value(s)."),
    "MaxCount": ("maxCount", "{path} has more than {arg} value(s)."),
    "MinExclusive": ("minExclusive", "The value is not greater than {arg}."),
    "MinInclusive": ("minInclusive", "The value is not greater than or equal to {arg}."),
    "MaxExclusive": ("maxExclusive", "The value is not less than {arg}."),
    "MaxInclusive": ("maxInclusive", "The value is not less than or equal to {arg}."),
    "MinLength": ("minLength", "The value is shorter than {arg} character(s), or not a string."),
    "MaxLength": ("maxLength", "The value is longer than {arg} character(s), or not a string."),
    "Pattern": ("pattern", "The value does not match the pattern {arg}."),
    "LanguageIn": ("languageIn", "The value is not a literal in one of the languages {arg}."),
    "UniqueLang": ("uniqueLang", "{path} has more than one value in the same language."),
    "Equals": ("equals", "The value is not a value of both {path} and {arg}."),
    "Disjoint": ("disjoint", "The value is a value of both {path} and {arg}."),
    "LessThan": ("lessThan", "The value is not less than every value of {arg}."),
    "LessThanOrEquals": (
        "lessThanOrEquals",
        "The value is not less than or equal to every value of {arg}.",
    ),
    "Not": ("not", "The value conforms to the shape {arg}, which it must not."),
    "And": ("and", "The value does not conform to every one of the shapes {arg}."),
    "Or": ("or", "The value conforms to none of the shapes {arg}."),
    "Xone": ("xone", "The value does not conform to exactly one of the shapes {arg}."),
    "Node": ("node", "The value does not conform to the shape {arg}."),
    "QualifiedMinCount": (
        "qualifiedMinCount",
        "Fewer than {arg} value(s) of {path} conform to the qualified value shape.",
    ),
    "QualifiedMaxCount": (
        "qualifiedMaxCount",
        "More than {arg} value(s) of {path} conform to the qualified value shape.",
    ),
    "Closed": ("closed", "The node has a property that the closed shape does not allow."),
    "HasValue": ("hasValue", "{path} does not have the value {arg}."),
    "In": ("in", "The value is not one of {arg}."),
}


# the same sentences for a node shape, whose only value is the focus node
_ON_THE_NODE: Final = {
    "HasValue": "The node is not {arg}.",
    "Equals": "The node is not the only value of {arg}, or not one of them.",
    "Disjoint": "The node is a value of its own {arg}.",
    "LessThan": "The node is not less than every value of its {arg}.",
    "LessThanOrEquals": "The node is not less than or equal to every value of its {arg}.",
}


def default_message(shapes: Shapes, shape: Node, component: Node) -> str:
    """The message of a result whose shape (or constraint) has no ``sh:message``."""
    local = str(component).rpartition("#")[2].removesuffix("ConstraintComponent")
    graph = shapes.graph
    path_node = graph.value(shape, SH.path)
    path = shown(shapes, path_node) if path_node is not None else "The node"
    if str(component).startswith(str(SH)) and local in _SENTENCES:
        parameter, sentence = _SENTENCES[local]
        if path_node is None:
            sentence = _ON_THE_NODE.get(local, sentence)
        args = sorted(graph.objects(shape, SH[parameter]), key=str)
        if local == "Pattern":
            flags = graph.value(shape, SH.flags)
            text = " and ".join(Literal(str(a)).n3() for a in args)
            arg = text + (f" (flags {flags})" if flags is not None else "")
        else:
            arg = " and ".join(_argument(shapes, parameter, a) for a in args)
        return sentence.format(arg=arg, path=path)
    if component == SH.SPARQLConstraintComponent:
        return f"The node breaks a SPARQL constraint of the shape {shapes.name(shape)}."
    return f"The value breaks the constraint component {shown(shapes, component)}."


def _argument(shapes: Shapes, parameter: str, arg: Node) -> str:
    if isinstance(arg, Literal) and parameter.endswith(("Count", "Length")):
        return str(arg)
    if parameter == "nodeKind":
        return (
            _NODE_KINDS[arg]
            if isinstance(arg, URIRef) and arg in _NODE_KINDS
            else shown(shapes, arg)
        )
    if parameter in ("in", "languageIn", "and", "or", "xone"):
        members = list(Collection(shapes.graph, arg)) if isinstance(arg, BNode) else [arg]
        quote = parameter == "languageIn"
        return "(" + " ".join(f'"{m}"' if quote else shown(shapes, m) for m in members) + ")"
    return shown(shapes, arg)


def shown(shapes: Shapes, node: Node) -> str:
    """A term for a person: a CURIE (il32rdf's prefixes or the shapes files'), ``<IRI>``, a
    literal as written, a path in SPARQL syntax, or the stable name of a blank-node shape."""
    if isinstance(node, Literal):
        return node.n3()
    if isinstance(node, URIRef):
        return shapes.short(node)
    if (node, SH.path, None) in shapes.graph or (node, SH.property, None) in shapes.graph:
        return shapes.term(node)
    try:
        text = shapes.sparql_path(node)
    except ShapesError:  # not a path: a blank-node shape or value
        return shapes.term(node)
    return re.sub(r"<([^>]*)>", lambda m: shapes.short(URIRef(m.group(1))), text)


_TEMPLATE: Final = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def fill(template: str, bound: Mapping[str, Node | None]) -> str:
    """A message template with ``{?var}`` / ``{$var}`` replaced by the terms bound to them (as
    pySHACL writes them: the IRI, or the literal's text); unbound ones are left as written."""

    def value(match: re.Match[str]) -> str:
        term = bound.get(match.group(1))
        return str(term) if term is not None else match.group(0)

    return _TEMPLATE.sub(value, template)
