"""Pictures generated from the RDF: a cytokine's causal graph and the cell lineage.

The causal graph shows, for one cytokine, the cell types it acts on and the molecules they
release (cytokine → cell type → molecule), and the processes it affects, grouped by the cell type
of the claim, with the agents present or left out in the label; a negated claim is drawn as a
dashed red edge labelled "NOT ...". A claim that is an author statement (ECO:0000204 or below)
says whose statement it is ("per ..."), and a dotted edge joins a pathway or structure to the
effect a source explains by it: a positive claim about two claims with the relation
``il32:mechanismOf``, labelled with that claim's source.
The lineage graph shows which cell types develop from which (``RO:0002202`` axioms and claims).

Each picture is Graphviz DOT (rendered to SVG and PNG by the ``dot`` program) and Mermaid text for
Markdown. Everything is sorted, so the same graph gives the same text.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef

from il32rdf.claims import Claim, label_of, read_claims
from il32rdf.errors import ExportError, UsageError
from il32rdf.files import write_atomic
from il32rdf.vocab import IL32, OBO, OBO_IN_OWL, PROTEIN, compress_iri

__all__ = [
    "Diagram",
    "causal_diagram",
    "cytokines_with_claims",
    "lineage_diagram",
    "pictures",
    "render",
]

_BIOLOGICAL_PROCESS = OBO.GO_0008150
_DEVELOPS_FROM = OBO.RO_0002202
_AUTHOR_STATEMENT = OBO.ECO_0000204


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    negated: bool = False
    mechanism: bool = False  # drawn dotted: "by acting on this, the cytokine brings about that"


@dataclass(frozen=True)
class Diagram:
    """A picture as nodes (id → label, shape, group) and edges, ready to write as DOT or Mermaid."""

    name: str
    title: str
    nodes: dict[str, tuple[str, str, str]]  # id -> (label, shape, group label or "")
    edges: tuple[Edge, ...]

    def dot(self) -> str:
        """Graphviz DOT text."""
        lines = [
            f"digraph {_dot_id(self.name)} {{",
            "  rankdir=LR;",
            f"  label={_quote(self.title)}; labelloc=t; fontname=Helvetica;",
            "  node [fontname=Helvetica, style=filled, fillcolor=white];",
            "  edge [fontname=Helvetica, fontsize=10];",
        ]
        groups = sorted({group for _, _, group in self.nodes.values() if group})
        for index, group in enumerate(groups):
            lines.append(f"  subgraph cluster_{index} {{")
            lines.append(f"    label={_quote(group)}; style=rounded; color=grey60;")
            for node_id, (label, shape, node_group) in sorted(self.nodes.items()):
                if node_group == group:
                    lines.append(f"    {node_id} [label={_quote(label)}, shape={shape}];")
            lines.append("  }")
        for node_id, (label, shape, node_group) in sorted(self.nodes.items()):
            if not node_group:
                lines.append(f"  {node_id} [label={_quote(label)}, shape={shape}];")
        for edge in self.edges:
            style = ', style=dashed, color="#c0392b", fontcolor="#c0392b"' if edge.negated else ""
            if edge.mechanism:
                style = ', style=dotted, color="#5f6b76", fontcolor="#5f6b76"'
            lines.append(f"  {edge.source} -> {edge.target} [label={_quote(edge.label)}{style}];")
        lines.append("}")
        return "\n".join(lines) + "\n"

    def mermaid(self) -> str:
        """Mermaid flowchart text, for a README or a pull request."""
        lines = ["flowchart LR", f"  %% {self.title}"]
        for node_id, (label, shape, _) in sorted(self.nodes.items()):
            text = _mermaid_text(label)
            lines.append(
                f'  {node_id}(["{text}"])' if shape == "ellipse" else f'  {node_id}["{text}"]'
            )
        for edge in self.edges:
            arrow = "-.->" if edge.negated or edge.mechanism else "-->"
            lines.append(f"  {edge.source} {arrow}|{_mermaid_text(edge.label)}| {edge.target}")
        return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("|", "#124;").replace("\n", "<br/>")


def _dot_id(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)


def _node_id(term: URIRef) -> str:
    return "n_" + _dot_id(compress_iri(str(term)) or str(term))


def _is_process(graph: Graph, term: object) -> bool:
    if not isinstance(term, URIRef):
        return False
    return _BIOLOGICAL_PROCESS in set(graph.transitive_objects(term, RDFS.subClassOf))


def _protein_label(graph: Graph, protein: URIRef) -> str:
    symbol = graph.value(protein, IL32.geneSymbol)
    label = label_of(graph, protein)
    return f"{symbol}\n{label}" if symbol is not None else label


def cytokines_with_claims(graph: Graph) -> list[URIRef]:
    """Every protein that is the subject of a claim about a process, sorted: the default set of
    causal diagrams (no cytokine is named in code)."""
    subjects = {
        c.subject
        for c in read_claims(graph)
        if c.produced_molecule is not None or _is_process(graph, c.object)
    }
    return sorted(s for s in subjects if (s, RDF.type, PROTEIN) in graph)


def causal_diagram(graph: Graph, cytokine: URIRef) -> Diagram:
    """The causal graph of ``cytokine``.

    :raises UsageError: no claim about a process has ``cytokine`` as its subject.
    """
    claims = [c for c in read_claims(graph) if c.subject == cytokine]
    claims = [c for c in claims if c.produced_molecule is not None or _is_process(graph, c.object)]
    if not claims or (cytokine, RDF.type, PROTEIN) not in graph:
        known = ", ".join(compress_iri(str(c)) or str(c) for c in cytokines_with_claims(graph))
        raise UsageError(
            f"{compress_iri(str(cytokine)) or cytokine} is not a protein with claims about"
            " processes;"
            f" cytokines with claims: {known or 'none'}"
        )
    center = _node_id(cytokine)
    nodes: dict[str, tuple[str, str, str]] = {center: (_protein_label(graph, cytokine), "box", "")}
    edges: set[Edge] = set()
    for claim in claims:
        relation = label_of(graph, claim.predicate) + _qualifiers(graph, claim)
        relation = f"NOT {relation}" if claim.negated else relation
        if claim.produced_molecule is not None and claim.cell_type is not None:
            cell = _node_id(claim.cell_type)
            species = label_of(graph, claim.taxon) if claim.taxon is not None else ""
            nodes[cell] = (label_of(graph, claim.cell_type), "ellipse", "")
            molecule = _node_id(claim.produced_molecule)
            nodes[molecule] = (_protein_label(graph, claim.produced_molecule), "box", "")
            edges.add(
                Edge(center, cell, "NOT induces" if claim.negated else "induces", claim.negated)
            )
            secretes = f"secretes ({species})" if species else "secretes"
            edges.add(
                Edge(
                    cell, molecule, f"NOT {secretes}" if claim.negated else secretes, claim.negated
                )
            )
        elif isinstance(claim.object, URIRef):
            group = f"in {label_of(graph, claim.cell_type)}" if claim.cell_type is not None else ""
            target = _node_id(claim.object)
            nodes[target] = (label_of(graph, claim.object), "box", group)
            edges.add(Edge(center, target, relation, claim.negated))
    by_iri = {c.iri: c for c in claims}
    for link in read_claims(graph):
        cause, effect = by_iri.get(link.subject), by_iri.get(link.object)  # type: ignore[arg-type]
        if (
            link.predicate != IL32.mechanismOf
            or link.negated
            or cause is None
            or effect is None
            or not isinstance(cause.object, URIRef)
            or not isinstance(effect.object, URIRef)
        ):
            continue
        what = "mechanism of the NOT" if effect.negated else "mechanism of"
        edges.add(
            Edge(
                _node_id(cause.object),
                _node_id(effect.object),
                f"{what}{_per(graph, link)}",
                mechanism=True,
            )
        )
    title = f"What {label_of(graph, cytokine)} does, by claim"
    name = str(graph.value(cytokine, IL32.geneSymbol) or compress_iri(str(cytokine)) or "cytokine")
    return Diagram(f"{_dot_id(name)}-causal", title, nodes, tuple(sorted(edges, key=_edge_key)))


def _qualifiers(graph: Graph, claim: Claim) -> str:
    """What scopes the claim beyond its cell type: agents present or left out, whose statement."""
    parts = [f"with {_short_name(graph, a)}" for a in claim.in_presence_of]
    parts += [f"without {_short_name(graph, a)}" for a in claim.in_absence_of]
    text = f" ({', '.join(parts)})" if parts else ""
    return text + _per(graph, claim)


def _per(graph: Graph, claim: Claim) -> str:
    """ ", per SOURCE" for an author statement: the edge is that source's reading."""
    statement = any(
        _AUTHOR_STATEMENT in set(graph.transitive_objects(e, RDFS.subClassOf))
        for e in claim.evidence
    )
    if not statement or not claim.sources:
        return ""
    return ", per " + "; ".join(label_of(graph, s) for s in claim.sources)


