"""Text output fits the terminal (rich's own measure): excerpts cropped around the span with
the underline still under it (wide characters, emoji), header and help lines wrapped between
words; at 80 and 120 columns (issue 18)."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from linter.cli import main
from linter.diagnostics import Diagnostic
from linter.reporters import text as text_reporter
from linter.reporters.text import diagnostic_lines
from linter.source import Source

ROOT = Path(__file__).resolve().parent.parent.parent
LINE = ("東京 (Reuters) - 株価は上昇した、投資家は喜んだ 📈📈📈 and Acme Corp. (NASDAQ: ACME) 🚀 said its 新しい鉱山 is a "
        "sure thing 🚀 for investors who buy now, 東京証券取引所 according to a statement on Tuesday and more text here.")
TEXT = "# Title\n\n" + LINE + "\n"


def _lines(d, width, path="a.md", text=TEXT) -> list[str]:
    return ["".join(t for t, _ in pieces) for pieces in diagnostic_lines(path, Source(path, text), d, width)]


def _wide_span():
    a, b = TEXT.index("新しい鉱山"), TEXT.index("sure thing") + len("sure thing")
    return Diagnostic("PROMO202", "promotional.risk-free", "promotional", "error",
                      "Claims an investment cannot lose", "every investment carries risk; remove the claim or state the"
                      " risks in plain words", "", a, b, label="a promise")


def test_wide_characters_at_80_columns():
    assert _lines(_wide_span(), 80) == [
        "a.md:3:77: error PROMO202 Claims an investment cannot lose",
        "    [promotional.risk-free]",
        "  |",
        "3 | …SDAQ: ACME) 🚀 said its 新しい鉱山 is a sure thing 🚀 for investors who bu…",
        "  |                          ^^^^^^^^^^^^^^^^^^^^^^^^^^ a promise",
        "  |",
        "  = help: every investment carries risk; remove the claim or state the risks in",
        "          plain words",
        "",
    ]


def test_wide_characters_at_120_columns():
    assert _lines(_wide_span(), 120) == [
        "a.md:3:77: error PROMO202 Claims an investment cannot lose [promotional.risk-free]",
        "  |",
        "3 | …me Corp. (NASDAQ: ACME) 🚀 said its 新しい鉱山 is a sure thing 🚀 for investors who buy now, 東京証券取引所 …",
        "  |                                      ^^^^^^^^^^^^^^^^^^^^^^^^^^ a promise",
        "  |",
        "  = help: every investment carries risk; remove the claim or state the risks in plain words",
        "",
    ]


def test_a_label_that_does_not_fit_gets_its_own_row():
    a = TEXT.index("here.")
    d = Diagnostic("X001", "x.y", "x", "warning", "m", "", "", a, a + 4, label="a label far too long to stand beside the marks")
    lines = _lines(d, 80)
    assert lines[2:5] == [
        "3 | …now, 東京証券取引所 according to a statement on Tuesday and more text here.",
        "  |                                                                        ^^^^",
        "  |                               a label far too long to stand beside the marks",
    ]


def _underline_under_span(lines, text, a, b) -> None:
    """The row of marks starts under the first character of the span, in display cells."""
    at = next(i for i, s in enumerate(lines) if s.startswith("3 | "))
    row, marks = lines[at], lines[at + 1]
    bar = row.index("| ") + 2
    col = len(marks) - len(marks[bar:].lstrip(" "))
    shown = row[bar:]
    cells, i = 0, 0
    while cells < col - bar:
        cells += cell_len(shown[i])
        i += 1
    assert cells == col - bar, (row, marks)  # never inside a wide character
    assert shown[i:].startswith(text[a:b][: len(shown) - i].rstrip("…")[:1]), (row, marks, text[a:b])


@pytest.mark.parametrize("width", [80, 120])
def test_every_span_of_a_wide_line_is_underlined_in_place(width):
    rnd = random.Random(18)
    line = "".join(rnd.choice(["株", "価", "📈", "a", "b", " ", "é", "\t", "🚀", "x"]) for _ in range(600))
    text = "# T\n\n" + line + "\n"
    base = text.index(line)
    for _ in range(200):
        a = base + rnd.randrange(len(line) - 1)
        b = min(base + len(line), a + rnd.randrange(1, 40))
        if text[a] in " \t":
            continue
        d = Diagnostic("X001", "x.y", "x", "warning", "m", "", "", a, b)
        lines = _lines(d, width, text=text)
        assert all(cell_len(s) <= width for s in lines), lines
        _underline_under_span(lines, text, a, b)


@pytest.mark.parametrize("width", [80, 120])
def test_real_output_fits(width, monkeypatch, capsys):
    """Every line of `copydesk check examples/` fits; only a single word wider than the
    line (none here) could overflow."""
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.chdir(ROOT)
    assert main(["check", "examples/", "tests/fixtures/snapshot-article.md"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) > 100
    assert max(cell_len(s) for s in out) <= width
    headers = [s for s in out if re.match(r"\S+:\d+:\d+: (error|warning|info) ", s)]
    assert len(headers) == 32


def test_a_terminal_uses_richs_width(monkeypatch):
    """On a terminal the width is rich's Console width (here COLUMNS, as rich reads it), and
    rich prints the lines as laid out: no second wrap, no crop."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("NO_COLOR", raising=False)
    from linter.engine import FileResult

    d = _wide_span()
    out = io.StringIO()
    text_reporter.report([FileResult("a.md", "markdown", [d], source=Source("a.md", TEXT))], out)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue()).splitlines()
    assert plain[:9] == _lines(d, 80)
    assert plain[9] == "Found 1 problem (1 error) in 1 of 1 file."


def test_no_width_no_wrap(monkeypatch):
    """Off a terminal with no COLUMNS (a CI log, a file): one header line per finding."""
    monkeypatch.delenv("COLUMNS", raising=False)
    assert text_reporter.output_width(io.StringIO()) is None
    monkeypatch.setenv("COLUMNS", "100")
    assert text_reporter.output_width(io.StringIO()) == 100
