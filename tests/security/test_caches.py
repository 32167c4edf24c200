"""Caches and patterns that others can write (issue 17): nothing loaded from a cache runs code,
a cache folder or file another user could have planted is not used, the report cache is
keyed by the run and survives sharing, damage and an unwritable folder, lark keeps no
file cache, and patterns that backtrack without end are refused with a one-line error."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "halvorsen-drilling-halt.md"
ARCHIVE = ROOT / "tests" / "fixtures" / "archive"
is_root = hasattr(os, "geteuid") and os.geteuid() == 0


class _Payload:
    """Unpickling this creates `marker`: proof that a cache file ran code."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _run(args, cache, cwd=ROOT, extra_env=None):
    env = {k: v for k, v in os.environ.items() if k not in ("COPYDESK_NO_CACHE", "XDG_CACHE_HOME")}
    env["COPYDESK_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = str(ROOT)  # this checkout, also when run from another folder
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _check(cache):
    done = _run(["check", "--format", "concise", str(EXAMPLE)], cache)
    return done.returncode, done.stdout, done.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} if folder.is_dir() else {}


# -- nothing in a cache runs code --------------------------------------------------------------
def test_cache_files_replaced_by_pickle_payloads_run_nothing(tmp_path):
    cache = tmp_path / "cache"
    cold = _check(cache)
    assert cold[0] == 0 and cold[1]
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Payload(marker))
    names = [p.name for p in cache.iterdir()] + [f"regex-programs-{sys.version_info[0]}.{sys.version_info[1]}.pickle"]
    for name in names:  # every cache file a run reads, and the start-up regex cache of old
        (cache / name).write_bytes(payload)
        os.chmod(cache / name, 0o600)
    assert _check(cache) == cold  # rebuilt, same findings
    assert _run(["--version"], cache).returncode == 0
    assert not marker.exists()


def test_the_cache_folder_is_created_private(tmp_path):
    cache = tmp_path / "new" / "cache"
    _check(cache)
    assert (cache.stat().st_mode & 0o777) == 0o700
    assert list(cache.glob("rules-*.json")) and list(cache.glob("cues-*.json"))
    assert all((p.stat().st_mode & 0o077) == 0 for p in cache.iterdir())


