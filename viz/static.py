"""Static SVG and PNG exports of a view, for slides and documents (networkx + matplotlib).

The same nodes, colours, shapes, positions and legend as the HTML view, with the title
above and the source caption below. PNG at 300 dpi, 2,400 pixels wide; SVG with text as
paths, so the figure looks the same on a machine without CJK fonts. Both are
deterministic: no dates, fixed SVG ids.
"""

from __future__ import annotations

import io
import math
import unicodedata
from typing import Any, Literal

from viz.view import EDGE_LABEL_LIMIT, LegendEntry, View

__all__ = ["DPI", "WIDTH_INCHES", "render_static"]

DPI = 300
WIDTH_INCHES = 8.0
HEIGHT_INCHES = 6.0
_MARKERS = {
    "dot": "o",
    "square": "s",
    "triangle": "^",
    "triangleDown": "v",
    "diamond": "D",
    "star": "*",
    "hexagon": "h",
}
_ALL_LABELS = 60


def render_static(view: View, fmt: Literal["svg", "png"]) -> bytes:
    """The view drawn as SVG or PNG bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from viz.fonts import register_fonts

    families = register_fonts()
    with matplotlib.rc_context(
        {
            "font.family": families or ["DejaVu Sans"],
            "svg.fonttype": "path",
            "svg.hashsalt": "policygraph",
            "path.simplify": False,
        }
    ):
        fig = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
        FigureCanvasAgg(fig)
        title = fig.text(
            0.02, 0.975, _wrap(view.title, 95), fontsize=11, va="top", ha="left",
        )  # fmt: skip
        title.set_gid("title")
        ax = fig.add_axes((0.01, 0.09, 0.74, 0.80))
        ax.set_axis_off()
        if view.message:
            ax.text(0.5, 0.5, _wrap(view.message, 60), ha="center",
                    va="center", fontsize=11, color="#555555", transform=ax.transAxes)  # fmt: skip
        else:
            _draw(ax, view)
            legend = _legend(fig, view.legend)
            legend.set_gid("legend")
        caption = fig.text(
            0.02, 0.015, _wrap(view.caption, 150), fontsize=5.5,
            color="#444444", va="bottom", ha="left",
        )  # fmt: skip
        caption.set_gid("caption")
        out = io.BytesIO()
        if fmt == "png":
            fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
        else:
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        return out.getvalue()


def _draw(ax: Any, view: View) -> None:
    from matplotlib.patches import FancyArrowPatch

    at = {n["id"]: (float(n.get("x", 0.0)), -float(n.get("y", 0.0))) for n in view.nodes}
    xs = [x for x, _ in at.values()]
    ys = [y for _, y in at.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1.0)
    pad = span * 0.04
    ax.update_datalim([(min(xs) - pad, min(ys) - pad), (max(xs) + pad, max(ys) + pad)])
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    # Marker sizes in points: vis sizes are pixels on a canvas about 1,000 px wide.
    scale = 0.45 if len(view.nodes) <= 80 else 0.3
    radius = {n["id"]: float(n.get("size", 10)) * scale for n in view.nodes}
    show_edge_labels = len(view.edges) <= EDGE_LABEL_LIMIT // 3 or view.view_name == "path"
    for edge in view.edges:
        source, target = at[edge["from"]], at[edge["to"]]
        dashes = edge.get("dashes") or None
        width = float(edge.get("width", 1.5)) * (0.5 if len(view.edges) <= 200 else 0.3)
        rad = float(edge.get("smooth", {}).get("roundness", 0.0))
        arrow = FancyArrowPatch(
            source, target,
            arrowstyle="-|>", mutation_scale=5, color=edge["color"]["color"], linewidth=width,
            linestyle=(0, tuple(d * 0.5 for d in dashes)) if dashes else "solid",
            connectionstyle=f"arc3,rad={-rad}", shrinkA=radius[edge["from"]],
            shrinkB=radius[edge["to"]], alpha=0.85, zorder=1,
        )  # fmt: skip
        ax.add_patch(arrow)
        if show_edge_labels and edge.get("label"):
            mx, my = (source[0] + target[0]) / 2, (source[1] + target[1]) / 2
            ax.text(mx, my, edge["label"], fontsize=4, color="#333333", ha="center",
                    va="center", zorder=3,
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                          "alpha": 0.8})  # fmt: skip
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for node in view.nodes:
        key = (_MARKERS.get(str(node.get("shape")), "o"), node["color"]["background"])
        groups.setdefault(key, []).append(node)
    for (marker, colour), members in sorted(groups.items()):
        ax.scatter(
            [at[n["id"]][0] for n in members], [at[n["id"]][1] for n in members],
            s=[(radius[n["id"]] * 2) ** 2 / 4 for n in members], marker=marker, c=colour,
            edgecolors=[n["color"]["border"] for n in members],
            linewidths=[0.4 * float(n.get("borderWidth", 1)) for n in members], zorder=2,
        )  # fmt: skip
    ranked = sorted(view.nodes, key=lambda n: (-float(n.get("size", 0)), n["id"]))
    labelled = ranked if len(ranked) <= _ALL_LABELS else ranked[:25]
    for node in labelled:
        x, y = at[node["id"]]
        ax.annotate(
            str(node.get("label", node["id"])), (x, y), xytext=(0, -radius[node["id"]] - 1.5),
            textcoords="offset points", ha="center", va="top",
            fontsize=5 if len(ranked) <= _ALL_LABELS else 4.5, zorder=4,
            bbox={"boxstyle": "round,pad=0.08", "fc": "white", "ec": "none", "alpha": 0.7},
        )  # fmt: skip


def _legend(fig: Any, entries: list[LegendEntry]) -> Any:
    from matplotlib.lines import Line2D

    handles, labels = [], []
    for entry in entries:
        if entry.kind == "node":
            handles.append(Line2D([], [], linestyle="none", marker=_MARKERS.get(entry.shape, "o"),
                                  markerfacecolor=entry.colour, markeredgecolor="#333333",
                                  markeredgewidth=0.4, markersize=5))  # fmt: skip
        elif entry.kind == "edge":
            style: Any = (0, tuple(d * 0.5 for d in entry.dashes)) if entry.dashes else "solid"
            handles.append(Line2D([], [], color=entry.colour, linestyle=style,
                                  linewidth=entry.width * 0.6))  # fmt: skip
        else:
            handles.append(Line2D([], [], linestyle="none"))
        text = entry.label if entry.kind != "note" else _wrap(entry.label, 30)
        labels.append(text)
    rows = max(1, len(handles))
    size = 5.5 if rows <= 24 else max(3.5, 5.5 * math.sqrt(24 / rows))
    return fig.legend(
        handles, labels, loc="upper right", bbox_to_anchor=(0.995, 0.90), fontsize=size,
        title="Legend", title_fontsize=size + 0.5, frameon=True, framealpha=0.95,
        edgecolor="#cccccc", handlelength=2.2, borderaxespad=0.2,
    )  # fmt: skip


def _wrap(text: str, width: int) -> str:
    """Break ``text`` into lines of at most ``width`` columns, a CJK character taking two.

    >>> _wrap("Members of IPEF and MSP", 12)
    'Members of\\nIPEF and MSP'
    >>> _wrap("日本韓国日本韓国", 8)
    '日本韓国\\n日本韓国'
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
