"""Lint one article into an `ArticleSummary`: the little a report needs, plain data (it goes
to and from worker processes, and into the report cache as JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

SCORE_WEIGHTS = {"error": 10, "warning": 3, "info": 1}


def compliance_score(counts: dict[str, int]) -> int:
    """100 minus 10 per error, 3 per warning and 1 per info finding, never below 0."""
    return max(0, 100 - sum(SCORE_WEIGHTS[s] * counts.get(s, 0) for s in SCORE_WEIGHTS))


@dataclass
class ArticleSummary:
    path: str
    id: str | None = None
    format: str | None = None
    author: str | None = None
    desk: str | None = None
    month: str | None = None  # YYYY-MM from the front-matter date
    counts: dict[str, int] = field(default_factory=dict)  # by severity
    by_rule: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_section: dict[str, int] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)  # FINDING_KEYS each: the page's detail, the CSV/JSON rows
    suppressed: list[dict] = field(default_factory=list)  # the waiver audit: always kept
    error: str | None = None
    score: int = 100

    def to_data(self) -> dict:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_data(cls, data) -> ArticleSummary:
        """From `to_data()`'s JSON, checked field by field (a cache row is read back)."""
        if not isinstance(data, dict) or set(data) != set(_FIELDS):
            raise ValueError("not an article summary")
        for name, kind in _FIELDS.items():
            value = data[name]
            if kind == "text":
                ok = value is None or isinstance(value, str)
            elif kind == "scalar":
                ok = value is None or isinstance(value, (str, int, float))
            elif kind == "count":
                ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            elif kind == "counts":
                ok = isinstance(value, dict) and all(
                    isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0 for k, v in value.items()
                )
            else:  # rows
                ok = isinstance(value, list) and all(isinstance(r, dict) and all(isinstance(k, str) for k in r) for r in value)
            if not ok:
                raise ValueError(f"bad summary field {name!r}")
        if not isinstance(data["path"], str):
            raise ValueError("a summary needs a path")  # noqa: TRY004 - the cache reader catches ValueError
        return cls(**data)


_FIELDS = {
    "path": "text", "id": "scalar", "format": "text", "author": "text", "desk": "text", "month": "text",
    "counts": "counts", "by_rule": "counts", "by_category": "counts", "by_section": "counts",
    "findings": "rows", "suppressed": "rows", "error": "text", "score": "count",
}


def _month(value) -> str | None:
    import datetime as dt
    import re

    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        m = re.search(r"\b(19|20)\d\d-(0[1-9]|1[0-2])\b", value)
        if m:
            return m.group(0)
    return None


EXCERPT = 80  # characters of the line kept on each side of a finding's span
MATCH = 200  # characters of the span itself
FINDING_KEYS = ("rule", "name", "category", "severity", "message", "help", "section", "line", "column", "match",
                "before", "after")


def excerpt(source, start: int, end: int) -> tuple[str, str, str]:
    """The finding's line around its span: (text before, the span, text after), each cropped
    (an ellipsis marks a cut) so one long paragraph does not fill the page."""
    line, _ = source.position(start)
    line_start, line_end = source.index.line_span(line)
    end = min(max(end, start), line_end)  # a span over several lines: its first line
    before = source.text[line_start:start]
    after = source.text[end:line_end].rstrip("\r\n")
    match = source.text[start:end]
    if len(before) > EXCERPT:
        before = "…" + before[-EXCERPT:].lstrip()
    if len(after) > EXCERPT:
        after = after[:EXCERPT].rstrip() + "…"
    if len(match) > MATCH:
        match = match[:MATCH] + "…"
    return before.lstrip(), match, after.rstrip()


_BY = None


def byline_author(doc) -> str | None:
    """The author named in a byline block ("By Ann Lee, markets reporter" -> "Ann Lee,
    markets reporter" less its "By"), for articles whose front matter names none."""
    global _BY
    import re

    if _BY is None:
        _BY = re.compile(r"^\W*by\s+", re.IGNORECASE)
    for block in doc.blocks:
        if block.section == "byline":
            name = " ".join(_BY.sub("", block.text).split()).strip(" ,;|-–—")
            return name[:120] or None
    return None


