"""Shared by the sub-commands: selectors and finding article files."""

from __future__ import annotations

import os
from pathlib import Path

from ..document import EXTENSIONS


def split_list(values: list[str]) -> list[str]:
    """--select A,B --select C -> [A, B, C]"""
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


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
