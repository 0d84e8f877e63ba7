"""``policygraph viz`` as a user runs it: the issue's examples, one-line errors, exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import run_cli

pytestmark = pytest.mark.slow  # every test starts policygraph, some several times


def test_the_examples_of_the_issue(report_store_path: Path, tmp_path: Path) -> None:
    store = ["--store", str(report_store_path)]
    runs = [
        ["ego", "kor", "--depth", "2", "-o", "kor.html"],
        ["frameworks", "ipef", "cptpp", "msp", "--lang", "ja", "-o", "fw.svg"],
        ["proposals", "--section", "jkvg2025-section-1-2", "-o", "s.png"],
        ["path", "kor", "aukus-pillar-2", "-o", "p.html"],
    ]
    for args in runs:
        result = run_cli("viz", *args, *store, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"wrote {args[-1]}: ")
    assert "<!DOCTYPE html>" in (tmp_path / "kor.html").read_text(encoding="utf-8")
    assert (tmp_path / "fw.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert Image.open(io.BytesIO((tmp_path / "s.png").read_bytes())).width >= 1800
    assert "concerns" in (tmp_path / "p.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fw.svg", "kor.html", "p.html", "s.png"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["ego", "nowhere", "-o", "x.html"], "no entity has the slug 'nowhere'"),
        (["ego", "kor", "--depth", "4", "-o", "x.html"], "--depth"),
        (["ego", "kor", "--depth", "0", "-o", "x.html"], "--depth"),
        (["galaxy", "kor"], "No such command"),
        (["path", "kor", "nowhere", "-o", "x.html"], "nowhere"),
        (["ego", "kor", "-o", "x.docx"], "cannot tell the format"),
        (["ego", "kor", "-o", "nodir/x.html"], "does not exist"),
        (["ego", "../../etc", "-o", "./"], "no entity is called '../../etc'"),
        (["overview", "--max-nodes", "10", "-o", "x.html"], "more than the limit of 10"),
    ],
)
def test_mistakes_exit_2_and_write_nothing(
    report_store_path: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    result = run_cli("viz", *args, "--store", str(report_store_path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    if args[0] != "galaxy" and "--depth" not in words:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("policygraph: error: ")
    assert list(tmp_path.iterdir()) == []


def test_nothing_to_show_still_writes_a_page(report_store_path: Path, tmp_path: Path) -> None:
    result = run_cli(
        "viz", "ego", "kor", "--type", "section", "-o", tmp_path, "--store", report_store_path
    )
    assert result.returncode == 0, result.stderr
    (page,) = tmp_path.iterdir()
    assert page.name == "ego-kor-1.html"
    assert "Nothing to show" in page.read_text(encoding="utf-8")


def test_a_view_is_the_same_file_in_every_process(report_store_path: Path, tmp_path: Path) -> None:
    """A figure embedded in a briefing is made again the same: two processes with different
    string hashing draw the frameworks view byte for byte alike (two memberships of one pair
    and role, Australia's in NATO, once swapped their evidence between runs)."""
    drawn = []
    for seed in ("1", "2"):
        out = tmp_path / f"frameworks-{seed}.html"
        env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYGRAPH_")}
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", "viz", "frameworks", "--store",
             str(report_store_path), "-o", str(out)],
            capture_output=True, text=True, cwd=tmp_path, timeout=300,
            env=env | {"PYTHONHASHSEED": seed},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        drawn.append(out.read_bytes())
    assert b"NATO" in drawn[0]
    assert drawn[0] == drawn[1]
