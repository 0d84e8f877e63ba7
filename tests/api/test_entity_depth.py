"""Entity pages and the REST JSON behind them show the additions of December 2026:
lifecycles and status, member lists complete or partial with their source and date, what a
proposal asks for by kind, its level, number and points, places and what is at them.

On the tiny store of ``fixtures/depth`` (test data, not the report's).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import make_app
from tests.api.depth import depth_store

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def depth() -> Iterator[TestClient]:
    store = depth_store()
    with TestClient(make_app(store)) as client:
        yield client


def _entity(client: TestClient, slug: str) -> dict[str, object]:
    response = client.get(f"/api/entities/{slug}")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_framework_json_has_status_dates_events_and_member_list(depth: TestClient) -> None:
    body = _entity(depth, "gsomia")
    life = body["lifecycle"]
    assert isinstance(life, dict)
    assert life["status"]["name"] == "Suspended"
    assert [(d["property"], d["date"], d["event"]["slug"]) for d in life["dates"]] == [
        ("signedOn", "2016-11-23", "event-gsomia-signing"),
        ("suspendedOn", "2019-08", "event-gsomia-suspension"),
    ]
    assert [e["type"]["name"] for e in life["events"]] == ["Signing", "Suspension"]
    members = body["member_list"]
    assert isinstance(members, dict)
    assert members["completeness"] == "Complete" and members["as_of"] == "2025-01-01"
    (source,) = members["sources"]
    assert source["document"]["slug"] == "source-test-list"
    assert source["url"] == "https://example.org/members" and source["as_of"] == "2025-01-01"
    # Suspended: its members are listed, none is a current member (pg:memberOf).
    assert (members["listed_members"], members["full_members"]) == (2, 0)


def test_a_framework_without_status_is_active_and_says_what_is_unknown(
    depth: TestClient,
) -> None:
    body = _entity(depth, "cptpp")
    assert body["lifecycle"] == {"status": None, "dates": [], "events": []}
    members = body["member_list"]
    assert isinstance(members, dict)
    assert members["completeness"] is None and members["full_members"] == 2
    page = depth.get("/id/cptpp", headers=HTML).text
    assert "Status: <strong>active</strong>" in page
    assert "<strong>Not stated</strong>" in page


def test_membership_status_role_and_dates_are_shown(depth: TestClient) -> None:
    body = _entity(depth, "cptpp")
    memberships = body["memberships"]
    assert isinstance(memberships, list)
    korea = next(m for m in memberships if m["member"]["slug"] == "kor")
    assert korea["status"]["name"] == "Proposed" and korea["role"]["name"] == "Applicant"
    page = depth.get("/id/cptpp", headers=HTML).text
    assert '<th scope="col">status</th>' in page
    assert re.search(r'<a href="/ontology#Proposed">[^<]*</a>', page)


def test_framework_page_states_a_complete_list_with_source_and_date(depth: TestClient) -> None:
    page = depth.get("/id/gsomia", headers=HTML).text
    assert 'id="h-lifecycle"' in page
    assert re.search(r'Status: <strong><a href="/ontology#Suspended">', page)
    assert "<td>2016-11-23</td>" in page and "<td>2019-08</td>" in page
    assert '<a href="/id/event-gsomia-signing">Signing of GSOMIA</a>' in page
    status = re.search(r'<p id="member-list-status">(.*?)</p>', page, re.S)
    assert status and "<strong>Complete</strong>" in status.group(1)
    assert "the graph lists all its 2 members as of 2025-01-01." in status.group(1)
    assert "0 are current full members (the framework is suspended)." in status.group(1)
    sources = re.search(r'<p id="member-list-sources">(.*?)</p>', page, re.S)
    assert sources and '<a href="/id/source-test-list">Test members page</a>' in sources.group(1)
    assert "<code>https://example.org/members</code>" in sources.group(1)


def test_framework_page_warns_of_a_partial_list(depth: TestClient) -> None:
    page = depth.get("/id/un", headers=HTML).text
    status = re.search(r'<p id="member-list-status">(.*?)</p>', page, re.S)
    assert status and "<strong>Partial</strong>" in status.group(1)
    assert "lists only 3 of its members" in status.group(1)


def test_proposal_json_groups_asks_by_kind_with_level_ordinal_and_points(
    depth: TestClient,
) -> None:
    proposal = _entity(depth, "proposal-test-cptpp")["proposal"]
    assert isinstance(proposal, dict)
    assert proposal["level"]["name"] == "ChapterRecommendation" and proposal["ordinal"] == 3
    assert [(a["kind"], a["label"], [t["slug"] for t in a["terms"]]) for a in proposal["asks"]] == [
        ("proposesJoining", "join", ["cptpp"]),
        ("proposesCreating", "create", ["test-fund"]),
        ("modelledOn", "model on", ["quad"]),
        ("callsOn", "calls on", ["kor"]),
    ]
    assert [(s["proposal"]["slug"], s["ordinal"]) for s in proposal["sub_proposals"]] == [
        ("proposal-test-cptpp-talks", 1)
    ]
    assert [p["slug"] for p in proposal["locations"]] == ["busan"]
    point = _entity(depth, "proposal-test-cptpp-talks")["proposal"]
    assert isinstance(point, dict)
    assert [(p["proposal"]["slug"], p["ordinal"]) for p in point["parents"]] == [
        ("proposal-test-cptpp", 3)
    ]


def test_proposal_page_shows_asks_structure_and_places(depth: TestClient) -> None:
    page = depth.get("/id/proposal-test-cptpp", headers=HTML).text
    asks = re.search(r'<table id="asks">(.*?)</table>', page, re.S)
    assert asks is not None
    rows = re.findall(r'<th scope="row">([^<]+) <span', asks.group(1))
    assert rows == ["join", "create", "model on", "calls on"]
    assert '<a href="/id/test-fund">Japan–Korea test fund</a>' in asks.group(1)
    assert re.search(
        r'<p id="proposal-level">Level: <a href="/ontology#ChapterRecommendation">', page
    )
    assert "printed as number <strong>(3)</strong>" in page
    assert (
        '<li value="1"><a href="/id/proposal-test-cptpp-talks">Open accession talks</a></li>'
        in page
    )
    assert re.search(r'<p id="proposal-places">Places: <a href="/id/busan">Busan</a>', page)
    point = depth.get("/id/proposal-test-cptpp-talks", headers=HTML).text
    assert re.search(
        r'<p id="proposal-parent">A point of <a href="/id/proposal-test-cptpp">'
        r"Korea joins the CPTPP</a> \(3\)\.</p>",
        point,
    )


def test_place_json_and_page_list_its_events_and_proposals(depth: TestClient) -> None:
    place = _entity(depth, "busan")["place"]
    assert place == {
        "events": [
            {
                "term": {
                    "iri": "https://w3id.org/policygraph/id/event-test-summit",
                    "slug": "event-test-summit",
                    "name": None,
                    "label": "Test summit in Busan",
                },
                "date": "2025",
            }
        ],
        "proposals": [
            {
                "iri": "https://w3id.org/policygraph/id/proposal-test-cptpp",
                "slug": "proposal-test-cptpp",
                "name": None,
                "label": "Korea joins the CPTPP",
            }
        ],
    }
    page = depth.get("/id/busan", headers=HTML).text
    assert '<li>2025 — <a href="/id/event-test-summit">Test summit in Busan</a></li>' in page
    assert '<ul id="place-proposals"><li><a href="/id/proposal-test-cptpp">' in page


def test_other_entities_carry_none_of_it(depth: TestClient) -> None:
    body = _entity(depth, "kor")
    assert [body[k] for k in ("lifecycle", "member_list", "proposal", "place")] == [None] * 4


def test_incoming_relations_read_as_english(depth: TestClient) -> None:
    """Issue #17: "is member of of" — incoming relations are named from their own side."""
    for slug in ("kor", "quad", "cptpp", "busan", "proposal-test-cptpp"):
        page = depth.get(f"/id/{slug}", headers=HTML).text
        assert " of of" not in page and "is member of" not in page, slug
    incoming = {r["predicate"]["name"]: r for r in _entity(depth, "kor")["incoming"]}  # type: ignore[attr-defined]
    assert incoming["callsOn"]["inverse"] == "called on by"
    assert incoming["callsOn"]["inverse_ja"] == "行動を求める提言"
    page = depth.get("/id/kor", headers=HTML).text
    assert '<td><a href="/ontology#callsOn">called on by</a></td>' in page
    assert '<td><a href="/ontology#memberOf">' in depth.get("/id/jpn", headers=HTML).text


