"""Generate a larger cytokine graph in il32rdf's own model, with a known number of violations.

The graph holds synthetic proteins (fake but well-formed UniProt accessions under
``http://purl.uniprot.org/uniprot/``), claims about them that use the real ontology's classes
(GO processes and functions, CL cell types, NCBITaxon, ECO) and fake but well-formed PubMed
sources. It is a facts file: validate it merged with the bundled ontology, e.g.

    python benchmarks/generate.py --triples 100000 --seed 1 --violations 10 -o /tmp/g100k.ttl
    il32rdf validate /tmp/g100k.ttl

The same ``--seed`` gives the same file. ``--violations K`` injects K defects, each of a kind
that the shapes report as exactly one ``sh:Violation`` (the kinds cycle through
:data:`VIOLATION_KINDS`), so a validation of the file must report exactly K violations.
The injected defects are listed in a comment at the top of the file.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from il32rdf.dataset import parse_file
from il32rdf.resources import ontology_files

OBO = "http://purl.obolibrary.org/obo/"
UNIPROT = "http://purl.uniprot.org/uniprot/"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/"

VIOLATION_KINDS = (
    "protein-two-labels",
    "malformed-pubmed-iri",
    "missing-evidence",
    "cell-type-not-a-cell",
    "enables-a-process",
    "contradicted-claim",
    "duplicate-claim",
    "malformed-uniprot-iri",
    "protein-without-species",
    "missing-negation-flag",
)
"""The defects ``--violations`` injects, in turn; each is reported as one sh:Violation."""

_TAXA = {"9606": "human", "10090": "mouse"}
_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _descendants(ontology: Graph, root: str) -> list[str]:
    """Named classes under ``root`` (inclusive) in the ontology's subclass hierarchy."""
    children: dict[URIRef, set[URIRef]] = {}
    for sub, sup in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            children.setdefault(sup, set()).add(sub)
    found: set[URIRef] = set()
    todo = [URIRef(OBO + root)]
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(children.get(node, ()))
    return sorted(
        str(c) for c in found if str(c).startswith(OBO) and (c, RDF.type, OWL.Class) in ontology
    )


