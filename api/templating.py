"""The Jinja2 templates of the server-rendered pages (``api/templates/``), autoescaped.

No template links to anything outside this server: no CDN, no web fonts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi.templating import Jinja2Templates

__all__ = ["TEMPLATES_DIR", "templates"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@cache
def templates() -> Jinja2Templates:
    """The template set (created on first use; HTML is autoescaped)."""
    return Jinja2Templates(directory=TEMPLATES_DIR)
