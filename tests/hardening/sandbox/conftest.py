"""Fixtures of the sandbox tests: a TCP listener on loopback that records every connection
(it must never be reached), and the access tests' private copy of the tiny store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hardening.access.conftest import built_minimal, store_path
from tests.hardening.outside.listener import Listener

__all__ = ["Listener", "built_minimal", "store_path"]


@pytest.fixture()
def listener() -> Iterator[Listener]:
    """A loopback listener; the test asserts on :attr:`Listener.hits`."""
    server = Listener()
    yield server
    server.close()
