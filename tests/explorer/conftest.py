"""Fixtures of the explorer's tests: the API's client over the tiny fixture store."""

from tests.api.conftest import client, fixture_store, fixture_store_path

__all__ = ["client", "fixture_store", "fixture_store_path"]
