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
    assert d["months"] == [
        {"month": "2026-09", "articles": 1, "with_errors": 0, "compliance_rate": 1.0, "findings": 0, "error": 0, "warning": 0, "info": 0},
        {"month": "2026-10", "articles": 2, "with_errors": 2, "compliance_rate": 0.0, "findings": 4, "error": 4, "warning": 0, "info": 0},
    ]
    assert d["authors"][0] == {"author": "Ann Lee", "articles": 2, "with_errors": 1, "compliance_rate": 0.5, "findings": 2,
                               "error": 2, "warning": 0, "info": 0}
    assert [(r["rule"], r["articles"], r["findings"]) for r in d["rule_counts"]] == [
        ("DISC101", 1, 1), ("DISC102", 1, 1), ("DISC103", 1, 1), ("PROMO202", 1, 1)]
    assert d["suppressions"] == [{
        "path": f"{ARCHIVE}/markets/acme.md", "rule": "PROMO202", "line": 11, "column": 23,
        "message": "Claims an investment cannot lose: 'sure thing'", "reason": "quoting the promoter's flyer",
    }]
    assert [u["path"] for u in d["unreadable"]] == [f"{ARCHIVE}/mining/broken.json"]
    assert [(a["path"].rsplit("/", 1)[1], a["errors"], a["score"]) for a in d["top_articles"]] == [
        ("acme.md", 2, 80), ("promo.md", 2, 80)  # worst first, then by path; a clean article has no detail
    ]
    assert d["top_articles"][0]["findings"][0] == {
        "rule": "DISC101", "name": "disclaimer.not-investment-advice", "category": "disclaimer", "severity": "error",
        "message": "Missing not-investment-advice disclaimer (the article mentions 'NASDAQ: ACME')",
        "help": d["top_articles"][0]["findings"][0]["help"], "section": "body", "line": 11, "column": 1,
        "match": "The flyer called it a sure thing, the regulator said.", "before": "", "after": "",
    }
    assert {r["id"] for r in d["rules"]} >= {"DISC101", "PROMO202", "ATTR201", "UNV301"}
    # every article, with its findings, in the JSON (the page holds only the worst N)
    assert [(a["path"].rsplit("/", 1)[1], a["author"], len(a.get("findings", []))) for a in d["articles"]] == [
        ("acme.md", "Ann Lee", 2), ("rates.md", "Ann Lee", 0), ("broken.json", "(unknown)", 0), ("promo.md", "Promo Desk", 2)]
    assert d["articles"][2]["error"].startswith(f"{ARCHIVE}/mining/broken.json:2:1: error: malformed JSON")


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
    promo = next(r for r in rows if r["rule"] == "PROMO202")
    assert (promo["author"], promo["desk"], promo["month"]) == ("Promo Desk", "mining", "2026-10")
    assert promo["excerpt"] == "Northwind Lithium (CSE: NWL) is a sure thing, the company said." and promo["match"] == "sure thing"
    assert promo["help"] != ""
    per_article = {r["path"].rsplit("/", 1)[1]: (r["errors"], r["score"]) for r in csv.DictReader(summary.open(encoding="utf-8"))}
    assert per_article == {"rates.md": ("0", "100"), "acme.md": ("2", "80"), "promo.md": ("2", "80"), "broken.json": ("0", "0")}


def test_markdown_and_html(tmp_path):
    _, md = _report(tmp_path, "--no-cache", name="r.md")
    text = md.read_text(encoding="utf-8")
    assert text.splitlines()[2] == "4 articles, 2 with errors, compliance rate 33.3%, mean score 86.7; findings: 4 errors, 0 warnings, 0 infos."
    assert f"| {ARCHIVE}/markets/acme.md | 11 | PROMO202 | quoting the promoter's flyer |" in text
    assert "| 2026-10 | 2 | 2 | 0.0% | 4 |" in text and "| Ann Lee | 2 | 1 | 50.0% | 2 |" in text
    _, page = _report(tmp_path, "--no-cache", name="r.html")
    html = page.read_text(encoding="utf-8")
    assert '<div class="value" id="fig-articles">4</div>' in html
    assert '<div class="value error" id="fig-with-errors">2</div>' in html
    assert html.count("<svg") == 7  # the month trend and six bar charts
    assert '<title id="chart-rule-title">Findings by rule: DISC101 1, DISC102 1, DISC103 1, PROMO202 1</title>' in html
    assert "http://" not in html.replace('href="http', "")  # nothing to fetch at view time
    assert html.count("<script") == 1 and "<script src" not in html  # one inline script, allowed by its hash only
    # a section per article in detail, each finding with severity, rule, excerpt, help and policy
    assert html.count('<section class="article"') == 2
    assert '<tr class="finding" data-rule="DISC103" data-severity="error">' in html
    assert "<mark>Northwind&#39;s lithium</mark>" in html


