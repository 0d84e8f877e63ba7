"""Static SVG, PNG and PDF figures of a view, ready for a slide (networkx + matplotlib).

What the interactive view first shows (:func:`viz.focus.fold`: a large view's focus, its
large groups one labelled node), in the same colours and shapes. The figure is sized by
its aspect (16:9 is a 13.33 × 7.5 in widescreen slide): the title and subtitle in a band
above, the caption and source line in a band below, the legend in a column to the right
of the drawing — never over it. Text is set so that on a 1920 px wide slide a node label
is at least 14 px tall (8 pt at 16:9); labels are whole (wrapped, never cut) and placed
by :mod:`viz.placement` so that none covers another or a node; labels that fit nowhere
are left out, and the legend says how many.

SVG keeps its text as ``<text>`` (editable in slide software) in fonts named with CJK
fallbacks; PDF embeds its fonts (TrueType, Type 42); PNG is 300 dpi. All three are
deterministic: no dates, fixed ids.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import replace
from typing import Any, Literal

from viz.figure import FigureText, default_text
from viz.focus import GROUP_NOTE, fold
from viz.placement import Item, place
from viz.view import EDGE_LABEL_LIMIT, LegendEntry, View
from viz.words import translate

__all__ = ["DPI", "FONT_FALLBACKS", "LABEL_POINTS", "render_static"]

DPI = 300
#: Node labels in points: 8 pt on a 13.33 in wide figure is 16 px on a 1920 px slide.
LABEL_POINTS = 8.0
#: Families named after the bundled ones, for viewers of an SVG that lack them.
FONT_FALLBACKS = ["Noto Sans CJK JP", "Noto Sans CJK KR", "DejaVu Sans", "sans-serif"]
_EDGE_POINTS = 7.0
_TITLE_POINTS = 20.0
_SUBTITLE_POINTS = 13.0
_CAPTION_POINTS = 8.5
_LEGEND_POINTS = 9.0
_MARGIN = 0.3  # inches
_MARKERS = {
    "dot": "o",
    "square": "s",
    "triangle": "^",
    "triangleDown": "v",
    "diamond": "D",
    "star": "*",
    "hexagon": "h",
}
#: The most labels a figure tries to place (in order of importance).
_MOST_LABELS = 120
#: The most central entities always get a label, over smaller nodes if need be.
_FIRST_LABELS = 6
#: Above this many edges they are drawn as plain lines, without arrow heads.
_MOST_ARROWS = 100
_HIGHLIGHT = "#D55E00"


def render_static(
    view: View, fmt: Literal["svg", "png", "pdf"], text: FigureText | None = None
) -> bytes:
    """The view drawn as SVG, PNG or PDF bytes, with the words of ``text`` (default: the
    view's own, 16:9)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from viz.fonts import register_fonts

    text = text or default_text(view)
    # What a person reads: the first focus of the interactive view, large groups one node.
    folded = fold(view, keep=text.highlight)
    if folded is not view:
        # The legend's words for what the folded view draws, and a word on its groups.
        kept = [t for t, e in zip(text.legend, view.legend, strict=True) if e in folded.legend]
        if any(n.get("pgAggregate") for n in folded.nodes):
            kept.append(LegendEntry("note", translate(GROUP_NOTE, text.lang)))
        view, text = folded, replace(text, legend=kept)
    families = [f for f in register_fonts() if f not in FONT_FALLBACKS]
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "TSI0 NOT subset" on PDFs
    with matplotlib.rc_context(
        {
            "font.family": families + FONT_FALLBACKS,
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "svg.hashsalt": "policygraph",
            "path.simplify": False,
        }
    ):
        width, height = text.size
        fig = Figure(figsize=(width, height), dpi=DPI)
        canvas = FigureCanvasAgg(fig)
        renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
        top, bottom = _frame(fig, renderer, text)
        if view.message:
            message = fig.text(0.5, (top + bottom) / 2, _wrap(view.message, 70), ha="center",
                               va="center", fontsize=14, color="#555555")  # fmt: skip
            message.set_gid("message")
        else:
            (legend_left, legend_bottom), _ = _legend(fig, renderer, view, text, top, bottom)
            left, right = _MARGIN / width, legend_left - 0.2 / width
            ax = fig.add_axes((left, bottom, right - left, top - bottom))
            _blank(ax)
            missing = _draw(ax, renderer, view, text)
            if missing:
                note = fig.text(legend_left, legend_bottom - 0.12 / height,
                                _wrap(_unlabelled(missing, text.lang), 34),
                                fontsize=_EDGE_POINTS, color="#555555", ha="left", va="top")  # fmt: skip
                note.set_gid("unlabelled")
        return _save(fig, fmt)


def _frame(fig: Any, renderer: Any, text: FigureText) -> tuple[float, float]:
    """Title, subtitle, caption and source line; the figure fractions left between them."""
    width, height = text.size
    margin_x, margin_y = _MARGIN / width, _MARGIN / height
    top, bottom = 1 - margin_y, margin_y
    columns = int(width * 72 / _TITLE_POINTS * 1.7)
    if not text.bare:
        for gid, words, size, weight in (
            ("title", text.title, _TITLE_POINTS, "normal"),
            ("subtitle", text.subtitle, _SUBTITLE_POINTS, "normal"),
        ):
            if not words:
                continue
            chars = int(columns * _TITLE_POINTS / size)
            part = fig.text(margin_x, top, _wrap(words, chars), fontsize=size, va="top",
                            ha="left", fontweight=weight, color="#111111")  # fmt: skip
            part.set_gid(gid)
            top = (
                fig.transFigure.inverted().transform((0, part.get_window_extent(renderer).y0))[1]
                - 0.08 / height
            )
        chars = int(width * 72 / _CAPTION_POINTS * 1.8)
        for gid, words, colour in (
            ("source", text.source, "#444444"),
            ("caption", text.caption, "#222222"),
        ):
            if not words:
                continue
            part = fig.text(margin_x, bottom, _wrap(words, chars), fontsize=_CAPTION_POINTS,
                            va="bottom", ha="left", color=colour)  # fmt: skip
            part.set_gid(gid)
            bottom = (
                fig.transFigure.inverted().transform((0, part.get_window_extent(renderer).y1))[1]
                + 0.05 / height
            )
        bottom += 0.1 / height
    return top, bottom


def _legend(
    fig: Any, renderer: Any, view: View, text: FigureText, top: float, bottom: float
) -> Any:
    """The legend in a column at the right; its box in figure fractions."""
    from matplotlib.lines import Line2D

    width = text.size[0]
    entries = list(text.legend)
    if text.highlight:
        entries.append(LegendEntry("node", text.frame.get("highlighted", "highlighted")))
    handles, labels = [], []
    for entry in entries:
        if entry.kind == "node" and not entry.shape:  # the highlight's ring
            handles.append(Line2D([], [], linestyle="none", marker="o", markersize=11,
                                  markerfacecolor="none", markeredgecolor=_HIGHLIGHT,
                                  markeredgewidth=2.0))  # fmt: skip
        elif entry.kind == "node":
            handles.append(Line2D([], [], linestyle="none", marker=_MARKERS.get(entry.shape, "o"),
                                  markerfacecolor=entry.colour, markeredgecolor="#333333",
                                  markeredgewidth=0.6, markersize=9))  # fmt: skip
        elif entry.kind == "edge":
            style: Any = (0, tuple(d * 0.5 for d in entry.dashes)) if entry.dashes else "solid"
            handles.append(Line2D([], [], color=entry.colour, linestyle=style,
                                  linewidth=max(1.0, entry.width * 0.8)))  # fmt: skip
        else:
            handles.append(Line2D([], [], linestyle="none"))
        labels.append(_wrap(entry.label, 30 if entry.kind == "note" else 26))
    size = _LEGEND_POINTS
    anchor = (1 - _MARGIN / width, top)
    for columns in (1, 2, 3):
        legend = fig.legend(
            handles, labels, loc="upper right", bbox_to_anchor=anchor, fontsize=size,
            title=text.frame.get("legend", "Legend"), title_fontsize=size + 1, frameon=True,
            framealpha=1.0, edgecolor="#cccccc", handlelength=2.2, borderaxespad=0.0,
            ncols=columns, alignment="left",
        )  # fmt: skip
        legend.set_gid("legend")
        box = legend.get_window_extent(renderer)
        if box.height <= (top - bottom) * fig.bbox.height or columns == 3:
            break
        legend.remove()
    return fig.transFigure.inverted().transform(box)


def _blank(ax: Any) -> None:
    """An axes with no ticks or spines; its white patch (``drawing``) marks the area."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.patch.set_gid("drawing")


def _draw(ax: Any, renderer: Any, view: View, text: FigureText) -> int:
    """Edges, nodes and labels; how many nodes are left without a label."""
    from matplotlib.collections import LineCollection
    from matplotlib.patches import FancyArrowPatch

    at = {n["id"]: (float(n.get("x", 0.0)), -float(n.get("y", 0.0))) for n in view.nodes}
    _limits(ax, list(at.values()))
    count = len(view.nodes)
    scale = 0.9 if count <= 60 else 0.6 if count <= 200 else 0.4
    diameter = {n["id"]: float(n.get("size", 10)) * scale for n in view.nodes}
    highlighted = text.highlight
    show_edge_labels = len(view.edges) <= EDGE_LABEL_LIMIT // 3 or view.view_name == "path"
    if len(view.edges) <= _MOST_ARROWS:
        for edge in view.edges:
            near = not highlighted or bool({edge["from"], edge["to"]} & highlighted)
            rad = float(edge.get("smooth", {}).get("roundness", 0.0))
            arrow = FancyArrowPatch(
                at[edge["from"]], at[edge["to"]],
                arrowstyle="-|>", mutation_scale=8, color=edge["color"]["color"],
                linewidth=float(edge.get("width", 1.5)) * 0.8, linestyle=_dashes(edge),
                connectionstyle=f"arc3,rad={-rad}", shrinkA=diameter[edge["from"]] / 2,
                shrinkB=diameter[edge["to"]] / 2, alpha=0.85 if near else 0.25, zorder=1,
            )  # fmt: skip
            ax.add_patch(arrow)
    else:
        # Many edges: straight lines, one collection per style (arrows cost seconds here).
        styles: dict[tuple[str, Any, float, bool], list[Any]] = {}
        for edge in view.edges:
            near = not highlighted or bool({edge["from"], edge["to"]} & highlighted)
            style = (edge["color"]["color"], _dashes(edge), float(edge.get("width", 1.5)), near)
            styles.setdefault(style, []).append((at[edge["from"]], at[edge["to"]]))
        for (colour, dashes, width, near), segments in sorted(styles.items(), key=str):
            ax.add_collection(LineCollection(segments, colors=colour, linestyles=dashes,
                                             linewidths=width * 0.35, alpha=0.6 if near else 0.2,
                                             zorder=1))  # fmt: skip
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for node in view.nodes:
        look = (_MARKERS.get(str(node.get("shape")), "o"), node["color"]["background"])
        groups.setdefault(look, []).append(node)
    for (marker, colour), members in sorted(groups.items()):
        ax.scatter(
            [at[n["id"]][0] for n in members], [at[n["id"]][1] for n in members],
            s=[diameter[n["id"]] ** 2 for n in members], marker=marker, c=colour,
            edgecolors=[n["color"]["border"] for n in members],
            linewidths=[0.6 * float(n.get("borderWidth", 1)) for n in members], zorder=2,
        )  # fmt: skip
    if highlighted:
        rings = [n for n in view.nodes if n["id"] in highlighted]
        ax.scatter([at[n["id"]][0] for n in rings], [at[n["id"]][1] for n in rings],
                   s=[(diameter[n["id"]] + 12) ** 2 for n in rings], marker="o",
                   facecolors="none", edgecolors=_HIGHLIGHT, linewidths=2.5, zorder=3)  # fmt: skip
    return _labels(ax, renderer, view, text, at, diameter, show_edge_labels)


def _dashes(edge: dict[str, Any]) -> Any:
    dashes = edge.get("dashes")
    return (0, tuple(d * 0.5 for d in dashes)) if dashes else "solid"


def _limits(ax: Any, points: list[tuple[float, float]]) -> None:
    """Data limits that fit ``points`` into the drawing with room for labels at the sides
    (1.5 in on a slide) and above and below (0.5 in). The layout fills the drawing's width and height (a
    force layout's proportions carry no meaning, and a slide is wider than it is tall),
    one direction stretched by at most half as much again as the other."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    box = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    width, height = box.width * fig_w, box.height * fig_h
    side, above = min(1.5, 0.16 * width), min(0.5, 0.08 * height)  # room for labels
    per_x = max(width - 2 * side, 1.0) / span_x  # inches per unit
    per_y = max(height - 2 * above, 1.0) / span_y
    per_x, per_y = min(per_x, 1.5 * per_y), min(per_y, 1.5 * per_x)
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    ax.set_xlim(mid_x - width / 2 / per_x, mid_x + width / 2 / per_x)
    ax.set_ylim(mid_y - height / 2 / per_y, mid_y + height / 2 / per_y)


def _labels(
    ax: Any,
    renderer: Any,
    view: View,
    text: FigureText,
    at: dict[str, tuple[float, float]],
    diameter: dict[str, float],
    show_edge_labels: bool,
) -> int:
    """Node labels (and edge labels where there are few edges) where they fit; how many
    nodes are left without one."""
    pixels = renderer.points_to_pixels(1.0)
    centre = str(view.params.get("slug", "")) if view.view_name == "ego" else ""

    def rank(node: dict[str, Any]) -> tuple[int, float, str]:
        first = node["id"] == centre or node["id"] in text.highlight
        return (0 if first else 1, -float(node.get("size", 0)), str(node["id"]))

    ranked = sorted(view.nodes, key=rank)[:_MOST_LABELS]
    items, drawn = [], {}
    for rank_of, node in enumerate(ranked):
        key = str(node["id"])
        words = _wrap(text.labels.get(key) or str(node.get("label", key)), 24)
        bold = key in text.highlight or key == centre
        # No bold face ships for the CJK fonts: the first labels are larger instead.
        label = ax.text(0, 0, words, fontsize=LABEL_POINTS + (1.5 if bold else 0.0),
                        ha="left", va="bottom", color="#000000" if bold else "#111111",
                        linespacing=1.1, zorder=5)  # fmt: skip
        box = label.get_window_extent(renderer)
        x, y = ax.transData.transform(at[key])
        radius = (diameter[key] / 2 + (7.5 if key in text.highlight else 0.0)) * pixels
        first = bold or rank_of < _FIRST_LABELS
        items.append(Item(key, x, y, radius, box.width, box.height, important=first))
        drawn[key] = label
    sizes: dict[str, tuple[float, float]] = {}
    if show_edge_labels:
        for i, edge in enumerate(view.edges):
            words = text.relations.get(str(edge.get("relation", "")), "")
            if not words:
                continue
            label = ax.text(0, 0, words, fontsize=_EDGE_POINTS, ha="left", va="bottom",
                            color="#333333", style="italic", zorder=4)  # fmt: skip
            if words not in sizes:  # a few relations, many edges: measure each once
                box = label.get_window_extent(renderer)
                sizes[words] = (box.width, box.height)
            width, height = sizes[words]
            (x0, y0), (x1, y1) = (ax.transData.transform(at[edge[k]]) for k in ("from", "to"))
            key = f"edge:{i}"
            items.append(Item(key, (x0 + x1) / 2, (y0 + y1) / 2, 0.0, width, height))
            drawn[key] = label
    axes_box = ax.get_window_extent(renderer)
    bounds = (axes_box.x0, axes_box.y0, axes_box.x1, axes_box.y1)
    to_axes = ax.transAxes.inverted()
    placed = {p.key: p for p in place(items, bounds, gap=2.0 * pixels, pad=1.0 * pixels)}
    for key, label in drawn.items():
        spot = placed.get(key)
        if spot is None:
            label.remove()
            continue
        label.set_transform(ax.transAxes)
        label.set_position(tuple(to_axes.transform((spot.x, spot.y))))
        label.set_horizontalalignment(spot.ha)
        label.set_verticalalignment(spot.va)
        label.set_gid(f"label:{key}" if not key.startswith("edge:") else f"edge-label:{key[5:]}")
        label.set_bbox({"boxstyle": "square,pad=0", "fc": "white", "ec": "none", "alpha": 0.75})
    return len(view.nodes) - sum(1 for k in placed if not k.startswith("edge:"))


def _unlabelled(count: int, lang: str) -> str:
    from viz.words import word

    return word("unlabelled", lang, n=count)


def _save(fig: Any, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "png":
        # Fast zlib: a third of the time of the default level for a file about a fifth
        # larger (a 16:9 figure at 300 dpi is 4,000 × 2,250 pixels).
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None},
                    pil_kwargs={"compress_level": 1})  # fmt: skip
    elif fmt == "pdf":
        fig.savefig(out, format="pdf", metadata={"CreationDate": None, "Creator": None,
                                                 "Producer": None})  # fmt: skip
    else:
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return _with_fonts(out.getvalue())
    return out.getvalue()


