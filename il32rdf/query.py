"""Named competency queries and free SPARQL, with bound parameters, on any store.

The named queries are the ``.rq`` files shipped in ``il32rdf/queries/``. Each starts with a
header of comment lines that this module reads::

    # title: Secretions
    # question: Which cell types does the cytokine induce to secrete which molecules, ...?
    # param: cytokine (iri) = uniprot:P10145 — the cytokine, as an IRI or CURIE
    # answer: what one row means

A parameter has a kind: ``iri`` (an IRI or a CURIE; anything else is refused), ``term`` (an IRI
or CURIE if it reads as one, otherwise a plain literal, e.g. a label such as ``IL-8``) or
``literal``. The default is data in the header, never in code. Values are *bound* to the
query's variable of the same name (rdflib ``initBindings``, a ``VALUES`` block elsewhere), never
written into the query text, and an IRI is checked against the SPARQL ``IRIREF`` rules first, so
``uniprot:P10145> } ; DROP ALL #`` is refused with a message.

>>> import il32rdf
>>> answer = query(il32rdf.load(), "chemokines")
>>> sorted(str(m) for m in answer.column("molecule"))
['http://purl.uniprot.org/uniprot/P10145', 'http://purl.uniprot.org/uniprot/P10889']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from il32rdf.errors import InputError, UsageError
from il32rdf.ntterms import NtTerm, literal_nt
from il32rdf.prefixes import expand_curie
from il32rdf.results import QueryResult
from il32rdf.store import Engine, Store, as_store

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Identifier

__all__ = [
    "QUERY_DIR",
    "NamedQuery",
    "Parameter",
    "answer_all",
    "bind_parameters",
    "named_queries",
    "parse_query_text",
    "query",
    "read_query_file",
]

QUERY_DIR: Final = Path(__file__).resolve().parent / "queries"
"""Where the named ``.rq`` files are (inside the package, so they ship in the wheel)."""

ParameterKind = Literal["iri", "term", "literal"]


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a query: its name, kind, default (as written) and meaning."""

    name: str
    kind: ParameterKind
    default: str | None
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query with its header: name (the file stem), title, question, parameters and text."""

    name: str
    title: str
    question: str
    answer: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path | None = None

    def parameter(self, name: str) -> Parameter | None:
        """The declared parameter ``name``, if there is one."""
        return next((p for p in self.parameters if p.name == name), None)


_HEADER: Final = re.compile(r"#\s*(title|question|answer|param|note)\s*:\s*(.*)")
_PARAM: Final = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s*(?:\((?P<kind>iri|term|literal)\))?\s*"
    r"(?:=\s*(?P<default>.*?))?\s*(?:(?:—|--)\s*(?P<description>.*))?"
)
_NAME: Final = re.compile(r"[a-z][a-z0-9-]*")
# SPARQL 1.1 IRIREF: no spaces, controls or <>"{}|^`\ ; plus a scheme, so it is absolute.
_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")


def parse_query_text(text: str, *, name: str = "query", path: Path | None = None) -> NamedQuery:
    """Read the header comments of a query (title, question, answer, params) and keep its text.

    A query without a header is valid: its title is its name, and it declares no parameters.

    :raises InputError: a ``# param:`` line cannot be read.
    """
    fields: dict[str, str] = {}
    parameters: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.fullmatch(stripped)
        if match is None:
            continue
        key, value = match[1], match[2].strip()
        if key == "param":
            found = _PARAM.fullmatch(value)
            if found is None:
                raise InputError(
                    "cannot read the parameter line; write it as"
                    " '# param: NAME (iri|term|literal) = DEFAULT — DESCRIPTION'",
                    path=path,
                    line=number,
                )
            kind: ParameterKind = found["kind"] or "iri"  # type: ignore[assignment]
            default = found["default"] or None
            parameters.append(Parameter(found["name"], kind, default, found["description"] or ""))
        else:
            fields[key] = f"{fields[key]} {value}" if key in fields else value
    return NamedQuery(
        name=name,
        title=fields.get("title", name),
        question=fields.get("question", ""),
        answer=fields.get("answer", ""),
        parameters=tuple(parameters),
        text=text,
        path=path,
    )


def read_query_file(path: Path | str) -> NamedQuery:
    """Read a ``.rq`` file (its header is read as for a named query).

    :raises InputError: the file is missing or unreadable, or its header is malformed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such query file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the query: {exc}", path=path) from None
    return parse_query_text(text, name=path.stem, path=path)


def named_queries() -> Mapping[str, NamedQuery]:
    """The named queries shipped with the package, by name, sorted.

    :raises InputError: a shipped file has a malformed header (a packaging bug).
    """
    found = {p.stem: read_query_file(p) for p in sorted(QUERY_DIR.glob("*.rq"))}
    return MappingProxyType(found)


def _resolve(name_or_text: str | Path | NamedQuery) -> NamedQuery:
    if isinstance(name_or_text, NamedQuery):
        return name_or_text
    if isinstance(name_or_text, Path):
        return read_query_file(name_or_text)
    candidate = name_or_text.strip()
    if _NAME.fullmatch(candidate):
        queries = named_queries()
        if candidate not in queries:
            raise UsageError(
                f"no named query {candidate!r}; the named queries are: {', '.join(queries)}"
            )
        return queries[candidate]
    if candidate.endswith(".rq") and "\n" not in candidate and Path(candidate).is_file():
        return read_query_file(candidate)
    return parse_query_text(name_or_text)


