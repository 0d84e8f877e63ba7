"""The matrix form of the membership view: frameworks × actors, the role in each cell.

Often the better slide: one row per framework (shared ones first, as in
:func:`viz.memberships.membership_table`), one column per actor, each cell the actor's
roles and dates with its status shown by a tint and a word (proposed, suspended, ended).
:func:`matrix` builds it, :func:`render_matrix_html` writes a self-contained page (no
script at all), :func:`render_matrix_static` a matplotlib figure (SVG, PNG at 300 dpi, PDF)
sized for a 16:9 slide, rows split into side-by-side panels when there are many.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import shlex
from dataclasses import dataclass
from typing import Any

import jinja2

from graph.errors import UsageError
from graph.memo import Memo
from graph.store.port import GraphStore
from viz.memberships import MembershipTable, membership_table, parse_as_of, status_word
from viz.sources import sources_of
from viz.view import FONT_STACK
from viz.words import FIGURE_LANGUAGES, join, source_line, word

__all__ = ["CELL_STYLES", "Matrix", "matrix", "render_matrix_html", "render_matrix_static"]

#: Cell tint and the word that says the status (none for an active membership).
CELL_STYLES: dict[str, tuple[str, str]] = {
    "active": ("#cfe3f2", ""),
    "suspended": ("#fbe3b0", "suspended"),
    "ended": ("#e3e3e3", "ended"),
    "proposed": ("#f9d3bf", "proposed"),
}
#: "as of DATE" after the title, by language.
_AS_OF = {"en": ", as of {}", "ja": "（{}時点）", "ko": " ({} 기준)"}
#: The height of a row of the static figure (two lines of 8 pt).
ROW_INCHES = 0.25
#: The narrowest panel of the static figure with two actors (each more adds half an inch).
PANEL_INCHES = 3.2


@dataclass(frozen=True)
class Cell:
    """One actor's standing in one framework: words, status, and the tint to draw."""

    text: str
    status: str
    #: The status in the matrix's language (``""`` for active).
    word: str = ""

    @property
    def tint(self) -> str:
        return CELL_STYLES[self.status][0]

    @property
    def words(self) -> str:
        """The roles and, for any status but active, the status in brackets."""
        return f"{self.text} ({self.word})" if self.word else self.text


@dataclass(frozen=True)
class Row:
    """A framework and the cells of the actors (``None``: not a member on the date)."""

    slug: str
    label: str
    partial: bool
    cells: tuple[Cell | None, ...]


@dataclass(frozen=True)
class Matrix:
    """Actors (columns) × frameworks (rows) on a date, with the title and source line."""

    title: str
    actors: tuple[str, ...]
    actor_labels: tuple[str, ...]
    rows: tuple[Row, ...]
    as_of: str
    caption: str
    lang: str = "en"
    #: ``as_of`` was asked for (else the matrix is "as of today" and its permalink too).
    dated: bool = False

    @property
    def any_partial(self) -> bool:
        return any(r.partial for r in self.rows)

    def query(self) -> list[tuple[str, str]]:
        """The query string of ``/viz/memberships`` that draws this matrix again."""
        pairs = [("actor", a) for a in self.actors] + [("form", "matrix")]
        if self.dated:
            pairs.append(("as_of", self.as_of))
        if self.lang != "en":
            pairs.append(("lang", self.lang))
        return pairs

    def command(self) -> str:
        """The ``policygraph viz memberships`` command that draws this matrix again."""
        words = ["policygraph", "viz", "memberships", *self.actors, "--matrix"]
        if self.dated:
            words += ["--as-of", self.as_of]
        if self.lang != "en":
            words += ["--lang", self.lang]
        return shlex.join(words)


def matrix(
    store: GraphStore,
    actors: list[str],
    *,
    as_of: str | None = None,
    lang: str = "en",
    memo: Memo | None = None,
) -> Matrix:
    """The membership matrix of ``actors`` on ``as_of`` (default today).

    :raises UnknownEntityError: an actor is unknown.
    :raises UsageError: no actor, too many, ``as_of`` is not a date, or ``lang`` is not
        en, ja or ko.
    """
    if lang not in FIGURE_LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose en, ja or ko")
    day = parse_as_of(as_of)
    table = membership_table(store, actors, day, memo)
    return _from_table(table, lang, dated=bool(as_of))


