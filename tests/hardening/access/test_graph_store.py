"""The Graph Store Protocol at /store: the edits graph only, with the token, as specified.

Status codes (201 on creation, 404 for an empty graph, HEAD), every graph format both
ways, multipart POST, fresh blank nodes per request, and the refusals of every other graph.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from graph.iris import graph_iri
from graph.query.formats import GRAPH_FORMATS, ResultFormat
from graph.store.edits import EDITS_GRAPH, edits_file
from tests.hardening.access.conftest import TOKEN
from tests.hardening.record import record_checks, record_inputs

AUTH = {"Authorization": f"Bearer {TOKEN}"}
TURTLE = {"Content-Type": "text/turtle", **AUTH}
EDITS = f"/store?graph={EDITS_GRAPH}"
USA = (
    "@prefix pg: <https://w3id.org/policygraph/ontology#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://w3id.org/policygraph/id/usa> a pg:Country ; rdfs:label "United States"@en, "米国"@ja, "미국"@ko .\n'
)
CANADA = (
    USA.replace("usa", "can")
    .replace("United States", "Canada")
    .replace("米国", "カナダ")
    .replace("미국", "캐나다")
)
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
#: A small graph with a blank node, for the round trips through every format.
CARD = [
    ox.Triple(ox.NamedNode("http://www.example/p/1"), ox.NamedNode("http://ex/card"), ox.BlankNode("c")),
    ox.Triple(ox.BlankNode("c"), ox.NamedNode("http://ex/fn"), ox.Literal("Jane Doe", language="en")),
]  # fmt: skip


def _canonical(triples: Iterable[ox.Triple]) -> set[ox.Quad]:
    """The graph with canonical blank-node labels: equal sets mean isomorphic graphs."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _edits(client: TestClient) -> list[ox.Triple]:
    response = client.get(EDITS, headers={"Accept": "application/n-triples", **AUTH})
    if response.status_code == 404:
        return []
    assert response.status_code == 200, response.text
    return [q.triple for q in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)]


def _texts(triples: Iterable[ox.Triple]) -> list[str]:
    """The literal objects' lexical forms."""
    return [t.object.value for t in triples if isinstance(t.object, ox.Literal)]


def _countries(client: TestClient) -> set[str]:
    query = "SELECT ?c { ?c a pg:Country }"
    rows = client.get("/sparql", params={"query": query, "format": "json"}).json()
    return {b["c"]["value"].rsplit("/", 1)[-1] for b in rows["results"]["bindings"]}


def test_put_get_post_delete_on_the_edits_graph(client: TestClient, store_path: Path) -> None:
    put = client.put(EDITS, content=USA, headers=TURTLE)
    assert put.status_code == 201, put.text
    location = (
        "http://127.0.0.1:8000/store?graph=https%3A%2F%2Fw3id.org%2Fpolicygraph%2Fgraph%2Fedits"
    )
    assert put.headers["location"] == location  # the bound address, not the test's Host
    assert _countries(client) == {"jpn", "kor", "usa"}
    got = client.get(EDITS, headers={"Accept": "application/n-triples", **AUTH})
    assert got.status_code == 200
    assert '"United States"@en' in got.text
    assert client.post(EDITS, content=CANADA, headers=TURTLE).status_code == 204
    assert _countries(client) == {"jpn", "kor", "usa", "can"}
    assert client.put(EDITS, content=CANADA, headers=TURTLE).status_code == 204
    assert _countries(client) == {"jpn", "kor", "can"}
    assert client.delete(EDITS, headers=AUTH).status_code == 204
    assert _countries(client) == {"jpn", "kor"}
    assert edits_file(store_path).read_text(encoding="utf-8") == ""


