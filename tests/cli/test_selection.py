"""No silent all-clear: unknown rule ids are errors naming the closest ones, ids match in any
case, and a path with nothing to check is an error (issue 18)."""

from __future__ import annotations

import io
import json
import re

import pytest

from linter.cli import main

TICKER = "# Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%, the company said.\n"


def _article(tmp_path, name="a.md", text=TICKER):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _rules(capsys) -> list[str]:
    data = json.loads(capsys.readouterr().out)
    return [d["rule"] for f in data["files"] for d in f["diagnostics"]]


@pytest.mark.parametrize(
    "flag, value, err",
    [
        ("--select", "UNV3O1", "copydesk: error: --select: unknown rule or category 'UNV3O1' (closest: UNV301, UNV302, UNV303)\n"),
        ("--select", "DISC999", "copydesk: error: --select: unknown rule or category 'DISC999' (closest: DISC101, DISC102, DISC103)\n"),
        ("--ignore", "disclaimr", "copydesk: error: --ignore: unknown rule or category 'disclaimr' (closest: disclaimer, disclaimer.sponsored-label, DISC101)\n"),
        ("--select", "DISC101,PROMO2O1", "copydesk: error: --select: unknown rule or category 'PROMO2O1' (closest: PROMO201, PROMO202, PROMO203)\n"),
    ],
)
def test_unknown_selector_on_the_command_line(tmp_path, capsys, flag, value, err):
    path = _article(tmp_path)
    assert main(["check", str(path), flag, value]) == 2
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", err)


