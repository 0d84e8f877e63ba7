"""A query past the time limit is 503, and the event loop stays free meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from graph.iris import graph_iri
from tests.api.conftest import running_server

# 300 × 300 × 300 = 27 million rows over the ontology's triples (in every store): about
# 4 s on the project's machine, far past the 1 s limit of the test.
_PART = (
    "{{ SELECT (?s AS ?{0}) WHERE {{ GRAPH <"
    + graph_iri("ontology")
    + "> {{ ?s ?p ?o }} }} LIMIT 300 }}"
)
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(_PART.format(v) for v in "abc") + " }"


@pytest.mark.slow
def test_timeout_is_503_while_healthz_answers_meanwhile(fixture_store_path: Path) -> None:
    with running_server(fixture_store_path, "--query-timeout", "1") as server:
        outcome: dict[str, httpx.Response] = {}

        def run_slow_query() -> None:
            outcome["slow"] = httpx.get(
                f"{server.url}/sparql", params={"query": SLOW_QUERY}, timeout=60
            )

        slow = threading.Thread(target=run_slow_query)
        slow.start()
        time.sleep(0.3)  # the query is running now
        health = httpx.get(f"{server.url}/healthz", timeout=5)
        # Answered while the query ran: its answer (at the 1 s limit) had not come yet.
        answered_meanwhile = "slow" not in outcome
        slow.join(timeout=60)
        assert health.status_code == 200
        assert answered_meanwhile, "/healthz waited for the query"
        assert outcome["slow"].status_code == 503
        assert "longer than 1 s" in outcome["slow"].json()["error"]
