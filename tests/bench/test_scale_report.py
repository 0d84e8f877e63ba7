"""The scale benchmark's bookkeeping (``bench/scale.py``): which figures of an earlier run
still hold, and what the report says about queries no engine answered."""

from __future__ import annotations

from bench.scale import _carry_over, _unanswered, query_digests, render

MIX = {"kept": "SELECT * { ?s ?p ?o }", "rewritten": "ASK { ?s ?p ?o }", "slow": "SELECT 1 {}"}


def _run(latency: dict[str, dict[str, list[float]]], digests: dict[str, str]) -> dict:
    return {
        "latency": latency,
        "timed out": {name: [] for name in latency},
        "rss_mb": {name: 100.0 for name in latency},
        "server start s": {name: 1.0 for name in latency},
        "query digests": digests,
    }


def test_an_earlier_runs_figures_are_kept_only_for_unchanged_queries() -> None:
    before = dict(query_digests(MIX), rewritten="an older text's digest")
    previous = _run({"rdflib-endpoint": {"kept": [2.0], "rewritten": [9.0]}}, before)
    previous["timed out"]["rdflib-endpoint"] = ["slow", "rewritten"]
    now = _run({"policygraph": {"kept": [0.1], "rewritten": [0.2]}}, query_digests(MIX))

    _carry_over("rdflib-endpoint", previous, now)

    assert now["latency"]["rdflib-endpoint"] == {"kept": [2.0]}
    assert now["timed out"]["rdflib-endpoint"] == ["slow"]
    assert now["rss_mb"]["rdflib-endpoint"] == 100.0


def test_nothing_is_carried_over_for_a_server_never_measured() -> None:
    now = _run({"policygraph": {"kept": [0.1]}}, query_digests(MIX))
    _carry_over("rdflib-endpoint", _run({}, query_digests(MIX)), now)
    assert "rdflib-endpoint" not in now["latency"]


def test_queries_no_engine_answered_are_named_per_size() -> None:
    data = {
        "1M": _run({"policygraph": {"kept": [0.1]}, "Oxigraph server": {"rewritten": [0.1]}},
                   query_digests(MIX)),
        "5M": _run({"policygraph": {"kept": [0.1], "rewritten": [0.3], "slow": [0.4]}},
                   query_digests(MIX)),
    }  # fmt: skip
    assert _unanswered(data, ["1M", "5M"]) == [
        "* At 1M, no engine answered within 30 s (left out of the medians): `slow`."
    ]


def test_the_goals_are_checked_at_1m_and_again_at_a_larger_size() -> None:
    build = {"triples": 1_000_000, "validated": True, "parse": 1.0}
    one = _run({"policygraph": {"kept": [0.1]}, "Oxigraph server": {"kept": [0.2]}},
               query_digests(MIX))  # fmt: skip
    five = _run({"policygraph": {"kept": [0.5]}, "Oxigraph server": {"kept": [0.4]}},
                query_digests(MIX))  # fmt: skip
    data = {
        "1M": {**one, "size": "1M", "build": build, "mix": 3},
        "5M": {**five, "size": "5M", "build": dict(build, triples=5_000_000), "mix": 3},
    }
    report = render(data)
    assert "### Goals (issue 7, item 4) at 1M" in report
    assert "### The goals' checks at 5M" in report
    assert "within 1.3× of Oxigraph server's: 0.50× — met." in report
    assert "within 1.3× of Oxigraph server's: 1.25× — met." in report
