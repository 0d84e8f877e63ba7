"""An edit under a full disk: a failure at any step of its commit writes nothing.

Each step of a commit — copying the store, writing the edits into the copy, opening it,
writing, syncing, linking and renaming the edits file, syncing its directory — is made to
fail with ``ENOSPC`` in turn, while a client adds a country through ``/store``. The client
must get a one-line 503; the edits file must be byte for byte the old one; nothing may be
left beside the store (no partial copy, no temporary file); readers must see the old
edits; and the next edit must go through. A failure after the rename (the directory's
fsync) must put the old file back, which a restart then serves.
"""

from __future__ import annotations

import errno
import itertools
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.errors import StoreError
from graph.store.edits import EDITS_GRAPH, edits_file
from graph.store.oxigraph import OxigraphStore
from tests.hardening.access.conftest import TOKEN, client_over
from tests.hardening.record import record_checks, record_faults

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
EDITS = f"/store?graph={EDITS_GRAPH}"
COUNTRY = (
    "@prefix pg: <https://w3id.org/policygraph/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/policygraph/id/{slug}> a pg:Country ; rdfs:label "{en}"@en, "{ja}"@ja, "{ko}"@ko .\n'
)
CANADA = COUNTRY.format(slug="can", en="Canada", ja="カナダ", ko="캐나다")
USA = COUNTRY.format(slug="usa", en="United States", ja="米国", ko="미국")
INSERT_USA = (
    f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:usa a pg:Country ; "
    'rdfs:label "United States"@en, "米国"@ja, "미국"@ko } }'
)
FULL_DISK = "full disk at one step of an edit's commit (injected)"
UNTOUCHED = "failed edit left the edits file, the served store and the disk as they were"

#: Installs a fault: (monkeypatch, the store's path).
Fault = Callable[[pytest.MonkeyPatch, Path], None]


def _disk_full() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _path_of(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def _fail_os(monkeypatch: pytest.MonkeyPatch, name: str, matches: Callable[..., bool]) -> None:
    """Make ``os.<name>`` fail with ENOSPC for the calls ``matches`` picks."""
    real = getattr(os, name)

    def faulty(*args: Any, **kwargs: Any) -> Any:
        if matches(*args):
            raise _disk_full()
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, faulty)


