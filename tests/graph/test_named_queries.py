"""The named queries of ``graph/queries/``: each parses, binds safely and gives the answer the
report gives.

Expected answers were checked against the report's text (line numbers in the comments refer to
``../shared/sources/jk-vision-group-2025.ja.txt``) and the curated Turtle. Where full member
lists may later arrive in the ``background`` graph, the tests assert what the report states and
what stays true whatever is added (Korea is not in the Quad), never a closed list that new
background facts would break.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import DATA_DIR, QUERIES_DIR
from graph.build import build_store
from graph.errors import UsageError
from graph.query.named import NamedQuery, load_named_queries, run_named_query
from graph.store import OxigraphStore, open_store
from graph.store.port import GraphStore

QUERIES: dict[str, NamedQuery] = load_named_queries(QUERIES_DIR)

ID = "https://w3id.org/policygraph/id/"
PG = "https://w3id.org/policygraph/ontology#"
GRAPH = "https://w3id.org/policygraph/graph/"

Row = dict[str, str | None]


def _short(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | None:
    """A term as a test reads it: a slug, ``pg:Term``, ``graph:name`` or a literal's text."""
    if term is None:
        return None
    value = term.value
    if isinstance(term, ox.NamedNode):
        for prefix, short in ((ID, ""), (PG, "pg:"), (GRAPH, "graph:")):
            if value.startswith(prefix):
                return short + value.removeprefix(prefix)
    return value


def run(store: GraphStore, name: str, **values: str) -> list[Row]:
    """The rows of the named query ``name`` with ``values`` bound, terms shortened."""
    result = run_named_query(QUERIES[name], store, values)
    assert isinstance(result, ox.QuerySolutions), f"{name} is not a SELECT query"
    names = [variable.value for variable in result.variables]
    return [{n: _short(row[n]) for n in names} for row in result]


def pairs(rows: list[Row], *keys: str) -> set[tuple[str | None, ...]]:
    return {tuple(row[k] for k in keys) for row in rows}


def column(rows: list[Row], key: str) -> list[str | None]:
    return [row[key] for row in rows]


def select(store: GraphStore, sparql: str) -> list[ox.QuerySolution]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def ask(store: GraphStore, sparql: str) -> bool:
    result = store.query(sparql)
    assert isinstance(result, ox.QueryBoolean)
    return bool(result)


def _example(description: str) -> str | None:
    match = re.search(r"for example ([A-Za-z0-9-]+)", description)
    return match[1] if match else None


def _examples(query: NamedQuery) -> dict[str, str]:
    values = {}
    for param in query.params:
        example = _example(param.description)
        assert example, f"{query.name}: parameter {param.name} gives no '(for example …)'"
        values[param.name] = example
    return values


def _projection(sparql: str) -> str:
    body = "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\bSELECT\s+(.*?)\bWHERE\b", body, re.DOTALL | re.IGNORECASE)
    assert match, "no SELECT … WHERE"
    return match[1]


# ---------------------------------------------------------------------------------------------
# Every query file
# ---------------------------------------------------------------------------------------------


def test_there_are_at_least_25_named_queries() -> None:
    assert len(QUERIES) >= 25, sorted(QUERIES)
    on_disk = {path.stem for path in QUERIES_DIR.glob("*.rq")}
    assert set(QUERIES) == on_disk, "a .rq file name is not kebab-case, so it is not loaded"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_header_parses_and_parameters_are_projected(name: str) -> None:
    query = QUERIES[name]
    assert "?" in query.question, f"{name}: the question line should ask a question"
    projection = _projection(query.sparql)
    for param in query.params:
        assert param.kind in {"slug", "integer", "text"}
        assert param.description, f"{name}: parameter {param.name} has no description"
        assert projection.strip() == "*" or re.search(rf"\?{param.name}\b", projection), (
            f"{name}: parameter ?{param.name} is not projected, so it cannot be bound"
        )


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_declares_its_prefixes_and_runs_in_any_client(name: str) -> None:
    """Plain Oxigraph, without policygraph's predeclared prefixes, parses and runs the file."""
    result = ox.Store().query(QUERIES[name].sparql)
    assert isinstance(result, ox.QuerySolutions)
    list(result)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_runs_on_the_report_with_its_example_values(
    report_store: OxigraphStore, name: str
) -> None:
    query = QUERIES[name]
    rows = run(report_store, name, **_examples(query))
    for row in rows:  # a bound parameter comes back as given
        for param, value in _examples(query).items():
            assert row[param] == value, f"{name}: ?{param} is {row[param]!r}, not {value!r}"


# ---------------------------------------------------------------------------------------------
# Parameters are bound, never spliced into the text
# ---------------------------------------------------------------------------------------------

MALICIOUS = [
    "kor> } ; DROP ALL",
    'kor" . ?s ?p ?o',
    "kor> . ?s ?p ?o . <x",
    "kor } UNION { ?s ?p ?o }",
    "KOR",
    "../kor",
    "kor#x",
    "",
]


@pytest.mark.parametrize("value", MALICIOUS)
def test_a_malicious_slug_is_rejected(report_store: OxigraphStore, value: str) -> None:
    with pytest.raises(UsageError):
        run(report_store, "actor-frameworks", actor=value)


@pytest.mark.parametrize("value", ["2024 } ; DROP ALL", "2024.5", "1e3", "2024 ", "twenty"])
def test_a_malformed_integer_is_rejected(report_store: OxigraphStore, value: str) -> None:
    with pytest.raises(UsageError):
        run(report_store, "events-in-year-range", **{"from": value, "to": "2025"})


def test_an_unknown_parameter_is_rejected(report_store: OxigraphStore) -> None:
    with pytest.raises(UsageError):
        run(report_store, "actor-frameworks", actor="kor", framework="msp")


def test_a_well_formed_but_unknown_slug_gives_no_rows(report_store: OxigraphStore) -> None:
    assert run(report_store, "actor-frameworks", actor="no-such-actor") == []


