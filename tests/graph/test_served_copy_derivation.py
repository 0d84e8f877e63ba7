"""A served copy's ``inferred`` graph, derived for what an edit changed, equals the one
derived from scratch (``graph.build.materialise.derive_changes`` in
``graph.store.edits.make_served_copy``).

The store is built with edits (so a copy's edits graph both loses and gains triples); each
copy's ``inferred`` graph is compared with :func:`materialise` of its data, every rule's
input touched in turn: types, memberships and their roles and end dates, a framework's
status, affiliations, lifecycle events, sub-properties, blank nodes.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import build_store
from graph.build.materialise import materialise
from graph.iris import graph_iri
from graph.store.edits import EDITS_GRAPH, discard_served_copy, make_served_copy
from graph.store.oxigraph import OxigraphStore
from tests.conftest import MINIMAL_DATA

PREFIXES = """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix id: <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
#: The edits the store is built with.
BUILT = """
id:landia a pg:Country ; rdfs:label "Landia"@en .
id:landia-in-aukus a pg:Membership ; pg:member id:landia ; pg:framework id:aukus .
id:aukus-founded a pg:Event ; pg:eventType pg:Founding ; pg:concerns id:aukus ;
    pg:date "2021-09-15"^^xsd:date .
"""
#: Each edit: the edits graph a served copy gets (the built one is replaced).
EDITS = {
    "nothing": "",
    "the built edits": BUILT,
    "a new country and a framework's types": """
        id:ruritania a pg:Country ; pg:memberOf id:aukus .
        id:aukus a pg:Alliance .""",
    "a membership ended, one of a blank node": """
        id:landia a pg:Country .
        id:landia-in-aukus a pg:Membership ; pg:member id:landia ; pg:framework id:aukus ;
            pg:endDate "2001"^^xsd:gYear .
        [] a pg:Membership ; pg:member id:jpn ; pg:framework id:un-command .""",
    "a role, a framework's status": """
        id:landia a pg:Country .
        id:landia-in-aukus a pg:Membership ; pg:member id:landia ; pg:framework id:aukus ;
            pg:role pg:Observer .
        id:un-command pg:status pg:Suspended .""",
    "an affiliation and an event": """
        id:someone a pg:Person .
        id:someone-at-un a pg:Affiliation ; pg:person id:someone ; pg:organization id:un-command .
        id:aukus-signed a pg:Event ; pg:eventType pg:Signing ; pg:concerns id:aukus ;
            pg:date "2021-09-16"^^xsd:date .""",
    "a sub-property": """
        id:proposal-x a pg:Proposal ; pg:proposesJoining id:aukus ; pg:callsOn id:kor .""",
}


def parsed(turtle: str) -> list[ox.Quad]:
    graph = ox.NamedNode(EDITS_GRAPH)
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse((PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)
    ]


@pytest.fixture(scope="module")
def generation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture data's store with the edits :data:`BUILT` and what they derive (as a
    build with them gives; the build itself would refuse them: they lack evidence)."""
    path = tmp_path_factory.mktemp("derivation") / "store"
    build_store([MINIMAL_DATA], path)
    store = OxigraphStore.open(path.resolve(), read_only=False)
    store.extend(parsed(BUILT))
    store.raw.remove_graph(ox.NamedNode(graph_iri("inferred")))
    store.extend(materialise(store))
    store.close()
    del store
    gc.collect()
    return path.resolve()


@pytest.mark.parametrize("name", list(EDITS))
def test_a_copys_inferred_graph_is_what_deriving_its_data_gives(
    name: str, generation: Path
) -> None:
    directory = make_served_copy(generation, parsed(EDITS[name]))
    try:
        copy = OxigraphStore.open(directory, read_only=True)
        inferred = ox.NamedNode(graph_iri("inferred"))
        served = set(copy.raw.quads_for_pattern(None, None, None, inferred))
        data = OxigraphStore.memory()
        data.extend(q for q in copy.raw if q.graph_name != inferred)
        copy.close()
        del copy
        gc.collect()
    finally:
        discard_served_copy(directory)
    assert served == set(materialise(data))
    assert served  # the rules derived something: the comparison is not of two empty sets


def test_a_side_file_replaced_during_the_copy_does_not_fail_it(
    generation: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm-up writing the generation's warm caches renames its temporary file over
    ``policygraph-warm.pickle`` at any moment; an edit copying the generation then must
    not fail on the vanished name (a CI run answered an edit 503 this way)."""
    import graph.store.edits as edits_module

    temporary = generation / ".policygraph-warm.pickle.0123456789ab.tmp"
    temporary.write_bytes(b"caches being written")
    copy_file = edits_module._link_or_copy

    def renamed_meanwhile(source: str, target: str) -> str:
        if temporary.exists():
            temporary.replace(generation / "policygraph-warm.pickle")
        return copy_file(source, target)

    monkeypatch.setattr(edits_module, "_link_or_copy", renamed_meanwhile)
    try:
        directory = make_served_copy(generation, parsed(EDITS["nothing"]))
    finally:
        (generation / "policygraph-warm.pickle").unlink(missing_ok=True)
        temporary.unlink(missing_ok=True)
    try:
        copied = sorted(path.name for path in directory.iterdir())
    finally:
        discard_served_copy(directory)
    assert "CURRENT" in copied
    assert not [name for name in copied if name.startswith(".") or "warm" in name]
