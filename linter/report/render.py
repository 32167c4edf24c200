"""Write an aggregated report as JSON, CSV, Markdown or one self-contained HTML file."""

from __future__ import annotations

import csv
import json
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


def write_json(agg, rules, out: Path) -> None:
    out.write_text(json.dumps(to_dict(agg, rules), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


FINDING_COLUMNS = ("path", "id", "rule", "name", "category", "severity", "section", "line", "column", "message", "match")
SUMMARY_COLUMNS = ("path", "id", "format", "author", "desk", "month", "errors", "warnings", "infos", "score", "error")


class CsvFindings:
    """One row per finding, written as summaries arrive (nothing kept in memory)."""

    def __init__(self, path: Path):
        self.fh = open(path, "w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.fh, FINDING_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()

    def add(self, s) -> None:
        for f in s.findings:
            self.writer.writerow({"path": s.path, "id": s.id, **f})

    def close(self) -> None:
        self.fh.close()


class CsvSummary:
    """One row per article."""

    def __init__(self, path: Path):
        self.fh = open(path, "w", encoding="utf-8", newline="")
        self.writer = csv.DictWriter(self.fh, SUMMARY_COLUMNS)
        self.writer.writeheader()

    def add(self, s) -> None:
        self.writer.writerow({
            "path": s.path, "id": s.id, "format": s.format, "author": s.author, "desk": s.desk, "month": s.month,
            "errors": s.counts.get("error", 0), "warnings": s.counts.get("warning", 0), "infos": s.counts.get("info", 0),
            "score": s.score, "error": s.error,
        })

    def close(self) -> None:
        self.fh.close()


def write_markdown(agg, rules, out: Path) -> None:
    d = to_dict(agg, rules)
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
        lines.append(f"| {rule} | {n} | {policy.get(rule, '')} |")
    lines += ["", "## Top offending articles", "", "| article | errors | warnings | score |", "| --- | ---: | ---: | ---: |"]
    for a in d["top_articles"][:10]:
        lines.append(f"| {a['path']} | {a['errors']} | {a['warnings']} | {a['score']} |")
    if d["suppressions"]:
        lines += ["", "## Suppressions", "", "| article | line | rule | reason |", "| --- | ---: | --- | --- |"]
        for sup in d["suppressions"]:
            lines.append(f"| {sup['path']} | {sup['line']} | {sup['rule']} | {sup['reason']} |")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


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
    charts = [
        bar_chart("Findings by rule", d["by_rule"]),
        bar_chart("Findings by category", d["by_category"]),
        bar_chart("Findings by section", d["by_section"]),
        bar_chart("Findings by author", d["by_author"]),
        bar_chart("Findings by desk", d["by_desk"]),
        bar_chart("Findings by publication month", d["by_month"]),
    ]
    html = env.get_template("report.html").render(report=d, charts=[c for c in charts if c["bars"]])
    out.write_text(html, encoding="utf-8")