# ---------------------------------------------------------------------------------------------
# Frameworks and memberships
# ---------------------------------------------------------------------------------------------


def test_proposals_joint_framework_participation(report_store: OxigraphStore) -> None:
    rows = run(report_store, "proposals-joint-framework-participation")
    found = pairs(rows, "proposal", "framework", "summaryOrder")
    # summary bullet 8 (line 199) "AUKUSピラーⅡへの日韓共同参加"
    assert ("proposal-aukus-pillar-2-joint-participation", "aukus-pillar-2", "8") in found
    # bullet 6 (lines 193-195): Korea's host role in the UN Command, observer status for Japan
    assert ("proposal-un-command-roles", "un-command", "6") in found
    # bullet 24: a Japan–Korea FTA and Korea's CPTPP accession
    assert ("proposal-jpn-kor-fta-and-cptpp-accession", "cptpp", "24") in found
    assert ("proposal-jpn-kor-fta-and-cptpp-accession", "jpn-kor-fta", "24") in found
    # the Security Council reform proposal names no actor, so it is not joint
    assert "proposal-unsc-reform-semi-permanent-seats" not in column(rows, "proposal")
    for proposal in set(column(rows, "proposal")):
        assert ask(report_store, f"ASK {{ id:{proposal} pg:involves id:jpn , id:kor }}")
    assert all(row["proposalLabel"] and row["frameworkLabel"] for row in rows)
    sections = [section or "" for section in column(rows, "section")]
    assert sections == sorted(sections)


def test_framework_chairs(report_store: OxigraphStore) -> None:
    rows = run(report_store, "framework-chairs")
    found = pairs(rows, "chair", "framework", "startDate", "endDate", "current")
    # line 2589: "2024年7月からMSPの議長国を1年間務める韓国政府"
    assert ("kor", "msp", "2024-07", None, "true") in found
    # lines 2573-2577: Korea elected first chair of IPEF's crisis response network, July 2024
    assert ("kor", "ipef-crisis-response-network", "2024-07", None, "true") in found
    assert {row["chairLabel"] for row in rows if row["chair"] == "kor"} == {"Republic of Korea"}


def test_frameworks_with_korea_and_australia_on_the_report(report_store: OxigraphStore) -> None:
    rows = run(report_store, "frameworks-with-korea-and-australia")
    frameworks = set(column(rows, "framework"))
    # Korea is a NATO partner (line 1341), not a member; the Quad and AUKUS have no Korea
    assert not frameworks & {"nato", "quad", "aukus", "aukus-pillar-2", "usa-aus-alliance"}
    for framework in frameworks:
        assert ask(
            report_store,
            f"ASK {{ id:kor pg:memberOf id:{framework} . id:aus pg:memberOf id:{framework} }}",
        )


BACKGROUND_TTL = """\
@prefix pg:   <https://w3id.org/policygraph/ontology#> .
@prefix id:   <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

id:source-test-apec-member-economies a pg:Document ;
    rdfs:label "APEC member economies (test source)"@en ;
    pg:url "https://www.apec.org/about-us/about-apec/member-economies"^^xsd:anyURI ;
    pg:asOf "2025-09-01"^^xsd:date .

[] a pg:Membership ;
    pg:member id:kor ;
    pg:framework id:apec ;
    pg:evidence id:source-test-apec-member-economies .

[] a pg:Membership ;
    pg:member id:aus ;
    pg:framework id:apec ;
    pg:evidence id:source-test-apec-member-economies .
"""


@pytest.fixture(scope="module")
def background_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    """The report data plus a background member list (APEC), built as `policygraph build` does."""
    extra = tmp_path_factory.mktemp("extra")
    (extra / "background").mkdir()
    (extra / "background" / "test-apec.ttl").write_text(BACKGROUND_TTL, encoding="utf-8")
    path = tmp_path_factory.mktemp("with-background") / "store"
    build_store([DATA_DIR, extra], path)
    store = open_store(path)
    yield store
    store.close()


def test_frameworks_with_korea_and_australia_picks_up_background_members(
    background_store: OxigraphStore,
) -> None:
    rows = run(background_store, "frameworks-with-korea-and-australia")
    assert ("apec", "Asia-Pacific Economic Cooperation") in pairs(
        rows, "framework", "frameworkLabel"
    )
    members = run(background_store, "framework-members", framework="apec")
    assert ("kor", "pg:Member", "graph:background") in pairs(members, "member", "role", "graph")
    assert ("aus", "pg:Member", "graph:background") in pairs(members, "member", "role", "graph")


def test_proposals_actors_outside_frameworks(report_store: OxigraphStore) -> None:
    found = pairs(run(report_store, "proposals-actors-outside-frameworks"), "proposal", "actor")
    # bullet 8: Japan and Korea are to join AUKUS Pillar II, built by the US, UK, Australia
    assert ("proposal-aukus-pillar-2-joint-participation", "kor") in found
    assert ("proposal-aukus-pillar-2-joint-participation", "jpn") in found
    assert ("proposal-aukus-pillar-2-joint-participation", "aus") not in found
    # Korea is not in the Quad (the report proposes exploring its participation)
    assert ("proposal-korea-quad-participation", "kor") in found
    # G7 enlargement: Japan is a founding member (line 14), Korea and the others are not
    assert ("proposal-g7-expansion", "kor") in found
    assert ("proposal-g7-expansion", "aus") in found
    assert ("proposal-g7-expansion", "jpn") not in found
    # Korea is to join the CPTPP, where Japan already is (line 2640)
    assert ("proposal-jpn-kor-fta-and-cptpp-accession", "kor") in found
    assert ("proposal-jpn-kor-fta-and-cptpp-accession", "jpn") not in found
    # a proposal that concerns no framework is not listed (the Trans-Pacific QUAD proposal
    # was, until the framework it would create became an entity: issue 15)
    for proposal in {proposal for proposal, _ in found}:
        assert ask(report_store, f"ASK {{ id:{proposal} pg:concerns ?framework }}")


