"""Settings of the views, from ``POLICYGRAPH_VIZ_*`` environment variables.

>>> VizSettings().max_nodes
1000
>>> VizSettings(max_nodes=50).max_nodes
50
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from viz.html import DEFAULT_BASE_URL
from viz.view import DEFAULT_MAX_NODES

__all__ = ["VizSettings"]


class VizSettings(BaseSettings):
    """The size limit of a view and where permalinks point."""

    model_config = SettingsConfigDict(env_prefix="POLICYGRAPH_VIZ_", extra="ignore")

    #: Views with more entities are refused with a message that suggests a filter.
    max_nodes: int = Field(default=DEFAULT_MAX_NODES, ge=1)
    #: The server that permalinks and iframe snippets of written files point to.
    base_url: str = DEFAULT_BASE_URL
