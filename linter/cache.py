"""copydesk's one on-disk cache: where it lives, what it holds, and what it is keyed by.

Where: a per-user folder (`$COPYDESK_CACHE_DIR`, else `$XDG_CACHE_HOME/copydesk`, else
`~/.cache/copydesk`; none with `COPYDESK_NO_CACHE`).  copydesk runs in CI and on shared
machines, so the folder is used only when this user owns it, nobody else can write it and
it is not a symbolic link (created 0700; a folder others can only read, as older versions
made it, is used as it is); files are opened without following links and read only when
this user owns them, nobody else can write them and they are no bigger than `MAX_READ`.

What: plain data, never anything executable.  Prepared rule sets and the parser's cues
are JSON files (`load`, `save`): an object of one of copydesk's own classes is tagged with
the class's name and rebuilt by setting its fields, only for a class of an already
imported `linter` module that keeps plain fields (`__slots__`, or a data class's fields);
a rule's kind is named, a `when:` condition is its record tree, a pattern its source and
flags (compiled when first used).  Anything else in a file makes it a miss: a damaged or
hostile file is ignored and rebuilt.  The report's per-article summaries
(`report.cache`) are JSON rows in this folder too.

Keyed by: what the cached value was built from, derived rather than listed: every code
and data file of the package (name, size and modification time: `code_digest`), the
copydesk and Python versions, and the rule or cue files actually read (their paths and
contents).

Bounded: the `KEEP` most recently used entries per kind are kept; `save` prunes the rest.
Whatever goes wrong with a cache, copydesk runs without it.  Plain `os` at import: this
module is imported on every run.
"""

from __future__ import annotations

import os
import re
import stat
import sys

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


def _prune_files(prefix: str, suffix: str, keep: int) -> None:
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


# -- keys and values -------------------------------------------------------------------------
_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_SUFFIXES = (".py", ".lark", ".yaml")
KEEP = 16  # entries per kind: every rule-set combination and version in recent use
FORMAT = 1  # of the JSON written here


def _sha256():
    import hashlib  # only on the way to a cache file, not when caching is off

    return hashlib.sha256()


_code = None


def code_digest() -> bytes:
    """Every code and data file of the package, by name, size and modification time (what
    Python's own bytecode cache trusts): any change in the code that prepares rules or builds
    what is cached changes every key.  Stat alone: reading and hashing the package's files
    cost a one-article run about 5 ms."""
    global _code
    if _code is None:
        stamps: list[str] = []
        _stamp_files(_PACKAGE, "", stamps)
        h = _sha256()
        h.update("\0".join(sorted(stamps)).encode())
        _code = h.digest()
    return _code


