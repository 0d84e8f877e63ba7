"""The warm caches kept beside a store generation: a restarted server reads them instead of
the store, and never reads values written by other code or for other data."""

from __future__ import annotations

from pathlib import Path

import pytest

import serving.warm_cache
from graph.memo import Memo
from graph.store import OxigraphStore
from graph.store.location import WARM_FILE
from serving.context import DESCRIBED_AT_WARM_UP
from tests.contexts import warmed_generation


def test_a_restart_reads_the_kept_caches_not_the_store(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = warmed_generation(minimal_store_path)
    try:
        cards, frameworks = first.cards, first.frameworks
        catalogue, hubs = first.catalogue, first.hub_descriptions
        generation = first.generation
    finally:
        first.close()
    assert generation is not None and (generation / WARM_FILE).is_file()

    asked: list[str] = []
    original = OxigraphStore.query

    def counting(self: OxigraphStore, sparql: str, **kwargs: object) -> object:
        asked.append(sparql)
        return original(self, sparql, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(OxigraphStore, "query", counting)
    again = warmed_generation(minimal_store_path)
    try:
        # What the pages show is what the first server read from the store.
        assert again.cards == cards
        assert again.frameworks == frameworks
        assert again.catalogue.proposals == catalogue.proposals
        assert again.hub_descriptions == hubs
        assert 0 < len(hubs) <= DESCRIBED_AT_WARM_UP
        slug = next(iter(hubs))
        assert again.description(slug) is again.hub_descriptions[slug]
        # None of the costly whole-store reads ran again (only the size, the kept file's key).
        assert not any("proposal" in q.lower() or "rdfs:comment" in q for q in asked), asked
    finally:
        again.close()


def test_caches_written_by_other_code_are_not_read(
    minimal_store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generation = minimal_store_path.resolve()
    memo = Memo()
    memo.get("cards", lambda: {"stale": "from another release"})
    assert serving.warm_cache.keep(generation, memo, quads=1)
    monkeypatch.setattr(serving.warm_cache, "code_digest", lambda: "another release")
    assert serving.warm_cache.restore(generation, Memo(), quads=1) == []


def test_a_damaged_file_is_ignored_and_replaced(minimal_store_path: Path) -> None:
    generation = minimal_store_path.resolve()
    context = warmed_generation(minimal_store_path)
    quads = context.triples
    context.close()
    kept = generation / WARM_FILE
    kept.write_bytes(kept.read_bytes()[:200])  # cut short, as by a full disk
    assert serving.warm_cache.restore(generation, Memo(), quads=quads) == []
    again = warmed_generation(minimal_store_path)
    try:
        assert "cards" in serving.warm_cache.restore(generation, Memo(), quads=quads)
    finally:
        again.close()


class _Planted:
    """What an attacker who can write into the store's directory would plant: a pickle
    that, read with plain ``pickle.load``, runs a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return os.system, (f"touch {self.marker}",)


def test_a_planted_pickle_runs_nothing(tmp_path: Path) -> None:
    import pickle

    generation, marker = tmp_path / "generation", tmp_path / "ran"
    generation.mkdir()
    payload = {"cards": _Planted(marker)}
    header = f"policygraph-warm {serving.warm_cache.code_digest()} 7\n".encode()
    (generation / WARM_FILE).write_bytes(header + pickle.dumps(payload))
    assert serving.warm_cache.restore(generation, Memo(), quads=7) == []
    assert not marker.exists()
    pickle.loads(pickle.dumps(payload))  # the same bytes, read without the guard …
    assert marker.exists()  # … do run the command: the test would catch a plain load


def test_a_killed_writers_temporary_file_is_removed_by_the_next(tmp_path: Path) -> None:
    left = tmp_path / f".{WARM_FILE}.0123456789ab.tmp"
    left.write_bytes(b"half a pickle")  # what a server killed mid-write leaves
    memo = Memo()
    memo.get("cards", lambda: {"kor": "Korea"})
    assert serving.warm_cache.keep(tmp_path, memo, quads=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [WARM_FILE]


class _AddsALayoutWhileRead(dict[str, dict[str, tuple[float, float]]]):
    """Layouts to which a view in another thread adds the overview's while they are being
    pickled (what a visitor's first overview does while a fresh server writes its caches)."""

    def items(self):  # type: ignore[no-untyped-def]
        self["overview"] = {"kor": (0.0, 0.0)}
        return super().items()


def test_the_caches_are_kept_while_a_view_adds_a_layout(minimal_store_path: Path) -> None:
    context = warmed_generation(minimal_store_path)
    try:
        graph_data = context.memo.get("graph_data", lambda: None)
        assert graph_data is not None
        graph_data.layouts = _AddsALayoutWhileRead()
        generation = context.generation
        assert generation is not None
        assert serving.warm_cache.keep(generation, context.memo, quads=context.triples)
        memo = Memo()
        assert "graph_data" in serving.warm_cache.restore(generation, memo, quads=context.triples)
    finally:
        context.close()


class _FilledOnFirstRead(dict[str, str]):
    """A kept value to which a request adds an entry while it is first pickled (as a
    cached property fills an object's attributes on first use)."""

    def items(self):  # type: ignore[no-untyped-def]
        view = super().items()

        def walk():  # type: ignore[no-untyped-def]
            for pair in view:  # the live view: an entry added meanwhile stops it
                yield pair
                if "filled" not in self:
                    self["filled"] = "by a request"

        return walk()


def test_a_value_filled_while_it_is_written_is_kept_at_the_next_try(tmp_path: Path) -> None:
    memo = Memo()
    memo.get("cards", lambda: _FilledOnFirstRead(kor="Korea"))
    assert serving.warm_cache.keep(tmp_path, memo, quads=1)  # no thread dies of it
    import pickle

    _, kept = (tmp_path / WARM_FILE).read_bytes().split(b"\n", 1)
    assert pickle.loads(kept) == {"cards": {"kor": "Korea", "filled": "by a request"}}
    assert sorted(p.name for p in tmp_path.iterdir()) == [WARM_FILE]  # no temporary left


def test_the_models_kept_share_one_set_of_fields_given(tmp_path: Path) -> None:
    """Models read now share one set per distinct set of fields given — in lists,
    dictionaries, data classes and other models — and one object per equal text, and keep
    sharing them when read back; their values are untouched, and a copy with a field
    changed does not change the set."""
    from dataclasses import dataclass

    from graph.query.terms import Passage, TermRef
    from serving.warm_cache import keep, restore, share_field_sets

    @dataclass
    class Holder:  # as the catalogue: a data class of models
        refs: dict[str, list[TermRef]]

    def ref(slug: str) -> TermRef:
        return TermRef(iri=f"https://w3id.org/policygraph/id/{slug}", slug=slug, label=slug)

    memo = Memo()
    passage = Passage(document=ref("jpn"))
    cards = memo.get("cards", lambda: {"kor": ref("kor"), "p": passage})
    catalogue = memo.get("catalogue", lambda: Holder({"a": [ref("usa"), ref("usa")]}))
    restored = memo.get("frameworks", lambda: [ref("nato"), ref("quad")])
    before = (dict(cards), [*catalogue.refs["a"]], [*restored])
    assert share_field_sets(memo, restored=["frameworks"]) == 5
    assert passage.document is not None
    models = [cards["kor"], passage.document, *catalogue.refs["a"]]
    assert all(m.model_fields_set is models[0].model_fields_set for m in models)
    assert restored[0].model_fields_set is not restored[1].model_fields_set
    assert catalogue.refs["a"][0].iri is catalogue.refs["a"][1].iri
    assert (cards, catalogue.refs["a"], restored) == before
    changed = cards["kor"].model_copy(update={"name": "Korea"})
    assert "name" in changed.model_fields_set and "name" not in models[1].model_fields_set
    kept = Memo()  # the data class above is this test's: the caches' unpickler refuses it
    kept.get("cards", lambda: cards)
    assert keep(tmp_path, kept, quads=1)
    again = Memo()
    restore(tmp_path, again, quads=1)
    back: dict[str, TermRef | Passage] = again.get("cards", dict)
    assert back == cards
    again_passage = back["p"]
    assert isinstance(again_passage, Passage) and again_passage.document is not None
    assert back["kor"].model_fields_set is again_passage.document.model_fields_set
