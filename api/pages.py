"""Rendering the explorer's pages: a template, its context, and the page's headers."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.security import page_headers
from api.templating import templates

__all__ = ["render_page"]


def render_page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """``name`` (a template of ``api/templates/``) rendered with ``context``, autoescaped,
    with the explorer's Content-Security-Policy."""
    page = templates().TemplateResponse(request, name, context, status_code=status_code)
    assert isinstance(page, HTMLResponse)
    page.headers.update(page_headers())
    return page
