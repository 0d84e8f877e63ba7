"""Choosing a representation, for every route: one function over the one format table.

:func:`pick_format` reads ``?format=`` and ``Accept`` against the formats of a result kind
(:data:`graph.query.formats.FORMATS_BY_KIND`: solutions for SELECT/ASK, graphs for
CONSTRUCT/DESCRIBE, ``/id/{slug}``, ``/ontology`` and the service description) and, for
routes that also have a page, ``text/html``. So ``?format=ttl``, ``Accept:
application/x-turtle`` or ``application/json`` mean the same on every route.

>>> pick_format("graph", "application/n-triples, text/turtle;q=0.9", None).name
'ntriples'
>>> pick_format("solutions", "text/html", "csv").name
'csv'
>>> pick_format("graph", "*/*", "csv").name  # csv cannot hold triples: Accept decides
'turtle'
>>> pick_format("graph", "text/html,*/*;q=0.8", None, html=True) is None  # the page
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, overload

from api.errors import NotAcceptableError
from api.negotiation import choose_media_type
from graph.errors import UsageError
from graph.query.formats import (
    FORMATS_BY_KIND,
    ResultFormat,
    ResultKind,
    format_for_media_type,
    format_named,
    media_types,
)

__all__ = ["HTML", "offered_media_types", "pick_format"]

#: The media type of a route's page, offered by routes that have one (``html=True``).
HTML = "text/html"
_HTML_NAMES = frozenset({"html", HTML})


def offered_media_types(kind: ResultKind, *, html: bool = False) -> list[str]:
    """The media types a route offers for ``kind``, in the server's order of preference:
    canonical types, then the page (when ``html``), then the aliases — so ``*/*`` gets the
    kind's default format and a browser's ``text/html`` beats its ``application/xml;q=0.9``.
    """
    formats = FORMATS_BY_KIND[kind]
    canonical = [f.media_type for f in formats]
    return canonical + ([HTML] if html else []) + media_types(kind)[len(canonical) :]


@overload
def pick_format(
    kind: ResultKind,
    accept: str | None,
    override: str | Sequence[str] | None,
    *,
    html: Literal[False] = False,
) -> ResultFormat: ...
@overload
def pick_format(
    kind: ResultKind, accept: str | None, override: str | Sequence[str] | None, *, html: bool
) -> ResultFormat | None: ...
def pick_format(
    kind: ResultKind,
    accept: str | None,
    override: str | Sequence[str] | None,
    *,
    html: bool = False,
) -> ResultFormat | None:
    """The format to answer with; ``None`` means the route's HTML page (only with ``html``).

    ``override`` (``?format=``) wins when one of its values names a format of ``kind`` (of
    several, SPARQLWrapper sends a name and a media type, the first that fits). A format
    of the other kind (``format=csv`` for a CONSTRUCT) does not turn an acceptable request
    into a 406: ``Accept`` decides then. A value that names no format at all is a 406.

    :raises NotAcceptableError: ``override`` names no format, or nothing offered fits
        ``override`` nor ``Accept``.
    """
    overrides = [override] if isinstance(override, str) else [o for o in override or () if o]
    problem: UsageError | None = None
    for value in overrides:
        if html and value.strip().lower() in _HTML_NAMES:
            return None
        try:
            return format_named(value, kind)
        except UsageError as exc:
            problem = problem or exc
    if problem is not None and not any(_names_a_format(value) for value in overrides):
        raise NotAcceptableError(str(problem)) from problem  # a typo, not another kind
    offered = offered_media_types(kind, html=html)
    chosen = choose_media_type(accept, offered)
    if chosen is None:
        canonical = ", ".join(offered[: len(FORMATS_BY_KIND[kind]) + html])
        reason = f"{problem}; and " if problem else ""
        raise NotAcceptableError(
            f"{reason}none of the accepted media types is offered; try {canonical}"
        )
    if chosen == HTML:
        return None
    return format_for_media_type(chosen, kind)


def _names_a_format(value: str) -> bool:
    """Whether ``value`` names a format of some kind (or the HTML page)."""
    if value.strip().lower() in _HTML_NAMES:
        return True
    for kind in FORMATS_BY_KIND:
        try:
            format_named(value, kind)
        except UsageError:
            continue
        return True
    return False