def test_an_empty_graph_does_not_exist(client: TestClient) -> None:
    """GET, HEAD and DELETE of the empty (never written, or deleted) graph are 404; a POST
    that fills it is a creation (201), and HEAD then answers GET's headers without a body."""
    for _ in range(2):  # never written, then written and deleted
        get = client.get(EDITS, headers=AUTH)
        assert get.status_code == 404, get.text
        assert "holds no triples" in get.json()["error"]
        head = client.head(EDITS, headers=AUTH)
        assert (head.status_code, head.content) == (404, b"")
        assert client.delete(EDITS, headers=AUTH).status_code == 404
        post = client.post(EDITS, content=USA, headers=TURTLE)
        assert post.status_code == 201, post.text
        assert "/store?graph=" in post.headers["location"]
        get = client.get(EDITS, headers=AUTH)
        head = client.head(EDITS, headers=AUTH)
        assert (get.status_code, head.status_code, head.content) == (200, 200, b"")
        assert (
            head.headers["content-type"]
            == get.headers["content-type"]
            == "text/turtle; charset=utf-8"
        )
        assert head.headers["content-length"] == str(len(get.content))
        assert client.delete(EDITS, headers=AUTH).status_code == 204
    record_checks("Graph Store status codes as specified (201, 204, 404, HEAD)", 14)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_every_graph_format_both_ways(client: TestClient, fmt: ResultFormat) -> None:
    assert isinstance(fmt.serializer, ox.RdfFormat)
    body = ox.serialize(CARD, format=fmt.serializer)
    put = client.put(EDITS, content=body, headers={"Content-Type": fmt.content_type, **AUTH})
    assert put.status_code == 201, put.text
    got = client.get(EDITS, headers={"Accept": fmt.media_type, **AUTH})
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].split(";")[0] == fmt.media_type
    served = [q.triple for q in ox.parse(got.content, format=fmt.serializer)]
    assert _canonical(served) == _canonical(CARD)


def test_unsupported_media_types_are_415_and_406(client: TestClient, store_path: Path) -> None:
    for content_type in ("text/csv", "application/sparql-update", ""):
        response = client.put(EDITS, content=USA, headers={"Content-Type": content_type, **AUTH})
        assert response.status_code == 415, response.text
        assert "send the graph as one of text/turtle" in response.json()["error"]
    client.put(EDITS, content=USA, headers=TURTLE)
    refused = client.get(EDITS, headers={"Accept": "image/png", **AUTH})
    assert refused.status_code == 406
    assert "text/turtle" in refused.json()["error"]
    record_inputs("Graph Store bodies in unsupported media types", 3)


def test_a_named_graph_in_a_trig_body_cannot_reach_another_graph(
    client: TestClient, store_path: Path
) -> None:
    trig = f'<{graph_iri("curated")}> {{ <http://ex/a> <{COMMENT}> "x" }}'
    response = client.put(EDITS, content=trig, headers={"Content-Type": "application/trig", **AUTH})
    assert response.status_code == 400
    assert "does not parse" in response.json()["error"]
    assert not edits_file(store_path).exists()
    record_inputs("Graph Store bodies naming another graph (TriG)", 1)
    record_checks("refused write left the edits untouched", 1)


def test_multipart_post_adds_every_part(client: TestClient) -> None:
    boundary = "a6fe4cd636164618814be9f8d3d1a0de"
    parts = [
        ("last.ttl", "text/turtle; charset=utf-8", f'<http://ex/p1> <{COMMENT}> "Doe" .'),
        ("first.nt", "application/n-triples", f'_:x <{COMMENT}> "Jane" .'),
        ("other.nt", "", f'_:x <{COMMENT}> "Jay" .'),  # typed by its file name
    ]
    body = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            + (f"Content-Type: {kind}\r\n" if kind else "")
            + f"\r\n{text}\r\n"
            for name, kind, text in parts
        )
        + f"--{boundary}--\r\n"
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", **AUTH}
    response = client.post(EDITS, content=body, headers=headers)
    assert response.status_code == 201, response.text
    edits = _edits(client)
    assert sorted(_texts(edits)) == ["Doe", "Jane", "Jay"]
    assert len({t.subject for t in edits}) == 3  # _:x of two parts: two nodes
    bad = body.replace("application/n-triples", "text/csv")
    assert client.post(EDITS, content=bad, headers=headers).status_code == 415
    assert client.put(EDITS, content=body, headers=headers).status_code == 415
    assert len(_edits(client)) == 3
    record_inputs("multipart Graph Store bodies with a part in a wrong type, or PUT", 2)


