"""Network views of the graph: pyvis networks, self-contained HTML, static SVG/PNG.

::

    views.py     ego, frameworks, proposals, path, overview: store (+ parameters) -> View
    view.py      View (a pyvis Network with title, legend, caption), compose(), the limits
    encoding.py  colours (Okabe–Ito), shapes, line styles, node sizes: one table
    layout.py    seeded, precomputed positions (force-directed, radial)
    html.py      our own Jinja template with vis-network inlined: no request leaves the page
    static.py    SVG/PNG through networkx + matplotlib, CJK fonts from fonts.py
    output.py    where a file may be written, and writing it atomically

Nothing here opens a store or reads settings at import time.
"""

from viz.html import render_html
from viz.view import View, ViewTooLargeError
from viz.views import VIEWS, ego, frameworks, overview, path, proposals

__all__ = [
    "VIEWS",
    "View",
    "ViewTooLargeError",
    "ego",
    "frameworks",
    "overview",
    "path",
    "proposals",
    "render_html",
]
