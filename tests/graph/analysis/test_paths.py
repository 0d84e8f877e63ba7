from __future__ import annotations

import networkx as nx
import pytest

from graph.analysis import Evidence, Membership, Provenance, explain_paths, shortest_connections
from graph.errors import UnknownEntityError, UsageError
from tests.graph.analysis.conftest import typed


def chain() -> nx.MultiDiGraph:
    """kor ← involves — p — concerns → aukus-2 — partOf → aukus; and kor memberOf quad."""
    return typed(
        [
            ("p", "kor", "involves"),
            ("p", "aukus-2", "concerns"),
            ("aukus-2", "aukus", "partOf"),
            ("kor", "quad", "memberOf"),
            ("quad", "kor", "involves"),
            ("usa", "quad", "memberOf"),
            ("usa", "aukus", "memberOf"),
        ],
        {"kor": "Country", "usa": "Country", "p": "Proposal", "aukus-2": "Initiative"}
        | {"aukus": "Alliance", "quad": "Minilateral"},
    )


PROVENANCE = Provenance(
    evidence={"p": (Evidence(3, 3, "first"), Evidence(12, 13, "AUKUS"))},
    memberships=[
        Membership("kor", "quad", evidence=(Evidence(source="Quad site", as_of="2025-01-01"),)),
        Membership("kor", "quad", role="Founder", evidence=(Evidence(7, 7, "founded"),)),
    ],
    affiliations=[],
    labels_ko={},
)


def test_path_explained_with_predicates_in_order_and_direction() -> None:
    [path] = explain_paths(chain(), "kor", "aukus", provenance=PROVENANCE, max_paths=1)
    assert path.nodes == ("kor", "p", "aukus-2", "aukus")
    assert path.length == 3
    assert [(r.predicate, r.direction) for s in path.steps for r in s.relations] == [
        ("involves", "backward"),
        ("concerns", "forward"),
        ("partOf", "forward"),
    ]
    first = path.steps[0].relations[0]
    assert (first.subject, first.object) == ("p", "kor")
    # The proposal's passages, by line; a relation without evidence has none.
    assert [e.lines for e in first.evidence] == ["3", "12–13"]
    assert path.steps[2].relations[0].evidence == ()


def test_all_relations_of_a_step_forward_first_and_membership_evidence_merged() -> None:
    paths = explain_paths(chain(), "kor", "aukus", provenance=PROVENANCE, max_paths=5)
    assert [p.nodes for p in paths] == [
        ("kor", "p", "aukus-2", "aukus"),
        ("kor", "quad", "usa", "aukus"),
    ]
    step = paths[1].steps[0]
    assert [str(r) for r in step.relations] == ["kor memberOf quad", "quad involves kor"]
    assert [(e.lines, e.source) for e in step.relations[0].evidence] == [
        ("7", ""),
        ("", "Quad site"),
    ]


def test_length_bound_and_no_connection() -> None:
    assert explain_paths(chain(), "kor", "aukus", max_length=2) == []
    g = chain()
    g.add_node("alone", type="Country")
    assert explain_paths(g, "kor", "alone") == []
    assert explain_paths(g, "kor", "kor")[0].nodes == ("kor",)


def test_unknown_slug_and_bad_bounds() -> None:
    with pytest.raises(UnknownEntityError, match="nowhere"):
        explain_paths(chain(), "kor", "nowhere")
    with pytest.raises(UsageError):
        explain_paths(chain(), "kor", "aukus", max_paths=0)
    with pytest.raises(UsageError):
        explain_paths(chain(), "kor", "aukus", max_length=0)


def test_shortest_connections_keeps_its_behaviour() -> None:
    sub = shortest_connections(chain(), "kor", "aukus")
    assert sorted(sub.nodes) == ["aukus", "aukus-2", "kor", "p", "quad", "usa"]
