"""No fact that a query needs lives only in a comment.

Every ``rdfs:comment`` and ``skos:note`` of the curated and background Turtle
(``graph/data/**/*.ttl``), and the English label of every event and statistic, is read for
the facts a query could ask about: years, dates and
other figures, and the names of the people and places the graph knows. Each such fact must
also be *carried* by a triple near the commented entity:

- a figure or date by a literal (a date, value, bound, year, term …) of the entity itself or
  of a node one link away (a membership, an event, a statistic, the framework it concerns)
  or of a dated event or statistic two links away;
- a person or place by a link to that entity, directly or through one such node.

Labels, comments, alternative names and evidence quotes never carry a fact: a query cannot
use them. What stays in a comment on purpose is in ``CURATORS_NOTES``, each with its reason.

Run ``python -m tests.graph.test_comment_facts`` to print every comment fact and the triple
that carries it (or ``NOT CARRIED``), e.g. while curating.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from graph.iris import ONTOLOGY_NS

# Reading every comment of the whole graph takes a few seconds on the shared machine.
pytestmark = pytest.mark.slow

DATA_DIR = Path(__file__).resolve().parents[2] / "graph" / "data"
ID = "https://w3id.org/policygraph/id/"
PG = Namespace(ONTOLOGY_NS)

# Predicates whose values are words, not data: they never carry a fact.
_WORDS = {RDFS.label, RDFS.comment, SKOS.note, SKOS.altLabel, SKOS.prefLabel, PG.quote}
# Links that lead to evidence or to the ontology, not to the fact's neighbourhood.
_NOT_A_PATH = {PG.evidence, PG.inDocument, RDF.type, PG.lineStart, PG.lineEnd}
# Kinds of node through which a fact may be carried two links away.
_DATED = {PG.Event, PG.Statistic, PG.Membership, PG.Affiliation}
# Hubs: linked to so much that a path through them would carry any fact.
_HUBS = {PG.Country, PG.Grouping, PG.Topic, PG.Section, PG.Chapter, PG.Document}

_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_MONTH = "|".join(_MONTHS)
_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}}) ({_MONTH}) (\d{{4}})\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH}) (\d{{4}})\b", re.I)
# A figure: not part of a name (G7, COVID-19, IP4), not a line or article reference.
_FIGURE = re.compile(
    r"(?<![\w.\-–])(?<!line )(?<!lines )(?<!Article )(?<!Table )(?<!No\. )"
    r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:[\s-]*(thousand|million|billion|trillion))?(?![\w])",
    re.I,
)


@dataclass(frozen=True)
class CommentFact:
    """One fact read in a comment: the entity, the fact as written, and what carries it."""

    entity: URIRef
    kind: str  # "date", "figure", "person" or "place"
    text: str
    comment: str
    carrier: str | None


_NO_PLACE_OF_ORGANISATION = (
    "the contract places events and proposals (pg:location), not organisations: the city is "
    "a description of the university"
)
_NO_PLACE_OF_FRAMEWORK = (
    "the contract has no term for where a framework operates; the North Sea is a pg:Place "
    "with its evidence, and the proposal is modelled on the initiative"
)
_SOURCE_COUNT = "a count of the members the source lists: a query counts the memberships"
_SEE_OTHER_STATISTIC = "the other figure the report gives, held by the statistic the note names"

# (entity slug, fact as written) -> why the comment keeps it and no triple does.
CURATORS_NOTES: dict[tuple[str, str], str] = {
    ("jpn-aoyama-gakuin-university", "Tokyo"): _NO_PLACE_OF_ORGANISATION,
    ("jpn-komazawa-university", "Tokyo"): _NO_PLACE_OF_ORGANISATION,
    ("jpn-university-of-tokyo", "Tokyo"): _NO_PLACE_OF_ORGANISATION,
    ("jpn-waseda-university", "Tokyo"): _NO_PLACE_OF_ORGANISATION,
    ("kor-dongseo-university", "Busan"): _NO_PLACE_OF_ORGANISATION,
    ("kor-hankuk-university-of-foreign-studies", "Seoul"): _NO_PLACE_OF_ORGANISATION,
    ("kor-seoul-national-university", "Seoul"): _NO_PLACE_OF_ORGANISATION,
    ("kor-sogang-university", "Seoul"): _NO_PLACE_OF_ORGANISATION,
    ("kor-sungkyunkwan-university", "Seoul"): _NO_PLACE_OF_ORGANISATION,
    ("hamas", "Gaza"): "the report does not date the attack from Gaza, so no event can carry it",
    ("isr", "Gaza"): "the report does not date the attack from Gaza, so no event can carry it",
    ("islamic-world", "Gaza"): "why the grouping is named; the report states no dated event",
    ("north-sea-offshore-wind-cooperation", "North Sea"): _NO_PLACE_OF_FRAMEWORK,
    ("proposal-joint-offshore-wind-platform", "North Sea"): _NO_PLACE_OF_FRAMEWORK,
    ("source-apec-members", "21"): _SOURCE_COUNT,
    ("source-nato-members", "32"): _SOURCE_COUNT,
    ("source-oecd-dac", "31"): _SOURCE_COUNT,
    ("source-oecd-dac", "32"): _SOURCE_COUNT,
    ("source-oecd-members", "38"): _SOURCE_COUNT,
    ("stat-prk-troops-in-russia", "10,000"): _SEE_OTHER_STATISTIC,
    ("stat-prk-troops-sent-to-ukraine-front", "12,000"): _SEE_OTHER_STATISTIC,
    ("stat-prk-troops-in-russia", "October 2024"): (
        "the deployment's month is carried by event-prk-troops-to-russia-2024, not by the count"
    ),
    ("stat-usa-oda-2024", "10 trillion"): (
        "the report's yen conversion of the dollar figure the statistic holds"
    ),
    ("stat-kor-investment-in-jpn-since-2018", "2018"): (
        "a period, not a year: pg:year holds one year, and the contract has no start of a period"
    ),
    ("stat-jkvg-meetings", "Tokyo"): "the four meeting events (events.ttl) carry their places",
    ("stat-jkvg-meetings", "Seoul"): "the four meeting events (events.ttl) carry their places",
    ("proposal-support-us-force-posture", "1,500"): (
        "held by stat-chn-nuclear-warheads-mid-2030s; no term links a proposal to a figure it cites"
    ),
    ("proposal-support-us-force-posture", "2035"): (
        "held by stat-chn-nuclear-warheads-mid-2030s; no term links a proposal to a figure it cites"
    ),
    ("proposal-policy-support-for-bilateral-trade", "2011"): (
        "held by stat-bilateral-trade-peak-2011-2012; no term links a proposal to a figure it cites"
    ),
    ("proposal-offshore-wind-mutual-support", "50"): "how the report characterises the business",
    ("proposal-busan-fukuoka-economic-zone", "Seoul"): (
        "where exchange is concentrated now, the problem the proposal answers, not its place"
    ),
    ("proposal-busan-fukuoka-economic-zone", "Tokyo"): (
        "where exchange is concentrated now, the problem the proposal answers, not its place"
    ),
    ("tokyo", "Seoul"): "a description of Tokyo's role, stated again as facts on the proposal",
    ("pagoda-park", "1"): "the day of the year (1 March) of a proposed act; proposals are undated",
    ("kaifu-toshiki", "Seoul"): (
        "Pagoda Park, the place of his visit (event-kaifu-pagoda-park-visit-1991), is in Seoul"
    ),
    ("kor-new-southern-policy", "Moon Jae-in"): (
        "names the government; the report dates neither the policy's launch nor its end"
    ),
    ("kor-asean-solidarity-initiative", "Yoon Suk Yeol"): (
        "names the government; the report dates neither the initiative's launch nor its end"
    ),
    ("mencius", "2,000"): "an approximate age of the philosopher's teaching, not a date",
    ("fra-cepii", "May 2022"): "the date of a forecast the report cites, not an event",
    ("condoleezza-rice", "November 2023"): "the date of an interview the report cites",
    ("event-g20-founding-1999", "2008"): "a later step; the graph dates the G20's founding only",
    ("event-japanese-culture-opening-2004", "2006"): (
        "a later step announced with the 2004 opening; not an event of its own"
    ),
    ("ip4", "2022"): "attendance at NATO summits since 2022; the report names no dated summit",
    ("jpn-chn-kor-fta", "2024"): (
        "the 2024 summit (event-jpn-chn-kor-summit-2024) aims for the FTA but does not found it"
    ),
    ("proposal-jpn-kor-fta-and-cptpp-accession", "80"): (
        "held by stat-rcep-jpn-kor-liberalisation-rate; RCEP is the reason given, not a concern"
    ),
    ("proposal-korea-quad-participation", "2022"): (
        "dated by event-kor-indo-pacific-strategy-2022; the strategy is context, not a concern"
    ),
    ("stat-jpn-gdp-rank-forecast-cepii", "May 2022"): "the date of the forecast the rank is from",
    ("stat-jpn-gdp-rank-forecast-imf", "April 2023"): "the date of the forecast the rank is from",
    ("stat-people-exchange-growth-1965-2024", "1965"): (
        "the base year of a growth factor; pg:year holds the year it was reached"
    ),
    **{
        (f"stat-kor-imports-{partner}-dependence-90pct-{what}", "90"): (
            "the threshold (over 90 % dependence) that defines the items counted, not a figure"
        )
        for partner in ("chn", "jpn")
        for what in ("items", "item-share", "value-share")
    },
    ("jpn-usa-kor-trilateral", "Camp David"): (
        "the statement that gave the cooperation its framework is id:camp-david-2023"
    ),
}


@cache
def data_graph() -> Graph:
    """The curated and background Turtle, parsed once."""
    graph = Graph()
    for path in sorted(DATA_DIR.glob("*.ttl")) + sorted((DATA_DIR / "background").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _slug(node: Node) -> str:
    text = str(node)
    return text[len(ID) :] if text.startswith(ID) else text


_NEIGHBOURS: dict[tuple[int, Node], frozenset[Node]] = {}


def _neighbours(graph: Graph, node: Node) -> frozenset[Node]:
    """Nodes one link from ``node``, either way, leaving out evidence and typing (cached)."""
    key = (id(graph), node)
    if key not in _NEIGHBOURS:
        _NEIGHBOURS[key] = frozenset(_find_neighbours(graph, node))
    return _NEIGHBOURS[key]


def _is_path(graph: Graph, node: Node) -> bool:
    """Whether a fact may be carried through ``node``: an entity or n-ary node, not a hub."""
    if isinstance(node, Literal) or (isinstance(node, URIRef) and not str(node).startswith(ID)):
        return False
    return not any((node, RDF.type, kind) in graph for kind in _HUBS)


def _find_neighbours(graph: Graph, node: Node) -> set[Node]:
    found: set[Node] = set()
    for predicate, value in graph.predicate_objects(node):
        if predicate not in _WORDS and predicate not in _NOT_A_PATH:
            found.add(value)
    cited = (node, RDF.type, PG.Document) in graph
    for subject, predicate in graph.subject_predicates(node):
        # a source document carries what the entities citing it say
        if predicate not in _NOT_A_PATH or (cited and predicate == PG.evidence):
            found.add(subject)
    return found


def _is_dated(graph: Graph, node: Node) -> bool:
    return any((node, RDF.type, kind) in graph for kind in _DATED)


def _data_literals(graph: Graph, entity: URIRef) -> list[tuple[Node, Node, Literal]]:
    """Triples near ``entity`` whose object is a data literal (not words)."""
    near = {entity} | _neighbours(graph, entity)
    second = {
        far
        for node in near
        if _is_path(graph, node)
        for far in _neighbours(graph, node)
        if _is_dated(graph, far)
    }
    triples = []
    for node in near | second:
        if isinstance(node, Literal):
            continue
        for predicate, value in graph.predicate_objects(node):
            if isinstance(value, Literal) and predicate not in _WORDS:
                triples.append((node, predicate, value))
    return triples


def _linked(graph: Graph, entity: URIRef) -> dict[Node, str]:
    """Entities linked to ``entity`` directly or through one node, with the path."""
    linked: dict[Node, str] = {}
    for node in _neighbours(graph, entity):
        linked.setdefault(node, f"{_slug(entity)} — {_slug(node)}")
        if not _is_path(graph, node):
            continue
        for far in _neighbours(graph, node):
            linked.setdefault(far, f"{_slug(entity)} — {_slug(node)} — {_slug(far)}")
    return linked


def _numbers(value: str) -> set[float]:
    try:
        return {float(value)}
    except ValueError:
        return set()


def _show(graph: Graph, subject: Node, predicate: Node, value: Literal) -> str:
    """A triple as a curator reads it: ``slug pg:date "2004-11"^^xsd:gYearMonth``."""
    return f"{_slug(subject)} {predicate.n3(graph.namespace_manager)} {value.n3(graph.namespace_manager)}"


def _carrier_of_figure(
    graph: Graph, figure: str, scale: str | None, triples: list[tuple[Node, Node, Literal]]
) -> str | None:
    number = float(figure.replace(",", ""))
    wanted = {number} | ({number * _SCALE[scale.lower()]} if scale else set())
    year = figure if re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", figure) else None
    for subject, predicate, value in triples:
        text = str(value)
        # a number equals a number; a year begins a date ("2004-11"), no other digits count
        if _numbers(text) & wanted or (year and text.startswith(year)):
            return _show(graph, subject, predicate, value)
    return None


def _carrier_of_date(
    graph: Graph, date: str, triples: list[tuple[Node, Node, Literal]]
) -> str | None:
    for subject, predicate, value in triples:
        if str(value).startswith(date):
            return _show(graph, subject, predicate, value)
    return None


def _names(graph: Graph, kind: URIRef) -> dict[str, URIRef]:
    """English names (labels and alternative names) of every entity of ``kind``."""
    names: dict[str, URIRef] = {}
    for entity in graph.subjects(RDF.type, kind):
        if not isinstance(entity, URIRef):
            continue
        for predicate in (RDFS.label, SKOS.altLabel):
            for name in graph.objects(entity, predicate):
                if isinstance(name, Literal) and name.language == "en" and len(str(name)) > 3:
                    names[str(name)] = entity
    return names


def _texts(graph: Graph) -> Iterator[tuple[URIRef, Literal]]:
    """Comments and notes of entities, and the English labels of events and statistics (a
    label names a thing; only these labels also state what happened or what a figure is)."""
    for predicate in (RDFS.comment, SKOS.note, RDFS.label):
        for entity, text in graph.subject_objects(predicate):
            if not (isinstance(entity, URIRef) and str(entity).startswith(ID)):
                continue
            if not isinstance(text, Literal):
                continue
            if predicate == RDFS.label and not (text.language == "en" and _is_dated(graph, entity)):
                continue
            yield entity, text


def comment_facts(graph: Graph) -> Iterator[CommentFact]:
    """Every fact read in a comment or note of an entity, with the triple that carries it."""
    people = _names(graph, PG.Person)
    places = _names(graph, PG.Place)
    for entity, comment in _texts(graph):
        text = str(comment)
        triples = _data_literals(graph, entity)
        rest = text
        for match in _DAY_MONTH_YEAR.finditer(text):
            day, month, year = match.groups()
            date = f"{year}-{_MONTHS[month.lower()]:02d}-{int(day):02d}"
            yield CommentFact(
                entity, "date", match.group(0), text, _carrier_of_date(graph, date, triples)
            )
            rest = rest.replace(match.group(0), " ")
        for match in _MONTH_YEAR.finditer(rest):
            month, year = match.groups()
            date = f"{year}-{_MONTHS[month.lower()]:02d}"
            yield CommentFact(
                entity, "date", match.group(0), text, _carrier_of_date(graph, date, triples)
            )
            rest = rest.replace(match.group(0), " ")
        for match in _FIGURE.finditer(rest):
            figure, scale = match.groups()
            yield CommentFact(
                entity,
                "figure",
                match.group(0).strip(),
                text,
                _carrier_of_figure(graph, figure, scale, triples),
            )
        linked = _linked(graph, entity)
        for kind, names in (("person", people), ("place", places)):
            for name, named in names.items():
                if named == entity or not re.search(rf"\b{re.escape(name)}\b", text):
                    continue
                yield CommentFact(entity, kind, name, text, linked.get(named))


def uncarried(facts: list[CommentFact]) -> list[CommentFact]:
    """The comment facts no triple carries and no curator's note explains."""
    return [
        fact
        for fact in facts
        if fact.carrier is None and (_slug(fact.entity), fact.text) not in CURATORS_NOTES
    ]


