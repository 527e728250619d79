"""The parts of running SPARQL that are the same on every engine: binding parameters as
``VALUES`` blocks, a time limit, one-line messages.

Parameters are bound as terms, never spliced into the query as user text. Oxigraph and a remote
store get them as one-row ``VALUES`` blocks built from the checked, escaped terms, placed first
in every group of the ``WHERE`` clause that uses the variable: a pre-binding (the value stands
for the variable throughout the query, as rdflib's ``initBindings`` do), written so that the
optimizer starts from the value, which is 100 to 1,000 times faster on a large graph than
Oxigraph's ``substitutions`` argument (measured with benchmarks/query_bench.py). A parameter
whose variable does not occur in the query is not bound on any engine.

The time limit is :mod:`~il32rdf.store.timelimit`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from il32rdf.errors import UsageError
from il32rdf.ntterms import NtTerm, literal_nt, term_parts

if TYPE_CHECKING:
    from rdflib.term import Identifier

__all__ = [
    "SPARQL_PARSER_LOCK",
    "bind_by_values",
    "keywords",
    "line_of",
    "occurs",
    "one_line",
    "query_form",
    "used_bindings",
]


SPARQL_PARSER_LOCK: Final = threading.Lock()
"""Hold this around any parse by rdflib's SPARQL parser. It is built on pyparsing, which is not
thread-safe: parses running at once in two threads corrupt its state, and every later parse in
the process fails (found by load-testing the server)."""


def used_bindings(
    text: str, bindings: Mapping[str, Identifier | NtTerm] | None
) -> dict[str, Identifier | NtTerm]:
    """The ``bindings`` whose variable occurs in the query ``text``."""
    return {name: term for name, term in (bindings or {}).items() if occurs(name, text)}


def occurs(name: str, text: str) -> bool:
    """Whether the variable ``name`` occurs in the query outside whole-line comments."""
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    pattern = rf"[?$]{re.escape(name)}(?![\w\u00b7\u0300-\u036f\u203f-\u2040])"
    return re.search(pattern, code) is not None


def one_line(message: str, limit: int = 200) -> str:
    """A parser message on one line, cut short if it lists every token it expected."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_of(text: str, number: int) -> str:
    lines = text.splitlines()
    return lines[number - 1].strip() if 0 < number <= len(lines) else ""


_IRIREF: Final = re.compile(r"<[^\x00-\x20<>\"{}|^`\\]*>")
_VARNAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WORD: Final = re.compile(r"[\w.-]+(:[\w.%:-]*)?")
_LANGTAG: Final = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")


_TOKEN: Final = re.compile(
    r"#[^\n]*"  # a comment
    r'|"""(?:[^\\]|\\.)*?"""'
    r"|'''(?:[^\\]|\\.)*?'''"  # long strings
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"  # strings
    r'|<[^\x00-\x20<>"{}|^`\\]*>'  # an IRI
    r"|[?$]\w+|[\w.-]*:[\w.%:-]*"  # a variable, a prefixed name
    r"|([A-Za-z_]\w*)",  # a word: a keyword, a function's name, true or false
    re.DOTALL,
)


def keywords(text: str) -> frozenset[str]:
    """The bare words of the query ``text`` in upper case (keywords such as ``SERVICE`` or
    ``FROM``), outside comments, strings, IRIs, variables and prefixed names: a lexical look
    that costs microseconds, where a parse costs milliseconds."""
    return frozenset(word.upper() for word in _TOKEN.findall(text) if word)


