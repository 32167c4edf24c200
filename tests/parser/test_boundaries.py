"""The segmenter against hand-checked financial-news boundaries (tests/data/)."""

from __future__ import annotations

from pathlib import Path

from linter.document.boundaries import score

DATA = Path(__file__).resolve().parent.parent / "data" / "sentence_boundaries.txt"


def test_boundary_quality_floor():
    result = score(DATA)
    assert result["paragraphs"] == 35
    # known miss: "... closed at 4 p.m. Futures were ..." ("p.m." ends a sentence only before
    # a typical opener); every other paragraph is segmented exactly
    assert result["misses"] == ["Trading opened at 9:30 a.m. EST and closed at 4 p.m. || Futures were little changed."]
    assert result["precision"] == 1.0
