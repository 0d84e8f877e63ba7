"""The guard a query or update passes before any parser sees it: nothing that reaches
outside the dataset, and nothing nested deep enough to overflow the engine's stack.

``SERVICE`` and ``LOAD`` would make the server fetch an arbitrary URL, and ``FROM``/``FROM
NAMED`` with an IRI that is not one of the dataset's named graphs would name data the
caller may not see; updates are refused on a read-only endpoint.

The check reads tokens cut exactly as the engine cuts them (:mod:`graph.query.lexer`), so
a keyword inside a string, an IRI, a comment, a variable or a language tag is left alone.
Where the engine may read a keyword that a token seems to hide, the guard refuses: the
engine matches keywords without a word boundary and falls back to other readings when a
prefixed name cannot be resolved, so

* a bare word that merely *contains* ``SERVICE``, ``LOAD`` or ``FROM`` (``1SERVICE`` is a
  number and a keyword; ``trueSERVICE`` may be ``true`` and a keyword) is refused;
* a prefixed name that contains ``SERVICE`` and is followed, within three tokens, by ``{``
  (``SERVICE:x {`` is ``SERVICE`` with the IRI ``:x``) is refused; ``?s service:x ?o``
  is not;
* a prefixed name that contains ``LOAD`` where an update operation may start, or ``FROM``
  outside any bracket of a query, is refused;
* ``<…>`` right after a value inside parentheses, where it could be an IRI or "less
  than", or glued to a ``<`` before it (``<<`` opens a triple term), is refused when
  reading it as code would change the tokens (a ``#``, ``'`` or bracket inside, or a
  keyword);
* text with ``\\uXXXX`` escapes is checked both as written (what pyoxigraph 0.5 parses)
  and decoded as SPARQL 1.1 §19.2 says (what an engine built with that rule parses).

Brackets ``( [ {`` (and ``<<``) may nest :data:`MAX_NESTING` deep: the engine's parser is
recursive, and a few thousand levels crash it (a query worker, or the whole server for an
update). Brackets inside an IRI count too, in case the engine reads them as code. A flat
chain builds as deep a tree in the engine's algebra — 3,000 ``BIND`` or ``MINUS`` in one
group, or 20,000 ``||``, ``+``, ``/`` or ``UNION``, overflowed an 8 MB stack — so a text may
hold at most :data:`MAX_OPERATORS` operators and group keywords in all.

>>> shape = guard_query('SELECT ?s FROM <urn:g> WHERE { ?s ?p "SERVICE" }', {"urn:g"})
>>> shape.form, shape.default_graphs
('SELECT', ('urn:g',))
>>> guard_query("SELECT * { {}.SERVICE <http://x/sparql> { ?s ?p ?o } }", set())
Traceback (most recent call last):
...
graph.errors.QueryRefusedError: SERVICE is not allowed: this endpoint never queries other servers
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal
from urllib.parse import urljoin

from graph.errors import QueryRefusedError, QuerySyntaxError, UpdateRefusedError
from graph.iris import PREFIXES
from graph.query.lexer import Token, decode_escapes, tokens

__all__ = [
    "MAX_NESTING",
    "MAX_OPERATORS",
    "QueryForm",
    "QueryShape",
    "guard_query",
    "guard_update",
    "inspect_query",
]

QueryForm = Literal["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"]

#: The deepest bracket nesting accepted. Hand-written and generated queries stay far below
#: (the deepest query of this project nests 6); the engine's recursive parser crashed at
#: about 3,000 levels on an 8 MB main-thread stack, and worker threads may have much smaller
#: stacks, so 64 keeps a margin of some fifty times.
MAX_NESTING = 64

#: The most operators (``|| && = < + - * / | ^ !``…) and group keywords (``UNION OPTIONAL
#: MINUS BIND FILTER GRAPH VALUES EXISTS SERVICE``) a text may hold: the engine's algebra is
#: a tree as deep as their longest chain, and 2,500 ``BIND`` in one group passed while 3,000
#: crashed (8 MB stack, main thread or worker thread alike). A long list of alternatives
#: belongs in ``VALUES`` or ``IN (…)``, which stay flat.
MAX_OPERATORS = 1_000

_FORMS: frozenset[str] = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
_UPDATES: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_OPERANDS: frozenset[str] = frozenset(
    {"var", "number", "string", "langtag", "iri", "name", "word", "bnode"}
)
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_OPERATOR_CHARACTERS = frozenset("|&=!<>+-*/^")
_GROUP_KEYWORDS: frozenset[str] = frozenset(
    {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "VALUES", "EXISTS", "SERVICE"}
)

_SERVICE = "SERVICE is not allowed: this endpoint never queries other servers"
_LOAD = "LOAD is not allowed: this endpoint never fetches documents"
_FROM = "FROM is not allowed inside a name: write FROM <iri> with one of the dataset's graphs"
_NAMED = "FROM NAMED:x is ambiguous: write FROM NAMED <iri> with one of the dataset's graphs"
_LESS = (
    "'<' here could start an IRI or be 'less than' (or half of '<<'), and the two readings "
    "differ: put spaces around '<' and '<<'"
)
_ESCAPES = (
    "\\u escapes outside strings and IRIs change which graphs this names: "
    "write the characters themselves"
)


@dataclass(frozen=True)
class QueryShape:
    """What the tokens of a query say about it, before any parsing.

    ``form`` is ``None`` when no query form keyword comes first (an update, or garbage the
    parser will reject). ``default_graphs``/``named_graphs`` (the ``FROM`` and ``FROM NAMED``
    IRIs) keep a prefixed name they cannot resolve as written. ``keywords`` holds the bare
    words, and ``SERVICE``/``LOAD`` also when the engine may read one that a token hides.
    ``outside`` says why the text may reach outside the dataset (``None``: it does not);
    ``nesting`` is its deepest bracket nesting, ``operators`` how many operators and group
    keywords it holds (both counted only until they pass their limit).
    """

    form: QueryForm | None
    first_keyword: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    keywords: frozenset[str]
    outside: str | None = None
    nesting: int = 0
    operators: int = 0

    @property
    def is_update(self) -> bool:
        """Whether the text starts like a SPARQL update."""
        return self.first_keyword in _UPDATES


#: Queries up to this many characters have their shape remembered (the last
#: :data:`_REMEMBERED` of them): dashboards and scripts send the same text again and again,
#: and reading its tokens in Python was a tenth of a small query's time. Longer texts are
#: read each time, so the memory kept stays small (at most about 4 MB).
_CACHEABLE_CHARS = 8 * 1024
_REMEMBERED = 512


def inspect_query(sparql: str) -> QueryShape:
    """Read the form, the ``FROM``/``FROM NAMED`` graphs, the keywords, the nesting and
    any way out of the dataset of ``sparql`` (a query or an update).

    >>> inspect_query("PREFIX ex: <urn:ex:> ASK FROM NAMED ex:g { ?s ?p ?o }").named_graphs
    ('urn:ex:g',)
    >>> inspect_query("insert data { <a> <b> <c> }").is_update
    True
    >>> inspect_query("SELECT * { #x\\rSERVICE <http://x/> {} }").outside is not None
    True
    >>> inspect_query('SELECT * { ?service ex:service "x"@service }').outside is None
    True
    """
    if len(sparql) <= _CACHEABLE_CHARS:
        return _remembered_shape(sparql)
    return _shape(sparql)


@lru_cache(maxsize=_REMEMBERED)
def _remembered_shape(sparql: str) -> QueryShape:
    return _shape(sparql)


def _shape(sparql: str) -> QueryShape:
    """The shape as pyoxigraph reads ``sparql``, made stricter by the reading with every
    ``\\u`` escape decoded first (SPARQL 1.1 §19.2)."""
    written = _Reader(_Tokens(sparql)).read()
    decoded = decode_escapes(sparql)
    if decoded == sparql:
        return written
    other = _Reader(_Tokens(decoded)).read()
    outside = written.outside or other.outside
    graphs = (written.default_graphs, written.named_graphs)
    if outside is None and (other.default_graphs, other.named_graphs) != graphs:
        outside = _ESCAPES
    return QueryShape(
        form=written.form,
        first_keyword=written.first_keyword,
        default_graphs=written.default_graphs,
        named_graphs=written.named_graphs,
        keywords=written.keywords | (other.keywords & {"SERVICE", "LOAD"}),
        outside=outside,
        nesting=max(written.nesting, other.nesting),
        operators=max(written.operators, other.operators),
    )


def guard_query(sparql: str, dataset_graphs: Collection[str]) -> QueryShape:
    """Check ``sparql`` may run on a read-only dataset of ``dataset_graphs``; its shape.

    :raises QuerySyntaxError: brackets nest deeper than :data:`MAX_NESTING`, or it holds
        more than :data:`MAX_OPERATORS` operators.
    :raises UpdateRefusedError: the text is a SPARQL update (other than ``LOAD``).
    :raises QueryRefusedError: ``SERVICE``, ``LOAD``, or ``FROM``/``FROM NAMED`` with an
        IRI that is not a named graph of the dataset, in any spelling.
    """
    shape = inspect_query(sparql)
    _check_depth(shape)
    if shape.outside is not None:
        raise QueryRefusedError(shape.outside)
    if shape.is_update:
        raise UpdateRefusedError(
            f"{shape.first_keyword} is an update: this endpoint serves the graph read-only"
        )
    for iri in (*shape.default_graphs, *shape.named_graphs):
        if iri not in dataset_graphs:
            raise QueryRefusedError(
                f"FROM {iri} is not allowed: name one of the dataset's graphs "
                f"({', '.join(sorted(dataset_graphs)) or 'none'})"
            )
    return shape


def guard_update(sparql: str) -> None:
    """Check the SPARQL update ``sparql`` fetches nothing and nests shallowly enough to parse.

    >>> guard_update("INSERT DATA { GRAPH <urn:edits> { <urn:a> <urn:b> 'LOAD' } }")
    >>> guard_update("CLEAR GRAPH <urn:x> ;load<http://127.0.0.1:1/x>")
    Traceback (most recent call last):
    ...
    graph.errors.UpdateRefusedError: LOAD is not allowed: this endpoint never fetches documents

    :raises QuerySyntaxError: brackets nest deeper than :data:`MAX_NESTING`, or it holds
        more than :data:`MAX_OPERATORS` operators.
    :raises UpdateRefusedError: ``LOAD`` or ``SERVICE`` in any spelling.
    """
    shape = inspect_query(sparql)
    _check_depth(shape)
    if shape.outside is not None:
        raise UpdateRefusedError(shape.outside)


def _check_depth(shape: QueryShape) -> None:
    """Refuse a text whose parse or algebra could overflow the engine's stack."""
    if shape.nesting > MAX_NESTING:
        raise QuerySyntaxError(f"brackets nest deeper than {MAX_NESTING} levels, the most allowed")
    if shape.operators > MAX_OPERATORS:
        raise QuerySyntaxError(
            f"more than {MAX_OPERATORS} operators and group keywords, the most allowed "
            "(put long lists of alternatives in VALUES or IN (…))"
        )


