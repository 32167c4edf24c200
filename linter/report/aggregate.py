"""Fold article summaries into the report: counts and top-N lists, never every finding."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

TOP_N = 25


@dataclass
class Aggregate:
    articles: int = 0
    unreadable: int = 0
    with_errors: int = 0
    severity: Counter = field(default_factory=Counter)
    by_rule: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)
    by_section: Counter = field(default_factory=Counter)
    by_author: Counter = field(default_factory=Counter)
    by_desk: Counter = field(default_factory=Counter)
    by_month: Counter = field(default_factory=Counter)
    score_total: int = 0
    worst: list = field(default_factory=list)  # heap of (-errors, -findings, path, summary-lite)
    suppressed: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # unreadable articles (path, message)

    def add(self, s) -> None:
        self.articles += 1
        if s.error is not None:
            self.unreadable += 1
            self.errors.append({"path": s.path, "error": s.error})
            return
        findings = sum(s.counts.values())
        if s.counts.get("error"):
            self.with_errors += 1
        self.severity.update(s.counts)
        self.by_rule.update(s.by_rule)
        self.by_category.update(s.by_category)
        self.by_section.update(s.by_section)
        if s.author:
            self.by_author[s.author] += findings
        if s.desk:
            self.by_desk[s.desk] += findings
        if s.month:
            self.by_month[s.month] += findings
        self.score_total += s.score
        entry = (s.counts.get("error", 0), findings, s.path)
        lite = {"path": s.path, "id": s.id, "errors": s.counts.get("error", 0), "warnings": s.counts.get("warning", 0),
                "infos": s.counts.get("info", 0), "score": s.score, "rules": dict(s.by_rule)}
        if len(self.worst) < TOP_N:
            heapq.heappush(self.worst, (entry, lite))
        elif entry > self.worst[0][0]:
            heapq.heapreplace(self.worst, (entry, lite))
        for sup in s.suppressed:
            self.suppressed.append({"path": s.path, **sup})

    @property
    def compliance_rate(self) -> float:
        readable = self.articles - self.unreadable
        return (readable - self.with_errors) / readable if readable else 1.0

    @property
    def mean_score(self) -> float:
        readable = self.articles - self.unreadable
        return self.score_total / readable if readable else 100.0

    def top_articles(self) -> list[dict]:
        return [lite for _, lite in sorted(self.worst, key=lambda e: e[0], reverse=True)]
