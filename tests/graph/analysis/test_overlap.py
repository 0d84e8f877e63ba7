from __future__ import annotations

import io
import pickle
import random
from itertools import combinations

import pytest

from graph.analysis import (
    framework_members,
    framework_overlap,
    has_partial_members,
    jaccard,
    partial_note,
)
from graph.analysis.jaccard_matrix import JaccardMatrix
from serving.warm_cache import DataUnpickler
from tests.graph.analysis.conftest import typed


def test_jaccard() -> None:
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard({"a"}, {"a"}) == 1.0
    assert jaccard({"a"}, {"b"}) == 0.0
    assert jaccard(set(), set()) == 0.0


def frameworks() -> object:
    edges = [
        ("a", "quad", "memberOf"),
        ("b", "quad", "memberOf"),
        ("c", "quad", "memberOf"),
        ("b", "aukus", "memberOf"),
        ("c", "aukus", "memberOf"),
        ("a", "g7", "memberOf"),
        ("d", "g7", "memberOf"),
        ("a", "solo", "memberOf"),
        ("a", "quad", "partOf"),
    ]
    types = {"a": "Country", "b": "Country", "c": "Country", "d": "Country"}
    types |= {"quad": "Minilateral", "aukus": "Alliance", "g7": "Minilateral", "solo": "Treaty"}
    return typed(edges, types)


def test_members_come_from_member_of_only() -> None:
    members = framework_members(frameworks())  # type: ignore[arg-type]
    assert members["quad"] == {"a", "b", "c"}
    assert list(members) == ["aukus", "g7", "quad", "solo"]


def test_matrix_over_frameworks_with_two_members_sorted_by_size_then_slug() -> None:
    m = framework_overlap(frameworks())  # type: ignore[arg-type]
    assert m.frameworks == ("quad", "aukus", "g7")
    assert m.values[0] == (1.0, pytest.approx(2 / 3), pytest.approx(1 / 4))
    assert all(m.values[i][j] == m.values[j][i] for i in range(3) for j in range(3))
    assert [(p.first, p.second, p.shared, p.union) for p in m.pairs()] == [
        ("aukus", "quad", 2, 3),
        ("g7", "quad", 1, 4),
    ]
    assert len(m.pairs(disjoint=True)) == 3


def test_overlap_filters_frameworks_by_class() -> None:
    m = framework_overlap(frameworks(), types=["Minilateral"])  # type: ignore[arg-type]
    assert m.frameworks == ("quad", "g7")
    assert framework_overlap(frameworks(), min_members=1).frameworks[-1] == "solo"  # type: ignore[arg-type]


def test_partial_member_lists_are_left_out_unless_asked_for() -> None:
    graph = frameworks()
    graph.nodes["g7"]["member_list"] = "Partial"  # type: ignore[attr-defined]
    graph.nodes["quad"]["member_list"] = "Complete"  # type: ignore[attr-defined]
    m = framework_overlap(graph)  # type: ignore[arg-type]
    assert m.frameworks == ("quad", "aukus") and m.partial_left_out == ("g7",)
    assert [(p.first, p.second) for p in m.pairs()] == [("aukus", "quad")]
    every = framework_overlap(graph, include_partial=True)  # type: ignore[arg-type]
    assert every.frameworks == ("quad", "aukus", "g7") and every.partial_left_out == ()
    # A class filter or too few members leave a framework out before its list is judged.
    assert framework_overlap(graph, types=["Alliance"]).partial_left_out == ()  # type: ignore[arg-type]


def test_partial_note_says_how_many_and_how_to_include_them() -> None:
    assert partial_note(2) == (
        "2 frameworks with partial member lists left out; --include-partial to include them"
    )
    assert partial_note(1, "include_partial=true") == (
        "1 framework with a partial member list left out; include_partial=true to include it"
    )


def test_the_projection_carries_the_member_list_of_each_framework() -> None:
    from graph.analysis import project
    from tests.api.depth import depth_store

    graph = project(depth_store())
    assert graph.nodes["un"]["member_list"] == "Partial"
    assert graph.nodes["quad"]["member_list"] == "Complete"
    assert graph.nodes["cptpp"]["member_list"] == ""
    assert has_partial_members(graph, "un") and not has_partial_members(graph, "quad")
    assert framework_overlap(graph).partial_left_out == ("un",)


def test_the_compact_matrix_gives_every_index_and_pair_the_sets_give() -> None:
    """300 random member sets (some empty, some equal; more than a byte can number): every
    value is the float ``jaccard`` makes, and every pair is counted from the sets themselves."""
    rng = random.Random(18)
    members = [f"m{k}" for k in range(60)]
    sets = [frozenset(rng.sample(members, rng.randrange(0, 7))) for _ in range(300)]
    matrix = JaccardMatrix.of_sets(sets)
    assert len(matrix) == 300 and matrix[-1] == matrix[299]
    for i, a in enumerate(sets):
        assert matrix[i] == tuple(jaccard(a, b) for b in sets)
        assert all(type(value) is float for value in matrix[i])  # JSON floats, not numpy's
    first, second, shared = matrix.sharing_pairs()
    expected = {(i, j) for i, j in combinations(range(300), 2) if sets[i] & sets[j]}
    assert set(zip(first.tolist(), second.tolist(), strict=True)) == expected
    assert shared.tolist() == [len(sets[i] & sets[j]) for i, j in zip(first, second, strict=True)]
    assert [matrix.union(i, j) for i, j in expected] == [
        len(sets[i] | sets[j]) for i, j in expected
    ]
    with pytest.raises(IndexError):
        matrix[300]


def test_every_pair_disjoint_ones_too_counted_from_the_sets() -> None:
    m = framework_overlap(frameworks(), min_members=1)  # type: ignore[arg-type]
    every = m.pairs(disjoint=True)
    assert len(every) == 6  # four frameworks
    for p in every:
        a, b = m.members[m.frameworks.index(p.first)], m.members[m.frameworks.index(p.second)]
        assert (p.shared, p.union, p.jaccard) == (len(a & b), len(a | b), jaccard(a, b))
    assert m.top_pairs(None) == [p for p in every if p.shared]
    assert m.top_pairs(1) == every[:1] and m.top_pairs(0) == []


def test_the_matrix_survives_the_warm_caches_unpickler_as_plain_bytes() -> None:
    """Kept with the warm caches: read back by their unpickler (which refuses any function,
    numpy's rebuilders included), equal, and still read-only."""
    m = framework_overlap(frameworks())  # type: ignore[arg-type]
    kept = pickle.dumps(m, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"numpy" not in kept
    back = DataUnpickler(io.BytesIO(kept)).load()
    assert back == m and back.values == m.values and back.pairs() == m.pairs()
    assert [list(row) for row in back.values] == [list(row) for row in m.values]
    with pytest.raises(ValueError):
        back.values.sizes[0] = 9
