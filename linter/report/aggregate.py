"""Fold article summaries into the report: counts per rule, author, desk and month, and the
worst articles in detail; never every finding (memory stays flat whatever the archive)."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

DETAIL = 200  # articles shown finding by finding in the page (the worst ones)
UNKNOWN = "(unknown)"  # the author, desk or month of an article that names none
SEVERITIES = ("error", "warning", "info")


class Group:
    """One author, desk, month, rule, category or section: articles, articles with an
    error, and findings by severity."""

    __slots__ = ("articles", "error", "info", "warning", "with_errors")

    def __init__(self):
        self.articles = self.with_errors = self.error = self.warning = self.info = 0

    @property
    def findings(self) -> int:
        return self.error + self.warning + self.info

    @property
    def compliance_rate(self) -> float | None:
        return (self.articles - self.with_errors) / self.articles if self.articles else None

    def to_dict(self) -> dict:
        rate = self.compliance_rate
        return {"articles": self.articles, "with_errors": self.with_errors,
                "compliance_rate": None if rate is None else round(rate, 4), "findings": self.findings,
                "error": self.error, "warning": self.warning, "info": self.info}


class Groups(dict):
    """key -> Group, created on first use."""

    def __missing__(self, key):
        group = self[key] = Group()
        return group

    def ranked(self) -> list[tuple[str, Group]]:
        """Most findings first, then most articles, then by name (stable across runs)."""
        return sorted(self.items(), key=lambda kv: (-kv[1].findings, -kv[1].articles, kv[0]))

    def chronological(self) -> list[tuple[str, Group]]:
        """Months in order, the unknown bucket last."""
        return sorted(self.items(), key=lambda kv: (kv[0] == UNKNOWN, kv[0]))


class _Last:
    """A path that sorts backwards, so the heap keeps the alphabetically first of equals."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __lt__(self, other):
        return self.path > other.path

    def __eq__(self, other):
        return self.path == other.path


@dataclass
class Aggregate:
    detail: int = DETAIL
    articles: int = 0
    unreadable: int = 0
    with_errors: int = 0
    with_findings: int = 0
    severity: Counter = field(default_factory=Counter)
    by_rule: Groups = field(default_factory=Groups)
    by_category: Groups = field(default_factory=Groups)
    by_section: Groups = field(default_factory=Groups)
    by_author: Groups = field(default_factory=Groups)
    by_desk: Groups = field(default_factory=Groups)
    by_month: Groups = field(default_factory=Groups)
    score_total: int = 0
    worst: list = field(default_factory=list)  # heap of ((errors, findings, -score, _Last(path)), article)
    suppressed: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # unreadable articles (path, message)

    def add(self, s) -> None:
        self.articles += 1
        if s.error is not None:
            self.unreadable += 1
            self.errors.append({"path": s.path, "error": s.error})
            return
        has_error = bool(s.counts.get("error"))
        self.with_errors += has_error
        self.with_findings += bool(s.findings)
        self.severity.update(s.counts)
        for groups, key in ((self.by_author, s.author), (self.by_desk, s.desk), (self.by_month, s.month)):
            g = groups[key or UNKNOWN]
            g.articles += 1
            g.with_errors += has_error
            for sev in SEVERITIES:
                setattr(g, sev, getattr(g, sev) + s.counts.get(sev, 0))
        seen = set()
        for f in s.findings:
            sev = f["severity"] if f["severity"] in SEVERITIES else "info"
            for name, groups, key in (("rule", self.by_rule, f["rule"]), ("category", self.by_category, f["category"]),
                                      ("section", self.by_section, f["section"])):
                g = groups[key]
                setattr(g, sev, getattr(g, sev) + 1)
                if (name, key) not in seen:  # articles with at least one such finding
                    seen.add((name, key))
                    g.articles += 1
                    g.with_errors += has_error
        self.score_total += s.score
        self._keep_if_worst(s)
        for sup in s.suppressed:
            self.suppressed.append({"path": s.path, **sup})

    def _keep_if_worst(self, s) -> None:
        if self.detail <= 0 or not s.findings:
            return
        rank = (s.counts.get("error", 0), len(s.findings), -s.score, _Last(s.path))
        if len(self.worst) >= self.detail and not self.worst[0][0] < rank:
            return
        entry = (rank, article_entry(s))
        if len(self.worst) < self.detail:
            heapq.heappush(self.worst, entry)
        else:
            heapq.heapreplace(self.worst, entry)

    @property
    def findings(self) -> int:
        return sum(self.severity.values())

    @property
    def readable(self) -> int:
        return self.articles - self.unreadable

    @property
    def compliance_rate(self) -> float | None:
        """Share of readable articles with no error; None when nothing was readable."""
        return (self.readable - self.with_errors) / self.readable if self.readable else None

    @property
    def mean_score(self) -> float | None:
        return self.score_total / self.readable if self.readable else None

    def top_articles(self) -> list[dict]:
        """The worst articles, worst first, each with its findings."""
        return [a for _, a in sorted(self.worst, key=lambda e: e[0], reverse=True)]


def article_entry(s, findings: bool = True) -> dict:
    """One article as the report lists it (the JSON's `articles`, the page's detail)."""
    entry = {"path": s.path, "id": s.id, "format": s.format, "author": s.author or UNKNOWN, "desk": s.desk or UNKNOWN,
             "month": s.month or UNKNOWN, "errors": s.counts.get("error", 0), "warnings": s.counts.get("warning", 0),
             "infos": s.counts.get("info", 0), "score": s.score}
    if s.error is not None:
        entry["error"] = s.error
    if findings:
        entry["findings"] = sorted(s.findings, key=lambda f: (f["line"], f["column"], f["rule"]))
    return entry
