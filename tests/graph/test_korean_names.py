"""Every actor, framework, person, place, event, grouping and topic has a Korean name.

Korean readers see the English label wherever the Korean one is missing (entity pages,
views, figures with ``--lang ko``); proposals, statistics and passages are not named here:
their Japanese titles are the report's own and their English ones ours.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.store import OxigraphStore

NAMED_CLASSES = (
    "Country",
    "Organization",
    "Person",
    "Framework",
    "Grouping",
    "Place",
    "Event",
    "Topic",
)

_WITHOUT_KOREAN = """
SELECT ?entity WHERE {{
  ?entity a pg:{cls} .
  FILTER NOT EXISTS {{ ?entity rdfs:label ?label FILTER(LANG(?label) = "ko") }}
}} ORDER BY STR(?entity)
"""


@pytest.mark.parametrize("cls", NAMED_CLASSES)
def test_every_entity_of_the_class_has_a_korean_label(
    report_store: OxigraphStore, cls: str
) -> None:
    assert report_store.query(f"ASK {{ ?entity a pg:{cls} }}"), f"no pg:{cls} in the graph"
    rows = report_store.query(_WITHOUT_KOREAN.format(cls=cls))
    assert isinstance(rows, ox.QuerySolutions)
    missing = [str(row["entity"]) for row in rows]
    assert missing == [], f"{len(missing)} pg:{cls} without an @ko label: {missing[:10]}"
