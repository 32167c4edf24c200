"""`--fix` inserts only what the publisher configured or what is true by construction, once,
and says what it wrote; `--write-baseline` says what it wrote (issue 18)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from linter.cli import main
from linter.config import discover

ROOT = Path(__file__).resolve().parent.parent.parent
ARTICLE = "---\ntitle: Acme's mine\nsponsored: true\nsponsor: Acme Corp\n---\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n"
ADVICE = "This article is for information only. It is not investment advice and not a recommendation to buy or sell any security."


def _readme_house_wording() -> dict:
    """The `house_wording:` mapping of the documented configuration example
    (docs/configuration.md, its first YAML block)."""
    import yaml

    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", doc, re.DOTALL).group(1)
    wording = yaml.safe_load(block)["house_wording"]
    assert wording, "the documented configuration example shows a house_wording"
    return wording


def test_readme_house_wording_is_inserted_once_and_satisfies_its_rule(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wording = _readme_house_wording()
    (tmp_path / ".copydesk.yaml").write_text(json.dumps({"house_wording": wording}), encoding="utf-8")
    (tmp_path / "article.md").write_text(ARTICLE, encoding="utf-8")
    assert main(["check", "--fix", "article.md", "--select", ",".join(wording)]) == 0
    out = capsys.readouterr()
    assert out.err == f"article.md: fixed {len(wording)} finding{'s' if len(wording) > 1 else ''} ({', '.join(sorted(wording))})\n"
    assert out.out == "No problems found in 1 file.\n"
    fixed = (tmp_path / "article.md").read_text(encoding="utf-8")
    for text in wording.values():
        assert fixed.count(text) == 1
    # twice in a row: nothing more to do, nothing written, the file unchanged
    assert main(["check", "--fix", "article.md", "--select", ",".join(wording)]) == 0
    out = capsys.readouterr()
    assert (out.out, out.err) == ("No problems found in 1 file.\n", "")
    assert (tmp_path / "article.md").read_text(encoding="utf-8") == fixed


def test_position_disclosure_needs_a_configured_wording(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert main(["check", "--fix", "a.md", "--select", "DISC101,DISC102,DISC103"]) == 1
    out = capsys.readouterr()
    assert out.err == "a.md: fixed 2 findings (DISC101, DISC103)\n"
    text = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert "position" not in text and text.count(ADVICE) == 1
    assert text.startswith("---\ntitle: Acme's mine\nsponsored: true\nsponsor: Acme Corp\n---\n\nSponsored content, paid for by Acme Corp.\n\n")
    lines = out.out.splitlines()
    assert lines[0] == ("a.md:7:1: error DISC102 Missing disclosure of the author's and publisher's positions"
                        " (the article mentions 'NASDAQ: ACME') [disclaimer.position-disclosure]")
    assert ("  = note: fix not applied: a position disclosure states facts only the publisher knows;"
            " set house_wording.DISC102 in the configuration to have it inserted") in lines
    # configured: inserted once, and it satisfies DISC102
    held = "Neither the author nor Markets Daily holds a position in Acme Corp."
    (tmp_path / ".copydesk.yaml").write_text(f"house_wording:\n  DISC102: \"{held}\"\n", encoding="utf-8")
    discover.cache_clear()  # one process, two configurations
    for expected_err in ("a.md: fixed 1 finding (DISC102)\n", ""):
        assert main(["check", "--fix", "a.md", "--select", "DISC101,DISC102,DISC103"]) == 0
        out = capsys.readouterr()
        assert (out.out, out.err) == ("No problems found in 1 file.\n", expected_err)
        assert (tmp_path / "a.md").read_text(encoding="utf-8").count(held) == 1


def test_fix_note_in_json(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["check", str(path), "--select", "DISC102", "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"][0]
    assert (d["rule"], "fix" in d, d["fix_note"]) == (
        "DISC102", False,
        "fix not applied: a position disclosure states facts only the publisher knows; set house_wording.DISC102 in the configuration to have it inserted")


def test_house_wording_for_a_rule_without_a_fix_is_refused(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    cfg = tmp_path / ".copydesk.yaml"
    cfg.write_text("house_wording:\n  DISC104: \"Acme paid us $5,000.\"\n", encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"{cfg}:2 error: key 'house_wording.DISC104': DISC104 has no fix to insert a wording with"
        " (rules that do: DISC101, DISC102, DISC103, DISC105, DISC106); to accept a wording without inserting it,"
        " use options.DISC104.accept\n")


def test_help_line_never_shows_a_raw_placeholder(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE.replace("sponsor: Acme Corp\n", ""), encoding="utf-8")
    assert main(["check", str(path), "--select", "DISC103"]) == 1
    out = capsys.readouterr().out
    assert "{" not in out
    assert '  = help: label it before the body, e.g. "Sponsored content, paid for by [sponsor]."\n' in out
    assert "  = note: fix not applied: the wording needs the article's sponsor (set 'sponsor:' in the front matter)\n" in out
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["check", str(path), "--select", "DISC103"]) == 1
    assert '  = help: label it before the body, e.g. "Sponsored content, paid for by Acme Corp."\n' in capsys.readouterr().out


def test_write_baseline_says_what_it_wrote(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Rates\n\nThe Fed held rates, officials said.\n", encoding="utf-8")
    assert main(["check", ".", "--select", "DISC1", "--write-baseline", "base.json", "--format", "concise"]) == 1
    out = capsys.readouterr()
    n = len(json.loads((tmp_path / "base.json").read_text())["findings"])
    assert n == 4
    assert out.err == "base.json: wrote a baseline of 4 findings in 1 file\n"


def test_diff_writes_nothing_and_says_nothing_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert main(["check", "a.md", "--select", "DISC101", "--diff"]) == 1
    out = capsys.readouterr()
    assert out.out.startswith("--- a/a.md\n+++ b/a.md\n")
    assert "fixed" not in out.err
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == ARTICLE


@pytest.mark.parametrize("fmt, name", [("html", "a.html"), ("json", "a.json"), ("text", "a.txt")])
def test_configured_wording_once_in_every_form(tmp_path, capsys, monkeypatch, fmt, name):
    monkeypatch.chdir(tmp_path)
    body = {
        "html": "<h1>Acme</h1>\n<p>Acme Corp. (NASDAQ: ACME) rose 5%.</p>\n",
        "json": '{"headline": "Acme", "body": "Acme Corp. (NASDAQ: ACME) rose 5%."}\n',
        "text": "Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n",
    }[fmt]
    (tmp_path / name).write_text(body, encoding="utf-8")
    held = "The author holds no shares of Acme Corp."
    (tmp_path / ".copydesk.yaml").write_text(f"house_wording:\n  disc102: \"{held}\"\n", encoding="utf-8")
    for _ in range(2):
        assert main(["check", "--fix", name, "--select", "DISC102"]) == 0
    capsys.readouterr()
    assert (tmp_path / name).read_text(encoding="utf-8").count(held) == 1


@pytest.mark.parametrize(
    "wording, message",
    [
        ("a }", "bad placeholder in the wording: Single '}' encountered in format string (write {{ and }} for a literal brace)"),
        ("Costs {50%", "bad placeholder in the wording: expected '}' before end of string (write {{ and }} for a literal brace)"),
        ("x {0} y", "unknown placeholder {0} in the wording (known: {sponsor}, {author}, {byline}, {publisher}, {ticker})"),
        ("b {sponsor.__class__}", "unknown placeholder {sponsor.__class__} in the wording (known: {sponsor}, {author}, {byline}, {publisher}, {ticker})"),
        ("c {sponsor!r:>9}", "unknown placeholder {sponsor!r:>9} in the wording (known: {sponsor}, {author}, {byline}, {publisher}, {ticker})"),
    ],
)
def test_a_wording_is_a_template_of_known_fields_only(tmp_path, capsys, wording, message):
    """A configuration is untrusted: a wording is never handed to str.format as it stands."""
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    cfg = tmp_path / ".copydesk.yaml"
    cfg.write_text("house_wording:\n  DISC101: " + json.dumps(wording) + "\n", encoding="utf-8")
    assert main(["check", "--fix", str(path)]) == 2
    assert capsys.readouterr().err == f"{cfg}:2 error: key 'house_wording.DISC101': {message}\n"
    assert path.read_text(encoding="utf-8") == ARTICLE


def test_a_wording_with_a_placeholder_is_inserted_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.md").write_text(ARTICLE.replace("sponsor: Acme Corp\n", "sponsor: Acme Corp\npublisher: Markets Daily\n"),
                                   encoding="utf-8")
    (tmp_path / ".copydesk.yaml").write_text(
        "house_wording:\n  DISC102: \"Neither the author nor {publisher} holds a position in {ticker}.\"\n", encoding="utf-8")
    for expected in ("a.md: fixed 1 finding (DISC102)\n", "", ""):
        assert main(["check", "--fix", "a.md", "--select", "DISC102"]) == 0
        assert capsys.readouterr().err == expected
    text = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert text.endswith("rose 5%.\n\nNeither the author nor Markets Daily holds a position in NASDAQ: ACME.\n")
