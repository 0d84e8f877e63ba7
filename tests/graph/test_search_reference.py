"""The label index's search (labels found in one text, typos scored in one call) finds what
matching each label in turn finds, on the report's labels: same entities, same kind of
match, same closeness, same order."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from graph.query.search import FUZZY_CUTOFF, LabelIndex, SearchHit, _order, normalise
from graph.store import OxigraphStore

QUERIES = [
    "", "Korea", "korea", "japn", "Japan-Korea", "vision group", "aukus", "AUKUS Pillar II",
    "nato", "NATO", "quad", "ipef", "asean", "frmework", "economic security", "日本", "韓国",
    "한국", "ab", "a", "x", "supply chain", "semicondutor", "Yoon", "Ishiba", "g7", "G 7",
]  # fmt: skip


def reference(index: LabelIndex, query: str, **limits: str) -> list[SearchHit]:
    """Every label matched in turn, as the index did before it was made fast."""
    wanted = normalise(query)
    fuzzy = len(wanted) >= 3 and all(
        not ch.isalpha() or ch.isascii() for ch in wanted
    )  # the queries above: Latin means ASCII
    best: dict[str, SearchHit] = {}
    for entry in index.entries:
        if limits.get("type") and limits["type"] not in entry.types:
            continue
        if limits.get("lang") and not entry.lang.startswith(limits["lang"]):
            continue
        score, kind = 100.0, None
        if not wanted:
            kind = "all"
        elif entry.key == wanted:
            kind = "exact"
        elif entry.key.startswith(wanted):
            kind = "prefix"
        elif wanted in entry.key:
            kind = "substring"
        elif fuzzy and entry.latin:
            whole = fuzz.ratio(wanted, entry.key)
            word = max((fuzz.ratio(wanted, w) for w in entry.key.split()), default=0.0)
            kind = "fuzzy" if max(whole, word) >= FUZZY_CUTOFF else None
            score = max(whole, 0.95 * word)
        if kind is None:
            continue
        weight = index.weights.get(entry.slug, 0)
        hit = SearchHit(entry.slug, entry.label, entry.lang, kind, score, entry.types, weight)
        if entry.slug not in best or _order(hit) < _order(best[entry.slug]):
            best[entry.slug] = hit
    return sorted(best.values(), key=_order)


@pytest.fixture(scope="module")
def index(report_store: OxigraphStore) -> LabelIndex:
    return LabelIndex.from_store(report_store)


@pytest.mark.parametrize("limits", [{}, {"type": "Actor"}, {"lang": "ja"}])
def test_search_finds_what_matching_each_label_finds(
    index: LabelIndex, limits: dict[str, str]
) -> None:
    kinds = set()
    for query in QUERIES:
        found = index.search(query, **limits)  # type: ignore[arg-type]
        assert found == reference(index, query, **limits), query
        kinds |= {hit.match for hit in found}
    assert kinds == {"all", "exact", "prefix", "substring", "fuzzy"} or limits


def test_a_typo_and_a_word_of_a_label_are_found(index: LabelIndex) -> None:
    assert [h.slug for h in index.search("japn")][:1] == ["jpn"]
    assert {h.match for h in index.search("frmework")} == {"fuzzy"}


def test_an_index_without_labels_finds_nothing() -> None:
    empty = LabelIndex([])
    assert empty.search("korea") == [] and empty.search("") == []


def test_the_index_read_back_from_the_warm_caches_finds_the_same(index: LabelIndex) -> None:
    """The warm caches keep the entries as columns; read back (with the caches' own
    unpickler) they are the same entries, names and weights, and find the same hits."""
    import io
    import pickle

    from serving.warm_cache import DataUnpickler

    again = DataUnpickler(io.BytesIO(pickle.dumps(index))).load()
    assert isinstance(again, LabelIndex)
    assert again.entries == index.entries and again.entries
    assert (again.names, again.weights) == (index.names, index.weights)
    for query in QUERIES:
        assert again.search(query) == index.search(query), query


def test_each_slug_language_and_type_tuple_is_held_once(index: LabelIndex) -> None:
    """One object per distinct slug, language and tuple of types, shared by the entries,
    the names and the weights — and so again when read back from the warm caches."""
    import io
    import pickle

    from serving.warm_cache import DataUnpickler

    again = DataUnpickler(io.BytesIO(pickle.dumps(index))).load()
    for held in (index, again):
        entries = held.entries
        for field in ("slug", "lang", "types"):
            values = [getattr(e, field) for e in entries]
            assert len({id(v) for v in values}) == len(set(values)) < len(values), field
        slugs = {e.slug: e.slug for e in entries}
        assert all(slugs[s] is s for s in held.weights if s in slugs)
        assert all(slugs[s] is s for s in held.names)
