"""A cache of loaded rule sets (and the parser's cues), so a pre-commit run skips YAML
parsing and validation.

Keyed by the rule files' paths and contents, the copydesk version, the Python version and
the source of the code that prepares rules (rule kinds, pattern analysis), so any change to
either rebuilds it.  Stored with pickle under `$COPYDESK_CACHE_DIR`, else
`$XDG_CACHE_HOME/copydesk`, else `~/.cache/copydesk`; `COPYDESK_NO_CACHE=1` turns it off.
A cache that cannot be read or written is ignored: it is an optimisation, never an error.
Each entry pickles every pattern with the program `re` compiled it to (see
`textmatch.LazyRegex`); the least recently used entries beyond `KEEP` per kind are pruned.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path

from ..cachedir import cache_folder

_PACKAGE = Path(__file__).resolve().parent.parent
_CODE = ("checks", "ruleset", "textmatch.py", "entities.py", "diagnostics.py", "records.py")


def cache_dir() -> Path | None:
    folder = cache_folder()
    return Path(folder) if folder else None


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    h = hashlib.sha256()
    for name in _CODE:
        path = _PACKAGE / name
        files = sorted(path.glob("*.py")) + sorted(path.glob("*.lark")) if path.is_dir() else [path]
        for f in files:
            h.update(f.name.encode() + f.read_bytes())
    return h.digest()


def cache_key(files: list[tuple[str, str]]) -> str:
    from .. import __version__

    h = hashlib.sha256()
    h.update(f"{__version__}|{sys.version_info[:2]}".encode())
    h.update(_code_digest())
    for path, text in files:
        h.update(os.path.abspath(path).encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()[:32]


def data_key(path: Path, *code: str) -> str:
    """Key for a data file (the cues): its contents, and the code that builds what is cached
    from it (`code`: paths under the package, besides the pattern analysis in `_CODE`)."""
    from .. import __version__

    h = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}|{path}".encode())
    h.update(_code_digest())
    for name in code:
        h.update((_PACKAGE / name).read_bytes())
    h.update(path.read_bytes())
    return h.hexdigest()[:32]


def load(key: str, kind: str = "rules"):
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"{kind}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            value = pickle.load(fh)
    except Exception:  # missing, truncated or from another version: rebuild
        return None
    try:
        os.utime(path)  # recently used: kept when old entries are pruned
    except OSError:
        pass
    return value


def save(key: str, value, kind: str = "rules") -> None:
    from ..regexcache import skip_this_run

    skip_this_run()  # building `value` compiled its patterns: not what a usual start compiles
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{kind}-{key}.pickle")
    except Exception:  # read-only home, full disk, unpicklable user data: no cache
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except Exception:
            pass
        return
    prune(folder, kind)


KEEP = 16  # entries per kind: every rule-set combination and version in recent use


def prune(folder: Path, kind: str, keep: int = KEEP) -> None:
    """Drop all but the `keep` most recently used entries of `kind` (each copydesk version,
    rule-file edit or configuration adds one; nothing else would ever remove them)."""
    try:
        entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[keep:]:
            old.unlink()
    except OSError:  # another process pruned first, or the folder went away
        pass
