"""Edits describe data only: they cannot change what the ontology means, and cannot reach
curated data through a blank node.

Seen in issue 14: one accepted triple ``pg:Country rdfs:subClassOf pg:Framework`` turned
every country into a framework in ``/api/frameworks``; and a blank-node label of a curated
membership, written into the edits, attached an end date to it and so removed an inferred
``pg:memberOf``. Both channels — SPARQL updates and Graph Store writes — are refused (403,
one line naming the triple), nothing is written, and what readers see is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph.store.edits import EDITS_GRAPH, edits_file, write_edits
from tests.hardening.access.conftest import TOKEN, client_over
from tests.hardening.record import record_checks, record_inputs

AUTH = {"Authorization": f"Bearer {TOKEN}"}
UPDATE = {"Content-Type": "application/sparql-update", **AUTH}
NTRIPLES = {"Content-Type": "application/n-triples", **AUTH}
PG = "https://w3id.org/policygraph/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
ID = "https://w3id.org/policygraph/id/"
CURATED = "https://w3id.org/policygraph/graph/curated"
ONTOLOGY_CHANGES = "edits that would change what the ontology means"
NOTHING_WRITTEN = "refused write left the edits untouched"

#: Triples that change the meaning of the vocabulary, one per rule (and a few spellings).
VOCABULARY = [
    f"<{PG}Country> <{RDFS}subClassOf> <{PG}Framework>",
    f'<{PG}Country> <{RDFS}label> "Land"@en',
    f'<https://w3id.org/policygraph/ontology> <{RDFS}comment> "an ontology term outside pg:"',
    f"<{ID}kor> <{RDFS}subClassOf> <{PG}Framework>",
    f"<{ID}friendOf> <{RDFS}subPropertyOf> <{PG}memberOf>",
    f"<{ID}friendOf> <{RDFS}domain> <{PG}Country>",
    f"<{ID}friendOf> <{RDFS}range> <{PG}Framework>",
    f"<{ID}Land> <{OWL}equivalentClass> <{PG}Framework>",
    f"<{ID}hasMember> <{OWL}inverseOf> <{PG}memberOf>",
    f"<{ID}kor> <{OWL}sameAs> <{ID}jpn>",
    f"<{ID}Land> <{RDF}type> <{RDFS}Class>",
    f"<{ID}Land> <{RDF}type> <{OWL}Class>",
    f"<{ID}friendOf> <{RDF}type> <{RDF}Property>",
    f"<{ID}friendOf> <{RDF}type> <{OWL}TransitiveProperty>",
    f"<{ID}friendOf> <{RDF}type> <{OWL}ObjectProperty>",
]


def _framework_ids(client: TestClient) -> set[str]:
    response = client.get("/api/frameworks")
    assert response.status_code == 200, response.text
    return {f["slug"] for f in response.json()}


def _refused(response: httpx.Response, triple: str) -> None:
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert "\n" not in error and "ontology" in error
    subject = triple.split(" ", 1)[0]
    assert subject.strip("<>").rsplit("/", 1)[-1].rsplit("#", 1)[-1] in error


def _short(triple: str) -> str:
    """``Country-subClassOf-Framework`` for a test id."""
    terms = triple.replace('"', " ").split(" ")[:3]
    return "-".join(t.strip("<>").rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in terms)


@pytest.mark.parametrize("triple", VOCABULARY, ids=[_short(t) for t in VOCABULARY])
def test_an_edit_describing_the_vocabulary_is_refused_on_both_channels(
    refusing_client: TestClient, refusing_store_path: Path, triple: str
) -> None:
    frameworks = _framework_ids(refusing_client)
    update = f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ {triple} }} }}"
    _refused(refusing_client.post("/sparql", content=update, headers=UPDATE), triple)
    store = f"/store?graph={EDITS_GRAPH}"
    _refused(refusing_client.post(store, content=f"{triple} .\n", headers=NTRIPLES), triple)
    _refused(refusing_client.put(store, content=f"{triple} .\n", headers=NTRIPLES), triple)
    assert not edits_file(refusing_store_path).exists()
    assert _framework_ids(refusing_client) == frameworks
    record_inputs(ONTOLOGY_CHANGES, 3)
    record_checks(NOTHING_WRITTEN, 3)


def test_country_as_framework_is_refused_and_frameworks_stay_frameworks(
    refusing_client: TestClient, refusing_store_path: Path
) -> None:
    """The triple of issue 14, and what it did to /api/frameworks."""
    before = _framework_ids(refusing_client)
    assert before and not {"kor", "jpn"} & before
    update = (
        f"INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ pg:Country rdfs:subClassOf pg:Framework }} }}"
    )
    response = refusing_client.post("/sparql", content=update, headers=UPDATE)
    assert response.status_code == 403
    assert response.json()["error"].startswith("an edit may not change what the ontology means")
    assert f"<{PG}Country> <{RDFS}subClassOf> <{PG}Framework>" in response.json()["error"]
    assert _framework_ids(refusing_client) == before
    assert not edits_file(refusing_store_path).exists()
    record_inputs(ONTOLOGY_CHANGES, 1)
    record_checks(NOTHING_WRITTEN, 1)


def test_an_accepted_ontology_edit_of_old_can_be_removed_but_not_kept(store_path: Path) -> None:
    """An edits file from before the rule (the triple of issue 14 in it): every country is
    served as a framework; an edit that keeps the triple is refused, and removing it is
    accepted and repairs the frameworks."""
    graph = ox.NamedNode(EDITS_GRAPH)
    legacy = ox.Quad(
        ox.NamedNode(f"{PG}Country"), ox.NamedNode(f"{RDFS}subClassOf"),
        ox.NamedNode(f"{PG}Framework"), graph,
    )  # fmt: skip
    write_edits(edits_file(store_path), [legacy])
    with client_over(store_path) as client:
        broken = _framework_ids(client)
        assert {"kor", "jpn"} <= broken  # the harm, reproduced
        comment = f'<{ID}kor> <{RDFS}comment> "kept?" .\n'
        store = f"/store?graph={EDITS_GRAPH}"
        kept = client.post(store, content=comment, headers=NTRIPLES)
        assert kept.status_code == 403 and "subClassOf" in kept.json()["error"]
        assert client.delete(store, headers=AUTH).status_code in (200, 204)
        repaired = _framework_ids(client)
        assert not {"kor", "jpn"} & repaired
    record_inputs(ONTOLOGY_CHANGES, 1)
    record_checks("ontology edit accepted before the rule removed, frameworks repaired", 1)


@pytest.mark.parametrize(
    "template",
    [
        '?m pg:endDate "2020-01-01"^^xsd:date',
        "id:kor rdfs:seeAlso ?m",
    ],
    ids=["subject", "object"],
)
def test_an_update_binding_a_curated_blank_node_into_the_edits_is_refused(
    refusing_client: TestClient, refusing_store_path: Path, template: str
) -> None:
    """A curated membership (a blank node) bound by WHERE and written into the edits: with
    ``pg:endDate`` it would end the membership and remove the inferred ``pg:memberOf``."""
    members = "SELECT ?a ?f { ?a pg:memberOf ?f }"
    before = refusing_client.get("/sparql", params={"query": members, "format": "json"}).json()
    assert before["results"]["bindings"], "the fixture has inferred memberships"
    update = (
        f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ {template} }} }} "
        f"WHERE {{ GRAPH <{CURATED}> {{ ?m a pg:Membership }} FILTER isBlank(?m) }}"
    )
    response = refusing_client.post("/sparql", content=update, headers=UPDATE)
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert "\n" not in error and "blank node of other data" in error and CURATED in error
    assert not edits_file(refusing_store_path).exists()
    after = refusing_client.get("/sparql", params={"query": members, "format": "json"}).json()
    assert after["results"]["bindings"] == before["results"]["bindings"]
    record_inputs("updates binding a curated blank node into the edits graph", 1)
    record_checks(NOTHING_WRITTEN, 1)


def test_an_edit_about_data_with_its_own_blank_nodes_is_accepted(client: TestClient) -> None:
    """The rules refuse the vocabulary and borrowed nodes, not data: a new membership (a
    fresh blank node) of an existing country is accepted."""
    update = (
        f'INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:kor rdfs:comment "noted"@en . '
        f'_:note rdfs:comment "a node of the edits only"@en }} }}'
    )
    response = client.post("/sparql", content=update, headers=UPDATE)
    assert response.status_code == 204, response.text


ONTOLOGY = "https://w3id.org/policygraph/graph/ontology"


@pytest.mark.parametrize(
    ("update", "says"),
    [
        (f"ADD <{ONTOLOGY}> TO <{EDITS_GRAPH}>", "ontology"),
        (f"COPY <{ONTOLOGY}> TO <{EDITS_GRAPH}>", "ontology"),
        (f"ADD <{CURATED}> TO <{EDITS_GRAPH}>", "blank node of other data"),
        (
            f"INSERT {{ GRAPH <{EDITS_GRAPH}> {{ ?c rdfs:subClassOf pg:Framework }} }} "
            f"WHERE {{ GRAPH <{ONTOLOGY}> {{ ?c a owl:Class }} }}",
            "ontology",
        ),
        (
            f"WITH <{EDITS_GRAPH}> INSERT {{ ?x owl:sameAs id:jpn }} WHERE {{ BIND(id:kor AS ?x) }}",
            "ontology",
        ),
        (
            f"PREFIX s: <{RDFS}> INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{ "
            "id:kor a pg:Country . pg:Country s:subClassOf pg:Framework } }",
            "ontology",
        ),
    ],
    ids=["add-ontology", "copy-ontology", "add-curated", "where-bound", "with", "prefixed"],
)
def test_every_update_form_that_copies_vocabulary_or_curated_nodes_is_refused(
    refusing_client: TestClient, refusing_store_path: Path, update: str, says: str
) -> None:
    frameworks = _framework_ids(refusing_client)
    response = refusing_client.post("/sparql", content=update, headers=UPDATE)
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert says in error and "\n" not in error
    assert not edits_file(refusing_store_path).exists()
    assert _framework_ids(refusing_client) == frameworks
    record_inputs(
        ONTOLOGY_CHANGES
        if says == "ontology"
        else "updates binding a curated blank node into the edits graph",
        1,
    )
    record_checks(NOTHING_WRITTEN, 1)
