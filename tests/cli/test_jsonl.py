"""CMS pipeline mode: a JSON Lines stream in, one JSON result per line out, in order."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def _run(stdin: bytes, *extra):
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", "--input-format", "jsonl", *extra, "-"],
        input=stdin, capture_output=True, cwd=ROOT,
    )


def test_stream_results_in_order_with_ids_and_errors_per_line():
    lines = [
        json.dumps({"id": "a1", "headline": "Acme", "body": "<p>Acme ($ACME) rose.</p><p>Not investment advice. The author holds no positions.</p>"}),
        '{"id": "a2", "headline": ',
        "",
        json.dumps({"id": "a3", "headline": "Hype", "body": "It is a sure thing."}),
        "not json at all",
    ]
    stream = ("\n".join(lines) + "\n").encode()
    proc = _run(stream)
    assert proc.returncode == 2  # a malformed line makes the run an input error
    out = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [(o["line"], o["id"]) for o in out] == [(1, "a1"), (2, None), (4, "a3"), (5, None)]
    assert out[0]["diagnostics"] == []
    assert out[1]["error"] == {"message": "malformed JSON: unexpected end of JSON: expected a value (in the value of key 'headline')", "line": 2, "column": 26}
    d = out[2]["diagnostics"][0]
    assert (d["rule"], d["line"], d["column"], d["pointer"]) == ("PROMO202", 4, 51, "/body")
    text = stream.decode()
    assert text[d["start"] : d["end"]] == "sure thing" == d["match"]
    assert out[3]["error"]["message"].startswith("malformed JSON: unexpected character 'n'")


def test_clean_stream_exits_0_and_findings_exit_1():
    clean = json.dumps({"id": "c", "headline": "Rates", "body": "The Fed held rates, officials said."}) + "\n"
    assert _run(clean.encode()).returncode == 0
    bad = json.dumps({"id": "b", "headline": "Hype", "body": "Guaranteed returns for all."}) + "\n"
    assert _run(bad.encode()).returncode == 1


@pytest.mark.stress  # a long stream
def test_memory_stays_flat_over_a_long_stream():
    """20,000 articles through one process: resident memory must not grow with the stream."""
    line = json.dumps({"id": "x", "headline": "Rates", "body": "<p>The Fed held rates, officials said on Tuesday.</p>"})
    code = (
        "import resource, subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'linter', 'check', '--input-format', 'jsonl', '-'],"
        " stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)\n"
        f"line = {line!r}.encode() + b'\\n'\n"
        "for _ in range(20000): p.stdin.write(line)\n"
        "p.stdin.close(); p.wait()\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    small = code.replace("range(20000)", "range(500)")
    big_kb = int(subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, text=True).stdout)
    small_kb = int(subprocess.run([sys.executable, "-c", small], capture_output=True, cwd=ROOT, text=True).stdout)
    assert big_kb < small_kb * 1.25, (small_kb, big_kb)
