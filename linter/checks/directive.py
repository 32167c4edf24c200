"""Kind `directive`: audit the inline suppressions themselves.

PASS  <!-- copydesk: disable-next-line=PROMO202 reason="quoting the promoter" -->  (then a PROMO202 finding)
FAIL  <!-- copydesk: disable=PROMO202 -->  (no reason)   or a directive that hid nothing

Option `problem`: `missing-reason` (a directive without a reason, or one that cannot be read)
or `unused` (a valid directive that suppressed nothing).  The engine applies suppressions
after every other rule has run and hands the directives to these rules.
"""

from __future__ import annotations

from ..diagnostics import Finding
from .kind import Option, RunResult, read_options

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only
    from ..ruleset.model import Rule
    from .kind import Fail

PROBLEMS = ("missing-reason", "unused")


class DirectiveKind:
    name = "directive"
    default_scope = ("headline", "dek", "byline", "dateline", "body", "quote", "disclaimer", "boilerplate")
    message_fields = ("directive", "problem", "rules")
    options = (Option("problem", str, required=True, choices=PROBLEMS),)
    runs_after_suppression = True

    def prepare(self, rule: Rule, fail: Fail) -> str:
        return read_options(rule, fail, self.options)["problem"]

    def unreachable_scope(self, rule: Rule) -> str | None:
        return None

    def run(self, doc, facts, rule, directives=()) -> RunResult:
        out = []
        for d in directives:
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
        return RunResult(out)
