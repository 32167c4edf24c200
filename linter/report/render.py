"""Write an aggregated report as JSON, CSV, Markdown or one self-contained HTML file."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timezone
from pathlib import Path

from .. import __version__

REPORT_VERSION = 2
CHART_BARS = 15  # bars in the author and desk charts; the rest are "and M more" and in the full table


def _rows(groups, name: str, order: str = "ranked") -> list[dict]:
    return [{name: key, **g.to_dict()} for key, g in getattr(groups, order)()]


def to_dict(agg, rules) -> dict:
    """Everything of the report but the full article list (JSON and HTML share it)."""
    rate, mean = agg.compliance_rate, agg.mean_score
    return {
        "version": REPORT_VERSION,
        "tool": {"name": "copydesk", "version": __version__},
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": {
            "articles": agg.articles,
            "articles_unreadable": agg.unreadable,
            "articles_with_errors": agg.with_errors,
            "compliance_rate": None if rate is None else round(rate, 4),
            "mean_score": None if mean is None else round(mean, 2),
            "findings": {s: agg.severity.get(s, 0) for s in ("error", "warning", "info")},
        },
        "by_rule": {k: g.findings for k, g in agg.by_rule.ranked()},
        "by_category": {k: g.findings for k, g in agg.by_category.ranked()},
        "by_section": {k: g.findings for k, g in agg.by_section.ranked()},
        "by_author": {k: g.findings for k, g in agg.by_author.ranked()},
        "by_desk": {k: g.findings for k, g in agg.by_desk.ranked()},
        "by_month": {k: g.findings for k, g in agg.by_month.chronological()},
        "months": _rows(agg.by_month, "month", "chronological"),
        "authors": _rows(agg.by_author, "author"),
        "desks": _rows(agg.by_desk, "desk"),
        "rule_counts": _rows(agg.by_rule, "rule"),
        "detail_limit": agg.detail,
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


def _create(path: Path, newline: str | None = None):
    """`path` opened for writing text with ENCODING's settings."""
    return open(path, "w", encoding="utf-8", errors="backslashreplace", newline=newline)  # noqa: SIM115 - the caller closes it


class JsonArticles:
    """Every article with its findings, one JSON value a line in a temporary file as
    summaries arrive; `write_json` splices them in as the report's `articles` list."""

    def __init__(self):
        import tempfile

        self.fh = tempfile.TemporaryFile("w+", **ENCODING)  # noqa: SIM115 - a sink: closed by close()
        self.count = 0

    def add(self, s) -> None:
        from .aggregate import article_entry

        self.fh.write(json.dumps(article_entry(s), ensure_ascii=False, separators=(",", ":")) + "\n")
        self.count += 1

    def lines(self):
        self.fh.seek(0)
        yield from self.fh

    def close(self) -> None:
        self.fh.close()


def write_json(agg, rules, out: Path, articles: JsonArticles | None = None) -> None:
    head = json.dumps(to_dict(agg, rules), ensure_ascii=False, indent=2)
    with _create(out) as fh:
        if articles is None:
            fh.write(head + "\n")
            return
        fh.write(head[:-2] + ',\n  "articles": [')  # head ends with "\n}"
        fh.writelines(("\n    " if i == 0 else ",\n    ") + line.rstrip("\n") for i, line in enumerate(articles.lines()))
        fh.write("\n  ]\n}\n" if articles.count else "]\n}\n")


