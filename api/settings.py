"""Server settings: ``POLICYGRAPH_*`` environment variables, validated at start.

>>> Settings(host="127.0.0.1").is_loopback()
True
"""

from __future__ import annotations

import ipaddress

from pydantic import field_validator

from graph.settings import GraphSettings

__all__ = ["Settings"]


class Settings(GraphSettings):
    """Everything ``policygraph serve`` and ``create_app`` need."""

    host: str = "127.0.0.1"
    port: int = 8000

    @field_validator("port")
    @classmethod
    def _port_in_range(cls, port: int) -> int:
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is outside 1-65535")
        return port

    def is_loopback(self) -> bool:
        """Whether ``host`` is reachable from this machine only."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False
