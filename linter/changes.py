"""Reporting only what is new, for large existing archives.

`--diff-base REF` keeps findings on lines changed since a git ref (document-level findings,
such as a missing disclaimer, count whenever the file changed at all).  `--baseline FILE`
hides findings recorded earlier by `--write-baseline FILE`, matched by file, rule and the
text of the finding (not its line), so edits above a finding do not bring it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)
BASELINE_VERSION = 1


class ChangeError(Exception):
    """A git or baseline problem: one line, exit code 2."""


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)  # callers read returncode
    except FileNotFoundError:
        raise ChangeError("--diff-base needs git, which is not installed") from None


def resolve_ref(ref: str, folder: str) -> str:
    """The commit id `ref` names, so that git never reads the ref as an option: a ref
    written `--output=FILE` would make `git diff` write FILE.  `--end-of-options` keeps
    rev-parse itself from reading it as one."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\0\n\r"):
        raise ChangeError(f"error: git diff against {ref!r} failed: not a git revision")
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], folder)
    sha = found.stdout.strip()
    if found.returncode != 0 or not re.fullmatch(r"[0-9a-f]{40,64}", sha):
        if "not a git repository" in found.stderr.lower():
            raise ChangeError(f"{folder}: error: --diff-base needs a git repository")
        raise ChangeError(f"error: git diff against '{ref}' failed: not a commit in {folder}")
    return sha


def changed_lines(ref: str, path: str) -> set[int] | None:
    """Lines of `path` added or changed since `ref`; None when the whole file is new."""
    folder = os.path.dirname(os.path.abspath(path)) or "."
    name = os.path.basename(path)
    tracked = _git(["ls-files", "--error-unmatch", "--", name], folder)
    if tracked.returncode != 0:
        if "not a git repository" in tracked.stderr.lower():
            raise ChangeError(f"{path}: error: --diff-base needs a git repository")
        return None  # untracked: every line is new
    ref = resolve_ref(ref, folder)
    at_ref = _git(["cat-file", "-e", f"{ref}:./{name}"], folder)
    diff = _git(["diff", "--no-color", "--unified=0", ref, "--", name], folder)
    if diff.returncode != 0:
        raise ChangeError(f"error: git diff against '{ref}' failed: {diff.stderr.strip().splitlines()[-1] if diff.stderr.strip() else 'unknown error'}")
    if at_ref.returncode != 0:
        return None  # the file did not exist at REF
    lines: set[int] = set()
    for m in _HUNK.finditer(diff.stdout):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        lines.update(range(start, start + count))
        if count == 0:
            lines.add(max(start, 1))  # a pure deletion: the line after it changed
    return lines


def only_changed_lines(ref: str, results):
    out = []
    for r in results:
        if r.error is not None or r.source is None or not os.path.exists(r.path):
            out.append(r)
            continue
        lines = changed_lines(ref, r.path)
        if lines is None:
            out.append(r)
            continue
        kept = []
        for d in r.diagnostics:
            if d.document_level:
                if lines:
                    kept.append(d)
                continue
            first, _ = r.source.position(d.start)
            last, _ = r.source.position(max(d.start, d.end - 1))
            if any(n in lines for n in range(first, last + 1)):
                kept.append(d)
        out.append(r.replace(diagnostics=kept))
    return out


# -- baseline ---------------------------------------------------------------------------------
def _key(baseline_dir: str, r, d) -> tuple[str, str, str]:
    path = Path(os.path.relpath(os.path.abspath(r.path), baseline_dir)).as_posix() if r.path != "<stdin>" else r.path
    content = "document" if d.document_level else " ".join(r.source.text[d.start : d.end].split())
    return path, d.rule, hashlib.sha256(content.encode()).hexdigest()[:16]


def write_baseline(path: str, results) -> None:
    base = os.path.dirname(os.path.abspath(path))
    findings = [
        dict(zip(("path", "rule", "fingerprint"), _key(base, r, d)))
        for r in results
        if r.error is None
        for d in r.diagnostics
    ]
    findings.sort(key=lambda f: (f["path"], f["rule"], f["fingerprint"]))
    Path(path).write_text(json.dumps({"version": BASELINE_VERSION, "findings": findings}, indent=1) + "\n", encoding="utf-8")


def apply_baseline(path: str, results):
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        known = Counter((f["path"], f["rule"], f["fingerprint"]) for f in data["findings"])
    except FileNotFoundError:
        raise ChangeError(f"{path}: error: baseline file not found (write one with --write-baseline)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ChangeError(f"{path}: error: not a copydesk baseline ({exc})") from None
    base = os.path.dirname(os.path.abspath(path))
    out = []
    for r in results:
        if r.error is not None:
            out.append(r)
            continue
        kept = []
        for d in r.diagnostics:
            key = _key(base, r, d)
            if known[key] > 0:
                known[key] -= 1
            else:
                kept.append(d)
        out.append(r.replace(diagnostics=kept))
    return out