def _short_name(graph: Graph, term: URIRef) -> str:
    """A protein's short name (its shortest exact synonym, e.g. RANKL), else its label."""
    synonyms = sorted(
        (len(str(s)), str(s)) for s in graph.objects(term, OBO_IN_OWL.hasExactSynonym)
    )
    return synonyms[0][1] if synonyms else label_of(graph, term)


def _edge_key(edge: Edge) -> tuple[str, str, str]:
    return (edge.source, edge.target, edge.label)


def _develops_from_pairs(graph: Graph, claims: Iterable[Claim]) -> set[tuple[URIRef, URIRef]]:
    pairs = set()
    for cls, restriction in graph.subject_objects(RDFS.subClassOf):
        if (
            isinstance(cls, URIRef)
            and isinstance(restriction, BNode)
            and graph.value(restriction, OWL.onProperty) == _DEVELOPS_FROM
        ):
            origin = graph.value(restriction, OWL.someValuesFrom)
            if isinstance(origin, URIRef):
                pairs.add((cls, origin))
    for claim in claims:
        if (
            claim.predicate == _DEVELOPS_FROM
            and not claim.negated
            and isinstance(claim.object, URIRef)
        ):
            pairs.add((claim.subject, claim.object))
    return pairs


def lineage_diagram(graph: Graph) -> Diagram:
    """Which cell types develop from which, from the ontology's axioms and the claims."""
    nodes: dict[str, tuple[str, str, str]] = {}
    edges = set()
    for cell, origin in _develops_from_pairs(graph, read_claims(graph)):
        nodes[_node_id(cell)] = (label_of(graph, cell), "ellipse", "")
        nodes[_node_id(origin)] = (label_of(graph, origin), "ellipse", "")
        edges.add(Edge(_node_id(origin), _node_id(cell), "develops into"))
    return Diagram(
        "lineage", "Cell lineage (develops from)", nodes, tuple(sorted(edges, key=_edge_key))
    )


