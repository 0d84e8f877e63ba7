"""Self-contained HTML for a view: one UTF-8 file from which no request leaves.

Our own Jinja template (pyvis's loads Bootstrap from a CDN even "in line") with
vis-network's script and stylesheet inlined from the copy the pyvis package ships. A
Content-Security-Policy allows only those two scripts (by hash) and no fetch of any kind,
so the file opens from ``file://`` on a machine with no network, and a label that looks
like HTML stays text: Jinja escapes it in the page, the data block escapes ``<``, ``>``
and ``&``, and vis-network shows tooltips as plain text.

>>> from viz.view import View
>>> page = render_html(View(name="overview", title="<b>x</b>", params={}))
>>> "&lt;b&gt;x&lt;/b&gt;" in page, "<b>x</b>" in page, 'src="http' in page
(True, False, False)
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import json
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2

from viz import focus
from viz.encoding import CLASS_GROUPS, edge_style, group_of, node_style
from viz.figure import title_in
from viz.memberships import status_word
from viz.view import FONT_STACK, LegendEntry, View
from viz.words import class_name, page_words, source_line, translate

__all__ = ["DEFAULT_BASE_URL", "cli_command", "permalink", "render_html", "vis_assets"]

#: Where the permalinks of files written by the CLI point: ``policygraph serve``'s default.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_VIS = "templates/lib/vis-9.1.2"

#: The page's own script (focus, expand, filter, panel, permalink) and stylesheet.
_EXPLORE_JS = "explore.js"
_EXPLORE_CSS = "explore.css"


@functools.cache
def vis_assets() -> tuple[str, str]:
    """vis-network's minified script and stylesheet, from the pyvis package's own copy."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the pyvis package is not installed")
    folder = Path(next(iter(spec.submodule_search_locations))) / _VIS
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    # Neither may close its element early.
    return script.replace("</script", "<\\/script"), style.replace("</style", "<\\/style")


@functools.cache
def _explore_asset(name: str) -> str:
    """``explore.js`` or ``explore.css`` from the templates folder."""
    text = (Path(__file__).parent / "templates" / name).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script").replace("</style", "<\\/style")


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("viz", "templates"),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    return env.get_template("view.html.j2")


def permalink(view: View, base_url: str = DEFAULT_BASE_URL, **extra: str) -> str:
    """The URL of ``GET /viz/{view}`` that reproduces ``view``.

    >>> permalink(View(name="ego", title="", params={"slug": "kor", "depth": 2}, lang="ja"))
    'http://127.0.0.1:8000/viz/ego?slug=kor&depth=2&lang=ja'
    """
    query: list[tuple[str, str]] = []
    for key, value in view.params.items():
        values = value if isinstance(value, list) else [value]
        query += [(key, str(v)) for v in values]
    if view.lang != "en":
        query.append(("lang", view.lang))
    query += list(extra.items())
    url = f"{base_url.rstrip('/')}/viz/{view.view_name}"
    return url + ("?" + urlencode(query) if query else "")


def cli_command(view: View) -> str:
    """The ``policygraph viz`` command that draws ``view`` again.

    >>> cli_command(View(name="frameworks", title="", params={"slug": ["ipef", "msp"]}))
    'policygraph viz frameworks ipef msp'
    """
    words = ["policygraph", "viz", view.view_name]
    params = dict(view.params)
    positional = ("slug", "source", "target") + (("actor",) * (view.view_name == "memberships"))
    for key in positional:
        value = params.pop(key, None)
        if value is not None:
            words += [str(v) for v in (value if isinstance(value, list) else [value])]
    for key, value in params.items():
        for v in value if isinstance(value, list) else [value]:
            words += [f"--{key.replace('_', '-')}", str(v)]
    if view.lang != "en":
        words += ["--lang", view.lang]
    return shlex.join(words)


