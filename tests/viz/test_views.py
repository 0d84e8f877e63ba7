"""The view functions: which nodes and edges, how they are encoded, and bad input."""

from __future__ import annotations

from typing import Any

import pytest

from graph.analysis import neighbourhood, project
from graph.errors import UnknownEntityError, UsageError
from graph.store import OxigraphStore
from tests.viz.conftest import XSS_LABEL
from viz import views
from viz.encoding import CLASS_GROUPS, OKABE_ITO, edge_style, node_style
from viz.view import PHYSICS_LIMIT, SOURCE_NAME, View, ViewTooLargeError


def _node(view: View, slug: str) -> dict[str, Any]:
    return next(n for n in view.nodes if n["id"] == slug)


def _edges(view: View, source: str, target: str) -> list[dict[str, Any]]:
    return [e for e in view.edges if e["from"] == source and e["to"] == target]


def test_ego_depth_1_has_the_neighbours_in_both_directions(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 1)
    # kor -> msp, evil -> kor, p1 -> kor; ipef only through a membership node (frameworks).
    assert sorted(n["id"] for n in view.nodes) == ["evil", "kor", "msp", "p1"]
    assert view.title == "Republic of Korea: neighbourhood at depth 1"
    assert _node(view, "kor")["borderWidth"] == 4  # the centre stands out


def test_ego_depth_2_reaches_two_hops(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 2)
    assert {"jpn", "aukus-pillar-2"} <= {n["id"] for n in view.nodes}
    assert "aukus" not in {n["id"] for n in view.nodes}


def test_ego_types_keep_only_those_classes(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 2, ["framework"])
    assert sorted(n["id"] for n in view.nodes) == ["kor", "msp"]


def test_colours_and_shapes_come_from_the_palette(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 2)
    for slug, kind in [("kor", "Country"), ("msp", "Minilateral"), ("p1", "Proposal")]:
        node = _node(view, slug)
        assert node["color"]["background"] == node_style(kind).colour
        assert node["shape"] == node_style(kind).shape
    colours = {n["color"]["background"] for n in view.nodes}
    assert colours <= set(OKABE_ITO.values())
    (member,) = [e for e in _edges(view, "kor", "msp") if e["relation"] == "memberOf"]
    assert member["color"]["color"] == edge_style("memberOf").colour


def test_node_size_follows_degree_centrality(tiny_store: OxigraphStore) -> None:
    view = views.overview(tiny_store)
    # Neighbours in the whole graph: kor 3, jpn 2, lonely none.
    sizes = {slug: float(_node(view, slug)["size"]) for slug in ("kor", "jpn", "lonely")}
    assert sizes["kor"] > sizes["jpn"] > sizes["lonely"] == 10.0


def test_parallel_edges_stay_distinct(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 1)
    pair = _edges(view, "kor", "msp")
    assert sorted(e["relation"] for e in pair) == ["memberOf", "partOf"]
    assert len({e["id"] for e in pair}) == 2
    assert sorted(e.get("smooth", {}).get("roundness", 0.0) for e in pair) == [0.0, 0.2]


def test_legend_lists_the_classes_and_relations_shown(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 1)
    nodes = [e.label for e in view.legend if e.kind == "node"]
    edges = {e.label for e in view.legend if e.kind == "edge"}
    assert nodes == ["Country", "Person", "Framework", "Proposal"]
    assert edges == {"member of", "part of", "country of", "involves"}
    notes = " ".join(e.label for e in view.legend if e.kind == "note")
    assert "degree centrality" in notes


def test_tooltips_carry_labels_in_three_languages_and_the_type(tiny_store: OxigraphStore) -> None:
    title = str(_node(views.ego(tiny_store, "kor", 1), "kor")["title"])
    assert "Republic of Korea" in title and "韓国" in title and "대한민국" in title
    assert "type: Country" in title


def test_proposal_edges_carry_the_quote_and_line_range(tiny_store: OxigraphStore) -> None:
    view = views.ego(tiny_store, "kor", 1)
    (edge,) = _edges(view, "p1", "kor")
    assert "日韓共同参加</script><b>x</b>" in str(edge["title"])
    assert "lines 10–12" in str(edge["title"])
    assert view.caption.startswith(f"Source: {SOURCE_NAME}, lines ")
    assert "10–12" in view.caption


def test_frameworks_view_draws_roles_and_shared_members(tiny_store: OxigraphStore) -> None:
    view = views.frameworks(tiny_store, ["msp", "ipef"])
    roles = {(e["from"], e["to"]): e["relation"] for e in view.edges}
    assert roles == {
        ("kor", "msp"): "role:Chair",
        ("jpn", "msp"): "role:Member",
        ("jpn", "ipef"): "role:Founder",
        ("kor", "ipef"): "role:Observer",
    }
    (chair,) = _edges(view, "kor", "msp")
    assert "MSP議長" in str(chair["title"]) and "lines 3–4" in str(chair["title"])
    assert "chair (since 2024)" in str(chair["title"])
    (observer,) = _edges(view, "kor", "ipef")
    assert observer["dashes"] == list(edge_style("role:Observer").dashes)
    assert _node(view, "kor")["borderWidth"] == 3  # member of both
    assert {e.label for e in view.legend if e.kind == "edge"} == {
        "chair",
        "member",
        "founder",
        "observer",
    }
    assert "lines 3–4" in view.caption.replace("3–4, 7", "lines 3–4")


