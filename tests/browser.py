"""Watching a page in the browser tests: requests outside the test server are blocked and
recorded, and so are script errors and dialogs (an ``alert`` from injected markup)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Visit:
    """A page with everything it tried to do recorded."""

    page: Any
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], self.blocked
        assert self.errors == [], self.errors
        assert self.dialogs == [], self.dialogs


def watch(page: Any, allowed: tuple[str, ...], *, routes: Any = None, csp: bool = False) -> Visit:
    """Record what ``page`` does; requests to URLs not starting with one of ``allowed`` are
    aborted. ``routes`` is where the routing is installed (the page's browser context, to
    cover its frames too; by default the page); with ``csp``, Content-Security-Policy
    violations reported on the console count as errors."""
    visit = Visit(page)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(allowed):
            request_route.continue_()
        else:
            visit.blocked.append(url)
            request_route.abort()

    (routes or page).route("**/*", route)
    page.on("pageerror", lambda error: visit.errors.append(str(error)))
    if csp:
        page.on(
            "console",
            lambda m: (
                visit.errors.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return visit