def test_framework_members(report_store: OxigraphStore) -> None:
    msp = run(report_store, "framework-members", framework="msp")
    assert set(column(msp, "framework")) == {"msp"}
    found = pairs(msp, "member", "role", "startDate", "graph")
    assert ("kor", "pg:Chair", "2024-07", "graph:curated") in found  # line 2589
    assert ("usa", "pg:Founder", None, "graph:curated") in found  # line 2585, "米国主導"
    nato = pairs(run(report_store, "framework-members", framework="nato"), "member", "role")
    # line 1341: Japan and Korea with Australia and New Zealand attend NATO meetings since 2022
    assert {("jpn", "pg:Partner"), ("kor", "pg:Partner"), ("aus", "pg:Partner")} <= nato
    assert ("nzl", "pg:Partner") in nato
    assert ("usa", "pg:Member") in nato  # line 823, "NATOの主柱である米国"
    assert ("kor", "pg:Member") not in nato


def test_actor_frameworks(report_store: OxigraphStore) -> None:
    rows = run(report_store, "actor-frameworks", actor="kor")
    assert set(column(rows, "actor")) == {"kor"}
    found = pairs(rows, "framework", "role", "startDate", "fullMember")
    assert ("msp", "pg:Chair", "2024-07", "true") in found
    assert ("ipef-crisis-response-network", "pg:Chair", "2024-07", "true") in found
    assert ("rcep", "pg:Member", "2020-12", "true") in found  # line 2618
    assert ("nato", "pg:Partner", "2022", "false") in found
    assert ("un-command", "pg:Host", None, "false") in found
    assert not {"quad", "aukus", "aukus-pillar-2", "g7"} & set(column(rows, "framework"))


def test_memberships_special_roles(report_store: OxigraphStore) -> None:
    rows = run(report_store, "memberships-special-roles")
    assert "pg:Member" not in column(rows, "role")
    found = pairs(rows, "role", "member", "framework")
    assert ("pg:Chair", "kor", "msp") in found
    assert ("pg:Host", "kor", "un-command") in found
    # line 1363: "米国・日本・豪州・インドが結成したクアッド"
    for founder in ("usa", "jpn", "aus", "ind"):
        assert ("pg:Founder", founder, "quad") in found
    # line 1355: AUKUS concluded in 2021 by the US, the UK and Australia
    founders = {(r["member"], r["startDate"]) for r in rows if r["framework"] == "aukus"}
    assert founders >= {("usa", "2021"), ("gbr", "2021"), ("aus", "2021")}
    roles = [role or "" for role in column(rows, "role")]
    assert roles == sorted(roles)


def test_framework_parts(report_store: OxigraphStore) -> None:
    aukus = run(report_store, "framework-parts", framework="aukus")
    assert ("aukus-pillar-2", "AUKUS Pillar II", "aukus") in pairs(
        aukus, "part", "partLabel", "directlyPartOf"
    )
    ipef = set(column(run(report_store, "framework-parts", framework="ipef"), "part"))
    assert {"ipef-crisis-response-network", "ipef-supply-chain-agreement"} <= ipef
    assert run(report_store, "framework-parts", framework="aukus-pillar-2") == []


def test_framework_proposals_include_those_on_its_parts(report_store: OxigraphStore) -> None:
    rows = run(report_store, "framework-proposals", framework="aukus")
    found = pairs(rows, "proposal", "concerned")
    assert ("proposal-aukus-pillar-2-joint-participation", "aukus-pillar-2") in found
    # bullet 1 names AUKUS itself among the new minilaterals (line 1025)
    assert ("proposal-multilateral-science-technology-cooperation", "aukus") in found


def test_frameworks_by_kind(report_store: OxigraphStore) -> None:
    rows = run(report_store, "frameworks-by-kind")
    counts = {row["kind"]: int(row["frameworks"] or 0) for row in rows}
    kinds = {
        "pg:Alliance", "pg:Minilateral", "pg:MultilateralInstitution", "pg:TradeAgreement",
        "pg:Treaty", "pg:Declaration", "pg:Initiative", "pg:Dialogue", "pg:Framework",
    }  # fmt: skip
    assert set(counts) <= kinds
    # every framework of the report has a specific kind, so none counts as a bare pg:Framework
    assert "pg:Framework" not in counts
    # quad, quad-plus, aukus, aukus-pillar-2, ip4, ipef, msp and the two trilaterals
    assert counts["pg:Minilateral"] >= 9
    # NATO, the Japan–US, US–Korea and US–Australia alliances
    assert counts["pg:Alliance"] >= 4
    total = len(select(report_store, "SELECT DISTINCT ?f WHERE { ?f a pg:Framework }"))
    assert sum(counts.values()) >= total
    values = [int(row["frameworks"] or 0) for row in rows]
    assert values == sorted(values, reverse=True)


def test_frameworks_most_concerned(report_store: OxigraphStore) -> None:
    rows = run(report_store, "frameworks-most-concerned")
    counts = {row["framework"]: int(row["proposals"] or 0) for row in rows}
    ranked = [int(row["proposals"] or 0) for row in rows]
    assert ranked == sorted(ranked, reverse=True)
    # the Japan–US–Korea trilateral is the framework the proposals name most
    assert counts["jpn-usa-kor-trilateral"] == ranked[0] >= 4
    # IPEF: bullet 23 and the IPEF follow-on recommendation
    assert counts["ipef"] >= 2
    assert counts["aukus-pillar-2"] >= 1


