"""The build: what it writes, what it derives, and that it never damages the last store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import build_store
from graph.build.sources import BULK_BYTES, DataFile, load_file
from graph.errors import DataSyntaxError, StoreError, ValidationError
from graph.stats import class_counts, graph_sizes
from graph.store import open_store
from tests.conftest import MINIMAL_DATA
from tests.graph.conftest import data_with_a_backward_passage


def _rows(store_path: Path, sparql: str) -> list[tuple[str, ...]]:
    store = open_store(store_path)
    try:
        result = store.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return sorted(tuple(row[n].value for n in names) for row in result)  # type: ignore[union-attr]
    finally:
        store.close()


def test_build_writes_named_graphs_and_derives_membership(minimal_store_path: Path) -> None:
    store = open_store(minimal_store_path)
    try:
        sizes = graph_sizes(store)
    finally:
        store.close()
    assert set(sizes) == {"ontology", "curated", "inferred"}
    # Korea's role-less membership of AUKUS yields pg:memberOf; Korea hosting the UN Command
    # and Japan partnering AUKUS do not.
    assert _rows(minimal_store_path, "SELECT ?a ?f WHERE { ?a pg:memberOf ?f }") == [
        ("https://w3id.org/policygraph/id/kor", "https://w3id.org/policygraph/id/aukus")
    ]


def test_type_closure_lands_in_the_inferred_graph(minimal_store_path: Path) -> None:
    rows = _rows(
        minimal_store_path,
        "SELECT ?c WHERE { GRAPH <https://w3id.org/policygraph/graph/inferred> { id:aukus-pillar-2 a ?c } }",
    )
    classes = {c for (c,) in rows}
    assert "https://w3id.org/policygraph/ontology#Framework" in classes
    assert (
        "https://w3id.org/policygraph/ontology#Initiative" not in classes
    )  # asserted, not inferred


def test_default_graph_is_the_union_including_the_ontology(minimal_store_path: Path) -> None:
    rows = _rows(
        minimal_store_path,
        "SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* pg:Actor } ORDER BY ?x",
    )
    assert [r[0].rsplit("/", 1)[-1] for r in rows] == ["jpn", "kor", "un-command"]


def test_affiliation_yields_affiliated_with_unless_former(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    (data / "people.ttl").write_text(
        """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix id: <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
id:test-person a pg:Person ; rdfs:label "Test Person"@en , "試験 人"@ja ; pg:country id:jpn .
id:jpn-test-university a pg:University ; rdfs:label "Test University"@en , "試験大学"@ja ; pg:country id:jpn .
id:jpn-test-institute a pg:ThinkTank ; rdfs:label "Test Institute"@en , "試験研究所"@ja ; pg:country id:jpn .
[] a pg:Affiliation ; pg:person id:test-person ; pg:organization id:jpn-test-university ;
   pg:position "Professor"@en , "教授"@ja ;
   pg:evidence [ a pg:Passage ; pg:inDocument id:test-report ; pg:lineStart 3 ; pg:lineEnd 3 ; pg:quote "日韓" ] .
[] a pg:Affiliation ; pg:person id:test-person ; pg:organization id:jpn-test-institute ;
   pg:position "Former director"@en , "元所長"@ja ; pg:former true ;
   pg:evidence [ a pg:Passage ; pg:inDocument id:test-report ; pg:lineStart 3 ; pg:lineEnd 3 ; pg:quote "日韓" ] .