def test_large_counts_are_never_cut_and_every_month_is_kept(tmp_path):
    """Issue 18: counts of 4+ digits were cut ("ATTR201 150" for 15,062) and only the 15
    oldest months and 15 authors were drawn."""
    from linter.report.aggregate import Aggregate
    from linter.report.render import to_dict, write_html
    from linter.report.work import ArticleSummary

    agg = Aggregate(detail=3)
    finding = {"rule": "ATTR201", "name": "n", "category": "attribution", "severity": "warning", "message": "m", "help": "h",
               "section": "body", "line": 1, "column": 1, "match": "x", "before": "", "after": ""}
    for i in range(15_062):
        month = f"{2020 + i % 36 // 12}-{i % 12 + 1:02d}"
        agg.add(ArticleSummary(path=f"a{i}.md", author=f"Author {i % 50}", desk=None if i % 9 == 0 else "markets",
                               month=month, counts={"warning": 1}, findings=[finding], score=97))
    d = to_dict(agg, [])
    assert d["by_rule"] == {"ATTR201": 15_062}
    assert len(d["months"]) == 36 and len(d["authors"]) == 50
    assert d["desks"] == [
        {"desk": "markets", "articles": 13_388, "with_errors": 0, "compliance_rate": 1.0, "findings": 13_388,
         "error": 0, "warning": 13_388, "info": 0},
        {"desk": "(unknown)", "articles": 1_674, "with_errors": 0, "compliance_rate": 1.0, "findings": 1_674,
         "error": 0, "warning": 1_674, "info": 0},
    ]
    out = tmp_path / "r.html"
    write_html(agg, [], out)
    html = out.read_text(encoding="utf-8")
    assert '<text class="value" x="826.0" y="16">15,062</text>' in html  # in its own column: bars end at 940 - 120 px
    assert html.count('class="month-bar"') == 36
    assert "and 35 more authors" in html
    assert html.count('<section class="article"') == 3


def test_nothing_to_report_is_an_error_not_an_all_clear(tmp_path, capsys):
    """Issue 18: `report missing_dir` said "100.0% compliance rate"; an empty folder, a folder
    with no article and a glob matching nothing did the same."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.pdf").write_bytes(b"%PDF")
    out = tmp_path / "r.html"
    cases = [
        (str(tmp_path / "missing"), f"copydesk: error: {tmp_path / 'missing'}: No such file or directory"),
        (str(tmp_path / "empty"), f"copydesk: error: {tmp_path / 'empty'}: no article in this folder (looked for "),
        (str(tmp_path / "notes"), f"copydesk: error: {tmp_path / 'notes'}: no article in this folder (looked for "),
        (str(tmp_path / "*.md"), f"copydesk: error: {tmp_path / '*.md'}: no file matches this pattern"),
        (str(tmp_path / "emp*"), f"copydesk: error: {tmp_path / 'emp*'}: no article in this pattern (looked for "),
    ]
    for path, message in cases:
        capsys.readouterr()
        assert main(["report", path, "-o", str(out), "--no-cache", "--jobs", "1"]) == 2, path
        err = capsys.readouterr().err
        assert err.startswith(message) and err.count("\n") == 1, err
        assert not out.exists()
    # one good path beside an empty one is still an error: a typo must not pass
    assert main(["report", ARCHIVE, str(tmp_path / "empty"), "-o", str(tmp_path / "f.csv"), "--no-cache", "--jobs", "1"]) == 2
    assert not (tmp_path / "f.csv").exists()


def test_unsupported_output_and_unknown_rule_ids_are_errors(tmp_path, capsys):
    assert main(["report", ARCHIVE, "-o", str(tmp_path / "x.pdf"), "--no-cache"]) == 2
    assert capsys.readouterr().err == (f"copydesk: error: {tmp_path / 'x.pdf'}: cannot write a report as '.pdf' (use one of "
                                       ".html, .htm, .json, .csv, .md, or --format html|json|csv|markdown)\n")
    assert not (tmp_path / "x.pdf").exists()
    assert main(["report", ARCHIVE, "-o", str(tmp_path / "r.json"), "--no-cache", "--select", "NOPE999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("copydesk: error: --select: unknown rule or category 'NOPE999'") and err.count("\n") == 1
    assert main(["report", ARCHIVE, "-o", str(tmp_path / "r.json"), "--no-cache", "--jobs", "1", "--select", "disc101"]) == 0
    assert _stable(tmp_path / "r.json")["by_rule"] == {"DISC101": 1}


def test_byline_authors_unknown_bucket_and_links_relative_to_the_report(tmp_path, monkeypatch):
    arts = tmp_path / "site" / "arts"
    arts.mkdir(parents=True)
    (arts / "by.md").write_text("# Acme rallies\n\nBy Dana Scully\n\nAcme (NASDAQ: ACME) rose 5%, it said.\n", encoding="utf-8")
    (arts / "anon.md").write_text("# Acme rallies\n\nAcme (NASDAQ: ACME) rose 5%, it said.\n", encoding="utf-8")
    (arts / "a #1?.md").write_text("---\nauthor: Ann Lee\n---\n\nAcme (NASDAQ: ACME) rose 5%, it said.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path / "site")
    (tmp_path / "out").mkdir()
    assert main(["report", "arts", "-o", str(tmp_path / "out" / "r.json"), "--no-cache", "--jobs", "1"]) == 0
    d = _stable(tmp_path / "out" / "r.json")
    assert d["by_author"] == {"Ann Lee": 2, "Dana Scully": 2, "(unknown)": 2}
    assert d["by_desk"] == {"(unknown)": 6} and d["by_month"] == {"(unknown)": 6}
    assert main(["report", "arts", "-o", str(tmp_path / "out" / "r.html"), "--no-cache", "--jobs", "1"]) == 0
    html = (tmp_path / "out" / "r.html").read_text(encoding="utf-8")
    assert '<a href="../site/arts/by.md">arts/by.md</a>' in html
    assert '<a href="../site/arts/a%20%231%3F.md">arts/a #1?.md</a>' in html


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
    assert d["summary"]["articles"] == 2 and d["by_rule"] == {"DISC101": 1, "DISC102": 1}
    assert d["by_desk"] == {"markets": 2, "(unknown)": 0}  # the second article names no desk


@pytest.mark.stress  # a Dask cluster
def test_dask_cluster_report_is_identical_to_the_local_one(tmp_path):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    _, local = _report(tmp_path, "--no-cache", "--jobs", "1", name="local.json")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code, remote = _report(tmp_path, "--no-cache", "--scheduler", cluster.scheduler_address, name="dask.json")
    assert code == 0
    assert _stable(remote) == _stable(local)


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_has_a_total(tmp_path):
    """On a terminal the bar counts against the articles the walk will find ("4/4")."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    proc = subprocess.Popen([sys.executable, "-m", "linter", "report", ARCHIVE, "-o", str(tmp_path / "r.json"), "--no-cache",
                             "--jobs", "1"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=60) == 0
    os.close(leader)
    assert b"4/4" in seen and b"4 articles, 2 with errors, 4 findings: report written to" in seen


