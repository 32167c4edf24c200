"""The publisher's configured symbols reach the check: a bare `GLXY` is a ticker only where
the configuration lists it, and then the not-advice rule runs on the article."""

from __future__ import annotations

import json

import pytest

from linter.cli import main
from linter.config import discover

ARTICLE = "# Galaxy rises\n\nWe like GLXY this year.\n"


@pytest.fixture(autouse=True)
def _fresh_discovery():
    discover.cache_clear()
    yield
    discover.cache_clear()


@pytest.mark.parametrize("config, expected", [
    ("symbols: [GLXY]\n", [("DISC101", 3, 1, "Missing not-investment-advice disclaimer (the article mentions 'GLXY')")]),
    ("select: [DISC101]\n", []),
])
def test_configured_symbols_make_a_bare_word_a_ticker(tmp_path, capsys, config, expected):
    (tmp_path / ".copydesk.yaml").write_text(config, encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    code = main(["check", str(tmp_path / "a.md"), "--select", "DISC101", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    got = [(d["rule"], d["line"], d["column"], d["message"]) for f in out["files"] for d in f["diagnostics"]]
    assert got == expected
    assert code == (1 if expected else 0)
