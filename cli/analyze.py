"""``policygraph analyze …`` and ``policygraph path``: network measures of the graph.

Each command projects the store (:func:`graph.analysis.project`), calls one function of
:mod:`graph.analysis` and prints rows as a table, JSON or CSV. An unknown class, format or
slug is a :class:`~graph.errors.PolicyGraphError`: one line on stderr, exit code 2. ``path``
takes names as well as slugs (:func:`graph.query.resolve.resolve_entity`): an ambiguous or
unknown name is exit 2 with the choices.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from graph.errors import UsageError
from graph.spreadsheet import spreadsheet_row
from graph.store.port import GraphStore

if TYPE_CHECKING:  # networkx is imported by the commands that need it: every command starts faster
    import networkx as nx

__all__ = ["analyze_app", "path_command"]

analyze_app = typer.Typer(
    name="analyze",
    help="Network measures: centrality, communities, framework overlap, brokers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

TypeOption = Annotated[
    list[str] | None,
    typer.Option("--type", "-t", help="Keep only this pg: class or its subclasses (repeatable)."),
]
TopOption = Annotated[int | None, typer.Option("--top", "-n", help="Show the first N rows.")]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", help="The store: a path (default var/store, or $POLICYGRAPH_STORE) or memory:."
    ),
]

T = TypeVar("T")
Row = dict[str, Any]


def _check(fmt: str, allowed: Sequence[str], top: int | None) -> None:
    if fmt not in allowed:
        raise UsageError(f"unknown format {fmt!r}; choose {', '.join(allowed)}")
    if top is not None and top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")


def _with_store(store: str | None, read: Callable[[GraphStore], T]) -> T:
    from graph.settings import GraphSettings
    from graph.store import open_store

    graph_store = open_store(store or GraphSettings().store)
    try:
        return read(graph_store)
    finally:
        graph_store.close()


def _projection(store: str | None) -> nx.MultiDiGraph:
    from graph.analysis import project

    return _with_store(store, project)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list | tuple):
        return " ".join(map(str, value))
    return str(value)


def _table(rows: list[Row], columns: Sequence[str]) -> str:
    cells = [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(items: Sequence[str]) -> str:
        return "  ".join(x + " " * (w - _width(x)) for x, w in zip(items, widths, strict=True))

    out = [line(columns), "  ".join("-" * w for w in widths), *(line(r) for r in cells)]
    return "\n".join(x.rstrip() for x in out) + f"\n\n({len(rows)} row{'s' * (len(rows) != 1)})"


def _csv(rows: list[Row], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    # Meant for spreadsheets: a label that would run as a formula is defused.
    writer.writerows([spreadsheet_row(_cell(row[c]) for c in columns) for row in rows])
    return buffer.getvalue().rstrip("\n")


def _emit(rows: list[Row], columns: Sequence[str], fmt: str, document: object = None) -> None:
    if fmt == "json":
        typer.echo(json.dumps(rows if document is None else document, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        typer.echo(_csv(rows, columns))
    else:
        typer.echo(_table(rows, columns))


def _label(graph: nx.MultiDiGraph | nx.Graph, slug: str) -> str:
    return str(graph.nodes[slug].get("label", slug))


@analyze_app.command()
def centrality(
    types: TypeOption = None,
    top: TopOption = None,
    by: Annotated[
        str, typer.Option("--by", help="Rank by degree, betweenness or eigenvector.")
    ] = "degree",
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Degree, betweenness and eigenvector centrality (undirected, parallel relations once)."""
    from graph.analysis.centrality import MEASURES, centrality_table

    _check(fmt, ("table", "json", "csv"), top)
    if by not in MEASURES:
        raise UsageError(f"unknown measure {by!r}; choose one of {', '.join(MEASURES)}")
    graph = _projection(store)
    found = centrality_table(graph, types=types, top=top, by=by)
    columns = ("slug", "label", "type", "degree", "betweenness", "eigenvector")
    _emit([{c: getattr(r, c) for c in columns} for r in found], columns, fmt)


