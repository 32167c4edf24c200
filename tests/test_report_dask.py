"""`copydesk report --scheduler`: the Dask path (batched tasks, paths or bytes, a bounded
window) gives the local path's report exactly, on one small 2-worker LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from linter.cli import main
from linter.commands import report as report_command

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
pytestmark = pytest.mark.stress  # a Dask cluster per test

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = "tests/fixtures/archive"
SHARED = ("copydesk: dask: the workers read the articles from storage they share with this machine "
          "(each read checked against this machine's)\n")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _stable(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated")
    return data


def _both(tmp_path, capsys, cluster, *extra, paths=(ARCHIVE,)):
    local, remote = tmp_path / "local.json", tmp_path / "dask.json"
    assert main(["report", *paths, "-o", str(local), "--no-cache", "--jobs", "1", *extra]) == 0
    capsys.readouterr()
    assert main(["report", *paths, "-o", str(remote), "--no-cache", "--scheduler", cluster.scheduler_address, *extra]) == 0
    return _stable(local), _stable(remote), capsys.readouterr().err


def test_workers_on_shared_storage_get_paths_and_the_report_is_identical(tmp_path, capsys, cluster):
    local, remote, err = _both(tmp_path, capsys, cluster)
    assert remote == local
    assert local["summary"]["articles"] == 4  # the fixture archive, unreadable article included
    assert err.startswith(SHARED)


def test_bytes_when_the_workers_cannot_see_the_files(tmp_path, capsys, cluster, monkeypatch):
    monkeypatch.setattr(report_command._Dask, "_workers_share", lambda self, key, path, fmt, run: False)
    local, remote, err = _both(tmp_path, capsys, cluster)
    assert remote == local
    assert "copydesk: dask:" not in err


def test_a_stream_always_goes_as_bytes(tmp_path, capsys, cluster):
    stream = tmp_path / "a.jsonl"
    stream.write_text(
        json.dumps({"id": "a1", "title": "Acme up", "body": "Acme shares will rise, a sure thing.", "desk": "markets"}) + "\n"
        + json.dumps({"id": "a2", "title": "Mining", "body": "Ore prices fell."}) + "\n", encoding="utf-8")
    local, remote, err = _both(tmp_path, capsys, cluster, "--input-format", "jsonl", paths=(str(stream),))
    assert remote == local and local["summary"]["articles"] == 2
    assert "copydesk: dask:" not in err


def test_many_small_batches_through_a_small_window_keep_the_order(tmp_path, capsys, cluster, monkeypatch):
    """One article a task and two tasks in flight: batches finish out of order, and the
    articles still come out (JSON list, CSV rows) in the walk's order."""
    monkeypatch.setattr(report_command._Dask, "BATCH_ARTICLES", 1)
    monkeypatch.setattr(report_command._Dask, "WINDOW", 1)
    submitted = []
    real = report_command._Dask._submit

    def spy(self):
        size = len(self.batch)
        out = real(self)
        submitted.append((size, self.next_seq - self.emit_seq))  # submitted, not yet handed on
        return out

    monkeypatch.setattr(report_command._Dask, "_submit", spy)
    monkeypatch.setattr(report_command._Dask, "__init__", _small_window(report_command._Dask.__init__))
    local, remote, _ = _both(tmp_path, capsys, cluster)
    assert remote == local
    assert [size for size, _ in submitted] == [1, 1, 1, 1]  # four articles, one task each
    assert submitted[:2] == [(1, 1), (1, 2)]  # the window fills...
    assert max(ahead for _, ahead in submitted) == 2  # ...and is never exceeded


def _small_window(init):
    def patched(self, *a, **k):
        init(self, *a, **k)
        self.window = 2

    return patched


def test_a_file_the_worker_reads_differently_is_linted_from_the_clients_bytes(tmp_path, cluster):
    """The article changed on disk after the client read it: the worker's copy does not match
    the client's cache key, so the summary is of the bytes the client keyed, linted here."""
    from linter.profile import build_profile
    from linter.report.cache import article_key
    from linter.report.work import init_worker, lint

    profile = build_profile()
    article = tmp_path / "a.md"
    client_bytes = b"# Acme\n\nAcme shares are a sure thing.\n"
    article.write_bytes(b"# Acme\n\nNothing to see.\n")  # what the worker will read
    key = article_key(client_bytes, str(article), "run", None)
    item = (str(article), client_bytes, None, profile.cfg.path, str(article))
    with distributed.Client(cluster.scheduler_address) as client:
        work = report_command._Dask(client, True)
        work.shared = True
        done = list(work.put(key, item, profile, "run")) + work.finish()
    init_worker({profile.cfg.path: profile}, True)
    expected = lint(item)
    assert [(k, s.to_data()) for k, s in done] == [(key, expected.to_data())]
    assert [f["rule"] for f in expected.findings] == ["PROMO202"]


def test_lint_batch_refuses_a_path_whose_bytes_do_not_match():
    from linter.report.work import lint_batch

    for read_at in (str(ROOT / ARCHIVE / "markets" / "acme.md"), str(ROOT / "no such file.md")):
        assert lint_batch([("0" * 64, "x.md", None, None, read_at, None, read_at, "")], {}, True) == [None]
