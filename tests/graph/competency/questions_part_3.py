"""Competency questions for part 3 of the report (３．共同繁栄のための新たな日韓協力).

Summary bullets 22-37 (lines 244-289) and the economy, science and demography chapters
(lines 2032-3145). Written while reading those lines; each answer is what the report says.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

_PART_3 = "VALUES ?s { id:jkvg2025-section-3-1 id:jkvg2025-section-3-2 id:jkvg2025-section-3-3 }"
_PG = "https://w3id.org/policygraph/ontology#"

QUESTIONS: list[Competency] = [
    Competency(
        "Which frameworks does part 3 propose that Korea join, and in which proposals?",
        f"SELECT ?p ?f {{ {_PART_3} ?p pg:inSection ?s ; pg:proposesJoining ?f ; pg:callsOn id:kor }}",
        {
            ("proposal-jpn-kor-fta-and-cptpp-accession", "cptpp"),
            ("proposal-korea-azec-participation", "azec"),
        },
        "L254, L2628-2646, L2703-2707",
    ),
    Competency(
        "Which frameworks that part 3 proposes to create would include Korea?",
        f"""SELECT DISTINCT ?f {{ {_PART_3} ?p pg:inSection ?s ; pg:proposesCreating ?f .
            ?f pg:status pg:Proposed .
            ?m a pg:Membership ; pg:framework ?f ; pg:member id:kor ; pg:status pg:Proposed }}""",
        {
            ("jpn-kor-fta",),
            ("jpn-kor-startup-platform",),
            ("jpn-kor-joint-research-institutes",),
            ("jpn-kor-science-scholarship-fund",),
            ("jpn-kor-science-technology-policy-dialogue",),
            ("jpn-kor-demography-policy-dialogue",),
        },
        "L2628-2630, L2650, L2863, L2875-2877, L2891-2893, L3081-3085",
    ),
    Competency(
        "What is the third recommendation of the demography chapter?",
        """SELECT ?p ?title { ?p pg:inSection id:jkvg2025-section-3-3 ; pg:ordinal 3 ; pg:level pg:SummaryProposal ;
            rdfs:label ?title FILTER(lang(?title) = "ja") }""",
        {("proposal-mutual-labour-complementation", "日韓労働力の相互補完の対策の模索")},
        "L287, L3103-3108",
    ),
    Competency(
        "Which proposals come from the science chapter's recommendation printed third (第三に)?",
        "SELECT ?p { ?p pg:inSection id:jkvg2025-section-3-2 ; pg:ordinal 3 ; pg:level pg:SummaryProposal }",
        {
            ("proposal-expand-sci-tech-cooperation-bodies",),
            ("proposal-regular-sci-tech-policy-dialogue",),
        },
        "L274-276, L2889-2897",
    ),
    Competency(
        "How many numbered recommendations does the economy chapter's 提言 list print?",
        "SELECT (COUNT(?p) AS ?n) { ?p pg:inSection id:jkvg2025-section-3-1 ; pg:level pg:SummaryProposal ; pg:ordinal ?o }",
        {("6",)},
        "L2534-2720",
    ),
    Competency(
        "Which points does the supply-chain recommendation (summary bullet 23) contain?",
        """SELECT ?p { ?p pg:subProposalOf id:proposal-supply-chain-and-critical-minerals-cooperation ;
            pg:level pg:SubProposal }""",
        {
            ("proposal-ipef-follow-on-programmes",),
            ("proposal-msp-joint-mineral-projects",),
            ("proposal-relaunch-joint-mineral-development",),
            ("proposal-critical-mineral-recycling-dialogue",),
        },
        "L2565-2610",
    ),
    Competency(
        "Which summary bullets of part 3 have points stated under them in the chapters?",
        f"""SELECT DISTINCT ?parent ?order {{ {_PART_3} ?p pg:inSection ?s ;
            pg:subProposalOf ?parent . ?parent pg:level pg:SummaryProposal ; pg:summaryOrder ?order }}""",
        {
            ("proposal-jpn-kor-joint-economic-vision", "22"),
            ("proposal-supply-chain-and-critical-minerals-cooperation", "23"),
            ("proposal-jpn-kor-startup-platform", "25"),
            ("proposal-energy-environment-cooperation", "26"),
            ("proposal-agriculture-regional-revitalisation", "27"),
            ("proposal-carbon-neutral-ai-semiconductor-telecom-space", "33"),
        },
        "L2536-2748, L2903-2930",
    ),
    Competency(
        "When was the IPEF Supply Chain Agreement signed, and when did it enter into force?",
        "SELECT ?type ?date { ?e pg:concerns id:ipef-supply-chain-agreement ; pg:eventType ?type ; pg:date ?date }",
        {(f"{_PG}Signing", "2023-11"), (f"{_PG}EntryIntoForce", "2024-04")},
        "L2571-2573",
    ),
    Competency(
        "Which science-cooperation meetings does the report say are suspended, and since when?",
        """SELECT ?f ?date { VALUES ?f { id:jpn-kor-science-technology-cooperation-committee
            id:jpn-chn-kor-science-ministers-meeting } ?f pg:status pg:Suspended .
            ?e pg:concerns ?f ; pg:eventType pg:Suspension ; pg:date ?date }""",
        {
            ("jpn-kor-science-technology-cooperation-committee", "2011"),
            ("jpn-chn-kor-science-ministers-meeting", "2019"),
        },
        "L2781-2785",
    ),
    Competency(
        "When did the Japan–Korea science and technology agreement and its cooperation conference begin?",
        """SELECT ?f ?type ?date { VALUES ?f { id:jpn-kor-science-technology-agreement
            id:jpn-kor-science-technology-cooperation-committee }
            ?e pg:concerns ?f ; pg:eventType ?type ; pg:date ?date
            FILTER(?type IN (pg:Signing, pg:Founding)) }""",
        {
            ("jpn-kor-science-technology-agreement", f"{_PG}Signing", "1985"),
            ("jpn-kor-science-technology-cooperation-committee", f"{_PG}Founding", "1985"),
        },
        "L2781, L2889",
    ),
    Competency(
        "Which hydrogen bodies were set up at the June 2024 Korea–Japan industry ministers' meeting?",
        """SELECT ?f ?date { ?e pg:eventType pg:Founding ; pg:concerns ?f ; pg:date ?date ;
            pg:participant id:kor-motie , id:jpn-meti }""",
        {
            ("jpn-kor-clean-hydrogen-ammonia-working-group", "2024-06"),
            ("jpn-kor-hydrogen-ammonia-platform", "2024-06"),
        },
        "L2810-2816",
    ),
    Competency(
        "When was the Japan–Korea Future Partnership Fund agreed?",
        "SELECT ?date { ?e pg:concerns id:jpn-kor-future-partnership-fund ; pg:eventType pg:Agreement ; pg:date ?date }",
        {("2023",)},
        "L2848-2852",
    ),
    Competency(
        "Through which agencies and finance institutions would Japan and Korea relaunch joint mineral development in third countries?",
        "SELECT ?o { id:proposal-relaunch-joint-mineral-development pg:actsThrough ?o }",
        {
            ("kor-kores",),
            ("jpn-jogmec",),
            ("kor-kexim",),
            ("jpn-jbic",),
            ("kor-ksure",),
            ("jpn-nexi",),
        },
        "L2595-2602",
    ),
    Competency(
        "Which existing frameworks does part 3 propose to strengthen?",
        f"SELECT DISTINCT ?f {{ {_PART_3} ?p pg:inSection ?s ; pg:proposesStrengthening ?f }}",
        {("ipef",), ("jpn-kor-science-technology-cooperation-committee",)},
        "L2579-2583, L2889-2891",
    ),
    Competency(
        "Which part-3 proposals are addressed to Japan alone?",
        f"""SELECT ?p {{ {_PART_3} ?p pg:inSection ?s ; pg:callsOn id:jpn .
            FILTER NOT EXISTS {{ ?p pg:callsOn ?other FILTER(?other != id:jpn) }} }}""",
        {
            ("proposal-jpn-concrete-childcare-cost-relief",),
            ("proposal-jpn-gender-equality-culture",),
        },
        "L2998-3008",
    ),
    Competency(
        "Which proposals would be taken forward through the proposed Japan–Korea policy dialogue on low fertility?",
        "SELECT ?p { ?p pg:actsThrough id:jpn-kor-demography-policy-dialogue }",
        {
            ("proposal-youth-marriage-support-sharing",),
            ("proposal-mutual-labour-complementation",),
            ("proposal-regional-hub-city-concentration",),
        },
        "L3081-3114",
    ),
    Competency(
        "Which places in Japan does the demography chapter name?",
        """SELECT ?place { ?place a pg:Place ; pg:country id:jpn ;
            pg:evidence/pg:lineStart ?l FILTER(?l >= 2943 && ?l <= 3145) }""",
        {("tohoku",), ("tokyo-area",)},
        "L2957-2961",
    ),
    Competency(
        "Where outside Japan and Korea does the report suggest holding start-up exchanges?",
        "SELECT ?place ?country { ?p pg:subProposalOf id:proposal-jpn-kor-startup-platform ; pg:location ?place . ?place pg:country ?country }",
        {("silicon-valley", "usa")},
        "L2673-2675",
    ),
    Competency(
        "When did China join the WTO, according to the report?",
        "SELECT ?date { ?m a pg:Membership ; pg:member id:chn ; pg:framework id:wto ; pg:startDate ?date }",
        {("2001",)},
        "L2503",
        exact=False,
    ),
    Competency(
        "Which bodies does Korea chair from July 2024?",
        """SELECT ?f { ?m a pg:Membership ; pg:member id:kor ; pg:framework ?f ; pg:role pg:Chair ;
            pg:startDate "2024-07"^^xsd:gYearMonth }""",
        {("msp",), ("ipef-crisis-response-network",)},
        "L2573-2577, L2589",
    ),
    Competency(
        "Which foreign political figures does part 3 name?",
        """SELECT DISTINCT ?person { ?person a pg:Person ;
            pg:evidence/pg:lineStart ?l FILTER(?l >= 2032 && ?l <= 3145) }""",
        {("condoleezza-rice",), ("joe-biden",), ("donald-trump",), ("moon-jae-in",)},
        "L2189, L2376, L2577, L2797-2801",
    ),
    Competency(
        "How many recommendations of the part-3 chapters stand without a summary bullet or a parent?",
        f"SELECT (COUNT(?p) AS ?n) {{ {_PART_3} ?p pg:inSection ?s ; pg:level pg:ChapterRecommendation }}",
        {("13",)},
        "L2204-2327, L2521, L2773-2854, L2991-3008",
    ),
]
