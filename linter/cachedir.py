"""Where copydesk keeps its caches, and the checks that make them safe to read.

copydesk runs in CI and on shared machines, so a cache is only used from a folder that this
user owns, that nobody else can write and that is not a symbolic link: the folder is
created 0700, an existing one owned by someone else, writable by others or replaced by a
link is ignored (copydesk then runs without a cache); a folder others can only read (0755,
as older versions made it) is used as it is.  Files are opened without following
links and read only when this user owns them and nobody else can write them.  Caches hold
plain data (JSON, SQLite rows of JSON), never anything executable; whatever goes wrong
with a cache, copydesk runs without it.  Plain `os`: cheap to import on every run.
"""

from __future__ import annotations

import os
import stat

MAX_READ = 64 * 1024 * 1024  # no cache file of ours is near this; a bigger one is not ours


def _configured() -> str | None:
    """`$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else `~/.cache/copydesk`;
    None when `COPYDESK_NO_CACHE` is set."""
    if os.environ.get("COPYDESK_NO_CACHE"):
        return None
    base = os.environ.get("COPYDESK_CACHE_DIR")
    if base:
        return os.path.abspath(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "copydesk")
    return os.path.join(os.path.expanduser("~"), ".cache", "copydesk")


def _uid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None  # no owners to check on Windows


def private_enough(st: os.stat_result) -> bool:
    """Owned by this user and not writable by group or others."""
    uid = _uid()
    return uid is None or (st.st_uid == uid and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def cache_folder(create: bool = True) -> str | None:
    """The per-user cache folder, created 0700 when missing; None when caching is off or the
    folder is not safe to use (not a real folder, another user's, writable by others)."""
    path = _configured()
    if path is None:
        return None
    try:
        if create:
            parent = os.path.dirname(path)
            if not os.path.isdir(parent):
                os.makedirs(parent, mode=0o700, exist_ok=True)
            try:
                os.mkdir(path, 0o700)
            except FileExistsError:
                pass
        st = os.lstat(path)  # a symbolic link is not followed: it is refused
    except OSError:  # read-only home, missing folder: no cache
        return None
    if not stat.S_ISDIR(st.st_mode) or not private_enough(st):
        return None
    return path  # an existing folder of ours that others can read (0755) is left as it is


def open_private(path: str, flags: int = os.O_RDONLY) -> int | None:
    """A file descriptor for `path` when it is a regular file of this user's that nobody else
    can write, opened without following a symbolic link; else None."""
    try:
        fd = os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and private_enough(st):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def read(name: str) -> bytes | None:
    """The bytes of cache file `name`, or None (missing, unsafe, unreadable)."""
    folder = cache_folder(create=False)
    if folder is None:
        return None
    fd = open_private(os.path.join(folder, name))
    if fd is None:
        return None
    try:
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_READ + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_READ else None


def write(name: str, data: bytes) -> bool:
    """Write cache file `name` whole or not at all (a private temporary file, then a rename,
    also with runs in parallel); False when it could not be written."""
    folder = cache_folder()
    if folder is None:
        return False
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.{id(data):x}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, os.path.join(folder, name))
        return True
    except OSError:  # full disk, a folder in the way
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def touch(name: str) -> None:
    """Mark cache file `name` as recently used (kept when old entries are pruned)."""
    folder = cache_folder(create=False)
    if folder is not None:
        try:
            os.utime(os.path.join(folder, name), follow_symlinks=False)
        except (OSError, NotImplementedError):
            pass


def prune(prefix: str, suffix: str, keep: int) -> None:
    """Drop all but the `keep` most recently used files named `prefix...suffix` (each
    copydesk version, rule-file edit or configuration adds one; nothing else removes them)."""
    folder = cache_folder(create=False)
    if folder is None:
        return
    try:
        entries = []
        with os.scandir(folder) as it:
            for e in it:
                if e.name.startswith(prefix) and e.name.endswith(suffix) and e.is_file(follow_symlinks=False):
                    entries.append((e.stat(follow_symlinks=False).st_mtime, e.path))
        for _, path in sorted(entries, reverse=True)[keep:]:
            os.unlink(path)
    except OSError:  # another process pruned first, or the folder went away
        pass
