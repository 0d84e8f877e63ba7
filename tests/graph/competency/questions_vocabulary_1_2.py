"""Competency questions on what ontology 1.2.0 lets an analyst ask: every event by its kind
(withdrawals, negotiations, meetings, military actions, commemorations, new leaders), the
Security Council's permanent members and the seat the report proposes, figures given as
ranges or bounds, places within places, proposals modelled on events and organisations, the
grouping Nordpolitik opened the way to, and New START's end (an outside fact).

Written while reading lines 331, 357-359, 520-526, 640, 811-872, 1160-1213, 1754-1756,
1919-1925, 2376-2384, 2616-2638, 2722-2724, 3275-3279, 3422-3433, 3490-3516, 3716-3720,
3761 and 3777-3779.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

QUESTIONS: list[Competency] = [
    Competency(
        "Is any event in the graph left without a kind?",
        "ASK { ?e a pg:Event FILTER NOT EXISTS { ?e pg:eventType ?t } }",
        {("false",)},
        "L520-526, L1160-1213, L2616-2630, L3490-3516",
    ),
    Competency(
        "Who decided in 2025 to leave which agreement, which goes on without them?",
        """SELECT ?who ?f ?date { ?e pg:eventType pg:Withdrawal ; pg:participant ?who ;
                                     pg:concerns ?f ; pg:date ?date }""",
        {("usa", "paris-agreement", "2025"), ("donald-trump", "paris-agreement", "2025")},
        "L1754-1756",
    ),
    Competency(
        "When and where did the Vision Group meet, on its own and with students?",
        """SELECT ?e ?date ?place { ?e pg:eventType pg:Meeting ; pg:date ?date ;
                                       pg:location ?place ;
                                       pg:participant id:jk-vision-group }""",
        {
            ("event-jkvg-meeting-1-2024", "2024-03", "tokyo"),
            ("event-jkvg-meeting-2-2024", "2024-07", "seoul"),
            ("event-jkvg-meeting-3-2024", "2024-12", "tokyo"),
            ("event-jkvg-meeting-4-2025", "2025-03", "seoul"),
            ("event-future-generations-dialogue-korea-university-2025", "2025-03-14", "seoul"),
            ("event-future-generations-dialogue-keio-2025", "2025-05-14", "tokyo"),
        },
        "L524-526, L3844",
    ),
    Competency(
        "Which steps of the Japan–Korea FTA negotiations does the report date?",
        """SELECT ?e ?date { ?e pg:eventType pg:Negotiation ; pg:concerns id:jpn-kor-fta ;
                                pg:date ?date }""",
        {
            ("event-jpn-kor-fta-joint-study-2003", "2003"),
            ("event-jpn-kor-fta-negotiations-launch-2003", "2003-12"),
            ("event-jpn-kor-fta-sixth-round-2004", "2004-11"),
        },
        "L2616-2618, L2630",
    ),
    Competency(
        "Which military actions does the report date, and which states took part?",
        """SELECT ?e ?date ?who { ?e pg:eventType pg:MilitaryAction ; pg:date ?date ;
                                     pg:participant ?who . ?who a pg:Country }""",
        {
            ("event-prk-first-nuclear-test-2006", "2006", "prk"),
            ("event-crimea-annexation-2014", "2014", "rus"),
            ("event-crimea-annexation-2014", "2014", "ukr"),
            ("event-russia-invades-ukraine-2022", "2022-02", "rus"),
            ("event-russia-invades-ukraine-2022", "2022-02", "ukr"),
            ("event-prk-troops-to-russia-2024", "2024-10", "prk"),
            ("event-prk-troops-to-russia-2024", "2024-10", "rus"),
        },
        "L1172, L1197, L1211-1213",
    ),
    Competency(
        "When did Korea open its market to Japanese popular culture, step by step?",
        """SELECT ?date { ?e pg:eventType pg:PolicyMeasure ; pg:participant id:kor ;
                             pg:date ?date FILTER (STR(?date) >= "1998" && STR(?date) < "2005") }""",
        {("1998-10-20",), ("1999-09-10",), ("2000-06-27",), ("2004-01-01",)},
        "L3490, L3502-3516",
    ),
    Competency(
        "Which commemorations does the report name, and when?",
        "SELECT ?e ?date { ?e pg:eventType pg:Commemoration ; pg:date ?date }",
        {
            ("event-kaifu-pagoda-park-visit-1991", "1991"),
            ("event-nobel-peace-prize-hidankyo-2024", "2024"),
            ("event-normalisation-60th-anniversary-2025", "2025"),
        },
        "L331, L520, L3275-3279, L3422",
    ),
    Competency(
        "Which leaders took office when, per the report?",
        """SELECT ?leader ?date { ?e pg:eventType pg:TakingOffice ; pg:date ?date ;
                                     pg:participant ?leader . ?leader a pg:Person }""",
        {("xi-jinping", "2012"), ("joe-biden", "2021-01"), ("donald-trump", "2025-01")},
        "L1160, L2376, L2382-2384",
    ),
    Competency(
        "Which permanent members of the UN Security Council does the report name?",
        """SELECT ?c { ?m a pg:Membership ; pg:framework id:unsc ; pg:role pg:PermanentMember ;
                          pg:member ?c }""",
        {("rus",), ("gbr",), ("fra",), ("chn",)},
        "L811-813, L862-868",
    ),
    Competency(
        "What kind of Security Council seat does the report propose: its term, whether it can "
        "be renewed, whether it has a veto?",
        """SELECT ?years ?renewable ?veto {
               id:proposal-unsc-reform-semi-permanent-seats pg:proposesRole ?seat ;
                                                            pg:concerns id:unsc .
               ?seat pg:termYears ?years ; pg:renewable ?renewable ; pg:veto ?veto }""",
        {("4", "true", "false")},
        "L870-872",
    ),
    Competency(
        "Which proposed seat would make its holder a full member, unlike a permanent seat with "
        "no term?",
        """SELECT ?seat { ?p pg:proposesRole ?seat . ?seat pg:impliesMembership true ;
                                                       pg:termYears ?years }""",
        {("unsc-semi-permanent-seat",)},
        "L870",
    ),
    Competency(
        "By how much would Korea's real GDP rise if it joined the CPTPP, as a range?",
        """SELECT DISTINCT ?low ?high { ?s pg:about id:cptpp , id:kor ;
                                           pg:lowerBound ?low ; pg:upperBound ?high }""",
        {("0.33", "0.35")},
        "L2636-2638",
    ),
    Competency(
        "Which figures does the report give only as a floor (more than …), and what floor?",
        """SELECT ?s ?low { ?s a pg:Statistic ; pg:lowerBound ?low
                           FILTER NOT EXISTS { ?s pg:upperBound ?high } }""",
        {
            ("stat-bilateral-trade-peak-2011-2012", "100"),
            ("stat-people-exchange-2024", "10000000"),
            ("stat-people-exchange-growth-1965-2024", "1000"),
            ("stat-prk-troops-sent-to-ukraine-front", "10000"),
            ("stat-jpn-power-imported-fossil-share", "70"),
            ("stat-kor-power-fossil-share", "60"),
        },
        "L388, L1337-1339, L1919-1925, L3431-3433",
    ),
    Competency(
        "Which figures does the report give only as a ceiling (below …)?",
        """SELECT ?s ?high { ?s a pg:Statistic ; pg:upperBound ?high
                            FILTER NOT EXISTS { ?s pg:lowerBound ?low } }""",
        {("stat-g7-share-world-gdp", "50"), ("stat-kor-primary-energy-fossil-share", "80")},
        "L640, L1921-1923",
    ),
    Competency(
        "Which capital regions does the report name, in which country, and which places lie "
        "within each, directly or through a larger place?",
        """SELECT ?region ?country ?place {
               VALUES ?region { id:capital-region-jpn id:capital-region-kor }
               ?region a pg:Place ; pg:country ?country .
               ?place pg:partOf+ ?region ; a pg:Place }""",
        {
            ("capital-region-jpn", "jpn", "tokyo"),
            ("capital-region-jpn", "jpn", "tokyo-area"),
            ("capital-region-kor", "kor", "seoul"),
        },
        "L2722-2724, L2959, L3777-3779",
    ),
    Competency(
        "Which places does the report place within a larger one it also names?",
        """SELECT ?place ?larger { ?place pg:partOf ?larger .
                                   ?place a pg:Place . ?larger a pg:Place }""",
        {
            ("tokyo", "tokyo-area"),
            ("tokyo", "capital-region-jpn"),
            ("tokyo-area", "capital-region-jpn"),
            ("seoul", "capital-region-kor"),
        },
        "L2959 (Tokyo within the Tokyo area); the capital regions from their defining laws",
    ),
    Competency(
        "Which proposals take an event as their precedent, and which event?",
        "SELECT ?p ?model { ?p pg:modelledOn ?model . ?model a pg:Event }",
        {
            ("proposal-honour-korean-independence-movement", "event-kaifu-pagoda-park-visit-1991"),
            ("proposal-shared-cultural-and-sports-experiences", "event-fifa-world-cup-2002"),
        },
        "L3422-3426, L3761",
    ),
    Competency(
        "Which proposals take an organisation as their model?",
        """SELECT ?p ?model { ?p pg:modelledOn ?model .
                              ?model a/rdfs:subClassOf* pg:Organization }""",
        {
            ("proposal-youth-action-day-and-shared-channel", "arte"),
            ("proposal-japan-korea-shared-sns-channel", "arte"),
        },
        "L3716-3720",
    ),
    Competency(
        "To which grouping of states did Korea's Nordpolitik open the way?",
        """SELECT ?g { ?m pg:framework id:nordpolitik ; pg:member ?g ; pg:role pg:Partner .
                       ?g a pg:Grouping }""",
        {("eurasia",)},
        "L357-359",
    ),
    Competency(
        "When did New START end, and is either party still counted a member?",
        """SELECT ?ended ?member { id:new-start pg:endedOn ?ended ; pg:status pg:Ended .
                                   BIND (EXISTS { VALUES ?a { id:usa id:rus }
                                                  ?a pg:memberOf id:new-start } AS ?member) }""",
        {("2026-02-05", "false")},
        "L1176-1180 (expected to lapse in 2026); end date from the US State Department",
    ),
]
