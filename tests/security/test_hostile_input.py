"""Issue 17: copydesk on hostile articles, configurations and file systems.

Every test reproduces one item of the adversarial review (it fails on the code before the
fix) and pins the exact behaviour now: exit code, the one line on stderr, rule, line and
column.  Proof-of-concept payloads assert that nothing runs and nothing is written outside
the test's folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main
from tests.conftest import time_limit

ROOT = Path(__file__).resolve().parent.parent.parent
COPYDESK = [sys.executable, "-m", "linter"]
CLAIM_5_LINES = "# Results\n\nRevenue grew 40%\nto $5 billion\nin the year\nafter the merger\nclosed in March.\n"
# a rule of the test's own, so that tuning the shipped rules does not move these findings
HOUSE_RULES = """\
ruleset: house
rules:
  - id: HOUSE101
    name: house.no-long-phrase
    category: promotional
    severity: warning
    kind: forbidden
    message: "Hype: '{match}'"
    policy: "House style"
    scope: [headline, dek, body]
    options:
      phrases: ["revenue grew 40% to $5 billion in the year after the merger closed in March",
                "revenue grew 40% year over year", "sure thing"]
"""
BOMB = "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9) if p else ', '.join(['lol'] * 9)}]\n"
    for p, k in zip([None, *"abcdefgh"], "abcdefghi")
)




def run(argv, capsys, seconds: int = 30):
    """`copydesk ARGV` in this process: (exit code, stdout, stderr)."""
    with time_limit(seconds):
        code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_process(argv, cwd, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COPYDESK_NO_CACHE": "1"}
    return subprocess.run([*COPYDESK, *map(str, argv)], cwd=cwd, env=env, capture_output="stdout" not in kwargs,
                          timeout=120, **kwargs)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- 1. an internal error exits 3 with one line ---------------------------------------------
def test_internal_error_exits_3_with_one_line(tmp_path, capsys, monkeypatch):
    import linter.engine

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug\nsecond line")

    monkeypatch.setattr(linter.engine, "file_result", broken)  # where every article is checked
    code, out, err = run(["check", write(tmp_path, "a.md", CLAIM_5_LINES)], capsys)
    assert code == 3
    assert err == "copydesk: internal error: RuntimeError: simulated bug (please report this)\n"


def house(folder: Path) -> list[str]:
    return ["--no-shipped-rules", "--rules", str(write(folder, "house.yaml", HOUSE_RULES))]


def test_findings_stay_1_and_usage_errors_2(tmp_path, capsys):
    assert run(["check", *house(tmp_path), write(tmp_path, "a.md", CLAIM_5_LINES), "--fail-on", "warning"], capsys)[0] == 1
    code, out, err = run(["check", tmp_path / "missing.md"], capsys)
    assert (code, err) == (2, f"{tmp_path / 'missing.md'}: error: no such file\n")


# -- 2. crashes -----------------------------------------------------------------------------
def test_text_output_of_a_finding_over_five_lines(tmp_path, capsys):
    path = write(tmp_path, "five.md", CLAIM_5_LINES)
    code, out, err = run(["check", *house(tmp_path), path], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{path}:3:1: warning HOUSE101 Hype: 'Revenue grew 40% to $5 billion in the year after the merger closed "
        "in March' [house.no-long-phrase]",
        "  |",
        "3 | Revenue grew 40%",
        "  | ^^^^^^^^^^^^^^^^",
        "4 | to $5 billion",
        "  | ^^^^^^^^^^^^^",
        "5 | in the year",
        "  | ^^^^^^^^^^^",
        "  | ...",
        "7 | closed in March.",
        "  | ^^^^^^^^^^^^^^^",
        "  |",
        "",
        "Found 1 problem (1 warning) in 1 of 1 file.",
    ]


def test_claim_crossing_a_blank_line_inside_an_html_paragraph(tmp_path, capsys):
    path = write(tmp_path, "b.html", "<html><body><h1>Title here</h1><p>Revenue grew 40%\n\nyear over year.</p></body></html>")
    code, out, err = run(["check", *house(tmp_path), path], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[:8] == [
        f"{path}:1:35: warning HOUSE101 Hype: 'Revenue grew 40% year over year' [house.no-long-phrase]",
        "  |",
        "1 | <html><body><h1>Title here</h1><p>Revenue grew 40%",
        "  |                                   ^^^^^^^^^^^^^^^^",
        "2 | ",
        "  | ^",
        "3 | year over year.</p></body></html>",
        "  | ^^^^^^^^^^^^^^",
    ]


def test_a_trigger_underline_over_a_blank_line():
    """The claim check underlines its trigger with `^` and the rest with `-`; a blank line
    inside the span (a claim crossing an empty line in an HTML `<p>`) raised IndexError."""
    from linter.diagnostics import Diagnostic
    from linter.reporters.text import diagnostic_lines
    from linter.source import Source

    text = "<html><body><h1>Title here</h1><p>Revenue grew 40%\n\nyear over year.</p></body></html>"
    start, end = text.index("Revenue"), text.index("</p>")
    trigger = (text.index("40%"), text.index("40%") + 3)
    d = Diagnostic("ATTR201", "attribution.claim-needs-source", "attribution", "warning",
                   "Factual claim has no attribution: figure '40%'", "", "", start, end, primary=trigger,
                   label="figure, no source named")
    lines = ["".join(t for t, _ in pieces) for pieces in diagnostic_lines("b.html", Source("b.html", text), d)]
    assert lines[:8] == [
        "b.html:1:35: warning ATTR201 Factual claim has no attribution: figure '40%' [attribution.claim-needs-source]",
        "  |",
        "1 | <html><body><h1>Title here</h1><p>Revenue grew 40%",
        "  |                                   -------------^^^",
        "2 | ",
        "  | ^",
        "3 | year over year.</p></body></html>",
        "  | --------------- figure, no source named",
    ]


@pytest.mark.stress  # the whole corpus
def test_corpus_runs_to_the_end_in_text_format(capsys):
    """It stopped after about 525 files, on the first finding spanning five lines."""
    from linter.document import EXTENSIONS
    from tests.conftest import CORPUS, need_shared

    corpus = need_shared(CORPUS.parent)
    articles = sum(1 for p in corpus.rglob("*") if p.suffix.lower() in EXTENSIONS)
    code, out, err = run(["check", corpus], capsys, seconds=300)
    assert code == 1 and err == ""
    assert out.splitlines()[-1].endswith(f"of {articles} files.")


def test_invalid_date_in_front_matter_is_a_diagnostic(tmp_path, capsys):
    path = write(tmp_path, "d.md", "---\ntitle: x\ndate: 2026-02-30\n---\n\n# T\n\nHello.\n")
    code, out, err = run(["check", "--format", "concise", path], capsys)
    assert (code, err) == (0, "")
    assert out == (f"{path}:3:7: warning PARSE malformed front matter: invalid value '2026-02-30': "
                   "day is out of range for month (key 'date')\nFound 1 problem (1 warning) in 1 of 1 file.\n")


YAML_REFUSES = [c for c in (*range(1, 0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A, 0x0D, 0x85)]


@pytest.mark.parametrize("char", YAML_REFUSES, ids=lambda c: f"U+{c:04X}")
def test_control_character_in_front_matter_is_a_diagnostic(tmp_path, capsys, char):
    path = write(tmp_path, "c.md", f"---\ntitle: \"a{chr(char)}b\"\nsponsored: true\n---\n\n# T\n\nHello.\n")
    code, out, err = run(["check", "--format", "json", "--select", "PARSE,DISC103", path], capsys)
    assert (code, err) == (1, "")
    found = [(d["rule"], d["line"], d["column"], d["message"]) for d in json.loads(out)["files"][0]["diagnostics"]]
    # the front matter is still read (sponsored: true brings the sponsored-label rule)
    assert found[0] == ("PARSE", 2, 10, f"front matter holds control character U+{char:04X}, read as U+FFFD (key 'title')")
    assert [f[0] for f in found[1:]] == ["DISC103"]


def test_lone_surrogate_escape_in_front_matter(tmp_path, capsys):
    path = write(tmp_path, "s.md", '---\nauthor: "\\ud800"\n---\n\n# T\n\nHello.\n')
    code, out, err = run(["check", "--format", "concise", path], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (f"{path}:2:9: warning PARSE front matter value holds a lone surrogate escape, "
                                   "read as U+FFFD (key 'author')")
    code, out, err = run(["report", path, "-o", tmp_path / "r.json", "--no-cache", "--jobs", "1"], capsys)
    assert code == 0
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["by_author"] == {"\ufffd": 1}


def test_one_hostile_article_does_not_stop_a_report(tmp_path, capsys):
    write(tmp_path, "arts/a.md", "---\ndate: 2026-02-30\n---\n\n# T\n\nHello.\n")
    write(tmp_path, "arts/b.md", "---\ntitle: \"\x1b]52;c;cm0gLXJmIH4=\x07\"\n---\n\n# T\n\nHello.\n")
    write(tmp_path, "arts/c.md", "# T\n\nHello.\n")
    code, out, err = run(["report", tmp_path / "arts", "-o", tmp_path / "r.json", "--no-cache", "--jobs", "1"], capsys)
    assert code == 0
    assert err == f"3 articles, 0 with errors, 3 findings: report written to {tmp_path / 'r.json'}\n"


def test_yaml_alias_bomb_in_front_matter(tmp_path, capsys):
    assert len(BOMB) < 400
    path = write(tmp_path, "bomb.md", f"---\n{BOMB}---\n\n# T\n\nHello.\n")
    code, out, err = run(["check", "--format", "concise", path], capsys, seconds=10)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == (f"{path}:7:4: warning PARSE malformed front matter: expands to more than "
                                   "200,000 values (aliases repeating aliases?) (key 'f')")


def test_yaml_alias_bomb_in_rules_and_configuration(tmp_path, capsys):
    article = write(tmp_path, "a.md", "# T\n\nHello.\n")
    rules = write(tmp_path, "bomb-rules.yaml", BOMB)
    code, out, err = run(["check", "--rules", rules, article], capsys, seconds=10)
    assert (code, err) == (2, f"{rules}:6:4 error: invalid YAML: expands to more than 200,000 values (aliases repeating aliases?)\n")
    config = write(tmp_path, "bomb.yaml", BOMB)
    code, out, err = run(["check", "--config", config, article], capsys, seconds=10)
    assert (code, err) == (2, f"{config}:6 error: invalid YAML: expands to more than 200,000 values (aliases repeating aliases?)\n")
    code, out, err = run(["config", "--config", config], capsys, seconds=10)
    assert (code, out) == (2, "")


def test_yaml_tags_run_nothing_and_huge_numbers_are_diagnostics(tmp_path, capsys):
    planted = tmp_path / "OWNED"
    path = write(tmp_path, "t.md", f"---\nn: 1{'0' * 5000}\nw: !!python/object/apply:os.system [touch {planted}]\n---\n\n# T\n\nHello.\n")
    code, out, err = run(["check", "--format", "concise", path], capsys)
    assert (code, err) == (0, "")
    assert out.splitlines()[:2] == [
        f"{path}:2:4: warning PARSE malformed front matter: invalid value '1{'0' * 39}…': Exceeds the limit (4300 digits) "
        "for integer string conversion: value has 5001 digits (key 'n')",
        f"{path}:3:4: warning PARSE malformed front matter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' (key 'w')",
    ]
    config = write(tmp_path, "evil.yaml", f"fail_on: !!python/object/apply:os.system [touch {planted}]\n")
    code, out, err = run(["check", "--config", config, path], capsys)
    assert (code, err) == (2, f"{config}:1 error: key 'fail_on': invalid value: could not determine a constructor for the "
                              "tag 'tag:yaml.org,2002:python/object/apply:os.system'\n")
    assert not planted.exists()


def test_invalid_value_in_a_configuration_names_file_line_and_key(tmp_path, capsys):
    config = write(tmp_path, "c.yaml", "fail_on: error\nseverity:\n  DISC101: 2026-02-30\n")
    code, out, err = run(["check", "--config", config, write(tmp_path, "a.md", "# T\n\nHello.\n")], capsys)
    assert (code, err) == (2, f"{config}:3 error: key 'severity': invalid value: invalid value '2026-02-30': day is out of range for month\n")


def test_bad_output_paths_are_one_line(tmp_path, capsys):
    article = write(tmp_path, "a.md", "# T\n\nHello.\n")
    missing = tmp_path / "no" / "such" / "r.html"
    assert run(["report", article, "-o", missing, "--no-cache", "--jobs", "1"], capsys)[::2] == (
        2, f"copydesk: error: {missing}: No such file or directory\n")
    assert run(["report", article, "-o", tmp_path, "--no-cache", "--jobs", "1"], capsys)[::2] == (
        2, f"copydesk: error: {tmp_path}: Is a directory\n")
    assert run(["check", article, "--write-baseline", missing], capsys)[::2] == (
        2, f"copydesk: error: {missing}: No such file or directory\n")


def test_missing_jsonl_stream(tmp_path, capsys):
    missing = tmp_path / "missing.jsonl"
    assert run(["check", "--input-format", "jsonl", missing], capsys)[::2] == (2, f"{missing}: error: no such file\n")
    assert run(["report", "--input-format", "jsonl", missing, "-o", tmp_path / "r.json", "--no-cache", "--jobs", "1"], capsys)[::2] == (
        2, f"copydesk: error: {missing}: No such file or directory\n")
    assert not (tmp_path / "r.json").exists()


def test_full_standard_output_is_one_line(tmp_path):
    article = write(tmp_path, "five.md", CLAIM_5_LINES)
    with open("/dev/full", "w") as full:
        proc = run_process(["check", article], tmp_path, stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 2
    assert proc.stderr.decode() == "copydesk: error: standard output: No space left on device\n"


def test_closed_standard_output(tmp_path):
    article = write(tmp_path, "five.md", CLAIM_5_LINES)
    proc = run_process(["check", *house(tmp_path), "--fail-on", "warning", article], tmp_path, stdout=None, stderr=subprocess.PIPE,
                       preexec_fn=lambda: os.close(1))
    assert (proc.returncode, proc.stderr.decode()) == (1, "")


def test_broken_pipe_is_a_quiet_exit(tmp_path):
    for i in range(200):
        write(tmp_path, f"arts/{i:03}.md", CLAIM_5_LINES)
    env = {**os.environ, "NO_COLOR": "1", "COPYDESK_NO_CACHE": "1"}
    proc = subprocess.Popen([*COPYDESK, "check", str(tmp_path / "arts")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    assert (proc.wait(timeout=120), err) == (0, b"")


# -- 3. output injection --------------------------------------------------------------------
ESCAPES = "\x1b]52;c;cm0gLXJmIH4=\x07 \x1b]0;owned\x07\x1b[2J\x9b6n"  # clipboard, title, clear, C1 CSI


@pytest.mark.parametrize("fmt", ["text", "concise"])
def test_article_text_cannot_emit_workflow_commands_or_escapes(tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    name = "::error title=owned::x.md"
    write(tmp_path, name, f"# T\n\nIt is a sure thing {ESCAPES} now.\n")
    code, out, err = run(["check", *house(tmp_path), "--format", fmt, name], capsys)
    assert (code, err) == (0, "")
    assert not [line for line in out.splitlines() if line.lstrip().startswith("::")]
    assert not any(0x00 <= ord(c) < 0x20 and c != "\n" or 0x7F <= ord(c) < 0xA0 for c in out)
    assert out.splitlines()[0].startswith("./::error title=owned::x.md:3:9: warning HOUSE101 Hype: 'sure thing'")
    if fmt == "text":
        assert out.splitlines()[2] == "3 | It is a sure thing ␛]52;c;cm0gLXJmIH4=␇ ␛]0;owned␇␛[2J<U+009B>6n now."


def test_github_format_alone_emits_workflow_commands_escaped(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a,b::c.md", "# T\n\nIt is a sure thing.\n")
    code, out, err = run(["check", *house(tmp_path), "--format", "github", "a,b::c.md"], capsys)
    assert out == ("::warning file=a%2Cb%3A%3Ac.md,line=3,col=9,endLine=3,endColumn=19,"
                   "title=HOUSE101 house.no-long-phrase::Hype: 'sure thing'\n")


def test_parse_shows_control_characters(tmp_path, capsys):
    path = write(tmp_path, "esc.md", f"---\ntitle: \"\\e]0;owned\\a\"\n---\n\n# T\n\nHello {ESCAPES} there.\n")
    code, out, err = run(["parse", path], capsys)
    assert (code, err) == (0, "")
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "  7:1-7:52           body        Hello ␛]52;c;cm0gLXJmIH4=␇ ␛]0;owned␇␛[2J<U+009B>6n there." in out.splitlines()


def test_config_shows_control_characters_of_its_values(tmp_path, capsys):
    config = write(tmp_path, "c.yaml", 'house_wording:\n  DISC101: "a\\x9b2J\\x1b]0;t\\x07"\n')
    code, out, err = run(["config", "--config", config], capsys)
    assert (code, err) == (0, "")
    assert f'house_wording = {{"DISC101": "a<U+009B>2J\\u001b]0;t\\u0007"}}  ({config}:1)' in out.splitlines()


def test_html_report_links_only_http_and_relative(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "javascript:alert(1).md", "# T\n\nIt is a sure thing.\n")
    rules = write(tmp_path, "house.yaml", HOUSE_RULES.replace('policy: "House style"',
                                                              'policy: {ref: "House style", url: "javascript:alert(2)"}'))
    code, out, err = run(["report", "--no-shipped-rules", "--rules", rules, "javascript:alert(1).md", "-o", "r.html",
                          "--no-cache", "--jobs", "1"], capsys)
    assert code == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'href="./javascript:alert(1).md"' in html
    assert "javascript:alert(2)" not in html and 'href="javascript' not in html


def test_markdown_report_is_escaped(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a|b.md", '# T\n\n<!-- copydesk: disable-next-line=HOUSE101 reason="<img src=x onerror=alert(1)> [x](javascript:y)" -->\n'
                              "It is a sure thing.\n")
    code, out, err = run(["report", *house(tmp_path), "a|b.md", "-o", "r.md", "--no-cache", "--jobs", "1"], capsys)
    assert code == 0
    report = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert report.splitlines()[-1] == r"| a\|b.md | 4 | HOUSE101 | \<img src=x onerror=alert\(1\)\> \[x\]\(javascript:y\) |"
    assert "<img" not in report.replace(r"\<img", "")


def test_csv_cells_starting_a_formula_are_neutralised(tmp_path, capsys, monkeypatch):
    import csv

    monkeypatch.chdir(tmp_path)
    write(tmp_path, "=HYPERLINK(1).md", "---\nauthor: \"+cmd|' /C calc'!A0\"\ndesk: \"@SUM(1)\"\n---\n\n# T\n\n"
                                        "It is a sure thing.\n")
    code, out, err = run(["report", *house(tmp_path), "=HYPERLINK(1).md", "-o", "f.csv", "--summary-csv", "s.csv",
                          "--no-cache", "--jobs", "1"], capsys)
    assert code == 0
    [finding] = list(csv.DictReader((tmp_path / "f.csv").open(encoding="utf-8")))
    assert finding["path"] == "'=HYPERLINK(1).md" and finding["match"] == "sure thing"
    [summary] = list(csv.DictReader((tmp_path / "s.csv").open(encoding="utf-8")))
    assert (summary["path"], summary["author"], summary["desk"]) == ("'=HYPERLINK(1).md", "'+cmd|' /C calc'!A0", "'@SUM(1)")


# -- 4. files ---------------------------------------------------------------------------------
SECRET = "root:$6$not-a-real-hash:19000:0:99999:7:::\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_walks_skip_links_out_of_the_tree_and_special_files(tmp_path, capsys):
    secret = write(tmp_path, "outside/secret.md", "# Secret\n\nIt is a sure thing: " + SECRET)
    tree = tmp_path / "tree"
    write(tree, "a.md", "# T\n\nIt is a sure thing.\n")
    os.symlink("a.md", tree / "inside.md")
    os.symlink(secret, tree / "out.md")
    os.symlink("/dev/zero", tree / "zero.md")
    os.mkfifo(tree / "fifo.md")
    code, out, err = run(["check", *house(tmp_path), "--format", "concise", tree], capsys, seconds=20)
    assert code == 0
    assert out == (f"{tree}/a.md:3:9: warning HOUSE101 Hype: 'sure thing'\n"
                   f"{tree}/inside.md:3:9: warning HOUSE101 Hype: 'sure thing'\n"
                   "Found 2 problems (2 warnings) in 2 of 2 files.\n")
    assert err == (f"{tree}/fifo.md: note: skipped: not a regular file (a FIFO)\n"
                   f"{tree}/out.md: note: skipped: a symbolic link to a file outside the folder being checked\n"
                   f"{tree}/zero.md: note: skipped: a symbolic link to a file outside the folder being checked\n")
    code, out, err = run(["report", *house(tmp_path), tree, "-o", tmp_path / "r.json", "--no-cache", "--jobs", "1"], capsys, seconds=20)
    assert code == 0 and json.loads((tmp_path / "r.json").read_text())["summary"]["articles"] == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_files_a_report_glob_finds_are_checked_like_walked_ones(tmp_path, capsys, monkeypatch):
    """`copydesk report 'tree/*.md'`: a FIFO or a link out of the folder that the glob finds
    is skipped with a note, as in a walk (a FIFO would block the report forever)."""
    monkeypatch.chdir(tmp_path)
    secret = write(tmp_path, "outside/secret.md", "# Secret\n\n" + SECRET)
    write(tmp_path, "tree/a.md", "# T\n\nIt is a sure thing.\n")
    os.mkfifo(tmp_path / "tree" / "fifo.md")
    os.symlink(secret, tmp_path / "tree" / "out.md")
    monkeypatch.chdir(tmp_path / "tree")
    code, out, err = run(["report", *house(tmp_path), "*.md", "-o", tmp_path / "r.json", "--no-cache", "--jobs", "1"],
                         capsys, seconds=20)
    assert code == 0 and json.loads((tmp_path / "r.json").read_text())["summary"]["articles"] == 1
    assert err == ("fifo.md: note: skipped: not a regular file (a FIFO)\n"
                   "out.md: note: skipped: a symbolic link to a file outside the folder being checked\n"
                   f"1 articles, 0 with errors, 1 findings: report written to {tmp_path / 'r.json'}\n")


def test_rules_listing_shows_rule_text_and_obeys_no_escape_or_markup(tmp_path, capsys, monkeypatch):
    """A rule file is untrusted too: `copydesk rules` shows its control characters and rich
    markup as text, never sends them to the terminal."""
    monkeypatch.setenv("COLUMNS", "300")
    rules = HOUSE_RULES.replace('policy: "House style"', 'policy: "House \\e]0;pwned\\a [bold]x[/bold]"')
    code, out, err = run(["rules", "--no-shipped-rules", "--rules", write(tmp_path, "house.yaml", rules)], capsys)
    assert (code, err) == (0, "")
    assert "\x1b" not in out and "\x07" not in out
    assert "House ␛]0;pwned␇ [bold]x[/bold]" in out


def test_a_device_named_on_the_command_line_is_skipped(tmp_path, capsys, monkeypatch):
    """`git diff --name-only | xargs copydesk check` passes a committed `zero.md -> /dev/zero`."""
    monkeypatch.chdir(tmp_path)
    os.symlink("/dev/zero", tmp_path / "zero.md")
    write(tmp_path, "a.md", "# T\n\nIt is a sure thing.\n")
    code, out, err = run(["check", *house(tmp_path), "--format", "concise", "zero.md", "a.md"], capsys, seconds=20)
    assert (code, err) == (0, "zero.md: note: skipped: not a regular file (a device)\n")
    assert out == "a.md:3:9: warning HOUSE101 Hype: 'sure thing'\nFound 1 problem (1 warning) in 1 of 1 file.\n"


def test_configuration_naming_a_secret_file_does_not_print_it(tmp_path, capsys):
    shadow = write(tmp_path, "shadow", SECRET)
    config = write(tmp_path, "c.yaml", f"rules: [{shadow}]\n")
    article = write(tmp_path, "a.md", "# T\n\nHello.\n")
    code, out, err = run(["check", "--config", config, article], capsys)
    assert (code, err) == (2, f"{shadow}:1 error: unknown top-level key (expected one of: ruleset, description, rules)\n")
    from linter.config import KEYS

    code, out, err = run(["check", "--config", shadow, article], capsys)
    assert code == 2 and "$6$" not in err and "not-a-real-hash" not in err
    assert err == f"{shadow}:1 error: unknown key (expected one of: {', '.join(KEYS)})\n"


def test_diff_base_cannot_pass_an_option_to_git(tmp_path, capsys, monkeypatch):
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for args in (["init", "-q"], ["config", "user.email", "t@example.com"], ["config", "user.name", "T"]):
        subprocess.run(["git", *args], cwd=tmp_path, check=True)
    write(tmp_path, "a.md", "# T\n\nIt is a sure thing.\n")
    subprocess.run(["git", "add", "a.md"], cwd=tmp_path, check=True)
    subprocess.run(["git", "commit", "-qm", "base"], cwd=tmp_path, check=True)
    monkeypatch.chdir(tmp_path)
    planted = tmp_path / "planted.txt"
    code, out, err = run(["check", *house(tmp_path), f"--diff-base=--output={planted}", "a.md"], capsys)
    assert not planted.exists()
    assert (code, err) == (2, f"error: git diff against '--output={planted}' failed: not a git revision\n")
    code, out, err = run(["check", *house(tmp_path), "--diff-base=HEAD", "--format", "concise", "a.md"], capsys)
    assert (code, out) == (0, "No problems found in 1 file.\n")


# -- 5. --fix -------------------------------------------------------------------------------
NEEDS_DISCLAIMER = "# T\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n"
FIXED = NEEDS_DISCLAIMER + ("\nThis article is for information only. It is not investment advice and not a "
                            "recommendation to buy or sell any security.\n")


def fix(path, capsys):
    return run(["check", "--select", "DISC101", "--fix", "--format", "concise", path], capsys)


def test_fix_writes_through_a_link_inside_the_working_directory(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "target.md", NEEDS_DISCLAIMER)
    os.symlink("target.md", tmp_path / "link.md")
    assert fix("link.md", capsys)[0] == 0
    assert os.readlink(tmp_path / "link.md") == "target.md"
    assert (tmp_path / "target.md").read_text() == FIXED


def test_fix_refuses_a_link_out_of_the_working_directory(tmp_path, capsys, monkeypatch):
    outside = write(tmp_path, "outside/victim.md", NEEDS_DISCLAIMER)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    os.symlink(outside, work / "link.md")
    code, out, err = fix("link.md", capsys)
    assert (code, err) == (2, f"link.md: error: not fixed: a symbolic link to a file outside the working directory ({outside})\n")
    assert outside.read_text() == NEEDS_DISCLAIMER and os.path.islink(work / "link.md")
    assert sorted(os.listdir(work)) == ["link.md"] and sorted(os.listdir(outside.parent)) == ["victim.md"]


def test_fix_keeps_hard_links(tmp_path, capsys):
    a = write(tmp_path, "a.md", NEEDS_DISCLAIMER)
    os.link(a, tmp_path / "b.md")
    assert fix(a, capsys)[0] == 0
    assert (tmp_path / "b.md").read_text() == FIXED and os.stat(a).st_ino == os.stat(tmp_path / "b.md").st_ino


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="changing a file's owner needs root")
def test_fix_keeps_owner_and_mode_when_run_as_root(tmp_path, capsys):
    a = write(tmp_path, "a.md", NEEDS_DISCLAIMER)
    os.chown(a, 65534, 65534)
    os.chmod(a, 0o640)
    assert fix(a, capsys)[0] == 0
    st = os.stat(a)
    assert (a.read_text(), st.st_uid, st.st_gid, st.st_mode & 0o7777) == (FIXED, 65534, 65534, 0o640)


def test_fix_refuses_a_read_only_file(tmp_path, capsys):
    a = write(tmp_path, "a.md", NEEDS_DISCLAIMER)
    os.chmod(a, 0o444)
    code, out, err = fix(a, capsys)
    assert (code, err) == (2, f"{a}: error: not fixed: the file is read-only\n")
    assert out.startswith(f"{a}:3:1: error DISC101 ")
    assert a.read_text() == NEEDS_DISCLAIMER and os.listdir(tmp_path) == ["a.md"]


def test_fix_aborts_when_the_file_changed_while_it_was_checked(tmp_path, capsys, monkeypatch):
    import linter.fixes

    a = write(tmp_path, "a.md", NEEDS_DISCLAIMER)
    real = linter.fixes.fix_source

    def and_an_editor_saves(*args, **kwargs):
        outcome = real(*args, **kwargs)
        a.write_text(NEEDS_DISCLAIMER + "\nAn edit made meanwhile.\n")
        return outcome

    monkeypatch.setattr(linter.fixes, "fix_source", and_an_editor_saves)
    code, out, err = fix(a, capsys)
    assert (code, err) == (2, f"{a}: error: not fixed: the file changed while it was checked; run again\n")
    assert a.read_text() == NEEDS_DISCLAIMER + "\nAn edit made meanwhile.\n"


def test_fix_fills_a_null_json_disclaimer_without_a_second_key(tmp_path, capsys):
    a = write(tmp_path, "a.json", '{"headline": "T", "body": "Acme Corp. (NASDAQ: ACME) rose 5%.", "disclaimer": null}\n')
    assert fix(a, capsys)[0] == 0
    pairs = json.loads(a.read_text(), object_pairs_hook=lambda p: p)
    assert pairs == [("headline", "T"), ("body", "Acme Corp. (NASDAQ: ACME) rose 5%."),
                     ("disclaimer", "This article is for information only. It is not investment advice and not a "
                                    "recommendation to buy or sell any security.")]


# -- 6. text hidden from the checks -----------------------------------------------------------
def test_text_after_nine_nested_lists_is_still_checked(tmp_path, capsys):
    nested = "".join("  " * i + "- item\n" for i in range(12))
    path = write(tmp_path, "deep.md", f"# T\n\n{nested}\nIt is a sure thing.\n")
    code, out, err = run(["check", *house(tmp_path), "--format", "concise", path], capsys)
    assert (code, err) == (0, "")
    assert out == f"{path}:16:9: warning HOUSE101 Hype: 'sure thing'\nFound 1 problem (1 warning) in 1 of 1 file.\n"


def test_text_past_the_nesting_limit_is_checked_with_a_diagnostic(tmp_path, capsys):
    nested = "".join("  " * i + "- item\n" for i in range(31))
    path = write(tmp_path, "deeper.md", f"# T\n\n{nested}\nIt is a sure thing.\n")
    code, out, err = run(["check", *house(tmp_path), "--format", "concise", "--select", "PARSE,HOUSE101", path], capsys)
    assert (code, err) == (0, "")
    assert out == (f"{path}:22:41: warning PARSE Markdown nested more than 40 levels deep: the text from here on is "
                   "checked as plain paragraphs\n"
                   f"{path}:35:9: warning HOUSE101 Hype: 'sure thing'\n"
                   "Found 2 problems (2 warnings) in 1 of 1 file.\n")


# -- 7. quadratic time --------------------------------------------------------------------------
def _seconds(argv, capsys) -> float:
    import time

    start = time.perf_counter()
    run(argv, capsys, seconds=60)
    return time.perf_counter() - start


@pytest.mark.stress  # a 40,000-bracket paragraph
def test_unmatched_brackets_take_linear_time(tmp_path, capsys):
    """20,000 unmatched `[` took 13 s (each walked to the end of the paragraph)."""
    path = write(tmp_path, "b.md", "# T\n\n" + "[" * 40_000 + " It is a sure thing.\n")
    assert _seconds(["check", *house(tmp_path), "--format", "concise", path], capsys) < 8


@pytest.mark.stress  # an 0.8 MB line of findings
def test_a_long_line_of_findings_in_text_output_takes_linear_time(tmp_path, capsys):
    """The text reporter copied and measured the whole line for every finding (0.8 MB: 15.7 s)."""
    path = write(tmp_path, "long.txt", "Headline\n\n" + "It is a sure thing. " * 40_000 + "\n")
    code, out, err = run(["check", *house(tmp_path), path], capsys, seconds=60)
    assert out.count("HOUSE101") == 40_000 and max(map(len, out.splitlines())) < 300
    assert _seconds(["check", *house(tmp_path), path], capsys) < 15


def _old_matching_bracket(src: str, i: int, end: int) -> int:
    """linter/document/inline.py's bracket walk before the memo, as the reference."""
    depth, j = 0, i
    while j < end:
        c = src[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            k = j
            while k < end and src[k] == "`":
                k += 1
            close = src.find(src[j:k], k, end)
            j = close + (k - j) if close != -1 else k
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return -1


@pytest.mark.stress  # 400 generated cases
def test_the_shared_bracket_walk_answers_as_one_walk_per_bracket():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from linter.document.inline import _matching_bracket

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet="[[]]\\`ab(", max_size=40), st.randoms(use_true_random=False))
    def check(src, rnd):
        memo: dict = {}
        starts = [i for i, c in enumerate(src) if c == "["]
        rnd.shuffle(starts)
        for i in starts:
            for end in (len(src), max(i, len(src) - 3)):
                assert _matching_bracket(src, i, end, memo) == _old_matching_bracket(src, i, end), (src, i, end)

    check()


