"""Kind `directive`: audit the inline suppressions themselves.

PASS  <!-- copydesk: disable-next-line=PROMO202 reason="quoting the promoter" -->  (then a PROMO202 finding)
FAIL  <!-- copydesk: disable=PROMO202 -->  (no reason)   or a directive that hid nothing

Option `problem`: `missing-reason` (a directive without a reason, or one that cannot be read)
or `unused` (a valid directive that suppressed nothing).  The engine applies suppressions
after every other rule has run and hands the directives to these rules.
"""

from __future__ import annotations

from ..diagnostics import Finding
from .base import check_known_options, get_option

PROBLEMS = ("missing-reason", "unused")


class DirectiveKind:
    name = "directive"
    default_scope = ("headline", "dek", "byline", "dateline", "body", "quote", "disclaimer", "boilerplate")
    message_fields = ("directive", "problem", "rules")
    runs_after_suppression = True

    def prepare(self, rule, fail):
        check_known_options(rule, fail, ("problem",))
        problem = get_option(rule, fail, "problem", str, required=True)
        if problem not in PROBLEMS:
            fail("problem", f"must be one of: {', '.join(PROBLEMS)}")
        return problem

    def unreachable_scope(self, rule) -> str | None:
        return None

    def run(self, doc, facts, rule) -> list[Finding]:
        out = []
        for d in getattr(facts, "directives", []):
            if rule.check == "missing-reason" and not d.valid:
                bad = True
            elif rule.check == "unused" and d.valid and d.action != "enable" and d.used == 0:
                bad = True
            else:
                bad = False
            if bad:
                values = {
                    "directive": doc.text[d.start : d.end].strip(),
                    "problem": d.problem or "suppressed nothing",
                    "rules": ", ".join(d.rules) if d.rules else "all rules",
                }
                out.append(Finding(d.start, d.end, values))
        return out
