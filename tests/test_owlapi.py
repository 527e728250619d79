"""The release's OWL files read by the OWL API (Debian's libowlapi-java, as Protégé reads them):
nothing left unparsed, nothing against the OWL 2 DL profile (``tests/owlapi/ProfileCheck.java``,
run from its source by the JDK)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from il32rdf.release import write_release
from il32rdf.store import open_store

CHECK = Path(__file__).parent / "owlapi" / "ProfileCheck.java"
OWLAPI = Path("/usr/share/java/owlapi-distribution.jar")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("java") is None and not os.environ.get("CI"),
        reason="Java is installed by `make setup` (Debian default-jdk-headless); required on CI",
    ),
]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("release")
    write_release(open_store(), directory)
    return directory


def _owlapi(path: Path) -> list[str]:
    assert OWLAPI.is_file(), f"no OWL API at {OWLAPI}: run `make setup` (Debian libowlapi-java)"
    run = subprocess.run(
        ["java", "-cp", f"{OWLAPI.parent}/*", str(CHECK), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout.splitlines()


@pytest.mark.parametrize("name", ["il32.owl", "il32-ontology.owl"])
def test_the_owl_api_reads_the_owl_files_as_owl_2_dl(release: Path, name: str) -> None:
    found = _owlapi(release / name)
    (axioms,) = (int(line.split()[1]) for line in found if line.startswith("axioms "))
    assert axioms > 300
    assert [line for line in found if not line.startswith("axioms ")] == []


def test_the_claims_stay_out_of_the_owl_view_only(release: Path) -> None:
    owl = (release / "il32.owl").read_text(encoding="utf-8")
    turtle = (release / "il32.ttl").read_text(encoding="utf-8")
    assert "<rdf:subject " not in owl and "il32-not-osteoclast-activation" not in owl
    assert "rdf:subject" in turtle and "fact:il32-not-osteoclast-activation" in turtle
    # what the positive claims say stays in the OWL view, as their plain edges
    assert 'rdf:about="http://purl.uniprot.org/uniprot/P24001"' in owl
