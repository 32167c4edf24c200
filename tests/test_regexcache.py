"""The start-up regex cache: stored programs load as the very patterns `re` compiles, a bad
file is ignored, and a second run neither recompiles nor rewrites."""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import uuid

import pytest

from linter import regexcache

pytestmark = pytest.mark.skipif(regexcache._re_cache() is None, reason="re keeps no dict cache here (Python < 3.11)")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(regexcache, "_stored", {})
    monkeypatch.setattr(regexcache, "_skip", False)
    re.purge()  # as in a new process: only what the test compiles
    yield tmp_path
    re.purge()


def _patterns():
    """Patterns no other test compiles (a fresh suffix), with groups, flags and bytes."""
    tag = uuid.uuid4().hex[:8]
    return [(rf"(?P<word>\w+)-{tag}\s*(\d+)?", re.IGNORECASE), (rf"^(?:a|b){tag}$", re.MULTILINE), (f"x{tag}".encode(), 0)]


def test_saved_programs_load_as_the_patterns_re_compiles(cache_dir):
    patterns = _patterns()
    expected = {(p, f): re.compile(p, f) for p, f in patterns}
    regexcache.save()  # nothing preloaded: the first run writes the file
    assert (cache_dir / regexcache.FILE_NAME).exists()
    re.purge()
    regexcache.preload()
    for (p, f), compiled in expected.items():
        loaded = re._cache[(type(p), p, f)]
        assert loaded == compiled and loaded.groupindex == compiled.groupindex  # flags, code, source
        assert re.compile(p, f) is loaded  # `re` takes it from its cache instead of compiling
    text = "Hello-" + patterns[0][0].split("-")[1][:8] + " 42"
    assert re.compile(*patterns[0]).match(text).group("word", 2) == ("Hello", "42")


def test_a_run_with_few_new_patterns_does_not_rewrite(cache_dir):
    re.compile(*_patterns()[0])
    regexcache.save()
    path = cache_dir / regexcache.FILE_NAME
    before = path.stat().st_mtime_ns
    regexcache.preload()
    re.compile(*_patterns()[1])  # one pattern the file lacks
    regexcache.save()
    assert path.stat().st_mtime_ns == before


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps((("other", 0), {(str, "a", 0): (0, [], 0, {}, ())}))])
def test_a_bad_or_foreign_file_is_ignored(cache_dir, content):
    (cache_dir / regexcache.FILE_NAME).write_bytes(content)
    re.purge()
    regexcache.preload()  # no exception, nothing loaded
    assert regexcache._stored == {}


def test_no_cache_turns_it_off(cache_dir, monkeypatch):
    monkeypatch.setenv("COPYDESK_NO_CACHE", "1")
    re.compile(*_patterns()[0])
    regexcache.save()
    assert not (cache_dir / regexcache.FILE_NAME).exists()


def test_the_console_entry_point_writes_once_and_then_reuses(tmp_path):
    """The first run builds the rule-set cache (its patterns travel there) and stores no
    regex programs; the second stores them; the third reuses them and writes nothing."""
    env = {**os.environ, "COPYDESK_CACHE_DIR": str(tmp_path)}
    env.pop("COPYDESK_NO_CACHE", None)
    cmd = [sys.executable, "-m", "linter", "check", "--format", "concise", "examples/halvorsen-drilling-halt.md"]
    path = tmp_path / regexcache.FILE_NAME
    runs = []
    for _ in range(3):
        done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        runs.append((done.returncode, done.stdout, done.stderr))
        runs_mtime = path.stat().st_mtime_ns if path.exists() else None
        if len(runs) == 1:
            assert runs_mtime is None
        elif len(runs) == 2:
            written = runs_mtime
            _, programs = pickle.loads(path.read_bytes())
            rule_pattern = r"\baccording\s+to\b"  # ATTR201's source phrase, as the rule set compiles it
            assert programs and not any(key[1] == rule_pattern for key in programs)
    assert runs_mtime == written
    assert runs[0] == runs[1] == runs[2]


def test_an_unwritable_cache_leaves_nothing_behind(cache_dir):
    (cache_dir / regexcache.FILE_NAME).mkdir()  # os.replace onto a folder fails
    re.compile(*_patterns()[0])
    regexcache.save()  # no exception
    assert sorted(p.name for p in cache_dir.iterdir()) == [regexcache.FILE_NAME]


def test_a_rewrite_parses_only_the_new_patterns(cache_dir, monkeypatch):
    old = _patterns()
    for p, f in old:
        re.compile(p, f)
    regexcache.save()
    re.purge()
    regexcache.preload()
    new = [(f"new{i}-{uuid.uuid4().hex}", 0) for i in range(regexcache.REWRITE_AFTER_MISSES + 1)]
    for p, f in new:
        re.compile(p, f)
    from linter import textmatch

    parsed = []
    real = textmatch.compiled_program
    monkeypatch.setattr(textmatch, "compiled_program", lambda p, f: parsed.append(p) or real(p, f))
    regexcache.save()
    assert sorted(parsed) == sorted(p for p, _ in new)  # the stored programs are reused as loaded
    _, programs = pickle.loads((cache_dir / regexcache.FILE_NAME).read_bytes())
    assert {(type(p), p, f) for p, f in old + new} <= set(programs)