def test_proposals_frameworks_korea_not_member(report_store: OxigraphStore) -> None:
    rows = run(report_store, "proposals-frameworks-korea-not-member")
    found = pairs(rows, "proposal", "framework", "koreaRole")
    assert ("proposal-aukus-pillar-2-joint-participation", "aukus-pillar-2", None) in found
    assert ("proposal-korea-quad-participation", "quad", None) in found
    assert ("proposal-jpn-kor-fta-and-cptpp-accession", "cptpp", None) in found
    assert ("proposal-g7-expansion", "g7", None) in found
    assert ("proposal-ip4-nato-strategic-linkage", "nato", "pg:Partner") in found
    assert ("proposal-un-command-roles", "un-command", "pg:Host") in found
    # Korea is a member of these (IPEF line 2575, MSP chair line 2589, RCEP line 2618)
    assert not {"ipef", "msp", "rcep", "jpn-usa-kor-trilateral"} & set(column(rows, "framework"))


# ---------------------------------------------------------------------------------------------
# Proposals
# ---------------------------------------------------------------------------------------------


def test_section_proposals_in_summary_order(report_store: OxigraphStore) -> None:
    rows = run(report_store, "section-proposals", section="jkvg2025-section-1-2")
    assert set(column(rows, "section")) == {"jkvg2025-section-1-2"}
    orders = column(rows, "summaryOrder")
    # section 1-2 holds summary bullets 4..10, first and in order, then chapter recommendations
    assert orders[:7] == ["4", "5", "6", "7", "8", "9", "10"]
    assert all(order is None for order in orders[7:])
    assert len(rows) > 7
    assert rows[4]["proposal"] == "proposal-aukus-pillar-2-joint-participation"
    # lines 193-195, the Japanese title as printed
    assert rows[2]["labelJa"] == (
        "国連軍司令部体制における韓国のホスト国の役割強化および日本へのオブザーバー地位の付与"
    )


def test_summary_bullets(report_store: OxigraphStore) -> None:
    rows = run(report_store, "summary-bullets")
    assert [int(order or 0) for order in column(rows, "summaryOrder")] == list(range(1, 49))
    by_order = {int(row["summaryOrder"] or 0): row for row in rows}
    assert by_order[8]["proposal"] == "proposal-aukus-pillar-2-joint-participation"
    assert by_order[6]["proposal"] == "proposal-un-command-roles"
    # the bullets per section, as printed in the summary (lines 169-317)
    ranges = {
        "1-1": range(1, 4), "1-2": range(4, 11), "2-1": range(11, 17), "2-2": range(17, 22),
        "3-1": range(22, 28), "3-2": range(28, 34), "3-3": range(34, 38), "4-1": range(38, 42),
        "4-2": range(42, 49),
    }  # fmt: skip
    for section, orders in ranges.items():
        for order in orders:
            assert by_order[order]["section"] == f"jkvg2025-section-{section}", order


def test_proposal_counts_by_section(report_store: OxigraphStore) -> None:
    rows = run(report_store, "proposal-counts-by-section")
    assert column(rows, "section") == [
        f"jkvg2025-section-{s}"
        for s in ("1-1", "1-2", "2-1", "2-2", "3-1", "3-2", "3-3", "4-1", "4-2")
    ]
    assert column(rows, "part") == [f"jkvg2025-part-{p}" for p in "112233344"]
    bullets = [int(row["summaryBullets"] or 0) for row in rows]
    assert bullets == [3, 7, 6, 5, 6, 6, 4, 4, 7]
    for row in rows:
        assert int(row["proposals"] or 0) >= int(row["summaryBullets"] or 0)
    assert rows[0]["sectionLabel"] == (
        "A Japan–Korea Strategic Partnership to Defend the Liberal International Order"
    )


def test_proposals_by_topic_includes_narrower_topics(report_store: OxigraphStore) -> None:
    rows = run(report_store, "proposals-by-topic", topic="topic-economic-security")
    assert set(column(rows, "topic")) == {"topic-economic-security"}
    subtree = {"topic-economic-security"} | {
        _short(row["t"])
        for row in select(
            report_store, "SELECT ?t WHERE { ?t skos:broader+ id:topic-economic-security }"
        )
    }
    assert {"topic-critical-minerals", "topic-supply-chains"} <= subtree
    assert set(column(rows, "addressedTopic")) <= subtree
    # bullet 23: supply-chain frameworks and bilateral critical-minerals cooperation
    assert "proposal-supply-chain-and-critical-minerals-cooperation" in column(rows, "proposal")
    # found through a narrower topic only
    assert any(row["addressedTopic"] != "topic-economic-security" for row in rows)
    security = run(report_store, "proposals-by-topic", topic="topic-security")
    # bullet 5 (extended deterrence) is filed under topic-deterrence, narrower than security
    assert ("proposal-extended-deterrence-cooperation", "topic-deterrence") in pairs(
        security, "proposal", "addressedTopic"
    )


def test_topics_most_addressed(report_store: OxigraphStore) -> None:
    rows = run(report_store, "topics-most-addressed")
    counts = {row["topic"]: int(row["proposals"] or 0) for row in rows}
    assert len(counts) == len(rows)  # one row per topic
    for row in rows:  # a broader topic counts its narrower topics' proposals
        if row["broader"]:
            assert counts[row["broader"]] >= counts[row["topic"]]
    ranked = [int(row["proposals"] or 0) for row in rows]
    assert ranked == sorted(ranked, reverse=True)
    assert counts["topic-security"] >= 7  # bullets 4..10 are all about security


def test_actors_most_involved(report_store: OxigraphStore) -> None:
    rows = run(report_store, "actors-most-involved")
    assert {rows[0]["actor"], rows[1]["actor"]} == {"jpn", "kor"}
    assert rows[2]["actor"] == "usa"
    ranked = [int(row["proposals"] or 0) for row in rows]
    assert ranked == sorted(ranked, reverse=True)
    assert ranked[0] >= 70


