"""``policygraph push``: upload the built store's named graphs to a SPARQL server."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

__all__ = ["push_command"]


def push_command(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            help="The server's SPARQL query endpoint (http://HOST:7878/query for Oxigraph, "
            "http://HOST:8890/sparql for Virtuoso).",
        ),
    ],
    graph_store: Annotated[
        str | None,
        typer.Option(
            "--graph-store",
            help="Its Graph Store Protocol URL, accepting N-Quads (default: derived, /store).",
        ),
    ] = None,
    update_endpoint: Annotated[
        str | None,
        typer.Option("--update-endpoint", help="Its SPARQL update URL (default: derived)."),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the graphs on the server, all or nothing (upload, verify, swap).",
        ),
    ] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            min=1,
            help="Quads per request (default POLICYGRAPH_PUSH_BATCH, or 20000).",
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option("--store", help="The built store to upload (default var/store)."),
    ] = None,
) -> None:
    """Upload the built graph (ontology, curated, background, inferred) to a SPARQL server."""
    from graph.errors import UsageError
    from graph.push import push
    from graph.settings import GraphSettings
    from graph.store import OxigraphStore, RemoteSparqlStore, open_store, remote_url

    settings = GraphSettings()
    source = open_store(store or settings.store)
    if not isinstance(source, OxigraphStore):
        source.close()
        raise UsageError("push uploads a built store (a path), not a SPARQL server")
    target = RemoteSparqlStore(
        remote_url(endpoint) or endpoint,
        update_endpoint=update_endpoint or settings.update_endpoint,
        graph_store=graph_store or settings.graph_store,
        graph_prefix=settings.graph_prefix,
        result_format=settings.result_format,
        timeout=settings.remote_timeout,
    )
    try:
        total = len(source)
        with typer.progressbar(length=total, label="pushing", file=sys.stderr) as bar:
            report = push(
                source,
                target,
                replace=replace,
                batch_size=batch_size or settings.push_batch,
                progress=bar.update,
            )
    finally:
        source.close()
        target.close()
    graphs = ", ".join(f"{name.rsplit('/', 1)[-1]} {n:,}" for name, n in report.graphs.items())
    verb = "replaced" if report.replaced else "pushed"
    if report.cleared:
        typer.echo(f"cleared {len(report.cleared)} temporary graphs of an earlier run", err=True)
    typer.echo(
        f"{verb} {report.quads:,} triples on {report.endpoint} in {report.seconds:.1f} s ({graphs})"
    )
