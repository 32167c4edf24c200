"""--diff-base (changed lines only) and --baseline (hide known findings by content)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from linter.cli import main

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

OLD = "# Acme\n\nIt is a sure thing.\n\nAcme (NASDAQ: ACME) rose.\n"


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "t@example.com")
    _git(tmp_path, "config", "user.name", "T")
    (tmp_path / "a.md").write_text(OLD, encoding="utf-8")
    (tmp_path / "same.md").write_text(OLD, encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def _rules(data):
    return {f["path"].rsplit("/", 1)[-1]: [(d["rule"], d["line"]) for d in f["diagnostics"]] for f in data["files"]}


def test_diff_base_keeps_changed_lines_and_document_findings(repo, capsys):
    (repo / "a.md").write_text(OLD + "\nIt is a sure bet.\n", encoding="utf-8")
    (repo / "new.md").write_text("# N\n\nNo lose here: a no-lose deal.\n", encoding="utf-8")
    assert main(["check", str(repo), "--diff-base", "HEAD", "--format", "json"]) == 1
    got = _rules(json.loads(capsys.readouterr().out))
    # a.md: the old 'sure thing' (line 3) is not reported, the new line 7 is, and the
    # missing disclaimers (placed at the last body paragraph) count because the file
    # changed; new.md is untracked, so all of it is new; same.md did not change at all
    assert got == {
        "a.md": [("DISC101", 7), ("DISC102", 7), ("PROMO202", 7)],
        "new.md": [("PROMO202", 3), ("PROMO202", 3)],
        "same.md": [],
    }


def test_diff_base_bad_ref_is_exit_2(repo, capsys):
    assert main(["check", str(repo / "a.md"), "--diff-base", "no-such-ref"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: git diff against 'no-such-ref' failed: ") and err.count("\n") == 1


def test_baseline_hides_known_findings_even_when_lines_move(repo, capsys):
    baseline = repo / "copydesk-baseline.json"
    assert main(["check", str(repo / "a.md"), "--write-baseline", str(baseline), "--format", "json"]) == 1
    capsys.readouterr()
    data = json.loads(baseline.read_text())
    assert [(f["path"], f["rule"]) for f in data["findings"]] == [("a.md", "DISC101"), ("a.md", "DISC102"), ("a.md", "PROMO202")]
    # a new paragraph above moves every finding down two lines; one new finding appears
    (repo / "a.md").write_text("# Acme\n\nShares are risk-free now.\n\n" + OLD.split("\n\n", 1)[1], encoding="utf-8")
    assert main(["check", str(repo / "a.md"), "--baseline", str(baseline), "--format", "json"]) == 1
    assert _rules(json.loads(capsys.readouterr().out)) == {"a.md": [("PROMO202", 3)]}


def test_missing_baseline_is_exit_2(repo, capsys):
    assert main(["check", str(repo / "a.md"), "--baseline", str(repo / "nope.json")]) == 2
    assert capsys.readouterr().err == f"{repo / 'nope.json'}: error: baseline file not found (write one with --write-baseline)\n"
