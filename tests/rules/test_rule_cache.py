"""The rule-set cache (JSON): hit on the second load, rebuilt when corrupt or when a file changes."""

from __future__ import annotations

from linter.engine import check_source
from linter.ruleset import load_rule_sets
from linter.source import Source

RULES = """\
rules:
  - id: TEST101
    name: test.moonshot
    category: promotional
    severity: warning
    kind: forbidden
    message: "Hype: '{match}'"
    policy: House style
    when: not front_matter.opinion
    options:
      phrases: [moonshot]
"""


def _findings(ruleset, text="# T\n\nA moonshot bet.\n"):
    return [(d.rule, d.message) for d in check_source(Source("a.md", text), ruleset.rules).diagnostics]


def test_cache_hit_corruption_and_change(tmp_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "house.yaml"
    path.write_text(RULES, encoding="utf-8")
    first = load_rule_sets([path])
    [cached] = list((tmp_path / "cache").glob("rules-*.json"))
    second = load_rule_sets([path])
    assert second is not first  # decoded from the cache file
    assert _findings(first) == _findings(second) == [("TEST101", "Hype: 'moonshot'")]
    assert _findings(second, "---\nopinion: true\n---\n\nA moonshot bet.\n") == []  # the condition survived
    cached.write_bytes(b"not json")
    assert _findings(load_rule_sets([path])) == [("TEST101", "Hype: 'moonshot'")]
    path.write_text(RULES.replace("moonshot]", "moonshot, rocket ship]"), encoding="utf-8")
    assert _findings(load_rule_sets([path]), "# T\n\nA rocket ship.\n") == [("TEST101", "Hype: 'rocket ship'")]
    assert len(list((tmp_path / "cache").glob("rules-*.json"))) == 2


def test_no_cache_when_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COPYDESK_NO_CACHE", "1")
    path = tmp_path / "house.yaml"
    path.write_text(RULES, encoding="utf-8")
    load_rule_sets([path])
    assert not (tmp_path / "cache").exists()


def test_old_entries_are_pruned_and_used_ones_kept(tmp_path, monkeypatch):
    import os

    from linter import cache

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    for i in range(cache.KEEP + 3):
        (tmp_path / f"rules-old{i:02d}.json").write_text(str(i))
        os.utime(tmp_path / f"rules-old{i:02d}.json", (1000 + i, 1000 + i))  # old00 least recent
    (tmp_path / "cues-other.json").write_bytes(b"x")
    assert cache.load("old00") == 0  # used: now the most recent of the old entries
    cache.save("new", {"a": 1})
    kept = sorted(p.name for p in tmp_path.glob("rules-*.json"))
    assert len(kept) == cache.KEEP
    assert {"rules-new.json", "rules-old00.json"} <= set(kept)
    assert not {"rules-old01.json", "rules-old02.json", "rules-old03.json", "rules-old04.json"} & set(kept)
    assert (tmp_path / "cues-other.json").exists()  # other kinds untouched


def test_shipped_rule_set_and_cues_round_trip_through_json(tmp_path, monkeypatch):
    """A cached rule set is the rule set: every rule, option, pattern, gate and condition
    reads back as it was written (compared in the cache's own plain form)."""
    from linter import cache
    from linter.document.cues import Cues, default_cues
    from linter.ruleset import shipped_rule_files
    from linter.ruleset.loader import load_rule_sets as load

    monkeypatch.setenv("COPYDESK_NO_CACHE", "1")
    ruleset = load(shipped_rule_files())
    encoded = cache._encode(ruleset)
    import json

    back = cache._decode(json.dumps(encoded).encode())
    assert type(back) is type(ruleset) and cache._encode(back) == encoded
    assert [r.id for r in back.rules] == [r.id for r in ruleset.rules]
    assert all(a.impl is b.impl for a, b in zip(back.rules, ruleset.rules))  # the same kind objects
    assert [r.when for r in back.rules] == [r.when for r in ruleset.rules]
    cues = default_cues.__wrapped__()
    cues_back = cache._decode(json.dumps(cache._encode(cues)).encode())
    assert isinstance(cues_back, Cues) and cues_back.raw == cues.raw
    assert cache._encode(cues_back) == cache._encode(cues)


def test_a_cache_file_naming_anything_but_copydesk_data_is_a_miss(tmp_path, monkeypatch):
    """Decoding builds only copydesk's own plain-field classes from already imported modules:
    a file naming any other class (or an unknown tag) is ignored and the rules are rebuilt."""
    from linter import cache

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    for body in ('{"$o": ["os:system", {}]}', '{"$o": ["linter.cli:main", {}]}', '{"$o": ["linter.ruleset.model:Rule", {"nope": 1}]}',
                 '{"$kind": "nope"}', '{"$eval": "1"}', '{"$when": ["call", "x"]}'):
        (tmp_path / "rules-k.json").write_text(body)
        assert cache.load("k") is None, body


def test_code_digest_changes_with_a_package_file_and_ignores_bytecode(tmp_path, monkeypatch):
    """The key part standing for copydesk's own code: each code or data file's name, size and
    modification time (stat alone, as Python's bytecode cache trusts), not __pycache__."""
    import os

    from linter import cache

    pkg = tmp_path / "linter"
    (pkg / "checks").mkdir(parents=True)
    (pkg / "__pycache__").mkdir()
    (pkg / "engine.py").write_text("x = 1\n")
    (pkg / "checks" / "rules.yaml").write_text("rules: []\n")
    monkeypatch.setattr(cache, "_PACKAGE", str(pkg))

    def digest() -> bytes:
        monkeypatch.setattr(cache, "_code", None)
        return cache.code_digest()

    first = digest()
    (pkg / "__pycache__" / "engine.cpython-311.pyc").write_bytes(b"\0" * 10)
    (pkg / "notes.txt").write_text("not code\n")
    assert digest() == first
    (pkg / "checks" / "rules.yaml").write_text("rules: [1]\n")  # another size
    second = digest()
    assert second != first
    st = os.stat(pkg / "engine.py")
    os.utime(pkg / "engine.py", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # same size, touched
    assert digest() not in (first, second)