def _variables(text: str) -> list[str]:
    names = re.findall(r"[?$]([A-Za-z_][A-Za-z0-9_]*)", _strip_comments(text))
    return sorted(set(names))


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _to_term(parameter: Parameter, value: str | Identifier) -> Identifier | NtTerm:
    """The term to bind: an rdflib term as given, text as an :class:`~il32rdf.ntterms.NtTerm`
    (so that no rdflib term is made for an engine that needs none)."""
    if isinstance(value, NtTerm):
        if parameter.kind == "iri" and not value.startswith("<"):
            raise UsageError(f"parameter {parameter.name!r} takes an IRI, not {value}")
        return value
    if type(value) is not str:
        from rdflib import URIRef  # the value is rdflib's: rdflib is loaded

        if isinstance(value, URIRef):
            _check_iri(parameter.name, str(value))
        if parameter.kind == "iri" and not isinstance(value, URIRef):
            raise UsageError(f"parameter {parameter.name!r} takes an IRI, not {value!r}")
        return value  # type: ignore[return-value]
    if parameter.kind == "literal":
        return NtTerm(literal_nt(value))
    text = value.strip()
    try:
        iri = _expand(text)
    except UsageError:
        if parameter.kind == "term":
            return NtTerm(literal_nt(text))
        raise UsageError(
            f"parameter {parameter.name!r} takes an IRI (http://...) or a CURIE with a known"
            f" prefix (e.g. uniprot:P10145), not {value!r}"
        ) from None
    _check_iri(parameter.name, iri)
    return NtTerm(f"<{iri}>")


def _expand(text: str) -> str:
    """An IRI as text: ``<...>`` and ``scheme:...`` kept, a CURIE expanded (checked later)."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if text.startswith(("http://", "https://", "urn:")):
        return text
    return expand_curie(text)


def _check_iri(name: str, iri: str) -> None:
    if _IRI.fullmatch(iri) is None:
        bad = sorted({c for c in iri if c in '<>"{}|^`\\' or ord(c) <= 0x20})
        shown = " ".join(repr(c) for c in bad) if bad else "no scheme"
        raise UsageError(
            f"parameter {name!r}: {iri!r} is not a valid IRI ({shown}); an IRI cannot hold"
            ' spaces or any of <>"{}|^`\\'
        )


def bind_parameters(
    named: NamedQuery, params: Mapping[str, str | Identifier]
) -> dict[str, Identifier | NtTerm]:
    """The terms to bind: the defaults of ``named``, overridden by ``params``; text becomes an
    N-Triples term string (:class:`~il32rdf.ntterms.NtTerm`), an rdflib term stays as given.

    A query that declares parameters accepts only those; one that declares none accepts any
    variable it uses (values read as ``term``: an IRI or CURIE if they read as one).

    :raises UsageError: an unknown parameter (the message lists the valid ones), a value that
        is not a valid IRI, or a parameter without a value.
    """
    declared = {p.name: p for p in named.parameters}
    if not declared:
        declared = {v: Parameter(v, "term", None, "") for v in _variables(named.text)}
    for key in params:
        if key not in declared:
            valid = ", ".join(declared) or "none"
            raise UsageError(
                f"unknown parameter {key!r} for query {named.name!r}; valid parameters: {valid}"
            )
    bound: dict[str, Identifier | NtTerm] = {}
    for name, parameter in declared.items():
        if name in params:
            bound[name] = _to_term(parameter, params[name])
        elif parameter.default is not None:
            bound[name] = _to_term(parameter, parameter.default)
    return bound


Source: TypeAlias = "Graph | Store"
"""What a query runs on: an rdflib Graph or Dataset, or any :class:`~il32rdf.store.Store`
(Oxigraph, a remote SPARQL store)."""


def query(
    graph_or_store: Source,
    name_or_text: str | Path | NamedQuery,
    *,
    engine: Engine | str | None = None,
    timeout: float | None = None,
    **params: str | Identifier,
) -> QueryResult:
    """Answer a named query (``"secretions"``), a ``.rq`` file, or SPARQL text.

    ``params`` are bound to the query's variables of the same names (CURIEs are expanded; the
    declared defaults fill in the rest). A store answers by its own engine; an rdflib graph by
    rdflib, or by Oxigraph (a copy) with ``engine="oxigraph"``.

    >>> import il32rdf
    >>> dataset = il32rdf.load()
    >>> [str(r[3]) for r in query(dataset, "lineage")]
    ['monocyte', 'monocyte']

    :raises UsageError: unknown query name, engine or parameter, or an invalid IRI value.
    :raises InputError: a query file is missing or its header is malformed.
    :raises QueryError: the SPARQL is malformed (with line and column) or fails.
    :raises QueryTimeoutError: the query ran longer than ``timeout`` seconds.
    """
    named = _resolve(name_or_text)
    bindings = bind_parameters(named, params)
    return as_store(graph_or_store, engine).query(named.text, bindings, timeout=timeout)


def answer_all(
    graph_or_store: Source,
    *,
    engine: Engine | str | None = None,
    timeout: float | None = None,
    **params: str | Identifier,
) -> dict[str, QueryResult]:
    """Answer every named query, by name; each gets the ``params`` it declares (e.g. ``cytokine``).

    An rdflib graph is copied into Oxigraph once when ``engine="oxigraph"``.

    :raises UsageError: a parameter no named query declares, or an invalid value.
    :raises QueryError: a query fails.
    :raises QueryTimeoutError: a query runs out of time.
    """
    queries = named_queries()
    declared = {p.name for q in queries.values() for p in q.parameters}
    unknown = sorted(set(params) - declared)
    if unknown:
        raise UsageError(
            f"no named query takes {', '.join(unknown)}; parameters: {', '.join(sorted(declared))}"
        )
    source = as_store(graph_or_store, engine)
    return {
        name: query(
            source,
            named,
            timeout=timeout,
            **{k: v for k, v in params.items() if named.parameter(k) is not None},
        )
        for name, named in queries.items()
    }
