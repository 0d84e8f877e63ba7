"""Briefing packs as a user makes them (``policygraph viz pack``, ``-o FILE.pptx``), opened
with python-pptx: slides, titles, pictures, captions and notes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.conftest import run_cli

SOURCE = "Source: Japan–Korea Vision Group report (18 September 2025)"


def _slides(path: Path) -> tuple[object, list[object]]:
    deck = Presentation(str(path))
    return deck, list(deck.slides)


@pytest.mark.slow
def test_a_pack_has_one_slide_per_view(report_store_path: Path, tmp_path: Path) -> None:
    result = run_cli(
        "viz", "pack", "ego:kor", "frameworks:ipef,cptpp", "memberships:jpn,kor,as_of=2025-06-01",
        "--highlight", "kor", "--caption", "For the 5 December briefing",
        "-o", "brief.pptx", "--store", report_store_path, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote brief.pptx: 3 slides"
    deck, slides = _slides(tmp_path / "brief.pptx")
    assert round(deck.slide_width / deck.slide_height, 3) == round(16 / 9, 3)  # type: ignore[attr-defined]
    titles = [s.shapes.title.text for s in slides]  # type: ignore[attr-defined]
    assert titles == [
        "Republic of Korea: neighbourhood at depth 1",
        "Members of Indo-Pacific Economic Framework for Prosperity and Comprehensive and "
        "Progressive Agreement for Trans-Pacific Partnership",
        "Framework memberships of Japan and Republic of Korea, as of 2025-06-01",
    ]
    for slide, title in zip(slides, titles, strict=True):
        shapes = list(slide.shapes)  # type: ignore[attr-defined]
        (picture,) = [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.format == "PNG" and [round(v) for v in image.info["dpi"]] == [300, 300]
        # Drawn at the size it has on the slide: not stretched, 300 dpi there too.
        assert abs(image.width / image.height - picture.width / picture.height) < 0.01
        assert round(image.width / (picture.width / 914400)) == 300
        texts = [s.text_frame.text for s in shapes if s.has_text_frame and s != slide.shapes.title]  # type: ignore[attr-defined]
        (caption,) = [t for t in texts if SOURCE in t]
        assert caption.startswith("For the 5 December briefing\n")
        notes = slide.notes_slide.notes_text_frame.text  # type: ignore[attr-defined]
        assert notes.startswith(title + "\n") and SOURCE in notes


@pytest.mark.slow
def test_one_view_as_a_4_3_japanese_slide(report_store_path: Path, tmp_path: Path) -> None:
    result = run_cli(
        "viz", "path", "kor", "aukus-pillar-2", "--aspect", "4:3", "--lang", "ja",
        "-o", "p.pptx", "--store", report_store_path, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    deck, slides = _slides(tmp_path / "p.pptx")
    assert (deck.slide_width, deck.slide_height) == (9144000, 6858000)  # type: ignore[attr-defined]
    (slide,) = slides
    assert slide.shapes.title.text.endswith("のつながり")  # type: ignore[attr-defined]
    assert "出典：日韓ビジョングループ報告書（2025年9月18日）" in (
        slide.notes_slide.notes_text_frame.text  # type: ignore[attr-defined]
    )


@pytest.mark.slow  # each case starts policygraph
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["pack", "ego:kor", "-o", "b.png"], "a pack is a PowerPoint deck: name it .pptx"),
        (["pack", "galaxy:kor", "-o", "b.pptx"], "unknown view 'galaxy'"),
        (["pack", "path:kor", "-o", "b.pptx"], "path takes 2 entities, not 1"),
        (["pack", "ego:kor,depth=9", "-o", "b.pptx"], "depth must be 1, 2 or 3"),
        (["ego", "kor", "--aspect", "3:2", "-o", "k.svg"], "unknown aspect '3:2'"),
        (["ego", "kor", "--lang", "fr", "-o", "k.html"], "unknown language 'fr'"),
        (
            ["path", "kor", "aukus-pillar-2", "--highlight", "ipef", "-o", "p.png"],
            "cannot highlight ipef: it is not in this view",
        ),
        (["ego", "kor", "--title", "x" * 301, "-o", "k.pdf"], "the title is longer than 300"),
    ],
)
def test_mistakes_exit_2_and_write_nothing(
    report_store_path: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    result = run_cli("viz", *args, "--store", str(report_store_path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("policygraph: error: ")
    assert words in lines[0]
    assert list(tmp_path.iterdir()) == []
