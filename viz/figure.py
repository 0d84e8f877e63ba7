"""What a static figure says and how big it is: the options a user gives, resolved once.

:class:`FigureOptions` is what the CLI and the API take (aspect, title, subtitle, caption,
highlighted entities, language); :func:`figure_text` resolves them against the store into
a :class:`FigureText` — every node's whole label in the language asked for (Korean from
``rdfs:label@ko``, English where an entity has none), the title in that language, the
translated legend and source line — which :func:`viz.static.render_static` draws without
needing the store (it may run in a child process).

>>> figure_size("16:9"), figure_size("a4")
((13.333, 7.5), (11.69, 8.27))
>>> figure_size("3:2")
Traceback (most recent call last):
...
graph.errors.UsageError: unknown aspect '3:2'; choose 16:9, 4:3, 1:1 or a4
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from graph.errors import UnknownEntityError, UsageError
from graph.memo import Memo
from graph.store.port import GraphStore
from viz.encoding import edge_style
from viz.view import LegendEntry, View
from viz.words import FIGURE_LANGUAGES, join, source_line, translate, word

__all__ = [
    "ASPECTS",
    "FigureOptions",
    "FigureText",
    "default_text",
    "figure_size",
    "figure_text",
]

#: Figure sizes (inches, landscape) by aspect: 16:9 is PowerPoint's widescreen slide.
ASPECTS: dict[str, tuple[float, float]] = {
    "16:9": (13.333, 7.5),
    "4:3": (10.0, 7.5),
    "1:1": (7.5, 7.5),
    "a4": (11.69, 8.27),
}
_MOST_HIGHLIGHTS = 20
_LONGEST_TEXT = 300


@dataclass(frozen=True)
class FigureOptions:
    """What the user asked of a static figure; ``None`` is "the generated one"."""

    aspect: str = "16:9"
    title: str | None = None
    subtitle: str | None = None
    caption: str | None = None
    highlight: tuple[str, ...] = ()
    lang: str = "en"

    def checked(self) -> FigureOptions:
        """These options, or a :class:`UsageError` naming the first bad one."""
        figure_size(self.aspect)
        if self.lang not in FIGURE_LANGUAGES:
            raise UsageError(f"unknown language {self.lang!r}; choose en, ja or ko")
        if len(self.highlight) > _MOST_HIGHLIGHTS:
            raise UsageError(f"highlight at most {_MOST_HIGHLIGHTS} entities")
        for name in ("title", "subtitle", "caption"):
            value = getattr(self, name)
            if value is not None and len(value) > _LONGEST_TEXT:
                raise UsageError(f"the {name} is longer than {_LONGEST_TEXT} characters")
            control = next((c for c in value or "" if _is_control(c)), None)
            if control is not None:  # no figure or slide format can hold one
                raise UsageError(f"the {name} holds a control character (U+{ord(control):04X})")
        return self

    @property
    def view_lang(self) -> str:
        """The language to compute the view in: the figure's (the views know all three)."""
        return self.lang


def _is_control(char: str) -> bool:
    r"""A control character XML refuses (and so SVG and PPTX), or a non-character; tab and
    line ends are text.

    >>> _is_control("\x0f"), _is_control("\ufffe"), _is_control("韓"), _is_control("\n")
    (True, True, False, False)
    """
    code = ord(char)
    if char in "\t\n\r":
        return False
    return code < 0x20 or 0x7F <= code < 0xA0 or code in (0xFFFE, 0xFFFF)


@dataclass(frozen=True)
class FigureText:
    """Everything a figure writes, resolved: no store needed to draw it."""

    title: str
    subtitle: str
    caption: str
    source: str
    #: The whole label of every node, by node id, in the figure's language.
    labels: dict[str, str]
    #: Relation (``memberOf``, ``role:Chair`` …) -> its words in the legend and on edges.
    relations: dict[str, str]
    legend: list[LegendEntry]
    lang: str = "en"
    highlight: frozenset[str] = frozenset()
    size: tuple[float, float] = ASPECTS["16:9"]
    #: Drawn without the title and caption bands (a slide carries them as its own text).
    bare: bool = False
    #: Words of the figure's frame: legend title, notes.
    frame: dict[str, str] = field(default_factory=dict)
    #: The aspect asked for (a deck's slides take it).
    aspect: str = "16:9"

    def sized(self, width: float, height: float, *, bare: bool) -> FigureText:
        """The same text for a figure of another size (inches)."""
        return replace(self, size=(width, height), bare=bare)


