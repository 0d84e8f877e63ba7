"""The ``policygraph`` command line.

Each command parses its options, calls one plain function of ``graph``/``api`` and prints
the outcome. A user's mistake (a :class:`~graph.errors.PolicyGraphError`) is one line on
stderr and exit code 2; option errors are click's, also exit code 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.analyze import analyze_app, path_command
from cli.ingest import ingest_command, review_command
from cli.push import push_command
from cli.viz import viz_app
from graph.errors import PolicyGraphError
from graph.settings import GraphSettings

if TYPE_CHECKING:
    from serving.settings import Settings as ServerSettings

app = typer.Typer(
    name="policygraph",
    help="Build, check, query, export and serve the policygraph knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store", help="The store: a path (default var/store, or $POLICYGRAPH_STORE) or memory:."
    ),
]
DataOption = Annotated[
    list[Path] | None,
    typer.Option("--data", help="A directory of curated Turtle (repeatable; default graph/data)."),
]


def _settings(store: str | None = None, data: list[Path] | None = None) -> GraphSettings:
    overrides: dict[str, object] = {}
    if store is not None:
        overrides["store"] = store
    if data:
        overrides["data"] = data
    return GraphSettings(**overrides)  # type: ignore[arg-type]


@app.command()
def build(data: DataOption = None, store: StoreOption = None) -> None:
    """Parse, validate (SHACL), materialise and write the store atomically."""
    from graph.build import build_store

    settings = _settings(store, data)
    report = build_store(settings.data, Path(settings.store))
    graphs = ", ".join(f"{name} {count:,}" for name, count in sorted(report.quads_by_graph.items()))
    typer.echo(f"built {report.store} in {report.seconds:.1f} s: {report.quads:,} quads ({graphs})")
    _print_counts(report.classes)


@app.command()
def validate(data: DataOption = None) -> None:
    """Parse and validate the data against the SHACL shapes without writing a store."""
    from graph.build import load_sources, validate_sources

    settings = _settings(data=data)
    sources = load_sources(settings.data)
    validate_sources(sources)
    typer.echo(
        f"valid: {len(sources.data):,} quads in {len(sources.files)} files conform to the shapes"
    )


@app.command()
def query(
    sparql: Annotated[
        str,
        typer.Argument(
            help="A SPARQL query; the contract's prefixes (pg:, id:, rdfs: …) are known."
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table, json, csv, tsv, xml; turtle, ntriples, jsonld for graphs.",
        ),
    ] = "table",
    labels: Annotated[
        bool,
        typer.Option("--labels", help="Add a label column (xLabel) beside each column of IRIs."),
    ] = False,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the labels: en, ja or ko (else English).")
    ] = "en",
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query on the store and print the results.

    The query runs in a child process (:mod:`cli.isolated_query`): an engine crash on it
    is a one-line error and exit code 2, with nothing printed."""
    from cli.isolated_query import QueryRequest, run_isolated
    from graph.errors import UsageError
    from graph.query.labels import LABEL_LANGUAGES

    if lang not in LABEL_LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LABEL_LANGUAGES)}, not {lang!r}")
    request = QueryRequest(sparql, fmt, labels, lang, str(_settings(store).store))
    sys.stdout.buffer.write(run_isolated(request))
    sys.stdout.flush()


@app.command()
def stats(store: StoreOption = None) -> None:
    """Print quads per named graph and entities per class."""
    from graph.stats import class_counts, graph_sizes
    from graph.store import open_store

    graph_store = open_store(_settings(store).store)
    try:
        sizes = graph_sizes(graph_store)
        typer.echo(f"{sum(sizes.values()):,} quads")
        for name, count in sizes.items():
            typer.echo(f"  {name:<12} {count:>8,}")
        _print_counts(class_counts(graph_store))
    finally:
        graph_store.close()


