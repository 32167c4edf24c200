"""Write an aggregated report as JSON, CSV, Markdown or one self-contained HTML file."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__

REPORT_VERSION = 1


def to_dict(agg, rules) -> dict:
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "copydesk", "version": __version__},
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": {
            "articles": agg.articles,
            "articles_unreadable": agg.unreadable,
            "articles_with_errors": agg.with_errors,
            "compliance_rate": round(agg.compliance_rate, 4),
            "mean_score": round(agg.mean_score, 2),
            "findings": {s: agg.severity.get(s, 0) for s in ("error", "warning", "info")},
        },
        "by_rule": dict(agg.by_rule.most_common()),
        "by_category": dict(agg.by_category.most_common()),
        "by_section": dict(agg.by_section.most_common()),
        "by_author": dict(agg.by_author.most_common(50)),
        "by_desk": dict(agg.by_desk.most_common(50)),
        "by_month": dict(sorted(agg.by_month.items())),
        "top_articles": agg.top_articles(),
        "rules": [{"id": r.id, "name": r.name, "category": r.category, "severity": r.severity,
                   "policy": r.policy, "policy_url": r.policy_url} for r in rules],
        "suppressions": agg.suppressed,
        "unreadable": agg.errors,
    }


# Report sinks hold text from articles, file names and rule files, all untrusted.  A lone
# surrogate (a JSON `\ud800` escape) is written as a backslash escape rather than stopping
# the report; in JSON output that is the same escape JSON itself uses.
ENCODING = {"encoding": "utf-8", "errors": "backslashreplace"}


def write_json(agg, rules, out: Path) -> None:
    out.write_text(json.dumps(to_dict(agg, rules), ensure_ascii=False, indent=2) + "\n", **ENCODING)


def csv_cell(value):
    """A spreadsheet reads a cell starting with =, +, -, @ (or a tab or carriage return) as
    a formula: such text from an article is prefixed with an apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_row(row: dict) -> dict:
    return {k: csv_cell(v) for k, v in row.items()}


FINDING_COLUMNS = ("path", "id", "rule", "name", "category", "severity", "section", "line", "column", "message", "match")
SUMMARY_COLUMNS = ("path", "id", "format", "author", "desk", "month", "errors", "warnings", "infos", "score", "error")


class CsvFindings:
    """One row per finding, written as summaries arrive (nothing kept in memory)."""

    def __init__(self, path: Path):
        self.fh = open(path, "w", newline="", **ENCODING)
        self.writer = csv.DictWriter(self.fh, FINDING_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()

    def add(self, s) -> None:
        for f in s.findings:
            self.writer.writerow(_csv_row({"path": s.path, "id": s.id, **f}))

    def close(self) -> None:
        self.fh.close()


class CsvSummary:
    """One row per article."""

    def __init__(self, path: Path):
        self.fh = open(path, "w", newline="", **ENCODING)
        self.writer = csv.DictWriter(self.fh, SUMMARY_COLUMNS)
        self.writer.writeheader()

    def add(self, s) -> None:
        self.writer.writerow(_csv_row({
            "path": s.path, "id": s.id, "format": s.format, "author": s.author, "desk": s.desk, "month": s.month,
            "errors": s.counts.get("error", 0), "warnings": s.counts.get("warning", 0), "infos": s.counts.get("info", 0),
            "score": s.score, "error": s.error,
        }))

    def close(self) -> None:
        self.fh.close()


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def md_cell(value) -> str:
    """Text from an article or rule file as one Markdown table cell: every character that
    could start markup (a raw HTML tag, a link, an image, a cell break) is backslash-escaped,
    line breaks become spaces and control characters are shown."""
    from ..safetext import visible

    text = " ".join(str(value).splitlines()) if value is not None else ""
    return _MD_SPECIAL.sub(r"\\\1", visible(text))


def write_markdown(agg, rules, out: Path) -> None:
    d = to_dict(agg, rules)
    e = md_cell
    s = d["summary"]
    lines = [
        "# copydesk compliance report",
        "",
        f"{s['articles']} articles, {s['articles_with_errors']} with errors, compliance rate "
        f"{s['compliance_rate']:.1%}, mean score {s['mean_score']:.1f}; findings: "
        f"{s['findings']['error']} errors, {s['findings']['warning']} warnings, {s['findings']['info']} infos.",
        "",
        "## Findings by rule",
        "",
        "| rule | findings | policy |",
        "| --- | ---: | --- |",
    ]
    policy = {r["id"]: r["policy"] for r in d["rules"]}
    for rule, n in d["by_rule"].items():
        lines.append(f"| {e(rule)} | {n} | {e(policy.get(rule, ''))} |")
    lines += ["", "## Top offending articles", "", "| article | errors | warnings | score |", "| --- | ---: | ---: | ---: |"]
    for a in d["top_articles"][:10]:
        lines.append(f"| {e(a['path'])} | {a['errors']} | {a['warnings']} | {a['score']} |")
    if d["suppressions"]:
        lines += ["", "## Suppressions", "", "| article | line | rule | reason |", "| --- | ---: | --- | --- |"]
        for sup in d["suppressions"]:
            lines.append(f"| {e(sup['path'])} | {sup['line']} | {e(sup['rule'])} | {e(sup['reason'])} |")
    out.write_text("\n".join(lines) + "\n", **ENCODING)


def bar_chart(title: str, data: dict, width: int = 560) -> dict:
    """Geometry for an inline SVG bar chart (the template draws it, with a text table)."""
    items = list(data.items())[:15]
    top = max((v for _, v in items), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        bars.append({"label": str(label), "value": value, "y": i * 24, "w": max(1, int((width - 200) * value / top))})
    return {"title": title, "bars": bars, "height": max(24, len(bars) * 24), "width": width}


def write_html(agg, rules, out: Path) -> None:
    from jinja2 import Environment, PackageLoader, select_autoescape

    d = to_dict(agg, rules)
    env = Environment(loader=PackageLoader("linter.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["article_href"] = article_href
    env.filters["web_url"] = web_url
    charts = [
        bar_chart("Findings by rule", d["by_rule"]),
        bar_chart("Findings by category", d["by_category"]),
        bar_chart("Findings by section", d["by_section"]),
        bar_chart("Findings by author", d["by_author"]),
        bar_chart("Findings by desk", d["by_desk"]),
        bar_chart("Findings by publication month", d["by_month"]),
    ]
    html = env.get_template("report.html").render(report=d, charts=[c for c in charts if c["bars"]])
    out.write_text(html, **ENCODING)


# what browsers drop from a URL before reading its scheme: leading C0 controls and spaces,
# and tabs and line breaks anywhere ("java\tscript:" is "javascript:")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def _scheme(url: str) -> str | None:
    m = _SCHEME.match(_URL_IGNORED.sub("", url).lstrip("".join(map(chr, range(0x21)))))
    return m.group()[:-1].lower() if m else None


def article_href(path: str) -> str:
    """A link to an article file: always relative to the report.  A file name that reads as
    a URL scheme (`javascript:alert(1).md`) is prefixed with `./`, which names the same file
    and cannot run anything."""
    return path if _scheme(path) is None else "./" + path


def web_url(url) -> str | None:
    """A policy URL from a rule file, kept only when it is http(s) or relative."""
    if not isinstance(url, str) or not url.strip():
        return None
    scheme = _scheme(url)
    return url if scheme in (None, "http", "https") else None