def copy_starts(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    def copytree(*args: Any, **kwargs: Any) -> Any:
        raise _disk_full()

    monkeypatch.setattr(shutil, "copytree", copytree)


def copy_midway(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    real, calls = shutil.copy2, itertools.count()

    def copy2(*args: Any, **kwargs: Any) -> Any:
        if next(calls) == 2:  # two files are copied, the third fails
            raise _disk_full()
        return real(*args, **kwargs)

    monkeypatch.setattr(shutil, "copy2", copy2)


def store_write(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    def extend(self: OxigraphStore, quads: object) -> None:
        raise _disk_full()

    monkeypatch.setattr(OxigraphStore, "extend", extend)


def copy_open(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    real = OxigraphStore.open

    def open_(directory: Path, *, read_only: bool = True) -> OxigraphStore:
        if read_only and ".served-" in directory.name:
            raise StoreError(f"cannot open the store at {directory}: {_disk_full()}")
        return real(directory, read_only=read_only)

    monkeypatch.setattr(OxigraphStore, "open", open_)


def file_write(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    _fail_os(monkeypatch, "write", lambda fd, *_: ".edits.nq." in _path_of(fd))


def file_fsync(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    _fail_os(monkeypatch, "fsync", lambda fd: ".edits.nq." in _path_of(fd))


def file_link(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    _fail_os(monkeypatch, "link", lambda source, *_: str(source).endswith(".edits.nq"))


def file_rename(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    _fail_os(monkeypatch, "replace", lambda _, target, *__: str(target).endswith(".edits.nq"))


def directory_fsync(monkeypatch: pytest.MonkeyPatch, store_path: Path) -> None:
    directory = os.path.realpath(store_path.parent)
    _fail_os(monkeypatch, "fsync", lambda fd: _path_of(fd) == directory)


FAULTS: list[Fault] = [
    copy_starts,
    copy_midway,
    store_write,
    copy_open,
    file_write,
    file_fsync,
    file_link,
    file_rename,
    directory_fsync,
]


def _countries(client: TestClient) -> set[str]:
    query = "SELECT ?c { ?c a pg:Country }"
    rows = client.get("/sparql", params={"query": query, "format": "json"}).json()
    return {b["c"]["value"].rsplit("/", 1)[-1] for b in rows["results"]["bindings"]}


def _beside(store_path: Path) -> set[str]:
    """The hidden entries beside the store: served copies, temporary files."""
    return {p.name for p in store_path.parent.iterdir() if p.name.startswith(".")}


def _assert_untouched(
    client: TestClient, store_path: Path, before: bytes, beside: set[str]
) -> None:
    assert edits_file(store_path).read_bytes() == before
    assert _beside(store_path) == beside
    assert _countries(client) == {"jpn", "kor", "can"}


@pytest.mark.parametrize("fault", FAULTS, ids=[f.__name__ for f in FAULTS])
def test_a_full_disk_at_any_step_writes_nothing(
    client: TestClient, store_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Fault
) -> None:
    assert client.post(EDITS, content=CANADA, headers=TURTLE).status_code in (201, 204)
    before, beside = edits_file(store_path).read_bytes(), _beside(store_path)
    with monkeypatch.context() as patched:
        fault(patched, store_path)
        response = client.post(EDITS, content=USA, headers=TURTLE)
    assert response.status_code == 503, response.text
    error = response.json()["error"]
    assert "No space left on device" in error and "\n" not in error and "Traceback" not in error
    _assert_untouched(client, store_path, before, beside)
    retried = client.post(EDITS, content=USA, headers=TURTLE)
    assert retried.status_code == 204, retried.text
    assert _countries(client) == {"jpn", "kor", "can", "usa"}
    record_faults(FULL_DISK, 1)
    record_checks(UNTOUCHED, 1)


def test_a_failed_sparql_update_writes_nothing_either(
    client: TestClient, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.post(EDITS, content=CANADA, headers=TURTLE).status_code in (201, 204)
    before, beside = edits_file(store_path).read_bytes(), _beside(store_path)
    update = {"Content-Type": "application/sparql-update", **AUTH}
    for fault in (copy_midway, file_rename):
        with monkeypatch.context() as patched:
            fault(patched, store_path)
            response = client.post("/sparql", content=INSERT_USA, headers=update)
        assert response.status_code == 503, response.text
        _assert_untouched(client, store_path, before, beside)
    record_faults(FULL_DISK, 2)
    record_checks(UNTOUCHED, 2)


def test_an_undurable_rename_is_undone_and_a_restart_serves_the_old_edits(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with client_over(store_path) as client:
        assert client.post(EDITS, content=CANADA, headers=TURTLE).status_code in (201, 204)
        before = edits_file(store_path).read_bytes()
        with monkeypatch.context() as patched:
            directory_fsync(patched, store_path)
            assert client.post(EDITS, content=USA, headers=TURTLE).status_code == 503
    with client_over(store_path) as restarted:
        assert _countries(restarted) == {"jpn", "kor", "can"}
    assert edits_file(store_path).read_bytes() == before
    record_faults(FULL_DISK, 1)
    record_checks("failed edit absent after a restart", 1)


def test_a_failure_after_the_commit_point_still_answers_204_and_serves_the_edit(
    client: TestClient, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Removing the previous served copy fails: the edit is on disk, so it is a 204."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise _disk_full()

    assert client.post(EDITS, content=CANADA, headers=TURTLE).status_code in (201, 204)
    with monkeypatch.context() as patched:
        patched.setattr("serving.edits.remove_served_copies", refuse)
        assert client.post(EDITS, content=USA, headers=TURTLE).status_code == 204
    assert _countries(client) == {"jpn", "kor", "can", "usa"}
    assert "United States" in edits_file(store_path).read_text(encoding="utf-8")
    record_faults("cleanup failing after an edit's commit point (injected)", 1)
    record_checks("edit answered 204 was on disk and served", 1)
