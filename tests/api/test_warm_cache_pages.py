"""A server restarted on a store generation reads the caches the first one kept, and its
pages read as the first server's did: the catalogue's details come back as rows
(serving.model_rows) and are made models again when a page asks for them."""

from __future__ import annotations

import io
import pickle
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.deps import get_context
from api.main import create_app
from graph.store import OxigraphStore
from graph.store.location import WARM_FILE
from serving.catalogue import KeptDetails, ProposalCatalogue
from serving.context import StoreContext
from serving.settings import Settings
from serving.warm_cache import DataUnpickler
from tests.api.conftest import QUERIES
from tests.contexts import context_of, warmed_generation

#: Pages that read the catalogue (the browser shows each proposal's details), the label
#: index, the cards and the hubs' descriptions.
PAGES = [
    "/",
    "/proposals",
    "/proposals?actor=kor&topic=topic-supply-chains",
    "/proposals?page=2",
    "/id/kor",
    "/id/jpn",
    "/search?q=Korea",
    "/proposals.csv?actor=usa",
]


def _pages(context: StoreContext) -> dict[str, str]:
    app = create_app(Settings(store="memory:", queries=QUERIES))
    app.dependency_overrides[get_context] = lambda: context
    with TestClient(app) as client:
        found = {path: client.get(path) for path in PAGES}
    assert all(page.status_code == 200 for page in found.values()), found
    return {path: page.text for path, page in found.items()}


@pytest.fixture(scope="module")
def generation(report_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the report's store: a warm-up keeps its caches beside it."""
    path = tmp_path_factory.mktemp("kept") / "store"
    shutil.copytree(report_store_path, path)
    return path


@pytest.mark.slow
def test_a_restart_serves_the_pages_of_a_cold_start(generation: Path) -> None:
    cold = warmed_generation(generation)
    try:
        expected = _pages(cold)
    finally:
        cold.close()
    assert (generation / WARM_FILE).is_file()

    again = warmed_generation(generation)
    try:
        assert isinstance(again.catalogue.details, KeptDetails)  # read from the kept file
        assert _pages(again) == expected
    finally:
        again.close()
    assert "Evidence (" in expected["/proposals"]  # the details are on the page


def test_the_catalogue_comes_back_from_the_warm_caches(report_store: OxigraphStore) -> None:
    """Read back by the caches' unpickler (data classes only): the same proposals, the
    same details for every proposal (and the fields each was given), the same lists per
    entity; and kept again as it came back, the same once more."""
    catalogue = context_of(report_store).catalogue
    again = DataUnpickler(io.BytesIO(pickle.dumps(catalogue))).load()
    assert isinstance(again, ProposalCatalogue) and isinstance(again.details, KeptDetails)
    assert again.proposals == catalogue.proposals
    assert len(again.details) == len(catalogue.details) > 100
    for slug, details in catalogue.details.items():
        assert again.details[slug] == details, slug
        assert again.details[slug].model_dump(exclude_unset=True) == details.model_dump(
            exclude_unset=True
        )
    assert again.details.get("no-such-proposal") is None
    for slug in ("kor", "jpn", "usa", "topic-supply-chains"):
        assert again.involving(slug) == catalogue.involving(slug) != []
    twice = DataUnpickler(io.BytesIO(pickle.dumps(again))).load()
    assert dict(twice.details) == dict(catalogue.details)