def figure_size(aspect: str) -> tuple[float, float]:
    """Width and height in inches of a figure of ``aspect``.

    :raises UsageError: the aspect is not one of :data:`ASPECTS`.
    """
    try:
        return ASPECTS[aspect.lower()]
    except KeyError:
        raise UsageError(f"unknown aspect {aspect!r}; choose 16:9, 4:3, 1:1 or a4") from None


def figure_text(
    view: View, store: GraphStore, options: FigureOptions, memo: Memo | None = None
) -> FigureText:
    """The words of ``view`` as a figure with ``options``, read from ``store``.

    :raises UnknownEntityError: a highlighted slug names no entity.
    :raises UsageError: an option is out of range, or a highlighted entity is not drawn.
    """
    from viz.data import graph_data

    options.checked()
    data = graph_data(store, memo)
    lang = options.lang
    drawn = {str(n["id"]) for n in view.nodes}
    for slug in options.highlight:
        data.require(slug)
        if slug not in drawn:
            raise UsageError(f"cannot highlight {slug}: it is not in this view")

    def label(slug: str) -> str:
        if slug not in data.graph:
            return ""
        if lang == "ko":
            return data.provenance.labels_ko.get(slug) or data.label(slug, "en")
        return data.label(slug, lang)

    labels = {}
    for node in view.nodes:
        slug = str(node["id"])
        # pgSuffix: a mark the view adds to a label (" *": a partial member list).
        labels[slug] = (label(slug) or str(node.get("label", slug))) + str(node.get("pgSuffix", ""))
    title = options.title if options.title is not None else title_in(view, label, lang)
    return _text(view, options, title, labels)


def default_text(view: View, options: FigureOptions | None = None) -> FigureText:
    """The words of ``view`` without a store: the view's own labels and title."""
    options = (options or FigureOptions()).checked()
    labels = {str(n["id"]): str(n.get("label", n["id"])) for n in view.nodes}
    title = options.title if options.title is not None else view.title
    return _text(view, options, title, labels)


def _text(view: View, options: FigureOptions, title: str, labels: dict[str, str]) -> FigureText:
    lang = options.lang
    relations = {
        str(e.get("relation", "")): translate(edge_style(str(e.get("relation", ""))).label, lang)
        for e in view.edges
        if e.get("relation")
    }
    legend = [replace(entry, label=translate(entry.label, lang)) for entry in view.legend]
    return FigureText(
        title=title,
        subtitle=options.subtitle or "",
        caption=options.caption or "",
        source=source_line(view.sources, lang) if view.caption else "",
        labels=labels,
        relations=relations,
        legend=legend,
        lang=lang,
        highlight=frozenset(options.highlight),
        size=figure_size(options.aspect),
        aspect=options.aspect.lower(),
        frame={"legend": word("legend", lang), "highlighted": word("highlighted", lang)},
    )


def title_in(view: View, label: object, lang: str) -> str:
    """The generated title in ``lang``: the view's own in English, else from its parameters."""
    if lang == "en":
        return view.title
    name = view.view_name
    params = view.params

    def named(key: str) -> list[str]:
        value = params.get(key, [])
        slugs = (
            [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        )
        return [view.names.get(s) or label(s) or s for s in slugs]  # type: ignore[operator]

    try:
        if name == "ego":
            return word("ego", lang, label=named("slug")[0], depth=str(params.get("depth", 1)))
        if name == "frameworks":
            names = named("slug")
            return (
                word("frameworks", lang, names=join(names, lang))
                if names
                else word("frameworks-all", lang)
            )
        if name == "proposals":
            parts = [
                word(f"proposals-{key}", lang, x=named(key)[0])
                for key in ("section", "actor", "framework", "topic")
                if params.get(key)
            ]
            if params.get("document"):  # any of them
                either = word("or", lang).join(named("document"))
                parts.append(word("proposals-document", lang, x=either))
            if not parts:
                return word("proposals-all", lang)
            return word("proposals", lang, filters=word("list", lang).join(parts))
        if name == "path":
            return word("path", lang, a=named("source")[0], b=named("target")[0])
        if name == "overview":
            return word("overview", lang)
        if name == "memberships":
            names = named("actor") or named("slug")
            if names:
                return word("memberships", lang, names=join(names, lang))
    except (IndexError, KeyError, ValueError, UnknownEntityError):
        pass
    return view.title
