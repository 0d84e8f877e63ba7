"""CJK fonts for static exports, from PyPI packages (no system font needed).

``matplotlib-fontja`` ships IPAexGothic (Japanese kana and kanji, Latin); it has no hangul,
so ``koreanize-matplotlib``'s NanumGothic follows it in the fallback list, and matplotlib
takes each glyph from the first font that has it. The packages are located without being
imported: importing them changes matplotlib's global settings.
"""

from __future__ import annotations

import base64
import functools
import importlib.util
import io
from pathlib import Path

__all__ = ["FONT_FAMILIES", "embedded_font_faces", "font_files", "register_fonts"]

#: The families labels are set in, in order of preference; DejaVu Sans ships with matplotlib.
FONT_FAMILIES = ["IPAexGothic", "NanumGothic", "DejaVu Sans"]

_FILES = (
    ("matplotlib_fontja", "fonts/ipaexg.ttf"),
    ("koreanize_matplotlib", "fonts/NanumGothic.ttf"),
)


def font_files() -> list[Path]:
    """The font files the installed packages ship (missing packages are left out)."""
    found = []
    for package, relative in _FILES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        path = Path(next(iter(spec.submodule_search_locations))) / relative
        if path.is_file():
            found.append(path)
    return found


@functools.cache
def register_fonts() -> list[str]:
    """Make the CJK fonts known to matplotlib (once); the families to use, in order."""
    from matplotlib import font_manager

    for path in font_files():
        font_manager.fontManager.addfont(str(path))
    known = {f.name for f in font_manager.fontManager.ttflist}
    return [family for family in FONT_FAMILIES if family in known]


def embedded_font_faces(text: str) -> str:
    """CSS ``@font-face`` rules carrying the bundled fonts, cut down to the characters of
    ``text``, as ``data:`` URLs: an SVG that holds them draws its text in the fonts it was
    laid out with wherever it is opened (a browser, a slide program that reads CSS), so
    labels that do not overlap here do not overlap there. ``""`` where fontTools cannot
    subset a font (the families' names still apply).
    """
    from fontTools import subset  # type: ignore[import-untyped]  # matplotlib needs it

    families = dict(zip(("IPAexGothic", "NanumGothic"), font_files(), strict=False))
    rules = []
    for family, path in families.items():
        options = subset.Options()
        options.name_IDs, options.notdef_outline, options.recalc_timestamp = ["*"], True, False
        try:
            font = subset.load_font(str(path), options)
            subsetter = subset.Subsetter(options)
            subsetter.populate(text=text)
            subsetter.subset(font)
            out = io.BytesIO()
            font.save(out)
        except Exception:  # a font we cannot cut is left to the viewer
            continue
        data = base64.b64encode(out.getvalue()).decode("ascii")
        rules.append(
            f"@font-face {{ font-family: '{family}'; "
            f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}"
        )
    return "\n".join(rules)
