"""A wheel installed into a fresh virtualenv runs ``il32rdf build`` from another directory.

The fresh environment borrows only the *dependencies* from the test environment (through a
``.pth`` line naming its site-packages; ``.pth`` files there, such as the editable install of this
checkout, are not processed), so the test needs no network and proves that the ontology, facts
and shapes travel inside the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("il32rdf-*.whl")
    return found


def test_wheel_carries_the_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "il32rdf/_data/ontology/il32rdf.ttl",
        "il32rdf/_data/ontology/facts/il32.ttl",
        "il32rdf/_data/ontology/facts/background.ttl",
        "il32rdf/_data/ontology/facts/entities.ttl",
        "il32rdf/cli/__init__.py",
        "il32rdf/store/__init__.py",
        "il32rdf/py.typed",
    ):
        assert required in names, required
    assert not any(name.startswith("tests/") for name in names)


def test_installed_wheel_builds_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import il32rdf.resources as r; print(r.data_dir('ontology'))"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(site), f"data found outside the installed wheel: {where}"
    run = subprocess.run(
        [str(env_dir / "bin" / "il32rdf"), "build", "-o", "release"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert "claims: 38" in run.stdout
    # the relation check read ontology/qc/ from inside the wheel
    assert "relations: every one used within its RO domain and range" in run.stdout
    assert (elsewhere / "release" / "il32.ttl").stat().st_size > 10_000