def pictures(graph: Graph, cytokines: Iterable[URIRef] = ()) -> list[Diagram]:
    """The causal graph of each of ``cytokines`` (default: :func:`cytokines_with_claims`), then
    the lineage.

    :raises UsageError: one of ``cytokines`` is not a protein with claims about processes.
    """
    chosen = list(cytokines) or cytokines_with_claims(graph)
    return [*(causal_diagram(graph, c) for c in chosen), lineage_diagram(graph)]


def render(diagram: Diagram, directory: Path | str, *, images: bool = True) -> list[Path]:
    """Write ``NAME.dot`` and ``NAME.mmd`` and, when ``images``, ``NAME.svg`` and ``NAME.png``.

    :raises ExportError: Graphviz's ``dot`` is missing or fails, or a file cannot be written.
    """
    directory = Path(directory)
    written = []
    dot_text = diagram.dot()
    for suffix, text in ((".dot", dot_text), (".mmd", diagram.mermaid())):
        path = directory / f"{diagram.name}{suffix}"
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    if not images:
        return written
    dot = shutil.which("dot")
    if dot is None:
        raise ExportError(
            "Graphviz's dot program is not installed (Debian: apt-get install graphviz);"
            " the .dot and .mmd files were written"
        )
    for fmt in ("svg", "png"):
        run = subprocess.run(
            [dot, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True, check=False
        )
        if run.returncode != 0:
            raise ExportError(f"dot -T{fmt} failed: {run.stderr.decode(errors='replace').strip()}")
        path = directory / f"{diagram.name}.{fmt}"
        write_atomic(path, run.stdout)
        written.append(path)
    return written