def test_actor_proposals(report_store: OxigraphStore) -> None:
    rows = run(report_store, "actor-proposals", actor="aus")
    assert set(column(rows, "actor")) == {"aus"}
    proposals = set(column(rows, "proposal"))
    # line 1035: Korea, Australia, India, Indonesia to join an enlarged G7
    assert "proposal-g7-expansion" in proposals
    # bullet 5 (line 187): 日米韓豪 extended deterrence
    assert "proposal-extended-deterrence-cooperation" in proposals
    # lines 1027-1029: 日韓米豪 Trans-Pacific QUAD
    assert "proposal-trans-pacific-quad" in proposals
    assert "proposal-japan-korea-schengen" not in proposals


def test_proposals_japan_us_korea(report_store: OxigraphStore) -> None:
    rows = run(report_store, "proposals-japan-us-korea")
    found = pairs(rows, "proposal", "summaryOrder")
    assert ("proposal-extended-deterrence-cooperation", "5") in found
    assert ("proposal-support-us-force-posture", "9") in found
    assert ("proposal-trilateral-parliamentary-civil-society-cooperation", "15") in found
    assert "proposal-japan-korea-schengen" not in column(rows, "proposal")
    for proposal in set(column(rows, "proposal")):
        assert ask(report_store, f"ASK {{ id:{proposal} pg:involves id:usa , id:jpn , id:kor }}")


def test_proposal_evidence(report_store: OxigraphStore, source_text: Path) -> None:
    rows = run(
        report_store, "proposal-evidence", proposal="proposal-aukus-pillar-2-joint-participation"
    )
    assert set(column(rows, "document")) == {"jkvg2025"}
    starts = [int(row["lineStart"] or 0) for row in rows]
    assert starts == sorted(starts)
    # the summary bullet (line 199) and its chapter counterpart (line 1353)
    assert {199, 1353} <= set(starts)
    lines = source_text.read_text(encoding="utf-8").splitlines()
    for row in rows:
        start, end = int(row["lineStart"] or 0), int(row["lineEnd"] or 0)
        text = "".join(line.strip() for line in lines[start - 1 : end] if line.strip())
        assert row["quote"] and row["quote"] in text, row


def test_proposals_without_topics_is_empty(report_store: OxigraphStore) -> None:
    assert run(report_store, "proposals-without-topics") == []


# ---------------------------------------------------------------------------------------------
# People, events, figures, labels and the report's structure
# ---------------------------------------------------------------------------------------------


def test_vision_group_affiliations(report_store: OxigraphStore) -> None:
    rows = run(report_store, "vision-group-affiliations")
    people = {row["person"]: row for row in rows}
    # member list (lines 4253-4370): ten from each country
    assert len(people) == 20
    assert sum(1 for row in people.values() if row["country"] == "jpn") == 10
    assert sum(1 for row in people.values() if row["country"] == "kor") == 10
    roles = {person: row["groupRole"] for person, row in people.items()}
    assert roles["kitaoka-shinichi"] == roles["shin-kak-soo"] == "chair"  # 座長
    assert roles["nishino-junya"] == roles["choi-eun-mi"] == "secretary"  # 幹事
    found = pairs(rows, "person", "organization", "former")
    # 北岡 伸一: 中曽根康弘世界平和研究所総括研究顧問, 東京大学名誉教授, 国際協力機構特別顧問
    for organization in ("jpn-nakasone-peace-institute", "jpn-university-of-tokyo", "jpn-jica"):
        assert ("kitaoka-shinichi", organization, "false") in found
    # 申 珏秀: NEAR 財団副理事長, 元 外交部第1・2次官, 元 駐日本国大韓民国特命全権大使
    assert ("shin-kak-soo", "kor-near-foundation", "false") in found
    assert ("shin-kak-soo", "kor-mofa", "true") in found
    assert ("shin-kak-soo", "kor-mofa", "false") not in found
    # 平井 裕秀: 元 経済産業審議官; 李 根: 前 韓国国際交流財団理事長
    assert ("hirai-hirohide", "jpn-meti", "true") in found
    assert ("lee-geun", "kor-korea-foundation", "true") in found
    assert "jk-vision-group" not in column(rows, "organization")


def test_people_current_affiliations(report_store: OxigraphStore) -> None:
    rows = run(report_store, "people-current-affiliations", country="kor")
    assert set(column(rows, "country")) == {"kor"}
    found = pairs(rows, "person", "organization", "position")
    assert ("shin-kak-soo", "kor-near-foundation", "Vice Chairman") in found
    professor = "Professor, Graduate School of International Studies"
    assert ("lee-geun", "kor-seoul-national-university", professor) in found
    organizations = pairs(rows, "person", "organization")
    assert ("shin-kak-soo", "kor-mofa") not in organizations  # former (元)
    assert ("lee-geun", "kor-korea-foundation") not in organizations  # former (前)
    # a former position at a current organisation is not shown (元 ソウル大学校国際協力本部長)
    assert not any(
        row["person"] == "lee-geun" and (row["position"] or "").startswith("Dean") for row in rows
    )
    japanese = run(report_store, "people-current-affiliations", country="jpn")
    assert ("kitaoka-shinichi", "jpn-jica") in pairs(japanese, "person", "organization")
    assert "shin-kak-soo" not in column(japanese, "person")


def test_events_in_year_range(report_store: OxigraphStore) -> None:
    rows = run(report_store, "events-in-year-range", **{"from": "2024", "to": "2024"})
    assert {(row["from"], row["to"]) for row in rows} == {("2024", "2024")}
    assert all((row["date"] or "").startswith("2024") for row in rows)
    participants: dict[tuple[str | None, str | None], set[str | None]] = {}
    for row in rows:
        participants.setdefault((row["event"], row["date"]), set()).add(row["participant"])
    # line 1612: the 9th Japan–China–Korea summit, Seoul, May 2024
    assert participants[("event-jpn-chn-kor-summit-2024", "2024-05")] >= {"chn", "jpn", "kor"}
    # lines 1203-1207: Putin in Pyongyang, treaty of 19 June 2024
    assert participants[("event-russia-prk-treaty-2024", "2024-06-19")] >= {"rus", "prk"}
    dates = [row["date"] or "" for row in rows]
    assert dates == sorted(dates)
    normalisation = run(report_store, "events-in-year-range", **{"from": "1965", "to": "1965"})
    # line 333: "1965年6月22日にようやく国交を正常化した"
    assert ("event-normalisation-1965", "1965-06-22", "kor") in pairs(
        normalisation, "event", "date", "participant"
    )
    assert ("event-normalisation-1965", "1965-06-22", "jpn") in pairs(
        normalisation, "event", "date", "participant"
    )
    assert "event-camp-david-summit-2023" not in column(rows, "event")


