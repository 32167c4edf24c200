"""linter/profile.py: a profile is rebuilt when a file it came from changes, even when the
change lands while the profile is being built, and never by two threads at once."""

from __future__ import annotations

import os
import threading
import time

import linter.profile as profile_module
import linter.ruleset as ruleset_module
from linter.profile import Profiles


def write(path, text: str, age: float = 10.0) -> None:
    """Write `text` with an mtime `age` seconds in the past (an edit made well before)."""
    path.write_text(text, encoding="utf-8")
    when = time.time_ns() - int(age * 1e9)
    os.utime(path, ns=(when, when))


def test_a_change_made_during_the_build_is_not_missed(tmp_path, monkeypatch):
    """The configuration is read first, the rule files after; an edit saved in between used to
    be stamped as seen, so the profile built from the old text was kept for good."""
    config = tmp_path / ".copydesk.yaml"
    write(config, "fail_on: error\n")
    real = ruleset_module.load_rule_sets
    edited = []

    def load_and_edit(files):
        if not edited:  # the editor saves while the first build is reading rule files
            config.write_text("fail_on: info\n", encoding="utf-8")
            edited.append(True)
        return real(files)

    monkeypatch.setattr(ruleset_module, "load_rule_sets", load_and_edit)
    profiles = Profiles(config=str(config))
    assert profiles.get().fail_on == "error"  # built from the text read before the save
    assert profiles.get().fail_on == "info"  # the next look notices the save


def test_concurrent_requests_build_a_changed_profile_once(tmp_path, monkeypatch):
    """`copydesk serve` asks for the profile on the event loop (/healthz) and on the checker
    thread at once; a change must not be built by both, into one shared dict."""
    config = tmp_path / ".copydesk.yaml"
    write(config, "fail_on: error\n", age=20)
    profiles = Profiles(config=str(config))
    assert profiles.get().fail_on == "error"
    write(config, "fail_on: warning\n", age=10)
    real, builds, running, overlap = profile_module.build_profile, [], [0], [0]

    def slow_build(*args, **kwargs):
        running[0] += 1
        overlap[0] = max(overlap[0], running[0])
        time.sleep(0.2)
        try:
            builds.append(1)
            return real(*args, **kwargs)
        finally:
            running[0] -= 1

    monkeypatch.setattr(profile_module, "build_profile", slow_build)
    got = []
    threads = [threading.Thread(target=lambda: got.append(profiles.get().fail_on)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == ["warning"] * 6
    assert (len(builds), overlap[0]) == (1, 1)
