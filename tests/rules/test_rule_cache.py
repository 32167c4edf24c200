"""The rule-set cache: hit on the second load, rebuilt when corrupt or when a file changes."""

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
    [cached] = list((tmp_path / "cache").glob("rules-*.pickle"))
    second = load_rule_sets([path])
    assert second is not first  # unpickled from the cache file
    assert _findings(first) == _findings(second) == [("TEST101", "Hype: 'moonshot'")]
    assert _findings(second, "---\nopinion: true\n---\n\nA moonshot bet.\n") == []  # the condition survived
    cached.write_bytes(b"not a pickle")
    assert _findings(load_rule_sets([path])) == [("TEST101", "Hype: 'moonshot'")]
    path.write_text(RULES.replace("moonshot]", "moonshot, rocket ship]"), encoding="utf-8")
    assert _findings(load_rule_sets([path]), "# T\n\nA rocket ship.\n") == [("TEST101", "Hype: 'rocket ship'")]
    assert len(list((tmp_path / "cache").glob("rules-*.pickle"))) == 2


def test_no_cache_when_disabled(tmp_path, monkeypatch):
    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COPYDESK_NO_CACHE", "1")
    path = tmp_path / "house.yaml"
    path.write_text(RULES, encoding="utf-8")
    load_rule_sets([path])
    assert not (tmp_path / "cache").exists()


def test_old_entries_are_pruned_and_used_ones_kept(tmp_path, monkeypatch):
    import os
    import pickle

    from linter.ruleset import cache

    monkeypatch.setenv("COPYDESK_CACHE_DIR", str(tmp_path))
    for i in range(cache.KEEP + 3):
        (tmp_path / f"rules-old{i:02d}.pickle").write_bytes(pickle.dumps(i))
        os.utime(tmp_path / f"rules-old{i:02d}.pickle", (1000 + i, 1000 + i))  # old00 least recent
    (tmp_path / "cues-other.pickle").write_bytes(b"x")
    assert cache.load("old00") == 0  # used: now the most recent of the old entries
    cache.save("new", {"a": 1})
    kept = sorted(p.name for p in tmp_path.glob("rules-*.pickle"))
    assert len(kept) == cache.KEEP
    assert {"rules-new.pickle", "rules-old00.pickle"} <= set(kept)
    assert not {"rules-old01.pickle", "rules-old02.pickle", "rules-old03.pickle", "rules-old04.pickle"} & set(kept)
    assert (tmp_path / "cues-other.pickle").exists()  # other kinds untouched