def accession(number: int) -> str:
    """A fake, well-formed UniProt accession (``[OQ][0-9][A-Z0-9]{3}[0-9]``), unique per number.

    ``O`` and ``Q`` keep clear of the bundled proteins, which all start with ``P``.
    """
    number, last = divmod(number, 10)
    number, first_digit = divmod(number, 10)
    number, middle = divmod(number, 36**3)
    letter = "OQ"[number % 2]
    chars = "".join(_ALNUM[(middle // 36**i) % 36] for i in (2, 1, 0))
    return f"{letter}{first_digit}{chars}{last}"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.triples = 0

    def node(self, subject: str, pairs: list[tuple[str, str]]) -> None:
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.lines.append(f"{subject} {body} .\n")
        self.triples += len(pairs)


def generate(triples: int, seed: int, violations: int) -> tuple[str, list[str]]:
    """Return (Turtle text, list of injected defects) for about ``triples`` facts triples."""
    rng = random.Random(seed)
    ontology = Graph()
    for path in ontology_files():
        parse_file(path, ontology)
    processes = [c for c in _descendants(ontology, "GO_0008150") if c != OBO + "GO_0008150"]
    cells = [c for c in _descendants(ontology, "CL_0000000") if c != OBO + "CL_0000000"]
    out = _Writer()
    proteins: list[tuple[str, str]] = []  # (iri, taxon)
    claims = 0
    sources = max(1, triples // 200)
    for k in range(sources):
        pmid = 90000000 + k
        out.node(
            f"<{PUBMED}{pmid}/>",
            [
                ("a", "dcterms:BibliographicResource"),
                ("rdfs:label", _lit(f"Synthetic paper {pmid}")),
            ],
        )

    def new_protein() -> tuple[str, str]:
        number = len(proteins)
        taxon = rng.choice(sorted(_TAXA))
        iri = f"uniprot:{accession(number)}"
        symbol = f"SYN{number}" if taxon == "9606" else f"Syn{number}"
        pairs = [
            ("a", "up:Protein"),
            ("rdfs:label", _lit(f"synthetic cytokine {number} ({_TAXA[taxon]})")),
            ("il32:geneSymbol", _lit(symbol)),
            ("oboInOwl:hasExactSynonym", _lit(f"SC-{number}")),
            ("obo:RO_0002162", f"obo:NCBITaxon_{taxon}"),
        ]
        chemokine = rng.random() < 0.3
        if rng.random() < 0.1:
            pairs.append(("a", "il32:Chemokine" if chemokine else "il32:Cytokine"))
        out.node(iri, pairs)
        proteins.append((iri, taxon))
        activity = "GO_0008009" if chemokine else "GO_0005125"
        pairs = claim(iri, "obo:RO_0002327", f"obo:{activity}", None, taxon, "ECO_0000304")
        pairs[5] = ("il32:negated", "false")  # the typing above rests on this claim
        return iri, taxon

    claim_pairs: list[list[tuple[str, str]]] = []

    def claim(
        subject: str, predicate: str, obj: str, cell: str | None, taxon: str, evidence: str
    ) -> list[tuple[str, str]]:
        nonlocal claims
        claims += 1
        pairs = [
            ("a", "il32:Claim"),
            ("rdfs:label", _lit(f"synthetic claim {claims}")),
            ("rdf:subject", subject),
            ("rdf:predicate", predicate),
            ("rdf:object", obj),
            ("il32:negated", "false" if rng.random() < 0.9 else "true"),
            ("il32:inTaxon", f"obo:NCBITaxon_{taxon}"),
            ("dcterms:source", f"<{PUBMED}{90000000 + rng.randrange(sources)}/>"),
            ("il32:evidence", f"obo:{evidence}"),
        ]
        if cell is not None:
            pairs.append(("il32:cellType", f"<{cell}>"))
        claim_pairs.append(pairs)
        return pairs

    # Each protein gets claims about distinct (process, cell type) pairs, so no two claims share
    # a context by accident: duplicates and contradictions come only from injection.
    while out.triples + (21 * len(claim_pairs)) // 2 < triples:
        iri, taxon = new_protein()
        for obj, cell in rng.sample([(p, c) for p in processes for c in cells], 8):
            predicate = "obo:RO_0004034" if rng.random() < 0.8 else "obo:RO_0002263"
            claim(iri, predicate, f"<{obj}>", cell, taxon, "ECO_0000314")
    if not proteins:
        new_protein()

    injected: list[str] = []
    targets = rng.sample(range(len(claim_pairs)), min(violations, len(claim_pairs)))
    for number, index in enumerate(targets):
        kind = VIOLATION_KINDS[number % len(VIOLATION_KINDS)]
        pairs = claim_pairs[index]
        label = pairs[1][1]
        if kind == "protein-two-labels":
            subject, _ = new_protein()
            out.node(subject, [("rdfs:label", _lit(f"second label {number}"))])
        elif kind == "malformed-pubmed-iri":
            pairs[7] = ("dcterms:source", f"<{PUBMED}PMID{number}/>")
        elif kind == "missing-evidence":
            del pairs[8]
        elif kind == "cell-type-not-a-cell":
            _set(pairs, "il32:cellType", f"<{rng.choice(processes)}>")
        elif kind == "enables-a-process":
            _set(pairs, "rdf:predicate", "obo:RO_0002327")
        elif kind == "contradicted-claim":
            twin = list(pairs)
            twin[1] = ("rdfs:label", _lit(f"contradicting twin {number}"))
            flag = dict(pairs)["il32:negated"]
            twin[5] = ("il32:negated", "true" if flag == "false" else "false")
            claim_pairs.append(twin)
        elif kind == "duplicate-claim":
            twin = list(pairs)
            twin[1] = ("rdfs:label", _lit(f"duplicate twin {number}"))
            claim_pairs.append(twin)
        elif kind == "malformed-uniprot-iri":
            out.node(
                f"<{UNIPROT}X{number}-bad>",
                [
                    ("a", "up:Protein"),
                    ("rdfs:label", _lit(f"badly named protein {number}")),
                    ("il32:geneSymbol", _lit(f"BAD{number}")),
                    ("obo:RO_0002162", "obo:NCBITaxon_9606"),
                ],
            )
        elif kind == "protein-without-species":
            out.node(
                f"uniprot:{accession(9_000_000 + number)}",
                [
                    ("a", "up:Protein"),
                    ("rdfs:label", _lit(f"protein without species {number}")),
                    ("il32:geneSymbol", _lit(f"NOSP{number}")),
                ],
            )
        elif kind == "missing-negation-flag":
            del pairs[5]
        injected.append(f"{kind} (near {label})")

    for index, pairs in enumerate(claim_pairs, start=1):
        out.node(f"fact:synthetic-claim-{index}", pairs)
    header = [
        f"# Synthetic il32rdf facts: generate.py --triples {triples} --seed {seed}"
        f" --violations {violations}\n",
        f"# {out.triples} triples, {len(proteins)} proteins, {len(claim_pairs)} claims.\n",
        f"# Injected violations ({len(injected)}):\n",
        *(f"#   {line}\n" for line in injected),
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n",
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n",
        "@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .\n",
        "@prefix obo: <http://purl.obolibrary.org/obo/> .\n",
        "@prefix up: <http://purl.uniprot.org/core/> .\n",
        f"@prefix uniprot: <{UNIPROT}> .\n",
        "@prefix il32: <https://w3id.org/il32rdf/ontology/> .\n",
        "@prefix fact: <https://w3id.org/il32rdf/fact/> .\n\n",
    ]
    return "".join(header + out.lines), injected


def _set(pairs: list[tuple[str, str]], predicate: str, value: str) -> None:
    for i, (p, _) in enumerate(pairs):
        if p == predicate:
            pairs[i] = (p, value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000, help="about how many triples")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--violations", type=int, default=0, help="defects to inject")
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    args = parser.parse_args(argv)
    text, injected = generate(args.triples, args.seed, args.violations)
    if args.output is None:
        sys.stdout.write(text)
    else:
        from il32rdf.files import write_atomic

        write_atomic(args.output, text.encode("utf-8"))
        print(f"wrote {args.output}: {len(injected)} injected violations", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