""",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    build_store([data], store)
    assert _rows(store, "SELECT ?o WHERE { id:test-person pg:affiliatedWith ?o }") == [
        ("https://w3id.org/policygraph/id/jpn-test-university",)
    ]


def test_suspended_framework_and_proposed_membership_yield_no_member_of(tmp_path: Path) -> None:
    """Issue 15: a suspended framework keeps its members' records but no current pg:memberOf;
    a proposed membership is none; the suspension dates the framework."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    (data / "lifecycle.ttl").write_text(
        """@prefix pg: <https://w3id.org/policygraph/ontology#> .
@prefix id: <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:test-council a pg:Dialogue ; rdfs:label "Test council"@en , "試験会議"@ja ;
   pg:status pg:Suspended ; pg:memberList pg:Partial .
id:event-test-council-suspension a pg:Event ; pg:eventType pg:Suspension ;
   pg:concerns id:test-council ; pg:date "2011"^^xsd:gYear ;
   pg:evidence [ a pg:Passage ; pg:inDocument id:test-report ; pg:lineStart 3 ; pg:lineEnd 3 ; pg:quote "日韓" ] .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:test-council ;
   pg:evidence [ a pg:Passage ; pg:inDocument id:test-report ; pg:lineStart 3 ; pg:lineEnd 3 ; pg:quote "日韓" ] .
[] a pg:Membership ; pg:member id:jpn ; pg:framework id:aukus ; pg:status pg:Proposed ;
   pg:evidence [ a pg:Passage ; pg:inDocument id:test-report ; pg:lineStart 3 ; pg:lineEnd 3 ; pg:quote "日韓" ] .
""",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    build_store([data], store)
    assert _rows(store, "SELECT ?a ?f WHERE { ?a pg:memberOf ?f }") == [
        ("https://w3id.org/policygraph/id/kor", "https://w3id.org/policygraph/id/aukus")
    ]
    assert _rows(store, "SELECT ?d WHERE { id:test-council pg:suspendedOn ?d }") == [("2011",)]


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    (data / "broken.ttl").write_text(
        "@prefix id: <https://w3id.org/policygraph/id/> .\n\nid:a id:b id:c ;\n    id:d .\n",
        encoding="utf-8",
    )
    with pytest.raises(DataSyntaxError) as caught:
        build_store([data], tmp_path / "store")
    assert f"{data / 'broken.ttl'}:4:" in str(caught.value)
    assert not (tmp_path / "store").exists()


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk loader", "one transaction"])
def test_a_large_file_loads_whole_or_names_its_broken_line(tmp_path: Path, bulk: bool) -> None:
    """A file over BULK_BYTES goes to a store on disk through the bulk loader: the same
    triples, each file's blank nodes its own, and the same message for a syntax error."""
    lines = [f"<urn:x:{n}> <urn:p> [ <urn:q> {n} ] .\n" for n in range(BULK_BYTES // 25)]
    whole, broken = tmp_path / "whole.ttl", tmp_path / "broken.ttl"
    whole.write_text("".join(lines), encoding="utf-8")
    broken.write_text("".join(lines) + "<urn:x:last> <urn:p> .\n", encoding="utf-8")
    assert whole.stat().st_size > BULK_BYTES
    store = ox.Store(str(tmp_path / "store"))
    for name in ("a", "b"):  # the same file twice: its blank nodes twice, not shared
        load_file(store, DataFile(whole, f"urn:graph:{name}"), bulk=bulk)
    assert len(store) == 2 * 2 * len(lines)
    with pytest.raises(DataSyntaxError) as caught:
        load_file(store, DataFile(broken, "urn:graph:c"), bulk=bulk)
    assert str(caught.value).startswith(f"{broken}:{len(lines) + 1}:")
    assert "Turtle syntax error" in str(caught.value)


def test_shape_violation_stops_the_build_with_a_readable_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    text = (data / "world.ttl").read_text(encoding="utf-8")
    (data / "world.ttl").write_text(text.replace(' , "日本"@ja', ""), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        build_store([data], tmp_path / "store")
    report = str(caught.value)
    assert "jpn" in report and "world.ttl" in report and "rdfs:label" in report
    assert not (tmp_path / "store").exists()  # a failed first build leaves nothing
    assert not list(tmp_path.glob(".store.building-*"))


def test_a_violation_in_a_blank_node_names_its_owner_and_file(tmp_path: Path) -> None:
    """The build finds the files that define the nodes of its report only when the data does
    not conform, by parsing them again: the line still names the passage's file."""
    data = data_with_a_backward_passage(tmp_path)
    proposals = data / "proposals.ttl"  # the file the report names
    with pytest.raises(ValidationError) as caught:
        build_store([data], tmp_path / "store")
    assert (
        str(caught.value)
        .splitlines()[1]
        .startswith(
            f"  - proposal-joint-aukus-pillar-2 pg:evidence [pg:Passage] ({proposals}): pg:lineStart:"
        )
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing half-written


def test_the_counts_a_build_prints_are_those_of_the_store_it_wrote(tmp_path: Path) -> None:
    """The build counts the data in memory and adds the derived quads; the store on disk
    holds the same numbers, classes largest first."""
    report = build_store([MINIMAL_DATA], tmp_path / "store")
    store = open_store(tmp_path / "store")
    try:
        assert report.quads_by_graph == graph_sizes(store)
        assert list(report.classes.items()) == list(class_counts(store).items())
    finally:
        store.close()
    assert report.quads_by_graph["inferred"] > 0 and "Framework" in report.classes


def test_failed_rebuild_keeps_the_previous_store(minimal_store_path: Path, tmp_path: Path) -> None:
    before = _rows(minimal_store_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    data = tmp_path / "data"
    shutil.copytree(MINIMAL_DATA, data)
    (data / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(DataSyntaxError):
        build_store([data], minimal_store_path)
    assert _rows(minimal_store_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


def test_rebuild_swaps_in_the_new_store_and_prunes_old_generations(
    minimal_store_path: Path,
) -> None:
    first = minimal_store_path.resolve()
    build_store([MINIMAL_DATA], minimal_store_path)
    second = minimal_store_path.resolve()
    build_store([MINIMAL_DATA], minimal_store_path)
    third = minimal_store_path.resolve()
    assert len({first, second, third}) == 3
    assert not first.exists()  # pruned
    assert second.exists()  # kept for readers that still have it open
    assert open_store(minimal_store_path).query("ASK { id:kor ?p ?o }")


def test_opening_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `policygraph build` first"):
        open_store(tmp_path / "nothing-here")


def test_the_report_data_builds_and_conforms(report_store_path: Path) -> None:
    rows = _rows(report_store_path, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Proposal }")
    assert int(rows[0][0]) >= 10


def test_an_explicit_dataset_replaces_the_union(minimal_store_path: Path) -> None:
    store = open_store(minimal_store_path)
    curated = "https://w3id.org/policygraph/graph/curated"
    try:
        # Only named graphs given: the default graph is empty, as the SPARQL protocol says.
        empty = store.query("ASK { ?s ?p ?o }", default_graphs=[], named_graphs=[curated])
        in_named = store.query(
            "ASK { GRAPH ?g { id:kor ?p ?o } }", default_graphs=[], named_graphs=[curated]
        )
        union = store.query("ASK { id:kor pg:memberOf id:aukus }")  # memberOf is inferred
        only_curated = store.query("ASK { id:kor pg:memberOf id:aukus }", default_graphs=[curated])
    finally:
        store.close()
    assert (bool(empty), bool(in_named), bool(union), bool(only_curated)) == (
        False,
        True,
        True,
        False,
    )
