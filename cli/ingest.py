"""``policygraph ingest`` and ``policygraph review``: a new document into the graph, and
the analyst's decisions on what was found in it (docs/ingest.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["ingest_command", "review_command"]

StoreOption = Annotated[
    str | None,
    typer.Option("--store", help="The built store whose names are looked for (default var/store)."),
]
DataDirOption = Annotated[
    Path | None,
    typer.Option("--data", help="The data directory holding documents/ (default graph/data)."),
]


def _data_dir(data: Path | None) -> Path:
    from graph.settings import GraphSettings

    return data or GraphSettings().data[0]


def _open(store: str | None):  # type: ignore[no-untyped-def]
    from graph.settings import GraphSettings
    from graph.store import open_store

    return open_store(store or GraphSettings().store)


def ingest_command(
    file: Annotated[Path, typer.Argument(help="The document: .txt, .md, .html or .pdf.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="ja, en or ko (detected from the script).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The document's title.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Its date: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Who published it.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where it was published.")] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="Its slug (default: from the file name).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Ingest again over an existing document.")
    ] = False,
    data: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """Ingest a document: its text, the known names in it, candidates for what the graph
    lacks; written to DATA/documents/<slug>/ for review and `policygraph build`."""
    from graph.ingest.ingest import ingest_file

    graph_store = _open(store)
    try:
        result = ingest_file(
            file,
            _data_dir(data),
            graph_store,
            language=lang,
            title=title,
            date=date,
            publisher=publisher,
            url=url,
            slug=slug,
            replace=replace,
        )
    finally:
        graph_store.close()
    record = result.record
    typer.echo(
        f"ingested {record.slug} ({record.language}, {result.line_count} lines) into "
        f"{result.folder} in {result.seconds['total']:.1f} s"
    )
    for name, count in result.counts().items():
        typer.echo(f"  {name:<20} {count:>6}")
    if replace:
        typer.echo(f"  {'decisions kept':<20} {result.decisions_kept:>6}")
    typer.echo(f"review: policygraph review {record.slug}")


def _describe(item_text: str | None, entity: str | None) -> str:
    from graph.iris import slug_of

    name = f'"{item_text}"' if item_text else ""
    target = f" → {slug_of(entity) or entity}" if entity else ""
    return (name + target).strip()


def review_command(
    document: Annotated[str, typer.Argument(help="The document's slug.")],
    action: Annotated[
        str | None, typer.Argument(help="accept, reject, link or create (none: list).")
    ] = None,
    item: Annotated[str | None, typer.Argument(help="The item: m12, c3, p4 …")] = None,
    entity: Annotated[str | None, typer.Argument(help="For link: the entity's slug.")] = None,
    label_en: Annotated[
        str | None, typer.Option("--label-en", help="create: English label.")
    ] = None,
    label_ja: Annotated[
        str | None, typer.Option("--label-ja", help="create: Japanese label.")
    ] = None,
    label_ko: Annotated[
        str | None, typer.Option("--label-ko", help="create: Korean label.")
    ] = None,
    class_name: Annotated[
        str | None, typer.Option("--class", help="create: Person, Organization, Place …")
    ] = None,
    title_ja: Annotated[
        str | None,
        typer.Option("--title-ja", help="create from a proposal candidate: Japanese title."),
    ] = None,
    title_en: Annotated[
        str | None,
        typer.Option("--title-en", help="create from a proposal candidate: English title."),
    ] = None,
    asks: Annotated[
        str | None,
        typer.Option("--asks", help="create from a proposal candidate: what it asks, in English."),
    ] = None,
    new_slug: Annotated[
        str | None, typer.Option("--slug", help="create: the new entity's or proposal's slug.")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every item, not only the open ones.")
    ] = False,
    data: DataDirOption = None,
    store: StoreOption = None,
) -> None:
    """List a document's open review items, or decide on one: accept, reject,
    link ITEM ENTITY, create ITEM --label-en … --label-ja … --class … (an entity from an
    entity candidate), create ITEM --title-ja … --title-en … [--asks …] (a proposal from a
    proposal candidate)"""
    from graph.errors import UsageError
    from graph.ingest import review
    from graph.iris import slug_of

    data_dir = _data_dir(data)
    if action is None:
        record = review.load_document(data_dir, document)
        items = record.items if show_all else review.open_items(record)
        for it in items:
            passage = it.passages[0]
            alternatives = ", ".join(
                f"{slug_of(a.entity) or a.entity} {a.score:.2f}" for a in it.alternatives
            )
            detail = _describe(it.text, it.entity) or ", ".join(it.cues)
            typer.echo(
                f"{it.key:<6} {it.kind:<8} {it.status:<11} {detail}"
                + (f" [{alternatives}]" if alternatives else "")
                + f"  lines {passage.line_start}-{passage.line_end}: {passage.quote}"
            )
        typer.echo(f"{len(items)} {'items' if show_all else 'open items'} in {document}")
        return
    if item is None:
        raise UsageError(f"{action} needs an ITEM (e.g. m12, c3, p4)")
    if action in ("accept", "reject"):
        if entity is not None:
            raise UsageError(f"{action} takes no ENTITY")
        done = (review.accept if action == "accept" else review.reject)(data_dir, document, item)
    elif action in ("link", "create"):
        graph_store = _open(store)
        try:
            if action == "link":
                if entity is None:
                    raise UsageError("link needs an ENTITY (e.g. link c3 kor)")
                done = review.link(data_dir, graph_store, document, item, entity)
            elif title_ja is not None or title_en is not None or asks is not None:
                if class_name is not None or label_en or label_ja or label_ko:
                    raise UsageError(
                        "create takes --title-ja/--title-en (a proposal) or --label-…/--class "
                        "(an entity), not both"
                    )
                titles = {"ja": title_ja or "", "en": title_en or ""}
                done = review.propose(data_dir, graph_store, document, item, titles, asks, new_slug)
            else:
                if class_name is None:
                    raise UsageError(
                        "create needs --class (e.g. Person, Organization, Place) for an entity, "
                        "or --title-ja and --title-en for a proposal"
                    )
                labels = {"en": label_en or "", "ja": label_ja or "", "ko": label_ko or ""}
                done = review.create(
                    data_dir, graph_store, document, item, labels, class_name, new_slug
                )
        finally:
            graph_store.close()
    else:
        raise UsageError(f"unknown action {action!r}; use accept, reject, link or create")
    typer.echo(f"{done.key}: {done.status} {_describe(done.text, done.entity)}".rstrip())