def test_blank_nodes_are_fresh_per_request(client: TestClient) -> None:
    for text in ("one", "two"):
        body = f'_:x <{COMMENT}> "{text}" .'
        assert client.post(EDITS, content=body, headers=TURTLE).status_code in (201, 204)
    edits = _edits(client)
    assert sorted(_texts(edits)) == ["one", "two"]
    assert len({t.subject for t in edits}) == 2, edits
    record_inputs("blank-node labels repeated across Graph Store requests", 1)


def test_a_copied_blank_node_label_never_reaches_curated_data(client: TestClient) -> None:
    """The label of a curated membership, copied from /sparql output, names a new node."""
    query = "SELECT ?m { ?m a org:Membership FILTER isBlank(?m) }"
    rows = client.get("/sparql", params={"query": query, "format": "json"}).json()
    labels = [b["m"]["value"] for b in rows["results"]["bindings"]]
    assert labels, "the fixture data has blank memberships"
    body = "".join(f'_:{label} <{COMMENT}> "attached" .\n' for label in labels)
    assert client.post(EDITS, content=body, headers=TURTLE).status_code == 201
    ask = 'ASK { ?m a org:Membership ; rdfs:comment "attached" }'
    answer = client.get("/sparql", params={"query": ask, "format": "json"}).json()
    assert answer["boolean"] is False
    assert len(_edits(client)) == len(labels)
    record_inputs("blank-node labels copied from /sparql into Graph Store bodies", len(labels))
    record_checks("curated blank nodes unchanged by a Graph Store write", len(labels))


@pytest.mark.parametrize(
    ("method", "target"),
    [
        ("PUT", f"/store?graph={graph_iri('curated')}"),
        ("POST", f"/store?graph={graph_iri('ontology')}"),
        ("DELETE", f"/store?graph={graph_iri('curated')}"),
        ("PUT", "/store?default"),
        ("POST", "/store?default"),
        ("DELETE", "/store?default"),
        ("POST", "/store"),
        ("PUT", "/store/person/1.ttl"),
        ("DELETE", "/store/person/1.ttl"),
    ],
)
def test_other_graphs_are_refused_with_a_reason(
    refusing_client: TestClient, refusing_store_path: Path, method: str, target: str
) -> None:
    response = refusing_client.request(method, target, content=USA, headers=TURTLE)
    assert response.status_code == 403, response.text
    assert any(
        reason in response.json()["error"]
        for reason in ("can be written", "cannot be written", "creates no new graphs")
    )
    assert not edits_file(refusing_store_path).exists()
    assert _countries(refusing_client) == {"jpn", "kor"}
    record_inputs("Graph Store writes to a graph other than edits", 1)
    record_checks("refused write left the edits untouched", 1)


def test_the_graph_store_url_with_a_slash_is_the_graph_store(client: TestClient) -> None:
    assert (
        client.put(f"/store/?graph={EDITS_GRAPH}", content=USA, headers=TURTLE).status_code == 201
    )
    assert client.get(f"/store/?graph={EDITS_GRAPH}", headers=AUTH).status_code == 200
    assert client.post("/store/", content=USA, headers=TURTLE).status_code == 403


@pytest.mark.parametrize(
    ("target", "status"),
    [("/store", 400), (f"/store?graph={EDITS_GRAPH}&default", 400), ("/store?graph=rel/x", 400),
     (f"/store?graph={EDITS_GRAPH}&graph={graph_iri('curated')}", 400),
     ("/store?graph=http://www.example/nothing", 404), ("/store/person/4.ttl", 404)],
)  # fmt: skip
def test_badly_named_or_missing_graphs(
    refusing_client: TestClient, target: str, status: int
) -> None:
    response = refusing_client.get(target, headers=AUTH)
    assert response.status_code == status, response.text
    assert response.json()["error"]
    record_inputs("Graph Store requests naming no graph, two, or a relative IRI", 1)


