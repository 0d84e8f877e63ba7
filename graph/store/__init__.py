"""The store layer: one :class:`GraphStore` port, its adapters, and :func:`open_store`.

>>> store = open_store("memory:")
>>> len(store)
0
>>> remote_url("sparql+http://127.0.0.1:7878/query")
'http://127.0.0.1:7878/query'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from graph.store.location import StoreLocation, check_marker
from graph.store.oxigraph import OxigraphStore
from graph.store.port import GraphStore, QueryResult

if TYPE_CHECKING:
    from graph.store.remote import RemoteSparqlStore

__all__ = [
    "MEMORY",
    "GraphStore",
    "OxigraphStore",
    "QueryResult",
    "RemoteSparqlStore",
    "StoreLocation",
    "built_directory",
    "open_store",
    "remote_url",
]

#: The store spec that names a fresh in-memory store.
MEMORY = "memory:"
# ``Path("sparql+http://h/q")`` collapses the double slash: accept both spellings.
_REMOTE = re.compile(r"^sparql\+(https?):/+(.*)$", re.IGNORECASE | re.DOTALL)


def __getattr__(name: str) -> object:
    """:class:`RemoteSparqlStore` on first use: its HTTP client takes a tenth of a second
    to import, which every command would pay for a remote store few of them open."""
    if name == "RemoteSparqlStore":
        from graph.store.remote import RemoteSparqlStore

        return RemoteSparqlStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def remote_url(spec: str | Path) -> str | None:
    """The query endpoint a ``sparql+http(s)://…`` spec names, or ``None`` for a local store."""
    match = _REMOTE.match(str(spec))
    return f"{match.group(1).lower()}://{match.group(2)}" if match else None


def built_directory(path: Path) -> Path:
    """The generation directory of the store built at ``path``, its marker checked.

    :raises StoreError: nothing is built there, or it is not a store of this version.
    """
    directory = StoreLocation(path).current()
    check_marker(directory)
    return directory


def open_store(
    spec: str | Path,
    *,
    read_only: bool = True,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
) -> GraphStore:
    """Open the store a user names: a path to a built store, ``memory:``, or a SPARQL
    server's query endpoint as ``sparql+http://HOST:PORT/PATH`` (``sparql+https://`` too).

    For a server, the update and Graph Store Protocol URLs and the way to reach the union
    default graph come from the arguments or the settings (``POLICYGRAPH_UPDATE_ENDPOINT``,
    ``POLICYGRAPH_GRAPH_STORE``, ``POLICYGRAPH_UNION_DEFAULT_GRAPH``,
    ``POLICYGRAPH_GRAPH_PREFIX``, ``POLICYGRAPH_RESULT_FORMAT``); by default they are
    derived for Oxigraph server (``/query``, ``/update``, ``/store``).

    :raises StoreError: nothing is built at the path, or it cannot be opened.
    """
    if str(spec) == MEMORY:
        return OxigraphStore.memory()
    if (url := remote_url(spec)) is not None:
        from graph.settings import GraphSettings
        from graph.store.remote import RemoteSparqlStore

        settings = GraphSettings()
        return RemoteSparqlStore(
            url,
            update_endpoint=update_endpoint or settings.update_endpoint,
            graph_store=graph_store or settings.graph_store,
            union_default_graph=settings.union_default_graph,
            graph_prefix=settings.graph_prefix,
            result_format=settings.result_format,
            timeout=settings.remote_timeout,
        )
    return OxigraphStore.open(built_directory(Path(spec)), read_only=read_only)
