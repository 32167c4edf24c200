"""One line per finding: `path:line:col: severity ID message` (editors, grep)."""

from __future__ import annotations

from ..safetext import visible, visible_path
from .text import summary_line


def report(results, stream, rules=None) -> None:
    for r in results:
        if r.error is not None:
            continue
        for d in r.diagnostics:
            line, col = r.source.position(d.start)
            stream.write(f"{visible_path(r.path)}:{line}:{col}: {d.severity} {d.rule} {visible(d.message)}\n")
    stream.write(summary_line(results) + "\n")