@pytest.fixture(scope="module")
def facts() -> list[CommentFact]:
    return list(comment_facts(data_graph()))


_TOKYO = """
@prefix pg: <https://w3id.org/policygraph/ontology#> . @prefix id: <https://w3id.org/policygraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:tokyo a pg:Place ; rdfs:label "Tokyo"@en ;
    rdfs:comment "Host of the 14 May 2025 dialogue; 14 million people since 1943; twinned with Busan."@en .
id:busan a pg:Place ; rdfs:label "Busan"@en .
id:dialogue a pg:Event ; pg:date "2025-05-14"^^xsd:date ; pg:location id:tokyo .
"""


def test_a_fact_only_in_a_comment_is_caught() -> None:
    tokyo = list(comment_facts(Graph().parse(data=_TOKYO, format="turtle")))
    carried = {fact.text for fact in tokyo if fact.carrier}
    missing = {fact.text for fact in uncarried(tokyo)}
    # the day of the dialogue is in its date; "14" of 14 million is not (a day is no count)
    assert carried == {"14 May 2025"}
    assert missing == {"14 million", "1943", "Busan"}


def test_comments_are_read(facts: list[CommentFact]) -> None:
    assert {"date", "figure", "person", "place"} <= {fact.kind for fact in facts}
    assert len(facts) > 100


def test_every_comment_fact_is_carried_by_a_triple(facts: list[CommentFact]) -> None:
    missing = uncarried(facts)
    assert not missing, "facts only in a comment (add the triple, or a curator's note):\n" + (
        "\n".join(f"{_slug(f.entity)}: {f.kind} {f.text!r} in {f.comment!r}" for f in missing)
    )


def test_every_curators_note_is_still_needed(facts: list[CommentFact]) -> None:
    found = {(_slug(f.entity), f.text): f for f in facts}
    stale = [key for key in CURATORS_NOTES if key not in found or found[key].carrier]
    assert not stale, f"curators' notes no longer needed: {stale}"


def main() -> None:
    """Print every comment fact and what carries it."""
    for fact in sorted(comment_facts(data_graph()), key=lambda f: (str(f.entity), f.text)):
        note = CURATORS_NOTES.get((_slug(fact.entity), fact.text))
        where = fact.carrier or (f"curator's note: {note}" if note else "NOT CARRIED")
        print(f"{_slug(fact.entity)}\t{fact.kind}\t{fact.text}\t{where}")


if __name__ == "__main__":
    main()
    sys.exit(0)