def test_labels_follow_the_language(tiny_store: OxigraphStore) -> None:
    view = views.frameworks(tiny_store, ["msp", "ipef"], lang="ja")
    labels = {n["id"]: n["label"] for n in view.nodes}
    assert labels["kor"] == "韓国" and labels["msp"] == "鉱物安全保障パートナーシップ"
    assert labels["ipef"] == "IPEF"  # no Japanese label: the English one
    assert view.title == "Members of 鉱物安全保障パートナーシップ and IPEF"
    english = views.frameworks(tiny_store, ["msp"])
    assert {n["id"]: n["label"] for n in english.nodes}["kor"] == "Republic of Korea"


def test_path_labels_each_edge_with_its_predicate(tiny_store: OxigraphStore) -> None:
    view = views.path(tiny_store, "kor", "aukus-pillar-2")
    assert sorted((e["from"], e["to"], e["label"]) for e in view.edges) == [
        ("p1", "aukus-pillar-2", "concerns"),
        ("p1", "kor", "involves"),
    ]


def test_proposals_view_filters_by_actor(tiny_store: OxigraphStore) -> None:
    view = views.proposals(tiny_store, actor="jpn")
    assert sorted(n["id"] for n in view.nodes) == ["aukus-pillar-2", "jpn", "kor", "p1"]
    assert view.title == "Proposals involving Japan"


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda s: views.ego(s, "nowhere"), UnknownEntityError, "nowhere"),
        (lambda s: views.ego(s, "Not A Slug"), UnknownEntityError, "Not A Slug"),
        (lambda s: views.ego(s, "kor", 0), UsageError, "depth"),
        (lambda s: views.ego(s, "kor", 4), UsageError, "depth"),
        (lambda s: views.ego(s, "kor", 1, ["planet"]), UsageError, "planet"),
        (lambda s: views.ego(s, "kor", lang="fr"), UsageError, "fr"),
        (lambda s: views.frameworks(s, ["kor"]), UsageError, "not a framework"),
        (lambda s: views.path(s, "kor", "nowhere"), UnknownEntityError, "nowhere"),
        (lambda s: views.proposals(s, section="nowhere"), UnknownEntityError, "nowhere"),
    ],
)
def test_bad_input_is_a_user_error(
    tiny_store: OxigraphStore, call: Any, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        call(tiny_store)


def test_a_view_above_the_limit_is_refused_with_a_suggestion(tiny_store: OxigraphStore) -> None:
    with pytest.raises(ViewTooLargeError, match=r"more than the limit of 3: .*--depth"):
        views.ego(tiny_store, "kor", 2, max_nodes=3)


def test_an_empty_result_says_there_is_nothing_to_show(tiny_store: OxigraphStore) -> None:
    for view in (
        views.path(tiny_store, "kor", "lonely"),
        views.ego(tiny_store, "lonely", 2),
        views.proposals(tiny_store, topic="lonely"),
    ):
        assert view.nodes == [] and view.message.startswith("Nothing to show")


def test_views_are_deterministic(tiny_store: OxigraphStore) -> None:
    first, second = views.ego(tiny_store, "kor", 2), views.ego(tiny_store, "kor", 2)
    assert first.nodes == second.nodes and first.edges == second.edges


def test_report_ego_matches_the_projection(report_store: OxigraphStore) -> None:
    graph = project(report_store)
    view = views.ego(report_store, "kor", 2)
    assert {n["id"] for n in view.nodes} == set(neighbourhood(graph, "kor", 2))
    assert len(view.edges) == neighbourhood(graph, "kor", 2).number_of_edges()
    assert view.physics is (len(view.nodes) <= PHYSICS_LIMIT)


def test_report_overview_has_every_entity_and_no_physics(report_store: OxigraphStore) -> None:
    graph = project(report_store)
    view = views.overview(report_store)
    assert len(view.nodes) == graph.number_of_nodes() > PHYSICS_LIMIT
    assert len(view.edges) == graph.number_of_edges()
    assert view.physics is False and view.vis_options["physics"]["enabled"] is False


def test_every_class_of_the_report_has_its_own_group(report_store: OxigraphStore) -> None:
    kinds = {data["type"] for _, data in project(report_store).nodes(data=True)}
    assert kinds <= set(CLASS_GROUPS), kinds - set(CLASS_GROUPS)


def test_report_frameworks_show_korea_chairing_msp(report_store: OxigraphStore) -> None:
    view = views.frameworks(report_store, ["ipef", "cptpp", "msp"], lang="ja")
    relations = {(e["from"], e["to"], e["relation"]) for e in view.edges}
    assert ("kor", "msp", "role:Chair") in relations
    assert any(e.label == "chair" for e in view.legend)
    assert "background:" in view.caption  # member lists from outside sources


def test_report_proposals_of_a_section(report_store: OxigraphStore) -> None:
    view = views.proposals(report_store, section="jkvg2025-section-1-2")
    ids = {n["id"] for n in view.nodes}
    assert "proposal-aukus-pillar-2-joint-participation" in ids
    assert {"kor", "jpn", "aukus-pillar-2"} <= ids
    assert view.caption.startswith(f"Source: {SOURCE_NAME}, lines ")


def test_report_path_from_korea_to_aukus_pillar_2(report_store: OxigraphStore) -> None:
    view = views.path(report_store, "kor", "aukus-pillar-2")
    assert view.edges and all(e["label"] for e in view.edges)
    assert {"kor", "aukus-pillar-2"} <= {n["id"] for n in view.nodes}


def test_hostile_label_is_kept_as_text(tiny_store: OxigraphStore) -> None:
    assert _node(views.ego(tiny_store, "evil", 1), "evil")["label"] == XSS_LABEL
