"""The soak benchmark's code path (``bench/soak.py``) in miniature: two clients for two
seconds on the fixture store. The real run (32 clients, two minutes) is not a test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak import HEADING, SoakResult, main

pytestmark = pytest.mark.slow


def test_a_short_soak_counts_its_requests_and_writes_its_section(
    minimal_store_path: Path, tmp_path: Path
) -> None:
    figures, doc = tmp_path / "soak.json", tmp_path / "reliability.md"
    main(["--seconds", "2", "--clients", "2", "--store", str(minimal_store_path),
          "--json", str(figures), "--doc", str(doc)])  # fmt: skip
    result = SoakResult.read(figures)
    assert result.requests > 0 and result.clients == 2
    assert sum(result.statuses.values()) == result.requests
    assert result.server_errors == 0 and result.transport_errors == 0 and result.alive_after
    assert set(result.requests_by_kind) <= {"named query", "sparql", "entity page", "search"}
    assert len(result.rss_mb) >= 2 and all(mb > 0 for _, mb in result.rss_mb)
    section = doc.read_text(encoding="utf-8")
    assert HEADING in section and f"| requests | {result.requests:,} " in section
