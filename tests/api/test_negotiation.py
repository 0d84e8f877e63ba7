"""Content negotiation: ``choose_media_type`` over the SPARQL result tables."""

from __future__ import annotations

import pytest

from api.errors import NotAcceptableError
from api.negotiation import choose_media_type, parse_accept
from api.representation import offered_media_types, pick_format
from graph.query.formats import media_types

SOLUTIONS = media_types("solutions")
GRAPH = media_types("graph")


@pytest.mark.parametrize(
    ("accept", "offered", "expected"),
    [
        pytest.param(None, SOLUTIONS, "application/sparql-results+json", id="no-accept"),
        pytest.param("", SOLUTIONS, "application/sparql-results+json", id="empty"),
        pytest.param("*/*", SOLUTIONS, "application/sparql-results+json", id="any"),
        pytest.param("*/*", GRAPH, "text/turtle", id="any-graph"),
        pytest.param("text/csv", SOLUTIONS, "text/csv", id="exact"),
        pytest.param("TEXT/CSV", SOLUTIONS, "text/csv", id="case-insensitive"),
        pytest.param("text/*", SOLUTIONS, "text/csv", id="type-wildcard-server-order"),
        pytest.param("text/*", GRAPH, "text/turtle", id="type-wildcard-graph"),
        pytest.param(
            "text/csv;q=0.5, text/tab-separated-values", SOLUTIONS,
            "text/tab-separated-values", id="q-values",
        ),
        pytest.param(
            "text/*;q=0.9, text/csv;q=0", SOLUTIONS, "text/tab-separated-values",
            id="specific-q0-excludes",
        ),
        pytest.param(
            "application/sparql-results+xml;q=0.8, */*;q=0.1", SOLUTIONS,
            "application/sparql-results+xml", id="specific-beats-wildcard",
        ),
        pytest.param(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", SOLUTIONS,
            "application/xml", id="browser",
        ),
        pytest.param(
            "application/sparql-results+json,application/json,text/javascript", SOLUTIONS,
            "application/sparql-results+json", id="sparqlwrapper-json",
        ),
        pytest.param("application/json", GRAPH, "application/json", id="json-alias-graph"),
        pytest.param(
            "application/rdf+xml;charset=utf-8", GRAPH, "application/rdf+xml", id="params-ignored"
        ),
        pytest.param("image/png", SOLUTIONS, None, id="nothing-fits"),
        pytest.param("text/csv;q=0", SOLUTIONS, None, id="only-refused"),
        pytest.param("*/*;q=0", SOLUTIONS, None, id="all-refused"),
        pytest.param("garbage, ;;, /", SOLUTIONS, "application/sparql-results+json", id="malformed"),
        pytest.param("text/csv;q=abc, text/tab-separated-values", SOLUTIONS,
                     "text/tab-separated-values", id="bad-q-skipped"),
        pytest.param("*/csv", SOLUTIONS, "application/sparql-results+json", id="invalid-range"),
    ],
)  # fmt: skip
def test_choose_media_type(accept: str | None, offered: list[str], expected: str | None) -> None:
    assert choose_media_type(accept, offered) == expected


def test_parse_accept_reads_q_values() -> None:
    ranges = parse_accept("text/turtle;q=0.3, application/n-triples")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "turtle", 0.3),
        ("application", "n-triples", 1.0),
    ]


def test_format_override_wins_over_accept() -> None:
    assert pick_format("solutions", "application/sparql-results+json", "tsv").name == "tsv"


def test_an_override_of_the_other_kind_leaves_the_choice_to_accept() -> None:
    assert pick_format("solutions", None, "turtle").name == "json"
    assert pick_format("graph", "*/*", "csv").name == "turtle"
    assert pick_format("graph", "application/n-triples", "csv").name == "ntriples"


def test_an_override_of_the_other_kind_is_406_when_accept_refuses_the_rest() -> None:
    with pytest.raises(NotAcceptableError, match=r"turtle.*application/sparql-results"):
        pick_format("solutions", "text/turtle", "turtle")


def test_a_json_alias_for_graphs_gives_json_ld() -> None:
    assert pick_format("graph", "application/json", None).name == "jsonld"


@pytest.mark.parametrize(
    ("accept", "override", "expected"),
    [
        pytest.param("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None,
                     None, id="browser-gets-the-page"),
        pytest.param("*/*", None, "turtle", id="any-gets-turtle-not-the-page"),
        pytest.param(None, None, "turtle", id="no-accept"),
        pytest.param("text/html", "ttl", "turtle", id="format-beats-accept"),
        pytest.param("text/turtle", "html", None, id="format-html"),
        pytest.param("application/json", None, "jsonld", id="json-alias"),
        pytest.param("text/plain", None, "ntriples", id="text-plain-alias"),
        pytest.param("application/x-turtle", None, "turtle", id="x-turtle-alias"),
        pytest.param("text/html", "csv", None, id="other-kind-format-leaves-accept"),
    ],
)  # fmt: skip
def test_pages_and_rdf_are_negotiated_together(
    accept: str | None, override: str | None, expected: str | None
) -> None:
    chosen = pick_format("graph", accept, override, html=True)
    assert (chosen.name if chosen else None) == expected


def test_a_format_that_names_nothing_is_406_even_for_any_accept() -> None:
    with pytest.raises(NotAcceptableError, match="'yaml'"):
        pick_format("graph", "*/*", "yaml", html=True)


def test_the_page_is_offered_after_the_canonical_types_and_before_the_aliases() -> None:
    offered = offered_media_types("graph", html=True)
    assert offered[:6] == [
        "text/turtle", "application/n-triples", "application/ld+json",
        "application/rdf+xml", "application/trig", "text/html",
    ]  # fmt: skip
    assert "application/x-turtle" in offered[6:]
    assert "text/html" not in offered_media_types("graph")