@analyze_app.command()
def communities(
    types: TypeOption = None,
    top: TopOption = None,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Louvain communities (seeded, reproducible), largest first, named by their hub."""
    from graph.analysis.communities import communities as find

    _check(fmt, ("table", "json", "csv"), top)
    graph = _projection(store)
    found = find(graph, types=types, top=top)
    rows: list[Row] = [
        {
            "community": c.number,
            "label": c.label,
            "label_en": _label(graph, c.label),
            "size": c.size,
            "shown": len(c.members),
            "members": list(c.members),
        }
        for c in found
    ]
    if fmt == "table":
        for row in rows:
            shown = row["members"][:12]
            more = len(row["members"]) - len(shown)
            row["members"] = " ".join(shown) + (f" … (+{more})" if more else "")
    _emit(rows, ("community", "label", "label_en", "size", "shown", "members"), fmt)


@analyze_app.command()
def overlap(
    types: TypeOption = None,
    top: TopOption = None,
    include_partial: Annotated[
        bool,
        typer.Option(
            "--include-partial", help="Also compare frameworks whose member lists are partial."
        ),
    ] = False,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Framework overlap: the Jaccard index of member sets, most overlapping pairs first.

    Frameworks with at least 2 members; those whose member lists the graph marks partial
    are left out, with a note saying how many, unless --include-partial. --top keeps the
    first pairs; JSON adds the whole matrix (frameworks, members, values) and the
    frameworks left out; CSV prints the note on stderr."""
    from graph.analysis.overlap import framework_overlap, partial_note

    _check(fmt, ("table", "json", "csv"), top)
    graph = _projection(store)
    matrix = framework_overlap(graph, types=types, include_partial=include_partial)
    pairs = matrix.top_pairs(top)
    columns = ("first", "second", "shared", "union", "jaccard")
    rows = [{c: getattr(p, c) for c in columns} for p in pairs]
    left_out = matrix.partial_left_out
    note = partial_note(len(left_out)) if left_out else None
    document = {
        "frameworks": [
            {"slug": f, "label": _label(graph, f), "members": sorted(m)}
            for f, m in zip(matrix.frameworks, matrix.members, strict=True)
        ],
        "matrix": [list(row) for row in matrix.values],
        "pairs": rows,
        "partial_left_out": list(left_out),
        "note": note,
    }
    _emit(rows, columns, fmt, document)
    if note and fmt == "table":
        typer.echo(note)
    elif note and fmt == "csv":
        typer.echo(note, err=True)


@analyze_app.command()
def brokers(
    types: TypeOption = None,
    top: TopOption = None,
    fmt: FormatOption = "table",
    store: StoreOption = None,
) -> None:
    """Actors that bridge communities: participation coefficient × betweenness.

    By default actors (countries, organisations, people, groupings); --type chooses other
    classes."""
    from graph.analysis.brokers import brokers as find

    _check(fmt, ("table", "json", "csv"), top)
    graph = _projection(store)
    found = find(graph, types=types or ("Actor",), top=top)
    columns = ("slug", "label", "type", "communities", "participation", "betweenness", "score")
    _emit([{c: getattr(b, c) for c in columns} for b in found], columns, fmt)


def path_command(
    source: Annotated[str, typer.Argument(help="One entity (a name or slug: Korea, kor …).")],
    target: Annotated[
        str, typer.Argument(help='The other entity (a name or slug: "AUKUS Pillar II" …).')
    ],
    max_paths: Annotated[int, typer.Option("--max", "-n", help="At most N paths.")] = 3,
    max_length: Annotated[
        int, typer.Option("--max-length", help="Paths of at most this many steps.")
    ] = 6,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
) -> None:
    """The shortest paths between two entities, explained relation by relation."""
    from graph.analysis import explain_paths, project, read_provenance
    from graph.query.resolve import resolve_each

    _check(fmt, ("table", "json"), None)

    def read(s: GraphStore) -> tuple[list[str], nx.MultiDiGraph, Any]:
        return resolve_each(s, [source, target]), project(s), read_provenance(s)

    (source, target), graph, provenance = _with_store(store, read)
    found = explain_paths(
        graph, source, target, provenance=provenance, max_paths=max_paths, max_length=max_length
    )
    if fmt == "json":
        typer.echo(json.dumps([_path_json(graph, p) for p in found], ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo(f"no path of at most {max_length} steps between {source} and {target}")
        return
    for number, path in enumerate(found, start=1):
        if number > 1:
            typer.echo("")
        typer.echo(
            f"path {number} ({path.length} step{'s' * (path.length != 1)}): "
            + " — ".join(path.nodes)
        )
        for index, step in enumerate(path.steps, start=1):
            typer.echo(
                f"  {index}. {step.start} ({_label(graph, step.start)}) — "
                f"{step.end} ({_label(graph, step.end)})"
            )
            for relation in step.relations:
                arrow = "→" if relation.forward else "←"
                typer.echo(f"     {arrow} {relation}")
                for evidence in relation.evidence:
                    if evidence.line_start is not None:
                        typer.echo(f"         {provenance.place(evidence)}: {evidence.quote}")
                    else:
                        as_of = f" (as of {evidence.as_of})" if evidence.as_of else ""
                        typer.echo(f"         source: {evidence.source}{as_of}")


def _path_json(graph: nx.MultiDiGraph, path: Any) -> Row:
    return {
        "length": path.length,
        "nodes": [
            {"slug": n, "label": _label(graph, n), "type": graph.nodes[n].get("type", "")}
            for n in path.nodes
        ],
        "steps": [
            {
                "from": step.start,
                "to": step.end,
                "relations": [
                    {
                        "subject": r.subject,
                        "predicate": r.predicate,
                        "object": r.object,
                        "direction": r.direction,
                        "evidence": [
                            {
                                "document": e.document,
                                "lines": e.lines,
                                "line_start": e.line_start,
                                "line_end": e.line_end,
                                "quote": e.quote,
                                "source": e.source,
                                "as_of": e.as_of,
                            }
                            for e in r.evidence
                        ],
                    }
                    for r in step.relations
                ],
            }
            for step in path.steps
        ],
    }
