"""An edit is validated for what it changes once the edits before it are known to conform,
and still refused when it breaks a shape only through another node.

A membership's ``pg:framework`` must be typed a framework (``sh:class``, read on the
framework): removing the framework's type in an edit leaves the framework itself valid
(nothing targets an untyped node) and breaks the membership, which the edit does not
mention. It is refused (422, naming the membership), nothing is written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import graph.build.validate as validate
from graph.store import StoreLocation
from graph.store.edits import EDITS_GRAPH, edits_file
from tests.hardening.access.conftest import TOKEN, client_over

UPDATE = {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"}
PREFIXES = (
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)
#: A framework, its source, and Korea's membership of it.
ADD = f"""{PREFIXES} INSERT DATA {{ GRAPH <{EDITS_GRAPH}> {{
    id:source-wto-members a pg:Document ; rdfs:label "WTO: Members and Observers"@en ;
        pg:url "https://www.wto.org/english/thewto_e/whatis_e/tif_e/org6_e.htm"^^xsd:anyURI ;
        pg:asOf "2025-09-01"^^xsd:date .
    id:wto a pg:MultilateralInstitution ;
        rdfs:label "World Trade Organization"@en , "世界貿易機関"@ja .
    id:kor-in-wto a pg:Membership ; pg:member id:kor ; pg:framework id:wto ;
        pg:evidence id:source-wto-members .
}} }}"""
UNTYPE = f"DELETE DATA {{ GRAPH <{EDITS_GRAPH}> {{ id:wto a pg:MultilateralInstitution }} }}"


@pytest.fixture()
def store_path(fixture_store_path: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny fixture store (a generation and its link)."""
    generation = StoreLocation(fixture_store_path).current()
    shutil.copytree(generation, tmp_path / generation.name)
    (tmp_path / "store").symlink_to(generation.name)
    return tmp_path / "store"


@pytest.fixture()
def bounded(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether each edit's validation was bounded to what it changed (in order)."""
    seen: list[bool] = []
    check_changes = validate.check_changes

    def spy(*args: object, **kwargs: object) -> object:
        try:
            report = check_changes(*args, **kwargs)  # type: ignore[arg-type]
        except Exception:
            seen.append(True)
            raise
        seen.append(report is not None)
        return report

    monkeypatch.setattr(validate, "check_changes", spy)
    yield seen


def test_an_edit_that_untypes_a_membership_s_framework_is_refused(
    store_path: Path, bounded: list[bool]
) -> None:
    with client_over(store_path) as client:
        added = client.post("/sparql", content=ADD.encode(), headers=UPDATE)
        assert added.status_code == 204, added.text
        written = edits_file(store_path).read_bytes()
        refused = client.post("/sparql", content=UNTYPE.encode(), headers=UPDATE)
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert "kor-in-wto" in error and "pg:framework" in error
        assert edits_file(store_path).read_bytes() == written
        kinds = client.get(
            "/sparql",
            params={"query": "SELECT ?t WHERE { id:wto a ?t }"},
            headers={"Accept": "application/sparql-results+json"},
        )
        assert kinds.json()["results"]["bindings"], "the framework lost its type"
    assert bounded[-1] is True  # the refusal came from validating only what changed