def test_frameworks_api_has_status_dates_and_member_lists(depth: TestClient) -> None:
    frameworks = {f["slug"]: f for f in depth.get("/api/frameworks").json()}
    gsomia = frameworks["gsomia"]
    assert gsomia["status"]["name"] == "Suspended"
    assert [d["property"] for d in gsomia["dates"]] == ["signedOn", "suspendedOn"]
    assert gsomia["member_list"]["completeness"] == "Complete"
    assert frameworks["un"]["member_list"]["completeness"] == "Partial"
    assert frameworks["test-fund"]["status"]["name"] == "Proposed"
    korea = next(m for m in frameworks["cptpp"]["members"] if m["actor"]["slug"] == "kor")
    assert korea["status"]["name"] == "Proposed"
    assert frameworks["cptpp"]["full_members"] == 2  # the proposed accession is not counted


def test_proposals_api_has_asks_level_ordinal_parent_and_places(depth: TestClient) -> None:
    proposals = {p["slug"]: p for p in depth.get("/api/proposals").json()}
    main = proposals["proposal-test-cptpp"]
    assert (main["level"], main["ordinal"]) == ("ChapterRecommendation", 3)
    assert {kind: [t["slug"] for t in terms] for kind, terms in main["asks"].items()} == {
        "proposesJoining": ["cptpp"],
        "proposesCreating": ["test-fund"],
        "modelledOn": ["quad"],
        "callsOn": ["kor"],
    }
    assert list(main["asks"]) == ["proposesJoining", "proposesCreating", "modelledOn", "callsOn"]
    assert [p["slug"] for p in main["locations"]] == ["busan"]
    point = proposals["proposal-test-cptpp-talks"]
    assert [p["slug"] for p in point["sub_proposal_of"]] == ["proposal-test-cptpp"]
    assert (point["level"], point["ordinal"]) == ("SubProposal", 1)