def test_a_cached_rule_set_loads_without_yaml_or_lark(tmp_path):
    """The point of the JSON cache: a warm start neither imports PyYAML and lark nor parses
    conditions; the conditions come back as data and still decide."""
    cache = tmp_path / "cache"
    _check(cache)
    probe = (
        "import sys\n"
        "from linter.ruleset import load_rule_sets, shipped_rule_files\n"
        "rules = load_rule_sets(shipped_rule_files()).rules\n"
        "print(sorted(m for m in ('yaml', 'lark') if m in sys.modules), sum(r.when is not None for r in rules))\n"
    )
    env = {**os.environ, "COPYDESK_CACHE_DIR": str(cache)}
    env.pop("COPYDESK_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    assert out.split()[0] == "[]" and int(out.split()[-1]) > 0


# -- a folder or file someone else could have planted is not used -------------------------------
def _planted_variants(tmp_path, cold_cache: Path):
    """A cache whose rule set says something else: used, it would change the findings."""
    planted = tmp_path / "planted"
    shutil.copytree(cold_cache, planted)
    [rules] = planted.glob("rules-*.json")
    text = rules.read_text()
    assert '"message":"' in text
    rules.write_text(text.replace('"message":"', '"message":"PLANTED '))
    return planted, rules


@pytest.mark.parametrize("how", ["symlink", "mode-0777", "other-owner"])
def test_a_cache_folder_others_control_is_not_used(tmp_path, how):
    cold_cache = tmp_path / "cold"
    cold = _check(cold_cache)
    planted, _ = _planted_variants(tmp_path, cold_cache)
    assert _check(planted)[1] != cold[1]  # the planted rule set, if used, changes the findings
    if how == "symlink":
        folder = tmp_path / "link"
        folder.symlink_to(planted, target_is_directory=True)
    elif how == "mode-0777":
        folder = planted
        os.chmod(folder, 0o777)
    else:
        if not is_root:
            pytest.skip("giving a folder to another user needs root")
        folder = planted
        os.chown(folder, 65534, 65534)
    before = _files(planted)
    assert _check(folder) == cold  # the planted rules were not read
    assert _files(planted) == before  # and nothing was written there


@pytest.mark.parametrize("how", ["symlink", "mode-0666", "other-owner"])
def test_a_cache_file_others_control_is_not_read(tmp_path, how):
    cache = tmp_path / "cache"
    cold = _check(cache)
    planted, planted_rules = _planted_variants(tmp_path, cache)
    [rules] = cache.glob("rules-*.json")
    rules.unlink()
    if how == "symlink":
        rules.symlink_to(planted_rules)
    else:
        shutil.copy(planted_rules, rules)
        if how == "mode-0666":
            os.chmod(rules, 0o666)
        elif is_root:
            os.chown(rules, 65534, 65534)
        else:
            pytest.skip("giving a file to another user needs root")
    assert _check(cache) == cold


# -- the report cache ----------------------------------------------------------------------------
def _report(tmp_path, cache, *args, name="r.json", cwd=None):
    out = tmp_path / name
    done = _run(["report", str(ARCHIVE), "-o", str(out), "--jobs", "1", *args], cache, cwd=cwd or tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(out.read_text())["summary"] if out.suffix == ".json" else out.read_text(), done.stderr


def test_a_report_cache_committed_to_the_working_directory_is_ignored(tmp_path):
    """The report cache of old lived in `.copydesk-cache/report.sqlite` of the working
    directory, with pickled rows: a pull request could commit one."""
    from linter import __version__
    from linter.ruleset import load_rule_sets, shipped_rule_files

    truth, _ = _report(tmp_path, tmp_path / "c0", "--no-cache", name="truth.json")
    digest = load_rule_sets(shipped_rule_files()).digest + "False"
    marker = tmp_path / "ran"
    planted = tmp_path / ".copydesk-cache" / "report.sqlite"
    planted.parent.mkdir()
    db = sqlite3.connect(planted)
    db.execute("CREATE TABLE summaries (key TEXT PRIMARY KEY, summary BLOB NOT NULL)")
    for path in sorted(ARCHIVE.rglob("*.*")):
        h = hashlib.sha256(f"{__version__}\0{digest}\0{path}\0".encode())
        h.update(path.read_bytes())
        db.execute("INSERT INTO summaries VALUES (?, ?)", (h.hexdigest(), pickle.dumps(_Payload(marker))))
    db.commit()
    db.close()
    summary, _ = _report(tmp_path, tmp_path / "c1")
    assert not marker.exists()
    assert summary == truth


def test_the_report_cache_is_keyed_by_the_selection(tmp_path):
    cache = tmp_path / "cache"
    truth, _ = _report(tmp_path, cache, "--no-cache", name="truth.json")
    selected, _ = _report(tmp_path, cache, "--select", "UNV", name="unv.json")
    assert selected != truth
    again, _ = _report(tmp_path, cache, name="plain.json")
    assert again == truth
    ignored, _ = _report(tmp_path, cache, "--ignore", "DISC", name="ignored.json")
    assert ignored != truth and ignored["findings"]["error"] < truth["findings"]["error"]


def test_the_report_cache_is_keyed_by_the_configuration(tmp_path):
    cache = tmp_path / "cache"
    truth, _ = _report(tmp_path, cache, name="truth.json")
    (tmp_path / ".copydesk.yaml").write_text("severity: {DISC101: info}\n")
    # (the archive is found outside tmp_path: its articles find no configuration upward, so it is named)
    configured, _ = _report(tmp_path, cache, "--config", str(tmp_path / ".copydesk.yaml"), name="configured.json")
    cold, _ = _report(tmp_path, cache, "--no-cache", "--config", str(tmp_path / ".copydesk.yaml"), name="cold.json")
    assert configured == cold != truth


def test_the_report_cache_lives_in_the_private_folder_as_json_rows(tmp_path):
    cache = tmp_path / "cache"
    _report(tmp_path, cache)
    assert not (tmp_path / ".copydesk-cache").exists()
    db = sqlite3.connect(cache / "report.sqlite")
    rows = db.execute("SELECT summary FROM summaries").fetchall()
    assert rows and all(isinstance(json.loads(r[0]), dict) for r in rows)
    assert (cache / "report.sqlite").stat().st_mode & 0o077 == 0


def test_rows_written_by_someone_else_are_not_taken(tmp_path):
    """A copied or crafted row (valid JSON, wrong MAC) claiming an article is clean."""
    cache = tmp_path / "cache"
    truth, _ = _report(tmp_path, cache, name="truth.json")
    db = sqlite3.connect(cache / "report.sqlite")
    for key, text in db.execute("SELECT key, summary FROM summaries").fetchall():
        row = json.loads(text)
        row.update(counts={}, by_rule={}, by_category={}, by_section={}, score=100)
        db.execute("UPDATE summaries SET summary = ? WHERE key = ?", (json.dumps(row), key))
    db.commit()
    db.close()
    again, _ = _report(tmp_path, cache, name="again.json")
    assert again == truth


def test_two_reports_on_a_cold_shared_cache_both_succeed(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    texts = [p.read_text() for p in sorted(ARCHIVE.rglob("*.md"))]
    for i in range(600):
        (archive / f"a{i:03d}.md").write_text(texts[i % len(texts)] + f"\nNote {i}.\n")
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k != "COPYDESK_NO_CACHE"}
    env["COPYDESK_CACHE_DIR"] = str(cache)
    env["PYTHONPATH"] = str(ROOT)
    runs = [
        subprocess.Popen([sys.executable, "-m", "linter", "report", str(archive), "-o", str(tmp_path / f"r{i}.json"), "--jobs", "1"],
                         cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]
    results = [(r.wait(timeout=600), r.stderr.read()) for r in runs]
    for r in runs:
        r.stdout.close()
        r.stderr.close()
    assert [code for code, _ in results] == [0, 0], results
    assert not any("locked" in err or "Traceback" in err for _, err in results)
    reports = [json.loads((tmp_path / f"r{i}.json").read_text())["summary"] for i in range(2)]
    assert reports[0] == reports[1] and reports[0]["articles"] == 600


def test_a_report_waits_for_another_runs_write(tmp_path):
    """Another run holding the cache's write lock for 8 s (longer than SQLite's default
    5 s wait) delays this run; it does not fail with "database is locked"."""
    import threading
    import time

    db_path = tmp_path / "shared" / "report.sqlite"
    truth, _ = _report(tmp_path, tmp_path / "c0", "--cache", str(db_path), name="first.json")
    archive = tmp_path / "archive"
    shutil.copytree(ARCHIVE, archive)
    for article in archive.rglob("*.md"):
        article.write_text(article.read_text() + "\nA new closing line.\n")
    locked = threading.Event()

    def hold():
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        time.sleep(8)
        other.execute("COMMIT")
        other.close()

    holder = threading.Thread(target=hold)
    holder.start()
    locked.wait(30)
    out = tmp_path / "second.json"
    done = _run(["report", str(archive), "-o", str(out), "--jobs", "1", "--cache", str(db_path)], tmp_path / "c0", cwd=tmp_path)
    holder.join()
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert json.loads(out.read_text())["summary"]["articles"] == truth["articles"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "old-schema"])
def test_a_damaged_report_cache_is_rebuilt(tmp_path, damage):
    cache = tmp_path / "cache"
    truth, _ = _report(tmp_path, cache, name="truth.json")
    db = cache / "report.sqlite"
    if damage == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        data = db.read_bytes()
        db.write_bytes(data[: len(data) // 2] + b"\0" * 17)
    else:
        db.unlink()
        old = sqlite3.connect(db)
        old.execute("CREATE TABLE summaries (key TEXT PRIMARY KEY, summary BLOB NOT NULL)")
        old.commit()
        old.close()
    os.chmod(db, 0o600)
    for name in ("again.json", "warm.json"):
        summary, err = _report(tmp_path, cache, name=name)
        assert summary == truth, err
    assert sqlite3.connect(db).execute("SELECT count(*) FROM summaries").fetchone()[0] > 0


class _Summary:
    def __init__(self, n):
        self.n = n

    def to_data(self):
        return {"n": self.n, "pad": "x" * 2000}


def test_the_report_cache_is_bounded(tmp_path, monkeypatch):
    """SQLite refuses rows past `MAX_BYTES` (the cache is then off for the run, never an
    error), and a database grown that far is started afresh by the next run."""
    from linter.report import cache as report_cache

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setattr(report_cache, "MAX_BYTES", 256 * 1024)
    monkeypatch.setattr(report_cache, "BATCH", 10)
    db_path = str(tmp_path / "c" / "report.sqlite")
    store = report_cache.SummaryCache(db_path)
    for i in range(400):  # about 800 KB of rows
        store.put(f"k{i}", _Summary(i))
    store.close()
    assert os.path.getsize(db_path) <= 256 * 1024
    again = report_cache.SummaryCache(db_path)
    assert again.db is not None
    assert again.db.execute("SELECT count(*) FROM summaries").fetchone()[0] == 0  # started afresh
    again.put("fresh", _Summary(1))
    again.close()
    assert sqlite3.connect(db_path).execute("SELECT key FROM summaries").fetchall() == [("fresh",)]


def test_an_unwritable_cache_folder_is_skipped(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    cache = blocker / "cache"  # cannot be created: a file is in the way
    truth, _ = _report(tmp_path, tmp_path / "c0", "--no-cache", name="truth.json")
    summary, err = _report(tmp_path, cache)
    assert summary == truth and err.count("\n") == 1
    code, out, err = _check(cache)
    assert (code, err) == (0, "") and out
    summary, err = _report(tmp_path, cache, "--cache", str(blocker / "x" / "report.sqlite"), name="explicit.json")
    assert summary == truth and err.count("\n") == 1


# -- lark keeps no file cache ----------------------------------------------------------------
def test_conditions_parse_without_writing_a_temporary_file(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    probe = (
        "from linter.ruleset.condition import compile_condition\n"
        "c = compile_condition('front_matter.sponsored == true or mentions.ticker > 1', ('ticker',))\n"
        "print(c.tree)\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp)}
    for _ in range(2):  # a second process would load what the first stored
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True, capture_output=True)
    assert list(tmp.iterdir()) == []


# -- patterns that backtrack without end ---------------------------------------------------------
HANGING = [r"(a|a)*b", r"(.*,){10}x", r"(a|aa)+$"]

RULE = """\
rules:
  - id: TEST101
    name: test.hype
    category: promotional
    severity: warning
    kind: forbidden
    message: "Hype: '{{match}}'"
    policy: House style
    options:
      patterns: ['{pattern}']
"""

CLAIM = """\
rules:
  - id: TEST201
    name: test.claims
    category: attribution
    severity: warning
    kind: claim
    message: "{{trigger}}"
    policy: House style
    options:
      features: [{{name: figure, weight: 1, pattern: '\\d+', trigger: figure}}]
      sources: [said]
      citation: '{pattern}'
"""


@pytest.mark.parametrize("pattern", HANGING)
def test_the_safety_check_refuses_patterns_that_hang(pattern):
    from linter.patterns.safety import backtracking_risk

    assert backtracking_risk(pattern) is not None
    assert backtracking_risk(pattern, 2) is not None  # case-insensitive too


@pytest.mark.parametrize("template, key, line", [(RULE, "options.patterns", 10), (CLAIM, "options.citation", 12)])
@pytest.mark.parametrize("pattern", HANGING)
def test_a_rule_file_with_a_hanging_pattern_is_a_one_line_error(tmp_path, template, key, line, pattern):
    rules = tmp_path / "house.yaml"
    rules.write_text(template.format(pattern=pattern))
    done = _run(["check", "--rules", str(rules), str(EXAMPLE)], tmp_path / "cache")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{rules}:{line}")
    assert f"key '{key}'" in done.stderr and "backtrack" in done.stderr


@pytest.mark.parametrize("pattern", HANGING)
def test_a_configuration_next_to_an_article_cannot_set_a_hanging_citation(tmp_path, pattern):
    """A `.copydesk.yaml` found beside an article overrides options: its patterns pass the
    same check, and the error names the configuration file and key."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / ".copydesk.yaml").write_text(f"options:\n  ATTR201:\n    citation: '{pattern}'\n")
    article = folder / "a.md"
    article.write_text("# Acme\n\nAcme's revenue rose 12% to $4 billion in 2025.\n")
    done = _run(["check", str(article)], tmp_path / "cache", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(str(folder / ".copydesk.yaml"))
    assert "options.ATTR201.citation" in done.stderr and "backtrack" in done.stderr


def test_patterns_the_check_accepts_do_not_backtrack_without_end(tmp_path):
    """Random small patterns (repeats, groups, alternatives over overlapping classes), seeded:
    every one the check accepts matches 27-character adversarial texts in well under a
    second (a pattern that backtracks exponentially takes seconds to minutes).  Run in a
    child process: a hole in the check must fail the test, not hang the suite."""
    probe = r'''
import random, re, sys, time
from linter.patterns.safety import backtracking_risk
atoms = ['a', 'b', ',', r'\w', r'\s', '.', '[ab]', r'\d', ' ', '[^,]']
def gen(d=0):
    r = random.random()
    if d > 2 or r < 0.35:
        return random.choice(atoms)
    if r < 0.55:
        return gen(d + 1) + gen(d + 1)
    if r < 0.7:
        return '(?:' + gen(d + 1) + '|' + gen(d + 1) + ')'
    return '(?:' + gen(d + 1) + ')' + random.choice(['*', '+', '?', '{0,3}', '{2,12}', '{1,}'])
random.seed(17)
texts = ['a' * 26 + '!', 'a,' * 13 + '!', ' a' * 13 + '!', 'ab' * 13 + '!', '1' * 26 + '!']
accepted = refused = 0
while accepted < 600:
    p = gen() + random.choice(['$', 'x', '!', ''])
    if backtracking_risk(p) is not None:
        refused += 1
        continue
    accepted += 1
    rx = re.compile(p)
    for s in texts:
        t = time.perf_counter()
        rx.search(s)
        if time.perf_counter() - t > 1.0:
            print('SLOW', repr(p), repr(s))
print('accepted', accepted, 'refused', refused)
'''
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "SLOW" not in done.stdout, done.stdout
    refused = int(done.stdout.split()[-1])
    assert refused > 50  # the generator does produce patterns the check refuses


def test_no_shipped_pattern_is_refused():
    """Every regex in the shipped rule sets (as the kinds prepare them) and in the parser's
    cues passes the check."""
    import re

    import yaml

    from linter.checks import KINDS
    from linter.patterns import safety
    from linter.ruleset import load_rule_sets, shipped_rule_files

    seen = []
    real = safety.backtracking_risk

    def spy(pattern, flags=0):
        seen.append(pattern)
        return real(pattern, flags)

    safety.backtracking_risk = spy
    try:
        load_rule_sets(shipped_rule_files(), kinds=KINDS)  # built, not cached: every pattern checked
    finally:
        safety.backtracking_risk = real
    assert len(seen) > 150
    cues = yaml.safe_load((ROOT / "linter" / "document" / "cues.yaml").read_text())
    patterns = [p for group in ("sections", "heading_sections") for ps in (cues.get(group) or {}).values() for p in ps]
    patterns += [cues[k] for k in ("signoff", "run_in_heading") if cues.get(k)]
    assert len(patterns) > 20
    for p in patterns:
        assert real(p, re.IGNORECASE) is None, p
