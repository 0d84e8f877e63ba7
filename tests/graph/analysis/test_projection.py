"""The projection of a store with an ingested document: the document and what it mentions
are nodes; its review items (mentions, candidates) are not — they would make a document's
bookkeeping a hub of the centrality and a step of every path."""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest

from graph.analysis.projection import project
from graph.build import build_store
from graph.store import open_store
from tests.conftest import MINIMAL_DATA
from tests.explorer.test_documents_limit import NOTE, write_note


@pytest.fixture(scope="module")
def projected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nx.MultiDiGraph]:
    data = tmp_path_factory.mktemp("projection-notes")
    write_note(data)
    path = tmp_path_factory.mktemp("projection") / "store"
    build_store([MINIMAL_DATA, data], path)
    store = open_store(path)
    yield project(store)
    store.close()


def test_review_items_are_not_nodes(projected: nx.MultiDiGraph) -> None:
    kinds = {kind for _, kind in projected.nodes(data="type")}
    assert not kinds & {"Mention", "EntityCandidate", "ProposalCandidate", "ReviewItem"}
    assert not [node for node in projected if node.startswith(f"{NOTE}-m")]


def test_the_document_still_reaches_what_it_mentions(projected: nx.MultiDiGraph) -> None:
    assert NOTE in projected
    assert "mentions" in {key for _, _, key in projected.out_edges(NOTE, keys=True)}
