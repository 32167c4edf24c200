"""Start-up regex cache: the compiled programs of the regexes that modules build at import.

A one-article `copydesk check` (the pre-commit hook's cost) spent about a fifth of its time
parsing and compiling the regular expressions that markdown-it-py, PyYAML, argparse, the
standard library and copydesk's own modules build at import: `re` parses them in pure
Python, in every process.  This keeps their programs in a pickle in the cache folder (as
`textmatch.LazyRegex` does for rule patterns) and puts them into `re`'s own cache before
anything else is imported, so those `re.compile` calls find them compiled.

The programs are used only for the same regex engine (`_sre.MAGIC`, Python version) and
only where `re` keeps its cache in a dict (Python 3.11 and later); a pattern the file lacks
is compiled as usual.  The file is rewritten when a run compiled more than a few patterns
it lacks (the first run that found the rule set in its cache, another input format, an
upgraded library), never by a run that rebuilt the rule-set cache; a handful of misses
is normal, since some libraries build a pattern from a set whose order changes from one
process to the next.  Like the rule-set cache, it is an optimisation: whatever goes wrong
with it, copydesk compiles the patterns itself.
"""

from __future__ import annotations

import os
import re
import sys

from .cachedir import cache_folder

# one file per Python version: programs of one engine are no use to another
FILE_NAME = f"regex-programs-{sys.version_info[0]}.{sys.version_info[1]}.pickle"
KEEP = 400  # below `re`'s own cache size (512), so preloading evicts nothing
REWRITE_AFTER_MISSES = 5

_stored: dict[tuple, tuple] = {}  # what the file held: `re`'s cache key -> compiled program
_skip = False


def skip_this_run() -> None:
    """This run compiled patterns that a usual start does not (it rebuilt the rule-set or cues
    cache, whose patterns travel in that cache): store nothing from it."""
    global _skip
    _skip = True


def preload() -> None:
    """Fill `re`'s cache with the programs stored by an earlier run."""
    cache, path = _re_cache(), _cache_file()
    if cache is None or path is None:
        return
    try:
        import _sre
        import pickle

        with open(path, "rb") as fh:
            version, programs = pickle.load(fh)
        if version != engine_version():
            return
        for key, program in programs.items():  # keys as `re` keys its cache: (str or bytes, pattern, flags)
            if key[0] not in (str, bytes):
                continue
            if key not in cache:
                cache[key] = _sre.compile(key[1], *program)
            _stored[key] = program
    except Exception:  # a missing, stale or unreadable file: compile as usual
        return


def save() -> None:
    """Store the programs of the patterns in `re`'s cache when this run compiled more than a
    few that the file lacked; this run's patterns first (the newest first), then the file's
    earlier ones, `KEEP` at most.  Only the new patterns are parsed again."""
    cache, path = _re_cache(), _cache_file()
    if cache is None or path is None or _skip:
        return
    try:
        keys = [k for k in reversed(list(cache)) if k[0] in (str, bytes) and not k[2] & re.DEBUG]  # newest first
        if _stored and sum(1 for k in keys if k not in _stored) <= REWRITE_AFTER_MISSES:
            return
        import pickle

        from .textmatch import compiled_program

        programs: dict = {}
        for key in keys:
            program = _stored.get(key) or compiled_program(key[1], key[2])
            if program is not None:
                programs[key] = program
        for key, program in _stored.items():
            if len(programs) >= KEEP:
                break
            programs.setdefault(key, program)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as fh:
                pickle.dump((engine_version(), dict(list(programs.items())[:KEEP])), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)  # whole or not at all, also with runs in parallel
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception:  # an unwritable cache folder: nothing to keep
        return


def _re_cache() -> dict | None:
    """`re`'s cache of compiled patterns, keyed (type, pattern, flags), where it is a dict
    and the program of a pattern can be worked out (Python 3.11 and later)."""
    cache = getattr(re, "_cache", None)
    if sys.version_info < (3, 11) or not isinstance(cache, dict):
        return None
    return cache


def _cache_file() -> str | None:
    folder = cache_folder()
    return os.path.join(folder, FILE_NAME) if folder else None


def engine_version() -> tuple:
    """The regex engine a compiled program is valid for."""
    import _sre

    return (sys.version_info[:2], _sre.MAGIC)
