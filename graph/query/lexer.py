"""A lexical scanner for SPARQL that cuts the text exactly where the query engine does.

The guard (:mod:`graph.query.guard`) decides from these tokens whether a query reaches
outside the dataset, so a token must never hide text the engine reads as a keyword. The
terminals follow the grammar of the engine's own parser (spargebra 0.5, the parser inside
pyoxigraph 0.5) rather than the letter of SPARQL 1.1 §19.8 where the two differ:

* white space is only space, tab, CR and LF; a ``#`` comment ends at CR *or* LF;
* a prefixed name's local part has at most one run of inner dots (``ex:a.b.c`` is
  ``ex:a.b`` followed by ``.c``), a prefix or blank node label any number;
* a keyword is matched without any word boundary, so ``1SERVICE`` is a number and a
  keyword, and ``{}.SERVICE`` a dot and a keyword: a bare word here is a run of name
  characters *without* dots, and numbers are tokens of their own;
* ``\\uXXXX`` escapes are decoded only inside strings and IRIs (the engine is built without
  SPARQL's "escape everywhere" rule): :func:`decode_escapes` performs that rule exactly as
  the engine would, for a caller that wants to check both readings.

It does not parse and never fails; a character it does not know becomes a ``punct`` token.

>>> [(t.kind, t.text) for t in tokens('SELECT * { ?s rdfs:label "SERVICE"@en } # LOAD')]
[('word', 'SELECT'), ('punct', '*'), ('punct', '{'), ('var', '?s'), ('name', 'rdfs:label'), \
('string', '"SERVICE"'), ('langtag', '@en'), ('punct', '}')]
>>> [t.text for t in tokens("{}.SERVICE ?o.service 1SERVICE #x\\rSERVICE")]
['{', '}', '.', 'SERVICE', '?o', '.', 'service', '1', 'SERVICE', 'SERVICE']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = ["Token", "TokenKind", "decode_escapes", "tokens"]

TokenKind = Literal[
    "word", "name", "var", "iri", "string", "langtag", "bnode", "number", "punct"
]  # fmt: skip

# Character classes of the engine's grammar (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS).
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_U = f"_{_BASE}"
_CHARS = f"\\-0-9\u00b7\u0300-\u036f\u203f-\u2040{_U}"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_BASE}][{_CHARS}]*(?:\\.+[{_CHARS}]+)*"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\\.+(?:[{_CHARS}:]|{_PLX})+)?"
_NAME = re.compile(f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?")
_WORD = re.compile(f"[{_BASE}][{_CHARS}]*")
_BNODE = re.compile(f"_:[{_U}0-9][{_CHARS}]*(?:\\.+[{_CHARS}]+)*")
_VAR = re.compile(f"[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")
_NUMBER = re.compile(
    r"(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+)"
)
# IRIREF: what an IRI may hold (no white space, none of <>"{}|^`\), plus \u escapes. It
# accepts every IRI the engine accepts; where ``<`` may also be "less than", the guard
# decides (see :mod:`graph.query.guard`).
_IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\[uU])*>')
_SPACE = " \t\r\n"
_PUNCTUATION = frozenset("(){}[],;*=|&!/^+")  # characters that never start a longer token
_LINE_END = re.compile("[\r\n]")
_HEX = frozenset("0123456789abcdefABCDEF")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: its kind, its text as written and where it starts."""

    kind: TokenKind
    text: str
    start: int

    @property
    def upper(self) -> str:
        """The text in upper case (keywords are case-insensitive)."""
        return self.text.upper()


def tokens(sparql: str) -> Iterator[Token]:
    """The tokens of ``sparql``, skipping white space and comments.

    >>> [t.text for t in tokens("PREFIX a: <x#y> ASK { a:b a:c '''it's''' . }")]
    ['PREFIX', 'a:', '<x#y>', 'ASK', '{', 'a:b', 'a:c', "'''it's'''", '.', '}']
    >>> [t.kind for t in tokens("FILTER(?a<?b && ?b>3)")]
    ['word', 'punct', 'var', 'punct', 'var', 'punct', 'punct', 'var', 'punct', 'number', 'punct']
    >>> [t.text for t in tokens("?s ex:a.b.SERVICE _:b.c.d")]
    ['?s', 'ex:a.b', '.', 'SERVICE', '_:b.c.d']
    """
    pos, end = 0, len(sparql)
    while pos < end:
        char = sparql[pos]
        if char in _SPACE:
            pos += 1
            continue
        if char in _PUNCTUATION:
            yield Token("punct", char, pos)
            pos += 1
            continue
        if char == "#":
            pos = _line_end(sparql, pos)
            continue
        token = _token_at(sparql, pos)
        yield token
        pos += len(token.text)