def _with_fonts(svg: bytes) -> bytes:
    """The SVG with the bundled fonts, cut down to its characters, in its ``<style>``."""
    import html
    import re

    from viz.fonts import embedded_font_faces

    text = svg.decode("utf-8")
    written = "".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", text))
    faces = embedded_font_faces("".join(sorted(set(written))))
    if not faces:
        return svg
    marker = '<style type="text/css">'
    return text.replace(marker, marker + faces + "\n", 1).encode("utf-8")


def _wrap(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` columns, a CJK character taking two.

    >>> _wrap("Members of IPEF and MSP", 12)
    'Members of\\nIPEF and MSP'
    >>> _wrap("日本韓国日本韓国", 8)
    '日本韓国\\n日本韓国'
    >>> _wrap("Japan's National Security Strategy (2022) *", 24)
    "Japan's National\\nSecurity Strategy (2022) *"
    """
    lines: list[str] = []
    line, used = "", 0
    for word in _words(text):
        cost = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)
        if line and used + cost > width:
            lines.append(line.rstrip())
            line = word.lstrip()
            used = cost - (len(word) - len(line))
        else:
            line, used = line + word, used + cost
    if line:
        lines.append(line.rstrip())
    if len(lines) > 1 and len(lines[-1]) <= 2:  # a lone mark (" *") joins the line before
        lines[-2:] = [lines[-2] + (" " if " " in text else "") + lines[-1]]
    return "\n".join(lines)


def _words(text: str) -> list[str]:
    """Words with their leading space; every CJK character is a word of its own."""
    words: list[str] = []
    for c in text:
        wide = unicodedata.east_asian_width(c) in "WF"
        if wide or not words or c == " " or unicodedata.east_asian_width(words[-1][-1]) in "WF":
            words.append(c)
        else:
            words[-1] += c
    return words
