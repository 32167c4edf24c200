"""Shared test helpers."""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "news"
SEED = SHARED / "corpus" / "seed" / "deepdive-rockets-syria.txt"


def need_shared(path: Path) -> Path:
    """Skip (with the reason) when ../shared/ is not beside the checkout, as in a user's clone."""
    if not path.exists():
        pytest.skip(f"{path} is not available (../shared/ is only beside the project's own checkout)")
    return path


@pytest.fixture(autouse=True, scope="session")
def _isolated_rule_cache(tmp_path_factory):
    """Tests never read or write the user's rule-set cache."""
    import os

    folder = tmp_path_factory.mktemp("copydesk-cache")
    old = os.environ.get("COPYDESK_CACHE_DIR")
    os.environ["COPYDESK_CACHE_DIR"] = str(folder)
    yield
    if old is None:
        os.environ.pop("COPYDESK_CACHE_DIR", None)
    else:
        os.environ["COPYDESK_CACHE_DIR"] = old


@contextmanager
def time_limit(seconds: int):
    """Fail, instead of hanging, when the block runs longer than `seconds`."""

    def expire(signum, frame):
        raise TimeoutError(f"no result within {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
