"""A large store on disk is published without waiting for its caches (serving/publish.py):
their warm-up takes minutes there, and the wait would only delay an accepted edit's answer.
A small one still waits for its caches, up to the publication's ``warm_seconds``."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from serving.publish import NO_WAIT_ABOVE, Publication


class Warming:
    """A context whose warm-up never ends (what the publication reads of one)."""

    def __init__(self, triples: int) -> None:
        self.generation = Path("/nonexistent/store.gen-x")
        self.triples = triples
        self.warm = threading.Event()
        self.warmed = False

    def warm_up(self, also: object = ()) -> None:
        self.warmed = True


@pytest.mark.parametrize(("triples", "waits"), [(NO_WAIT_ABOVE + 1, False), (17_371, True)])
def test_a_large_store_is_published_without_waiting_for_its_caches(
    triples: int, waits: bool
) -> None:
    publication = Publication(warm_seconds=0.3)
    new = Warming(triples)
    waited = threading.Event()
    real_wait = new.warm.wait

    def wait(timeout: float | None = None) -> bool:
        if timeout:
            waited.set()
        return real_wait(timeout)

    new.warm.wait = wait  # type: ignore[method-assign]
    publication.publish(new)  # type: ignore[arg-type]
    assert new.warmed and publication.current is new
    assert waited.is_set() == waits
