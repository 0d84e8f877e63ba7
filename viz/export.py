"""A view as a file for documents and slides: SVG, PNG, PDF or a one-slide PPTX.

>>> sorted(EXPORT_FORMATS)
['pdf', 'png', 'pptx', 'svg']
"""

from __future__ import annotations

from collections.abc import Sequence

from graph.errors import UsageError
from graph.memo import Memo
from graph.store.port import GraphStore
from viz.figure import FigureOptions, figure_text
from viz.view import View

__all__ = ["EXPORT_FORMATS", "export", "export_deck"]

#: The formats :func:`export` writes.
EXPORT_FORMATS = ("svg", "png", "pdf", "pptx")


def export(
    view: View, store: GraphStore, fmt: str, options: FigureOptions, memo: Memo | None = None
) -> bytes:
    """``view`` as ``fmt`` with the figure ``options`` (words read from ``store``, through
    ``memo`` when the view was made with one: the graph is then read once).

    :raises UsageError: an unknown format or a bad option.
    :raises UnknownEntityError: a highlighted entity is unknown.
    """
    if fmt == "pptx":
        return export_deck([view], store, options, memo)
    if fmt not in ("svg", "png", "pdf"):
        raise UsageError(f"unknown format {fmt!r}; choose svg, png, pdf or pptx")
    from viz.static import render_static

    return render_static(view, fmt, figure_text(view, store, options, memo))  # type: ignore[arg-type]


def export_deck(
    views: Sequence[View], store: GraphStore, options: FigureOptions, memo: Memo | None = None
) -> bytes:
    """A deck of one slide per view, in order, with the figure ``options``. Highlighted
    entities are ringed on the slides whose view shows them."""
    from dataclasses import replace

    from viz.slides import deck

    slides = []
    for view in views:
        own = options
        if len(views) > 1:
            drawn = {str(n["id"]) for n in view.nodes}
            shown = tuple(s for s in options.highlight if s in drawn)
            own = replace(options, highlight=shown, title=None)  # each its generated title
        slides.append((view, figure_text(view, store, own, memo)))
    return deck(slides, options.aspect)
