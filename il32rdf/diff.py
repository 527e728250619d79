"""What changed between two releases, at the level a curator thinks in: claims and terms.

Claims are matched by IRI. A claim present only in the new release is *added*, only in the old
*removed*; a claim whose polarity flipped is reported under *polarity*; any other difference of
statement (subject, predicate, object), evidence, source or context (cell type, cell line,
species, molecule produced, agents present or absent) is a *change*, field by field. Terms are
the classes and properties the ontology declares: *created*, *removed*, *obsoleted*
(``owl:deprecated true``) or *relabelled*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from il32rdf.claims import Claim, label_of, read_claims
from il32rdf.vocab import compress_iri

__all__ = ["ClaimChange", "ReleaseDiff", "diff_releases"]

_TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_FIELDS = (
    ("subject", "subject"),
    ("predicate", "predicate"),
    ("object", "object"),
    ("evidence", "evidence"),
    ("sources", "source"),
    ("cell_type", "cell type"),
    ("cell_line", "cell line"),
    ("taxon", "species"),
    ("produced_molecule", "molecule produced"),
    ("in_presence_of", "in presence of"),
    ("in_absence_of", "in absence of"),
)


def _short(term: Node | None) -> str:
    if term is None:
        return "(none)"
    if isinstance(term, Literal):
        return json.dumps(str(term), ensure_ascii=False)
    return compress_iri(str(term)) or f"<{term}>"


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(_short(v) for v in value) or "(none)"
    return _short(value if isinstance(value, Node) else None)


@dataclass(frozen=True)
class ClaimChange:
    """A claim present in both releases whose fields differ: (field, old, new) per difference."""

    iri: URIRef
    label: str
    fields: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class TermEntry:
    iri: URIRef
    label: str
    detail: str = ""


@dataclass
class ReleaseDiff:
    """The differences between an old and a new release; empty when they say the same."""

    claims_added: list[Claim] = field(default_factory=list)
    claims_removed: list[Claim] = field(default_factory=list)
    polarity_changed: list[tuple[Claim, Claim]] = field(default_factory=list)
    claims_changed: list[ClaimChange] = field(default_factory=list)
    terms_created: list[TermEntry] = field(default_factory=list)
    terms_removed: list[TermEntry] = field(default_factory=list)
    terms_obsoleted: list[TermEntry] = field(default_factory=list)
    terms_relabelled: list[TermEntry] = field(default_factory=list)
    labels: dict[URIRef, str] = field(default_factory=dict)
    """Labels of the terms the claims mention, from both releases (the new one wins)."""

    def __bool__(self) -> bool:
        return any(
            (
                self.claims_added,
                self.claims_removed,
                self.polarity_changed,
                self.claims_changed,
                self.terms_created,
                self.terms_removed,
                self.terms_obsoleted,
                self.terms_relabelled,
            )
        )

    def counts(self) -> dict[str, int]:
        """How many of each kind of change."""
        return {
            "claims added": len(self.claims_added),
            "claims removed": len(self.claims_removed),
            "polarity changed": len(self.polarity_changed),
            "claims changed": len(self.claims_changed),
            "terms created": len(self.terms_created),
            "terms removed": len(self.terms_removed),
            "terms obsoleted": len(self.terms_obsoleted),
            "terms relabelled": len(self.terms_relabelled),
        }

    def summary(self) -> str:
        """One line: the non-zero counts, or "no differences"."""
        parts = [
            f"{n} {kind.replace('claims', 'claim').replace('terms', 'term') if n == 1 else kind}"
            for kind, n in self.counts().items()
            if n
        ]
        return ", ".join(parts) if parts else "no differences"

    def _lines(self) -> list[tuple[str, list[str]]]:
        def named(term: Node) -> str:
            label = self.labels.get(term) if isinstance(term, URIRef) else None
            return f'{_short(term)} "{label}"' if label else _short(term)

        def statement(c: Claim) -> str:
            return f"{named(c.subject)} {named(c.predicate)} {named(c.object)}"

        def polarity(c: Claim) -> str:
            return "negated" if c.negated else "asserted"

        def claim_line(c: Claim) -> str:
            sources = ", ".join(_short(s) for s in c.sources) or "no source"
            return f'{_short(c.iri)} "{c.label}" ({statement(c)}; {polarity(c)}; {sources})'

        return [
            ("Claims added", [claim_line(c) for c in self.claims_added]),
            ("Claims removed", [claim_line(c) for c in self.claims_removed]),
            (
                "Polarity changed",
                [
                    f'{_short(new.iri)} "{new.label}": {polarity(old)} -> {polarity(new)}'
                    for old, new in self.polarity_changed
                ],
            ),
            (
                "Claims changed",
                [
                    f'{_short(c.iri)} "{c.label}": '
                    + "; ".join(f"{name} {old} -> {new}" for name, old, new in c.fields)
                    for c in self.claims_changed
                ],
            ),
            ("Terms created", [f'{_short(t.iri)} "{t.label}"' for t in self.terms_created]),
            ("Terms removed", [f'{_short(t.iri)} "{t.label}"' for t in self.terms_removed]),
            ("Terms obsoleted", [f'{_short(t.iri)} "{t.label}"' for t in self.terms_obsoleted]),
            (
                "Terms relabelled",
                [f"{_short(t.iri)}: {t.detail}" for t in self.terms_relabelled],
            ),
        ]

    def to_text(self) -> str:
        """Plain text: a summary line, then one section per kind of change."""
        out = [f"release diff: {self.summary()}"]
        for title, lines in self._lines():
            if lines:
                out.append("")
                out.append(title)
                out.extend(f"  {line}" for line in lines)
        return "\n".join(out) + "\n"

    def to_markdown(self) -> str:
        """Markdown for a pull request or release notes."""
        out = ["## Release diff", "", f"**{self.summary()}**"]
        for title, lines in self._lines():
            if lines:
                out += ["", f"### {title}", ""]
                out += [f"- {line}" for line in lines]
        return "\n".join(out) + "\n"

    def to_json(self) -> str:
        """JSON with the counts and every entry by IRI."""

        def claim(c: Claim) -> dict[str, Any]:
            return {"iri": str(c.iri), "label": c.label, "negated": c.negated}

        def term(t: TermEntry) -> dict[str, Any]:
            return {"iri": str(t.iri), "label": t.label, "detail": t.detail}

        document = {
            "counts": self.counts(),
            "claims_added": [claim(c) for c in self.claims_added],
            "claims_removed": [claim(c) for c in self.claims_removed],
            "polarity_changed": [
                {
                    "iri": str(n.iri),
                    "label": n.label,
                    "old_negated": o.negated,
                    "negated": n.negated,
                }
                for o, n in self.polarity_changed
            ],
            "claims_changed": [
                {
                    "iri": str(c.iri),
                    "label": c.label,
                    "fields": [{"field": f, "old": o, "new": n} for f, o, n in c.fields],
                }
                for c in self.claims_changed
            ],
            "terms_created": [term(t) for t in self.terms_created],
            "terms_removed": [term(t) for t in self.terms_removed],
            "terms_obsoleted": [term(t) for t in self.terms_obsoleted],
            "terms_relabelled": [term(t) for t in self.terms_relabelled],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _terms(graph: Graph) -> dict[URIRef, str]:
    terms: dict[URIRef, str] = {}
    for kind in _TERM_TYPES:
        for term in graph.subjects(RDF.type, kind):
            if isinstance(term, URIRef):
                terms[term] = label_of(graph, term)
    return terms


def _deprecated(graph: Graph, term: URIRef) -> bool:
    return any(v == Literal(True) for v in graph.objects(term, OWL.deprecated))


def diff_releases(old: Graph, new: Graph) -> ReleaseDiff:
    """Compare two releases (each the union of ontology, facts and inferred graphs)."""
    result = ReleaseDiff()
    for graph in (old, new):
        for term, label in graph.subject_objects(RDFS.label):
            if isinstance(term, URIRef):
                result.labels[term] = str(label)
    old_claims = {c.iri: c for c in read_claims(old)}
    new_claims = {c.iri: c for c in read_claims(new)}
    for iri in sorted(new_claims.keys() - old_claims.keys()):
        result.claims_added.append(new_claims[iri])
    for iri in sorted(old_claims.keys() - new_claims.keys()):
        result.claims_removed.append(old_claims[iri])
    for iri in sorted(old_claims.keys() & new_claims.keys()):
        before, after = old_claims[iri], new_claims[iri]
        if before.negated != after.negated:
            result.polarity_changed.append((before, after))
        changes = tuple(
            (name, _show(getattr(before, attr)), _show(getattr(after, attr)))
            for attr, name in _FIELDS
            if getattr(before, attr) != getattr(after, attr)
        )
        if changes:
            result.claims_changed.append(ClaimChange(iri, after.label, changes))
    old_terms, new_terms = _terms(old), _terms(new)
    for iri in sorted(new_terms.keys() - old_terms.keys()):
        result.terms_created.append(TermEntry(iri, new_terms[iri]))
    for iri in sorted(old_terms.keys() - new_terms.keys()):
        result.terms_removed.append(TermEntry(iri, old_terms[iri]))
    for iri in sorted(old_terms.keys() & new_terms.keys()):
        if _deprecated(new, iri) and not _deprecated(old, iri):
            result.terms_obsoleted.append(TermEntry(iri, new_terms[iri]))
        if old_terms[iri] != new_terms[iri]:
            detail = f'"{old_terms[iri]}" -> "{new_terms[iri]}"'
            result.terms_relabelled.append(TermEntry(iri, new_terms[iri], detail))
    return result
