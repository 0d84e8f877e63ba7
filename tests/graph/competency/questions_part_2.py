"""Competency questions for part 2 of the report (２．インド太平洋秩序構築と日韓の戦略的連携).

Summary bullets 11-21 (lines 207-242) and the two chapters: global governance and the
Indo-Pacific (section 2-1, lines 1420-1731) and aid and the energy transition (section 2-2,
lines 1732-1998). Written while reading those lines; each answer is what the text gives.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

#: ?p is a proposal of part 2's chapters or summary bullets (the executive summary's overview
#: points, one of which sits in section 2-1, are left out).
_PART_2 = (
    "VALUES ?section { id:jkvg2025-section-2-1 id:jkvg2025-section-2-2 } "
    "?p pg:inSection ?section . FILTER NOT EXISTS { ?p pg:level pg:OverviewPoint }"
)

QUESTIONS: list[Competency] = [
    # --- structure: levels, printed numbers, sub-proposals -------------------------------
    Competency(
        "How many summary bullets does part 2 have, and where do they stand in the list?",
        f"""SELECT (COUNT(?p) AS ?n) (MIN(?o) AS ?first) (MAX(?o) AS ?last) {{
              {_PART_2}
              ?p pg:level pg:SummaryProposal ; pg:summaryOrder ?o }}""",
        {("11", "11", "21")},
        "L207-242",
    ),
    Competency(
        "What are recommendations (1) to (6) of section 2-1's 提言?",
        f"""SELECT ?o ?p {{ {_PART_2}
              FILTER (?section = id:jkvg2025-section-2-1)
              ?p pg:ordinal ?o }}""",
        {
            ("1", "proposal-multilateralism-restoration-partnership"),
            ("2", "proposal-indo-pacific-minilateral-participation"),
            ("3", "proposal-global-south-cooperation"),
            ("4", "proposal-jpn-kor-asean-digital-cooperation"),
            ("5", "proposal-trilateral-parliamentary-civil-society-cooperation"),
            ("6", "proposal-jpn-chn-kor-functional-cooperation"),
        },
        "L1680-1731",
    ),
    Competency(
        "Which recommendations of section 2-2 are printed as (1)? (the aid list and the energy list)",
        f"""SELECT ?p {{ {_PART_2}
              FILTER (?section = id:jkvg2025-section-2-2)
              ?p pg:ordinal 1 }}""",
        {
            ("proposal-southeast-asian-aid-agency-capacity",),
            ("proposal-offshore-wind-cooperation",),
        },
        "L1866, L1949",
    ),
    Competency(
        "Which points does the report make inside recommendation (1) of section 2-1, the restoration of multilateralism?",
        """SELECT ?p { ?parent pg:inSection id:jkvg2025-section-2-1 ; pg:ordinal 1 .
                     ?p pg:subProposalOf ?parent ; pg:level pg:SubProposal }""",
        {
            ("proposal-unsc-reform-debate-participation",),
            ("proposal-un-general-assembly-joint-initiative",),
            ("proposal-un-programmes-joint-participation",),
            ("proposal-core-values-in-international-organisations",),
            ("proposal-japan-support-korea-g7-accession",),
        },
        "L1486-1502",
    ),
    Competency(
        "Which recommendation is the Central Asia engagement strategy part of?",
        """SELECT ?parent ?o { id:proposal-central-asia-joint-engagement-strategy
                                 pg:subProposalOf ?parent .
                             ?parent pg:ordinal ?o }""",
        {("proposal-jpn-kor-asean-digital-cooperation", "4")},
        "L1702-1710",
    ),
    Competency(
        "Which recommendations of part 2's chapters have no summary bullet and no printed number?",
        f"""SELECT ?p {{ {_PART_2} ?p pg:level pg:ChapterRecommendation }}""",
        {
            ("proposal-institutionalised-cooperation-in-multilateral-frameworks",),
            ("proposal-ease-us-chn-tension",),
            ("proposal-urge-china-restraint",),
            ("proposal-complement-humanitarian-funding",),
            ("proposal-multipolar-aid-partnerships",),
            ("proposal-asian-style-joint-aid-model",),
        },
        "L1459-1467, L1595-1598, L1646-1652, L1815-1819, L1835-1841, L1858-1862",
    ),
    # --- what the proposals ask -----------------------------------------------------------
    Competency(
        "Which frameworks would part 2's proposals create, and which of them would include Korea?",
        f"""SELECT DISTINCT ?f {{ {_PART_2}
              ?p pg:proposesCreating ?f . ?f pg:status pg:Proposed .
              ?m a pg:Membership ; pg:member id:kor ; pg:framework ?f ; pg:status pg:Proposed }}""",
        {
            ("jpn-kor-asean-digital-cooperation-initiative",),
            ("jpn-kor-offshore-wind-platform",),
            ("jpn-kor-power-interconnection",),
        },
        "L221, L1702-1708, L1968-1976",
    ),
    Competency(
        "Which existing frameworks does part 2 want Korea to join?",
        f"""SELECT DISTINCT ?f {{ {_PART_2}
              ?p pg:proposesJoining ?f ; pg:callsOn id:kor .
              ?m a pg:Membership ; pg:member id:kor ; pg:framework ?f ; pg:status pg:Proposed }}""",
        {("g7",), ("quad-plus",)},
        "L1498-1502, L1686-1690",
    ),
    Competency(
        "Is Korea a current member of the G7 in the graph? (the report says it only wishes to join)",
        "ASK { id:kor pg:memberOf id:g7 }",
        {("false",)},
        "L1498-1502",
    ),
    Competency(
        "Which existing frameworks does part 2 ask Japan and Korea to strengthen or use more?",
        f"""SELECT DISTINCT ?f {{ {_PART_2} ?p pg:proposesStrengthening ?f }}""",
        {
            ("un",),
            ("unsc",),
            ("ipef",),
            ("jpn-usa-kor-trilateral",),
            ("jpn-chn-kor-trilateral",),
            ("jpn-chn-kor-plus-x",),
        },
        "L1486-1490, L1686-1690, L1712-1731, L1636-1638",
    ),
    Competency(
        "Which precedents do part 2's proposals take as their model?",
        f"""SELECT ?p ?f {{ {_PART_2} ?p pg:modelledOn ?f }}""",
        {
            ("proposal-asian-style-joint-aid-model", "ceapad"),
            ("proposal-joint-offshore-wind-platform", "north-sea-offshore-wind-cooperation"),
        },
        "L1846-1862, L1968-1972",
    ),
    Competency(
        "Through which bodies should Japan and Korea defend democracy, the rule of law and the market economy?",
        """SELECT ?b { id:proposal-core-values-in-international-organisations pg:actsThrough ?b }""",
        {("g20",), ("wto",), ("who",), ("oecd",)},
        "L1494-1498",
    ),
    Competency(
        "Through which regional frameworks could Japan–China–Korea cooperation reach other Indo-Pacific states?",
        f"""SELECT DISTINCT ?f {{ {_PART_2}
              ?p pg:actsThrough ?f ; pg:proposesStrengthening id:jpn-chn-kor-plus-x }}""",
        {("asean-plus-3",), ("eas",), ("arf",)},
        "L1628-1638",
    ),
    Competency(
        "Who is called on to widen Japan–US–Korea cooperation to parliaments and civil society?",
        """SELECT ?a { id:proposal-trilateral-parliamentary-civil-society-cooperation pg:callsOn ?a }""",
        {("jpn",), ("kor",), ("usa",)},
        "L223, L1719-1721",
    ),
    Competency(
        "Which part 2 proposals call on Japan and Korea and concern a framework Australia belongs to?",
        f"""SELECT DISTINCT ?p {{ {_PART_2}
              ?p pg:callsOn id:jpn , id:kor ; pg:concerns ?f . id:aus pg:memberOf ?f }}""",
        {
            ("proposal-indo-pacific-minilateral-participation",),  # IPEF
            ("proposal-core-values-in-international-organisations",),  # G20, WTO
            ("proposal-jpn-chn-kor-plus-x-minilateral-expansion",),  # EAS, ARF
            ("proposal-non-dac-donor-partnerships",),  # OECD DAC
            ("proposal-multipolar-aid-partnerships",),  # OECD DAC
        },
        "L1686-1690, L1494-1498, L1636-1638, L1880-1892, L1835-1837",
        exact=False,
    ),
    # --- lifecycles and events ------------------------------------------------------------
    Competency(
        "Since when has Japan run its South-South and triangular cooperation programme?",
        "SELECT ?d { id:jpn-south-south-triangular-cooperation pg:foundedOn ?d }",
        {("1975",)},
        "L1843-1845",
    ),
    Competency(
        "When did Korea launch its Indo-Pacific Strategy?",
        "SELECT ?d { id:kor-indo-pacific-strategy pg:foundedOn ?d }",
        {("2022-12",)},
        "L1555",
    ),
    Competency(
        "Where and when did the Japan–China–Korea summit that adopted the 2024 joint declaration meet?",
        """SELECT ?place ?d { ?e pg:eventType pg:Summit ;
                                pg:concerns id:jpn-chn-kor-summit-declaration-2024 ;
                                pg:location ?place ; pg:date ?d }""",
        {("seoul", "2024-05")},
        "L1612-1614",
    ),
    Competency(
        "Which events does the report place in Seoul?",
        "SELECT ?e { ?e a pg:Event ; pg:location id:seoul }",
        {("event-jpn-chn-kor-summit-2024",)},
        "L1612",
        exact=False,
    ),
    Competency(
        "On what date did USAID end as an agency of its own?",
        """SELECT ?d { ?e pg:eventType pg:Termination ; pg:participant id:usa-usaid ; pg:date ?d }""",
        {("2025-07-01",)},
        "L1758-1760",
    ),
    Competency(
        "Which proposed frameworks of part 2 have the status Proposed?",
        f"""SELECT DISTINCT ?f {{ {_PART_2} ?p pg:concerns ?f . ?f pg:status pg:Proposed }}""",
        {
            ("jpn-kor-asean-digital-cooperation-initiative",),
            ("jpn-kor-offshore-wind-platform",),
            ("jpn-kor-power-interconnection",),
        },
        "L221, L1704, L1968-1974",
    ),
    # --- places and people ----------------------------------------------------------------
    Competency(
        "Which part 2 proposal is about the Taiwan Strait, and which countries border the strait?",
        f"""SELECT ?p ?c {{ {_PART_2} ?p pg:location id:taiwan-strait .
                           id:taiwan-strait pg:country ?c }}""",
        {("proposal-urge-china-restraint", "chn"), ("proposal-urge-china-restraint", "twn")},
        "L1648-1652",
    ),
    Competency(
        "Which sea areas does the report name for Japan–Korea offshore wind, and in which country?",
        """SELECT ?place ?c { id:proposal-offshore-wind-cooperation pg:location ?place .
                             ?place a pg:Place ; pg:country ?c }""",
        {("northern-kyushu-waters", "jpn"), ("southern-korea-waters", "kor")},
        "L1957-1958",
    ),
    Competency(
        "Who is the Korean president 尹錫悅 found as 'Yun Seok-yeol' or 'Yun Sŏk-yŏl'?",
        """SELECT DISTINCT ?p { VALUES ?name { "Yun Seok-yeol"@en "Yun Sŏk-yŏl"@en }
                               ?p a pg:Person ; skos:altLabel ?name }""",
        {("yoon-suk-yeol",)},
        "L1520, L1553",
    ),
    # --- groupings and member lists ---------------------------------------------------------
    Competency(
        "Which countries does the report name as the other Indo-Pacific minilateral partners, and is the list complete?",
        """SELECT ?c ?list { ?m pg:member ?c ; pg:framework id:indo-pacific-minilateral-partners .
                           id:indo-pacific-minilateral-partners pg:memberList ?list }""",
        {
            ("ind", "https://w3id.org/policygraph/ontology#Partial"),
            ("aus", "https://w3id.org/policygraph/ontology#Partial"),
            ("nzl", "https://w3id.org/policygraph/ontology#Partial"),
            ("idn", "https://w3id.org/policygraph/ontology#Partial"),
        },
        "L1656-1658",
    ),
    Competency(
        "Which emerging donors outside the OECD DAC does part 2 name?",
        "SELECT ?a { ?a pg:memberOf id:emerging-donors }",
        {("chn",), ("tur",), ("middle-east",)},
        "L1795-1797, L1884",
    ),
    Competency(
        "Which member of Central Asia does the report name, and is that the whole list?",
        """SELECT ?c ?list { ?c pg:memberOf id:central-asia . id:central-asia pg:memberList ?list }""",
        {("afg", "https://w3id.org/policygraph/ontology#Partial")},
        "L1538-1539",
    ),
    Competency(
        "In which frameworks does part 2 say China works together with Japan and Korea?",
        """SELECT ?f { id:chn pg:memberOf ?f . id:jpn pg:memberOf ?f . id:kor pg:memberOf ?f }""",
        {("asean-plus-3",), ("eas",), ("arf",), ("jpn-chn-kor-trilateral",)},
        "L1610-1616, L1630-1634",
        exact=False,
    ),
    Competency(
        "Which Korean policies toward ASEAN and the Indo-Pacific does part 2 name as Korea's own?",
        """SELECT ?f { ?m pg:member id:kor ; pg:framework ?f ; pg:role pg:Founder .
                     ?f a pg:Initiative }""",
        {
            ("kor-new-southern-policy",),
            ("kor-asean-solidarity-initiative",),
            ("kor-indo-pacific-strategy",),
        },
        "L1518-1522, L1555",
        exact=False,
    ),
    Competency(
        "With whom does Korea support the Mekong countries, and in what role?",
        """SELECT ?a ?role { ?m pg:framework id:kor-unossc-mekong-cooperation ; pg:member ?a .
                           OPTIONAL { ?m pg:role ?role } }""",
        {("kor", ""), ("unossc", "https://w3id.org/policygraph/ontology#Partner")},
        "L1850-1854",
    ),
]
