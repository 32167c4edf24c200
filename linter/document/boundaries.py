"""Score the segmenter against hand-checked boundaries (used by a test and a benchmark)."""

from __future__ import annotations

from pathlib import Path

from .cues import default_cues
from .sentences import Segmenter

MARK = " || "


def score(path: Path) -> dict[str, float | int | list[str]]:
    """Boundary precision, recall and the number of paragraphs segmented exactly."""
    seg = Segmenter(default_cues())
    tp = fp = fn = exact = total = 0
    misses: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        total += 1
        parts = line.split(MARK)
        text = " ".join(parts)
        truth, pos = set(), 0
        for p in parts[:-1]:
            pos += len(p)
            truth.add(pos)
            pos += 1
        got = {e for _, e in seg.split(text)[:-1]}
        tp += len(truth & got)
        fp += len(got - truth)
        fn += len(truth - got)
        if got == truth:
            exact += 1
        else:
            misses.append(line)
    return {
        "paragraphs": total,
        "exact": exact,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "misses": misses,
    }
