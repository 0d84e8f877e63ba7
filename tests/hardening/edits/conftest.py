"""Fixtures of the edits tests: those of the access tests (a private copy of the tiny
store per test, and an app over it with updates on)."""

from __future__ import annotations

from tests.hardening.access.conftest import built_minimal, client, store_path

__all__ = ["built_minimal", "client", "store_path"]
