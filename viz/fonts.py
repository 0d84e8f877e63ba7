"""CJK fonts for static exports, from PyPI packages (no system font needed).

``matplotlib-fontja`` ships IPAexGothic (Japanese kana and kanji, Latin); it has no hangul,
so ``koreanize-matplotlib``'s NanumGothic follows it in the fallback list, and matplotlib
takes each glyph from the first font that has it. The packages are located without being
imported: importing them changes matplotlib's global settings.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

__all__ = ["FONT_FAMILIES", "font_files", "register_fonts"]

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
