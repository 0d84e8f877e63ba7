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

from pydantic import Field, field_validator
from pydantic_settings import NoDecode

from graph import QUERIES_DIR
from graph.settings import GraphSettings

__all__ = ["Settings"]


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

    @field_validator("port")
    @classmethod
    def _port_in_range(cls, port: int) -> int:
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is outside 1-65535")
        return port

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

    def is_loopback(self) -> bool:
        """Whether ``host`` is reachable from this machine only."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False