def test_other_graphs_and_the_union_are_readable(client: TestClient) -> None:
    client.put(EDITS, content=USA, headers=TURTLE)
    nt = {"Accept": "application/n-triples", **AUTH}
    curated = client.get(f"/store?graph={graph_iri('curated')}", headers=nt)
    union = client.get("/store?default", headers=nt)
    assert curated.status_code == union.status_code == 200
    curated_lines, union_lines = set(curated.text.splitlines()), set(union.text.splitlines())
    assert "<https://w3id.org/policygraph/id/jpn>" in curated.text
    assert "/id/usa>" not in curated.text
    assert "/id/usa>" in union.text
    named = [line for line in curated_lines if "_:" not in line]
    assert set(named) <= union_lines


def test_the_store_needs_the_token(refusing_client: TestClient) -> None:
    response = refusing_client.put(EDITS, content=USA, headers={"Content-Type": "text/turtle"})
    assert response.status_code == 401
    assert "www-authenticate" in response.headers
    wrong = {"Content-Type": "text/turtle", "Authorization": "Bearer nope-nope-nope-nope"}
    assert refusing_client.put(EDITS, content=USA, headers=wrong).status_code == 403
    assert refusing_client.get(EDITS).status_code == 401
    assert refusing_client.head(EDITS).status_code == 401
    record_inputs("writes refused: no token, a wrong one, or updates off", 4)


def test_a_shacl_violating_put_is_422(
    refusing_client: TestClient, refusing_store_path: Path
) -> None:
    bad = (
        "@prefix pg: <https://w3id.org/policygraph/ontology#> .\n"
        "<https://w3id.org/policygraph/id/p> a pg:Proposal .\n"
    )
    response = refusing_client.put(EDITS, content=bad, headers=TURTLE)
    assert response.status_code == 422, response.text
    assert "not written" in response.json()["error"]
    assert not edits_file(refusing_store_path).exists()
    record_inputs("edits that violate the SHACL shapes", 1)
    record_checks("refused write left the edits untouched", 1)


def _rdf_xml(doctype: str, value: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{doctype}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://ex/">'
        f'<rdf:Description rdf:about="http://ex/a"><e:p>{value}</e:p></rdf:Description></rdf:RDF>'
    )


def test_hostile_bodies_are_400_and_reach_nothing(
    refusing_client: TestClient, refusing_store_path: Path
) -> None:
    """An entity bomb, an external entity, a remote JSON-LD context on a loopback listener
    that must never be reached, and JSON nested past the parser's stack: each is a one-line
    400, nothing is written, and the listener has no connection waiting."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.setblocking(False)
        port = listener.getsockname()[1]
        laughs = '<!ENTITY l0 "lol">' + "".join(
            f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
        )
        depth = 70_000
        bodies = [
            ("application/rdf+xml", _rdf_xml(laughs, "&l9;")),
            ("application/rdf+xml", _rdf_xml('<!ENTITY x SYSTEM "file:///etc/passwd">', "&x;")),
            ("application/rdf+xml", _rdf_xml(f'<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">', "&x;")),
            ("application/ld+json", f'{{"@context": "http://127.0.0.1:{port}/c", "@id": "http://ex/a", "n": "x"}}'),
            ("application/ld+json", '{"@id": "http://ex/a", "http://ex/p": ' + "[" * depth + "]" * depth + "}"),
        ]  # fmt: skip
        for content_type, body in bodies:
            response = refusing_client.put(
                EDITS, content=body, headers={"Content-Type": content_type, **AUTH}
            )
            assert response.status_code == 400, (content_type, body[:80], response.text)
            error = response.json()["error"]
            assert "\n" not in error.strip() and "root:" not in error
        with pytest.raises(BlockingIOError):
            listener.accept()
    assert not edits_file(refusing_store_path).exists()
    record_inputs(
        "hostile Graph Store bodies (entity bombs, external entities, remote contexts, deep JSON)",
        len(bodies),
    )
    record_checks("refused write left the edits untouched", 1)
