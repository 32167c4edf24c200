"""Shared by the sub-commands: finding article files, the report's output format, and (from
linter/selection.py) choosing the rules."""

from __future__ import annotations

import os
from pathlib import Path

from ..document import EXTENSIONS
from ..selection import (  # noqa: F401 - re-exported
    SelectorError,
    UsageError,
    select_rules,
    split_list,
    without_ignored,
)

REPORT_FORMATS = {".html": "html", ".htm": "html", ".json": "json", ".csv": "csv", ".md": "markdown"}


def report_format(output: str, explicit: str | None = None) -> str:
    """The report format: `--format`, else from the output file's extension; an extension
    copydesk cannot write (`-o x.pdf`) is a UsageError rather than HTML under a PDF's name."""
    if explicit:
        return explicit
    suffix = os.path.splitext(output)[1].lower()
    if suffix not in REPORT_FORMATS:
        known = ", ".join(REPORT_FORMATS)
        raise UsageError(f"copydesk: error: {output}: cannot write a report as {suffix or 'a file with no extension'!r}"
                         f" (use one of {known}, or --format html|json|csv|markdown)")
    return REPORT_FORMATS[suffix]


_GLOB_CHARS = "*?["


def article_paths(paths: list[str], problems: list[str], notes=None) -> list[str]:
    """The articles `copydesk check` reads for `paths`, in order; each path that gives nothing
    to check adds one line to `problems` (the caller exits 2), so a typo, an empty folder or a
    glob that matches nothing never passes as "no problems found":

    - a path that does not exist (and is not a glob matching something),
    - a folder, or a glob's finds, holding no article (by extension; see README),
    - a glob (quoted, so the shell left it alone) that matches nothing.
    """
    import glob

    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        if not os.path.lexists(p):
            if any(c in p for c in _GLOB_CHARS):
                matches = sorted(glob.glob(p, recursive=True))
                if not matches:
                    problems.append(f"{p}: error: no file matches this pattern")
                    continue
                # a quoted glob is a walk: its files count by extension, its folders are walked
                found = [f for f in iter_article_paths(matches, notes, found=True)
                         if os.path.splitext(f)[1].lower() in EXTENSIONS]
                if not found:
                    problems.append(f"{p}: error: no articles to check among the {len(matches)} paths this pattern matches"
                                    f" (articles end in {_extensions()})")
                out.extend(found)
                continue
            problems.append(f"{p}: error: no such file")
            continue
        found = list(iter_article_paths([p], notes))
        if not found and os.path.isdir(p):
            problems.append(f"{p}: error: no articles to check in this folder (articles end in {_extensions()};"
                            f" hidden folders are skipped)")
        out.extend(found)
    return out


def _extensions() -> str:
    return ", ".join(EXTENSIONS)


def iter_article_paths(paths: list[str], notes=None, found: bool = False):
    """Files as given; directories walked (sorted, hidden folders skipped) by extension.

    A walked tree is untrusted (a pull request can add anything to it): symbolic links are
    not followed out of it (a link to /etc/passwd or /dev/zero) and only regular files are
    read (a FIFO named `x.md` would block the run forever).  Each file skipped is a note on
    standard error.  Files named on the command line are the caller's choice, except
    devices (a committed link to /dev/zero, passed on by `git diff --name-only`).  Files a
    glob found (`found=True`) are treated like walked ones, against the working directory."""
    note = notes or _note
    for p in paths:
        if p == "-":
            yield p
            continue
        path = Path(p)
        if path.is_dir():
            top = os.path.realpath(path)
            for root, dirs, files in os.walk(path):  # os.walk does not descend into linked folders
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                for name in sorted(files):
                    if Path(name).suffix.lower() in EXTENSIONS:
                        full = os.path.join(root, name)
                        why = _why_skipped(full, top)
                        if why:
                            note(f"{full}: note: skipped: {why}")
                            continue
                        yield full
        elif found:
            why = _why_skipped(p, os.path.realpath("."))
            if why:
                note(f"{p}: note: skipped: {why}")
                continue
            yield p
        else:
            device = _device(p)
            if device:  # `a.md -> /dev/zero` named on the command line would fill memory
                note(f"{p}: note: skipped: not a regular file ({device})")
                continue
            yield p


def _device(path: str) -> str | None:
    """'a device' when `path` (links followed) is a character or block device, else None.
    A FIFO named on the command line is read: that is how `<(...)` arrives."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # reading it reports the error
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else None


def _why_skipped(path: str, top: str) -> str | None:
    """Why a file found by a walk is not read, or None to read it."""
    import stat

    try:
        st = os.lstat(path)
    except OSError:
        return None  # gone: reading it reports the error
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        if os.path.commonpath([top, target]) != top:
            return "a symbolic link to a file outside the folder being checked"
        try:
            st = os.stat(path)
        except OSError:
            return None  # a broken link inside the tree: reading it reports "no such file"
    if not stat.S_ISREG(st.st_mode):
        kind = ("a FIFO" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode) else "a directory" if stat.S_ISDIR(st.st_mode) else "special")
        return f"not a regular file ({kind})"
    return None


def _note(message: str) -> None:
    import sys

    from ..safetext import one_line

    print(one_line(message), file=sys.stderr)
