"""``/proposals``: the proposal finder — facets that combine, counts that follow, the list,
and the selection as a permalink, a CSV or XLSX file, a workbench query and a view.

The facets and their parameters are :mod:`graph.query.finder`'s (read by
:func:`api.routers.proposals.selection_of`, as for ``/api/proposals``); the rows are the
answer of :func:`graph.query.finder.selection_sparql`, the query "open in the workbench"
shows. ``/proposals.csv`` and ``/proposals.xlsx`` download the same rows for spreadsheets,
every cell defused (:mod:`graph.spreadsheet`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from api.deps import ContextDep, PageContextDep
from api.pages import render_page
from api.routers.proposals import SelectionDep
from graph.iris import slug_of
from graph.memo import remembered
from graph.query.finder import (
    FACETS,
    FacetCount,
    Selection,
    describe_selection,
    facet_counts,
    matching_proposals,
    resolve_selection,
    selection_bits,
    selection_sparql,
)
from graph.query.in_documents import document_names
from graph.query.proposals import ProposalSummary
from graph.query.resolve import AmbiguousEntityError, EntityNameError
from graph.query.wording import ASK_KINDS, LEVELS
from graph.spreadsheet import spreadsheet_row
from serving.context import StoreContext, WarmStep

__all__ = ["router"]

router = APIRouter(tags=["pages"], include_in_schema=False)

#: What the finder calls each ask kind (the facet reads "Asks to …").
ASK_NAMES = {
    "proposesJoining": "join a framework",
    "proposesCreating": "create a framework",
    "proposesStrengthening": "strengthen a framework",
    "modelledOn": "follow a model",
    "actsThrough": "act through a channel",
    "callsOn": "call on actors to act",
}

#: The proposals the finder lists on one page (the downloads have every one): the
#: report's 160 fit on one.
PAGE_SIZE = 200

_COLUMNS = [
    "proposal", "iri", "label (en)", "label (ja)", "level", "printed number", "section",
    "actors", "frameworks", "topics", "asks", "a point of", "document",
]  # fmt: skip


#: The document each section is part of (through its chapter).
_SECTION_DOCUMENTS = """
SELECT DISTINCT ?section ?document WHERE {
    ?section a pg:Section ; pg:partOf+ ?document . ?document a pg:Document .
}"""


@dataclass(frozen=True)
class FacetView:
    """A facet as the page shows it: its values with counts, and what is chosen."""

    name: str
    title: str
    multi: bool
    has_mode: bool
    mode: str
    values: list[FacetCount]
    chosen: tuple[str, ...]
    #: How many values some proposal of the selection has.
    shown: int
    #: The values as the form lists them: checkboxes (``<li>``) or ``<option>`` elements.
    items: Markup


@dataclass(frozen=True)
class Choice:
    """A value that names several entities or none, and the links that pick one."""

    facet: str
    text: str
    ambiguous: bool
    #: (English name and class, the finder's URL with that entity in place of the text)
    options: list[tuple[str, str]]
    #: The URL without the value.
    drop: str


@dataclass(frozen=True)
class Chip:
    """One chosen value, and the link that removes it."""

    facet: str
    label: str
    remove: str


def _label(name: str, count: FacetCount) -> str:
    if name == "ask":
        return ASK_NAMES.get(count.value, count.value)
    if name == "level":
        return LEVELS[count.value][0] if count.value in LEVELS else count.value
    if name == "status":
        return count.value.lower()
    return count.label or count.value


def _words(name: str) -> str:
    """A class's local name in words: ``GovernmentAgency`` -> ``government agency``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _href(path: str, params: list[tuple[str, str]]) -> str:
    return path + ("?" + urlencode(params) if params else "")


def warm_steps(context: StoreContext) -> list[WarmStep]:
    """What the proposal browser computes once per context, made by its warm-up
    (:class:`~serving.publish.Publication`'s ``page_steps``)."""
    return [("the proposal browser's facets", lambda: _facets(context, Selection()))]


def _facets(context: StoreContext, selection: Selection) -> list[FacetView]:
    """The facets as the page shows them under ``selection``; those of the unfiltered page,
    every first visit's, computed once per context (at 1M triples, 28,000 values counted,
    sorted and made checkboxes: 120–140 CPU ms of a 300 ms page)."""
    if selection == Selection():
        return context.memo.get("proposal_facets", lambda: _facet_views(context, selection))
    return _facet_views(context, selection)


