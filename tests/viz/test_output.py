"""Output paths: the format from the name, only inside the directory named, atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import UsageError
from viz.output import target_path, write_atomically


def test_a_file_name_gives_the_format(tmp_path: Path) -> None:
    assert target_path(tmp_path / "kor.html", "ego-kor", None) == (tmp_path / "kor.html", "html")
    assert target_path(tmp_path / "fw.svg", "x", None)[1] == "svg"
    assert target_path(tmp_path / "s.PNG", "x", None)[1] == "png"


def test_a_directory_gets_a_file_named_after_the_view(tmp_path: Path) -> None:
    assert target_path(tmp_path, "ego-kor-2", "png") == (tmp_path / "ego-kor-2.png", "png")


def test_a_name_from_the_slug_cannot_leave_the_directory(tmp_path: Path) -> None:
    path, _ = target_path(tmp_path, "ego-../../etc/passwd", None)
    assert path.parent == tmp_path and "/" not in path.name and ".." not in path.name


@pytest.mark.parametrize(
    ("name", "words"),
    [("kor.txt", "cannot tell the format"), ("missing/kor.html", "does not exist")],
)
def test_bad_targets_are_user_errors(tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        target_path(tmp_path / name, "x", None)


def test_writes_are_atomic_and_leave_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "v.html"
    target.write_text("old")
    write_atomically(target, "新しい".encode())
    assert target.read_text(encoding="utf-8") == "新しい"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.html"]
