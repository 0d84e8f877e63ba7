"""Membership views: chosen actors against their frameworks on a date, as a network and a
matrix, from the CLI and over HTTP; every framework view takes any entity typed a framework."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image

from api.errors import error_response
from api.routers import viz as viz_router
from graph.errors import PolicyGraphError, UnknownEntityError, UsageError
from graph.store import OxigraphStore
from serving.settings import Settings
from tests.conftest import run_cli
from tests.contexts import context_of
from viz import focus, views
from viz.html import render_html
from viz.matrix import matrix, render_matrix_html, render_matrix_static
from viz.memberships import membership_table

_CURATED = "https://w3id.org/policygraph/graph/curated"
#: Three countries; a chaired framework, an organisation that is a framework, a proposed
#: membership in a framework whose list is partial, a framework suspended in 2019, an
#: ended membership, one that starts in 2030, and a framework of one actor only.
MEMBERS = f"""
INSERT DATA {{ GRAPH <{_CURATED}> {{
    id:jpn a pg:Country ; rdfs:label "Japan"@en , "日本"@ja .
    id:kor a pg:Country ; rdfs:label "Republic of Korea"@en , "韓国"@ja .
    id:aus a pg:Country ; rdfs:label "Australia"@en .
    id:msp a pg:Minilateral , pg:Framework ; rdfs:label "Minerals Security Partnership"@en .
    id:oecd a pg:InternationalOrganization , pg:Framework ; rdfs:label "OECD"@en .
    id:quad a pg:Minilateral , pg:Framework ; rdfs:label "Quad"@en ; pg:memberList pg:Partial .
    id:gsomia a pg:Treaty , pg:Framework ; rdfs:label "GSOMIA"@en ; pg:status pg:Suspended ;
        pg:suspendedOn "2019-11-22"^^xsd:date .
    id:old a pg:Dialogue , pg:Framework ; rdfs:label "Old dialogue"@en .
    id:future a pg:Initiative , pg:Framework ; rdfs:label "Future initiative"@en .
    id:foip a pg:Initiative , pg:Framework ; rdfs:label "Free and Open Indo-Pacific"@en .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:msp ; pg:role pg:Chair ;
        pg:startDate "2024-07"^^xsd:gYearMonth ;
        pg:evidence [ a pg:Passage ; pg:lineStart 3 ; pg:lineEnd 4 ; pg:quote "MSP議長" ] .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:msp ; pg:role pg:Founder ;
        pg:startDate "2022"^^xsd:gYear .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:oecd ; pg:role pg:Member ;
        pg:startDate "1964"^^xsd:gYear .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:oecd ; pg:role pg:Member ;
        pg:startDate "1996"^^xsd:gYear .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:quad ; pg:role pg:Founder .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:quad ; pg:role pg:Member ;
        pg:status pg:Proposed .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:gsomia .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:gsomia .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:old ; pg:role pg:Member ;
        pg:startDate "1990"^^xsd:gYear ; pg:endDate "2010"^^xsd:gYear .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:future ;
        pg:startDate "2030"^^xsd:gYear .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:foip ; pg:role pg:Founder .
    id:jpn pg:memberOf id:msp , id:oecd , id:quad , id:foip .
    id:kor pg:memberOf id:msp , id:oecd .
}} }}
"""


@pytest.fixture()
def members() -> Iterator[OxigraphStore]:
    store = OxigraphStore.memory()
    store.update(MEMBERS)
    yield store
    store.close()


def _ties(store: OxigraphStore, day: str) -> dict[tuple[str, str], tuple[str, str]]:
    table = membership_table(store, ["jpn", "kor"], day)
    return {k: (t.status, t.text) for k, t in table.ties.items()}


def test_roles_dates_and_statuses_on_a_date(members: OxigraphStore) -> None:
    ties = _ties(members, "2025-06-30")
    assert ties[("kor", "msp")] == ("active", "chair since 2024-07")
    assert ties[("jpn", "msp")] == ("active", "founder since 2022")
    assert ties[("kor", "quad")] == ("proposed", "member")
    assert ties[("jpn", "gsomia")] == ("suspended", "member")
    assert ties[("kor", "old")] == ("ended", "member 1990 to 2010")
    assert ("jpn", "future") not in ties  # starts in 2030
    # Before the suspension and the chair, while the old dialogue still ran:
    earlier = _ties(members, "2005-01-01")
    assert earlier[("jpn", "gsomia")] == ("active", "member")
    assert earlier[("kor", "old")] == ("active", "member 1990 to 2010")
    assert ("kor", "msp") not in earlier and ("jpn", "msp") not in earlier


def test_shared_frameworks_first_then_each_actors_own(members: OxigraphStore) -> None:
    table = membership_table(members, ["jpn", "kor"], "2025-06-30")
    shared = [f for f in table.frameworks if len(table.holders(f)) == 2]
    assert table.frameworks[: len(shared)] == tuple(shared)
    assert set(shared) == {"msp", "oecd", "quad", "gsomia"}
    # Active shared frameworks before the suspended one.
    assert table.frameworks.index("gsomia") > table.frameworks.index("oecd")
    assert set(table.frameworks[len(shared) :]) == {"foip", "old"}
    assert table.partial == {"quad"}


def test_network_view_draws_status_roles_and_sides(members: OxigraphStore) -> None:
    view = views.memberships(members, ["jpn", "kor"], as_of="2025-06-30")
    at = {n["id"]: (n["x"], n["y"]) for n in view.nodes}
    edges = {(e["from"], e["to"]): e for e in view.edges}
    assert view.title == "Framework memberships of Japan and Republic of Korea, as of 2025-06-30"
    assert edges[("kor", "msp")]["label"] == "chair since 2024-07"
    assert "dashes" not in edges[("kor", "msp")]
    assert edges[("kor", "quad")]["dashes"] and edges[("kor", "quad")]["pgStatus"] == "proposed"
    assert edges[("jpn", "gsomia")]["dashes"] != edges[("kor", "quad")]["dashes"]
    assert edges[("kor", "msp")]["width"] > edges[("jpn", "oecd")]["width"]  # chair: thick
    # Japan on the left, Korea on the right, shared frameworks between, their own beyond.
    assert at["jpn"][0] < at["msp"][0] < at["kor"][0]
    assert at["foip"][0] < at["jpn"][0] and at["old"][0] > at["kor"][0]
    labels = {n["id"]: n["label"] for n in view.nodes}
    assert labels["quad"].endswith("*")
    legend = [e.label for e in view.legend]
    assert "proposed by the report" in legend and "suspended framework" in legend
    assert any("member list partial" in label for label in legend)
    page = render_html(view, base_url="https://graph.example.org")
    assert "https://graph.example.org/viz/memberships?actor=jpn&amp;actor=kor&amp;as_of=" in page
    assert "policygraph viz memberships jpn kor --as-of 2025-06-30" in page


def test_the_page_starts_from_groups_by_holders_and_status(members: OxigraphStore) -> None:
    view = views.memberships(members, ["jpn", "kor"], as_of="2025-06-30")
    groups = {g["id"]: (g["holders"], g["status"], g["members"]) for g in view.groups}
    assert groups == {
        "jpn+kor|active": (["jpn", "kor"], "active", ["msp", "oecd"]),
        "jpn+kor|active/proposed": (["jpn", "kor"], "active/proposed", ["quad"]),
        "jpn+kor|suspended": (["jpn", "kor"], "suspended", ["gsomia"]),
        "jpn|active": (["jpn"], "active", ["foip"]),
        "kor|ended": (["kor"], "ended", ["old"]),
    }
    # Groups this small are drawn framework by framework, beside the actors.
    first = focus.start(view)
    assert first["aggregates"] == [] and first["actors"] == ["jpn", "kor"]
    assert set(first["shown"]) == {n["id"] for n in view.nodes}
    # A line says the roles and dates; a plain membership without dates goes without words.
    edges = {(e["from"], e["to"]): e["label"] for e in view.edges}
    assert edges[("jpn", "oecd")] == "member since 1964"
    assert edges[("jpn", "gsomia")] == ""
    japanese = views.memberships(members, ["jpn", "kor"], as_of="2025-06-30", lang="ja")
    assert {(e["from"], e["to"]): e["label"] for e in japanese.edges}[("kor", "msp")] == (
        "議長（2024-07〜）"
    )


def test_the_page_folds_a_large_group_into_one_node(report_store: OxigraphStore) -> None:
    view = views.memberships(report_store, ["jpn", "kor"], as_of="2025-09-18")
    first = focus.start(view)
    assert first["groups"] and len(first["shown"]) + len(first["aggregates"]) <= 20
    for aggregate in first["aggregates"]:
        assert len(aggregate["members"]) > focus.LIMITS["small"]
        assert aggregate["say"].startswith("group-")
        assert all(
            view.node_map[m]["pgHolders"] == aggregate["holders"] for m in aggregate["members"]
        )
    folded = {m for a in first["aggregates"] for m in a["members"]}
    assert folded | set(first["shown"]) == {n["id"] for n in view.nodes}
    assert not folded & set(first["shown"])


def test_matrix_cells_say_role_and_status(members: OxigraphStore) -> None:
    m = matrix(members, ["jpn", "kor"], as_of="2025-06-30")
    rows = {r.slug: r for r in m.rows}
    assert [c.words if c else None for c in rows["quad"].cells] == ["founder", "member (proposed)"]
    assert [c.words if c else None for c in rows["foip"].cells] == ["founder", None]
    page = render_matrix_html(m, base_url="https://graph.example.org")
    assert re.search(r'data-framework="msp">.*?chair since 2024-07', page, re.S)
    assert "member list partial" in page and "<script" not in page
    assert (
        "https://graph.example.org/viz/memberships?actor=jpn&amp;actor=kor&amp;form=matrix" in page
    )
    assert "--embed" in page and "without a server" in page


def test_matrix_in_japanese_and_korean(members: OxigraphStore) -> None:
    ja = matrix(members, ["jpn", "kor"], as_of="2025-06-30", lang="ja")
    rows = {r.slug: r for r in ja.rows}
    assert ja.title == "日本と韓国の枠組みへの参加（2025-06-30時点）"
    assert [c.words if c else None for c in rows["quad"].cells] == ["創設", "加盟 (提言)"]
    assert rows["msp"].cells[1] is not None and rows["msp"].cells[1].words == "議長（2024-07〜）"
    assert ja.caption.startswith("出典：")
    ko = matrix(members, ["kor"], as_of="2025-06-30", lang="ko")
    assert ko.actor_labels == ("Republic of Korea",)  # no Korean label here: English
    assert ko.title.endswith("(2025-06-30 기준)")
    with pytest.raises(UsageError, match="unknown language"):
        matrix(members, ["kor"], lang="fr")


@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_matrix_figure_for_slides(members: OxigraphStore, fmt: str) -> None:
    figure = render_matrix_static(matrix(members, ["jpn", "kor"], as_of="2025-06-30"), fmt)
    if fmt == "png":
        image = Image.open(io.BytesIO(figure))
        assert image.size == (3999, 2250)  # 16:9 at 300 dpi
    elif fmt == "pdf":
        assert figure.startswith(b"%PDF") and b"/FontFile2" in figure  # fonts embedded
    else:
        texts = [
            "".join(t.itertext())
            for t in ET.fromstring(figure).iter("{http://www.w3.org/2000/svg}text")
        ]
        assert "chair since 2024-07" in texts and "member (proposed)" in texts
        assert any(t.startswith("Framework memberships of Japan") for t in texts)


def test_matrix_figure_takes_aspect_title_subtitle_caption(members: OxigraphStore) -> None:
    m = matrix(members, ["jpn", "kor"], as_of="2025-06-30")
    svg = render_matrix_static(
        m, "svg", size=(10.0, 7.5), title="Who belongs", subtitle="Japan and Korea",
        caption="Prepared for the briefing.",
    )  # fmt: skip
    root = ET.fromstring(svg)
    assert root.get("width") == "720pt" and root.get("height") == "540pt"  # 4:3
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Who belongs" in texts and "Japan and Korea" in texts
    assert any(t.startswith("Prepared for the briefing.") for t in texts)
    assert not any(t.startswith("Framework memberships") for t in texts)


def test_bad_input(members: OxigraphStore) -> None:
    with pytest.raises(UnknownEntityError, match="nowhere"):
        views.memberships(members, ["jpn", "nowhere"])
    with pytest.raises(UsageError, match="as-of must be a date"):
        views.memberships(members, ["jpn"], as_of="2025-13-01")
    with pytest.raises(UsageError, match="at least one actor"):
        matrix(members, [])


def test_frameworks_view_takes_an_organisation_typed_as_a_framework(
    members: OxigraphStore,
) -> None:
    view = views.frameworks(members, ["oecd"])
    assert {n["id"] for n in view.nodes} == {"oecd", "jpn", "kor"}
    with pytest.raises(UsageError, match="jpn is a Country, not a framework"):
        views.frameworks(members, ["jpn"])


@pytest.fixture()
def client(members: OxigraphStore) -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(viz_router.router)
    app.add_exception_handler(PolicyGraphError, error_response)  # type: ignore[arg-type]
    app.state.context = context_of(members)
    app.state.settings = Settings(store="memory:", public_url="https://graph.example.org/pg")
    with TestClient(app) as test_client:
        yield test_client


def test_api_network_and_matrix(client: TestClient) -> None:
    query = "actor=jpn&actor=kor&as_of=2025-06-30"
    page = client.get(f"/viz/memberships?{query}")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    assert "chair since 2024-07" in page.text
    assert "https://graph.example.org/pg/viz/memberships?actor=jpn" in page.text
    assert 'id="share-offline"' in page.text and "--embed" in page.text
    table = client.get(f"/viz/memberships?{query}&form=matrix")
    assert table.status_code == 200 and 'member <span class="status-word">(proposed)' in table.text
    embedded = client.get(f"/viz/memberships?{query}&form=matrix&embed=1")
    assert "Permalink" not in embedded.text and "chair since 2024-07" in embedded.text
    korean = client.get(f"/viz/memberships?{query}&form=matrix&lang=ko")
    assert "(2025-06-30 기준)" in korean.text and "의장 (2024-07~)" in korean.text
    network = client.get(f"/viz/memberships?{query}&lang=ko")
    assert network.status_code == 200 and "<summary>범례</summary>" in network.text
    four_three = client.get(f"/viz/memberships?{query}&form=matrix&format=svg&aspect=4:3&title=T")
    assert four_three.status_code == 200 and 'width="720pt"' in four_three.text
    assert ">T</text>" in four_three.text
    png = client.get(f"/viz/memberships?{query}&form=matrix&format=png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")


@pytest.mark.slow
def test_api_network_figure(client: TestClient) -> None:
    svg = client.get("/viz/memberships?actor=jpn&actor=kor&format=svg&title=Who+belongs")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert "Who belongs" in svg.text
    pdf = client.get("/viz/memberships?actor=jpn&actor=kor&format=pdf&lang=ko")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("actor=jpn&actor=nowhere", 404),
        ("", 422),
        ("actor=jpn&as_of=yesterday", 400),
        ("actor=jpn&form=pie", 422),
        ("actor=jpn&form=matrix&format=pptx", 422),
        ("actor=jpn&aspect=5:4&format=png", 422),
    ],
)
def test_api_bad_input(client: TestClient, query: str, status: int) -> None:
    response = client.get(f"/viz/memberships?{query}")
    assert response.status_code == status, response.text


@pytest.mark.slow
def test_cli_on_the_report(report_store_path: Path, tmp_path: Path) -> None:
    store = ["--store", str(report_store_path)]
    runs = [
        ["memberships", "jpn", "kor", "-o", "m.html"],
        ["memberships", "jpn", "kor", "--as-of", "2025-06-30", "-o", "m.svg"],
        ["memberships", "jpn", "kor", "--matrix", "-o", "mx.html"],
        ["memberships", "jpn", "kor", "aus", "--matrix", "-o", "mx.png"],
        ["frameworks", "oecd", "un", "nato", "-o", "fw.html"],
    ]
    for args in runs:
        result = run_cli("viz", *args, *store, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"wrote {args[-1]}: ")
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "Framework memberships of Japan and Republic of Korea" in page
    assert "chair since 2024-07" in page  # Korea chairs the MSP
    table = (tmp_path / "mx.html").read_text(encoding="utf-8")
    assert re.search(
        r'data-framework="cptpp">.*?member <span class="status-word">\(proposed', table, re.S
    )
    assert 'data-framework="oecd"' in table
    assert Image.open(tmp_path / "mx.png").width >= 3000
    assert "Members of Organisation for Economic Co-operation" in (tmp_path / "fw.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.slow  # each case starts policygraph
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["memberships", "jpn", "nowhere", "-o", "x.html"], "no entity has the slug 'nowhere'"),
        (["memberships", "jpn", "--as-of", "2025-02-30", "-o", "x.html"], "as-of must be a date"),
        (["memberships", "jpn", "--matrix", "-o", "x.docx"], "cannot tell the format"),
        (["frameworks", "jpn", "-o", "x.html"], "not a framework"),
        (["memberships", "jpn", "--matrix", "-o", "x.pptx"], "the matrix is written as html"),
        (["memberships", "jpn", "--matrix", "--highlight", "jpn", "-o", "x.png"], "--highlight"),
    ],
)
def test_cli_mistakes_exit_2(
    report_store_path: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    result = run_cli("viz", *args, "--store", str(report_store_path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "path",
    [
        "/id/kor",
        "/viz/ego?slug=kor",
        "/viz/memberships?actor=kor&actor=jpn",
        "/viz/memberships?actor=kor&form=matrix",
    ],
)
def test_every_page_with_a_snippet_links_publicly_and_says_how_to_share_offline(
    fixture_store: OxigraphStore, path: str
) -> None:
    from tests.api.conftest import make_app

    app = make_app(fixture_store, public_url="https://briefing.example.org/pg")
    with TestClient(app) as test_client:
        page = test_client.get(path, headers={"accept": "text/html"}).text
    snippets = re.findall(r'&lt;iframe src=(?:"|&#34;|&quot;)([^"&]+)', page)
    assert snippets, "no iframe snippet on the page"
    assert all(url.startswith("https://briefing.example.org/pg/") for url in snippets)
    assert "127.0.0.1" not in page
    offline = re.search(r'id="share-offline">(.*?)</p>', page, re.S)
    assert offline and "without a server" in offline[1] and "--embed" in offline[1]


def test_api_frameworks_view_takes_an_organisation_typed_as_a_framework(
    client: TestClient,
) -> None:
    page = client.get("/viz/frameworks?slug=oecd")
    assert page.status_code == 200 and "Members of OECD" in page.text
    assert client.get("/viz/frameworks?slug=jpn&format=svg").status_code == 400


def test_api_takes_actors_by_name(client: TestClient) -> None:
    by_slug = client.get("/viz/memberships?actor=jpn&actor=kor&as_of=2025-06-30&form=matrix")
    by_name = client.get("/viz/memberships?actor=Japan&actor=韓国&as_of=2025-06-30&form=matrix")
    assert by_name.status_code == 200 and by_name.text == by_slug.text
    unknown = client.get("/viz/memberships?actor=Japan&actor=Koreaa")
    assert unknown.status_code == 404 and "Republic of Korea" in unknown.text  # the choices
