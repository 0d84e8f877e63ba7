"""Fixtures of the view tests: a small hand-made store with the awkward cases in it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from graph.store import OxigraphStore

#: A label that would run a script if it ever reached the page as HTML.
XSS_LABEL = "<img src=x onerror=alert(1)>"

TINY = f"""
INSERT DATA {{ GRAPH <https://w3id.org/policygraph/graph/curated> {{
    id:kor a pg:Country ; rdfs:label "Republic of Korea"@en , "韓国"@ja , "대한민국"@ko ;
        pg:memberOf id:msp ; pg:partOf id:msp .
    id:jpn a pg:Country ; rdfs:label "Japan"@en , "日本"@ja ; pg:memberOf id:msp .
    id:msp a pg:Minilateral ; rdfs:label "Minerals Security Partnership"@en , "鉱物安全保障パートナーシップ"@ja .
    id:ipef a pg:TradeAgreement ; rdfs:label "IPEF"@en .
    id:aukus a pg:Minilateral ; rdfs:label "AUKUS"@en .
    id:aukus-pillar-2 a pg:Initiative ; rdfs:label "AUKUS Pillar II"@en ; pg:partOf id:aukus .
    id:evil a pg:Person ; rdfs:label "{XSS_LABEL}"@en ; pg:country id:kor .
    id:lonely a pg:Topic ; rdfs:label "Lonely topic"@en .
    id:p1 a pg:Proposal ; rdfs:label "Joint participation in AUKUS Pillar II"@en ;
        pg:involves id:kor , id:jpn ; pg:concerns id:aukus-pillar-2 ;
        pg:evidence [ a pg:Passage ; pg:lineStart 10 ; pg:lineEnd 12 ;
                      pg:quote "日韓共同参加</script><b>x</b>" ] .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:msp ; pg:role pg:Chair ;
        pg:startDate "2024"^^xsd:gYear ;
        pg:evidence [ a pg:Passage ; pg:lineStart 3 ; pg:lineEnd 4 ; pg:quote "MSP議長" ] .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:msp ; pg:role pg:Member ;
        pg:evidence [ a pg:Passage ; pg:lineStart 7 ; pg:lineEnd 7 ; pg:quote "日本はMSP" ] .
    [] a pg:Membership ; pg:member id:jpn ; pg:framework id:ipef ; pg:role pg:Founder .
    [] a pg:Membership ; pg:member id:kor ; pg:framework id:ipef ; pg:role pg:Observer .
}} }}
"""


@pytest.fixture()
def tiny_store() -> Iterator[OxigraphStore]:
    """Two countries, three frameworks, a proposal, a person with a hostile label, a loner."""
    store = OxigraphStore.memory()
    store.update(TINY)
    yield store
    store.close()
