"""The HTML report in a real headless browser (Debian's Chromium, driven by Playwright).

Loads the report file, checks the headline figures and chart elements in the DOM, checks
that no request leaves the page, and saves a screenshot.  Skipped where Chromium or
Playwright is missing, except in CI (CI=true), where .ci/run installs both and a skip
would hide a broken report.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI installs it: see .ci/run)")
        pytest.skip(reason)


def test_html_report_in_headless_chromium(tmp_path, monkeypatch):
    _need(CHROMIUM is not None, "Chromium is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "Playwright for Python is not installed")
    monkeypatch.chdir(ROOT)
    out = tmp_path / "report.html"
    assert main(["report", "tests/fixtures/archive", "-o", str(out), "--no-cache", "--jobs", "1"]) == 0

    requests = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        assert page.text_content("#fig-articles") == "4"
        assert page.text_content("#fig-with-errors") == "2"
        assert page.text_content("#fig-compliance") == "33.3%"
        assert page.locator("figure.chart svg").count() == 6
        assert page.locator("figure.chart svg rect").count() >= 4
        assert page.locator("#suppressions tr").count() == 2  # header and the one waiver
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert requests == [out.as_uri()]  # the file itself, and nothing from the network
    assert (tmp_path / "report.png").stat().st_size > 10_000
    if os.environ.get("COPYDESK_SCREENSHOT"):
        shutil.copy(tmp_path / "report.png", os.environ["COPYDESK_SCREENSHOT"])