def _facet_views(context: StoreContext, selection: Selection) -> list[FacetView]:
    found = []
    for name, spec in FACETS.items():
        values = [
            FacetCount(c.value, _label(name, c), c.count)
            for c in facet_counts(context.store, selection, name, context.catalogue.index)
        ]
        chosen = selection.values(name)
        found.append(
            FacetView(name, spec.title, spec.multi, spec.has_mode, selection.mode(name), values,
                      chosen, sum(1 for v in values if v.count),
                      (_checkboxes if spec.multi else _options)(name, values, chosen))
        )  # fmt: skip
    return found


def _checkboxes(name: str, values: list[FacetCount], chosen: tuple[str, ...]) -> Markup:
    """A multi-valued facet's values with a count, or chosen, as checkboxes: made here,
    not in the template (at 1M triples, 28,000 values looped over took most of the page)."""
    items = []
    for v in values:
        if v.count or v.value in chosen:
            key, value = escape(f"f-{name}-{v.value}"), escape(v.value)
            checked = " checked" if v.value in chosen else ""
            items.append(
                f'<li><input type="checkbox" id="{key}" name="{name}" value="{value}"{checked}'
                f' data-autosubmit><label for="{key}"><span class="name">{escape(v.label)}</span>'
                f' <span class="count">{v.count}</span></label></li>'
            )
    return Markup("\n      ".join(items) or '<li class="muted">none among these proposals</li>')


def _options(name: str, values: list[FacetCount], chosen: tuple[str, ...]) -> Markup:
    """A one-valued facet's values as the ``<option>`` elements of its list."""
    items = []
    for v in values:
        selected = " selected" if v.value in chosen else ""
        disabled = " disabled" if not v.count and v.value not in chosen else ""
        items.append(
            f'<option value="{escape(v.value)}"{selected}{disabled}>'
            f"{escape(v.label)} ({v.count})</option>"
        )
    return Markup("\n      ".join(items))


def _selected(context: StoreContext, selection: Selection) -> tuple[Sequence[ProposalSummary], int]:
    """The proposals ``selection`` keeps, in the catalogue's order, and how many there are
    in all (the rows of :func:`~graph.query.finder.matching_proposals`, from the index)."""
    catalogue = context.catalogue
    if catalogue.index is not None:
        bits = selection_bits(context.store, selection, catalogue.index)
        return catalogue.numbered(bits), len(catalogue.proposals)
    matched = set(matching_proposals(context.store, selection))
    return [p for p in catalogue.proposals if p.slug in matched], len(catalogue.proposals)


def _resolved(context: StoreContext, selection: Selection) -> tuple[Selection, list[Choice]]:
    """``selection`` with names made slugs; a value that is not one entity is left out and
    offered as a choice."""
    choices: list[Choice] = []
    while True:
        try:
            return resolve_selection(context.store, selection, context.memo), choices
        except EntityNameError as exc:
            params = selection.params()
            found = next(((k, v) for k, v in params if k in FACETS and v == exc.text), None)
            if found is None:  # not one of the values given (values are stripped)
                raise
            name, value = found
            kept = [p for p in params if p != (name, value)]
            options = [
                (f"{c.label} ({_words(c.type)})" if c.type else c.label,
                 _href("/proposals", [p if p != (name, value) else (name, c.slug) for p in params]))
                for c in exc.candidates
            ]  # fmt: skip
            ambiguous = isinstance(exc, AmbiguousEntityError)
            choices.append(
                Choice(FACETS[name].title, value, ambiguous, options, _href("/proposals", kept))
            )
            selection = selection.without(name, value)


