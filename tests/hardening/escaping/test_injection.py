"""REST and named-query parameters never reach query text: every attempt to break out of an
IRI or a string literal is refused (400/404/422) and changes nothing in the store."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import QUERIES_DIR
from graph.errors import UsageError
from graph.iris import ENTITY_BASE, is_slug
from graph.query.named import QueryParam, _term, load_named_queries
from graph.store import OxigraphStore
from graph.store.remote import bind_values
from tests.hardening.record import BREAKOUT_INPUTS, record_checks, record_inputs

#: Break-out attempts: IRI and literal terminators, comments, unicode look-alikes, newlines.
BREAKOUTS = (
    "kor> } ; DROP ALL ; #",
    'kor" . ?s ?p ?o . #',
    "kor' . ?s ?p ?o . #",
    "kor> . ?s ?p ?o . } #",
    "kor) } UNION { ?s ?p ?o",
    "<https://evil.example/x>",
    "kor\n",
    "kor\nDROP ALL",
    "kor\r\n} LIMIT 1",
    "kor\x00",
    "kor\u2028",
    "kor\u200b",
    "ｋｏｒ",  # fullwidth
    "kоr",  # Cyrillic о
    "KOR",
    "kor%3E",
    "kor\\u003E } #",
    "kor#",
    "kor?x=1",
    "../kor",
    "kor/../jpn",
    " kor",
)
#: Values that are Korea's slug once trimmed and case- and width-folded: where a name is
#: taken (the finder's and the views' parameters, issue #17) they name Korea, which is no
#: break-out; they must still change nothing, and the slug-only routes refuse them.
KOREA_BY_NAME = frozenset({"kor\n", "kor\u2028", "ｋｏｒ", "KOR", " kor"})
TAKES_NAMES = ("/api/proposals?", "/proposals?", "/viz/")
INTEGER_BREAKOUTS = ("2023 } #", "2023) } UNION { ?s ?p ?o", "1e3", "0x10", "2023\n", "٢٠٢٣")
REFUSED = {400, 404, 422}
NAMED = load_named_queries(QUERIES_DIR)


def _triples(store: OxigraphStore) -> int:
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def before(hostile_store: OxigraphStore) -> int:
    return _triples(hostile_store)


def _slug_urls(value: str) -> list[str]:
    """Every REST, page and view URL that takes a slug, with ``value`` in it."""
    v = quote(value, safe="")
    return [
        f"/api/entities/{v}",
        f"/id/{v}",
        f"/id/{v}?format=turtle",
        *(f"/api/proposals?{name}={v}" for name in ("actor", "framework", "topic", "section")),
        *(f"/proposals?{name}={v}" for name in ("actor", "framework", "topic", "section")),
        f"/api/paths?source={v}&target=kor",
        f"/api/paths?source=kor&target={v}",
        f"/api/analysis/centrality?type={v}",
        f"/viz/ego?slug={v}",
        f"/viz/frameworks?slug={v}",
        *(f"/viz/proposals?{name}={v}" for name in ("actor", "framework", "topic", "section")),
        f"/viz/path?source={v}&target=kor",
        f"/viz/path?source=kor&target={v}",
    ]


@pytest.mark.parametrize("value", BREAKOUTS)
def test_slug_parameters_refuse_breakouts(
    hostile_client: TestClient, hostile_store: OxigraphStore, before: int, value: str
) -> None:
    for url in _slug_urls(value):
        response = hostile_client.get(url)
        named = value in KOREA_BY_NAME and url.startswith(TAKES_NAMES)
        allowed = REFUSED | {200} if named else REFUSED
        assert response.status_code in allowed, (url, response.status_code, response.text[:300])
    assert _triples(hostile_store) == before
    record_inputs(BREAKOUT_INPUTS, len(_slug_urls(value)))
    record_checks("store unchanged after break-out attempts", 1)


def test_the_same_urls_answer_for_a_real_slug(hostile_client: TestClient) -> None:
    """The refusals above are the parameter's doing: a real slug is answered."""
    for url in _slug_urls("kor"):
        if "type=" in url:
            continue  # a class name, not a slug
        url = url.replace("frameworks?slug=kor", "frameworks?slug=aukus")
        assert hostile_client.get(url).status_code == 200, url


