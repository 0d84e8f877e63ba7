"""Fuzzing over the real server: schemathesis draws requests for every operation of
``/openapi.json`` (REST, ``/sparql`` GET and POST, ``/id``, ``/viz`` …) and hypothesis
writes SPARQL-ish token soups for ``/sparql`` — never a 5xx, never a hang (each request
has a time limit)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.api.conftest import Server, running_server
from tests.hardening.record import record_inputs

pytestmark = [
    pytest.mark.slow,
    # Both tests find requests that hang past the query timeout (no answer in 20 s) and
    # shrinking repeats each hang for minutes: off until the killable query workers of
    # issue 8 item 2 land; then remove this mark.
    pytest.mark.skip(reason="finds hangs past the query timeout until issue 8 item 2 lands"),
]

#: Longer than the server's query timeout (10 s): a request past it is a hang.
REQUEST_TIMEOUT = 20.0
PER_OPERATION = 20


@pytest.fixture(scope="module")
def server(hostile_store_path: Path) -> Iterator[Server]:
    with running_server(hostile_store_path) as running:
        yield running


def test_every_operation_of_the_openapi_never_answers_5xx(server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    paths = {op.path for op in operations}
    assert {"/sparql", "/api/entities", "/api/queries/{name}", "/viz/{view}"} <= paths
    assert sum(op.method.upper() == "POST" for op in operations) >= 1
    sent = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any) -> None:
            nonlocal sent
            sent += 1
            response = case.call(base_url=server.url, timeout=REQUEST_TIMEOUT)
            assert response.status_code < 500, (
                case.method, case.path, case.path_parameters, case.query, case.body,
                response.status_code, response.text[:300],
            )  # fmt: skip

        no_server_error()
    record_inputs("schemathesis requests (whole OpenAPI)", sent)
    assert server.process.poll() is None


KEYWORDS = (
    "SELECT", "CONSTRUCT", "ASK", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS",
    "GRAPH", "SERVICE", "BIND", "VALUES", "GROUP BY", "HAVING", "ORDER BY", "LIMIT", "OFFSET",
    "DISTINCT", "REDUCED", "FROM", "FROM NAMED", "PREFIX", "BASE", "COUNT(*)", "AS", "NOT EXISTS",
    "INSERT DATA", "DELETE WHERE", "DROP ALL", "LOAD", "CLEAR", "a", "*", "regex(", "str(",
    "lang(", "IRI(", "STRLEN(", "REPLACE(", "SUBSTR(", "CONCAT(", "+", "/", "|", "^", "?",
)  # fmt: skip
TERMS = (
    "?s", "?p", "?o", "?x", "$y", "id:kor", "pg:memberOf", "rdfs:label", "<urn:x>",
    "<https://w3id.org/policygraph/id/kor>", "<http://127.0.0.1:1/>", "<file:///etc/passwd>",
    '"x"', '"韓国"@ja', '"1"^^xsd:integer', "42", "-1.5e10", "true", "_:b", "[]", "()",
    '"""long"""', "'single'", "\\u0000", "#", "\n", "undefined:x",
)  # fmt: skip
PUNCT = ("{", "}", "(", ")", ".", ";", ",", "[", "]", "{ }", "<", ">", "=", "!=", "&&", "||")
TOKENS = st.sampled_from(KEYWORDS + TERMS + PUNCT) | st.text(max_size=6)
SOUP = st.lists(TOKENS, max_size=12).map(" ".join)
#: Soups that start like a query, so more of them get past the parser.
SHAPED = st.tuples(
    st.sampled_from(("SELECT * WHERE {", "ASK {", "CONSTRUCT {", "SELECT ?s {")), SOUP
).map(lambda parts: f"{parts[0]} {parts[1]} }}")
FORMATS = st.sampled_from(("json", "xml", "csv", "tsv", "turtle", "jsonld", "x", ""))
ACCEPTS = st.sampled_from(
    ("*/*", "text/html", "application/sparql-results+json", "text/turtle", "image/png", ";;")
)


def test_sparql_token_soups_never_answer_5xx(server: Server) -> None:
    sent = 0
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:

        @given(query=SOUP | SHAPED, fmt=FORMATS, accept=ACCEPTS, how=st.integers(0, 2))
        @settings(
            max_examples=150,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: a hang would repeat
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(query: str, fmt: str, accept: str, how: int) -> None:
            nonlocal sent
            sent += 1
            headers = {"accept": accept}
            params = {"format": fmt} if fmt else {}
            if how == 0:
                response = client.get("/sparql", params={**params, "query": query}, headers=headers)
            elif how == 1:
                response = client.post(
                    "/sparql", params=params, data={"query": query}, headers=headers
                )
            else:
                response = client.post(
                    "/sparql", params=params, content=query.encode("utf-8", "surrogatepass"),
                    headers={**headers, "content-type": "application/sparql-query"},
                )  # fmt: skip
            assert response.status_code < 500, (query, fmt, accept, how, response.text[:300])

        no_server_error()
    record_inputs("SPARQL token soups (hypothesis)", sent)
    assert server.process.poll() is None
