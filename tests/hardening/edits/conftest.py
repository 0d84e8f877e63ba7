"""Fixtures of the edits tests: those of the access tests (a private copy of the tiny
store per test, and an app over it with updates on; one per module for the tests whose
writes must all be refused)."""

from __future__ import annotations

from tests.hardening.access.conftest import (
    built_minimal,
    client,
    refusing_client,
    refusing_store_path,
    store_path,
)

__all__ = ["built_minimal", "client", "refusing_client", "refusing_store_path", "store_path"]
