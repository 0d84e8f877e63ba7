"""Competency questions on what the December 2026 vocabulary lets an analyst ask across the
report: lifecycles in data (not in labels), current membership that respects suspensions and
proposals, what proposals ask of whom, and old questions on pg:concerns / pg:involves still
answered through the materialised sub-properties.

Written while reading lines 12-16, 195-201, 1359-1364, 2567-2577, 2612-2646 and 2779-2786.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

QUESTIONS: list[Competency] = [
    Competency(
        "When was the IPEF supply-chain agreement signed, and when did it enter into force?",
        """SELECT ?signed ?inForce { id:ipef-supply-chain-agreement pg:signedOn ?signed ;
                                                            pg:inForceFrom ?inForce }""",
        {("2023-11", "2024-04")},
        "L2571-2573",
    ),
    Competency(
        "Since when have the Japan–Korea science and technology cooperation committee and the "
        "Japan–China–Korea science and technology ministers' meeting been suspended?",
        """SELECT ?f ?since { VALUES ?f { id:jpn-kor-science-technology-cooperation-committee
                                          id:jpn-chn-kor-science-ministers-meeting }
                              ?f pg:status pg:Suspended ; pg:suspendedOn ?since }""",
        {
            ("jpn-kor-science-technology-cooperation-committee", "2011"),
            ("jpn-chn-kor-science-ministers-meeting", "2019"),
        },
        "L2781-2785",
    ),
    Competency(
        "Is anyone still counted a current member of a suspended, ended or proposed framework?",
        """ASK { ?actor pg:memberOf ?f .
                 ?f pg:status ?s FILTER (?s IN (pg:Suspended, pg:Ended, pg:Proposed)) }""",
        {("false",)},
        "L2781-2785",
    ),
    Competency(
        "Is Korea a current member of the Quad, AUKUS Pillar II or the G7, which the report "
        "proposes it take part in?",
        """ASK { VALUES ?f { id:quad id:aukus-pillar-2 id:g7 } id:kor pg:memberOf ?f }""",
        {("false",)},
        "L199, L1359-1364",
    ),
    Competency(
        "Is Japan a current member of the G7, which it helped found?",
        "ASK { id:jpn pg:memberOf id:g7 }",
        {("true",)},
        "L14",
    ),
    Competency(
        "Which proposals ask Korea to join an existing framework, and which ones?",
        """SELECT ?p ?f { ?p pg:callsOn id:kor ; pg:proposesJoining ?f .
                          FILTER NOT EXISTS { ?f pg:status pg:Proposed } }""",
        {("proposal-jpn-kor-fta-and-cptpp-accession", "cptpp")},
        "L2614, L2628-2630",
        exact=False,
    ),
    Competency(
        "Which frameworks would the CPTPP/FTA proposal create, and what status do they have?",
        """SELECT ?f ?s { id:proposal-jpn-kor-fta-and-cptpp-accession pg:proposesCreating ?f .
                          ?f pg:status ?s }""",
        {("jpn-kor-fta", "https://w3id.org/policygraph/ontology#Proposed")},
        "L2614-2616",
    ),
    Competency(
        "Does every framework a proposal would create, join or follow still count among the "
        "frameworks it concerns, and every actor it calls on among those it involves?",
        """ASK { { ?p pg:proposesCreating|pg:proposesJoining|pg:proposesStrengthening|pg:modelledOn ?f
                   FILTER NOT EXISTS { ?p pg:concerns ?f }
                   ?f a/rdfs:subClassOf* pg:Framework }
                 UNION { ?p pg:callsOn ?a FILTER NOT EXISTS { ?p pg:involves ?a } } }""",
        {("false",)},
        "L2614, L3661-3667",
    ),
    Competency(
        "Is every framework marked proposed put forward by some proposal that creates or joins it?",
        """ASK { ?f pg:status pg:Proposed ; a pg:Framework .
                 FILTER NOT EXISTS { ?p pg:proposesCreating|pg:proposesJoining ?f } }""",
        {("false",)},
        "L169-357",
    ),
    Competency(
        "Does every printed proposal number sit on a proposal with a level?",
        """ASK { ?p pg:ordinal ?o FILTER NOT EXISTS { ?p pg:level ?level } }""",
        {("false",)},
        "L169-357",
    ),
]