def test_an_article_past_its_time_budget_is_an_error_naming_the_rules_not_run(tmp_path, capsys, monkeypatch):
    """The per-article time budget (COPYDESK_TIME_BUDGET seconds): past it, the remaining rules
    are skipped and said to be, as an error, so an unfinished check never passes as clean."""
    article = write(tmp_path, "a.md", "# T\n\nIt is a sure thing.\n")
    monkeypatch.setenv("COPYDESK_TIME_BUDGET", "0.000001")
    second = HOUSE_RULES.split("rules:\n", 1)[1].replace("HOUSE101", "HOUSE102").replace("house.no-long-phrase", "house.second")
    rules = write(tmp_path, "two.yaml", HOUSE_RULES + second)
    code, out, err = run(["check", "--no-shipped-rules", "--rules", rules, "--format", "concise", article], capsys)
    assert (code, err) == (1, "")
    assert out == (f"{article}:1:1: error BUDGET check stopped after 1e-06 s (at rule HOUSE101); not run: HOUSE102\n"
                   f"{article}:3:9: warning HOUSE101 Hype: 'sure thing'\n"
                   "Found 2 problems (1 error, 1 warning) in 1 of 1 file.\n")
    monkeypatch.setenv("COPYDESK_TIME_BUDGET", "0")  # off
    code, out, err = run(["check", "--no-shipped-rules", "--rules", rules, "--format", "concise", article], capsys)
    assert out.endswith("Found 2 problems (2 warnings) in 1 of 1 file.\n")
