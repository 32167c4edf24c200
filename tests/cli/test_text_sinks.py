"""The text reporter's two sinks print the same text: rich on a terminal, plain elsewhere.

The layout is built once; only the colouring differs.  Off a terminal rich would print no
escape codes, so the plain sink (which never imports rich) must match rich's own output
character for character, control characters and markup-like text included.
"""

from __future__ import annotations

import io

import pytest

from linter.engine import check_source
from linter.reporters import text as text_reporter
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import Source

ARTICLE = (
    "# Acme [bold]Rocket[/bold] \u8cc7\u7523\n\n"
    "Shares \tof Acme (NASDAQ: ACME) will double, guaranteed \u2014 sources said.\x0c Revenue rose 4.2%.\n\n"
    "\u6771\u4eac: The stock is a \u201cmoonshot\u201d\x07, an unnamed official said.\n"
)


@pytest.fixture(scope="module")
def result():
    rules = load_rule_sets(shipped_rule_files()).rules
    res = check_source(Source("a [b].md", ARTICLE), rules)
    assert len(res.diagnostics) >= 3
    return res


def test_plain_sink_prints_what_rich_prints(result):
    through_rich, plain = io.StringIO(), io.StringIO()
    for sink in (text_reporter._RichSink(through_rich), text_reporter._PlainSink(plain)):
        for d in result.diagnostics:
            for pieces in text_reporter.diagnostic_lines(result.path, result.source, d):
                sink.line(pieces)
    assert "\x1b" not in through_rich.getvalue()  # a StringIO is no terminal: no colour either way
    assert plain.getvalue() == through_rich.getvalue()


@pytest.mark.parametrize(
    "env, tty, expected",
    [
        ({}, False, False),
        ({}, True, True),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": ""}, True, False),
        ({"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"}, True, False),
        ({"TTY_COMPATIBLE": "1"}, False, True),
    ],
)
def test_colour_follows_richs_rules(monkeypatch, env, tty, expected):
    for key in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)

    class Stream(io.StringIO):
        def isatty(self):
            return tty

    assert text_reporter._colours(Stream()) is expected
    assert isinstance(text_reporter.sink_for(Stream()), text_reporter._RichSink if expected else text_reporter._PlainSink)


def test_a_terminal_gets_colour(monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = io.StringIO()
    text_reporter.report([check_source(Source("a.md", "# T\n\nRevenue rose 4.2% to $1.3 billion in the third quarter.\n"),
                                       load_rule_sets(shipped_rule_files()).rules)], out)
    assert "\x1b[" in out.getvalue() and "ATTR201" in out.getvalue()
