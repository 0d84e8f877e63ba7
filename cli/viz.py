"""``policygraph viz …``: draw a view to an HTML, SVG or PNG file.

Each command calls one view function of :mod:`viz.views` and writes the result with
:func:`viz.output.write_atomically`; mistakes (unknown slug, depth outside 1–3, a path
outside the directory named …) are :class:`~graph.errors.PolicyGraphError` and so one line
on stderr with exit code 2. Entities are named by slug, IRI, name or alias in English,
Japanese or Korean (:func:`graph.query.resolve.resolve_entity`): an ambiguous or unknown
name is exit 2 with the choices.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from graph.store.port import GraphStore

if TYPE_CHECKING:
    from graph.memo import Memo
    from viz.figure import FigureOptions
    from viz.settings import VizSettings

viz_app = typer.Typer(
    name="viz",
    help="Draw network views as self-contained HTML, SVG, PNG, PDF or PowerPoint slides.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="The file to write (.html, .svg, .png, .pdf, .pptx) or a directory; default: here.",
    ),
]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help="html, svg, png, pdf or pptx (default: from the name)."),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language: en, ja or ko.")]
AspectOption = Annotated[
    str, typer.Option("--aspect", help="svg, png, pdf, pptx: 16:9, 4:3, 1:1 or a4 (landscape).")
]
TitleOption = Annotated[
    str | None, typer.Option("--title", help="svg, png, pdf, pptx: the title (default: generated).")
]
SubtitleOption = Annotated[
    str | None, typer.Option("--subtitle", help="svg, png, pdf, pptx: a line under the title.")
]
CaptionOption = Annotated[
    str | None,
    typer.Option("--caption", help="svg, png, pdf, pptx: a caption above the source line."),
]
HighlightOption = Annotated[
    list[str] | None,
    typer.Option(
        "--highlight", help="svg, png, pdf, pptx: ring these entities (repeatable, or a,b)."
    ),
]
EmbedOption = Annotated[
    bool, typer.Option("--embed", help="HTML without the page around the figure (for iframes).")
]
MaxNodesOption = Annotated[
    int | None,
    typer.Option(
        "--max-nodes", min=1, help="Refuse views with more entities (default 1000, or env)."
    ),
]
StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", help="The store: a path (default var/store, or $POLICYGRAPH_STORE) or memory:."
    ),
]


def _draw(
    stem: str,
    make: Callable[[GraphStore, int, Memo], object],
    output: Path | None,
    fmt: str | None,
    embed: bool,
    max_nodes: int | None,
    store: str | None,
    figure: FigureOptions | None = None,
) -> None:
    from graph.errors import UsageError
    from graph.memo import Memo
    from graph.settings import GraphSettings
    from graph.store import open_store
    from viz import views
    from viz.export import export
    from viz.figure import FigureOptions
    from viz.output import target_path, write_atomically
    from viz.settings import VizSettings
    from viz.view import View

    settings = VizSettings()
    path, chosen = target_path(output, stem, fmt)
    figure = figure or FigureOptions()
    if chosen == "html" and figure.lang not in views.LANGUAGES:
        raise UsageError(f"unknown language {figure.lang!r}; choose en, ja or ko")
    graph_store = open_store(store or GraphSettings().store)
    try:
        memo = Memo()  # the view and its figure read the graph once
        view = make(graph_store, max_nodes or settings.max_nodes, memo)
        assert isinstance(view, View)
        if chosen != "html":
            content = export(view, graph_store, chosen, figure, memo)
    finally:
        graph_store.close()
    if chosen == "html":
        from viz.html import render_html

        base_url = _links_base(settings)
        content = render_html(view, embed=embed, base_url=base_url).encode("utf-8")
    write_atomically(path, content)
    if view.message:
        typer.echo(f"wrote {path}: {view.message}")
    else:
        typer.echo(f"wrote {path}: {len(view.nodes):,} entities, {len(view.edges):,} relations")


def _figure(
    store: str | None,
    lang: str,
    aspect: str,
    title: str | None,
    subtitle: str | None,
    caption: str | None,
    highlight: list[str] | None,
) -> FigureOptions:
    """The options of a static figure as the command line gave them, checked; highlighted
    entities named as everywhere else (``--highlight kor --highlight 日本`` or ``kor,jpn``)."""
    from viz.figure import FigureOptions

    names = [n.strip() for given in highlight or () for n in given.split(",") if n.strip()]
    slugs = tuple(_resolve(store, names)) if names else ()
    return FigureOptions(aspect, title, subtitle, caption, slugs, lang).checked()


def _view_lang(lang: str) -> str:
    """The language to compute a view in: Korean figures take their labels later
    (:func:`viz.figure.figure_text`) from a view in English."""
    from viz.views import LANGUAGES

    return lang if lang in LANGUAGES or lang != "ko" else "en"


def _resolve(
    store: str | None, names: list[str], classes: tuple[str, ...] | None = None
) -> list[str]:
    """The slugs of entities named on the command line (slug, IRI, name or alias)."""
    from graph.query.resolve import resolve_each
    from graph.settings import GraphSettings
    from graph.store import open_store

    graph_store = open_store(store or GraphSettings().store)
    try:
        return resolve_each(graph_store, names, classes=classes)
    finally:
        graph_store.close()


def _documents(store: str | None, names: list[str]) -> tuple[str, ...]:
    """The slugs of the documents named on the command line (slug, IRI or title); a name of
    no document is exit 2 with the closest documents."""
    from graph.query.in_documents import resolve_documents
    from graph.settings import GraphSettings
    from graph.store import open_store

    graph_store = open_store(store or GraphSettings().store)
    try:
        return resolve_documents(graph_store, names)
    finally:
        graph_store.close()


def _links_base(settings: VizSettings) -> str:
    """Where the permalink and iframe snippet of a written page point: the server's public
    URL, as ``policygraph serve`` takes it (``POLICYGRAPH_PUBLIC_URL``, else
    ``http://POLICYGRAPH_HOST:POLICYGRAPH_PORT``), unless ``POLICYGRAPH_VIZ_BASE_URL``
    names another."""
    from pydantic import ValidationError

    from graph.errors import UsageError
    from serving.settings import Settings

    if "base_url" in settings.model_fields_set:
        return settings.base_url
    try:
        return Settings().public_base_url()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"invalid server settings: {problems}") from exc


@viz_app.command()
def ego(
    slug: Annotated[
        str, typer.Argument(help="The entity at the centre (a name or slug: Korea, 韓国, ipef …).")
    ],
    depth: Annotated[int, typer.Option("--depth", "-d", min=1, max=3, help="Hops, 1–3.")] = 1,
    types: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="Keep only this class or group (repeatable)."),
    ] = None,
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    title: TitleOption = None,
    subtitle: SubtitleOption = None,
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    embed: EmbedOption = False,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """An entity and its neighbourhood."""
    from viz import views

    [slug] = _resolve(store, [slug])
    _draw(
        f"ego-{slug}-{depth}",
        lambda s, limit, memo: views.ego(s, slug, depth, types or (), lang=_view_lang(lang), max_nodes=limit, memo=memo),
        output, fmt, embed, max_nodes, store,
        _figure(store, lang, aspect, title, subtitle, caption, highlight),
    )  # fmt: skip


@viz_app.command()
def frameworks(
    slugs: Annotated[
        list[str] | None,
        typer.Argument(help="Frameworks (names or slugs); none: all with members."),
    ] = None,
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    title: TitleOption = None,
    subtitle: SubtitleOption = None,
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    embed: EmbedOption = False,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """Actors and the frameworks they belong to, roles as line styles."""
    from viz import views

    chosen = _resolve(store, slugs) if slugs else []
    _draw(
        "frameworks-" + "-".join(chosen[:5]) if chosen else "frameworks",
        lambda s, limit, memo: views.frameworks(s, chosen, lang=_view_lang(lang), max_nodes=limit, memo=memo),
        output, fmt, embed, max_nodes, store,
        _figure(store, lang, aspect, title, subtitle, caption, highlight),
    )  # fmt: skip


@viz_app.command()
def proposals(
    section: Annotated[
        str | None, typer.Option(help="A section or chapter (title or slug).")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="An actor the proposals involve.")] = None,
    framework: Annotated[str | None, typer.Option(help="A framework they concern.")] = None,
    topic: Annotated[str | None, typer.Option(help="A topic they address.")] = None,
    document: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            help="Only proposals with a passage in this document (slug or title; repeatable: "
            "any of them).",
        ),
    ] = None,
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    title: TitleOption = None,
    subtitle: SubtitleOption = None,
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    embed: EmbedOption = False,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """Proposals with the actors, frameworks and topics they involve."""
    from graph.query.finder import Selection
    from graph.query.resolve import ACTORS, FRAMEWORKS, SECTIONS, TOPICS
    from viz import views

    kinds = ((section, SECTIONS), (actor, ACTORS), (framework, FRAMEWORKS), (topic, TOPICS))
    section, actor, framework, topic = (
        _resolve(store, [name], classes)[0] if name else None for name, classes in kinds
    )
    documents = _documents(store, document) if document else ()
    # With documents, the proposal finder's selection, as /viz/proposals?document=… makes it.
    filters = {"section": section, "actor": actor, "framework": framework, "topic": topic}
    chosen = {name: [slug] for name, slug in filters.items() if slug}
    selection = Selection.of({**chosen, "document": list(documents)}) if documents else None
    given = [v for v in (section, actor, framework, topic, *documents) if v]
    _draw(
        "proposals-" + "-".join(given) if given else "proposals",
        lambda s, limit, memo: views.proposals(
            s, section=section, actor=actor, framework=framework, topic=topic,
            lang=_view_lang(lang), max_nodes=limit, selection=selection, memo=memo,
        ),
        output, fmt, embed, max_nodes, store,
        _figure(store, lang, aspect, title, subtitle, caption, highlight),
    )  # fmt: skip


@viz_app.command()
def path(
    source: Annotated[str, typer.Argument(help="One entity (name or slug).")],
    target: Annotated[str, typer.Argument(help="The other entity (name or slug).")],
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    title: TitleOption = None,
    subtitle: SubtitleOption = None,
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    embed: EmbedOption = False,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """The shortest connections between two entities."""
    from viz import views

    source, target = _resolve(store, [source, target])
    _draw(
        f"path-{source}-{target}",
        lambda s, limit, memo: views.path(s, source, target, lang=_view_lang(lang), max_nodes=limit, memo=memo),
        output, fmt, embed, max_nodes, store,
        _figure(store, lang, aspect, title, subtitle, caption, highlight),
    )  # fmt: skip


@viz_app.command()
def overview(
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    title: TitleOption = None,
    subtitle: SubtitleOption = None,
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    embed: EmbedOption = False,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """The whole graph."""
    from viz import views

    _draw(
        "overview",
        lambda s, limit, memo: views.overview(s, lang=_view_lang(lang), max_nodes=limit, memo=memo),
        output, fmt, embed, max_nodes, store,
        _figure(store, lang, aspect, title, subtitle, caption, highlight),
    )  # fmt: skip


@viz_app.command()
def memberships(
    actors: Annotated[list[str], typer.Argument(help="Actors (slugs or names): jpn Korea 豪州 …")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The date the memberships hold on (YYYY-MM-DD; today)."),
    ] = None,
    as_matrix: Annotated[
        bool, typer.Option("--matrix", help="Actors × frameworks as a table, role in the cell.")
    ] = False,
    output: OutputOption = None,
    fmt: FormatOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    title: TitleOption = None,
    subtitle: SubtitleOption = None,
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    embed: EmbedOption = False,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """Chosen actors against the frameworks they belong to: shared ones in the middle."""
    from viz import views

    actors = _resolve(store, actors)

    stem = "memberships-" + "-".join(actors[:5]) + ("-matrix" if as_matrix else "")
    if as_matrix:
        if highlight:
            from graph.errors import UsageError

            raise UsageError("--highlight rings nodes of a network: leave it out with --matrix")
        words = {"title": title, "subtitle": subtitle or "", "caption": caption or ""}
        _draw_matrix(stem, actors, as_of, output, fmt, lang, embed, store, aspect, words)
        return
    _draw(
        stem,
        lambda s, limit, memo: views.memberships(s, actors, as_of=as_of, lang=_view_lang(lang), max_nodes=limit, memo=memo),
        output, fmt, embed, max_nodes, store,
        _figure(store, lang, aspect, title, subtitle, caption, highlight),
    )  # fmt: skip


def _draw_matrix(
    stem: str,
    actors: list[str],
    as_of: str | None,
    output: Path | None,
    fmt: str | None,
    lang: str,
    embed: bool,
    store: str | None,
    aspect: str = "16:9",
    words: dict[str, str | None] | None = None,
) -> None:
    """Write the membership matrix as an HTML table page or a static figure (of ``aspect``,
    with the ``title``, ``subtitle`` and ``caption`` of ``words`` where given)."""
    from graph.errors import UsageError
    from graph.settings import GraphSettings
    from graph.store import open_store
    from viz.figure import figure_size
    from viz.matrix import matrix, render_matrix_html, render_matrix_static
    from viz.output import target_path, write_atomically
    from viz.settings import VizSettings

    path, chosen = target_path(output, stem, fmt)
    if chosen not in ("html", "svg", "png", "pdf"):
        raise UsageError(f"the matrix is written as html, svg, png or pdf, not {chosen}")
    size = figure_size(aspect)
    given = words or {}
    graph_store = open_store(store or GraphSettings().store)
    try:
        table = matrix(graph_store, actors, as_of=as_of, lang=lang)
    finally:
        graph_store.close()
    if chosen == "html":
        base = _links_base(VizSettings())
        content = render_matrix_html(table, embed=embed, base_url=base).encode("utf-8")
    else:
        content = render_matrix_static(
            table, chosen, size=size, title=given.get("title"),
            subtitle=given.get("subtitle") or "", caption=given.get("caption") or "",
        )  # fmt: skip
    write_atomically(path, content)
    typer.echo(f"wrote {path}: {len(table.rows):,} frameworks, {len(table.actors):,} actors")


@viz_app.command()
def pack(
    specs: Annotated[
        list[str],
        typer.Argument(
            help="Views, one slide each: ego:kor[,depth=2] frameworks:ipef,cptpp "
            "memberships:jpn,kor path:kor,aukus-pillar-2 proposals:section=SLUG overview",
            show_default=False,
        ),
    ],
    output: OutputOption = None,
    lang: LangOption = "en",
    aspect: AspectOption = "16:9",
    caption: CaptionOption = None,
    highlight: HighlightOption = None,
    max_nodes: MaxNodesOption = None,
    store: StoreOption = None,
) -> None:
    """A briefing pack: a PowerPoint deck with one slide per view (title, figure, caption,
    source line, notes)."""
    from graph.errors import UsageError
    from graph.memo import Memo
    from graph.settings import GraphSettings
    from graph.store import open_store
    from viz.export import export_deck
    from viz.output import target_path, write_atomically
    from viz.pack import make_view, parse_specs
    from viz.settings import VizSettings

    chosen = parse_specs(specs)
    path, fmt = target_path(output, "pack", "pptx" if output is None or output.is_dir() else None)
    if fmt != "pptx":
        raise UsageError(f"a pack is a PowerPoint deck: name it .pptx, not {path.name!r}")
    figure = _figure(store, lang, aspect, None, None, caption, highlight)
    limit = max_nodes or VizSettings().max_nodes
    graph_store = open_store(store or GraphSettings().store)
    try:
        memo = Memo()  # the store does not change while the pack is made
        made = [
            make_view(graph_store, s, lang=_view_lang(lang), max_nodes=limit, memo=memo)
            for s in chosen
        ]
        content = export_deck(made, graph_store, figure, memo)
    finally:
        graph_store.close()
    write_atomically(path, content)
    typer.echo(f"wrote {path}: {len(made)} slides")
