"""Competency questions on the shared entities: the summary's overview, the introduction,
lifecycles, member lists and names.

The executive summary's overview (lines 55-164), the introduction (lines 326-579), the member
lists with their outside sources (graph/data/background/) and the names of the Vision Group's
members (lines 4253-4372). Written while reading those lines; each answer is what the text (or,
for a member list, its dated source) gives.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

_PG = "https://w3id.org/policygraph/ontology#"
_CURATED = "<https://w3id.org/policygraph/graph/curated>"

QUESTIONS: list[Competency] = [
    Competency(
        "Which are the numbered overview points of the executive summary, with their numbers?",
        "SELECT ?p ?n { ?p pg:level pg:OverviewPoint ; pg:ordinal ?n }",
        {
            ("proposal-overview-joint-liberal-order-strategy", "1"),
            ("proposal-overview-institutionalise-security-cooperation", "2"),
            ("proposal-overview-multilateralism-and-new-norms", "3"),
            ("proposal-overview-demographic-and-industrial-change", "4"),
            ("proposal-overview-historical-reconciliation", "5"),
        },
        "L67, L87, L103, L120, L136",
    ),
    Competency(
        "Which overview points print no number (the two opening calls and 最後に)?",
        """SELECT ?p { ?p pg:level pg:OverviewPoint .
                       FILTER NOT EXISTS { ?p pg:ordinal ?n } }""",
        {
            ("proposal-overview-global-south-solidarity",),
            ("proposal-overview-long-term-cooperation-platform",),
            ("proposal-overview-people-and-exchanges",),
        },
        "L52-54, L59-63, L152-164",
    ),
    Competency(
        "Through which frameworks does the first overview point want Japan and Korea to act?",
        """SELECT ?f { ?p pg:level pg:OverviewPoint ; pg:ordinal 1 ; pg:actsThrough ?f }""",
        {("ipef",), ("quad-plus",), ("aukus-pillar-2",), ("cptpp",), ("ip4",)},
        "L73-81",
    ),
    Competency(
        "Which frameworks does the third overview point want strengthened?",
        """SELECT ?f { ?p pg:level pg:OverviewPoint ; pg:ordinal 3 ;
                          pg:proposesStrengthening ?f }""",
        {("foip",), ("jpn-chn-kor-trilateral",), ("jpn-chn-kor-plus-x",)},
        "L111-114",
    ),
    Competency(
        "Which overview points call on Japan and Korea and still name the United States?",
        """SELECT ?p { ?p pg:level pg:OverviewPoint ; pg:callsOn id:jpn , id:kor ;
                          pg:involves id:usa }""",
        {
            ("proposal-overview-institutionalise-security-cooperation",),
            ("proposal-overview-multilateralism-and-new-norms",),
        },
        "L87-99, L103-116",
    ),
    Competency(
        "Which places does the fourth overview point concern, and in which countries are they?",
        """SELECT ?place ?c { ?p pg:level pg:OverviewPoint ; pg:ordinal 4 ;
                                pg:location ?place . ?place pg:country ?c }""",
        {("busan", "kor"), ("fukuoka", "jpn")},
        "L122",
    ),
    Competency(
        "Which overview point takes a European programme as its model?",
        """SELECT ?p ?model { ?p pg:level pg:OverviewPoint ; pg:modelledOn ?model }""",
        {("proposal-overview-people-and-exchanges", "erasmus")},
        "L152-154",
    ),
    Competency(
        "When and where did the Vision Group hold its four meetings?",
        """SELECT ?date ?place { ?e a pg:Event ; pg:participant id:jk-vision-group ;
                                   pg:date ?date ; pg:location ?place .
                                 FILTER (STRSTARTS(STR(?e), STR(id:event-jkvg-meeting-))) }""",
        {("2024-03", "tokyo"), ("2024-07", "seoul"), ("2024-12", "tokyo"), ("2025-03", "seoul")},
        "L524-526",
    ),
    Competency(
        "On what day were Japan–Korea diplomatic relations normalised, and what kind of event was it?",
        """SELECT ?date ?type { id:event-normalisation-1965 pg:date ?date ;
                                  pg:eventType ?type }""",
        {("1965-06-22", _PG + "Agreement")},
        "L331-333",
    ),
    Competency(
        "Which institutions founded the Vision Group, and in what year?",
        """SELECT ?org ?date { ?e pg:eventType pg:Founding ; pg:participant ?org , id:jk-vision-group ;
                                 pg:date ?date . ?org a pg:Organization .
                               FILTER (?org != id:jk-vision-group) }""",
        {
            ("jpn-nakasone-peace-institute", "2024"),
            ("kor-near-foundation", "2024"),
            ("kor-korea-foundation", "2024"),
        },
        "L518-524",
    ),
    Competency(
        "In what month was the G7, which Japan co-founded, founded?",
        "SELECT ?d { id:g7 pg:foundedOn ?d }",
        {("1975-11",)},
        "L361-363 (mid-1970s); the date from id:source-gac-g7",
    ),
    Competency(
        "Is the G7's member list complete, as of when, and from which source?",
        """SELECT ?list ?asOf ?src { id:g7 pg:memberList ?list ; pg:asOf ?asOf ;
                                        pg:evidence ?src . ?src a pg:Document }""",
        {(_PG + "Complete", "2025-01-01", "source-gac-g7")},
        "L14; id:source-gac-g7",
    ),
    Competency(
        "Which of the frameworks of the first overview point have a complete member list?",
        """SELECT ?f { ?p pg:level pg:OverviewPoint ; pg:ordinal 1 ; pg:concerns ?f .
                       ?f pg:memberList pg:Complete }""",
        {("ipef",), ("aukus-pillar-2",), ("cptpp",), ("ip4",)},
        "L73-81",
    ),
    Competency(
        "How many members do the East Asia Summit and the ASEAN Regional Forum have?",
        """SELECT ?f (COUNT(DISTINCT ?a) AS ?n) {
              VALUES ?f { id:eas id:arf }
              ?m pg:framework ?f ; pg:member ?a .
              FILTER NOT EXISTS { ?m pg:role pg:Partner } }
            GROUP BY ?f""",
        {("eas", "18"), ("arf", "27")},
        "L1632-1634; id:source-dfat-eas, id:source-arf-participants",
    ),
    Competency(
        "Which frameworks with a complete member list include Japan but not Korea?",
        """SELECT ?f { ?f pg:memberList pg:Complete . id:jpn pg:memberOf ?f .
                       FILTER NOT EXISTS { id:kor pg:memberOf ?f } }""",
        {("cptpp",), ("quad",), ("g7",), ("jpn-usa-alliance",)},
        "L14, L79-81, L685-687, L1363; background lists",
    ),
    Competency(
        "Is the member list of the UN, where the report says Japan and Korea act, complete?",
        "SELECT ?list { id:un pg:memberList ?list }",
        {(_PG + "Partial",)},
        "L1480",
    ),
    Competency(
        "Which members of the G20 does the report itself name as including China and Russia?",
        f"""SELECT ?a {{ GRAPH {_CURATED} {{ ?m pg:framework id:g20 ; pg:member ?a ;
                                              pg:evidence ?e . ?e pg:lineStart 878 }} }}""",
        {("chn",), ("rus",)},
        "L878",
    ),
    Competency(
        "Under which romanisations can the Korean co-chair Shin Kak-soo be found?",
        """SELECT ?name { id:shin-kak-soo skos:altLabel ?name FILTER (lang(?name) = "en") }""",
        {("Sin Gak-su",), ("Sin Kak-su",)},
        "L579, L4295",
    ),
    Competency(
        "Who is the Vision Group member written Yi Suk-chong in McCune–Reischauer?",
        """SELECT ?p { ?p a pg:Person ; skos:altLabel "Yi Suk-chong"@en }""",
        {("lee-sook-jong",)},
        "L4345",
    ),
    Competency(
        "Who is Shinichi Kitaoka (given name first), and how is his name written family name first?",
        """SELECT ?p ?label { ?p skos:altLabel "Shinichi Kitaoka"@en ;
                                 rdfs:label ?label FILTER (lang(?label) = "en") }""",
        {("kitaoka-shinichi", "Kitaoka Shinichi")},
        "L577, L4259",
    ),
    Competency(
        "Where on the region's strategic fault line does the introduction say tension is rising?",
        """SELECT ?place { ?place a pg:Place ; pg:evidence ?e .
                           ?e pg:lineStart 451 ; pg:lineEnd 453 }""",
        {("taiwan-strait",), ("south-china-sea",), ("east-china-sea",), ("korean-peninsula",)},
        "L451-453",
    ),
    Competency(
        "Which groupings does the report define by naming all their members?",
        "SELECT ?g { ?g a pg:Grouping ; pg:memberList pg:Complete }",
        {("asian-tigers",), ("axis-of-disruption",)},
        "L634-636, L909",
    ),
    Competency(
        "How many member states does the European Union have, as of when?",
        """SELECT (COUNT(DISTINCT ?c) AS ?n) ?asOf { ?c pg:memberOf id:eu ; a pg:Country .
                                                 id:eu pg:asOf ?asOf } GROUP BY ?asOf""",
        {("27", "2025-01-01")},
        "L3653; id:source-eu-countries",
    ),
    Competency(
        "Is Japan or Korea still counted a current member of a suspended or ended framework?",
        """ASK { VALUES ?a { id:jpn id:kor } ?a pg:memberOf ?f .
                 VALUES ?st { pg:Suspended pg:Ended } ?f pg:status ?st }""",
        {("false",)},
        "L1176-1178, L2783-2785",
    ),
    Competency(
        "Which frameworks Australia belongs to do the overview's first point and other Japan–Korea "
        "proposals concern?",
        """SELECT DISTINCT ?f { ?p a pg:Proposal ; pg:involves id:jpn , id:kor ; pg:concerns ?f .
                                id:aus pg:memberOf ?f }""",
        {("ipef",), ("cptpp",), ("aukus-pillar-2",), ("ip4",), ("quad",), ("g20",)},
        "L73-81, L105; background member lists",
        exact=False,
    ),
    Competency(
        "RCEP, which the report says Japan and Korea joined in December 2020: when was it signed "
        "and when did it come into force?",
        "SELECT ?signed ?inForce { id:rcep pg:signedOn ?signed ; pg:inForceFrom ?inForce }",
        {("2020-11-15", "2022-01-01")},
        "L2618-2620; id:source-dfat-rcep",
    ),
]