def summarise(result, doc_front_matter: dict, keep_findings: bool = True, byline: str | None = None) -> ArticleSummary:
    """`result` as report data.  The author is the front matter's `author` (or `byline`),
    else the name in the article's byline; the month is the front matter's `date`."""
    fm = doc_front_matter or {}
    author = fm.get("author") or fm.get("byline")
    if isinstance(author, list):
        author = ", ".join(str(a) for a in author if a) or None
    author = " ".join(str(author).split()) if author else byline
    s = ArticleSummary(
        path=result.path,
        id=result.id,
        format=result.format,
        author=author or None,
        desk=(" ".join(str(fm.get("desk")).split()) or None) if fm.get("desk") else None,
        month=_month(fm.get("date")),
    )
    if result.error is not None:
        s.error = str(result.error)
        s.score = 0
        return s
    source = result.source
    for d in result.diagnostics:
        s.counts[d.severity] = s.counts.get(d.severity, 0) + 1
        s.by_rule[d.rule] = s.by_rule.get(d.rule, 0) + 1
        s.by_category[d.category] = s.by_category.get(d.category, 0) + 1
        section = d.section or "article"
        s.by_section[section] = s.by_section.get(section, 0) + 1
        if keep_findings:
            line, column = source.position(d.start)
            before, match, after = excerpt(source, d.start, d.end)
            s.findings.append({
                "rule": d.rule, "name": d.name, "category": d.category, "severity": d.severity, "message": d.message,
                "help": d.help, "section": section, "line": line, "column": column, "match": match,
                "before": before, "after": after,
            })
    for d, directive in result.suppressed:
        line, column = source.position(d.start)
        s.suppressed.append({"rule": d.rule, "line": line, "column": column, "message": d.message, "reason": directive.reason})
    s.score = compliance_score(s.counts)
    return s


# -- the per-process worker -------------------------------------------------------------------
_STATE: dict = {}


def init_worker(profiles: dict, keep_findings: bool) -> None:
    """Receive the run's profiles (by configuration file: linter/profile.py) once per worker
    process; they pickle as data."""
    _STATE["profiles"] = profiles
    _STATE["keep"] = keep_findings


def lint(item: tuple) -> ArticleSummary:
    """item = (path, raw bytes, input format or None, profile key, where): the article checked
    exactly as `copydesk check` checks it (`Profile.check_file`: the profile's rules less the
    per-path ignores of `where`, its file, or for a stream's line the stream; its cues)."""
    path, data, fmt, key, where = item
    result, doc = _STATE["profiles"][key].check_file(path, fmt, data=data, where=where)
    if doc is None:  # not read, or not parsed: the error alone, under the format asked for
        return summarise(result.replace(format=fmt), {}, False)
    return summarise(result, doc.front_matter, _STATE["keep"], byline_author(doc))


# -- the Dask task: a batch of articles ---------------------------------------------------------
def lint_batch(batch: list, profiles: dict, keep_findings: bool) -> list:
    """One Dask task: lint a batch of articles (one task per ~3 ms article drowns the scheduler).

    batch = [(key, path, data, fmt, read_at, profile key, where, run)]: `data` is the article's
    bytes, or None when the workers share the client's storage and read `read_at` (the
    absolute path) themselves; the bytes read are checked against the client's cache `key`
    (path, format, run and content), so a file changed since the client read it, or another
    file at that path, is never linted in its place: that slot comes back None and the client
    lints its own copy.  `profiles` are the ones the batch uses, each scattered to the workers
    once (deserialised once per worker, not once per task)."""
    from .cache import article_key

    init_worker(profiles, keep_findings)
    out: list[ArticleSummary | None] = []  # None: not the bytes the client read (it lints its own)
    for key, path, data, fmt, read_at, profile_key, where, run in batch:
        if data is None:
            try:
                with open(read_at, "rb") as f:
                    data = f.read()
            except (OSError, TypeError, ValueError):
                out.append(None)
                continue
            if article_key(data, path, run, fmt) != key:
                out.append(None)
                continue
        out.append(lint((path, data, fmt, profile_key, where)))
    return out


def sees_as_client(where: str, path: str, key: str, run: str, fmt) -> bool:
    """Run on every worker before the first task: does this worker read the same article at
    `where` as the client did (same bytes, so same cache key)?  Then paths, not bytes, go."""
    from .cache import article_key

    try:
        with open(where, "rb") as f:
            return article_key(f.read(), path, run, fmt) == key
    except (OSError, TypeError, ValueError):
        return False