def csv_cell(value):
    """A spreadsheet reads a cell starting with =, +, -, @ (or a tab or carriage return) as
    a formula: such text from an article is prefixed with an apostrophe (OWASP's advice)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_row(row: dict) -> dict:
    return {k: csv_cell(v) for k, v in row.items()}


FINDING_COLUMNS = ("path", "id", "author", "desk", "month", "rule", "name", "category", "severity", "section", "line", "column",
                   "message", "match", "excerpt", "help")
SUMMARY_COLUMNS = ("path", "id", "format", "author", "desk", "month", "errors", "warnings", "infos", "score", "error")


class CsvFindings:
    """One row per finding, written as summaries arrive (nothing kept in memory)."""

    def __init__(self, path: Path):
        self.fh = _create(path, newline="")  # a sink: closed by close()
        self.writer = csv.DictWriter(self.fh, FINDING_COLUMNS, extrasaction="ignore")
        self.writer.writeheader()

    def add(self, s) -> None:
        from .aggregate import UNKNOWN

        where = {"path": s.path, "id": s.id, "author": s.author or UNKNOWN, "desk": s.desk or UNKNOWN, "month": s.month or UNKNOWN}
        for f in s.findings:
            self.writer.writerow(_csv_row({**where, **f, "excerpt": f["before"] + f["match"] + f["after"]}))

    def close(self) -> None:
        self.fh.close()


class CsvSummary:
    """One row per article."""

    def __init__(self, path: Path):
        self.fh = _create(path, newline="")  # a sink: closed by close()
        self.writer = csv.DictWriter(self.fh, SUMMARY_COLUMNS)
        self.writer.writeheader()

    def add(self, s) -> None:
        from .aggregate import UNKNOWN

        self.writer.writerow(_csv_row({
            "path": s.path, "id": s.id, "format": s.format, "author": s.author or UNKNOWN, "desk": s.desk or UNKNOWN,
            "month": s.month or UNKNOWN,
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
    rate = "n/a" if s["compliance_rate"] is None else f"{s['compliance_rate']:.1%}"
    mean = "n/a" if s["mean_score"] is None else f"{s['mean_score']:.1f}"
    lines = [
        "# copydesk compliance report",
        "",
        (f"{s['articles']:,} articles, {s['articles_with_errors']:,} with errors, compliance rate "
         f"{rate}, mean score {mean}; findings: "
         f"{s['findings']['error']:,} errors, {s['findings']['warning']:,} warnings, {s['findings']['info']:,} infos."),
        "",
        "## Findings by rule",
        "",
        "| rule | findings | policy |",
        "| --- | ---: | --- |",
    ]
    policy = {r["id"]: r["policy"] for r in d["rules"]}
    for rule, n in d["by_rule"].items():
        lines.append(f"| {e(rule)} | {n:,} | {e(policy.get(rule, ''))} |")
    for title, key, rows in (("month", "month", d["months"]), ("author", "author", d["authors"]), ("desk", "desk", d["desks"])):
        lines += ["", f"## By {title}", "", f"| {key} | articles | with errors | compliance rate | findings |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        for r in rows:
            lines.append(f"| {e(r[key])} | {r['articles']:,} | {r['with_errors']:,} | {r['compliance_rate']:.1%} | {r['findings']:,} |")
    lines += ["", "## Top offending articles", "", "| article | errors | warnings | score |", "| --- | ---: | ---: | ---: |"]
    for a in d["top_articles"][:10]:
        lines.append(f"| {e(a['path'])} | {a['errors']} | {a['warnings']} | {a['score']} |")
    if d["suppressions"]:
        lines += ["", "## Suppressions", "", "| article | line | rule | reason |", "| --- | ---: | --- | --- |"]
        for sup in d["suppressions"]:
            lines.append(f"| {e(sup['path'])} | {sup['line']} | {e(sup['rule'])} | {e(sup['reason'])} |")
    out.write_text("\n".join(lines) + "\n", **ENCODING)


CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH, BAR_HEIGHT = 940, 210, 120, 24


def _crop(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def bar_chart(chart_id: str, title: str, key: str, rows: list[dict], limit: int | None = None,
              targets: dict | None = None) -> dict:
    """Geometry of a horizontal bar chart, one bar per row split by severity (the template
    draws it as inline SVG with a data table); the rows past `limit` are summed up as "and
    M more".  Values are drawn in their own column, never cut by the edge.  The unknown
    bucket (articles naming no author or desk) is set apart under the chart: as one bar it
    would set the scale and flatten every named one."""
    from .aggregate import UNKNOWN

    unknown = next((r for r in rows if r[key] == UNKNOWN), None) if limit else None
    rows = [r for r in rows if r is not unknown and r["findings"]]  # an author with no finding is in the table
    shown = rows[:limit] if limit else rows
    top = max((r["findings"] for r in shown), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for i, r in enumerate(shown):
        x, segments = LABEL_WIDTH, []
        for sev in ("error", "warning", "info"):
            w = span * r[sev] / top
            if r[sev]:
                segments.append({"severity": sev, "x": round(x, 1), "w": round(max(w, 1), 1), "n": r[sev]})
            x += w
        bars.append({"key": r[key], "label": _crop(str(r[key]), 30), "row": r, "y": i * BAR_HEIGHT,
                     "segments": segments, "value_x": round(x + 6, 1), "href": (targets or {}).get(r[key], "#articles")})
    rest = rows[len(shown):]
    more = {"count": len(rest), "findings": sum(r["findings"] for r in rest)} if rest else None
    return {"id": chart_id, "title": title, "key": key, "bars": bars, "more": more, "unknown": unknown,
            "height": max(BAR_HEIGHT, len(bars) * BAR_HEIGHT), "width": CHART_WIDTH}


def trend_chart(months: list[dict], targets: dict, height: int = 180) -> dict:
    """The compliance rate month by month, every month (articles with no date are left to
    the table): one column per month, a label every few months so they never overlap."""
    from .aggregate import UNKNOWN

    dated = _every_month([m for m in months if _MONTH.fullmatch(m["month"])])
    left, width = 44, CHART_WIDTH
    slot = (width - left) / max(1, len(dated))
    every = max(1, -(-62 // max(1, int(slot))))  # a label needs ~62 px
    cols = []
    for i, m in enumerate(dated):
        rate = m["compliance_rate"] or 0.0  # None: a month with no article, drawn empty
        h = round(height * rate, 1)
        cols.append({"month": m["month"], "row": m, "x": round(left + i * slot + slot * 0.1, 1), "w": round(max(1.0, slot * 0.8), 1),
                     "y": round(height - h, 1), "h": h, "label": i % every == 0, "lx": round(left + i * slot + slot / 2, 1),
                     "href": targets.get(m["month"], "#articles")})
    return {"columns": cols, "height": height, "width": width, "left": left, "dated": sum(1 for c in cols if c["row"]["articles"]),
            "undated": next((m["articles"] for m in months if m["month"] == UNKNOWN), 0),
            "grid": [{"y": round(height * (1 - f), 1), "label": f"{int(f * 100)}%"} for f in (0, 0.5, 1)]}


_MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")  # as work.py reads a front-matter date


def _every_month(rows: list[dict], most: int = 480) -> list[dict]:
    """The dated months with the months between them that have no article (so the trend's
    time axis is even), unless the span is too long to draw (more than `most` months)."""
    if not rows:
        return rows
    have = {r["month"]: r for r in rows}
    y, m = map(int, rows[0]["month"].split("-"))
    last = tuple(map(int, rows[-1]["month"].split("-")))
    if (last[0] - y) * 12 + last[1] - m >= most:
        return rows
    out = []
    while (y, m) <= last:
        key = f"{y:04d}-{m:02d}"
        out.append(have.get(key) or {"month": key, "articles": 0, "with_errors": 0, "compliance_rate": None, "findings": 0,
                                     "error": 0, "warning": 0, "info": 0})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def relative_link(path: str, out: Path) -> str | None:
    """A link from the report file to an article file, relative to the report (the report
    can move with the archive); None for what is no file (a JSON Lines item)."""
    import os
    from urllib.parse import quote

    if not os.path.isfile(path):
        return None
    rel = os.path.relpath(os.path.abspath(path), os.path.dirname(os.path.abspath(out)))
    return article_href(quote(rel.replace(os.sep, "/"), safe="/:@!$&'()*+,;=-._~"))


SCRIPT = "report.js"


def write_html(agg, rules, out: Path) -> None:
    """The page: figures, the monthly trend, charts, full tables, the worst articles in
    detail, rules, waivers.  Every bar and row links to the first article in detail that
    it counts (so it works with scripts off); the inline script, allowed by its hash in
    the page's Content-Security-Policy, turns those links into filters."""
    import base64
    import hashlib

    from jinja2 import Environment, PackageLoader, select_autoescape

    from ..safetext import visible

    d = to_dict(agg, rules)
    env = Environment(loader=PackageLoader("linter.report", "templates"), autoescape=select_autoescape(["html"]))
    env.filters["web_url"] = web_url
    env.filters["n"] = lambda v: f"{v:,}" if isinstance(v, int) else v
    env.filters["pct"] = lambda v: "n/a" if v is None else f"{v * 100:.1f}%"
    env.filters["visible"] = lambda v: visible(str(v)) if v is not None else ""
    articles = d["top_articles"]
    first: dict = {"author": {}, "desk": {}, "month": {}, "rule": {}, "severity": {}}
    for i, a in enumerate(articles, 1):
        a["anchor"] = f"a-{i}"
        a["href"] = relative_link(a["path"], out)
        a["rules"] = sorted({f["rule"] for f in a["findings"]})
        for k in ("author", "desk", "month"):
            first[k].setdefault(a[k], "#" + a["anchor"])
        for f in a["findings"]:
            first["rule"].setdefault(f["rule"], "#" + a["anchor"])
            first["severity"].setdefault(f["severity"], "#" + a["anchor"])
    severity_rows = [{"severity": sev, "findings": d["summary"]["findings"][sev], "error": 0, "warning": 0, "info": 0,
                      sev: d["summary"]["findings"][sev]} for sev in ("error", "warning", "info")]
    categories = [{"category": k, **g.to_dict()} for k, g in agg.by_category.ranked()]
    sections = [{"section": k, **g.to_dict()} for k, g in agg.by_section.ranked()]
    charts = {
        "severity": bar_chart("severity", "Findings by severity", "severity", severity_rows, targets=first["severity"]),
        "rule": bar_chart("rule", "Findings by rule", "rule", d["rule_counts"], targets=first["rule"]),
        "category": bar_chart("category", "Findings by category", "category", categories),
        "section": bar_chart("section", "Findings by section", "section", sections),
        "author": bar_chart("author", "Findings by author", "author", d["authors"], CHART_BARS, first["author"]),
        "desk": bar_chart("desk", "Findings by desk", "desk", d["desks"], CHART_BARS, first["desk"]),
    }
    script = (Path(__file__).parent / "templates" / SCRIPT).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    rule_info = {r["id"]: r for r in d["rules"]}
    html = env.get_template("report.html").render(
        report=d, charts=charts, trend=trend_chart(d["months"], first["month"]), articles=articles, first=first,
        rule_info=rule_info, rule_counts={r["rule"]: r for r in d["rule_counts"]}, with_findings=agg.with_findings,
        script=script, script_hash=f"sha256-{digest}",
    )
    with _create(out) as fh:
        fh.write(html)


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
