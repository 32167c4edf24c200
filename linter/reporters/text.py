"""Human output: a header line, the source with the span underlined, a help line (rich).

    article.md:7:1: warning ATTR201 Factual claim has no attribution [attribution.claim-needs-source]
      |
    7 | Revenue grew 40% year over year.
      | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no source named
      |
      = help: name the source ...

Tabs expand to four columns and wide characters count two (rich's own measure), so the
underline stays aligned; lines wider than the output (wire copy is often one line a
paragraph) are cropped around the span, and header and help lines wrap between words.

Each line is laid out once, as (text, style) pieces.  On a terminal rich prints them in
colour; elsewhere (a pre-commit hook, a CI log, a pipe) there is nothing to colour, so the
pieces are joined and written directly, and a pre-commit run does not pay for importing
and driving rich.
"""

from __future__ import annotations

import os
import sys

from ..diagnostics import SEVERITY_RANK
from ..safetext import visible, visible_path

STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
TAB = "    "
WINDOW = 110  # display cells shown of a long line
MAX_LINES = 4  # lines shown of a multi-line span
LONG_LINE = 2000  # characters; a longer line is always cropped, never measured whole


def make_console(stream=None):
    from rich.console import Console

    return Console(
        file=stream or sys.stdout,
        highlight=False,
        soft_wrap=True,
        no_color=bool(os.environ.get("NO_COLOR")),
        emoji=False,
    )


def cell_len(text: str) -> int:
    """Display cells of `text` as rich counts them; printable ASCII without importing rich."""
    if text.isascii() and text.isprintable():
        return len(text)
    from rich.cells import cell_len as rich_cell_len

    return rich_cell_len(text)


def _display(text: str) -> str:
    """Text as shown: tabs expanded, control characters made visible (never obeyed)."""
    return visible(text.replace("\t", TAB))


def _line_bounds(source, n: int) -> tuple[int, int]:
    """Start and end offsets of line `n` without its line break (no copy of the line)."""
    ls, le = source.index.line_span(n)
    text = source.text
    while le > ls and text[le - 1] in "\r\n":
        le -= 1
    return ls, le


def _frame_lines(source, start: int, end: int, primary=None, budget: int = WINDOW) -> list[tuple[int, str, int, int, str]]:
    """(line number, display text, underline start cell, width, underline) per shown line.

    The underline is `^` under the whole span, or, when the finding names a primary part
    (the trigger of a long span), `^` under that part and `-` under the rest.  A line wider
    than `budget` display cells is cropped around the span.  Work is bounded by what is
    shown, not by the line's length: wire copy may be one line of megabytes holding
    thousands of findings."""
    first, _ = source.position(start)
    last, last_col = source.position(end)
    if last > first and last_col == 1:
        last -= 1  # a span ending at a line break underlines up to it
    numbers: list[int | None] = list(range(first, last + 1))
    if len(numbers) > MAX_LINES:
        numbers = numbers[: MAX_LINES - 1] + [None] + numbers[-1:]
    text = source.text
    out = []
    for n in numbers:
        if n is None:
            out.append((0, "...", 0, 0, ""))
            continue
        ls, le = _line_bounds(source, n)
        length = le - ls
        a = min(max(start, ls) - ls, length)
        b = min(end, le) - ls
        b = max(b, a + 1) if end > start else a + 1  # an empty span still gets one mark
        if length <= LONG_LINE:
            raw = text[ls:le]
            shown = _display(raw)
            if cell_len(shown) <= budget:
                col = cell_len(_display(raw[:a]))
                width = max(1, cell_len(_display(raw[a:b])))
                out.append((n, shown, col, width, _underline(text, ls + a, ls + min(b, length), primary)))
                continue
        shown, col, width, lo, hi = _crop(text, ls, le, a, b, budget)
        out.append((n, shown, col, width, _underline(text, ls + a, ls + min(b, hi), primary)))
    return out


def _underline(text: str, a: int, b: int, primary) -> str:
    """`^` per display cell of text[a:b], `-` outside the primary part when there is one."""
    if b <= a:
        return "^"
    if primary is None:
        return "^" * max(1, cell_len(_display(text[a:b])))
    ps, pe = primary
    out = []
    for i in range(a, b):
        mark = "^" if ps <= i < pe else "-"
        out.append(mark * cell_len(_display(text[i])))
    return "".join(out) or "^"