def _from_table(table: MembershipTable, lang: str, *, dated: bool) -> Matrix:
    rows = tuple(
        Row(
            slug=f,
            label=table.label(f, lang),
            partial=f in table.partial,
            cells=tuple(
                Cell(t.text_in(lang), t.status, status_word(t.status, lang))
                if (t := table.ties.get((a, f)))
                else None
                for a in table.actors
            ),
        )
        for f in table.frameworks
    )
    labels = tuple(table.label(a, lang) for a in table.actors)
    evidence = itertools.chain.from_iterable(t.evidence for t in table.ties.values())
    title = word("memberships", lang, names=join(list(labels), lang)) + _AS_OF[lang].format(
        table.as_of
    )
    return Matrix(
        title=title,
        actors=table.actors,
        actor_labels=labels,
        rows=rows,
        as_of=table.as_of,
        caption=source_line(
            sources_of(evidence, table.data.provenance.documents if table.data else {}), lang
        ),
        lang=lang,
        dated=dated,
    )


@functools.cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("viz", "templates"), autoescape=True,
        keep_trailing_newline=True,
    )  # fmt: skip
    return env.get_template("matrix.html.j2")


def render_matrix_html(m: Matrix, *, embed: bool = False, base_url: str = "") -> str:
    """The matrix as one self-contained HTML page (``embed``: without the page's chrome)."""
    from urllib.parse import urlencode

    from viz.html import DEFAULT_BASE_URL

    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    link = f"{base}/viz/memberships?{urlencode(m.query())}"
    embed_link = f"{base}/viz/memberships?{urlencode([*m.query(), ('embed', '1')])}"
    return _template().render(
        m=m,
        embed=embed,
        permalink=link,
        embed_link=embed_link,
        command=m.command(),
        font_stack=FONT_STACK,
        styles=CELL_STYLES,
    )