def test_a_selector_like_nothing_still_names_ids(tmp_path, capsys):
    path = _article(tmp_path)
    assert main(["check", str(path), "--select", "NOPE999"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert re.fullmatch(r"copydesk: error: --select: unknown rule or category 'NOPE999' \(closest: [A-Z]+\d{3}, [A-Z]+\d{3}, [A-Z]+\d{3}\)\n", out.err)


@pytest.mark.parametrize("value", ["disc101", "Disc101", "DISCLAIMER.not-investment", "disc10"])
def test_selectors_match_in_any_case(tmp_path, capsys, value):
    path = _article(tmp_path)
    assert main(["check", str(path), "--select", value, "--format", "json"]) == 1
    rules = _rules(capsys)
    assert rules[0] == "DISC101" and set(rules) <= {"DISC101", "DISC102", "DISC103", "DISC104", "DISC105", "DISC106"}


def test_ignore_by_category_in_other_case(tmp_path, capsys):
    path = _article(tmp_path)
    assert main(["check", str(path), "--ignore", "DISCLAIMER", "--format", "json"]) == 0
    assert _rules(capsys) == []


@pytest.mark.parametrize(
    "config, err",
    [
        ("select: [DISC999]\n", "{p}:1 error: key 'select': unknown rule or category 'DISC999' (closest: DISC101, DISC102, DISC103)\n"),
        ("fail_on: error\nignore:\n  - promotionl\n", "{p}:2 error: key 'ignore': unknown rule or category 'promotionl' (closest: promotional, promotional.risk-free, PROMO201)\n"),
        ("per_path_ignores:\n  'drafts/*': [DISC1O1]\n", "{p}:2 error: key 'per_path_ignores.drafts/*': unknown rule or category 'DISC1O1' (closest: DISC101, DISC102, DISC103)\n"),
        ("severity:\n  DISC10: info\n", "{p}:2 error: key 'severity.DISC10': unknown rule id 'DISC10' (closest: DISC101, DISC102, DISC103)\n"),
        ("house_wording:\n  DISC1O2: x\n", "{p}:2 error: key 'house_wording.DISC1O2': unknown rule id 'DISC1O2' (closest: DISC102, DISC101, DISC103)\n"),
        ("select: [7]\n", "{p}:1 error: key 'select': 7 is not a rule id, name or category\n"),
        ("ignore: [" + "x" * 5000 + "]\n", "{p}:1 error: key 'ignore': unknown rule or category '" + "x" * 80 + "...' (closest: ATTR201, DISC101, DISC102)\n"),
    ],
)
def test_unknown_selector_in_the_configuration(tmp_path, capsys, config, err):
    path = _article(tmp_path)
    cfg = tmp_path / ".copydesk.yaml"
    cfg.write_text(config, encoding="utf-8")
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", err.format(p=cfg))


def test_configuration_ids_in_any_case(tmp_path, capsys):
    path = _article(tmp_path)
    (tmp_path / ".copydesk.yaml").write_text("select: [disc101]\nseverity:\n  disc101: warning\n", encoding="utf-8")
    assert main(["check", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["rule"], d["severity"]) for d in data["files"][0]["diagnostics"]] == [("DISC101", "warning")]


def test_select_rules_is_the_one_resolver():
    from linter.commands.common import select_rules as from_common
    from linter.ruleset import load_rule_sets
    from linter.ruleset.loader import shipped_rule_files
    from linter.selection import SelectorError, select_rules

    assert from_common is select_rules
    rules = load_rule_sets([str(p) for p in shipped_rule_files()]).rules
    assert [r.id for r in select_rules(rules, None, ["disc101,DISC102"], ["disc102"])] == ["DISC101"]
    with pytest.raises(SelectorError, match=r"^copydesk: error: --ignore: unknown rule or category 'x9' \(closest: "):
        select_rules(rules, None, [], ["x9"])


# -- nothing to check ----------------------------------------------------------------------
EXT = ".md, .markdown, .mdx, .html, .htm, .xhtml, .txt, .text, .json"


@pytest.mark.parametrize(
    "make, arg, err",
    [
        (lambda t: None, "missing", "missing: error: no such file\n"),
        (lambda t: (t / "empty").mkdir(), "empty", f"empty: error: no articles to check in this folder (articles end in {EXT}; hidden folders are skipped)\n"),
        (lambda t: _article(t, "code/x.py", "print(1)\n"), "code", f"code: error: no articles to check in this folder (articles end in {EXT}; hidden folders are skipped)\n"),
        (lambda t: _article(t, "only/.hidden/a.md"), "only", f"only: error: no articles to check in this folder (articles end in {EXT}; hidden folders are skipped)\n"),
        (lambda t: None, "drafts/*.md", "drafts/*.md: error: no file matches this pattern\n"),
        (lambda t: _article(t, "d/x.py", "1\n"), "d/*", f"d/*: error: no articles to check among the 1 paths this pattern matches (articles end in {EXT})\n"),
        (lambda t: (t / "s.jsonl").write_text("\n\n"), "s.jsonl", "s.jsonl: error: no articles to check (the JSON Lines stream is empty)\n"),
    ],
)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_nothing_to_check_is_an_error(tmp_path, capsys, monkeypatch, make, arg, err, fmt):
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    assert main(["check", arg, "--format", fmt]) == 2
    out = capsys.readouterr()
    assert (out.out, out.err) == ("", err)


def test_no_path_checks_the_current_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == f".: error: no articles to check in this folder (articles end in {EXT}; hidden folders are skipped)\n"
    _article(tmp_path, "sub/a.md")
    assert main(["check", "--format", "concise"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "Found 2 problems (2 errors) in 1 of 1 file."


def test_a_missing_path_beside_an_article_still_fails(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _article(tmp_path, "a.md", "# Rates\n\nThe Fed held rates, officials said.\n")
    assert main(["check", "a.md", "typo.md"]) == 2
    out = capsys.readouterr()
    assert out.err == "typo.md: error: no such file\n"
    assert out.out == "No problems found in 1 file.\n"


def test_unreadable_file_is_counted_not_passed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _article(tmp_path, "a.md", "# Rates\n\nThe Fed held rates, officials said.\n")
    (tmp_path / "b.md").write_bytes(b"\xff\xfe\x00bad")
    assert main(["check", "a.md", "b.md"]) == 2
    out = capsys.readouterr()
    assert out.out == "No problems found in 1 file; 1 file could not be read.\n"
    assert out.err.startswith("b.md:") and out.err.count("\n") == 1
    assert main(["check", "b.md"]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.count("\n") == 1


def test_glob_matches_are_checked(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _article(tmp_path, "news/a.md")
    _article(tmp_path, "news/b.txt", "Plain text.\n")
    assert main(["check", "news/*.md", "--format", "concise"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "Found 2 problems (2 errors) in 1 of 1 file."


def test_jsonl_recognised_by_extension(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "a1", "title": "Acme", "body": "Acme Corp. (NASDAQ: ACME) rose 5%."}) + "\n", encoding="utf-8")
    assert main(["check", "feed.jsonl"]) == 1
    line = json.loads(capsys.readouterr().out)
    assert (line["id"], line["line"]) == ("a1", 1) and "DISC101" in [d["rule"] for d in line["diagnostics"]]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO((tmp_path / "feed.jsonl").read_bytes())))
    assert main(["check", "--stdin-filename", "feed.jsonl", "-"]) == 1  # the name picks the format
    assert json.loads(capsys.readouterr().out)["id"] == "a1"
    _article(tmp_path, "a.md")
    assert main(["check", "feed.jsonl", "a.md"]) == 2
    assert capsys.readouterr().err == ("a.md: error: cannot be checked in the same run as the JSON Lines stream feed.jsonl"
                                       " (a stream's output is one JSON result per line): check them separately\n")


def test_report_format_refuses_unknown_extensions():
    from linter.commands.common import UsageError, report_format

    assert report_format("x.HTML") == "html" and report_format("x.md") == "markdown"
    assert report_format("x.pdf", "json") == "json"
    with pytest.raises(UsageError) as exc:
        report_format("out/x.pdf")
    assert str(exc.value) == ("copydesk: error: out/x.pdf: cannot write a report as '.pdf' "
                              "(use one of .html, .htm, .json, .csv, .md, or --format html|json|csv|markdown)")


def test_the_bundled_promotions_buy_call_is_flagged_whatever_its_disclosures(tmp_path, capsys):
    """'We recommend buying' is the publisher's own call (PROMO205): a disclosure line, even a
    complete one, does not silence it."""
    from pathlib import Path

    promo = (Path(__file__).resolve().parent.parent.parent / "examples" / "sponsored-lithium-promo.md").read_text(encoding="utf-8")
    disclosed = promo + ("\nThis article is for information only. It is not investment advice and not a recommendation to buy"
                         " or sell any security. The author holds no shares of Northwind Lithium.\n")
    for name, text in (("promo.md", promo), ("disclosed.md", disclosed)):
        path = _article(tmp_path, name, text)
        assert main(["check", str(path), "--select", "PROMO205", "--format", "concise"]) == 1
        assert capsys.readouterr().out == (f"{path}:11:1: error PROMO205 The publisher's own buy/sell call: 'We recommend buying'\n"
                                           "Found 1 problem (1 error) in 1 of 1 file.\n")


def test_an_unreadable_file_reaches_every_format(tmp_path, capsys, monkeypatch):
    """A read error is a result of its own: annotated on GitHub, an error notification in
    SARIF, an `error` object in JSON (it used to be on standard error only)."""
    monkeypatch.chdir(tmp_path)
    _article(tmp_path, "a.md", "# Rates\n\nThe Fed held rates, officials said.\n")
    (tmp_path / "b.md").write_bytes(b"\xff\xfe\x00bad")
    message = "binary file (NUL byte); expected a UTF-8 text article"
    assert main(["check", "a.md", "b.md", "--format", "github"]) == 2
    assert capsys.readouterr().out == f"::error file=b.md,line=1,title=copydesk::{message}\n"
    assert main(["check", "a.md", "b.md", "--format", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["files"][1] == {"path": "b.md", "format": None, "diagnostics": [], "error": {"message": message, "line": 1, "column": None}}
    assert data["summary"]["files_unreadable"] == 1
    assert main(["check", "a.md", "b.md", "--format", "sarif"]) == 2
    run = json.loads(capsys.readouterr().out)["runs"][0]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == message
