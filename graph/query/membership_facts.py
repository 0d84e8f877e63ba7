"""The one query of every membership's facts, read by the provenance
(:mod:`graph.analysis.provenance`), the views' membership terms (:mod:`viz.data`) and the
framework table (:mod:`graph.query.frameworks`), each keeping the columns it needs.

>>> from graph.store import OxigraphStore
>>> s = OxigraphStore.memory()
>>> s.update('INSERT DATA { GRAPH <urn:g> { [] a pg:Membership ; pg:member id:kor ;'
...          ' pg:framework id:msp ; pg:role pg:Chair ; pg:startDate "2024-07-01" } }')
>>> [(r["member"].value[-3:], r["role"].value[-5:], r["status"]) for r in s.query(MEMBERSHIP_FACTS)]
[('kor', 'Chair', None)]
"""

from __future__ import annotations

__all__ = ["MEMBERSHIP_FACTS"]

#: Every membership (``?m``) with its member, framework, role, dates and status: one row per
#: combination of its values, unbound where it states none (a membership without
#: ``pg:status`` is active).
MEMBERSHIP_FACTS = """
SELECT ?m ?member ?framework ?role ?from ?until ?status WHERE {
    ?m a pg:Membership ; pg:member ?member ; pg:framework ?framework .
    OPTIONAL { ?m pg:role ?role }
    OPTIONAL { ?m pg:startDate ?from }
    OPTIONAL { ?m pg:endDate ?until }
    OPTIONAL { ?m pg:status ?status }
}
"""
