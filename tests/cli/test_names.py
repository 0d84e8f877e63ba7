"""Names on the command line: ``path`` and ``viz`` take names in three languages, aliases
and slugs; an ambiguous or unknown name is exit 2 with the choices."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.slow  # each test starts policygraph a few times


def test_path_between_two_names(report_store_path: Path) -> None:
    result = run_cli("path", "Korea", "AUKUS Pillar II", "--store", report_store_path)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("path 1 (2 steps): kor — ")
    assert first.endswith(" — aukus-pillar-2")
    assert "kor (Republic of Korea)" in result.stdout


def test_path_with_an_ambiguous_name_lists_the_choices(report_store_path: Path) -> None:
    result = run_cli("path", "Vision Group", "kor", "--store", report_store_path)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("policygraph: error: 'Vision Group' names 10 entities: ")
    assert line.index("jk-vision-group (Japan–Korea Vision Group") < line.index("eavg (")


def test_viz_ego_in_japanese_names_the_file_after_the_slug(
    report_store_path: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "viz", "ego", "韓国", "--format", "svg", "--store", report_store_path, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    written = tmp_path / "ego-kor-1.svg"
    assert result.stdout.startswith(f"wrote {written.name}: ")
    assert "Republic of Korea" in written.read_text(encoding="utf-8")


def test_viz_with_an_unknown_name_suggests_the_closest(
    report_store_path: Path, tmp_path: Path
) -> None:
    result = run_cli("viz", "ego", "Koreaa", "--store", report_store_path, cwd=tmp_path)
    assert result.returncode == 2
    assert "no entity is called 'Koreaa'; closest: kor (Republic of Korea, Country)" in (
        result.stderr
    )
    assert list(tmp_path.iterdir()) == []


def test_viz_options_take_names_of_their_class(report_store_path: Path, tmp_path: Path) -> None:
    wrong = run_cli(
        "viz", "proposals", "--framework", "Korea", "--store", report_store_path, cwd=tmp_path
    )
    assert wrong.returncode == 2
    assert "'Korea' is kor (Republic of Korea), a Country, not a framework" in wrong.stderr
    right = run_cli(
        "viz", "proposals", "--actor", "Australia", "--framework", "AUKUS Pillar II",
        "--format", "svg", "--store", report_store_path, cwd=tmp_path,
    )  # fmt: skip
    assert right.returncode == 0, right.stderr
    assert (tmp_path / "proposals-aus-aukus-pillar-2.svg").exists()
