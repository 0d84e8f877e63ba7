"""``policygraph viz … -o``: the file lands where the user pointed, whatever the slugs say;
a hostile slug is refused before anything is written; a planted symlink is never followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from graph.errors import PolicyGraphError
from tests.hardening.record import record_checks, record_inputs

PATHS = "hostile CLI output paths and slugs (traversal, planted symlinks)"


def _tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture()
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_path/a/b/work`` as the current directory, with ``out/`` in it."""
    directory = tmp_path / "a" / "b" / "work"
    (directory / "out").mkdir(parents=True)
    monkeypatch.chdir(directory)
    return directory


def _viz(store: Path, *args: str) -> int:
    """The exit code ``policygraph viz ARGS`` gives (2 for a user's mistake, as ``main``)."""
    result = CliRunner().invoke(app, ["viz", *args, "--store", str(store)])
    if isinstance(result.exception, PolicyGraphError):
        return 2
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code


@pytest.mark.parametrize(
    "args",
    [
        ("ego", "../../x", "-o", "out/"),
        ("ego", "../../../x", "-o", "out"),
        ("ego", "/etc/passwd", "-o", "out/"),
        ("ego", "..", "-o", "out/"),
        ("path", "../../x", "kor", "-o", "out/"),
        ("frameworks", "../../../../tmp/x", "-o", "out/"),
        ("proposals", "--actor", "../../x", "-o", "out/"),
    ],
)
def test_hostile_slugs_write_nothing_anywhere(
    hostile_store_path: Path, work: Path, tmp_path: Path, args: tuple[str, ...]
) -> None:
    before = _tree(tmp_path)
    assert _viz(hostile_store_path, *args) != 0
    assert _tree(tmp_path) == before
    record_inputs(PATHS, 1)


def test_a_file_named_from_slugs_stays_in_the_directory(
    hostile_store_path: Path, work: Path, tmp_path: Path
) -> None:
    before = _tree(tmp_path)
    assert _viz(hostile_store_path, "ego", "kor", "-o", "out/") == 0
    assert _tree(tmp_path) - before == {"a/b/work/out/ego-kor-1.html"}


@pytest.mark.parametrize(
    ("output", "written"),
    [
        ("out/../x.html", "a/b/work/x.html"),
        ("../../y.svg", "a/y.svg"),
        ("out/..", "a/b/work/ego-kor-1.html"),
    ],
)
def test_dot_dot_in_output_lands_exactly_where_pointed(
    hostile_store_path: Path, work: Path, tmp_path: Path, output: str, written: str
) -> None:
    before = _tree(tmp_path)
    assert _viz(hostile_store_path, "ego", "kor", "-o", output) == 0
    assert _tree(tmp_path) - before == {written}
    record_inputs(PATHS, 1)


@pytest.mark.parametrize("output", ["missing/../../x.html", "out/missing/x.html", "out/x.txt"])
def test_impossible_outputs_are_refused(
    hostile_store_path: Path, work: Path, tmp_path: Path, output: str
) -> None:
    before = _tree(tmp_path)
    assert _viz(hostile_store_path, "ego", "kor", "-o", output) == 2
    assert _tree(tmp_path) == before
    record_inputs(PATHS, 1)


def test_a_planted_symlink_is_not_followed(
    hostile_store_path: Path, work: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (work / "out" / "view.html").symlink_to(victim)
    assert _viz(hostile_store_path, "ego", "kor", "-o", "out/view.html") == 2  # it leads out
    assert victim.read_text(encoding="utf-8") == "keep me"
    record_inputs(PATHS, 1)
    record_checks("file behind a planted symlink left intact", 1)
