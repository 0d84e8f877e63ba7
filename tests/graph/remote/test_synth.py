"""The synthetic corpus of ``bench/synth.py``: the same bytes from a seed, and valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth import generate
from graph.build import load_sources, validate_sources


@pytest.mark.slow
def test_10k_corpus_is_deterministic_and_conforms(tmp_path: Path) -> None:
    first = generate(10_000, 1, tmp_path / "a")
    second = generate(10_000, 1, tmp_path / "b")
    other = generate(10_000, 2, tmp_path / "c")
    assert 10_000 <= first.triples < 11_000
    assert [p.read_bytes() for p in first.files] == [p.read_bytes() for p in second.files]
    assert [p.read_bytes() for p in first.files] != [p.read_bytes() for p in other.files]
    sources = load_sources([tmp_path / "a"])
    assert len(sources.data) == first.triples
    validate_sources(sources)  # raises ValidationError if a shape is violated