def test_actor_events(report_store: OxigraphStore) -> None:
    rows = run(report_store, "actor-events", actor="jk-vision-group")
    dated = pairs(rows, "event", "date")
    # line 524: meetings in March 2024 (Tokyo), July 2024 (Seoul), December 2024 (Tokyo)
    assert ("event-jkvg-meeting-1-2024", "2024-03") in dated
    assert ("event-jkvg-meeting-2-2024", "2024-07") in dated
    assert ("event-jkvg-meeting-3-2024", "2024-12") in dated
    assert set(column(rows, "actor")) == {"jk-vision-group"}


def test_statistics_about(report_store: OxigraphStore) -> None:
    rows = run(report_store, "statistics-about", subject="kor")
    assert set(column(rows, "subject")) == {"kor"}
    by_statistic = {row["statistic"]: row for row in rows}
    # line 2973: "日本が1.2であるのに対して韓国は0.72"
    tfr = by_statistic["stat-kor-tfr-2023"]
    assert float(tfr["value"] or "nan") == pytest.approx(0.72)
    assert (tfr["unit"], tfr["year"]) == ("births per woman", "2023")
    # line 379: "1日あたり370便"
    assert float(by_statistic["stat-flights-per-day"]["value"] or "nan") == 370
    cptpp = run(report_store, "statistics-about", subject="cptpp")
    assert "stat-cptpp-gdp-effect-kor-high" in column(cptpp, "statistic")


def test_entity_names(report_store: OxigraphStore) -> None:
    rows = run(report_store, "entity-names", entity="kor")
    found = pairs(rows, "language", "kind", "name")
    assert ("ko", "label", "한국") in found
    assert ("ja", "label", "韓国") in found
    assert ("en", "label", "Republic of Korea") in found
    assert {("ja", "altLabel", "大韓民国"), ("en", "altLabel", "ROK")} <= found
    assert ("en", "altLabel", "South Korea") in found
    assert rows[0]["language"] == "ko"  # Korean first, then Japanese, then English
    languages = column(rows, "language")
    assert languages.index("ja") < languages.index("en")
    person = pairs(run(report_store, "entity-names", entity="shin-kak-soo"), "language", "kind")
    assert {("ko", "label"), ("ja", "label"), ("en", "label")} <= person


def test_korean_labels_missing_is_empty(report_store: OxigraphStore) -> None:
    assert run(report_store, "korean-labels-missing") == []


def test_labels_missing_is_empty(report_store: OxigraphStore) -> None:
    assert run(report_store, "labels-missing") == []


def test_korean_label_coverage_by_class(report_store: OxigraphStore) -> None:
    rows = {row["class"]: row for row in run(report_store, "korean-label-coverage-by-class")}
    assert rows["pg:Country"]["withoutKorean"] == "0"
    assert int(rows["pg:Country"]["entities"] or 0) >= 10  # jpn kor usa chn prk rus aus gbr ind twn
    for row in rows.values():
        assert int(row["entities"] or 0) == int(row["withKorean"] or 0) + int(
            row["withoutKorean"] or 0
        )
    assert int(rows["pg:Person"]["withKorean"] or 0) >= 10  # the ten Korean members at least


def test_section_path_to_document(report_store: OxigraphStore) -> None:
    rows = run(report_store, "section-path-to-document", section="jkvg2025-section-3-2")
    assert [(row["depth"], row["ancestor"], row["ancestorType"]) for row in rows] == [
        ("0", "jkvg2025-section-3-2", "pg:Section"),
        ("1", "jkvg2025-part-3", "pg:Chapter"),
        ("2", "jkvg2025", "pg:Document"),
    ]
    assert rows[1]["ancestorLabel"] == "New Japan–Korea Cooperation for Shared Prosperity"


# ---------------------------------------------------------------------------------------------
# The December 2026 additions: lifecycle, asks, levels and ordinals, places (tiny data set)
# ---------------------------------------------------------------------------------------------

