"""Names in URLs: resolve the entity parameters of a request, or offer the choices.

A view URL may name entities by slug, IRI, name or alias (``/viz/ego?slug=Korea``,
``/viz/ego/韓国``). :func:`resolve_params` resolves each parameter with
:func:`graph.query.resolve.resolve_entity`; when a name is ambiguous or unknown,
:func:`choices_page` answers with a page that offers the candidates as links — the same URL
with the parameter replaced by the candidate's slug — with status 300 (several entities)
or 404 (none; the closest names). Clients that want JSON get the app's error instead.

>>> _replaced("/viz/ego", [("slug", "Vision Group"),
...           ("depth", "2")], "slug", "Vision Group", "jk-vision-group")
'/viz/ego?slug=jk-vision-group&depth=2'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse

from api.pages import render_page
from graph.query.resolve import (
    AmbiguousEntityError,
    Candidate,
    EntityNameError,
    resolve_in,
)
from graph.query.search import LabelIndex

__all__ = [
    "Choice",
    "ParamNameError",
    "choice_links",
    "choices_page",
    "first",
    "name_problem",
    "problem_sentence",
    "resolve_params",
    "sentence",
    "suggestions",
    "view_wanted",
]

#: A parameter's values and the classes its entities must have (``None``: any).
Wanted = tuple[Sequence[str], Collection[str] | None]


class ParamNameError(Exception):
    """A parameter's value is not one entity; ``error`` says why and lists candidates."""

    def __init__(self, param: str, value: str, error: EntityNameError) -> None:
        super().__init__(str(error))
        self.param = param
        self.value = value
        self.error = error


@dataclass(frozen=True)
class Choice:
    """A candidate as the page shows it: a link, the English name and the class."""

    href: str
    label: str
    slug: str
    type: str


def resolve_params(index: LabelIndex, wanted: Mapping[str, Wanted]) -> dict[str, list[str]]:
    """The slugs of each parameter's values, in order, by the served store's label index.

    :raises ParamNameError: a value is ambiguous or names no entity.
    """
    if not any(values for values, _ in wanted.values()):
        return {param: [] for param in wanted}
    resolved: dict[str, list[str]] = {}
    for param, (values, classes) in wanted.items():
        slugs = []
        for value in values:
            try:
                slugs.append(resolve_in(index, value, classes=classes))
            except EntityNameError as exc:
                raise ParamNameError(param, value, exc) from exc
        resolved[param] = slugs
    return resolved


def choices_page(
    request: Request,
    problem: ParamNameError,
    *,
    base: str | None = None,
    fixed: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page offering the candidates: 300 when the name is ambiguous, 404 otherwise.

    Each choice links to this request's URL with the value replaced by the candidate's slug
    or, with ``base``, to ``base`` with the ``fixed`` parameters (the names in the path) and
    this request's other parameters.
    """
    choices = choice_links(request, problem, base=base, fixed=fixed)
    ambiguous = isinstance(problem.error, AmbiguousEntityError)
    context = {
        "title": "Which one?" if ambiguous else "Not found",
        "message": problem_sentence(problem),
        "choices": choices,
        "choices_heading": "Choose one" if ambiguous else "Closest names",
        "query": problem.value,
    }
    return render_page(request, "not_found.html", context, status_code=300 if ambiguous else 404)


def choice_links(
    request: Request,
    problem: ParamNameError,
    *,
    base: str | None = None,
    fixed: Mapping[str, str] | None = None,
    anchor: str = "",
) -> list[Choice]:
    """The candidates of ``problem`` as links: this request's URL with the value replaced by
    the candidate's slug (see :func:`choices_page` for ``base`` and ``fixed``), then
    ``anchor`` (``#…``)."""
    items = request.query_params.multi_items()
    if base is not None:
        named = dict(fixed or {})
        items = list(named.items()) + [(k, v) for k, v in items if k not in named]
    path = base or request.url.path
    return [
        Choice(
            _replaced(path, items, problem.param, problem.value, c.slug) + anchor,
            c.label,
            c.slug,
            c.type,
        )
        for c in problem.error.candidates
    ]


def suggestions(index: LabelIndex, text: str) -> list[Choice]:
    """The entities closest to ``text`` (a slug or name someone typed), as links to their
    pages."""
    from graph.query.resolve import closest

    return [_page_choice(c) for c in closest(index, text)]


def problem_sentence(problem: ParamNameError) -> str:
    """What is wrong with the name, as a sentence for a page (“Korea” in curly quotes)."""
    return sentence(problem.error.headline, problem.value)


def sentence(message: str, value: str) -> str:
    """An error message as a sentence for a page: ``value`` (quoted as ``repr`` quotes it)
    in curly quotes, a capital first letter, a full stop."""
    text = message.replace(repr(value), f"“{value}”")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _page_choice(candidate: Candidate) -> Choice:
    return Choice(f"/id/{candidate.slug}", candidate.label, candidate.slug, candidate.type)


def _replaced(
    path: str, items: Sequence[tuple[str, str]], param: str, value: str, slug: str
) -> str:
    """``path`` with the query ``items``, the first ``param=value`` replaced by ``slug``."""
    done = False
    query = []
    for key, current in items:
        if not done and key == param and current == value:
            query.append((key, slug))
            done = True
        else:
            query.append((key, current))
    return f"{path}?{urlencode(query)}" if query else path


def view_wanted(view: str, slugs: Sequence[str], **single: str | None) -> dict[str, Wanted]:
    """What a view's parameters name: ``slug`` (any entity: the frameworks view says which
    are no frameworks) and the single-valued ``source``, ``target``, ``section``, ``actor``,
    ``framework``, ``topic`` given (``None``: not given)."""
    from graph.query.resolve import ACTORS, FRAMEWORKS, SECTIONS, TOPICS

    classes: dict[str, Collection[str] | None] = {
        "section": SECTIONS, "actor": ACTORS, "framework": FRAMEWORKS, "topic": TOPICS,
    }  # fmt: skip
    wanted: dict[str, Wanted] = {"slug": (slugs, None)}  # the frameworks view checks its own
    for param, value in single.items():
        wanted[param] = ([value] if value else [], classes.get(param))
    return wanted


def first(found: Mapping[str, list[str]], param: str) -> str | None:
    """The one slug of a single-valued parameter, ``None`` when it was not given."""
    values = found.get(param) or []
    return values[0] if values else None


def name_problem(request: Request, problem: ParamNameError, *, html: bool) -> HTMLResponse:
    """The choices page for a browser; for anything else the app's JSON error (400 for an
    ambiguous name, 404 for an unknown one) by raising it."""
    if not html:
        raise problem.error from None
    return choices_page(request, problem)
