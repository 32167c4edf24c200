"""The real pre-commit, running this checkout's hook in a throw-away article repository.

A clean article commits; a non-compliant one is blocked with the diagnostic in the output.
pre-commit installs the hook from this repository's HEAD commit, so the test needs a git
checkout (skipped otherwise) and the package index (to install the hook's dependencies).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
              pytest.mark.stress]  # pre-commit builds its hook environment


def _run(args, cwd, env):
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def head():
    proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip("this copy of copydesk is not a git checkout: pre-commit needs a repository to install from")
    return proc.stdout.strip()


def test_pre_commit_hook_passes_clean_and_blocks_non_compliant(tmp_path, head):
    pytest.importorskip("pre_commit")
    repo = tmp_path / "articles"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"), "NO_COLOR": "1",
           "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
    env.pop("FORCE_COLOR", None)
    assert _run(["git", "init", "-q"], repo, env).returncode == 0
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: copydesk\n", encoding="utf-8"
    )
    install = _run([sys.executable, "-m", "pre_commit", "install"], repo, env)
    assert install.returncode == 0, install.stdout + install.stderr

    (repo / "clean.md").write_text("# Rates on hold\n\nThe Fed held rates, officials said.\n", encoding="utf-8")
    _run(["git", "add", "."], repo, env)
    ok = _run(["git", "commit", "-m", "clean article"], repo, env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "copydesk (compliance lint)" in ok.stdout + ok.stderr

    (repo / "promo.md").write_text("# Acme\n\nAcme (NASDAQ: ACME) is a sure thing.\n", encoding="utf-8")
    _run(["git", "add", "promo.md"], repo, env)
    blocked = _run(["git", "commit", "-m", "promo"], repo, env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output
    assert "promo.md:3:26: error PROMO202 Claims an investment cannot lose: 'sure thing'" in output
    assert "promo.md:3:1: error DISC101 Missing not-investment-advice disclaimer" in output
    log = _run(["git", "log", "--format=%s"], repo, env).stdout.split()
    assert log == ["clean", "article"]