KNOWLEDGE_DEPTH_TTL = """\
@prefix pg:   <https://w3id.org/policygraph/ontology#> .
@prefix id:   <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .

id:jpn a pg:Country ; rdfs:label "Japan"@en , "日本"@ja .
id:kor a pg:Country ; rdfs:label "Republic of Korea"@en , "韓国"@ja .
id:chn a pg:Country ; rdfs:label "China"@en , "中国"@ja .
id:seoul a pg:Place ; rdfs:label "Seoul"@en , "ソウル"@ja ; pg:country id:kor .
id:busan a pg:Place ; rdfs:label "Busan"@en , "釜山"@ja ; pg:country id:kor .
id:section-1-2 a pg:Section .
id:section-3-1 a pg:Section .
id:section-4-2 a pg:Section .

# IPEF supply-chain agreement: signed November 2023, in force April 2024 (2571-2573)
id:ipef-supply-chain-agreement a pg:TradeAgreement ; rdfs:label "IPEF Supply Chain Agreement"@en .
id:event-ipef-sc-signing a pg:Event ; rdfs:label "Signing"@en ; pg:eventType pg:Signing ;
    pg:concerns id:ipef-supply-chain-agreement ; pg:date "2023-11"^^xsd:gYearMonth ;
    pg:evidence [ a pg:Passage ; pg:inDocument id:jkvg2025 ; pg:lineStart 2573 ; pg:lineEnd 2573 ;
        pg:quote "に署名（2024年4月発効）" ] .
# the entry into force, evidenced by an ingested document (a note written for the tests)
id:ipef-note a pg:Document ; rdfs:label "A note on supply chains"@en .
id:event-ipef-sc-in-force a pg:Event ; rdfs:label "Entry into force"@en ;
    pg:eventType pg:EntryIntoForce ; pg:concerns id:ipef-supply-chain-agreement ;
    pg:date "2024-04"^^xsd:gYearMonth ;
    pg:evidence [ a pg:Passage ; pg:inDocument id:ipef-note ; pg:lineStart 3 ; pg:lineEnd 3 ;
        pg:quote "came into force in April 2024" ] .

# the science and technology cooperation council, suspended since 2011 (2782-2783)
id:jpn-kor-sci-tech-council a pg:Dialogue ; rdfs:label "S&T council"@en ; pg:status pg:Suspended .
id:event-council-suspension a pg:Event ; pg:eventType pg:Suspension ;
    pg:concerns id:jpn-kor-sci-tech-council ; pg:date "2011"^^xsd:gYear .
[] a pg:Membership ; pg:member id:kor ; pg:framework id:jpn-kor-sci-tech-council .

# the Vision Group's second meeting, Seoul, July 2024 (524)
id:event-jkvg-meeting-2 a pg:Event ; rdfs:label "Second meeting"@en ; pg:eventType pg:Agreement ;
    pg:date "2024-07"^^xsd:gYearMonth ; pg:location id:seoul .

# 3-1 (3): a Japan-Korea FTA and Korea's CPTPP accession (2614)
id:cptpp a pg:TradeAgreement ; rdfs:label "CPTPP"@en .
id:jpn-kor-fta a pg:TradeAgreement ; rdfs:label "Japan-Korea FTA"@en ; pg:status pg:Proposed .
id:proposal-fta-cptpp a pg:Proposal ; rdfs:label "FTA and CPTPP"@en ; pg:inSection id:section-3-1 ;
    pg:level pg:SummaryProposal ; pg:ordinal 3 ; pg:callsOn id:kor , id:jpn ;
    pg:proposesCreating id:jpn-kor-fta ; pg:proposesJoining id:cptpp .
[] a pg:Membership ; pg:member id:kor ; pg:framework id:cptpp ; pg:status pg:Proposed .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:cptpp .

# 4-2 提言2: a Japan-Korea Erasmus programme modelled on CAMPUS Asia (3661-3667)
id:campus-asia a pg:Initiative ; rdfs:label "CAMPUS Asia"@en .
id:jpn-kor-erasmus a pg:Initiative ; rdfs:label "Japan-Korea Erasmus"@en ; pg:status pg:Proposed .
id:proposal-erasmus a pg:Proposal ; rdfs:label "Erasmus"@en ; pg:inSection id:section-4-2 ;
    pg:level pg:SummaryProposal ; pg:ordinal 2 ; pg:callsOn id:jpn , id:kor ; pg:involves id:chn ;
    pg:proposesCreating id:jpn-kor-erasmus ; pg:modelledOn id:campus-asia .
id:proposal-academic-exchange a pg:Proposal ; rdfs:label "Academic exchange"@en ;
    pg:inSection id:section-4-2 ; pg:level pg:SubProposal ;
    pg:subProposalOf id:proposal-erasmus ; pg:callsOn id:jpn .
id:proposal-megaregion a pg:Proposal ; rdfs:label "Busan-Fukuoka megaregion"@en ;
    pg:inSection id:section-4-2 ; pg:level pg:SummaryProposal ; pg:ordinal 7 ;
    pg:location id:busan .

# 1-2: the UN Command roles, printed 3), with two points (1313-1321)
id:un-command a pg:MultilateralInstitution ; rdfs:label "UN Command"@en .
id:proposal-unc-roles a pg:Proposal ; rdfs:label "UNC roles"@en ; pg:inSection id:section-1-2 ;
    pg:level pg:ChapterRecommendation ; pg:ordinal 3 ; pg:callsOn id:jpn , id:kor ;
    pg:proposesStrengthening id:un-command .
id:proposal-unc-observer a pg:Proposal ; rdfs:label "UNC observer"@en ; pg:inSection id:section-1-2 ;
    pg:level pg:SubProposal ; pg:subProposalOf id:proposal-unc-roles ; pg:ordinal 1 ;
    pg:callsOn id:jpn ; pg:proposesJoining id:un-command .
id:proposal-unc-staff a pg:Proposal ; rdfs:label "UNC staff"@en ; pg:inSection id:section-1-2 ;
    pg:level pg:SubProposal ; pg:subProposalOf id:proposal-unc-roles ; pg:ordinal 2 ;
    pg:callsOn id:kor .
id:proposal-overview a pg:Proposal ; rdfs:label "Overview"@en ; pg:inSection id:section-1-2 ;
    pg:level pg:OverviewPoint ; pg:ordinal 1 .
id:proposal-unnumbered a pg:Proposal ; rdfs:label "Unnumbered"@en ; pg:inSection id:section-1-2 .
"""


@pytest.fixture(scope="module")
def depth_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    """The tiny data set above with the ontology, materialised as the build does."""
    from graph.build.materialise import materialise
    from graph.build.sources import parse_file
    from graph.iris import graph_iri
    from ontology import ONTOLOGY_FILE

    data = tmp_path_factory.mktemp("depth") / "depth.ttl"
    data.write_text(KNOWLEDGE_DEPTH_TTL, encoding="utf-8")
    store = OxigraphStore.memory()
    store.extend(parse_file(ONTOLOGY_FILE, graph_iri("ontology")))
    store.extend(parse_file(data, graph_iri("curated")))
    store.extend(materialise(store))
    return store


