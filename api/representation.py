"""Choosing a representation: a result kind's format table, ``Accept`` and ``?format=``.

>>> pick_format("graph", "application/n-triples, text/turtle;q=0.9", None).name
'ntriples'
>>> pick_format("solutions", "text/html", "csv").name
'csv'
"""

from __future__ import annotations

from collections.abc import Sequence

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

__all__ = ["pick_format"]


def pick_format(
    kind: ResultKind, accept: str | None, override: str | Sequence[str] | None
) -> ResultFormat:
    """The format to answer with: ``override`` (``?format=``) if given, else per ``Accept``.

    Of several ``format`` values (SPARQLWrapper sends a name and a media type) the first
    one that names a format of ``kind`` wins.

    :raises NotAcceptableError: no override value fits ``kind``, or no offered media type
        is acceptable.
    """
    overrides = [override] if isinstance(override, str) else [o for o in override or () if o]
    problem: UsageError | None = None
    for value in overrides:
        try:
            return format_named(value, kind)
        except UsageError as exc:
            problem = problem or exc
    if problem is not None:
        raise NotAcceptableError(str(problem)) from problem
    chosen = choose_media_type(accept, media_types(kind))
    if chosen is None:
        offered = ", ".join(f.media_type for f in FORMATS_BY_KIND[kind])
        raise NotAcceptableError(f"none of the accepted media types is offered; try {offered}")
    return format_for_media_type(chosen, kind)
