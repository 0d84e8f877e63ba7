"""In-process tests do not see the ``POLICYGRAPH_*`` settings of the shell that runs them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

#: Set when this module is imported (collection), as a developer's shell would have it.
PROBE = "POLICYGRAPH_STORE_FROM_THE_SHELL"
os.environ[PROBE] = "/somewhere/else"


@pytest.fixture(scope="module", autouse=True)
def _forget_the_probe() -> Iterator[None]:
    yield
    os.environ.pop(PROBE, None)


def test_a_shell_setting_is_gone_during_a_test() -> None:
    assert PROBE not in os.environ


def test_a_test_may_still_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.settings import GraphSettings

    assert GraphSettings().store == "var/store"
    monkeypatch.setenv("POLICYGRAPH_STORE", "memory:")
    assert GraphSettings().store == "memory:"