@router.get("/proposals", response_class=HTMLResponse, summary="The proposal finder")
def proposals_page(
    request: Request,
    context: PageContextDep,
    selection: SelectionDep,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="The page of the list.")] = 1,
) -> HTMLResponse:
    """The proposals matching the selection, with its facets, links and the drawn view;
    the list :data:`PAGE_SIZE` at a time (a page past the last shows the last).

    Names are taken for slugs; a name of several entities (300) or of none (404) is left
    out, and the page offers the entities it may mean."""
    selection, choices = _resolved(context, selection)
    proposals, total = _selected(context, selection)
    pages = max(1, -(-len(proposals) // PAGE_SIZE))
    page = min(page, pages)
    first = (page - 1) * PAGE_SIZE
    facets = _facets(context, selection)
    labels = {(f.name, v.value): v.label or v.value for f in facets for v in f.values}
    params = selection.params()
    chips = [
        Chip(FACETS[name].title, labels.get((name, value), value) + (
                 f" (as of {selection.as_of.isoformat()})"
                 if name == "member_of" and selection.as_of else ""),
             _href("/proposals", [p for p in params if p != (name, value)]))
        for name, value in params if name in FACETS
    ]  # fmt: skip
    query = urlencode(params)
    return render_page(
        request,
        "proposals.html",
        {
            "selection": selection,
            "facets": facets,
            "chips": chips,
            "summary": describe_selection(selection, lambda k, v: labels.get((k, v), v)),
            "proposals": proposals[first : first + PAGE_SIZE],
            "matched": len(proposals),
            "first": first + 1,
            "page": page,
            "pages": pages,
            "previous": _href(
                "/proposals", [*params, ("page", str(page - 1))] if page > 2 else params
            ),
            "next": _href("/proposals", [*params, ("page", str(page + 1))]),
            "last": _href("/proposals", [*params, ("page", str(pages))]),
            "total": total,
            "details": context.catalogue.details,
            "ask_kinds": ASK_KINDS,
            "levels": LEVELS,
            "permalink": _href("/proposals", params),
            "csv": _href("/proposals.csv", params),
            "xlsx": _href("/proposals.xlsx", params),
            "workbench": "/query?query=" + quote(selection_sparql(selection), safe=""),
            "view": _href("/viz/proposals", params),
            "embed": "/viz/proposals?" + urlencode([*params, ("embed", "1")]),
            "has_query": bool(query),
            "choices": choices,
        },
        status_code=(300 if any(c.ambiguous for c in choices) else 404) if choices else 200,
    )


def _names(refs: list[object]) -> str:
    return "; ".join(getattr(r, "label", None) or getattr(r, "slug", "") or "" for r in refs)


def _section_documents(context: StoreContext) -> dict[str, str]:
    """The title of the document each section is part of, by section IRI: a proposal of the
    report names the report in a download as one made from an ingested document names that
    document."""

    def read() -> dict[str, str]:
        names = document_names(context.store, "en", context.memo)
        rows = context.store.query(_SECTION_DOCUMENTS)
        assert isinstance(rows, ox.QuerySolutions)
        found: dict[str, str] = {}
        for row in rows:
            slug = slug_of(row["document"].value)
            if slug in names:
                found.setdefault(row["section"].value, names[slug])
        return found

    return remembered(context.memo, "section_documents", read)


def _document_of(p: ProposalSummary, sections: dict[str, str]) -> str:
    """The document ``p`` comes from: the ingested one it names, else its section's."""
    if p.document:
        return _names([p.document])
    return sections.get(p.section.iri, "") if p.section else ""


def _rows(context: StoreContext, proposals: Sequence[ProposalSummary]) -> list[list[object]]:
    """The download's rows: the header, then one row per proposal."""
    rows: list[list[object]] = [list(_COLUMNS)]
    sections = _section_documents(context)
    for p in proposals:
        asks = "; ".join(
            f"{ASK_NAMES.get(kind, kind)}: {_names(list(refs))}" for kind, refs in p.asks.items()
        )
        level = LEVELS[p.level][0] if p.level in LEVELS else (p.level or "")
        section = (p.section.label or p.section.slug or "") if p.section else ""
        rows.append(
            [
                p.slug, p.iri, p.label, p.label_ja or "", level,
                "" if p.ordinal is None else p.ordinal, section, _names(list(p.involves)),
                _names(list(p.concerns)), _names(list(p.addresses)), asks,
                _names(list(p.sub_proposal_of)), _document_of(p, sections),
            ]
        )  # fmt: skip
    return rows


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/proposals.csv", summary="The finder's proposals as CSV for spreadsheets")
def proposals_csv(context: ContextDep, selection: SelectionDep) -> Response:
    """The selected proposals as CSV (UTF-8 with a byte-order mark, for Excel), every
    cell a spreadsheet would run as a formula defused."""
    selection = resolve_selection(context.store, selection, context.memo)
    out = io.StringIO()
    csv.writer(out).writerows(
        spreadsheet_row(r) for r in _rows(context, _selected(context, selection)[0])
    )
    return Response(
        ("\ufeff" + out.getvalue()).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers=_attachment("proposals.csv"),
    )


@router.get("/proposals.xlsx", summary="The finder's proposals as an Excel workbook")
def proposals_xlsx(context: ContextDep, selection: SelectionDep) -> Response:
    """The selected proposals as one sheet of an XLSX workbook; text is stored as text
    cells, which a spreadsheet never runs as formulas."""
    selection = resolve_selection(context.store, selection, context.memo)
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Proposals")
    for row in _rows(context, _selected(context, selection)[0]):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=_attachment("proposals.xlsx"),
    )
