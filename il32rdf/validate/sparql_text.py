"""The SPARQL of a shapes graph, read as text: what SHACL forbids in it, what it selects, and its
variables renamed or replaced.

SHACL-SPARQL (section 5.2.1 of the SHACL spec) pre-binds ``$this`` (and a constraint
component's parameters, ``$value`` in an ASK validator) and so forbids, in every query of a
shapes graph, ``MINUS``, ``SERVICE``, ``VALUES``, ``AS ?var`` for a pre-bound variable, and
subqueries that do not return the pre-bound variables (``SELECT *`` included). Here a dataset
clause (``FROM``, ``FROM NAMED``) is refused too: the data graph is the only graph a constraint
sees, and rdflib would fetch a ``FROM`` IRI over the network. :func:`forbidden` finds these
before any query runs, on either engine.

The reading is token by token: strings, IRIs and comments are skipped, so ``ex:minus``,
``"SERVICE"`` or ``<http://ex/VALUES>`` are not mistaken for keywords.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

__all__ = [
    "Token",
    "expand",
    "for_pyshacl",
    "forbidden",
    "group_after",
    "projection",
    "prologue_and_body",
    "rename",
    "substitute",
    "tokens",
]

_TOKEN: Final = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+)
  | (?P<name>[A-Za-z_\u00c0-\ufffd][\w\-.\u00b7\u00c0-\ufffd]*(?::[\w\-.:%\\\u00b7\u00c0-\ufffd]*)?
        |:[\w\-.:%\\\u00b7\u00c0-\ufffd]*)
  | (?P<number>[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.*+/|^!=<>@?-])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One lexeme: ``kind`` is space, comment, string, iri, var, name, number or punct."""

    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        """The upper-cased text of a name without a colon (a possible keyword), else ''."""
        return self.text.upper() if self.kind == "name" and ":" not in self.text else ""

    @property
    def variable(self) -> str:
        """The variable's name without ``?`` or ``$``, else ''."""
        return self.text[1:] if self.kind == "var" else ""


def tokens(text: str) -> Iterator[Token]:
    """The lexemes of a SPARQL query; an unreadable character is a ``punct`` of its own."""
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            yield Token("punct", text[position], position)
            position += 1
            continue
        kind = match.lastgroup or "punct"
        yield Token(kind, match.group(), position)
        position = match.end()


def _code(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.kind not in ("space", "comment")]


def forbidden(text: str, prebound: Iterable[str] | None = ("this",)) -> str | None:
    """What SHACL (or il32rdf, for ``FROM``) forbids in this query, in words; None if nothing.

    ``prebound`` are the variables pre-bound when it runs (``this``, parameters, ``value``);
    None for a SPARQL target, where only ``SERVICE`` and ``FROM`` are refused (they would reach
    outside the data graph).
    """
    code = _code(text)
    target = prebound is None
    bound = set(prebound or ())
    for index, token in enumerate(code):
        word = token.keyword
        if word == "SERVICE" or (word in ("MINUS", "VALUES") and not target):
            what = {"SERVICE": "a federated query (SERVICE)"}.get(word, word)
            return f"it uses {what}, which SHACL forbids in its SPARQL queries"
        if word == "FROM":
            return "it names a dataset (FROM): a shape's query sees the data graph only"
        if word == "AS" and index + 1 < len(code) and code[index + 1].variable in bound:
            return (
                f"it assigns the pre-bound variable ?{code[index + 1].variable} (AS), which "
                "SHACL forbids"
            )
        if word == "SELECT" and not target and _in_group(code, index):
            selected = _selected(code, index)
            if selected is None:
                return "a subquery selects *, which does not return the pre-bound variables"
            missing = [v for v in ("this", "value") if v in bound and v not in selected]
            if missing:
                return f"a subquery does not return the pre-bound variable ?{missing[0]}"
    return None


def _in_group(code: list[Token], index: int) -> bool:
    """Whether the token at ``index`` is inside braces (a subquery, not the query itself)."""
    depth = 0
    for token in code[:index]:
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
    return depth > 0


def _selected(code: list[Token], index: int) -> set[str] | None:
    """The variables the SELECT at ``index`` returns (None for ``*``)."""
    names: set[str] = set()
    depth = 0
    previous = ""
    for token in code[index + 1 :]:
        if token.text == "{" or (depth == 0 and token.keyword in ("WHERE", "FROM")):
            break
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.text == "*" and depth == 0:
            return None
        elif token.kind == "var" and (depth == 0 or previous == "AS"):
            names.add(token.variable)
        previous = token.keyword
    return names


def projection(text: str) -> tuple[str, ...] | None:
    """The variables the query's own SELECT returns, in order (None for ``SELECT *``).

    :raises ValueError: the text has no SELECT.
    """
    code = _code(text)
    for index, token in enumerate(code):
        if token.keyword == "SELECT":
            selected = _selected(code, index)
            if selected is None:
                return None
            order = [t.variable for t in code[index + 1 :] if t.kind == "var"]
            return tuple(dict.fromkeys(v for v in order if v in selected))
    raise ValueError("not a SELECT query")


