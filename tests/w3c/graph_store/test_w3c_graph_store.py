"""The W3C SPARQL 1.1 Graph Store Protocol tests, run against a real ``policygraph serve``.

Every test of the vendored manifests (see README.md) is sent, request by request, to a
server started with an update token, and each response is checked: its status, its
``Content-Type``, and its graph (isomorphic to the manifest's). The edits graph is emptied
before each test, as the manifest's independent connections assume.

Clients may write only the ``edits`` graph, so the graphs the tests write are mapped:

* ``http://www.example/gsp/person/1.ttl`` and ``…/person/2.ttl`` (indirect identification)
  become the edits graph, spelled the way the test spells them: fully percent-encoded,
  raw, or with one character percent-encoded (``…/edit%73``). What the tests check — status
  codes, content, HEAD, multipart, that a parameter is percent-decoded exactly once —
  survives the mapping, since each test uses one graph.
* Any other graph is left as the test names it, and a write to it must be refused: 403
  with a reason that names the graph (:data:`PLAN` says which tests and why). A later
  read of that graph must then find nothing (404), the union without the refused triples,
  and a request that needs the ``Location`` of a refused creation is not sent.

:data:`PLAN` accounts for every test of the manifests, and :data:`SUPERSEDED` for every
entry of the deprecated prose manifest (http-rdf-update/), which the W3C replaced with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote

import httpx
import pyoxigraph as ox
import pytest

from graph.build import build_store
from graph.store.edits import EDITS_GRAPH
from tests.api.conftest import running_server
from tests.conftest import MINIMAL_DATA
from tests.hardening.record import record_checks, record_inputs
from tests.w3c.graph_store.manifest import HERE, Entry, Step, entry_names, read_manifest

TOKEN = "w3c-graph-store-token-0123456789"
ENTRIES = read_manifest()
#: The graphs the tests write that stand for the edits graph.
MAPPED = {"http://www.example/gsp/person/1.ttl", "http://www.example/gsp/person/2.ttl"}
_DIRECT = "a graph named by its /store/… URL is never the edits graph, so writing it is refused"


@dataclass(frozen=True)
class Plan:
    """What a test comes to here: it ``passes`` as written (after the mapping), or a
    write in it is a documented policy ``refusal``."""

    outcome: Literal["passes", "refusal"]
    why: str


PLAN: dict[str, Plan] = {
    "put_get_repeat_indirect": Plan("passes", "person/1.ttl is the edits graph"),
    "put_get_default": Plan(
        "refusal",
        "the default graph is the union of all graphs, which no client writes: the PUT is "
        "403; the GET of ?default answers the union, without the refused triples",
    ),
    "put_delete_get_delete_indirect": Plan("passes", "person/2.ttl is the edits graph"),
    "post_get_post_get_indirect": Plan("passes", "person/1.ttl is the edits graph"),
    "post_get_new_graph": Plan(
        "refusal",
        "POST to the graph store creates a new graph, which no client may: 403, and the "
        "GET of its Location is not sent",
    ),
    "head_existing_indirect": Plan("passes", "person/1.ttl is the edits graph"),
    "head_non_existing_indirect": Plan("passes", "person/4.ttl is a graph the store lacks"),
    "put_get_uri_pct_encoded_indirect": Plan(
        "passes", "person/1.ttl is the edits graph, %-encoded then raw"
    ),
    "put_get_uri_pct_encoded_twice": Plan(
        "refusal",
        "person/%31.ttl (= person/1.ttl) is the edits graph (…/edit%73); person/%2531.ttl "
        "is another graph, <…/person/%31.ttl> once decoded: its PUT is 403 naming it, which "
        "shows the single decoding, and its GET is 404",
    ),
    "put_get_repeat_direct": Plan("refusal", _DIRECT),
    "put_delete_get_delete_direct": Plan("refusal", _DIRECT),
    "post_get_post_get_direct": Plan("refusal", _DIRECT),
    "head_existing_direct": Plan("refusal", _DIRECT),
    "head_non_existing_direct": Plan(
        "passes", "a graph the store lacks, by its URL (defined, not in mf:entries)"
    ),
}

#: Each entry of the deprecated prose manifest → the current test that replaced it.
SUPERSEDED: dict[str, str] = {
    "put__initial_state": "put_get_repeat_indirect",
    "get_of_put__initial_state": "put_get_repeat_indirect",
    "put__graph_already_in_store": "put_get_repeat_indirect",
    "get_of_put__graph_already_in_store": "put_get_repeat_indirect",
    "put__default_graph": "put_get_default",
    "get_of_put__default_graph": "put_get_default",
    "delete__existing_graph": "put_delete_get_delete_indirect",
    "get_of_delete__existing_graph": "put_delete_get_delete_indirect",
    "delete__nonexistent_graph": "put_delete_get_delete_indirect",
    "post__existing_graph": "post_get_post_get_indirect",
    "get_of_post__existing_graph": "post_get_post_get_indirect",
    "post__multipart_formdata": "post_get_post_get_indirect",
    "get_of_post__multipart_formdata": "post_get_post_get_indirect",
    "post__create__new_graph": "post_get_new_graph",
    "get_of_post__create__new_graph": "post_get_new_graph",
    "get_of_post__after_noop": "post_get_new_graph",
    "head_on_an_existing_graph": "head_existing_indirect",
    "head_on_a_nonexisting_graph": "head_non_existing_indirect",
}


def map_graph_parameter(raw: str) -> str:
    """The ``?graph=`` value with a mapped graph replaced by the edits graph, spelled the
    same way (raw, fully percent-encoded, or with one character percent-encoded).

    >>> map_graph_parameter("http://www.example/gsp/person/%31.ttl")
    'https://w3id.org/policygraph/graph/edit%73'
    >>> map_graph_parameter("http://www.example/gsp/person/%2531.ttl")
    'http://www.example/gsp/person/%2531.ttl'
    """
    decoded = unquote(raw)
    if decoded not in MAPPED:
        return raw
    if raw == decoded:
        return EDITS_GRAPH
    if raw == quote(decoded, safe=""):
        return quote(EDITS_GRAPH, safe="")
    assert raw.count("%") == 1, raw  # one character encoded: encode one of the edits IRI
    return EDITS_GRAPH[:-1] + f"%{ord(EDITS_GRAPH[-1]):02X}"


@dataclass(frozen=True)
class Target:
    """Where a request goes on this server, and which graph it names (decoded once)."""

    path: str
    graph: str  # an IRI, "default", "new graph", or the direct URL


def target_of(path: str, server_url: str) -> Target:
    """The request path on this server for a manifest path (``/gsp…`` → ``/store…``)."""
    assert path.startswith("/gsp"), path
    rest = path.removeprefix("/gsp")
    if rest.startswith("?graph="):
        raw = map_graph_parameter(rest.removeprefix("?graph="))
        return Target(f"/store?graph={raw}", unquote(raw))
    if rest == "?default":
        return Target("/store?default", "default")
    if rest == "":
        return Target("/store", "new graph")
    return Target(f"/store{rest}", f"{server_url}/store{rest}")


@dataclass
class Run:
    """What happened in one test: the steps checked against the manifest, and refusals."""

    checked: int = 0
    refused: int = 0
    not_sent: int = 0


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = tmp_path_factory.mktemp("w3c-graph-store") / "store"
    build_store([MINIMAL_DATA], store)
    with running_server(store, token=TOKEN) as server:
        yield server.url


@pytest.fixture()
def http(server_url: str) -> Iterator[httpx.Client]:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server_url, headers=auth, timeout=30) as client:
        emptied = client.delete(f"/store?graph={EDITS_GRAPH}")
        assert emptied.status_code in (204, 404), emptied.text
        assert client.get(f"/store?graph={EDITS_GRAPH}").status_code == 404
        yield client


def _graph(body: bytes | str, content_type: str) -> set[ox.Quad]:
    """The triples of a body, with canonical blank-node labels (equal sets: isomorphic)."""
    media_type = content_type.split(";")[0].strip()
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None, content_type
    data = body.encode() if isinstance(body, str) else body
    dataset = ox.Dataset(q for q in ox.parse(data, format=rdf_format, base_iri="http://x/"))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _same_header(given: str, expected: str) -> bool:
    def normal(value: str) -> list[str]:
        return [part.strip().lower() for part in value.split(";")]

    return normal(given) == normal(expected)


def _send(http: httpx.Client, step: Step, path: str, variables: dict[str, str]) -> httpx.Response:
    for name, value in variables.items():
        path = path.replace(name, value)
    body = step.body
    for name, value in variables.items():
        body = body.replace(name, value) if body is not None else None
    headers = dict(step.headers)
    return http.request(step.method, path, headers=headers, content=body)


def _check_against_manifest(response: httpx.Response, step: Step) -> None:
    where = f"{step.method} {step.path}"
    assert response.status_code in step.statuses, f"{where}: {response.status_code} {response.text}"
    for name, value in step.response_headers:
        assert _same_header(response.headers.get(name, ""), value), (where, name, response.headers)
    if step.method == "HEAD":
        assert response.content == b""
    if step.response_body is not None:
        content_type = dict(step.response_headers).get("content-type", "text/turtle")
        served = _graph(response.content, response.headers["content-type"])
        assert served == _graph(step.response_body, content_type), f"{where}: {response.text}"


def _check_refused(response: httpx.Response, step: Step, target: Target) -> None:
    where = f"{step.method} {step.path}"
    assert response.status_code == 403, f"{where}: {response.status_code} {response.text}"
    reason = response.json()["error"]
    expected = {"default": "default graph", "new graph": "creates no new graphs"}
    assert expected.get(target.graph, f"<{target.graph}>") in reason, reason


def _check_read_of_refused(response: httpx.Response, step: Step, target: Target) -> None:
    """A read of a graph whose write was refused: nothing there (the union without it)."""
    if target.graph != "default":
        assert response.status_code == 404, f"{step.method} {step.path}: {response.text}"
        return
    assert response.status_code == 200
    assert step.response_body is not None
    expected = {q.object for q in _graph(step.response_body, "text/turtle")}
    served = {q.object for q in _graph(response.content, response.headers["content-type"])}
    literals = {o for o in expected if isinstance(o, ox.Literal)}
    assert literals and not (literals & served)


def run_entry(http: httpx.Client, entry: Entry, server_url: str) -> Run:
    """Send every request of ``entry`` in order and check each response."""
    run = Run()
    refused_graphs: set[str] = set()
    variables: dict[str, str] = {}
    for step in entry.steps:
        if any(name not in variables for name in re.findall(r"\$[A-Z]+\$", step.path)):
            run.not_sent += 1  # needs the Location of a creation that was refused
            continue
        target = target_of(step.path, server_url)
        response = _send(http, step, target.path, variables)
        writes = step.method in ("PUT", "POST", "DELETE")
        if writes and target.graph != EDITS_GRAPH:
            _check_refused(response, step, target)
            refused_graphs.add(target.graph)
            run.refused += 1
        elif target.graph in refused_graphs:
            _check_read_of_refused(response, step, target)
            run.refused += 1
        else:
            _check_against_manifest(response, step)
            run.checked += 1
        if step.location_variable and response.status_code == 201:
            variables[step.location_variable] = response.headers["location"]
    return run


def test_every_test_of_the_manifests_is_accounted_for() -> None:
    names = [entry.name for entry in ENTRIES]
    assert len(names) == len(set(names)) == 14
    assert set(names) == set(PLAN)
    old = entry_names(HERE / "http-rdf-update" / "manifest.ttl")
    assert len(old) == 18
    assert set(old) == set(SUPERSEDED)
    assert set(SUPERSEDED.values()) <= set(PLAN)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda entry: entry.name)
def test_w3c_graph_store(http: httpx.Client, server_url: str, entry: Entry) -> None:
    plan = PLAN[entry.name]
    run = run_entry(http, entry, server_url)
    assert run.checked + run.refused + run.not_sent == len(entry.steps)
    if plan.outcome == "passes":
        assert run.refused == run.not_sent == 0, plan.why
    else:
        assert run.refused > 0, plan.why
    record_inputs("W3C Graph Store Protocol requests sent to the real server", len(entry.steps))
    record_checks(
        "W3C Graph Store Protocol responses as the manifest or the policy says",
        run.checked + run.refused,
    )


@pytest.mark.parametrize(
    "raw",
    ["http%3A%2F%2Fwww.example%2Fgsp%2Fperson%2F1.ttl", "http://www.example/gsp/person/1.ttl",
     "http://www.example/gsp/person/%31.ttl"],
)  # fmt: skip
def test_the_mapped_spellings_reach_the_server_as_written(raw: str) -> None:
    """httpx sends the mapped ``?graph=`` as spelled (``%73`` not re-encoded), and one
    decoding of it, as the server does, gives the edits graph."""
    spelled = map_graph_parameter(raw)
    request = httpx.Request("GET", f"http://127.0.0.1:9/store?graph={spelled}")
    assert request.url.query.decode() == f"graph={spelled}"
    assert dict(parse_qsl(request.url.query.decode()))["graph"] == EDITS_GRAPH