def render_matrix_static(
    m: Matrix,
    fmt: str,
    *,
    size: tuple[float, float] = (13.333, 7.5),
    title: str | None = None,
    subtitle: str = "",
    caption: str = "",
) -> bytes:
    """The matrix as an SVG (text as text), PNG (300 dpi) or PDF (fonts embedded) figure of
    ``size`` inches (16:9 by default: on a 1920-pixel-wide slide its smallest text is 14 px),
    with ``title`` (default the matrix's), a ``subtitle`` and a ``caption`` above the key."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from viz.fonts import register_fonts

    families = register_fonts()
    width, height = size
    with matplotlib.rc_context(
        {
            "font.family": [*families, "DejaVu Sans"] if families else ["DejaVu Sans"],
            "svg.fonttype": "none",
            "pdf.fonttype": 42,
            "svg.hashsalt": "policygraph",
        }
    ):
        fig = Figure(figsize=size, dpi=300)
        FigureCanvasAgg(fig)
        heading = _fit(m.title if title is None else title, width - 0.4, 16, most=2)
        fig.text(0.2 / width, 1 - 0.18 / height, heading, fontsize=16, va="top", ha="left")
        top_band = 0.5 + 0.3 * heading.count("\n")
        if subtitle:
            fig.text(0.2 / width, 1 - (top_band + 0.02) / height, subtitle, fontsize=11,
                     va="top", ha="left", color="#333333")  # fmt: skip
            top_band += 0.3
        foot = ((_fit(caption, width - 0.4, 8, most=2) + "\n") if caption else "") + _foot(m, width)
        fig.text(0.2 / width, 0.1 / height, foot, fontsize=7.5, color="#333333", va="bottom",
                 ha="left")  # fmt: skip
        bottom_band = 0.2 + 0.16 * (foot.count("\n") + 1)
        if not m.rows:
            fig.text(0.5, 0.5, "No framework membership on this date.", ha="center", fontsize=14)
        else:
            _panels(fig, m, size, (1 - (top_band + 0.25) / height, (bottom_band + 0.1) / height))
        out = io.BytesIO()
        metadata: dict[str, Any] = {
            "png": {"Software": None},
            "svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
        }[fmt]
        fig.savefig(out, format=fmt, dpi=300, metadata=metadata)
        return out.getvalue()


#: The key under the static matrix, by language: the tints, then the partial-list mark.
_KEY = {
    "en": ("Tint: blue active · orange suspended · grey ended · red proposed by the report.",
           "* member list partial: an empty cell may be a missing fact."),
    "ja": ("色：青＝参加中・橙＝枠組みが停止中・灰＝終了・赤＝報告書の提言。",
           "＊構成員リストは一部のみ：空欄は事実の欠落の場合がある。"),
    "ko": ("색: 파랑=참여 중 · 주황=프레임워크 중단 · 회색=종료 · 빨강=보고서의 제언.",
           "* 회원 목록 일부만: 빈칸은 누락된 사실일 수 있음."),
}  # fmt: skip


def _foot(m: Matrix, width: float) -> str:
    tints, partial = _KEY.get(m.lang, _KEY["en"])
    key = tints + ("  " + partial if m.any_partial else "")
    return _fit(key, width - 0.4, 7.5, most=2) + "\n" + _fit(m.caption, width - 0.4, 7.5, most=3)


def _panels(fig: Any, m: Matrix, size: tuple[float, float], band: tuple[float, float]) -> None:
    """The rows in side-by-side panels between ``band`` (top, bottom; figure fractions): a
    row is as tall as its longest text (two lines, or three), the panels share the rows by
    height, each no narrower than :data:`PANEL_INCHES`."""
    fig_w, fig_h = size
    top, bottom = band
    fitting = max(4, int((top - bottom) * fig_h / ROW_INCHES) - 1)
    widest = max(1, int(fig_w / (PANEL_INCHES + 0.5 * max(0, len(m.actors) - 2))))
    panels = min(math.ceil(len(m.rows) / fitting), widest)
    left, right = 0.2 / fig_w, 1 - 0.2 / fig_w
    width = (right - left) / panels
    inches = fig_w * (width - 0.01)
    label_share = 0.5 if len(m.actors) <= 2 else 0.34
    cell = (1 - label_share) / len(m.actors)
    drawn = [_texts(row, label_share * inches, cell * inches) for row in m.rows]
    # Each row's height in rows of two lines; the panels take about equal heights.
    heights = [
        max(1.0, max(t.count("\n") + 1 for t in (label, *cells)) / 2) for label, _, cells in drawn
    ]
    share = sum(heights) / panels
    groups: list[list[int]] = [[]]
    used = 0.0
    for i, h in enumerate(heights):
        if used + h > share + 0.5 and len(groups) < panels and groups[-1]:
            groups.append([])
            used = 0.0
        groups[-1].append(i)
        used += h
    tallest = max(sum(heights[i] for i in g) for g in groups)
    for p, group in enumerate(groups):
        ax = fig.add_axes((left + p * width, bottom, width - 0.01, top - bottom))
        ax.set_axis_off()
        ax.set_xlim(0, 1)
        ax.set_ylim(tallest + 1, 0)
        for c, name in enumerate(m.actor_labels):
            ax.text(label_share + (c + 0.5) * cell, 0.5, _fit(name, cell * inches, 9), ha="center",
                    va="center", fontsize=9)  # fmt: skip
        y = 1.0
        for i in group:
            _row(ax, m.rows[i], drawn[i], y, heights[i], label_share, cell)
            y += heights[i]


def _texts(row: Row, label_inches: float, cell_inches: float) -> tuple[str, float, list[str]]:
    """A row's label (wrapped, with its size) and its cells' words, wrapped."""
    label, points = _label(row.label + ("\u00a0*" if row.partial else ""), label_inches)
    cells = [_cell(c.words, cell_inches) if c else "—" for c in row.cells]
    return label, points, cells


def _row(
    ax: Any,
    row: Row,
    texts: tuple[str, float, list[str]],
    y: float,
    height: float,
    label_share: float,
    cell: float,
) -> None:
    from matplotlib.patches import Rectangle

    label, points, words = texts
    middle = y + height / 2
    ax.text(0.005, middle, label, ha="left", va="center", fontsize=points)
    ax.axhline(y, color="#dddddd", linewidth=0.4)
    for c, found in enumerate(row.cells):
        x = label_share + c * cell
        if found is None:
            ax.text(x + cell / 2, middle, "—", ha="center", va="center", fontsize=8,
                    color="#888888")  # fmt: skip
            continue
        ax.add_patch(Rectangle((x + 0.003, y + 0.06), cell - 0.006, height - 0.12,
                               facecolor=found.tint, edgecolor="none"))  # fmt: skip
        ax.text(x + cell / 2, middle, words[c], ha="center", va="center", fontsize=7)


def _label(text: str, inches: float) -> tuple[str, float]:
    """A row's label wrapped whole: two lines at 8 pt, else at 7 pt (14 px on a 1920-pixel
    slide), three lines only if it must."""
    for size in (8.0, 7.0):
        wrapped = _fit(text, inches, size, most=9)
        if wrapped.count("\n") < 2:
            return wrapped, size
    return _fit(text, inches, 7.0, most=3), 7.0


def _cell(text: str, inches: float) -> str:
    """A cell's roles, one a line where they do not fit on one."""
    if len(_fit(text, inches, 7, most=9).split("\n")) == 1:
        return text
    roles = text.split("; ")
    lines = [line for role in roles for line in _fit(role, inches, 7, most=9).split("\n")]
    return "\n".join([*lines[:2], " ".join(lines[2:])]) if len(lines) > 3 else "\n".join(lines)


def _fit(text: str, inches: float, size: float, most: int = 2) -> str:
    """``text`` wrapped onto lines that fit ``inches`` at ``size`` points; past ``most``
    lines the rest goes on the last line (callers choose sizes where it does not)."""
    from viz.static import _wrap  # the figures' own wrap: a CJK character is two columns

    columns = max(8, int(inches * 72 / (size * 0.55)))
    lines = _wrap(text, columns).split("\n") if text else [""]
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return "\n".join(lines)