class _Tokens:
    """The tokens of a text, read from the lexer only as far as they are asked for."""

    def __init__(self, sparql: str) -> None:
        self._lexer = tokens(sparql)
        self._read: list[Token] = []

    def at(self, index: int) -> Token | None:
        """The token at ``index``, or ``None`` before the first or past the last."""
        while len(self._read) <= index:
            following = next(self._lexer, None)
            if following is None:
                return None
            self._read.append(following)
        return self._read[index] if index >= 0 else None

    def window(self, start: int, count: int) -> list[Token]:
        """Up to ``count`` tokens from ``start``."""
        found = [self.at(i) for i in range(start, start + count)]
        return [token for token in found if token is not None]


@dataclass
class _Open:
    """An open bracket ``( [ {``, and whether it is inside a ``VALUES`` block (no
    expressions). ``<<`` is not one: it is also read as "less than" glued to an IRI, and a
    stale one would hide the brackets that close after it."""

    bracket: str
    values: bool


@dataclass
class _Reader:
    """One pass over the tokens of a query or update, collecting its shape."""

    stream: _Tokens
    prefixes: dict[str, str] = field(default_factory=lambda: dict(PREFIXES))
    base: str | None = None
    form: QueryForm | None = None
    first: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    keywords: set[str] = field(default_factory=set)
    outside: str | None = None
    open: list[_Open] = field(default_factory=list)
    nesting: int = 0
    quoted: int = 0
    operators: int = 0
    values_next: bool = False

    def read(self) -> QueryShape:
        index = 0
        while (token := self._at(index)) is not None:
            index += 1
            if self.nesting > MAX_NESTING or self.operators > MAX_OPERATORS:
                break  # refused whatever follows: the rest is not even read
            if token.kind == "punct":
                self._punct(index - 1, token)
            elif token.kind == "iri":
                self._iri(index - 1, token)
            elif token.kind == "word":
                self._word(index - 1, token)
            elif token.kind == "name":
                self._name(index - 1, token)
        return QueryShape(
            form=self.form,
            first_keyword=self.first,
            default_graphs=tuple(self.default_graphs),
            named_graphs=tuple(self.named_graphs),
            keywords=frozenset(self.keywords),
            outside=self.outside,
            nesting=self.nesting,
            operators=self.operators,
        )

    def _refuse(self, reason: str) -> None:
        if self.outside is None:
            self.outside = reason
        if reason in (_SERVICE, _LOAD):
            self.keywords.add(reason.split()[0])

    def _at(self, index: int) -> Token | None:
        return self.stream.at(index)

    def _punct(self, index: int, token: Token) -> None:
        text = token.text
        after = self._at(index + 1)
        doubled = after is not None and after.start == token.start + 1 and after.text[0] == text
        before = self._at(index - 1)
        if text in _OPERATOR_CHARACTERS and not (
            before is not None and before.start == token.start - 1 and before.text == text
        ):  # ``||`` and ``&&`` count once
            self.operators += 1
        if text == "<" and doubled:  # ``<<``: counted for depth, kept off the stack
            self.quoted += 1
        elif text == ">" and doubled and self.quoted:
            self.quoted -= 1
        elif text in "([{":
            inside_values = bool(self.open) and self.open[-1].values
            self.open.append(_Open(text, self.values_next or inside_values))
            self.values_next = self.values_next and text == "("
        elif self.open and _CLOSERS[self.open[-1].bracket] == text:
            self.open.pop()
        self.nesting = max(self.nesting, len(self.open) + self.quoted)

    def _iri(self, index: int, token: Token) -> None:
        content = token.text[1:-1]
        depth = deepest = len(self.open)
        for char in content:
            depth += (char in "([") - (char in ")]")
            deepest = max(deepest, depth)
        self.nesting = max(self.nesting, deepest)
        before = self._at(index - 1)
        operand = before is not None and (
            before.kind in _OPERANDS or (before.kind == "punct" and before.text in ")]")
        )
        in_expression = bool(self.open) and self.open[-1] == _Open("(", values=False)
        glued = before is not None and before.text == "<" and before.start == token.start - 1
        if ((operand and in_expression) or glued) and _changes_reading(content):
            self._refuse(_LESS)

    def _word(self, index: int, token: Token) -> None:
        word = token.upper
        self.keywords.add(word)
        self.operators += word in _GROUP_KEYWORDS
        if "SERVICE" in word:
            self._refuse(_SERVICE)
        if "LOAD" in word:
            self._refuse(_LOAD)
        if "FROM" in word and word != "FROM":
            self._refuse(_FROM)
        following = self.stream.window(index + 1, 2)
        if word == "PREFIX":
            if len(following) == 2 and following[0].kind == "name" and following[1].kind == "iri":
                name = following[0].text.rstrip(":")
                self.prefixes[name] = _resolve(_iri_text(following[1]), self.base)
            return
        if word == "BASE":
            if following and following[0].kind == "iri":
                self.base = _resolve(_iri_text(following[0]), self.base)
            return
        if word == "VALUES":
            self.values_next = True
        if self.first is None:
            self.first = word
            if word in _FORMS:
                self.form = word  # type: ignore[assignment]
        if word == "FROM":
            self._from(following)

    def _from(self, following: Sequence[Token]) -> None:
        if following and following[0].kind == "word" and following[0].upper == "NAMED":
            target, into = following[1:2], self.named_graphs
        else:
            target, into = following[:1], self.default_graphs
            if target and target[0].kind == "name" and target[0].upper.startswith("NAMED:"):
                self._refuse(_NAMED)
        into.append(_graph_iri(target[0] if target else None, self.prefixes, self.base))

    def _name(self, index: int, token: Token) -> None:
        name = token.upper
        before = self._at(index - 1)
        before_word = before.upper if before is not None and before.kind == "word" else ""
        if "SERVICE" in name and before_word != "PREFIX":
            soon = self.stream.window(index + 1, 3)
            if any(t.kind == "punct" and t.text == "{" for t in soon):
                self._refuse(_SERVICE)
        if self.open:
            return
        if self.form is None:  # an update: LOAD may start any operation
            operation_start = before is None or before.text == ";" or before.kind == "iri"
            if "LOAD" in name and operation_start:
                self._refuse(_LOAD)
        elif "FROM" in name and before_word not in ("FROM", "NAMED", "PREFIX"):
            self._refuse(_FROM)


def _changes_reading(content: str) -> bool:
    """Whether reading the inside of ``<content>`` as code would hide or show anything."""
    upper = content.upper()
    if any(char in content for char in "#'()[]"):  # a comment, a string, or brackets we miss
        return True
    return any(keyword in upper for keyword in ("SERVICE", "LOAD", "FROM"))


def _iri_text(token: Token) -> str:
    """The IRI a token names, with its ``\\u`` escapes decoded as the engine does."""
    return decode_escapes(token.text[1:-1])


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _graph_iri(token: Token | None, prefixes: dict[str, str], base: str | None) -> str:
    """The IRI a ``FROM`` names, as far as tokens tell (an unresolvable name stays as is)."""
    if token is None:
        return ""
    if token.kind == "iri":
        return _resolve(_iri_text(token), base)
    prefix, colon, local = token.text.partition(":")
    if token.kind == "name" and colon and prefix in prefixes:
        return prefixes[prefix] + local.replace("\\", "")
    return token.text
