"""Human output: a header line, the source with the span underlined, a help line (rich).

    article.md:7:1: warning ATTR201 Factual claim has no attribution [attribution.claim-needs-source]
      |
    7 | Revenue grew 40% year over year.
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no source named
      |
      = help: name the source ...

Tabs expand to four columns and wide characters count two, so the underline stays aligned;
very long lines (wire copy is often one line a paragraph) are cropped around the span.
"""

from __future__ import annotations

import os
import sys

from ..diagnostics import SEVERITY_RANK

STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
TAB = "    "
WINDOW = 110  # display cells shown of a long line
MAX_LINES = 4  # lines shown of a multi-line span


def make_console(stream=None):
    from rich.console import Console

    return Console(
        file=stream or sys.stdout,
        highlight=False,
        soft_wrap=True,
        no_color=bool(os.environ.get("NO_COLOR")),
        emoji=False,
    )


def _display(text: str) -> str:
    return text.replace("\t", TAB)


def _frame_lines(source, start: int, end: int, primary=None) -> list[tuple[int, str, int, int, str]]:
    """(line number, display text, underline start cell, width, underline) per shown line.

    The underline is `^` under the whole span, or, when the finding names a primary part
    (the trigger of a long span), `^` under that part and `-` under the rest."""
    from rich.cells import cell_len

    first, _ = source.position(start)
    last, last_col = source.position(end)
    if last > first and last_col == 1:
        last -= 1  # a span ending at a line break underlines up to it
    numbers = list(range(first, last + 1))
    if len(numbers) > MAX_LINES:
        numbers = numbers[: MAX_LINES - 1] + [None] + numbers[-1:]
    out = []
    for n in numbers:
        if n is None:
            out.append((0, "...", 0, 0))
            continue
        ls, le = source.index.line_span(n)
        raw = source.text[ls:le].rstrip("\r\n")
        a = max(start, ls) - ls
        b = min(end, ls + len(raw)) - ls
        b = max(b, a + 1) if end > start else a + 1
        prefix, covered = _display(raw[:a]), _display(raw[a:b])
        text = _display(raw)
        col, width = cell_len(prefix), max(1, cell_len(covered))
        lo = 0
        if cell_len(text) > WINDOW:
            text, col, width, lo = _crop(raw, a, b)
        out.append((n, text, col, width, _underline(raw, ls, a, b, lo, primary)))
    return out


def _underline(raw: str, line_start: int, a: int, b: int, lo: int, primary) -> str:
    """`^` per display cell of raw[a:b], `-` outside the primary part when there is one."""
    from rich.cells import cell_len

    if b <= a:
        return "^"
    if primary is None:
        return "^" * max(1, cell_len(_display(raw[a:b])))
    ps, pe = primary[0] - line_start, primary[1] - line_start
    out = []
    for i in range(a, b):
        mark = "^" if ps <= i < pe else "-"
        out.append(mark * cell_len(_display(raw[i])))
    return "".join(out) or "^"


def _crop(raw: str, a: int, b: int) -> tuple[str, int, int, int]:
    """Show a window of a long line around raw[a:b], with '…' where text is cut."""
    from rich.cells import cell_len

    lo = max(0, a - 30)
    hi = min(len(raw), max(b, lo + 80))
    hi = min(hi, lo + WINDOW)
    shown = ("…" if lo > 0 else "") + _display(raw[lo:hi]) + ("…" if hi < len(raw) else "")
    col = cell_len(("…" if lo > 0 else "") + _display(raw[lo:a]))
    width = max(1, cell_len(_display(raw[a:min(b, hi)])))
    return shown, col, width, lo


def render_diagnostic(console, path: str, source, d) -> None:
    from rich.markup import escape

    line, col = source.position(d.start)
    sev = d.severity
    console.print(
        f"[bold]{escape(path)}:{line}:{col}:[/bold] [{STYLE[sev]}]{sev}[/{STYLE[sev]}] "
        f"[bold]{d.rule}[/bold] {escape(d.message)} [dim]\\[{escape(d.name)}][/dim]"
    )
    frame = _frame_lines(source, d.start, d.end, d.primary)
    gutter = max(len(str(n)) for n, *_ in frame)
    pad = " " * gutter
    console.print(f"{pad} [blue]|[/blue]")
    for i, (n, text, c, w, marks) in enumerate(frame):
        number = str(n) if n else ""
        console.print(f"[blue]{number:>{gutter}} |[/blue] {escape(text)}")
        if n:
            label = f" {escape(d.label)}" if d.label and i == len(frame) - 1 else ""
            console.print(f"{pad} [blue]|[/blue] {' ' * c}[{STYLE[sev]}]{marks[:w]}{label}[/{STYLE[sev]}]")
    console.print(f"{pad} [blue]|[/blue]")
    if d.help:
        console.print(f"{pad} [blue]=[/blue] [bold]help:[/bold] {escape(d.help)}")
    console.print("")


def summary_line(results) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    with_findings = 0
    unreadable = 0
    for r in results:
        if r.error is not None:
            unreadable += 1
            continue
        if r.diagnostics:
            with_findings += 1
        for d in r.diagnostics:
            counts[d.severity] += 1
    total = sum(counts.values())
    n = len(results)
    files = f"{n} file{'s' if n != 1 else ''}"
    tail = f"; {unreadable} could not be read" if unreadable else ""
    if not total:
        return f"No problems found in {files}{tail}."
    parts = [f"{c} {sev}{'s' if c != 1 else ''}" for sev, c in counts.items() if c]
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {with_findings} of {files}{tail}."


def report(results, stream=None, rules=None) -> None:
    from rich.markup import escape

    console = make_console(stream)
    for r in results:
        if r.error is not None:
            continue  # printed on stderr by the CLI
        for d in r.diagnostics:
            render_diagnostic(console, r.path, r.source, d)
    console.print(escape(summary_line(results)))


def worst(results) -> int:
    """Highest severity rank found, -1 when there is nothing."""
    return max((SEVERITY_RANK[d.severity] for r in results for d in r.diagnostics), default=-1)