@app.command()
def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="turtle, trig, nquads, jsonld; graphml, gexf, cytoscape, kumu; csv.",
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The file to write (a directory for csv).")
    ],
    store: StoreOption = None,
) -> None:
    """Export the graph as RDF; as GraphML or GEXF (Gephi), Cytoscape JSON or a Kumu workbook
    with roles, dates, statuses, evidence counts and en/ja/ko names; or as CSV tables."""
    from graph.errors import UsageError
    from graph.export import export as export_graph
    from graph.store import OxigraphStore, open_store

    graph_store = open_store(_settings(store).store)
    try:
        if not isinstance(graph_store, OxigraphStore):  # export dumps the embedded store
            raise UsageError("export reads a built store (a path), not a SPARQL server")
        written = export_graph(graph_store, fmt, output)
    finally:
        graph_store.close()
    typer.echo("wrote " + ", ".join(str(p) for p in written))


@app.command("check-evidence")
def check_evidence(
    source: Annotated[Path | None, typer.Option("--source", help="The report's text file.")] = None,
    store: StoreOption = None,
    data: DataOption = None,
) -> None:
    """Verify every evidence passage against the source text (hash, lines, quote); the
    passages of ingested documents against their own source.txt under DATA/documents/."""
    from graph.evidence import check_evidence as check
    from graph.ingest.folder import document_sources
    from graph.store import open_store

    settings = _settings(store, data)
    graph_store = open_store(settings.store)
    try:
        checked, mismatches = check(
            graph_store, source or settings.source, document_sources(settings.data)
        )
    finally:
        graph_store.close()
    for mismatch in mismatches:
        typer.echo(f"mismatch: {mismatch}")
    if mismatches:
        typer.echo(f"{len(mismatches)} mismatches in {checked} passages", err=True)
        raise typer.Exit(1)
    others = len(document_sources(settings.data))
    also = f" and {others} ingested documents' sources" if others else ""
    typer.echo(f"all {checked} passages match {(source or settings.source).name}{also}")