def _crop(text: str, ls: int, le: int, a: int, b: int, budget: int = WINDOW) -> tuple[str, int, int, int, int]:
    """A window of the line text[ls:le] around its columns a..b that fits in `budget` display
    cells (rich's measure: a wide character counts two, a tab four), with '…' where text is
    cut: (shown, underline start cell, width, window start, window end), relative to ls.

    About a third of the budget goes to context before the span; whatever the line's end
    leaves unused goes back to the context before.  Only the characters within `budget` of
    the span are looked at, each at most once."""
    length = le - ls
    budget = max(budget, 8)
    room = budget - 2  # an ellipsis at each end, at most
    first = max(0, a - budget)
    segment = text[ls + first : ls + min(length, a + budget)]
    if segment.isascii() and segment.isprintable():  # one cell a character: arithmetic
        lo = max(0, a - room // 3)
        hi = min(length, a + room - (a - lo))
        if hi == length:  # the line ends inside the window: spend the rest before the span
            lo = min(lo, max(0, hi - room - 1))
        before, after = ("…" if lo > 0 else ""), ("…" if hi < length else "")
        shown = before + text[ls + lo : ls + hi] + after
        return shown, len(before) + a - lo, max(1, min(b, hi) - a), lo, hi
    costs = [cell_len(_display(ch)) for ch in segment]

    def cost(i: int) -> int:  # display cells of character i of the line
        return costs[i - first]

    lo, used = a, 0
    while lo > 0 and used + cost(lo - 1) <= room // 3:
        lo -= 1
        used += cost(lo)
    hi = a
    while hi < length and hi - first < len(costs) and used + cost(hi) <= room:
        used += cost(hi)
        hi += 1
    if hi == a and hi < length:  # a character wider than the room: show it anyway
        used += cost(hi)
        hi += 1
    if hi == length:  # the line ends inside the window: spend the rest before the span
        while lo > first and used + cost(lo - 1) <= room + 1:
            lo -= 1
            used += cost(lo)
    before = "…" if lo > 0 else ""
    after = "…" if hi < length else ""
    shown = before + _display(text[ls + lo : ls + hi]) + after
    col = len(before) + sum(cost(i) for i in range(lo, a))
    width = max(1, sum(cost(i) for i in range(a, min(b, hi))))
    return shown, col, width, lo, hi


def _wrap(pieces, width: int | None, indent: str) -> list[list[tuple[str, str | None]]]:
    """(text, style) pieces as lines of at most `width` display cells, broken only between
    words; continuation lines start with `indent`.  A word longer than a line (a long path)
    stands alone rather than being cut.  No width: one line."""
    if width is None or sum(cell_len(t) for t, _ in pieces) <= width:
        return [list(pieces)]
    import re

    units: list[list] = []  # [space before it, [(text, style), ...]]: a word, never broken
    for text, style in pieces:
        for part in re.split(r"( +)", text):
            if not part:
                continue
            if part.startswith(" "):
                if not units or not any(t.strip() for t, _ in units[-1][1]) and not units[-1][0]:
                    if not units:
                        units.append([False, []])
                    units[-1][1].append((part, None))  # leading indentation stays with the first word
                elif units[-1][1]:
                    units.append([True, []])
                continue
            if not units:
                units.append([False, []])
            units[-1][1].append((part, style))
    lines: list[list[tuple[str, str | None]]] = [[]]
    used = 0
    for space, unit in units:
        if not unit:
            continue
        size = sum(cell_len(t) for t, _ in unit)
        if space and used + 1 + size > width and used > cell_len(indent):
            lines.append([(indent, None)] if indent else [])
            used, space = cell_len(indent), False
        if space:
            lines[-1].append((" ", None))
            used += 1
        lines[-1].extend(unit)
        used += size
    return lines


def diagnostic_lines(path: str, source, d, width: int | None = None) -> list[list[tuple[str, str | None]]]:
    """The output lines of one diagnostic, each as (text, style) pieces, fitted to `width`
    display cells (None: no limit; long excerpt lines are still cropped to WINDOW)."""
    line, col = source.position(d.start)
    sev, style = d.severity, STYLE[d.severity]
    header = [(f"{visible_path(path)}:{line}:{col}:", "bold"), (" ", None), (sev, style), (" ", None), (d.rule, "bold"),
              (f" {visible(d.message)} ", None), (f"[{visible(d.name)}]", "dim")]
    out = _wrap(header, width, "    ")
    gutter = len(str(max(source.position(d.start)[0], source.position(d.end)[0])))
    budget = WINDOW if width is None else max(20, min(WINDOW, width - gutter - 3))
    frame = _frame_lines(source, d.start, d.end, d.primary, budget)
    gutter = max(len(str(n)) for n, *_ in frame)
    pad = " " * gutter
    out.append([(pad + " ", None), ("|", "blue")])
    for i, (n, text, c, w, marks) in enumerate(frame):
        number = str(n) if n else ""
        out.append([(f"{number:>{gutter}} |", "blue"), (" " + text, None)])
        if n:
            label = visible(d.label) if d.label and i == len(frame) - 1 else ""
            marks = marks[:w]
            if label and c + len(marks) + 1 + cell_len(label) > budget:  # the label on a row of its own
                out.append([(pad + " ", None), ("|", "blue"), (" " + " " * c, None), (marks, style)])
                at = max(0, min(c, budget - cell_len(label)))
                for row in _wrap([(" " * at + label, style)], budget, ""):
                    out.append([(pad + " ", None), ("|", "blue"), (" ", None), *row])
            else:
                out.append([(pad + " ", None), ("|", "blue"), (" " + " " * c, None), (marks + (f" {label}" if label else ""), style)])
    out.append([(pad + " ", None), ("|", "blue")])
    hang = pad + "   " + " " * len("help: ")
    if d.help:
        out += _wrap([(pad + " ", None), ("=", "blue"), (" ", None), ("help:", "bold"), (f" {visible(d.help)}", None)], width, hang)
    if d.fix_note:  # why --fix leaves this one to the editor
        out += _wrap([(pad + " ", None), ("=", "blue"), (" ", None), ("note:", "bold"), (f" {visible(d.fix_note)}", None)], width, hang)
    out.append([])
    return out


# what rich drops from text it prints (bell, backspace, vertical tab, form feed, CR)
_CONTROL = dict.fromkeys((7, 8, 11, 12, 13))


class _PlainSink:
    """Writes lines as rich would to a stream that is not a terminal: the text alone."""

    def __init__(self, stream):
        self.stream = stream

    def line(self, pieces) -> None:
        self.stream.write("".join(text for text, _ in pieces).translate(_CONTROL) + "\n")


class _RichSink:
    def __init__(self, stream):
        from rich.text import Text

        self.console = make_console(stream)
        self.text = Text

    def line(self, pieces) -> None:
        self.console.print(self.text.assemble(*pieces) if pieces else "")


def _colours(stream) -> bool:
    """Would rich write escape codes to `stream`?  (Its own rules: TTY_COMPATIBLE,
    FORCE_COLOR, then whether the stream is a terminal.)"""
    env = os.environ
    if env.get("TTY_COMPATIBLE") in ("0", "1"):
        return env["TTY_COMPATIBLE"] == "1"
    if env.get("FORCE_COLOR") is not None:
        return env["FORCE_COLOR"] != ""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def sink_for(stream):
    return _RichSink(stream) if _colours(stream) else _PlainSink(stream)


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
    n = len(results) - unreadable  # files checked; those that could not be read are said apart
    files = f"{n} file{'s' if n != 1 else ''}"
    tail = f"; {unreadable} {'file' if unreadable == 1 else 'files'} could not be read" if unreadable else ""
    if not total:
        return f"No problems found in {files}{tail}."
    parts = [f"{c} {sev}{'s' if c != 1 else ''}" for sev, c in counts.items() if c]
    return f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) in {with_findings} of {files}{tail}."


def output_width(stream, sink=None) -> int | None:
    """Display cells per line: on a terminal, rich's Console width (the terminal's, or
    COLUMNS); elsewhere COLUMNS when set, as rich reads it, else no limit, so a CI log or a
    file keeps one greppable header line per finding."""
    if isinstance(sink, _RichSink):
        return sink.console.width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else None


def report(results, stream=None, rules=None) -> None:
    sink = sink_for(stream or sys.stdout)
    width = output_width(stream, sink)
    for r in results:
        if r.error is not None:
            continue  # printed on stderr by the CLI
        for d in r.diagnostics:
            for pieces in diagnostic_lines(r.path, r.source, d, width):
                sink.line(pieces)
    for line in _wrap([(summary_line(results), None)], width, ""):
        sink.line(line)


def worst(results) -> int:
    """Highest severity rank found, -1 when there is nothing."""
    return max((SEVERITY_RANK[d.severity] for r in results for d in r.diagnostics), default=-1)