def rename(text: str, names: dict[str, str], *, constants: dict[str, str] | None = None) -> str:
    """The query with variables renamed (``names``: old name -> new name, both without ``?``)
    and others replaced by SPARQL text (``constants``: name -> text, e.g. a path for ``PATH``).
    Strings, IRIs and comments are left as they are."""
    constants = constants or {}
    out: list[str] = []
    for token in tokens(text):
        name = token.variable
        if name in constants:
            out.append(constants[name])
        elif name in names:
            out.append("?" + names[name])
        else:
            out.append(token.text)
    return "".join(out)


def substitute(text: str, constants: dict[str, str]) -> str:
    """The query with variables replaced by constants (``constants``: name -> SPARQL text): in
    a SELECT clause ``?v`` becomes ``(text AS ?v)``, elsewhere the text itself."""
    out: list[str] = []
    projecting, depth = False, 0
    for token in tokens(text):
        word = token.keyword
        if word == "SELECT":
            projecting, depth = True, 0
        elif projecting and (token.text == "{" or (depth == 0 and word in ("WHERE", "FROM"))):
            projecting = False
        elif projecting and token.text in ("(", ")"):
            depth += 1 if token.text == "(" else -1
        name = token.variable
        if name in constants:
            value = constants[name]
            out.append(f"({value} AS ?{name})" if projecting and depth == 0 else value)
        else:
            out.append(token.text)
    return "".join(out)


_PYSHACL_ALARMS: Final = ("MINUS", "VALUES", "SERVICE")


def for_pyshacl(text: str) -> tuple[str, dict[str, str]]:
    """The query written so that pySHACL's own checks (regular expressions over the text) do
    not take a string, an IRI, a comment or a variable for a ``MINUS``, ``VALUES`` or
    ``SERVICE`` clause: comments dropped, the word's last letter escaped in strings and IRIs
    (``SERVIC\u0045``), such a variable renamed. Returns the text and the renamed variables
    (old name -> new name), for the messages that name them."""
    renamed: dict[str, str] = {}
    out: list[str] = []
    for token in tokens(text):
        if token.kind == "comment":
            out.append(" ")
        elif token.kind in ("string", "iri"):
            out.append(_escape_alarms(token.text))
        elif token.kind == "var" and token.variable.upper() in _PYSHACL_ALARMS:
            renamed[token.variable] = token.variable + "_"
            out.append(token.text[0] + renamed[token.variable])
        else:
            out.append(token.text)
    return "".join(out), renamed


def _escape_alarms(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        word = match.group(0)
        return f"{word[:-1]}\\u{ord(word[-1]):04X}"

    return re.sub("|".join(_PYSHACL_ALARMS), escape, text, flags=re.IGNORECASE)


def prologue_and_body(text: str) -> tuple[str, str]:
    """The query's own PREFIX / BASE declarations, and the rest of it."""
    code = _code(text)
    end, index = 0, 0
    while index < len(code) and code[index].keyword in ("PREFIX", "BASE"):
        index += 1
        while index < len(code) and code[index].kind != "iri":
            index += 1
        if index < len(code):
            end = code[index].start + len(code[index].text)
        index += 1
    return text[:end], text[end:]


def expand(text: str, prefixes: dict[str, str]) -> str:
    """The query with every prefixed name written as a full ``<IRI>`` and its own PREFIX
    declarations folded into ``prefixes`` and dropped, so that it can be embedded in another
    query whatever prefixes that one declares.

    :raises ValueError: a prefix is not declared, or the query declares a BASE.
    """
    prologue, body = prologue_and_body(text)
    known = dict(prefixes)
    code = _code(prologue)
    for index, token in enumerate(code):
        if token.keyword == "BASE":
            raise ValueError("a query with its own BASE")
        if token.keyword == "PREFIX" and index + 2 < len(code):
            known[code[index + 1].text.rstrip(":")] = code[index + 2].text[1:-1]
    out: list[str] = []
    for token in tokens(body):
        if token.kind == "name" and ":" in token.text and not token.text.startswith("_:"):
            prefix, _, local = token.text.partition(":")
            if prefix not in known:
                raise ValueError(f"undeclared prefix {prefix}:")
            local = re.sub(r"\\(.)", r"\1", local)
            out.append(f"<{known[prefix]}{local}>")
        elif token.kind == "iri" and token.text != "<>" and ":" not in token.text:
            raise ValueError(f"a relative IRI {token.text}")
        else:
            out.append(token.text)
    return "".join(out)


def group_after(text: str, keyword: str) -> str:
    """The ``{ ... }`` group that follows the first ``keyword`` (e.g. the body of an ASK).

    :raises ValueError: there is no such group.
    """
    code = _code(text)
    start = next((i for i, t in enumerate(code) if t.keyword == keyword), None)
    if start is None:
        raise ValueError(f"no {keyword}")
    depth = 0
    first = None
    for token in code[start + 1 :]:
        if token.text == "{":
            if first is None:
                first = token.start
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0 and first is not None:
                return text[first : token.start + 1]
    raise ValueError(f"no group after {keyword}")
