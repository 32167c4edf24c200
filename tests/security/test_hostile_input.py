"""Issue 17: copydesk on hostile articles, configurations and file systems.

Every test reproduces one item of the adversarial review (it fails on the code before the
fix) and pins the exact behaviour now: exit code, the one line on stderr, rule, line and
column.  Proof-of-concept payloads assert that nothing runs and nothing is written outside
the test's folder.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from linter.cli import main

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


@contextmanager
def time_limit(seconds: int):
    """Fail, instead of hanging, when the block runs longer than `seconds`."""

    def expire(signum, frame):
        raise TimeoutError(f"no result within {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


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

    monkeypatch.setattr(linter.engine, "check_source", broken)
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
    assert run(["check", "--input-format", "jsonl", missing], capsys)[::2] == (2, f"{missing}: error: cannot read: No such file or directory\n")
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
