"""Content negotiation: one chooser over a table of offered media types.

``choose_media_type`` reads an ``Accept`` header (RFC 9110 §12.5.1): media ranges with
q-values, ``type/*`` and ``*/*`` wildcards, the most specific range deciding each offered
type's weight. Ties go to the server's order. ``None`` means nothing fits (406).

>>> choose_media_type("text/*;q=0.5, text/csv", ["application/sparql-results+json", "text/csv"])
'text/csv'
>>> choose_media_type("image/png", ["text/turtle"]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MediaRange", "choose_media_type", "parse_accept"]


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header: ``type/subtype`` (either may be ``*``) and q."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> bool:
        """Whether ``media_type`` (``type/subtype``) falls in this range."""
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        """2 for ``type/subtype``, 1 for ``type/*``, 0 for ``*/*``."""
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(accept: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed entries are skipped.

    >>> parse_accept("text/html, */*;q=0.1, bogus, a/b;q=x")
    [MediaRange(type='text', subtype='html', q=1.0), MediaRange(type='*', subtype='*', q=0.1)]
    """
    ranges: list[MediaRange] = []
    for entry in accept.split(","):
        media, *params = (part.strip() for part in entry.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not (slash and kind and sub) or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        try:
            for param in params:
                name, _, value = param.partition("=")
                if name.strip().lower() == "q":
                    q = float(value.strip())
        except ValueError:
            continue
        if 0.0 <= q <= 1.0:
            ranges.append(MediaRange(kind, sub, q))
    return ranges


def choose_media_type(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type the client prefers, or ``None`` when none is acceptable.

    A missing or empty ``Accept`` accepts everything (the first offered type wins); an
    ``Accept`` whose every entry is malformed is treated the same way.
    """
    if not offered:
        return None
    ranges = parse_accept(accept) if accept and accept.strip() else []
    if not ranges:
        return offered[0]
    best: str | None = None
    best_q = 0.0
    for media_type in offered:
        matching = [r for r in ranges if r.matches(media_type.lower())]
        if not matching:
            continue
        q = max(matching, key=lambda r: (r.specificity, r.q)).q
        if q > best_q:
            best, best_q = media_type, q
    return best
