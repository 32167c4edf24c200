"""The HTML report in a real headless browser (Debian's Chromium, driven by Playwright).

Loads the report file, checks the headline figures, charts, months, filters and drill-down
in the DOM, checks that no request leaves the page and that the page reads with scripts
off, and saves a screenshot.  Skipped where Chromium or Playwright is missing, except in CI
(CI=true), where .ci/run installs both and a skip would hide a broken report.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main

pytestmark = pytest.mark.stress  # a headless browser, a large archive

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI installs it: see .ci/run)")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright():
    _need(CHROMIUM is not None, "Chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "Playwright for Python is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def test_html_report_in_headless_chromium(tmp_path, monkeypatch, playwright):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.html"
    assert main(["report", "tests/fixtures/archive", "-o", str(out), "--no-cache", "--jobs", "1"]) == 0

    requests, errors = [], []
    page = playwright.new_page(viewport={"width": 1100, "height": 1400})
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(out.as_uri())
    assert page.text_content("#fig-articles") == "4"
    assert page.text_content("#fig-with-errors") == "2"
    assert page.text_content("#fig-compliance") == "33.3%"
    assert page.locator("figure.chart svg").count() == 7
    assert page.locator("figure.chart svg rect").count() >= 4
    assert page.locator("#suppressions tr").count() == 2  # header and the one waiver
    assert page.is_visible("#filters") and page.text_content("#filter-status") == "2 articles in detail"
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    page.close()
    assert errors == []  # the inline script runs under the page's Content-Security-Policy
    assert requests == [out.as_uri()]  # the file itself, and nothing from the network
    assert (tmp_path / "report.png").stat().st_size > 10_000


@pytest.fixture(scope="module")
def large_report(tmp_path_factory):
    """A generated archive of 700 articles over 24 months: more than 10,000 findings."""
    tmp = tmp_path_factory.mktemp("large")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_demo_archive.py"), str(tmp / "archive"),
                    "--synthetic", "700", "--months", "24"], check=True, capture_output=True)
    cache = ["--cache", str(tmp / "cache.sqlite"), "--jobs", "2"]  # the second run reads the first one's summaries
    assert main(["report", str(tmp / "archive"), "-o", str(tmp / "report.json"), *cache]) == 0
    assert main(["report", str(tmp / "archive"), "-o", str(tmp / "report.html"), *cache]) == 0
    return tmp, json.loads((tmp / "report.json").read_text(encoding="utf-8"))


def test_large_archive_figures_months_filters_and_drill_down(large_report, playwright):
    tmp, d = large_report
    s = d["summary"]
    total = sum(s["findings"].values())
    assert total > 10_000 and len([m for m in d["months"] if m["month"] != "(unknown)"]) == 24
    assert len(d["articles"]) == 700 and sum(len(a.get("findings", [])) for a in d["articles"]) == total

    page = playwright.new_page(viewport={"width": 1100, "height": 1400})
    page.goto((tmp / "report.html").as_uri())
    # figures: in full, with thousands separators
    assert page.text_content("#fig-articles") == f"{s['articles']:,}"
    assert page.text_content("#fig-errors") == f"{s['findings']['error']:,}"
    assert page.text_content("#fig-warnings") == f"{s['findings']['warning']:,}"
    rule, top = next(iter(d["by_rule"].items()))
    assert top >= 1_000
    assert page.locator("#chart-rule a.bar text.value").first.text_content() == f"{top:,}"
    assert page.locator("#chart-rule a.bar text").first.text_content() == rule
    value_box = page.locator("#chart-rule a.bar text.value").first.bounding_box()
    svg_box = page.locator("#chart-rule svg").bounding_box()
    assert value_box["x"] + value_box["width"] <= svg_box["x"] + svg_box["width"]  # never cut by the edge
    # every month: a column each in the trend and a row each in the table, with its figures
    assert page.locator("#chart-trend a.month-bar").count() == 24
    assert page.locator("#table-months tr").count() == 1 + len(d["months"])
    march = next(m for m in d["months"] if m["month"] == "2025-03")
    row = page.locator("#table-months tr", has_text="2025-03").locator("td")
    assert row.all_text_contents()[:5] == ["2025-03", f"{march['articles']:,}", f"{march['with_errors']:,}",
                                           f"{march['compliance_rate'] * 100:.1f}%", f"{march['findings']:,}"]
    # every author: 15 bars, "and M more", the unknown bucket, and the full table
    named = [a for a in d["authors"] if a["author"] != "(unknown)"]
    assert page.locator("#chart-author a.bar").count() == 15
    assert page.text_content("#more-author").startswith(f"and {len(named) - 15} more authors")
    assert page.text_content("#unknown-author").startswith("(unknown): ")
    assert page.locator("#table-authors tr").count() == 1 + len(d["authors"])
    # the page holds the worst 200 articles in detail, the worst first
    detail = d["top_articles"]
    assert page.locator("section.article").count() == len(detail) == 200
    assert page.locator("section.article h3").first.text_content().endswith(detail[0]["path"])
    assert page.locator("#a-1 tr.finding").count() == len(detail[0]["findings"])
    # filter by severity: only info findings stay in view
    page.select_option("#filter-severity", "info")
    visible_rows = page.locator("section.article:not([hidden]) tr.finding:not([hidden])")
    expected = sum(1 for a in detail for f in a["findings"] if f["severity"] == "info")
    assert visible_rows.count() == expected
    assert set(visible_rows.evaluate_all("rows => rows.map(r => r.dataset.severity)")) == {"info"}
    # filter by desk and month together
    page.click("#filter-reset")
    page.select_option("#filter-desk", "mining")
    page.select_option("#filter-month", "2025-03")
    want = [a["path"] for a in detail if a["desk"] == "mining" and a["month"] == "2025-03"]
    shown = page.locator("section.article:not([hidden]) h3").all_text_contents()
    assert [t.split(". ", 1)[1] for t in shown] == want and want
    assert page.text_content("#filter-status").startswith(f"{len(want)} of 200 articles in detail")
    # drill-down: a click on an author's bar shows that author's articles, and their findings
    page.click("#filter-reset")
    author = named[0]["author"]
    page.locator("#chart-author a.bar").first.click()
    assert page.input_value("#filter-author") == author
    shown = page.locator("section.article:not([hidden])")
    assert shown.count() == sum(1 for a in detail if a["author"] == author) > 0
    assert set(shown.evaluate_all("s => s.map(a => a.dataset.author)")) == {author}
    # a rule's row in the rules table drills down to that rule's findings
    page.locator(f"#rule-{rule} a").first.click()
    assert page.input_value("#filter-rule") == rule
    rows = page.locator("section.article:not([hidden]) tr.finding:not([hidden])")
    assert rows.count() == sum(1 for a in detail for f in a["findings"] if f["rule"] == rule)
    # each article in view lists the policy of that rule only
    first_shown = page.locator("section.article:not([hidden])").first
    assert first_shown.locator("dl.policies dt:not([hidden])").all_text_contents()[0].startswith(rule)
    assert first_shown.locator("dl.policies dt:not([hidden])").count() == 1
    # a month's column drills down to that month
    page.locator("#chart-trend a.month-bar").nth(14).click()
    assert page.input_value("#filter-month") == "2025-03"
    page.screenshot(path=str(tmp / "filtered.png"))
    page.close()


def test_large_report_reads_with_scripts_off(large_report, playwright):
    """No script: no filter bar, every article in detail shown, and a chart bar still leads
    to the author's worst article by its anchor."""
    tmp, d = large_report
    context = playwright.new_context(java_script_enabled=False, viewport={"width": 1100, "height": 1400})
    page = context.new_page()
    page.goto((tmp / "report.html").as_uri())
    assert not page.is_visible("#filters")
    assert page.locator("section.article:visible").count() == 200
    author = next(a["author"] for a in d["authors"] if a["author"] != "(unknown)")
    first = next(i for i, a in enumerate(d["top_articles"], 1) if a["author"] == author)
    assert page.locator("#chart-author a.bar").first.get_attribute("href") == f"#a-{first}"
    page.locator("#chart-author a.bar").first.click()
    assert page.url.endswith(f"#a-{first}")
    page.screenshot(path=str(tmp / "report.png"), full_page=False)
    context.close()
    if os.environ.get("COPYDESK_SCREENSHOT"):
        shutil.copy(tmp / "report.png", os.environ["COPYDESK_SCREENSHOT"])
