"""Settings shared by the CLI and the server, from ``POLICYGRAPH_*`` environment variables.

>>> GraphSettings(store="/tmp/s").store
'/tmp/s'
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from graph import DATA_DIR, DEFAULT_SOURCE

__all__ = ["GraphSettings"]


class GraphSettings(BaseSettings):
    """Where the store, the data and the source text are."""

    model_config = SettingsConfigDict(env_prefix="POLICYGRAPH_", extra="ignore")

    #: The store: a path (the embedded Oxigraph store) or ``memory:``.
    store: str = "var/store"
    #: Directories of curated Turtle (``background/`` inside each goes to its own graph).
    data: list[Path] = [DATA_DIR]
    #: The report's text file, for ``check-evidence``.
    source: Path = DEFAULT_SOURCE
