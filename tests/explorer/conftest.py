"""Fixtures of the explorer's tests: the API's client over the tiny fixture store."""

from tests.api.conftest import client

__all__ = ["client"]