def _token_at(sparql: str, pos: int) -> Token:
    """The token that starts at ``pos`` (never white space or a comment)."""
    char = sparql[pos]
    match: re.Match[str] | None = None
    kind: TokenKind = "punct"
    if char in "'\"":
        return Token("string", sparql[pos : _string_end(sparql, pos)], pos)
    if char == "<":
        match, kind = _IRI.match(sparql, pos), "iri"
    elif char in "?$":
        match, kind = _VAR.match(sparql, pos), "var"
    elif char == "@":
        match, kind = _LANGTAG.match(sparql, pos), "langtag"
    elif char == "_":
        match, kind = _BNODE.match(sparql, pos), "bnode"
    elif char.isdigit() or char == ".":
        match, kind = _NUMBER.match(sparql, pos), "number"
    elif (name := _NAME.match(sparql, pos)) is not None:
        match, kind = name, "name"
    else:
        match, kind = _WORD.match(sparql, pos), "word"
    if match is None:
        return Token("punct", char, pos)
    return Token(kind, match.group(), pos)


def _line_end(sparql: str, start: int) -> int:
    """The index of the CR or LF that ends the comment at ``start`` (or the end of text)."""
    end = _LINE_END.search(sparql, start)
    return len(sparql) if end is None else end.start()


def _string_end(sparql: str, start: int) -> int:
    """The index just past the string literal that opens at ``start`` (or the end of text).

    A short string ends at its quote or, unterminated, before a CR or LF (where the engine
    reports it); a backslash always takes the next character with it.
    """
    quote = sparql[start]
    delimiter = quote * 3 if sparql.startswith(quote * 3, start) else quote
    pos = start + len(delimiter)
    while pos < len(sparql):
        if sparql[pos] == "\\":
            pos += 2
        elif sparql.startswith(delimiter, pos):
            return pos + len(delimiter)
        elif len(delimiter) == 1 and sparql[pos] in "\r\n":
            return pos
        else:
            pos += 1
    return len(sparql)


def decode_escapes(sparql: str) -> str:
    """``sparql`` with ``\\uXXXX`` and ``\\UXXXXXXXX`` replaced everywhere, as SPARQL 1.1
    §19.2 asks and as spargebra's ``standard-unicode-escaping`` feature does it (quirks
    included: Rust's hex parsing takes a leading ``+``; a bad escape is left as written,
    and a backslash that comes out of a bad escape still starts one).

    >>> decode_escapes(r"\\u0053ERVICE \\U00000041 \\u+053 \\uZZZZ")
    'SERVICE A S \\\\uZZZZ'
    """
    if "\\u" not in sparql and "\\U" not in sparql:
        return sparql
    out: list[str] = []
    chars = iter(sparql)
    buffer: list[str] = []
    while True:
        if buffer:
            char = buffer.pop(0)
        else:
            char = next(chars, "")
            if not char:
                return "".join(out)
        if char != "\\":
            out.append(char)
            continue
        following = next(chars, "")
        if following in ("u", "U"):
            buffer.append(following)
            digits = [next(chars, "") for _ in range(4 if following == "u" else 8)]
            if "" in digits:
                buffer.extend(d for d in digits if d)
                out.append("\\")
                continue
            buffer.extend(digits)
            decoded = _code_point("".join(digits))
            if decoded is None:
                out.append("\\")
            else:
                buffer.clear()
                out.append(decoded)
        elif following:
            buffer.append(following)
            out.append("\\")
        else:
            out.append("\\")


def _code_point(digits: str) -> str | None:
    """The character ``digits`` name in hex, as Rust's ``u32::from_str_radix(_, 16)`` and
    ``char::from_u32`` read them (a leading ``+`` allowed; no surrogates)."""
    body = digits[1:] if digits.startswith("+") else digits
    if not body or not set(body) <= _HEX:
        return None
    value = int(body, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return None
    return chr(value)
