# ruff: noqa
"""How old_analyses_*.jsonl were made (kept for provenance; it no longer runs: it needs the
old linter/textmatch.py, whose analyses read re._parser trees).  Run once at commit f82154e's
parent, from /work/main: part 1 records every (pattern, flags) the old analyses saw while
loading all shipped and opt-in rules, the cues and the entity finders and checking a tenth
of the corpus; part 2 writes each pattern's old results, and those of 2,500 seeded random
patterns.  pytest does not collect it (not test_*).
"""
# ---- part 1 ---------------------------------------------------------------------------------
import json, os, re, sys, glob
os.environ["COPYDESK_NO_CACHE"] = "1"
sys.path.insert(0, "/work/main")
import linter.textmatch as tm
seen = set()
def rec(name):
    real = getattr(tm, name)
    def wrap(p, *a, **k):
        if name == "with_first_char_lookahead":
            lz = tm.LazyRegex.of(p); seen.add((lz.source, int(lz.flags)))
        elif isinstance(p, str):
            fl = a[0] if a and isinstance(a[0], int) and not isinstance(a[0], bool) else k.get("flags", 0)
            seen.add((p, int(fl)))
        return real(p, *a, **k)
    setattr(tm, name, wrap)
for n in ["required_literals", "first_words", "edge_anchored", "with_first_char_lookahead", "backtracking_risk", "safe_compile"]:
    rec(n)
from linter.ruleset.loader import load_rule_sets, shipped_rule_files, optional_rule_files
rs = load_rule_sets([str(p) for p in shipped_rule_files()] + [str(p) for p in optional_rule_files()])
from linter.document import cues as cm
c = cm.default_cues() if hasattr(cm, "default_cues") else None
# touch every cue pattern set and voice pattern
if c is not None:
    for v in c._pattern_sets.values():
        pass
    for v in c.voice_patterns.values():
        pass
import linter.entities as ent
for kind in ent.PATTERNS:
    ent._gates(kind)
import importlib, pkgutil, linter
for m in pkgutil.walk_packages(linter.__path__, "linter."):
    if m.name.endswith('__main__'): continue
    try:
        mod = importlib.import_module(m.name)
    except Exception as e:
        print("skip", m.name, e, file=sys.stderr); continue
    for v in list(vars(mod).values()):
        if isinstance(v, (tm.LazyRegex, re.Pattern)) and isinstance(v.pattern, str):
            seen.add((v.pattern, int(v.flags)))
if c is not None:
    for key, items in (c.raw.get("voice") or {}).items():
        for p in items or ():
            seen.add((p, 0 if key in ("first_person", "reader") else 2))
    for grp in ("sections", "heading_sections", "genres"):
        for k, v in (c.raw.get(grp) or {}).items():
            for p in v or ():
                seen.add((p, int(re.I | re.M)))
# run the checker over a corpus slice so lazily built gates are analysed too
import subprocess
files = sorted(glob.glob("/work/shared/corpus/news/*/*"))[::10]
from linter import cli
try:
    cli.main(["check", "--format", "json", "--jobs", "1", *files]) if hasattr(cli, "main") else None
except SystemExit:
    pass
print(len(seen), file=sys.stderr)
json.dump(sorted(seen), open("/tmp/pat/seen.json", "w"))

# ---- part 2 ---------------------------------------------------------------------------------
import json, random, sys
sys.path.insert(0, "/work/main")
from linter import textmatch as tm
seen = [tuple(x) for x in json.load(open("/tmp/pat/seen.json"))]
extra = [r"(a|a)*b", r"(.*,){10}x", r"(a|aa)+$", r"(\w+\s*)*", r"(?:.{0,3})+", r"\w+\w+", r"\s*(?:x)?\s*",
         r"(?:,\d+)*", r"(?:\([^()]*\))*", r"(?:\w+\s+){0,3}", r"(?:\w+ ){0,2}"]
atoms = ['a', 'b', ',', r'\w', r'\s', '.', '[ab]', r'\d', ' ', '[^,]', 'said', 'Told', r'\b', '-', '[A-Z]', r'\$',
         '(?<!\\w)', '(?<![-\\w])', '(?=x)', '(?!y)', '^', '$', r'\A', r'\Z', '[a-c\\d]', r'\W', r'\S', 'é', '[^\\s]']
def gen(d=0):
    r = random.random()
    if d > 2 or r < 0.35:
        return random.choice(atoms)
    if r < 0.55:
        return gen(d + 1) + gen(d + 1)
    if r < 0.7:
        return random.choice(['(?:', '(', '(?P<n%d>' % d, '(?i:']) + gen(d + 1) + '|' + gen(d + 1) + ')'
    return '(?:' + gen(d + 1) + ')' + random.choice(['*', '+', '?', '{0,3}', '{2,12}', '{1,}', '*?', '??', '{3}'])
random.seed(19)
rand = set()
while len(rand) < 2500:
    p = random.choice([r'\b', '', '(?<!\\w)', '(?i)', '^']) + gen() + random.choice(['$', 'x', '!', '', r'\b'])
    try:
        import re; re.compile(p)
    except re.error:
        continue
    rand.add((p, random.choice([0, 2, 10, 8])))
def row(p, f):
    req = tm.required_literals(p)
    fw = tm.first_words(p, f)
    return {
        "pattern": p, "flags": f,
        "required_literals": [list(r) for r in req] if req is not None else None,
        "first_chars": [tm.first_chars(p, False), tm.first_chars(p, True)],
        "first_words": sorted(fw) if fw is not None else None,
        "edge_anchored": tm.edge_anchored(p, f),
        "lookahead": tm.with_first_char_lookahead(tm.LazyRegex(p, f)).source,
        "backtracking_risk": tm.backtracking_risk(p, f),
    }
for name, pats in (("shipped", sorted(seen) + [(p, 0) for p in extra]), ("random", sorted(rand))):
    out = [row(p, f) for p, f in pats]
    with open(f"/work/main/tests/patterns/old_analyses_{name}.jsonl", "w") as fh:
        for o in out:
            fh.write(json.dumps(o, sort_keys=True) + "\n")
    print(name, len(out), sum(1 for o in out if o["first_words"]), sum(1 for o in out if o["backtracking_risk"]),
          sum(1 for o in out if o["required_literals"]), sum(1 for o in out if o["lookahead"] != o["pattern"]))
