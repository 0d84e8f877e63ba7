"""Fuzzing over the real server: schemathesis draws requests for every operation of
``/openapi.json`` (REST, ``/sparql`` GET and POST, ``/id``, ``/viz`` …) and hypothesis
writes SPARQL-ish token soups for ``/sparql`` — never a 5xx, never a hang.

The server runs with a short query timeout (:data:`QUERY_TIMEOUT`): a query that runs past
it is answered 503 with the timeout message, the documented behaviour, and is the one 5xx
accepted. Any other 5xx, and any request without an answer within :data:`REQUEST_TIMEOUT`
(a hang), is a failure. Every failure of a run is collected and reported together, without
shrinking: a hang would repeat for minutes while hypothesis shrinks it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from serving.query_pool import timeout_message
from tests.api.conftest import Server, running_server
from tests.hardening.record import record_faults, record_inputs

pytestmark = pytest.mark.slow

#: The server's query timeout, in seconds: short, so that exploding queries end quickly.
QUERY_TIMEOUT = 2.0
#: A request without an answer after this many seconds hangs: a wait for a busy worker and
#: the query itself each have :data:`QUERY_TIMEOUT`, plus the start of a new worker.
REQUEST_TIMEOUT = 15.0
PER_OPERATION = 100
SOUPS = 600
#: Generate and run, never shrink (see the module's docstring).
NO_SHRINK = [Phase.explicit, Phase.generate]


def server_error(status: int, body: bytes) -> bool:
    """Whether an answer is a server error: any 5xx but a 503 that says the query timed out.

    >>> server_error(503, json.dumps({"error": timeout_message(QUERY_TIMEOUT)}).encode())
    False
    >>> server_error(503, b'{"error": "the store is closed"}'), server_error(500, b"")
    (True, True)
    """
    if status < 500:
        return False
    if status != 503:
        return True
    try:
        return bool(json.loads(body).get("error") != timeout_message(QUERY_TIMEOUT))
    except (ValueError, AttributeError):
        return True


#: The protocol parameters that name the dataset's graphs.
GRAPH_PARAMETERS = ("default-graph-uri", "named-graph-uri")


def _report(failures: list[tuple[object, ...]], sent: int, server: Server) -> str:
    """The first failures, and the end of the server's log (its tracebacks)."""
    shown = "\n".join(repr(failure) for failure in failures[:5])
    return f"{len(failures)} of {sent} requests failed:\n{shown}\n{server.output()[-4000:]}"


@pytest.fixture(scope="module")
def server(hostile_store_path: Path) -> Iterator[Server]:
    with running_server(hostile_store_path, "--query-timeout", f"{QUERY_TIMEOUT:g}") as running:
        yield running


def test_every_operation_of_the_openapi_never_answers_5xx(server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results  # the schema reads
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    paths = {op.path for op in operations}
    assert {"/sparql", "/api/entities", "/api/queries/{name}", "/viz/{view}"} <= paths
    assert sum(op.method.upper() == "POST" for op in operations) >= 1
    sent = 0
    failures: list[tuple[object, ...]] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=PER_OPERATION,
            deadline=None,
            database=None,
            phases=NO_SHRINK,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(case: Any) -> None:
            nonlocal sent
            sent += 1
            request = (case.method, case.path, case.path_parameters, case.query, case.body)
            try:
                response = case.call(base_url=server.url, timeout=REQUEST_TIMEOUT)
            except requests.RequestException as exc:
                failures.append((*request, "no answer", repr(exc)[:200]))
                return
            if server_error(response.status_code, response.content):
                failures.append((*request, response.status_code, response.content[:300]))

        no_server_error()
    record_inputs("schemathesis requests (whole OpenAPI)", sent)
    assert not failures, _report(failures, sent, server)
    assert server.process.poll() is None


@pytest.mark.parametrize("parameter", GRAPH_PARAMETERS)
@pytest.mark.parametrize("value", ["x", "", "http://a b/"])
def test_a_dataset_graph_that_is_not_an_iri_is_400(
    server: Server, parameter: str, value: str
) -> None:
    response = httpx.get(
        f"{server.url}/sparql",
        params={"query": "ASK { ?s ?p ?o }", parameter: value},
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 400
    assert "is not an absolute IRI" in response.json()["error"]


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
    # Patterns that explode (a cartesian product, an unbounded path): the timeout's 503.
    "?a ?b ?c . ?d ?e ?f . ?g ?h ?i .", "?s (!<urn:x>|^!<urn:x>)* ?o . ?o (!<urn:x>)* ?z .",
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


#: Queries that run far past the timeout on any store: the fuzzing always sends them too.
EXPLODING = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:x>|^!<urn:x>)* ?o . ?o (!<urn:x>|^!<urn:x>)* ?z }",
)


def test_sparql_token_soups_never_answer_5xx(server: Server) -> None:
    sent = 0
    failures: list[tuple[object, ...]] = []
    statuses: Counter[int] = Counter()
    with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:

        @given(query=SOUP | SHAPED, fmt=FORMATS, accept=ACCEPTS, how=st.integers(0, 2))
        @example(query=EXPLODING[0], fmt="json", accept="*/*", how=0)
        @example(query=EXPLODING[1], fmt="csv", accept="*/*", how=2)
        @settings(
            max_examples=SOUPS,
            deadline=None,
            phases=NO_SHRINK,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def no_server_error(query: str, fmt: str, accept: str, how: int) -> None:
            nonlocal sent
            sent += 1
            headers = {"accept": accept}
            params = {"format": fmt} if fmt else {}
            try:
                if how == 0:
                    response = client.get(
                        "/sparql", params={**params, "query": query}, headers=headers
                    )
                elif how == 1:
                    response = client.post(
                        "/sparql", params=params, data={"query": query}, headers=headers
                    )
                else:
                    response = client.post(
                        "/sparql", params=params, content=query.encode("utf-8", "surrogatepass"),
                        headers={**headers, "content-type": "application/sparql-query"},
                    )  # fmt: skip
            except httpx.TransportError as exc:
                failures.append((query, fmt, accept, how, "no answer", repr(exc)[:200]))
                return
            statuses[response.status_code] += 1
            if server_error(response.status_code, response.content):
                failures.append(
                    (query, fmt, accept, how, response.status_code, response.content[:300])
                )

        no_server_error()
    record_inputs("SPARQL token soups (hypothesis)", sent)
    record_faults("query worker killed at the timeout and replaced", statuses[503])
    assert not failures, _report(failures, sent, server) + f"\nstatuses: {dict(statuses)}"
    assert server.process.poll() is None