def _stamp_files(folder: str, rel: str, out: list[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith((".", "__")):
                    _stamp_files(entry.path, f"{rel}{entry.name}/", out)
            elif entry.name.endswith(_SUFFIXES):
                st = entry.stat()
                out.append(f"{rel}{entry.name}|{st.st_size}|{st.st_mtime_ns}")


def cache_key(files: list[tuple[str, str]]) -> str:
    from . import __version__

    h = _sha256()
    h.update(f"{FORMAT}|{__version__}|{sys.version_info[:2]}".encode())
    h.update(code_digest())
    for path, text in files:
        h.update(os.path.abspath(path).encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()[:32]


def data_key(path) -> str:
    """Key for a data file (the cues): its path and contents, and the package's code."""
    from . import __version__

    h = _sha256()
    h.update(f"{FORMAT}|{__version__}|{sys.version_info[:2]}|{path}".encode())
    h.update(code_digest())
    with open(path, "rb") as fh:
        h.update(fh.read())
    return h.hexdigest()[:32]


def load(key: str, kind: str = "rules"):
    """The value cached under `key`, or None (missing, unsafe, damaged, foreign)."""
    name = f"{kind}-{key}.json"
    data = read(name)
    if data is None:
        return None
    try:
        value = _decode(data)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError):
        return None  # damaged or not ours: rebuilt
    touch(name)  # recently used: kept when old entries are pruned
    return value


def save(key: str, value, kind: str = "rules") -> None:
    if cache_folder() is None:
        return
    import json

    try:
        data = json.dumps(_encode(value), separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError):  # something that is not plain data: no cache
        return
    if write(f"{kind}-{key}.json", data):
        prune(kind)


def prune(kind: str, keep: int = KEEP) -> None:
    """Drop all but the `keep` most recently used entries of `kind`."""
    _prune_files(f"{kind}-", ".json", keep)


# -- plain-data encoding ----------------------------------------------------------------------
# A JSON object with one key starting with "$" is a tagged value; any other object is a dict
# with string keys.  "$t": tuple, "$f": frozenset, "$s": set, "$d": dict with other keys,
# "$re": a lazily compiled pattern (source, flags), "$rx": a compiled one, "$kind": a rule kind by name, "$when": a condition
# tree, "$o": an object of a linter class ([class name, {field: value}]).


def _encode(value):
    if value is None or isinstance(value, (bool, str, float)):
        return value
    if isinstance(value, int):
        return int(value)  # re flags and other int enums as plain numbers
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, (frozenset, set)):
        items = sorted((_encode(v) for v in value), key=repr)
        return {"$f" if isinstance(value, frozenset) else "$s": items}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"$d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    from .patterns.compile import LazyRegex
    from .ruleset.condition import Condition

    if isinstance(value, LazyRegex):
        literals = None if value.literals is None else [list(req) for req in value.literals]
        return {"$re": [value.source, int(value.flags), literals]}
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        return {"$rx": [value.pattern, int(value.flags)]}
    if isinstance(value, Condition):
        return {"$when": value.to_data()}
    kind = _kind_name(value)
    if kind is not None:
        return {"$kind": kind}
    cls = type(value)
    if _record_class(cls) is None:
        raise TypeError(f"cannot cache a {cls.__module__}.{cls.__qualname__}")
    return {"$o": [f"{cls.__module__}:{cls.__qualname__}", {k: _encode(v) for k, v in _fields(value).items()}]}


def _decode(data: bytes):
    """The value of a cache file; ValueError (or another plain exception) for anything that
    is not what `_encode` writes.  `json` calls the hook bottom-up on every object."""
    import json

    from .patterns.compile import LazyRegex
    from .ruleset.condition import Condition

    classes: dict = {}

    def hook(obj: dict):
        if len(obj) != 1:
            return obj
        (tag, body), = obj.items()
        if tag[:1] != "$":
            return obj
        if tag == "$t":
            return tuple(body)
        if tag == "$f":
            return frozenset(body)
        if tag == "$s":
            return set(body)
        if tag == "$d":
            return {_hashable(k): v for k, v in body}
        if tag == "$re":
            source, flags, literals = body
            if not isinstance(source, str) or not isinstance(flags, int):
                raise ValueError("a pattern is a source and flags")
            if literals is not None:
                if not isinstance(literals, list) or not all(
                        isinstance(req, list) and req and all(isinstance(lit, str) and lit for lit in req) for req in literals):
                    raise ValueError("a pattern's literals are lists of non-empty strings")
                literals = tuple(tuple(req) for req in literals)
            return LazyRegex(source, flags, literals=literals)
        if tag == "$rx":  # a compiled pattern: compiled again, as it was when cached
            source, flags = body
            if not isinstance(source, str) or not isinstance(flags, int):
                raise ValueError("a pattern is a source and flags")
            return re.compile(source, flags)
        if tag == "$when":
            return Condition.from_data(body)
        if tag == "$kind":  # the rule kinds are loaded by whoever loads rules: not imported here
            checks = sys.modules.get("linter.checks")
            if checks is None:
                raise ValueError("no rule kinds loaded")
            return checks.KINDS[body]
        if tag == "$o":
            name, fields = body
            if name not in classes:
                cls = _class_named(name)
                if cls is None:
                    raise ValueError(f"not a class of copydesk's: {name!r}")
                classes[name] = (cls, _slots(cls))
            cls, allowed = classes[name]
            if not isinstance(fields, dict):
                raise ValueError("an object's fields are a mapping")
            obj = object.__new__(cls)
            if allowed is None:
                obj.__dict__.update(fields)  # a data class (frozen ones too): no code runs
            else:
                for k, v in fields.items():
                    if k not in allowed:
                        raise ValueError(f"{name} has no field {k!r}")
                    object.__setattr__(obj, k, v)
            return obj
        raise ValueError(f"unknown tag {tag!r}")

    return json.loads(data, object_hook=hook)


def _hashable(key):
    """A dict key read back: lists were tuples (JSON has no tuples inside "$t" keys' items)."""
    return tuple(_hashable(k) for k in key) if isinstance(key, list) else key


def _kind_name(value) -> str | None:
    checks = sys.modules.get("linter.checks")
    if checks is None:
        return None
    for name, kind in checks.KINDS.items():
        if kind is value:
            return name
    return None


def _slots(cls) -> set[str] | None:
    """The fields of a slotted class (all of its MRO), or None for a class with a __dict__."""
    names: set[str] = set()
    for c in cls.__mro__:
        if c is object:
            continue
        if "__slots__" not in c.__dict__:
            return None
        slots = c.__dict__["__slots__"]
        names.update((slots,) if isinstance(slots, str) else slots)
    return names


def _record_class(cls):
    """`cls` when it is one of copydesk's plain-field classes: defined in a `linter` module,
    slotted (every field listed) or a data class; else None."""
    if not isinstance(cls, type) or not cls.__module__.startswith("linter."):
        return None
    if _slots(cls) is not None or "__dataclass_fields__" in cls.__dict__:
        return cls
    return None


def _class_named(name) -> type | None:
    """The class `module:qualname` from an already imported `linter` module (nothing is
    imported by a name read from a file)."""
    if not isinstance(name, str) or ":" not in name:
        return None
    module_name, qualname = name.split(":", 1)
    module = sys.modules.get(module_name) if module_name.startswith("linter.") else None
    if module is None or "." in qualname:
        return None
    cls = module.__dict__.get(qualname)
    if _record_class(cls) is None or cls.__module__ != module_name:
        return None
    return cls


def _fields(obj) -> dict:
    names = _slots(type(obj))
    if names is None:
        return dict(obj.__dict__)
    return {k: getattr(obj, k) for k in sorted(names) if hasattr(obj, k)}
