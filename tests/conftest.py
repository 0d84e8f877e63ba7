"""Shared fixtures: built stores (the real report and a tiny fixture set) and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from graph import DATA_DIR, DEFAULT_SOURCE, REPO_ROOT
from graph.build import build_store
from graph.store import OxigraphStore, open_store
from tests.hardening.record import recording

# Hypothesis keeps its caches in ``.hypothesis`` of the working directory (the checkout)
# unless told otherwise, and fills them while tests are collected: tests write nothing into
# the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / f"policygraph-hypothesis-{os.getuid()}")

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL_DATA = FIXTURES / "minimal"
MINIMAL_SOURCE = FIXTURES / "source.txt"


@pytest.fixture(autouse=True)
def _no_policygraph_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process tests see none of the ``POLICYGRAPH_*`` settings of the shell that runs
    them (a developer's ``POLICYGRAPH_STORE`` or token would change what they test); a test
    that needs one sets it with ``monkeypatch.setenv``."""
    for name in list(os.environ):
        if name.startswith("POLICYGRAPH_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _reliability_tally(request: pytest.FixtureRequest) -> Iterator[None]:
    """What a test records for ``docs/reliability.md`` goes into its own report
    (:mod:`tests.hardening.record`), never into a file of the checkout."""
    with recording(request.node.user_properties):
        yield


def run_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``policygraph ARGS`` as a user would, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or REPO_ROOT,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="session")
def report_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store built from the curated report data (graph/data), once per session."""
    path = tmp_path_factory.mktemp("report") / "store"
    build_store([DATA_DIR], path)
    return path


@pytest.fixture(scope="session")
def report_store(report_store_path: Path) -> Iterator[OxigraphStore]:
    store = open_store(report_store_path)
    yield store
    store.close()


@pytest.fixture(scope="session")
def fixture_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny fixture data set (two countries, AUKUS …, plus the ontology), built once and
    shared read-only; tests that change a store use :func:`minimal_store_path`."""
    path = tmp_path_factory.mktemp("api-minimal") / "store"
    build_store([MINIMAL_DATA], path)
    return path


@pytest.fixture(scope="session")
def fixture_store(fixture_store_path: Path) -> Iterator[OxigraphStore]:
    store = open_store(fixture_store_path)
    yield store
    store.close()


@pytest.fixture()
def minimal_store_path(tmp_path: Path) -> Path:
    """A fresh store built from the tiny fixture data set."""
    path = tmp_path / "store"
    build_store([MINIMAL_DATA], path)
    return path


@pytest.fixture()
def source_text() -> Path:
    """The report's text; tests that need it skip, saying why, where it is absent."""
    if not DEFAULT_SOURCE.is_file():
        pytest.skip(
            f"the report's text is not at {DEFAULT_SOURCE} (../shared/sources/ beside the checkout)"
        )
    return DEFAULT_SOURCE
