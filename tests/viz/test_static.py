"""Static exports: size, resolution, legend, title, caption, CJK text, determinism."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from graph.store import OxigraphStore
from viz import views
from viz.fonts import register_fonts
from viz.static import render_static


def test_png_is_300_dpi_and_at_least_1800_pixels_wide(tiny_store: OxigraphStore) -> None:
    png = render_static(views.frameworks(tiny_store, ["msp", "ipef"], lang="ja"), "png")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1800
    assert [round(v) for v in image.info["dpi"]] == [300, 300]
    extrema = image.convert("L").getextrema()
    assert extrema[0] < 60 and extrema[1] == 255  # type: ignore[operator]  # drawn on white


def test_svg_has_title_legend_source_and_text_as_text(tiny_store: OxigraphStore) -> None:
    svg = render_static(views.ego(tiny_store, "kor", 2), "svg").decode("utf-8")
    for part in ("title", "legend", "source", "drawing"):
        assert f'id="{part}"' in svg
    assert ">Republic of Korea</text>" in svg  # editable in slide software
    assert "font-family: 'IPAexGothic', 'NanumGothic', 'Noto Sans CJK JP'" in svg
    assert render_static(views.ego(tiny_store, "kor", 2), "svg").decode() == svg


def test_cjk_fonts_come_from_pypi_packages_and_cover_hangul(tiny_store: OxigraphStore) -> None:
    assert register_fonts()[:2] == ["IPAexGothic", "NanumGothic"]
    view = views.frameworks(tiny_store, ["msp"], lang="ja")
    view.title = "日本と韓国 · 대한민국 · Japan"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        render_static(view, "png")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_nothing_to_show_is_a_figure_too(tiny_store: OxigraphStore, fmt: str) -> None:
    out = render_static(views.path(tiny_store, "kor", "lonely"), fmt)  # type: ignore[arg-type]
    assert out.startswith(b"\x89PNG" if fmt == "png" else b"<?xml")
