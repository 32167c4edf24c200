"""`check --jobs`: workers send back excerpts, yet every output is byte for byte `--jobs 1`'s."""

from __future__ import annotations

import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.commands.check import compact
from linter.engine import check_source
from linter.excerpt import Excerpt
from linter.ruleset import load_rule_sets, shipped_rule_files
from linter.source import Source

ROOT = Path(__file__).resolve().parent.parent.parent
ARCHIVE = ROOT / "tests" / "fixtures" / "archive"

# line ends of every kind, a tab, astral characters and a finding on the last line without a break
TRICKY = (
    "# Acme\r\n\r\nAcme Corp. (NASDAQ: ACME) rose 5%,\tthe company said. \U0001F680\r\n\r\n"
    "Filler line one.\rFiller line two.\n\nShares will skyrocket, and\nrevenue grew 40% last year.\n\n"
    "Nothing here.\n\nAcme Corp. (NYSE: ACM) is a buy."
)


def _archive(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    shutil.copytree(ARCHIVE, root)
    (root / "tricky.md").write_bytes(TRICKY.encode())
    (root / "tricky.txt").write_bytes(TRICKY.encode())
    return root


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "linter", "check", *args], capture_output=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


@pytest.mark.parametrize("fmt", ["text", "json", "concise", "sarif", "github"])
def test_jobs_2_output_is_byte_identical_to_jobs_1(tmp_path, fmt):
    root = _archive(tmp_path)
    one = _run(["--format", fmt, "--jobs", "1", str(root)])
    two = _run(["--format", fmt, "--jobs", "2", str(root)])
    default = _run(["--format", fmt, str(root)])  # all cores: the default
    assert one.stdout and one.stdout.count(b"DISC101") >= 2  # findings on the fixture and the tricky files
    assert b"broken.json" in one.stderr  # the unreadable fixture is reported the same way too
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert (default.returncode, default.stdout, default.stderr) == (one.returncode, one.stdout, one.stderr)


def test_jobs_2_explain_keeps_not_flagged(tmp_path):
    root = _archive(tmp_path)
    one = _run(["--format", "json", "--explain", "--jobs", "1", str(root)])
    two = _run(["--format", "json", "--explain", "--jobs", "2", str(root)])
    assert b'"not_flagged"' in one.stdout
    assert two.stdout == one.stdout


def _result(text: str):
    rules = load_rule_sets(shipped_rule_files()).rules
    return check_source(Source("tricky.md", text), rules)


def test_excerpt_answers_as_the_source_for_every_span():
    result = _result(TRICKY)
    source = result.source
    assert result.diagnostics
    sent = compact(result, explain=True)
    excerpt = sent.source
    assert isinstance(excerpt, Excerpt)
    for d in result.diagnostics:
        assert excerpt.position(d.start) == source.position(d.start)
        assert excerpt.position(d.end) == source.position(d.end)
        assert excerpt.text[d.start : d.end] == source.text[d.start : d.end]
        first, _ = source.position(d.start)
        last, _ = source.position(d.end)
        for n in range(first, last + 1):
            ls, le = source.index.line_span(n)
            assert excerpt.index.line_span(n) == (ls, le)
            assert excerpt.text[ls:le] == source.text[ls:le]
            assert excerpt.text[le - 1] == source.text[le - 1]
    assert len(excerpt.text) == len(source.text)
    d = result.diagnostics[0]
    assert pickle.loads(pickle.dumps(sent)).source.text[d.start : d.end] == source.text[d.start : d.end]


def test_excerpt_leaves_out_lines_no_span_touches():
    result = _result(TRICKY)
    excerpt = compact(result, explain=True).source
    start = TRICKY.index("Nothing here.")
    with pytest.raises(IndexError, match="outside the excerpt"):
        excerpt.text[start : start + 7]
    assert b"Nothing here." not in pickle.dumps(compact(result, explain=True))
    assert b"Nothing here." in pickle.dumps(result)  # what a worker used to send


def test_jobs_2_writes_the_same_baseline(tmp_path):
    root = _archive(tmp_path)
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    first = _run(["--jobs", "1", "--write-baseline", str(one), str(root)])
    second = _run(["--jobs", "2", "--write-baseline", str(two), str(root)])
    assert one.read_bytes() == two.read_bytes() and b"fingerprint" in one.read_bytes()
    assert second.stdout == first.stdout
