"""Server settings: ``POLICYGRAPH_*`` environment variables, validated at start.

>>> Settings(host="127.0.0.1").is_loopback()
True
>>> Settings(cors_origins=" * ").cors_origins
['*']
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from graph import QUERIES_DIR
from graph.settings import GraphSettings
from graph.store.update_worker import DEFAULT_MAX_TRIPLES
from graph.store.update_worker import DEFAULT_MEMORY_MB as DEFAULT_UPDATE_MEMORY_MB
from graph.store.update_worker import DEFAULT_TIMEOUT as DEFAULT_UPDATE_TIMEOUT

__all__ = ["Settings"]

#: The shortest update token accepted.
_MIN_TOKEN = 16


class Settings(GraphSettings):
    """Everything ``policygraph serve`` and ``create_app`` need."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Seconds a SPARQL query (and the writing of its results) may take before a 503.
    query_timeout: float = Field(default=10.0, gt=0, le=3600)
    #: The largest request body accepted, in bytes; larger is 413.
    max_body: int = Field(default=1_000_000, gt=0, le=1_000_000_000)
    #: Origins that may call the API from a browser (``*``: any); never with credentials.
    #: From the environment or the CLI as a comma-separated list.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])
    #: The directory of named queries (``*.rq``) served under ``/api/queries``.
    queries: Path = QUERIES_DIR
    #: The longest request target (path and query string) accepted, in bytes; longer is 414.
    max_url: int = Field(default=16 * 1024, ge=256, le=10_000_000)
    #: The most solutions (or triples) a ``/sparql`` answer carries; more are cut and the
    #: response says so (``Policygraph-Truncated: true``).
    max_rows: int = Field(default=10_000, gt=0, le=10_000_000)
    #: Worker processes that run ``/sparql`` queries (each killed and replaced at the timeout).
    query_workers: int = Field(default=2, ge=1, le=64)
    #: Seconds a newly built or edited store may warm its caches before it is served anyway
    #: (at start the store is served at once, and ``/healthz`` says when it is warm).
    warm_seconds: float = Field(default=5.0, ge=0, le=3600)
    #: Whether to log one line per request (uvicorn's access log). Off by default, as in
    #: Oxigraph's server: on small queries writing the line cost a tenth of the request.
    access_log: bool = False
    #: Child processes that draw static figures (``/viz/…?format=png|svg``) at once.
    render_workers: int = Field(default=1, ge=1, le=16)
    #: Seconds one static figure may take to draw before a 503 (its children are restarted).
    render_timeout: float = Field(default=30.0, gt=0, le=3600)
    #: Threads that compute views, paths and analyses for anonymous clients at once.
    heavy_threads: int = Field(default=2, ge=1, le=64)
    #: Heavy computations (per kind) that may wait for a free slot; more get 503 at once.
    heavy_queue: int = Field(default=8, ge=0, le=1000)
    #: Megabytes of computed figures, paths and analyses kept for the next identical request.
    heavy_cache_mb: int = Field(default=64, ge=0, le=100_000)
    #: The longest request line and headers accepted, in bytes; longer is 431.
    max_header: int = Field(default=64 * 1024, ge=1024, le=100_000_000)
    #: Seconds a client may take to send a request's line and headers; slower is closed.
    header_timeout: float = Field(default=10.0, gt=0, le=3600)
    #: The server's public base URL (scheme, host, port and path, as clients reach it, e.g.
    #: through a proxy): permalinks, iframe snippets, the SPARQL endpoint's IRI. Unset: the
    #: bound ``HOST:PORT`` over plain HTTP. Never the request's ``Host``, which any client sets.
    public_url: str | None = None
    #: The bearer token that enables SPARQL updates and the Graph Store Protocol (into the
    #: ``edits`` graph only). Unset: the graph is read-only. At least 16 characters.
    update_token: SecretStr | None = None
    #: Seconds a SPARQL update may take (its sandboxed process's start included) before a 503;
    #: the process is killed and nothing is written.
    update_timeout: float = Field(default=DEFAULT_UPDATE_TIMEOUT, gt=0, le=3600)
    #: The most triples of the edits graph one SPARQL update may add or remove; more is 400.
    max_update_triples: int = Field(default=DEFAULT_MAX_TRIPLES, gt=0, le=10_000_000)
    #: The most memory (MB) the process evaluating one SPARQL update may use; more is 400.
    update_memory_mb: int = Field(default=DEFAULT_UPDATE_MEMORY_MB, ge=128, le=1_000_000)

    @field_validator("port")
    @classmethod
    def _port_in_range(cls, port: int) -> int:
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is outside 1-65535")
        return port

    @field_validator("update_token")
    @classmethod
    def _token_is_strong(cls, token: SecretStr | None) -> SecretStr | None:
        if token is None:
            return None
        secret = token.get_secret_value()
        if not secret.strip():
            raise ValueError(
                "POLICYGRAPH_UPDATE_TOKEN is empty: unset it to keep the graph read-only, "
                "or set a random token of at least 16 characters"
            )
        if len(secret) < _MIN_TOKEN:
            raise ValueError(
                f"POLICYGRAPH_UPDATE_TOKEN has {len(secret)} characters, fewer than "
                f"{_MIN_TOKEN}: use a random token (e.g. `python -c "
                "'import secrets; print(secrets.token_urlsafe(32))'`)"
            )
        return token

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin != "*" and (
                "://" not in origin or origin.endswith("/") or origin.count("/") != 2
            ):
                raise ValueError(f"CORS origin {origin!r} is not '*' or scheme://host[:port]")
        return origins

    @field_validator("public_url")
    @classmethod
    def _public_url_is_a_base(cls, url: str | None) -> str | None:
        if url is None or not url.strip():
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"public URL {url!r} is not http(s)://host[:port][/path]")
        if parts.query or parts.fragment or parts.username or parts.password:
            raise ValueError(f"public URL {url!r} has a query, fragment or user: give a base")
        return url.strip().rstrip("/")

    @model_validator(mode="after")
    def _headers_hold_the_longest_url(self) -> Settings:
        if self.max_header <= self.max_url:
            raise ValueError(
                f"max_header ({self.max_header}) must exceed max_url ({self.max_url}): "
                "the request line is part of the headers"
            )
        return self

    def public_base_url(self) -> str:
        """The base URL that links this server writes point to: ``public_url``, else the
        bound address (``HOST:PORT`` over plain HTTP); never the request's ``Host``.

        >>> Settings(host="127.0.0.1", port=8080).public_base_url()
        'http://127.0.0.1:8080'
        >>> Settings(public_url="http://localhost:8080/graph/").public_base_url()
        'http://localhost:8080/graph'
        """
        if self.public_url:
            return self.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host  # an IPv6 address
        return urlunsplit(("http", f"{host}:{self.port}", "", "", ""))

    def is_loopback(self) -> bool:
        """Whether ``host`` is reachable from this machine only."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False
