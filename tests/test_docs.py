"""The ontology documentation: generated offline by pyLODE, checked in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import chromium_page, needs_chromium
from rdflib import Dataset

from il32rdf.dataset import graph_by_name
from il32rdf.docs import write_docs


@pytest.fixture(scope="module")
def docs(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docs(graph_by_name(dataset, "ontology"), tmp_path_factory.mktemp("docs"))


def test_the_page_needs_no_network(docs: Path) -> None:
    html = docs.read_text(encoding="utf-8")
    assert "<style" in html
    assert '<script src="http' not in html and '<link href="http' not in html
    assert 'rel="stylesheet" href="http' not in html


@needs_chromium
def test_the_page_renders_in_chromium_with_no_broken_internal_links(
    docs: Path, tmp_path: Path
) -> None:
    with chromium_page() as page:
        page.goto(docs.as_uri())
        assert page.title().startswith("il32rdf: an application ontology")
        links = page.evaluate(
            """() => [...document.querySelectorAll('a[href^="#"]')]
                 .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))"""
        )
        assert len(links) > 100
        broken = page.evaluate("ids => ids.filter(id => id && !document.getElementById(id))", links)
        assert broken == []
        text = page.inner_text("body")
        for expected in ("cytokine", "chemokine", "claim", "negated", "osteoclast", "monocyte"):
            assert expected in text
        assert "any protein that enables cytokine activity" in text  # a definition, rendered
        shot = tmp_path / "docs.png"
        page.screenshot(path=str(shot), full_page=False)
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 20_000