@app.command()
def coverage(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
) -> None:
    """Per part and section: proposals, actors and frameworks introduced, passages; and gaps.

    Then the depth of the knowledge: places, events by type, proposals by level, frameworks
    by status and lifecycle, what proposals ask, member lists complete or partial."""
    import dataclasses
    import json
    import re

    from graph.coverage import coverage as measure
    from graph.errors import UsageError
    from graph.store import open_store

    if fmt not in ("table", "json"):
        raise UsageError(f"unknown format {fmt!r}; choose table or json")
    graph_store = open_store(_settings(store).store)
    try:
        report = measure(graph_store)
    finally:
        graph_store.close()
    if fmt == "json":
        typer.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{'part / section':<48} {'lines':>11} {'proposals':>9} {'actors':>6} {'frameworks':>10} {'passages':>8}"
    )
    for span in report.spans:
        for row, indent in [(span, ""), *((section, "  ") for section in span.sections)]:
            lines = f"{row.first_line}-{row.last_line or 'end'}"
            # Its number (from the slug: part-1, section-1-2) and title, not its slug.
            number = re.search(r"(?:part|section)-([0-9]+(?:-[0-9]+)?)$", row.name)
            title = indent + (f"{number[1].replace('-', '.')} " if number else "")
            title += row.label or row.name
            title = title if len(title) <= 48 else title[:47] + "…"
            typer.echo(
                f"{title:<48} {lines:>11} {row.proposals:>9} {row.actors:>6} "
                f"{row.frameworks:>10} {row.passages:>8}"
            )
    typer.echo("actors and frameworks count where they are first evidenced")
    typer.echo(f"entities without evidence: {', '.join(report.without_evidence) or 'none'}")
    typer.echo(f"entities without an en or ja label: {', '.join(report.without_label) or 'none'}")
    for line in report.depth.lines():
        typer.echo(line)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default 8000).")] = None,
    store: StoreOption = None,
    query_timeout: Annotated[
        float | None,
        typer.Option("--query-timeout", help="Seconds a SPARQL query may run (default 10)."),
    ] = None,
    max_body: Annotated[
        int | None,
        typer.Option("--max-body", help="Largest request body in bytes (default 1000000)."),
    ] = None,
    cors_origins: Annotated[
        str | None,
        typer.Option(
            "--cors-origins",
            help="Comma-separated origins allowed to call from a browser (default *).",
        ),
    ] = None,
    max_url: Annotated[
        int | None,
        typer.Option("--max-url", help="Longest request URL in bytes (default 16384)."),
    ] = None,
    max_rows: Annotated[
        int | None,
        typer.Option("--max-rows", help="Most rows a /sparql answer carries (default 10000)."),
    ] = None,
    query_workers: Annotated[
        int | None,
        typer.Option("--query-workers", help="Processes that run SPARQL queries (default 2)."),
    ] = None,
    access_log: Annotated[
        bool | None,
        typer.Option("--access-log/--no-access-log", help="Log every request (default off)."),
    ] = None,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="The public base URL for permalinks and the endpoint's IRI "
            "(default http://HOST:PORT; never the request's Host).",
        ),
    ] = None,
    max_header: Annotated[
        int | None,
        typer.Option("--max-header", help="Longest request line and headers in bytes (65536)."),
    ] = None,
    header_timeout: Annotated[
        float | None,
        typer.Option("--header-timeout", help="Seconds to send a request's headers (10)."),
    ] = None,
    data: DataOption = None,
) -> None:
    """Serve the graph over HTTP (SPARQL, REST, Linked Data); builds the store first if
    there is none (from --data, as `build`), and reads the ingested documents of the data
    directories for /documents. Updates (into the edits graph) need
    $POLICYGRAPH_UPDATE_TOKEN."""
    from pydantic import ValidationError

    from api.main import run  # the web layer, only for this command
    from graph.build import build_store
    from graph.errors import UsageError
    from graph.store import MEMORY, StoreLocation, remote_url
    from serving.settings import Settings

    overrides: dict[str, object] = {}
    for key, value in (
        ("host", host), ("port", port), ("store", store), ("query_timeout", query_timeout),
        ("max_body", max_body), ("cors_origins", cors_origins), ("max_url", max_url),
        ("max_rows", max_rows), ("query_workers", query_workers), ("access_log", access_log),
        ("public_url", public_url), ("max_header", max_header), ("header_timeout", header_timeout),
        ("data", data or None),
    ):  # fmt: skip
        if value is not None:
            overrides[key] = value
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise UsageError(f"invalid server settings: {problems}") from exc
    for directory in data or ():
        if not directory.is_dir():
            raise UsageError(f"data directory not found: {directory}")
    if settings.store == MEMORY:
        # An in-memory store can only be queried in this process, where Oxigraph's sort can
        # abort the whole server (docs/engine-issues.md): serve stores the workers can open.
        raise UsageError(
            "serve needs a built store or a SPARQL server, not memory: "
            "(run `policygraph build`, or pass --store PATH)"
        )
    local = remote_url(settings.store) is None  # not a server
    if local and not StoreLocation(Path(settings.store)).exists():
        typer.echo(f"no store at {settings.store}: building it first")
        report = build_store(settings.data, Path(settings.store))
        typer.echo(f"built {report.store} in {report.seconds:.1f} s: {report.quads:,} quads")
    if not settings.is_loopback():
        typer.echo(f"notice: listening on {settings.host}, reachable from other machines", err=True)
        if settings.public_url is None:
            typer.echo(
                f"notice: links point to {settings.public_base_url()}; "
                "set --public-url to the address clients use",
                err=True,
            )
    _start_query_workers(settings)
    run(settings)


def _start_query_workers(settings: ServerSettings) -> None:
    """Start the ``/sparql`` worker processes on an on-disk store now, so that they import
    and open it while this process imports the web stack (a second off the cold start)."""
    from graph.errors import StoreError
    from graph.store import built_directory, remote_url
    from serving.query_pool import shared_pool

    if remote_url(settings.store) is not None:
        return
    try:
        directory = built_directory(Path(settings.store))
    except StoreError:
        return  # the app reports it when it opens the store
    shared_pool(settings.query_workers).start(str(directory))


# Registered after the core commands so that --help lists build, query … first.
app.add_typer(viz_app, name="viz")
app.add_typer(analyze_app, name="analyze")
app.command("path")(path_command)
app.command("push")(push_command)
app.command("ingest")(ingest_command)
app.command("review")(review_command)


def _print_counts(classes: dict[str, int]) -> None:
    typer.echo("entities by class:")
    for name, count in classes.items():
        typer.echo(f"  {name:<28} {count:>6,}")


def main() -> None:
    """Entry point of the console script: user errors are one line and exit code 2."""
    try:
        app()
    except PolicyGraphError as exc:
        typer.echo(f"policygraph: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # The reader (``| head``) went away: stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
