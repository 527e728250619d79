"""Where the bundled ontology, facts and shapes are, in a wheel and in a checkout.

The top-level ``ontology/`` and ``shapes/`` folders are the edited sources. A wheel carries them
inside the package as ``il32rdf/_data/`` (hatchling ``force-include``); an editable install or a
plain checkout has no ``_data`` and reads the top-level folders. This module is the only place
that knows both.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir", "fact_files", "ontology_files", "relation_axioms_file", "shape_files"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The folder ``name`` (``"ontology"`` or ``"shapes"``) from the wheel or the checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"il32rdf's {name}/ folder is missing from {_PACKAGE / '_data'} and {_PACKAGE.parent}:"
        " reinstall the package"
    )


def ontology_files() -> list[Path]:
    """The TBox files (``ontology/*.ttl``), sorted by name."""
    return sorted(data_dir("ontology").glob("*.ttl"))


def fact_files() -> list[Path]:
    """The ABox files (``ontology/facts/*.ttl``), one per cytokine or topic, sorted by name."""
    return sorted((data_dir("ontology") / "facts").glob("*.ttl"))


def shape_files() -> list[Path]:
    """The SHACL shapes (``shapes/*.ttl``), sorted by name."""
    return sorted(data_dir("shapes").glob("*.ttl"))


def relation_axioms_file() -> Path:
    """RO's domain and range axioms for the ontology's relations (``ontology/qc/``), read by the
    relation check only: not part of the loaded graph or the release."""
    return data_dir("ontology") / "qc" / "ro-domain-range.ttl"