def render_html(view: View, *, embed: bool = False, base_url: str = DEFAULT_BASE_URL) -> str:
    """The view as one self-contained HTML page (``embed``: without the page's chrome)."""
    vis_js, vis_css = vis_assets()
    link = permalink(view, base_url)
    lang = view.lang
    words = page_words(lang)
    data = {
        "nodes": view.nodes,
        # Edge tooltips are written by the page from the nodes' and memberships' evidence:
        # they repeat a proposal's passages on each of its edges, half the page's weight.
        "edges": [{k: v for k, v in e.items() if k != "title"} for e in view.edges],
        "options": view.vis_options,
        "focus": focus.start(view),
        "centre": view.centre,
        "groups": _group_words(lang),
        "relations": _relation_words(view),
        "words": words,
        "terms": _term_words(lang),
        "lang": lang,
        "entityBase": base_url.rstrip("/") + "/id/",
        "permalink": link,
        "name": view.view_name,
        # Edge labels where the relations are the point (a path; a view laid out whole).
        "edgeLabels": view.view_name == "path" or bool(getattr(view, "whole", False)),
    }
    init_js = "var PG_DATA = " + _script_json(data) + ";\n" + _explore_asset(_EXPLORE_JS)
    labels = {str(n["id"]): str(n.get("label", "")) for n in view.nodes}
    title = title_in(view, labels.get, lang)
    embed_link = permalink(view, base_url, embed="1")
    snippet = (
        f'<iframe src="{_attr(embed_link)}" title="{_attr(title)}" width="100%" '
        f'height="600" style="border:0" loading="lazy"></iframe>'
    )
    command = cli_command(view)
    return _template().render(
        lang=lang,
        title=title,
        words=words,
        offline=words["offline"].split("{command}"),
        view_name=view.view_name,
        embed=embed,
        message=view.message,
        caption=source_line(view.sources, lang) if lang != "en" else view.caption,
        legend_groups=_legend_groups(view.legend, lang),
        permalink=link,
        snippet=snippet,
        command=command,
        font_stack=FONT_STACK,
        vis_css=vis_css,
        explore_css=_explore_asset(_EXPLORE_CSS),
        vis_js=vis_js,
        init_js=init_js,
        script_sources=" ".join(f"'sha256-{_digest(s)}'" for s in (vis_js, init_js)),
    )


@functools.cache
def _group_words(lang: str) -> dict[str, dict[str, Any]]:
    """Each class of nodes as the page names it in ``lang`` (in the legend, filters and
    groups: ``one``/``many`` in running text), with its colour, shape and rank."""
    styles = {**{group_of(c): node_style(c) for c in CLASS_GROUPS}, "other": node_style("")}
    return {
        group: {
            "label": translate(style.label, lang),
            "one": class_name(group, lang)[0],
            "many": class_name(group, lang)[1],
            "colour": style.colour,
            "shape": style.shape,
            "rank": focus.RANK.index(group) if group in focus.RANK else len(focus.RANK),
        }
        for group, style in styles.items()
    }


@functools.cache
def _term_words(lang: str) -> dict[str, str]:
    """How the side panel names a membership's roles and statuses in ``lang``."""
    roles = ("Member", "Founder", "Chair", "Host", "Partner", "Observer", "Applicant")
    statuses = ("Proposed", "Suspended", "Ended")
    return {
        **{role: translate(role.lower(), lang) for role in roles},
        **{status: status_word(status.lower(), lang) for status in statuses},
    }


def _relation_words(view: View) -> dict[str, dict[str, Any]]:
    """The label (in the view's language) and order of every relation drawn in ``view``."""
    relations = {str(e["relation"]) for e in view.edges}
    return {
        r: {"label": translate(edge_style(r).label, view.lang), "order": edge_style(r).order}
        for r in sorted(relations)
    }


def _script_json(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _digest(script: str) -> str:
    return base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )


class _Entry:
    """A legend entry with its symbol drawn as inline SVG."""

    def __init__(self, entry: LegendEntry, lang: str) -> None:
        self.kind = entry.kind
        self.label = translate(entry.label, lang)
        self.svg = _symbol(entry)


def _legend_groups(legend: list[LegendEntry], lang: str) -> list[list[_Entry]]:
    groups: list[list[_Entry]] = []
    for kind in ("node", "edge", "note"):
        entries = [_Entry(e, lang) for e in legend if e.kind == kind]
        if entries:
            groups.append(entries)
    return groups


_SHAPES = {
    "dot": '<circle cx="8" cy="8" r="6"/>',
    "square": '<rect x="2" y="2" width="12" height="12"/>',
    "triangle": '<polygon points="8,1.5 14.5,14 1.5,14"/>',
    "triangleDown": '<polygon points="1.5,2 14.5,2 8,14.5"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
    "star": '<polygon points="8,1 9.9,6 15,6 10.9,9.2 12.4,14.5 8,11.3 3.6,14.5 5.1,9.2 1,6 6.1,6"/>',
    "hexagon": '<polygon points="4.5,2 11.5,2 15,8 11.5,14 4.5,14 1,8"/>',
}


def _symbol(entry: LegendEntry) -> str:
    if entry.kind == "node":
        shape = _SHAPES.get(entry.shape, _SHAPES["dot"])
        return (
            f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
            f'<g fill="{_attr(entry.colour)}" stroke="#333" stroke-width="1">{shape}</g></svg>'
        )
    if entry.kind == "edge":
        dash = ",".join(str(d) for d in entry.dashes)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<svg width="30" height="12" viewBox="0 0 30 12" aria-hidden="true">'
            f'<line x1="1" y1="6" x2="29" y2="6" stroke="{_attr(entry.colour)}" '
            f'stroke-width="{entry.width}"{dash_attr}/></svg>'
        )
    return ""