_FORMS: Final = frozenset(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the first of these keywords in the
    query ``text`` (``None``: none, not a query)."""
    for word in _TOKEN.findall(text):
        if word and word.upper() in _FORMS:
            return str(word.upper())
    return None


def _values_term(name: str, term: Identifier | NtTerm) -> str:
    """A parameter value in SPARQL syntax, refusing anything that could leave its place."""
    refused = UsageError(f"parameter {name!r}: {term!r} cannot be bound (use an IRI or a literal)")
    try:
        kind, value, language, datatype = term_parts(term)
    except TypeError:  # a variable, say
        raise refused from None
    if kind == "uri" and _IRIREF.fullmatch(f"<{value}>") and ":" in value:
        return f"<{value}>"
    if kind == "literal":
        if language and not _LANGTAG.fullmatch(language):
            raise UsageError(f"parameter {name!r}: bad language tag {language!r}")
        if datatype is not None and not _IRIREF.fullmatch(f"<{datatype}>"):
            raise UsageError(f"parameter {name!r}: bad datatype IRI {datatype!r}")
        return literal_nt(value, language=language, datatype=datatype)
    raise refused


def _values_block(bindings: Mapping[str, Identifier | NtTerm]) -> str:
    for name in bindings:
        if not _VARNAME.fullmatch(name):
            raise UsageError(f"{name!r} is not a SPARQL variable name")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(_values_term(name, term) for name, term in bindings.items())
    return f" VALUES ({names}) {{ ({values}) }} "


def _skip_lexeme(text: str, i: int) -> int | None:
    """The index just after the comment, string or IRI that starts at ``i``; ``None`` if none
    does. Braces and variables inside these are not the query's."""
    n, c = len(text), text[i]
    if c == "#":
        end = text.find("\n", i)
        return n if end < 0 else end + 1
    if c in "\"'":
        quote = c * 3 if text.startswith(c * 3, i) else c
        j = i + len(quote)
        while j < n and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    if c == "<":
        match = _IRIREF.match(text, i)
        return match.end() if match else i + 1
    return None


def _where_group(text: str) -> int | None:
    """The index of the ``{`` that opens the query's top-level WHERE group, if it has one.

    Skips comments, strings, IRIs, a CONSTRUCT template and braces inside parentheses (an
    ``EXISTS {}`` in a SELECT expression).
    """
    i, n = 0, len(text)
    form: str | None = None
    where_seen = False
    parens = 0
    while i < n:
        c = text[i]
        skipped = _skip_lexeme(text, i)
        if skipped is not None:
            i = skipped
            continue
        if c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            assert match is not None
            word = match[0].upper()  # a keyword, or a prefixed name (it has a colon)
            if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif word == "WHERE":
                where_seen = True
            i = match.end()
            continue
        if c in "?$":  # a variable: skip its name, which may look like a keyword
            match = _VARNAME.match(text, i + 1)
            i = match.end() if match else i + 1
            continue
        if c == "(":
            parens += 1
        elif c == ")":
            parens = max(0, parens - 1)
        elif c == "{":
            if parens == 0 and (where_seen or form in ("SELECT", "ASK", "DESCRIBE")):
                return i if form is not None else None
            i = _skip_braces(text, i)  # a CONSTRUCT template or an expression's group
            continue
        i += 1
    return None


def bind_by_values(text: str, bindings: Mapping[str, Identifier | NtTerm]) -> str | None:
    """``text`` with a one-row VALUES block first in every group that uses a bound variable.

    That is the pre-binding of the variable (what rdflib's ``initBindings`` does), written so
    that Oxigraph's optimizer sees the value. ``None`` when the query has no WHERE group.
    """
    start = _where_group(text)
    if start is None:
        return None
    groups: list[tuple[int, int]] = []
    uses: list[tuple[int, str]] = []
    stack: list[int] = []
    values_header = False
    i, n = start, len(text)
    while i < n:
        c = text[i]
        skipped = _skip_lexeme(text, i)
        if skipped is not None:
            i = skipped
            continue
        if c.isalpha() or c == "_":
            match = _WORD.match(text, i)
            assert match is not None
            values_header = values_header or match[0].upper() == "VALUES"
            i = match.end()
            continue
        if c in "?$":
            match = _VARNAME.match(text, i + 1)
            if match:
                if match[0] in bindings:
                    uses.append((i, match[0]))
                i = match.end()
                continue
        elif c == "{":
            if values_header:  # a VALUES data block, not a group
                values_header = False
                i = _skip_braces(text, i)
                continue
            stack.append(i)
        elif c == "}" and stack:
            groups.append((stack.pop(), i))
            if not stack:
                break
        i += 1
    inserts = []
    for begin, end in groups:
        names = sorted({name for at, name in uses if begin < at < end})
        if names:
            inserts.append((begin + 1, _values_block({k: bindings[k] for k in names})))
    for at, block in sorted(inserts, reverse=True):
        text = text[:at] + block + text[at:]
    return text


def _skip_braces(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i