def _named_cases() -> list[tuple[str, str, str]]:
    cases = []
    for query in NAMED.values():
        for param in query.params:
            values = INTEGER_BREAKOUTS if param.kind == "integer" else BREAKOUTS
            cases += [(query.name, param.name, v) for v in values]
    return cases


def _valid(query_name: str) -> dict[str, str]:
    query = NAMED[query_name]
    return {p.name: "2023" if p.kind == "integer" else "kor" for p in query.params}


@pytest.mark.parametrize(("name", "param", "value"), _named_cases())
def test_named_query_parameters_refuse_breakouts(
    hostile_client: TestClient,
    hostile_store: OxigraphStore,
    before: int,
    name: str,
    param: str,
    value: str,
) -> None:
    params = {**_valid(name), param: value}
    response = hostile_client.get(f"/api/queries/{name}", params=params)
    assert response.status_code in REFUSED, (name, param, value, response.text[:300])
    assert "error" in response.json()
    assert _triples(hostile_store) == before
    record_inputs(BREAKOUT_INPUTS, 1)
    record_checks("store unchanged after break-out attempts", 1)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_named_queries_refuse_unknown_parameters_and_names(
    hostile_client: TestClient, name: str
) -> None:
    response = hostile_client.get(
        f"/api/queries/{name}", params={**_valid(name), "x } ; DROP ALL ; #": "kor"}
    )
    assert response.status_code == 400, response.text
    assert hostile_client.get(f"/api/queries/{name}", params=_valid(name)).status_code == 200
    for bad in ("x } DROP ALL", "../" + name, name + "%00", name.upper()):
        assert hostile_client.get(f"/api/queries/{quote(bad, safe='')}").status_code in REFUSED
    record_inputs(BREAKOUT_INPUTS, 5)


def test_search_terms_are_text_not_queries(hostile_client: TestClient) -> None:
    for value in BREAKOUTS[:6]:
        response = hostile_client.get("/api/entities", params={"q": value})
        assert response.status_code == 200
        assert response.json()["total"] < 3, value  # matched as text, not as "everything"
    record_inputs(BREAKOUT_INPUTS, 6)


#: The class the two property-based tests below count their inputs in.
ARBITRARY_TEXT = "arbitrary text as a slug parameter or a remote query's literal (hypothesis)"


def test_a_slug_parameter_is_a_slug_iri_or_a_usage_error() -> None:
    tried = 0

    @settings(max_examples=300, deadline=None, database=None)
    @given(value=st.text(max_size=40))
    def check(value: str) -> None:
        nonlocal tried
        tried += 1
        param = QueryParam(name="actor", kind="slug")
        try:
            term = _term(param, value)
        except UsageError:
            assert not is_slug(value)
            return
        assert is_slug(value)
        assert isinstance(term, ox.NamedNode) and term.value == ENTITY_BASE + value

    check()
    record_inputs(ARBITRARY_TEXT, tried)


def test_remote_binding_keeps_any_text_one_literal() -> None:
    """Where values must be written into query text (a remote store), a literal stays one
    literal: the query parses and binds exactly that text, whatever it holds."""
    tried = 0

    @settings(max_examples=300, deadline=None, database=None)
    @given(value=st.text(max_size=60))
    def check(value: str) -> None:
        nonlocal tried
        tried += 1
        store = OxigraphStore.memory()
        text = bind_values("SELECT ?x WHERE { }", {"x": ox.Literal(value)})
        rows = list(store.query(text))  # type: ignore[arg-type]
        assert len(rows) == 1 and rows[0]["x"] == ox.Literal(value)

    check()
    record_inputs(ARBITRARY_TEXT, tried)
