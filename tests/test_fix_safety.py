"""--fix never drops article text, is idempotent, and keeps the file's form.

Over every article of ../shared/corpus/news/ (each converted to Markdown, HTML, plain text
and CMS JSON, with a ticker added so the disclaimer rules fire) and over generated
articles: the original text is a subsequence of the fixed text (insertions only), and a
second --fix changes nothing.
"""

from __future__ import annotations

import html
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.cli import main
from linter.fixes import fix_source
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import Source

from .conftest import CORPUS, need_shared
from .parser.test_properties import article as generated_article

ROOT = Path(__file__).resolve().parent.parent
INSERTING = [r for r in load_rule_sets(shipped_rule_files()).rules if r.id in ("DISC101", "DISC102", "DISC106")]


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _forms(headline: str, paragraphs: list[str]) -> dict[str, str]:
    return {
        "text": headline + "\n\n" + "\n\n".join(paragraphs) + "\n",
        "markdown": f"---\ntitle: {json.dumps(headline)}\n---\n\n" + "\n\n".join(p.replace("\n", " ") for p in paragraphs) + "\n",
        "html": f"<h1>{html.escape(headline)}</h1>\n" + "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs),
        "json": json.dumps({"headline": headline, "body": "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)}) + "\n",
    }


def _check_safe(text: str, fmt: str) -> None:
    fixed, _, _ = fix_source(Source(f"a.{fmt}", text), INSERTING, fmt)
    assert is_subsequence(text, fixed), "fix dropped text"
    again, edits, _ = fix_source(Source(f"a.{fmt}", fixed), INSERTING, fmt)
    assert (again, edits) == (fixed, 0), "a second --fix changed the article"


@pytest.mark.stress  # the whole corpus, four formats
def test_fix_keeps_every_corpus_article_in_every_format():
    files = sorted(need_shared(CORPUS).rglob("*.txt"))
    changed = 0
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n", 2)
        headline, body = lines[0], (lines[2] if len(lines) > 2 else "")
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()] or ["No body."]
        paragraphs[0] = "Shares of Acme (NYSE: ACME) moved. " + paragraphs[0]
        for fmt, text in _forms(headline, paragraphs).items():
            _check_safe(text, fmt)
            changed += 1
    assert changed == 4 * len(files)


@pytest.mark.stress  # generated articles
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_article, st.sampled_from(["text", "markdown", "html", "json"]))
def test_fix_keeps_generated_articles(parts, fmt):
    headline, paragraphs, _ = parts
    paragraphs = [p for p in paragraphs if p.strip()] or ["x"]
    paragraphs[0] = "Acme ($ACME) rose. " + paragraphs[0]
    _check_safe(_forms(headline.replace("\n", " ") or "T", paragraphs)[fmt], fmt)


def test_fix_writes_atomically_keeping_bom_crlf_final_newline_and_mode(tmp_path, capsys):
    path = tmp_path / "a.md"
    original = "# Acme\r\n\r\nAcme Corp. (NASDAQ: ACME) rose 5%.\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + original.encode())
    os.chmod(path, 0o640)
    assert main(["check", "--fix", "--select", "DISC101", str(path)]) == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode()
    assert text == original + "\r\nThis article is for information only. It is not investment advice and not a recommendation to buy or sell any security.\r\n" or \
        text == original.rstrip("\r\n") + "\r\n\r\nThis article is for information only. It is not investment advice and not a recommendation to buy or sell any security.\r\n"
    assert "\n" not in text.replace("\r\n", "")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert capsys.readouterr().out.splitlines()[-1] == "No problems found in 1 file."


def test_diff_writes_nothing_and_exits_1(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text("# Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n", encoding="utf-8")
    before = path.read_bytes()
    assert main(["check", "--diff", "--select", "DISC101", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"--- {path}"
    assert "+This article is for information only." in out
    assert path.read_bytes() == before


def test_fix_on_standard_input_writes_the_article_to_standard_output():
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--fix", "--select", "DISC101", "--stdin-filename", "x.md", "-"],
        input=b"# Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n", capture_output=True, cwd=ROOT,
    )
    assert proc.returncode == 0
    assert proc.stdout.decode().endswith("rose 5%.\n\nThis article is for information only. It is not investment advice and not a recommendation to buy or sell any security.\n")
    assert proc.stderr.decode() == "x.md: fixed 1 finding (DISC101)\nNo problems found in 1 file.\n"


def test_forbidden_replacement_fix(tmp_path, capsys):
    rules = tmp_path / "house.yaml"
    rules.write_text(
        "rules:\n  - id: TEST101\n    name: test.moonshot\n    category: promotional\n    severity: error\n"
        "    kind: forbidden\n    message: \"Hype: '{match}'\"\n    help: \"say '{replacement}'\"\n    policy: House style\n"
        "    options:\n      phrases: [moonshot]\n      replacement: ambitious plan\n",
        encoding="utf-8",
    )
    path = tmp_path / "a.md"
    path.write_text("# T\n\nMoonshot ahead: a moonshot, and *moon*shot.\n", encoding="utf-8")
    # the phrase that spans Markdown emphasis is left alone (a fix never rewrites markup)
    assert main(["check", "--no-shipped-rules", "--rules", str(rules), "--fix", str(path), "--format", "json"]) == 1
    assert path.read_text(encoding="utf-8") == "# T\n\nAmbitious plan ahead: a ambitious plan, and *moon*shot.\n"
    [left] = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    assert (left["match"], left["fix_note"]) == ("moon*shot", "fix not applied: the phrase spans markup or escapes")
