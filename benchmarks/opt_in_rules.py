"""The issue-22 rules' findings on real articles: the opt-in rule sets and the register rules.

    python benchmarks/opt_in_rules.py [--shared ../shared] [--json] [--sample N --seed S]

Checks `../shared/eval/financial/articles/` and `../shared/corpus/` (every article file,
recursively) with the rules of rules/opt-in/*.yaml (recommendations, uk-promotions, crypto,
adviser-marketing, affiliate), each article whole, and prints every finding (rule, file,
line, column, the text at the span) and a count per rule and per collection.  The register
rules (REG9xx) need the publisher's register, which neither collection has: they are run
with an empty register and must find nothing.  `--sample N --seed S` draws N findings with
`random.seed(S); random.sample(findings, N)` for a hand review (tests/data/opt_in_review.yaml).
`--register-scale N` times instead the register rules with a generated CSV register of N
holdings and N paid entries over the first 300 corpus articles (CPU seconds).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def collections(shared: Path) -> dict[str, list[Path]]:
    from linter.document import EXTENSIONS

    def files(folder: Path) -> list[Path]:
        return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
                      and not p.name.startswith(("README", "MANIFEST", "RUBRIC")))

    return {"financial": files(shared / "eval" / "financial" / "articles"), "corpus": files(shared / "corpus")}


def findings(shared: Path) -> tuple[list[dict], dict]:
    from linter.checks.register import register_cues
    from linter.engine import check_source
    from linter.ruleset import load_rule_sets
    from linter.ruleset.loader import optional_rule_files, shipped_rules_dir
    from linter.source import decode

    rules = load_rule_sets([*map(str, optional_rule_files()), str(shipped_rules_dir() / "register.yaml")]).rules
    cues = register_cues({})  # an empty register: the REG rules must stay silent
    out, stats = [], {}
    for name, paths in collections(shared).items():
        t0 = time.process_time()
        for path in paths:
            result = check_source(decode(str(path), path.read_bytes()), rules, None, cues)
            if result.error is not None:
                continue
            for d in result.diagnostics:
                if d.rule not in {r.id for r in rules}:
                    continue
                line, col = result.source.position(d.start)
                out.append({"collection": name, "file": str(path.relative_to(shared)), "rule": d.rule, "line": line,
                            "col": col, "text": " ".join(result.source.text[d.start:d.end].split())[:160],
                            "message": d.message})
        stats[name] = {"articles": len(paths), "cpu_seconds": round(time.process_time() - t0, 2)}
    return out, stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--register-scale", type=int, default=0)
    args = ap.parse_args(argv)
    if args.register_scale:
        return register_scale(Path(args.shared), args.register_scale)
    found, stats = findings(Path(args.shared))
    if args.sample:
        random.seed(args.seed)
        found = random.sample(found, min(args.sample, len(found)))
    if args.json:
        json.dump({"stats": stats, "findings": found}, sys.stdout, indent=1, ensure_ascii=False)
        print()
        return 0
    for f in found:
        print(f"{f['file']}:{f['line']}:{f['col']}: {f['rule']} {f['text']!r}")
    print()
    by = Counter((f["collection"], f["rule"]) for f in found)
    for name, s in stats.items():
        rules = ", ".join(f"{r} {n}" for (c, r), n in sorted(by.items()) if c == name) or "none"
        print(f"{name}: {s['articles']} articles, {sum(n for (c, _), n in by.items() if c == name)} findings ({rules}); {s['cpu_seconds']} s CPU")
    return 0



NEW_FACTS = ("own_recommendation", "own_rating_change", "analyst_action", "crypto", "call_to_action", "benefit_claim",
             "testimonial", "hypothetical_performance", "gross_performance", "weak_label")


def fact_mentions(shared: Path) -> list[dict]:
    """Every mention of the facts the opt-in rules are conditioned on (what the article is)."""
    from linter.document import parse_document
    from linter.entities import Facts
    from linter.source import decode

    out = []
    for name, paths in collections(shared).items():
        for path in paths:
            src = decode(str(path), path.read_bytes())
            try:
                doc = parse_document(src, None)
            except Exception:  # noqa: BLE001 - an unreadable article has no facts
                continue
            facts = Facts(doc)
            for kind in NEW_FACTS:
                for m in facts.mentions(kind):
                    line, col = src.position(m.start)
                    out.append({"collection": name, "file": str(path.relative_to(shared)), "fact": kind, "line": line,
                                "col": col, "text": m.text,
                                "context": " ".join(src.text[max(0, m.start - 90): m.end + 60].split())})
    return out


def register_scale(shared: Path, n: int) -> int:
    """CPU time of reading a CSV register of 2n entries and of the register rules with it."""
    from linter.disclosures import parse_csv
    from linter.document.cues import default_cues
    from linter.engine import check_source
    from linter.ruleset import load_rule_sets
    from linter.ruleset.loader import shipped_rules_dir
    from linter.source import decode

    rows = ["kind,holder,ticker,payer,amount"] + [f"holding,Person {i},T{i:05d},," for i in range(n)]
    rows += [f"paid,,P{i:05d},Payer {i},$1" for i in range(n)]
    t0 = time.process_time()
    register = parse_csv("generated.csv", "\n".join(rows))
    read = time.process_time() - t0
    cues = default_cues().extended({"disclosures": register})
    rules = load_rule_sets([str(shipped_rules_dir() / "register.yaml")]).rules
    paths = collections(shared)["corpus"][:300]
    sources = [decode(str(p), p.read_bytes()) for p in paths]
    t0 = time.process_time()
    for src in sources:
        check_source(src, [], None)  # parsing alone, to subtract
    parse = time.process_time() - t0
    t0 = time.process_time()
    for src in sources:
        check_source(src, rules, None, cues)
    total = time.process_time() - t0
    print(f"register of {2 * n:,} entries read in {read:.2f} s; {len(sources)} articles: {total:.2f} s with the register rules, "
          f"{parse:.2f} s parsing alone ({(total - parse) / max(1, len(sources)) * 1000:.2f} ms per article for the rules)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
