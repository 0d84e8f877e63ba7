"""Competency questions for part 1 of the report (１．危機の国際秩序と日韓戦略的パートナーシップ).

Summary bullets 1-10 (lines 169-205) and the chapters on the liberal international order
(lines 617-1080) and on regional security (lines 1081-1394). Written while reading those
lines; each answer is what the text gives.
"""

from __future__ import annotations

from tests.graph.competency.harness import Competency

__all__ = ["QUESTIONS"]

_PG = "https://w3id.org/policygraph/ontology#"

#: ?p is a proposal of part 1's chapters or summary bullets (overview points of the executive
#: summary, which may sit in these sections too, are left out).
_PART_1 = (
    "VALUES ?section { id:jkvg2025-section-1-1 id:jkvg2025-section-1-2 } "
    "?p pg:inSection ?section . FILTER NOT EXISTS { ?p pg:level pg:OverviewPoint }"
)

QUESTIONS: list[Competency] = [
    Competency(
        "How many summary bullets does part 1 have, and how are they ordered?",
        f"""SELECT (COUNT(?p) AS ?n) (MIN(?o) AS ?first) (MAX(?o) AS ?last) {{
              {_PART_1}
              ?p pg:level pg:SummaryProposal ; pg:summaryOrder ?o }}""",
        {("10", "1", "10")},
        "L169-205",
    ),
    Competency(
        "Which are the directions (a), (b), (c) of section 1-1's 協力の方向性と提言?",
        f"""SELECT ?o ?p {{ {_PART_1}
              FILTER (?section = id:jkvg2025-section-1-1)
              ?p pg:ordinal ?o .
              FILTER NOT EXISTS {{ ?p pg:subProposalOf ?parent }} }}""",
        {
            ("1", "proposal-multilateral-science-technology-cooperation"),
            ("2", "proposal-future-oriented-agenda"),
            ("3", "proposal-next-generation-partnership"),
        },
        "L1010-1080",
    ),
    Competency(
        "What are the two goals (第一に, 第二に) of Japan–Korea and Japan–US–Korea security cooperation?",
        """SELECT ?o ?p { ?p pg:inSection id:jkvg2025-section-1-2 ;
                           pg:level pg:ChapterRecommendation ; pg:ordinal ?o }""",
        {
            ("1", "proposal-joint-deterrence-posture"),
            ("2", "proposal-regional-global-security-cooperation"),
        },
        "L1268-1274, L1327-1329",
    ),
    Competency(
        "Which recommendation is 3) under the first goal of the security chapter?",
        """SELECT ?p { ?goal pg:inSection id:jkvg2025-section-1-2 ;
                           pg:level pg:ChapterRecommendation ; pg:ordinal 1 .
                     ?p pg:subProposalOf ?goal ; pg:ordinal 3 }""",
        {("proposal-un-command-roles",)},
        "L1274, L1313-1323",
    ),
    Competency(
        "What are the four numbered points under the second goal, in order, and which summary bullet is each?",
        """SELECT ?o ?p ?bullet { ?p pg:subProposalOf id:proposal-regional-global-security-cooperation ;
                                   pg:ordinal ?o ; pg:summaryOrder ?bullet }""",
        {
            ("1", "proposal-ip4-nato-strategic-linkage", "7"),
            ("2", "proposal-aukus-pillar-2-joint-participation", "8"),
            ("3", "proposal-support-us-force-posture", "9"),
            ("4", "proposal-21st-century-detente", "10"),
        },
        "L197-203, L1331-1394",
    ),
    Competency(
        "Which points does direction (a), multilateral science and technology cooperation, contain?",
        """SELECT ?sub { ?sub pg:subProposalOf id:proposal-multilateral-science-technology-cooperation ;
                          pg:level pg:SubProposal }""",
        {
            ("proposal-trans-pacific-quad",),
            ("proposal-c5-multilateral-expo",),
            ("proposal-g7-expansion",),
        },
        "L1027-1037",
    ),
    Competency(
        "Which concrete measures make up recommendation 1), institutionalising security cooperation?",
        """SELECT ?sub { ?sub pg:subProposalOf id:proposal-security-cooperation-institutionalisation }""",
        {
            ("proposal-defence-hotline",),
            ("proposal-air-maritime-surveillance-sharing",),
            ("proposal-defence-technology-industry-cooperation",),
            ("proposal-non-military-security-cooperation",),
        },
        "L1292-1300",
    ),
    Competency(
        "Which new frameworks would part 1's proposals create?",
        f"""SELECT DISTINCT ?f {{ {_PART_1}
              ?p pg:proposesCreating ?f . ?f pg:status pg:Proposed }}""",
        {
            ("trans-pacific-quad",),
            ("c5",),
            ("west-pacific-community",),
            ("ip4-nato-consultative-body",),
            ("extended-deterrence-cooperation-system",),
            ("jpn-kor-defence-hotline",),
        },
        "L880-882, L1027-1033, L1292-1294, L1304-1311, L1343-1345",
    ),
    Competency(
        "Which frameworks proposed in part 1 would include Australia?",
        f"""SELECT DISTINCT ?f {{ {_PART_1}
              ?p pg:proposesCreating ?f .
              ?m pg:framework ?f ; pg:member id:aus ; pg:status pg:Proposed }}""",
        {
            ("trans-pacific-quad",),
            ("west-pacific-community",),
            ("ip4-nato-consultative-body",),
            ("extended-deterrence-cooperation-system",),
        },
        "L880-882, L1027-1029, L1304-1311, L1341-1345",
    ),
    Competency(
        "Who would sit in the proposed IP4–NATO consultative body?",
        """SELECT ?member { ?m pg:framework id:ip4-nato-consultative-body ; pg:member ?member ;
                                pg:status pg:Proposed }""",
        {("jpn",), ("kor",), ("aus",), ("nzl",), ("nato",)},
        "L1341-1345",
    ),
    Competency(
        "Which existing frameworks do part 1's proposals ask Japan or Korea to join, and in what role?",
        f"""SELECT DISTINCT ?f ?member ?role {{ {_PART_1}
              ?p pg:proposesJoining ?f .
              ?m pg:framework ?f ; pg:member ?member ; pg:role ?role ; pg:status pg:Proposed .
              FILTER (?member IN (id:jpn, id:kor)) }}""",
        {
            ("un-command", "jpn", _PG + "Observer"),
            ("un-command", "jpn", _PG + "Member"),
            ("un-command", "kor", _PG + "Member"),
            ("aukus-pillar-2", "jpn", _PG + "Member"),
            ("aukus-pillar-2", "kor", _PG + "Member"),
            ("quad", "kor", _PG + "Member"),
        },
        "L193-199, L1313-1323, L1353-1364",
    ),
    Competency(
        "Which countries would an enlarged G7 (G10 or G11) add as full members?",
        """SELECT ?c { ?m pg:framework id:g7 ; pg:member ?c ; pg:status pg:Proposed }""",
        {("kor",), ("aus",), ("ind",), ("idn",)},
        "L874-876, L1035",
        exact=False,
    ),
    Competency(
        "Which precedent does the proposed nuclear-sharing discussion take as its model?",
        """SELECT ?f { id:proposal-nuclear-sharing-discussion pg:modelledOn ?f }""",
        {("nato-nuclear-sharing",)},
        "L1378-1380",
    ),
    Competency(
        "Through which channels would Japan and Korea pursue the 21st-century détente?",
        """SELECT ?f { id:proposal-21st-century-detente pg:actsThrough ?f }""",
        {("jpn-chn-kor-trilateral",), ("un",), ("wto",), ("nato",)},
        "L1386-1394",
    ),
    Competency(
        "Which part 1 recommendations does the report address to Korea alone?",
        f"""SELECT ?p {{ {_PART_1}
              ?p pg:callsOn id:kor .
              FILTER NOT EXISTS {{ ?p pg:callsOn ?other FILTER (?other != id:kor) }} }}""",
        {
            ("proposal-korea-quad-participation",),
            ("proposal-korea-leverage-japan-security-assets",),
        },
        "L1249-1254, L1363-1364",
    ),
    Competency(
        "When was the G8 formed, and what became of it?",
        """SELECT ?type ?date ?status { ?e pg:concerns id:g8 ; pg:eventType ?type ; pg:date ?date .
                                       id:g8 pg:status ?status }""",
        {(_PG + "Founding", "1998", _PG + "Ended")},
        "L1135-1137, L1176-1178",
    ),
    Competency(
        "Which of Russia's memberships does the report say have ended?",
        """SELECT ?f { ?m pg:member id:rus ; pg:framework ?f ; pg:status pg:Ended }""",
        {("g8",), ("new-start",), ("ctbt",)},
        "L1176-1178, L1370",
        exact=False,
    ),
    Competency(
        "When were the treaties and agreements that part 1 dates signed?",
        """SELECT ?f ?date { ?e pg:eventType pg:Signing ; pg:concerns ?f ; pg:date ?date }""",
        {
            ("un-charter", "1945"),
            ("inter-korean-basic-agreement", "1991"),
            ("open-skies-treaty", "1992"),
            ("new-start", "2010"),
            ("aukus", "2021"),
            ("rus-prk-partnership-treaty-2024", "2024-06-19"),
        },
        "L652-654, L1129-1135, L1142-1144, L1168, L1203-1207, L1355",
        exact=False,
    ),
    Competency(
        "Since when, per the report, has Japan–China–Korea cooperation run?",
        """SELECT ?date { ?e pg:concerns id:jpn-chn-kor-trilateral ; pg:eventType pg:Founding ;
                                pg:date ?date }""",
        {("2008",)},
        "L1386",
    ),
    Competency(
        "Where did the US–North Korea summit that collapsed in 2019 take place, and in which country?",
        """SELECT ?place ?country { id:event-hanoi-summit-2019 pg:location ?place .
                                  ?place pg:country ?country }""",
        {("hanoi", "vnm")},
        "L1199",
    ),
    Competency(
        "On which front did the North Korean troops sent to Russia fight?",
        """SELECT ?place ?country { id:event-prk-troops-to-russia-2024 pg:location ?place .
                                  ?place pg:country ?country }""",
        {("kursk", "rus")},
        "L1211-1213",
    ),
    Competency(
        "Which part 1 proposals are about the Korean Peninsula as a place?",
        f"""SELECT ?p {{ {_PART_1} ?p pg:location id:korean-peninsula }}""",
        {
            ("proposal-deepen-bilateral-security-cooperation",),
            ("proposal-un-command-roles",),
            ("proposal-unc-observer-status-for-japan",),
            ("proposal-unc-staff-roles-for-korean-officers",),
            ("proposal-korea-leverage-japan-security-assets",),
        },
        "L1117-1119, L1249-1254, L1313-1323",
    ),
    Competency(
        "Who took part in the November 1969 Japan–US summit?",
        """SELECT ?who { id:event-sato-nixon-summit-1969 pg:participant ?who }""",
        {("jpn",), ("usa",), ("sato-eisaku",), ("richard-nixon",)},
        "L1091",
    ),
    Competency(
        "Which foreign figures does part 1's chapter text name, and of which country?",
        """SELECT DISTINCT ?person ?country { ?person a pg:Person ; pg:country ?country ;
                                                pg:evidence ?e .
                                        ?e pg:lineStart ?l .
                                        FILTER (?l >= 617 && ?l <= 1394)
                                        FILTER (?country NOT IN (id:jpn, id:kor)) }""",
        {
            ("barack-obama", "usa"),
            ("donald-trump", "usa"),
            ("joe-biden", "usa"),
            ("richard-nixon", "usa"),
            ("mencius", "chn"),
            ("xi-jinping", "chn"),
            ("deng-xiaoping", "chn"),
            ("vladimir-putin", "rus"),
        },
        "L672, L703, L776, L1078, L1091, L1137, L1160, L1205",
    ),
    Competency(
        "Which states make up the 'Axis of Disruption'?",
        """SELECT ?c { ?m pg:framework id:axis-of-disruption ; pg:member ?c }""",
        {("rus",), ("prk",), ("irn",), ("chn",)},
        "L907-909",
    ),
    Competency(
        "Who are the four Asian tigers?",
        """SELECT ?c { ?m pg:framework id:asian-tigers ; pg:member ?c }""",
        {("kor",), ("twn",), ("hkg",), ("sgp",)},
        "L634-636, L723-725",
    ),
    Competency(
        "Which Global South countries does part 1 name, and is the graph's list complete?",
        """SELECT ?c ?list { ?m pg:framework id:global-south ; pg:member ?c .
                            id:global-south pg:memberList ?list }""",
        {("ind", _PG + "Partial"), ("chn", _PG + "Partial")},
        "L850-852",
        exact=False,
    ),
    Competency(
        "Which proposal does Japan's UN Command observer status belong to, and who is called on?",
        """SELECT ?parent ?actor { id:proposal-unc-observer-status-for-japan pg:subProposalOf ?parent ;
                                                                       pg:callsOn ?actor }""",
        {("proposal-un-command-roles", "jpn")},
        "L193-195, L1313-1319",
    ),
    Competency(
        "Is Russia still counted a member of the G8, New START or the CTBT?",
        """ASK { id:rus pg:memberOf ?f FILTER (?f IN (id:g8, id:new-start, id:ctbt)) }""",
        {("false",)},
        "L1176-1178, L1370",
    ),
    Competency(
        "When were AUKUS founded and concluded, and when was its Pillar II set up?",
        """SELECT ?f ?founded ?signed { VALUES ?f { id:aukus id:aukus-pillar-2 }
                                       ?f pg:foundedOn ?founded .
                                       OPTIONAL { ?f pg:signedOn ?signed } }""",
        {("aukus", "2021", "2021"), ("aukus-pillar-2", "2021", "")},
        "L1168, L1355-1357",
    ),
    Competency(
        "When were the Japan–Korea and Japan–US texts on Korea's security issued?",
        """SELECT ?f ?date { VALUES ?f { id:jpn-kor-ministerial-joint-statement-1968
                                        id:sato-nixon-joint-statement-1969
                                        id:jpn-usa-defense-guidelines-2015 }
                            ?f pg:signedOn ?date }""",
        {
            ("jpn-kor-ministerial-joint-statement-1968", "1968-08"),
            ("sato-nixon-joint-statement-1969", "1969-11"),
            ("jpn-usa-defense-guidelines-2015", "2015"),
        },
        "L1089-1091, L1245",
    ),
    Competency(
        "Which agenda items does direction (b), from past and emotion to future and reason, list?",
        """SELECT ?sub { ?sub pg:subProposalOf id:proposal-future-oriented-agenda }""",
        {
            ("proposal-agenda-climate-green-growth",),
            ("proposal-agenda-digital-transition-jobs",),
            ("proposal-agenda-ai-quantum-safe-platform",),
            ("proposal-agenda-virtual-economy-rules",),
            ("proposal-agenda-population",),
        },
        "L175-179, L1051-1059",
    ),
    Competency(
        "Through which body would Japan and Korea share information on North Korean troops in Russia?",
        """SELECT ?f { ?p pg:subProposalOf id:proposal-ip4-nato-strategic-linkage ;
                          pg:actsThrough ?f }""",
        {("ip4-nato-consultative-body",)},
        "L1343-1351",
    ),
    Competency(
        "Which national security strategies and systems does part 1 name, who launched them, and when?",
        """SELECT ?f ?founder ?date { VALUES ?f { id:jpn-national-security-strategy-2022
                                                 id:kor-three-axis-system }
                                     ?m pg:framework ?f ; pg:member ?founder ; pg:role pg:Founder .
                                     OPTIONAL { ?f pg:foundedOn ?date } }""",
        {
            ("jpn-national-security-strategy-2022", "jpn", "2022-12"),
            ("kor-three-axis-system", "kor", ""),
        },
        "L1227, L1235",
    ),
]