def test_html_report_holds_hostile_names_as_text(tmp_path, monkeypatch):
    """Author, desk, title and file name from an article are text in the page, in elements
    and attributes alike; the only script is the page's own, allowed by its hash."""
    import base64
    import hashlib
    import re

    monkeypatch.chdir(tmp_path)
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "x.md").write_text(
        f"---\nauthor: '{evil}'\ndesk: '{evil}'\ndate: 2026-01-02\n---\n\n# {evil}\n\nAcme (NASDAQ: ACME) rose 5%, it said.\n",
        encoding="utf-8")
    assert main(["report", "arts", "-o", "r.html", "--no-cache", "--jobs", "1"]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert html.count("<script") == 1 and "<img" not in html and "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    assert 'data-author="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"' in html
    script = re.search(r"<script>(.*)</script>", html, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html and "default-src 'none'" in html


def test_an_archive_of_unreadable_articles_has_no_compliance_rate(tmp_path, capsys):
    """Nothing readable is no 100% compliance: the rate and the mean score are n/a."""
    (tmp_path / "arts").mkdir()
    (tmp_path / "arts" / "a.json").write_text('{"body": ', encoding="utf-8")
    assert main(["report", str(tmp_path / "arts"), "-o", str(tmp_path / "r.json"), "--no-cache", "--jobs", "1"]) == 0
    s = _stable(tmp_path / "r.json")["summary"]
    assert (s["articles"], s["articles_unreadable"], s["compliance_rate"], s["mean_score"]) == (1, 1, None, None)
    assert main(["report", str(tmp_path / "arts"), "-o", str(tmp_path / "r.html"), "--no-cache", "--jobs", "1"]) == 0
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<div class="value" id="fig-compliance">n/a</div>' in html and '<div class="value" id="fig-score">n/a</div>' in html


def test_scheduler_without_the_dask_extra_is_a_usage_error(tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if not installed: importing it fails
    out = tmp_path / "r.csv"
    assert main(["report", ARCHIVE, "-o", str(out), "--no-cache", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert capsys.readouterr().err == "copydesk: error: --scheduler needs the dask extra: pip install 'copydesk[dask]'\n"
    assert not out.exists()  # no half report
