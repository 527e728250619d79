"""The build as a library function on both engines: the same release bytes whichever engine
holds the data, whether the RDF files are written by a process beside or in the build's own, and
a stop that says why while the reasoner works beside; and the process beside it uses (a new
interpreter: what it runs travels pickled)."""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from il32rdf import machine
from il32rdf.build import PHASES, build
from il32rdf.errors import ExportError
from il32rdf.files import write_chunks

pytestmark = pytest.mark.slow
DATA = Path(__file__).parent / "data"


def _digests(directory: Path) -> dict[str, str]:
    """Every release file but the HTML documentation (pyLODE's page carries no engine)."""
    return {
        str(path.relative_to(directory)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and "docs" not in path.relative_to(directory).parts
    }


@pytest.fixture(scope="module")
def oxigraph_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("oxigraph") / "dist"
    result = build(output_dir=directory, engine="oxigraph")
    assert result.ok, result.stopped
    assert {phase.name for phase in result.phases} == set(PHASES)
    return directory


def test_both_engines_build_the_same_release(oxigraph_release: Path, tmp_path: Path) -> None:
    result = build(output_dir=tmp_path / "dist", engine="rdflib")
    assert result.ok, result.stopped
    theirs, ours = _digests(tmp_path / "dist"), _digests(oxigraph_release)
    assert len(ours) > 20 and "il32.jsonld" in ours and "kgx/il32_edges.tsv" in ours
    assert theirs == ours


def test_the_files_written_beside_are_those_written_in_process(
    oxigraph_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(machine, "cores", lambda: 1)  # beside() then runs in the process
    result = build(output_dir=tmp_path / "dist", engine="oxigraph")
    assert result.ok, result.stopped
    assert _digests(tmp_path / "dist") == _digests(oxigraph_release)


def test_a_violation_stops_the_build_while_the_reasoner_works_beside(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(  # a claim whose flag is no boolean: a SHACL violation, no structural problem
        (DATA / "flag_typo.ttl").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = build([bad], output_dir=tmp_path / "dist", engine="oxigraph")
    assert result.stopped is not None and "SHACL violation" in result.stopped
    assert [phase.name for phase in result.phases] == ["load", "checks", "validation"]
    assert result.reasoning is None
    assert not (tmp_path / "dist").exists()


STATE = "as imported"


def _state() -> str:
    return STATE


def test_beside_gives_the_value_of_a_new_interpreter(monkeypatch: pytest.MonkeyPatch) -> None:
    assert machine.beside(os.getpid).result() != os.getpid()  # it ran in another process
    monkeypatch.setattr(f"{__name__}.STATE", "changed in the parent")
    # a fresh interpreter, not a copy of this one: it sees the module as imported
    assert machine.beside(_state).result() == "as imported"


def test_what_cannot_travel_is_refused_before_a_process_starts() -> None:
    with pytest.raises(pickle.PicklingError, match="cannot run beside"):
        machine.beside(lambda: 1)


def test_beside_raises_the_exception_of_the_child_in_the_parent(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(ExportError, match=r"cannot write .*il32\.ttl"):
        machine.beside(write_chunks, tmp_path / "file" / "il32.ttl", ["text"]).result()


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    pending = machine.beside(os.abort)
    with pytest.raises(ChildProcessError, match="signal 6"):
        pending.result()


def test_cancel_stops_a_running_child() -> None:
    pending = machine.beside(time.sleep, 60)
    pid = pending.pid
    assert pid is not None
    started = time.perf_counter()
    pending.cancel()
    assert time.perf_counter() - started < 10
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and waited for (no zombie is left)
    with pytest.raises(ChildProcessError, match="stopped"):
        pending.result()


def _slow_chunks() -> Iterator[str]:
    yield "<urn:a> <urn:b> <urn:c> .\n"
    time.sleep(60)
    yield "never"


def _write_slowly(path: Path) -> int:
    return write_chunks(path, _slow_chunks())


def test_a_cancelled_child_leaves_no_temporary_file(tmp_path: Path) -> None:
    pending = machine.beside(_write_slowly, tmp_path / "il32.nt")
    deadline = time.monotonic() + 20
    while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the child has its temporary file
    (temporary,) = tmp_path.iterdir()
    assert temporary.name.startswith(".il32.nt.")
    pending.cancel()
    assert list(tmp_path.iterdir()) == []


def test_later_runs_in_a_thread_or_when_asked_and_once() -> None:
    calls: list[str] = []

    def work() -> int:
        calls.append("ran")
        return 7

    deferred = machine.Later(work, in_thread=False)
    assert not deferred.started and calls == []  # nothing runs before it is asked for
    assert deferred.result() == 7 and deferred.result() == 7 and calls == ["ran"]
    threaded = machine.Later(work, in_thread=True)
    threaded.wait()
    assert threaded.started and calls == ["ran", "ran"] and threaded.result() == 7

    def fails() -> int:
        raise ExportError("cannot write")

    for in_thread in (False, True):
        with pytest.raises(ExportError, match="cannot write"):
            machine.Later(fails, in_thread=in_thread).result()