def test_framework_lifecycle(depth_store: OxigraphStore) -> None:
    rows = run(depth_store, "framework-lifecycle", framework="ipef-supply-chain-agreement")
    assert [(r["status"], r["date"], r["eventType"], r["dateProperty"]) for r in rows] == [
        ("pg:Active", "2023-11", "pg:Signing", "pg:signedOn"),
        ("pg:Active", "2024-04", "pg:EntryIntoForce", "pg:inForceFrom"),
    ]
    assert rows[0]["eventTypeLabel"] == "Signing"
    # each event's line with the document it is a line of
    assert [(r["document"], r["line"], r["quote"]) for r in rows] == [
        ("jkvg2025", "2573", "に署名（2024年4月発効）"),
        ("ipef-note", "3", "came into force in April 2024"),
    ]
    rows = run(depth_store, "framework-lifecycle", framework="jpn-kor-sci-tech-council")
    assert pairs(rows, "status", "date", "dateProperty") == {
        ("pg:Suspended", "2011", "pg:suspendedOn")
    }
    # a framework with no dated events still answers with its status
    rows = run(depth_store, "framework-lifecycle", framework="jpn-kor-erasmus")
    assert pairs(rows, "status", "event") == {("pg:Proposed", None)}


def test_framework_lifecycle_dates_are_materialised(depth_store: OxigraphStore) -> None:
    assert ask(depth_store, 'ASK { id:jpn-kor-sci-tech-council pg:suspendedOn "2011"^^xsd:gYear }')
    # the suspended council yields no current membership
    assert not ask(depth_store, "ASK { id:kor pg:memberOf id:jpn-kor-sci-tech-council }")


def test_proposed_frameworks_with_actor(depth_store: OxigraphStore) -> None:
    rows = run(depth_store, "proposed-frameworks-with-actor", actor="kor")
    found = pairs(rows, "framework", "frameworkStatus", "via", "proposal")
    assert found == {
        ("cptpp", "pg:Active", "membership", "proposal-fta-cptpp"),  # Korea's accession
        ("jpn-kor-fta", "pg:Proposed", "called on", "proposal-fta-cptpp"),
        ("jpn-kor-erasmus", "pg:Proposed", "called on", "proposal-erasmus"),
    }
    # China is named by the Erasmus proposal but not called on to take part
    assert run(depth_store, "proposed-frameworks-with-actor", actor="chn") == []
    # Japan is already in the CPTPP: only the proposed frameworks come back
    japan = {
        r["framework"] for r in run(depth_store, "proposed-frameworks-with-actor", actor="jpn")
    }
    assert japan == {"jpn-kor-fta", "jpn-kor-erasmus"}


def test_actor_asks(depth_store: OxigraphStore) -> None:
    rows = run(depth_store, "actor-asks", actor="kor")
    assert [(r["ask"], r["proposal"], r["target"]) for r in rows] == [
        ("pg:proposesJoining", "proposal-fta-cptpp", "cptpp"),
        ("pg:proposesCreating", "proposal-fta-cptpp", "jpn-kor-fta"),
        ("pg:proposesCreating", "proposal-erasmus", "jpn-kor-erasmus"),
        ("pg:proposesStrengthening", "proposal-unc-roles", "un-command"),
        ("pg:modelledOn", "proposal-erasmus", "campus-asia"),
        ("pg:callsOn", "proposal-unc-staff", None),
    ]
    assert rows[0]["askLabel"] == "proposes joining"
    japan = pairs(run(depth_store, "actor-asks", actor="jpn"), "ask", "proposal")
    assert ("pg:proposesJoining", "proposal-unc-observer") in japan
    assert ("pg:callsOn", "proposal-academic-exchange") in japan


def test_sub_properties_keep_concerns_and_involves(depth_store: OxigraphStore) -> None:
    assert ask(
        depth_store, "ASK { id:proposal-erasmus pg:concerns id:campus-asia , id:jpn-kor-erasmus }"
    )
    assert ask(depth_store, "ASK { id:proposal-unc-staff pg:involves id:kor }")


def test_section_proposals_by_level(depth_store: OxigraphStore) -> None:
    rows = run(depth_store, "section-proposals-by-level", section="section-1-2")
    assert [(r["proposal"], r["level"], r["ordinal"], r["parent"]) for r in rows] == [
        ("proposal-overview", "pg:OverviewPoint", "1", None),
        ("proposal-unc-roles", "pg:ChapterRecommendation", "3", None),
        ("proposal-unc-observer", "pg:SubProposal", "1", "proposal-unc-roles"),
        ("proposal-unc-staff", "pg:SubProposal", "2", "proposal-unc-roles"),
        ("proposal-unnumbered", None, None, None),
    ]
    assert column(rows, "levelOrder") == ["1", "3", "4", "4", "5"]


def test_section_proposal_by_ordinal(depth_store: OxigraphStore) -> None:
    rows = run(depth_store, "section-proposal-by-ordinal", section="section-1-2", ordinal="3")
    assert [(r["proposal"], r["subProposal"], r["subOrdinal"]) for r in rows] == [
        ("proposal-unc-roles", "proposal-unc-observer", "1"),
        ("proposal-unc-roles", "proposal-unc-staff", "2"),
    ]
    # sub-proposals are not counted among the section's numbered proposals
    rows = run(depth_store, "section-proposal-by-ordinal", section="section-1-2", ordinal="1")
    assert set(column(rows, "proposal")) == {"proposal-overview"}


def test_place_events(depth_store: OxigraphStore) -> None:
    rows = run(depth_store, "place-events", place="seoul")
    assert [(r["kind"], r["item"], r["date"], r["country"]) for r in rows] == [
        ("event", "event-jkvg-meeting-2", "2024-07", "kor")
    ]
    rows = run(depth_store, "place-events", place="busan")
    assert pairs(rows, "kind", "item") == {("proposal", "proposal-megaregion")}
