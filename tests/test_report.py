"""`copydesk report`: exact aggregation on a small committed archive, every format, the cache."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE = "tests/fixtures/archive"


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def _report(tmp_path, *extra, name="r.json"):
    out = tmp_path / name
    code = main(["report", ARCHIVE, "-o", str(out), *extra])
    return code, out


def _stable(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("generated")
    return data


def test_aggregation_is_exact(tmp_path):
    code, out = _report(tmp_path, "--no-cache", "--jobs", "1")
    assert code == 0
    d = _stable(out)
    assert d["summary"] == {
        "articles": 4, "articles_unreadable": 1, "articles_with_errors": 2, "compliance_rate": 0.3333,
        "mean_score": 86.67, "findings": {"error": 4, "warning": 0, "info": 0},
    }
    assert d["by_rule"] == {"DISC101": 1, "DISC102": 1, "DISC103": 1, "PROMO202": 1}
    assert d["by_category"] == {"disclaimer": 3, "promotional": 1}
    assert d["by_section"] == {"body": 3, "headline": 1}
    assert d["by_author"] == {"Ann Lee": 2, "Promo Desk": 2}
    assert d["by_desk"] == {"markets": 2, "mining": 2}
    assert d["by_month"] == {"2026-09": 0, "2026-10": 4}
    assert d["suppressions"] == [{
        "path": f"{ARCHIVE}/markets/acme.md", "rule": "PROMO202", "line": 11, "column": 23,
        "message": "Claims an investment cannot lose: 'sure thing'", "reason": "quoting the promoter's flyer",
    }]
    assert [u["path"] for u in d["unreadable"]] == [f"{ARCHIVE}/mining/broken.json"]
    assert [(a["path"].rsplit("/", 1)[1], a["errors"], a["score"]) for a in d["top_articles"]] == [
        ("promo.md", 2, 80), ("acme.md", 2, 80), ("rates.md", 0, 100)
    ]
    assert {r["id"] for r in d["rules"]} >= {"DISC101", "PROMO202", "ATTR201", "UNV301"}


def test_two_processes_give_the_same_report(tmp_path):
    _, one = _report(tmp_path, "--no-cache", "--jobs", "1", name="one.json")
    _, two = _report(tmp_path, "--no-cache", "--jobs", "2", name="two.json")
    assert _stable(one) == _stable(two)


def test_cache_is_reused_survives_corruption_and_gives_the_same_report(tmp_path):
    cache = tmp_path / "c" / "report.sqlite"
    _, cold = _report(tmp_path, "--cache", str(cache), "--jobs", "1", name="cold.json")
    rows = sqlite3.connect(cache).execute("SELECT count(*) FROM summaries").fetchone()[0]
    assert rows == 4
    _, warm = _report(tmp_path, "--cache", str(cache), "--jobs", "1", name="warm.json")
    assert _stable(cold) == _stable(warm)
    cache.write_bytes(b"this is not a database")
    code, rebuilt = _report(tmp_path, "--cache", str(cache), "--jobs", "1", name="rebuilt.json")
    assert code == 0 and _stable(rebuilt) == _stable(cold)


def test_csv_per_finding_and_summary_csv(tmp_path):
    summary = tmp_path / "articles.csv"
    code, out = _report(tmp_path, "--no-cache", "--summary-csv", str(summary), name="findings.csv")
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted((r["path"].rsplit("/", 1)[1], r["rule"], r["line"]) for r in rows) == [
        ("acme.md", "DISC101", "11"), ("acme.md", "DISC102", "11"), ("promo.md", "DISC103", "2"), ("promo.md", "PROMO202", "10"),
    ]
    per_article = {r["path"].rsplit("/", 1)[1]: (r["errors"], r["score"]) for r in csv.DictReader(summary.open(encoding="utf-8"))}
    assert per_article == {"rates.md": ("0", "100"), "acme.md": ("2", "80"), "promo.md": ("2", "80"), "broken.json": ("0", "0")}


def test_markdown_and_html(tmp_path):
    _, md = _report(tmp_path, "--no-cache", name="r.md")
    text = md.read_text(encoding="utf-8")
    assert text.splitlines()[2] == "4 articles, 2 with errors, compliance rate 33.3%, mean score 86.7; findings: 4 errors, 0 warnings, 0 infos."
    assert f"| {ARCHIVE}/markets/acme.md | 11 | PROMO202 | quoting the promoter's flyer |" in text
    _, page = _report(tmp_path, "--no-cache", name="r.html")
    html = page.read_text(encoding="utf-8")
    assert '<div class="value" id="fig-articles">4</div>' in html
    assert '<div class="value error" id="fig-with-errors">2</div>' in html
    assert html.count("<svg") == 6 and "<title id=\"chart-1-title\">Findings by rule: DISC101 1, DISC102 1, DISC103 1, PROMO202 1</title>" in html
    assert "http://" not in html.replace('href="http', "") and "<script" not in html  # nothing to fetch at view time


def test_jsonl_stream_input(tmp_path):
    stream = tmp_path / "export.jsonl"
    stream.write_text(
        json.dumps({"id": "a", "headline": "Acme", "body": "<p>Acme ($ACME) rose, it said.</p>", "desk": "markets"}) + "\n"
        + json.dumps({"id": "b", "headline": "Rates", "body": "<p>Rates held, officials said.</p>"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "s.json"
    assert main(["report", str(stream), "--input-format", "jsonl", "-o", str(out), "--no-cache"]) == 0
    d = _stable(out)
    assert d["summary"]["articles"] == 2 and d["by_rule"] == {"DISC101": 1, "DISC102": 1} and d["by_desk"] == {"markets": 2}


def test_dask_cluster_report_is_identical_to_the_local_one(tmp_path):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    _, local = _report(tmp_path, "--no-cache", "--jobs", "1", name="local.json")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code, remote = _report(tmp_path, "--no-cache", "--scheduler", cluster.scheduler_address, name="dask.json")
    assert code == 0
    assert _stable(remote) == _stable(local)
