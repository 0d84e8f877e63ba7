"""Settings shared by the CLI and the server, from ``POLICYGRAPH_*`` environment variables.

>>> GraphSettings(store="/tmp/s").store
'/tmp/s'
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from graph import DATA_DIR, DEFAULT_SOURCE

__all__ = ["GraphSettings"]


class GraphSettings(BaseSettings):
    """Where the store, the data and the source text are."""

    model_config = SettingsConfigDict(env_prefix="POLICYGRAPH_", extra="ignore")

    #: The store: a path (the embedded Oxigraph store), ``memory:``, or a SPARQL server's
    #: query endpoint as ``sparql+http://HOST:PORT/PATH``.
    store: str = "var/store"
    #: A SPARQL server's update endpoint (default: derived from the query endpoint).
    update_endpoint: str | None = None
    #: A SPARQL server's Graph Store Protocol endpoint that accepts N-Quads (default: derived).
    graph_store: str | None = None
    #: How a server's queries see the union of the named graphs: ``explicit`` (name them all),
    #: ``oxigraph`` (Oxigraph server's ``union-default-graph``) or ``server`` (already so).
    union_default_graph: Literal["explicit", "oxigraph", "server"] = "explicit"
    #: Only a server's named graphs whose IRI starts with this are the data ("" = all of them);
    #: leaves out a server's own graphs (Virtuoso: ``https://w3id.org/policygraph/graph/``).
    graph_prefix: str = ""
    #: The SPARQL results format to ask a server for: ``json``, or ``xml`` (Virtuoso).
    result_format: Literal["json", "xml"] = "json"
    #: Quads per request of ``policygraph push`` (Virtuoso compiles each ``INSERT`` whole and
    #: refuses much more than 1000).
    push_batch: int = 20_000
    #: Seconds an HTTP request to a SPARQL server may take.
    remote_timeout: float = 60.0
    #: Directories of curated Turtle (``background/`` inside each goes to its own graph).
    data: list[Path] = [DATA_DIR]
    #: The report's text file, for ``check-evidence``.
    source: Path = DEFAULT_SOURCE
