"""Competency questions for part 4 of the report (４．健全かつ安定的な日韓関係のための協力).

Summary bullets 38-48 (lines 297-325), the chapters on history reconciliation (lines
3146-3426) and on the next generation (lines 3427-3800), and the annex (lines 3826-4372).
Written while reading those lines; each answer is what the text gives.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

_PG = "https://w3id.org/policygraph/ontology#"

#: ?p is a proposal of part 4's chapters or summary bullets (the overview points of the
#: executive summary, which may also sit in these sections, are left out).
_PART_4 = (
    "VALUES ?section { id:jkvg2025-section-4-1 id:jkvg2025-section-4-2 } "
    "?p pg:inSection ?section . FILTER NOT EXISTS { ?p pg:level pg:OverviewPoint }"
)

QUESTIONS: list[Competency] = [
    Competency(
        "Which summary proposal is 提言3 of section 4-2?",
        """SELECT ?p { ?p pg:inSection id:jkvg2025-section-4-2 ;
                        pg:level pg:SummaryProposal ; pg:ordinal 3 }""",
        {("proposal-youth-internship-job-database",)},
        "L313, L3682",
    ),
    Competency(
        "Which direction is the third (第三に) of the history-reconciliation chapter?",
        """SELECT ?p { ?p pg:inSection id:jkvg2025-section-4-1 ;
                        pg:level pg:ChapterRecommendation ; pg:ordinal 3 }""",
        {("proposal-continue-historical-fact-research",)},
        "L3220",
    ),
    Competency(
        "How many summary proposals does part 4 make, and how are they numbered in each section?",
        f"""SELECT ?section (COUNT(?p) AS ?n) (MIN(?o) AS ?first) (MAX(?o) AS ?last) {{
              {_PART_4}
              ?p pg:level pg:SummaryProposal ; pg:ordinal ?o }}
            GROUP BY ?section""",
        {("jkvg2025-section-4-1", "4", "1", "4"), ("jkvg2025-section-4-2", "7", "1", "7")},
        "L297-325, L3329, L3347, L3380, L3402, L3641-3775",
    ),
    Competency(
        "Which points does 提言6 (widen exchange to all generations) contain?",
        """SELECT ?sub { ?sub pg:subProposalOf id:proposal-all-generation-exchange ;
                          pg:level pg:SubProposal }""",
        {
            ("proposal-family-exchange-programme",),
            ("proposal-school-trip-and-sister-school-support",),
            ("proposal-middle-aged-exchange-platforms",),
            ("proposal-shared-cultural-and-sports-experiences",),
            ("proposal-publicise-third-country-cooperation",),
        },
        "L3755-3771",
    ),
    Competency(
        "What does the fourth direction (第四に) of the reconciliation chapter ask, point by point?",
        """SELECT ?sub ?actor { ?sub pg:subProposalOf id:proposal-long-term-trust-beyond-diplomacy ;
                                 pg:callsOn ?actor }""",
        {
            ("proposal-direct-apology-to-victims", "jpn"),
            ("proposal-civil-society-support-third-party-payment", "jpn"),
            ("proposal-civil-society-support-third-party-payment", "kor"),
        },
        "L3265-3293",
    ),
    Competency(
        "Which new frameworks would part 4's proposals create?",
        f"""SELECT DISTINCT ?f {{ {_PART_4}
              ?p pg:proposesCreating ?f .
              ?f pg:status pg:Proposed }}""",
        {
            ("jpn-kor-joint-history-institutes",),
            ("jpn-kor-history-research-support-framework",),
            ("east-asian-history-memory-study-group",),
            ("jpn-kor-preferential-programme",),
            ("jpn-kor-schengen",),
            ("jpn-kor-erasmus",),
            ("jpn-kor-youth-job-database",),
            ("jpn-kor-youth-action-day",),
            ("jpn-kor-arte",),
            ("jpn-kor-leadership-forum",),
            ("busan-fukuoka-economic-zone",),
        },
        "L3333-3335, L3357-3375, L3651-3657, L3661, L3690-3692, L3700, L3718-3720, L3726-3737, L3783-3785",
    ),
    Competency(
        "Which proposed frameworks of part 4 would include Australia?",
        f"""SELECT DISTINCT ?f {{ {_PART_4}
              ?p pg:proposesCreating ?f .
              ?m a pg:Membership ; pg:member id:aus ; pg:framework ?f ; pg:status pg:Proposed }}""",
        {("jpn-kor-youth-action-day",)},
        "L3706-3708",
    ),
    Competency(
        "Which actors would join the proposed Japan–Korea Youth Action Day?",
        """SELECT ?actor { ?m a pg:Membership ; pg:framework id:jpn-kor-youth-action-day ;
                            pg:member ?actor ; pg:status pg:Proposed }""",
        {("jpn",), ("kor",), ("southeast-asia",), ("aus",)},
        "L3706-3708",
    ),
    Competency(
        "Which existing programmes do the part-4 proposals take as their model?",
        f"""SELECT ?p ?model {{ {_PART_4} ?p pg:modelledOn ?model .
                               ?model a/rdfs:subClassOf* pg:Framework }}""",
        {
            ("proposal-history-teacher-mutual-training", "balkan-history-teacher-training"),
            ("proposal-japan-korea-schengen", "schengen"),
            ("proposal-japan-korea-erasmus", "campus-asia"),
            ("proposal-japan-korea-erasmus", "erasmus"),
            ("proposal-japan-korea-leadership-program", "usjlp"),
        },
        "L3396-3400, L3653-3657, L3661-3667, L3733-3735",
    ),
    Competency(
        "Who is called on to build the Japan–Korea youth internship and job database?",
        """SELECT ?actor { id:proposal-youth-internship-job-database pg:callsOn ?actor }""",
        {("kor-fki",), ("jpn-keidanren",), ("kor-kcci",), ("jpn-jcci",)},
        "L3688-3690",
    ),
    Competency(
        "Through which bodies would the part-4 proposals act?",
        f"""SELECT ?p ?channel {{ {_PART_4} ?p pg:actsThrough ?channel }}""",
        {
            ("proposal-history-teacher-mutual-training", "unu"),
            ("proposal-history-teacher-mutual-training", "global-citizenship-education-centre"),
            (
                "proposal-civil-society-support-third-party-payment",
                "kor-forced-mobilization-victims-foundation",
            ),
            ("proposal-japan-korea-leadership-program", "jpn-japan-korea-parliamentarians-union"),
            ("proposal-japan-korea-leadership-program", "kor-korea-japan-parliamentarians-union"),
        },
        "L3289-3293, L3394-3396, L3739-3741",
    ),
    Competency(
        "Which existing schemes does the immigration proposal want continued or widened?",
        """SELECT ?f { id:proposal-simplified-immigration-procedures pg:proposesStrengthening ?f }""",
        {("jpn-kor-simplified-immigration-2025",), ("jpn-ttp",)},
        "L3649-3651",
    ),
    Competency(
        "When did the Japan–Korea simplified immigration procedure start and end, and is it still in force?",
        """SELECT ?type ?date ?status { ?e pg:concerns id:jpn-kor-simplified-immigration-2025 ;
                                          pg:eventType ?type ; pg:date ?date .
                                      id:jpn-kor-simplified-immigration-2025 pg:status ?status }""",
        {
            (_PG + "EntryIntoForce", "2025-06", _PG + "Ended"),
            (_PG + "Termination", "2025-06", _PG + "Ended"),
        },
        "L3649-3651",
    ),
    Competency(
        "In which year did the Japan–Korea leaders' shuttle diplomacy resume?",
        """SELECT ?date { ?e pg:eventType pg:Resumption ; pg:concerns id:jpn-kor-shuttle-diplomacy ;
                             pg:date ?date }""",
        {("2023",)},
        "L3443-3445",
        exact=False,
    ),
    Competency(
        "Where would the Busan–Fukuoka economic zone lie, and in which countries?",
        """SELECT ?place ?country { id:proposal-busan-fukuoka-economic-zone pg:location ?place .
                                   ?place a pg:Place ; pg:country ?country }""",
        {("busan", "kor"), ("fukuoka", "jpn")},
        "L3783-3785",
    ),
    Competency(
        "What happened, or is proposed, at Pagoda Park?",
        """SELECT ?x { ?x pg:location id:pagoda-park }""",
        {
            ("event-kaifu-pagoda-park-visit-1991",),
            ("proposal-honour-korean-independence-movement",),
        },
        "L3412-3414, L3422",
    ),
    Competency(
        "Where were the two Japan–Korea dialogues with future generations held?",
        """SELECT ?e ?place { VALUES ?e { id:event-future-generations-dialogue-korea-university-2025
                                          id:event-future-generations-dialogue-keio-2025 }
                             ?e pg:location ?place }""",
        {
            ("event-future-generations-dialogue-korea-university-2025", "seoul"),
            ("event-future-generations-dialogue-keio-2025", "tokyo"),
        },
        "L3844",
    ),
    Competency(
        "In which city was the 2024 Nobel Peace Prize ceremony to which Hidankyo invited Korean survivors?",
        """SELECT ?place ?country { id:event-nobel-peace-prize-hidankyo-2024 pg:location ?place .
                                   ?place pg:country ?country }""",
        {("oslo", "nor")},
        "L3275-3279",
    ),
    Competency(
        "Which countries' historians ran the Balkan history-teacher training, and is that list complete?",
        """SELECT ?country ?list { ?m a pg:Membership ; pg:framework id:balkan-history-teacher-training ;
                                      pg:member ?country .
                                  id:balkan-history-teacher-training pg:memberList ?list }""",
        {(c, _PG + "Partial") for c in ("srb", "bih", "hrv", "alb", "grc", "tur")},
        "L3396-3400",
    ),
    Competency(
        "Which proposals of the reconciliation chapter call on Japan but not on Korea?",
        """SELECT ?p { ?p pg:inSection id:jkvg2025-section-4-1 ; pg:callsOn id:jpn .
                      FILTER NOT EXISTS { ?p pg:callsOn id:kor } }""",
        {
            ("proposal-honour-korean-independence-movement",),
            ("proposal-japanese-institutions-colonial-era-research",),
            ("proposal-direct-apology-to-victims",),
            ("proposal-japan-explain-comfort-women-suffering",),
        },
        "L3208-3210, L3244-3246, L3269-3271, L3412-3414",
    ),
    Competency(
        "Of which recommendation is the Japan–Korea Schengen idea a part, and what is it modelled on?",
        """SELECT ?parent ?model { id:proposal-japan-korea-schengen pg:subProposalOf ?parent ;
                                                                 pg:modelledOn ?model }""",
        {("proposal-simplified-immigration-procedures", "schengen")},
        "L3649-3657",
    ),
    Competency(
        "Which places named in the history-reconciliation chapter lie in Japan?",
        """SELECT ?place { VALUES ?place { id:hiroshima id:nagasaki id:korean-peninsula id:sakhalin
                                          id:pagoda-park }
                          ?place a pg:Place ; pg:country id:jpn }""",
        {("hiroshima",), ("nagasaki",)},
        "L3244-3246, L3279, L3317, L3412",
    ),
    Competency(
        "In which years were the statements, declaration and agreements on the colonial past issued?",
        """SELECT ?f ?date { VALUES ?f { id:kono-statement-1993 id:murayama-statement-1995
                                         id:jpn-kor-joint-declaration-1998 id:kan-statement-2010
                                         id:jpn-kor-comfort-women-agreement-2015
                                         id:kor-forced-labour-solution-2023 }
                            ?f pg:signedOn ?date }""",
        {
            ("kono-statement-1993", "1993"),
            ("murayama-statement-1995", "1995"),
            ("jpn-kor-joint-declaration-1998", "1998"),
            ("kan-statement-2010", "2010"),
            ("jpn-kor-comfort-women-agreement-2015", "2015-12"),
            ("kor-forced-labour-solution-2023", "2023"),
        },
        "L3205, L3468-3474, L3478",
    ),
    Competency(
        "Who issued the Kono, Murayama and Kan statements?",
        """SELECT ?statement ?person { VALUES ?statement { id:kono-statement-1993
                                          id:murayama-statement-1995 id:kan-statement-2010 }
                                      ?statement pg:participant ?person . ?person a pg:Person }""",
        {
            ("kono-statement-1993", "kono-yohei"),
            ("murayama-statement-1995", "murayama-tomiichi"),
            ("kan-statement-2010", "kan-naoto"),
        },
        "L3468-3470",
    ),
    Competency(
        "Which recommendations of part 4 does the report make in the chapters without a number?",
        f"""SELECT ?p {{ {_PART_4} ?p pg:level pg:ChapterRecommendation .
                        FILTER NOT EXISTS {{ ?p pg:ordinal ?o }} }}""",
        {
            ("proposal-reconciliation-as-long-creative-process",),
            ("proposal-multilayered-exchange-and-cooperation",),
        },
        "L3169-3171, L3796-3798",
    ),
    Competency(
        "Which actors named in part 4 are organisations the proposals call on, and from which country?",
        f"""SELECT DISTINCT ?org ?country {{ {_PART_4} ?p pg:callsOn ?org .
                                            ?org a/rdfs:subClassOf* pg:Organization ;
                                                 pg:country ?country }}""",
        {
            ("kor-fki", "kor"),
            ("jpn-keidanren", "jpn"),
            ("kor-kcci", "kor"),
            ("jpn-jcci", "jpn"),
        },
        "L3688-3690, L3694",
    ),
    Competency(
        "Which states does the report list as Balkan countries?",
        """SELECT ?c ?list { ?m a pg:Membership ; pg:framework id:balkans ; pg:member ?c .
                            id:balkans pg:memberList ?list }""",
        {(c, _PG + "Partial") for c in ("srb", "bih", "hrv", "alb", "grc", "tur")},
        "L3398-3400",
        exact=False,
    ),
    Competency(
        "Under which romanisations can Kim Dae-jung, co-author of the 1998 declaration, be found?",
        """SELECT ?name { id:kim-dae-jung rdfs:label|skos:altLabel ?name
                         FILTER (lang(?name) = "en") }""",
        {("Kim Dae-jung",), ("Gim Dae-jung",), ("Kim Taejung",)},
        "L3478",
        exact=False,
    ),
]
