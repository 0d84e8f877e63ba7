"""The scale benchmark's bookkeeping (``bench/scale.py``) and report
(``bench/scale_report.py``): which figures of an earlier run still hold, what the report says
about queries no engine answered, and how it writes up the builds."""

from __future__ import annotations

from bench.machine import describe
from bench.scale import _carry_over, query_digests
from bench.scale_report import _unanswered, render, render_builds

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


MACHINE = {
    "cpu": "Test CPU 9000",
    "cores": 64,
    "memory GiB": 512.0,
    "python": "CPython 3.99.0",
    "load average": 0.3,
    "pyoxigraph": "9.9.9",
    "pyshacl": "1.2.3",
    "rdflib": "4.5.6",
}


def _build(total: float, validate: float, pyshacl: float | None = None) -> dict:
    # Two threads: load (memory) + validate + count beside load (disk) + materialise.
    stages = {"load (memory)": 1.0, "validate": validate, "count": 0.5, "load (disk)": 2.0}
    stages |= {"materialise": 3.0, "optimise + swap": 1.5}
    build = {"triples": 1_000_000, "stages": stages, "total": total, "cpu s": total * 0.9}
    build |= {"machine": MACHINE, "load average after": 1.5, "stages cpu": {"validate": 9.0}}
    build |= {"checks cpu": {"PassageShape quote datatype": 2.5, "SlugShape (node) or": 6.5}}
    if pyshacl is not None:
        build |= {"pyshacl validate": pyshacl, "pyshacl validate cpu s": pyshacl * 0.9}
    return build


def test_the_builds_are_written_up_with_the_machine_they_ran_on() -> None:
    data = {
        "1M": {"build": _build(30.0, 10.0, pyshacl=200.0)},
        "5M": {"build": dict(_build(150.0, 50.0), triples=5_000_000)},
    }
    report = render_builds(data)
    assert "Test CPU 9000, 64 cores, 512.0 GiB, CPython 3.99.0, pyoxigraph 9.9.9" in report
    row_1m, row_5m = (
        [line for line in report.splitlines() if line.startswith("| 1,000,000")],
        [line for line in report.splitlines() if line.startswith("| 5,000,000")],
    )
    assert row_1m == ["| 1,000,000 | 1.00 | 10.00 (9.0) | 0.50 | 2.00 | 3.00 | 1.50 | 30.00 | 27.0 "
                      "| 0.3–1.5 | 33,333 | 37,037 | 200.0 (180.0) | 20.0× (CPU) | not run |"]  # fmt: skip
    assert row_5m[0].endswith("| not run | — | not run |")
    assert (
        "The slowest checks at 1M (CPU s, of 2 checks taking 9.0 s): "
        "`SlugShape (node) or` 6.50; `PassageShape quote datatype` 2.50." in report
    )
    assert "1M triples in at most 40 s: 30.0 s (27.0 s of CPU) — met." in report


def test_a_slow_build_misses_the_goal() -> None:
    report = render_builds({"1M": {"build": _build(41.0, 10.0)}})
    assert "41.0 s (36.9 s of CPU) — not met." in report


def test_the_machine_is_read_from_the_machine() -> None:
    facts = describe()
    assert facts["cores"] >= 1 and facts["memory GiB"] > 0
    assert facts["cpu"] and facts["cpu"] != MACHINE["cpu"]
    assert facts["pyoxigraph"] != "not installed"
