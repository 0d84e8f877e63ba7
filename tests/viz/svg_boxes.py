"""Reading a figure's SVG as a reader sees it: each text's lines, size and box on the page.

Text boxes are computed from what the SVG says (position, anchor, font size, the string)
and the width of the string in the figure's first font family, measured by FreeType
through matplotlib — the same fonts a viewer of the SVG is told to use.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache

from viz.placement import Box

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Line:
    """One ``<text>`` element: its string, font size (SVG units) and box (y down)."""

    text: str
    size: float
    box: Box


def svg_root(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def page_size(root: ET.Element) -> tuple[float, float]:
    """Width and height of the page in SVG units (points)."""
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    return width, height


def groups(root: ET.Element, prefix: str) -> dict[str, ET.Element]:
    """The ``<g>`` elements whose id starts with ``prefix``, by id."""
    return {
        g.attrib["id"]: g
        for g in root.iter(f"{SVG}g")
        if "id" in g.attrib and g.attrib["id"].startswith(prefix)
    }


def lines_of(group: ET.Element) -> list[Line]:
    """The text lines inside ``group``, in order."""
    found = []
    for element in group.iter(f"{SVG}text"):
        style = dict(
            part.split(":", 1) for part in element.attrib["style"].split(";") if ":" in part
        )
        style = {k.strip(): v.strip() for k, v in style.items()}
        size = float(style["font-size"].removesuffix("px"))
        if "x" in element.attrib:
            x, y = float(element.attrib["x"]), float(element.attrib["y"])
        else:
            x, y = (float(v) for v in _NUMBER.findall(element.attrib["transform"])[:2])
        string = element.text or ""
        width, ascent, descent = _measure(string, size)
        anchor = style.get("text-anchor", "start")
        left = x - {"start": 0.0, "middle": width / 2, "end": width}[anchor]
        found.append(Line(string, size, (left, y - ascent, left + width, y + descent)))
    return found


def union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def path_box(group: ET.Element) -> Box:
    """The box of the first ``<path>`` in ``group`` (a legend's frame, the drawing area)."""
    path = next(group.iter(f"{SVG}path"))
    numbers = [float(n) for n in _NUMBER.findall(path.attrib["d"])]
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


@cache
def _renderer() -> object:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(100, 100, 72)  # type: ignore[no-untyped-call]


def _measure(string: str, size: float) -> tuple[float, float, float]:
    """Width, ascent and descent of ``string`` at ``size`` points (72 dpi: 1 pt = 1 unit)."""
    from matplotlib.font_manager import FontProperties

    from viz.fonts import register_fonts
    from viz.static import FONT_FALLBACKS

    families = [f for f in register_fonts() if f not in FONT_FALLBACKS] + FONT_FALLBACKS
    prop = FontProperties(family=families, size=size)
    width, height, descent = _renderer().get_text_width_height_descent(  # type: ignore[attr-defined]
        string, prop, ismath=False
    )
    return float(width), float(height - descent), float(descent)