def test_proposal_browser_shows_level_ordinal_asks_and_parent(depth: TestClient) -> None:
    page = depth.get("/proposals").text
    article = re.search(
        r'<article class="proposal" aria-labelledby="p-proposal-test-cptpp"[^>]*>(.*?)</article>',
        page,
        re.S,
    )
    assert article is not None
    text = article.group(1)
    assert "Level:</span> chapter recommendation, printed as (3)" in text
    assert '<span class="muted">Asks to join:</span> <a href="/id/cptpp">CPTPP</a>' in text
    assert '<span class="muted">Asks to model on:</span> <a href="/id/quad">Quad</a>' in text
    assert '<span class="muted">Calls on:</span> <a href="/id/kor">Republic of Korea</a>' in text
    assert '<span class="muted">Places:</span> <a href="/id/busan">Busan</a>' in text
    point = re.search(
        r'aria-labelledby="p-proposal-test-cptpp-talks"[^>]*>(.*?)</article>', page, re.S
    )
    assert point is not None
    assert (
        '<span class="muted">A point of:</span> <a href="/id/proposal-test-cptpp">'
        in point.group(1)
    )


def test_home_marks_a_partial_member_count(depth: TestClient) -> None:
    page = depth.get("/").text
    row = re.search(r'<a href="/id/un">United Nations</a>.*?<td class="num">(.*?)</td>', page, re.S)
    assert row is not None and row.group(1) == '3+ <span class="muted">(partial list)</span>'
    quad = re.search(r'<a href="/id/quad">Quad</a>.*?<td class="num">(.*?)</td>', page, re.S)
    assert quad is not None and quad.group(1) == "3"


def test_event_page_shows_its_date_type_place_and_framework(depth: TestClient) -> None:
    body = _entity(depth, "event-gsomia-suspension")
    assert body["dates"] == ["2019-08"]
    outgoing = {r["predicate"]["name"]: r["terms"] for r in body["outgoing"]}  # type: ignore[attr-defined]
    assert [t["name"] for t in outgoing["eventType"]] == ["Suspension"]
    assert [t["slug"] for t in outgoing["concerns"]] == ["gsomia"]
    page = depth.get("/id/event-test-summit", headers=HTML).text
    assert '<p id="date"><strong>Date:</strong> 2025</p>' in page
    assert '<a href="/id/busan">Busan</a>' in page
