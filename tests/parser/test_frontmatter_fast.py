"""The cheap front-matter path: what it accepts, it reads exactly as PyYAML does.

parse_simple_front_matter either declines (None) or returns what parse_yaml_front_matter
returns for the same text: the same values of the same types, the same entries with every
offset, the same (no) problems.  A one-shot check of a plain article then imports no yaml.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.document.frontmatter import (
    parse_front_matter,
    parse_simple_front_matter,
    parse_yaml_front_matter,
    split_front_matter,
)
from linter.document.model import FrontMatterEntry, ParseProblem

from ..conftest import CORPUS, ROOT, SHARED, need_shared


def _same(a, b) -> bool:
    """Equal and of the same types all the way down (True == 1 and date == date are not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(k, k2) and _same(a[k], b[k2]) for k, k2 in zip(a, b))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, (FrontMatterEntry, ParseProblem)):
        return _same(a._values(), b._values())
    return a == b


def _differential(text: str, start: int, end: int) -> bool:
    """Whether the cheap path accepted text[start:end]; if it did, it matched PyYAML."""
    fast = parse_simple_front_matter(text, start, end)
    if fast is None:
        return False
    slow = parse_yaml_front_matter(text, start, end)
    assert _same(fast, slow), (text[start:end], fast, slow)
    assert _same(parse_front_matter(text, start, end), slow)
    return True


def _fm(chunk: str) -> tuple[str, int, int]:
    text = "---\n" + chunk + "---\n\nBody.\n"
    return text, 4, 4 + len(chunk)


# --- exact behaviour ---------------------------------------------------------------------------

EXAMPLE = """\
---
title: Halvorsen Mining Halts Drilling at Chilean Copper Project
dek: Shares of the Vancouver-based explorer fell after local authorities ordered a pause.
author: Dana Whitfield
date: 2026-11-02
tickers: [HLV]
sponsored: false
desk: mining
---
"""


def test_example_front_matter_exact():
    ys, ye, _ = split_front_matter(EXAMPLE)
    fast = parse_simple_front_matter(EXAMPLE, ys, ye)
    assert fast is not None
    values, entries, problems = fast
    assert values == {
        "title": "Halvorsen Mining Halts Drilling at Chilean Copper Project",
        "dek": "Shares of the Vancouver-based explorer fell after local authorities ordered a pause.",
        "author": "Dana Whitfield",
        "date": datetime.date(2026, 11, 2),
        "tickers": ["HLV"],
        "sponsored": False,
        "desk": "mining",
    }
    assert type(values["date"]) is datetime.date and values["sponsored"] is False
    spans = {k: (e.key_start, e.key_end, e.value_start, e.value_end) for k, e in entries.items()}
    assert spans == {
        "title": (4, 9, 11, 68),
        "dek": (69, 72, 74, 158),
        "author": (159, 165, 167, 181),
        "date": (182, 186, 188, 198),
        "tickers": (199, 206, 208, 213),
        "sponsored": (214, 223, 225, 230),
        "desk": (231, 235, 237, 243),
    }
    assert all(entries[k].value is values[k] for k in values)
    assert problems == []
    assert _same(fast, parse_yaml_front_matter(EXAMPLE, ys, ye))


def test_bundled_example_file_takes_the_cheap_path():
    text = (ROOT / "examples" / "halvorsen-drilling-halt.md").read_text(encoding="utf-8")
    ys, ye, _ = split_front_matter(text)
    assert _differential(text, ys, ye)


def test_yes_falls_back_and_is_a_bool():
    text, s, e = _fm("sponsored: yes\n")
    assert parse_simple_front_matter(text, s, e) is None
    values, entries, problems = parse_front_matter(text, s, e)
    assert values == {"sponsored": True} and values["sponsored"] is True and problems == []


def test_invalid_date_falls_back_to_a_problem():
    text, s, e = _fm("title: T\ndate: 2026-02-30\n")
    assert parse_simple_front_matter(text, s, e) is None
    values, entries, problems = parse_front_matter(text, s, e)
    assert values == {"title": "T"} and list(entries) == ["title"]
    assert [(p.start, p.end, p.key) for p in problems] == [(19, 20, "date")]
    assert problems[0].message.startswith("malformed front matter: invalid value '2026-02-30'")


def test_duplicate_key_falls_back_to_a_problem():
    text, s, e = _fm("desk: a\ndesk: b\n")
    assert parse_simple_front_matter(text, s, e) is None
    values, _, problems = parse_front_matter(text, s, e)
    assert values == {"desk": "b"}
    assert [(p.start, p.end, p.message) for p in problems] == [(12, 16, "duplicate front-matter key 'desk'")]


def test_trailing_tab_falls_back_pyyaml_refuses_it():
    text, s, e = _fm("desk: mining\t\n")
    assert parse_simple_front_matter(text, s, e) is None
    values, _, problems = parse_front_matter(text, s, e)
    assert values == {} and len(problems) == 1 and problems[0].message.startswith("malformed front matter")


def test_quoted_title_with_colon_crlf_and_blank_lines():
    chunk = 'title: "Northwind: the next Tesla?"  \r\n\r\n  \r\nsponsored: True\r\nn: 0\r\ny: 12\r\nlist: [ ]\r\n'
    text, s, e = _fm(chunk)
    values, entries, problems = parse_simple_front_matter(text, s, e)
    assert values == {"title": "Northwind: the next Tesla?", "sponsored": True, "n": 0, "y": 12, "list": []}
    assert (entries["title"].value_start, entries["title"].value_end) == (s + 7, s + 35)
    assert text[entries["title"].value_start : entries["title"].value_end] == '"Northwind: the next Tesla?"'
    assert (entries["y"].key_start, entries["y"].value_start, entries["y"].value_end) == (s + 68, s + 71, s + 73)
    assert problems == []
    assert _differential(text, s, e)


def test_blank_front_matter():
    text, s, e = _fm("\n  \n")
    assert parse_simple_front_matter(text, s, e) == ({}, {}, [])
    assert parse_yaml_front_matter(text, s, e) == ({}, {}, [])


# what the cheap path accepts, value by value (each also checked against PyYAML)
ACCEPTED = {
    "plain words": "plain words",
    "Northwind's lithium": "Northwind's lithium",
    "S&P 500 rises, AT&T falls [again]?": "S&P 500 rises, AT&T falls [again]?",
    "a  b": "a  b",
    "café — “quoted” 😀": "café — “quoted” 😀",
    "$1.2bn (est.)": "$1.2bn (est.)",
    "_x": "_x",
    "y": "y",
    "n": "n",
    "Y": "Y",
    "NaN": "NaN",
    "inf": "inf",
    "tRUE": "tRUE",
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "0": 0,
    "7": 7,
    "1000": 1000,
    "2026-11-02": datetime.date(2026, 11, 2),
    "2024-02-29": datetime.date(2024, 2, 29),
    "'single: quoted # kept'": "single: quoted # kept",
    '"double: quoted"': "double: quoted",
    "' padded  inside '": " padded  inside ",
    "''": "",
    '""': "",
    "[HLV]": ["HLV"],
    "[HLV, RIO.L,BRK-B ,x_1]": ["HLV", "RIO.L", "BRK-B", "x_1"],
    "[]": [],
}
DECLINED = [
    "yes", "Yes", "NO", "on", "Off", "null", "Null", "~", "012", "09", "0x10", "0o17", "0b101",
    "1_000", "+1", "-1", "1:20", "3.5", ".5", "1e3", ".inf", "-.inf", ".nan", "12345678901234567890",
    "2026-02-30", "2026-1-2", "0000-01-01", "2026-11-02T10:00:00Z", "2026-11-02 10:00:00", "3M Co",
    "=", "<<", "<x", "&a x", "*a", "!tag x", "|", ">", "@x", "`x`", "%x", "-x", "- x", "?x", "? x",
    "a: b", "a:b", "a #b", "a#b", "'it''s'", '"a\\nb"', "'a' b", "\"a\" b", '"a', "'", "[a,]", "[yes]",
    "[ON]", "[true]", "[null]", "[a b]", "[a: b]", "[1]", "['a']", "[a], b", "{a: b}", "\"café\u2028\"",
    "a\x85b", "\ufeffx", "a\x7fb", "a\tb", "a\u2029b", "a\ud800b", "a\uffffb", ".x", ",x", "[", "]x", "(a)\t",
]


@pytest.mark.parametrize("raw, expected", list(ACCEPTED.items()))
def test_accepted_values(raw, expected):
    text, s, e = _fm(f"k: {raw}\n")
    fast = parse_simple_front_matter(text, s, e)
    assert fast is not None, raw
    assert _same(fast[0], {"k": expected})
    assert _differential(text, s, e)


@pytest.mark.parametrize("raw", DECLINED)
def test_declined_values(raw):
    text, s, e = _fm(f"k: {raw}\n")
    assert parse_simple_front_matter(text, s, e) is None


@pytest.mark.parametrize(
    "chunk",
    [
        "yes: x\n", "null: x\n", "TRUE: x\n", "a : x\n", "a:x\n", "a:\n", "a:  \n", " a: x\n", "\ta: x\n",
        "a:\tx\n", "a: x\n  b\n", "a: x\nb\n", "# c\na: x\n", "a: x # c\n", "- a\n", "a: x\n\t\n",
        "a: x\n---x\n", "%YAML 1.1\na: x\n", "a-\u00e9: x\n", "a: x\x0bz\n", "k" * 129 + ": x\n",
        "a: x\n? b\n", "a: [x,\n  y]\n",
    ],
)
def test_declined_shapes(chunk):
    text, s, e = _fm(chunk)
    assert parse_simple_front_matter(text, s, e) is None


def test_long_front_matter_falls_back():
    text, s, e = _fm("".join(f"k{i}: v\n" for i in range(3000)))
    assert parse_simple_front_matter(text, s, e) is None


# --- generated front matter, against PyYAML ----------------------------------------------------

KEYS = ["title", "dek", "a", "y", "n", "on", "No", "null", "_x", "a-b", "Yes", "TRUE", "k1", "date", "k" * 129]
VALUES = list(ACCEPTED) + DECLINED + ["", " ", "  x", "x  ", "x \t", "\xa0x", "x\xa0", "'a\tb'", "\"a'b\""]
VALUE_CHARS = "aZ09 _-.,:#'\"[]{}&*!|>%@`?~=<+$()\\\t\xa0é😀\u2028\x85\ufeff\x7f\ud800"
key = st.sampled_from(KEYS) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True)
value = (
    st.sampled_from(VALUES)
    | st.text(alphabet=VALUE_CHARS, max_size=10)
    | st.lists(st.sampled_from(["HLV", "ON", "x", "a b", "1", "true", "A.B", ""]), max_size=3).map(
        lambda xs: "[" + ", ".join(xs) + "]"
    )
)
entry = st.tuples(key, st.sampled_from([": ", ":  ", ":", " : ", ":\t"]), value, st.sampled_from(["", " ", "  ", "\t"]))
line = entry.map("".join) | st.sampled_from(["", "  ", "\t", "# c", "  b: x", "- x", "...", "--- x", "%YAML 1.1"])
# lines the cheap path should take, so that whole front matters often reach it
good_value = st.sampled_from(list(ACCEPTED)) | st.tuples(
    st.sampled_from("aZ_$(é😀"), st.text(alphabet="aZ09 ,.'\"&?!-()[]{}é😀\xa0", max_size=12)
).map("".join)
good = st.tuples(
    st.from_regex(r"[a-z][a-z_-]{0,6}", fullmatch=True), st.sampled_from([": ", ":   "]), good_value,
    st.sampled_from(["", " "]),
).map("".join)
front_matter = st.tuples(
    st.lists(st.one_of(line, good, good, good, st.sampled_from(["", " "])), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)


def _chunk(lines: list[str], nl: str, final_break: bool) -> str:
    return nl.join(lines) + (nl if final_break and lines else "")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
def test_generated_front_matter_matches_pyyaml(fm):
    text, s, e = _fm(_chunk(*fm))
    _differential(text, s, e)


@pytest.mark.stress  # 5,000 generated front matters
@settings(max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
def test_generated_front_matter_matches_pyyaml_many(fm):
    text, s, e = _fm(_chunk(*fm))
    _differential(text, s, e)


def test_front_matter_is_taken_whole_or_not_at_all():
    """One line the cheap path is unsure of sends the whole front matter to PyYAML."""
    lines = ["title: Acme rallies", "tickers: [HLV, ON]", "sponsored: FALSE", "date: 2026-10-02", "k: 'x: y'"]
    accepted = sum(_differential(*_fm(_chunk(lines[:i] + lines[i + 1 :], "\n", True))) for i in range(len(lines)))
    assert accepted == 1  # only without `tickers: [HLV, ON]` (ON is a bool)


# --- articles on disk ---------------------------------------------------------------------------


def _articles():
    paths = sorted((ROOT / "examples").glob("*.md")) + sorted((ROOT / "tests" / "fixtures").rglob("*.md"))
    if SHARED.is_dir():
        paths += sorted(SHARED.rglob("*.md"))
    for path in paths:
        yield str(path), path.read_text(encoding="utf-8", errors="replace")
    for path in sorted((ROOT / "tests" / "parser" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            if isinstance(case.get("input"), str):
                text = case["input"]
                yield f"{path.name}:{case['name']}", text.replace("\n", "\r\n") if case.get("crlf") else text


def test_articles_on_disk_match_pyyaml():
    seen, accepted = [], []
    for name, text in _articles():
        fm = split_front_matter(text)
        if fm:
            seen.append(name)
            if _differential(text, fm[0], fm[1]):
                accepted.append(name)
    # every real article (examples/, fixtures); of the parser cases, not the malformed ones
    assert len(seen) >= 9 and len(accepted) >= 7, sorted(set(seen) - set(accepted))


@pytest.mark.stress  # every corpus article's first lines as a title and dek
def test_corpus_titles_as_front_matter_match_pyyaml():
    accepted = 0
    for path in sorted(need_shared(CORPUS).rglob("*.txt")):
        lines = [x.strip() for x in path.read_text(encoding="utf-8", errors="replace").splitlines() if x.strip()]
        if len(lines) >= 2:
            chunk = f"title: {lines[0]}\ndek: {lines[1][:300]}\nauthor: Staff\ndate: 2026-01-05\nsponsored: false\n"
            accepted += _differential(*_fm(chunk))
    assert accepted > 1000


# --- a one-shot check imports no yaml ------------------------------------------------------------


def test_checking_the_example_does_not_import_yaml(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "COPYDESK_NO_CACHE"}
    env["COPYDESK_CACHE_DIR"] = str(tmp_path)
    code = (
        "import sys, linter.cli; linter.cli.main(['check', 'examples/halvorsen-drilling-halt.md']); "
        "print('yaml' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    assert runs[0].stdout.splitlines()[-1] == "True"  # the first run builds the rule cache from YAML
    assert runs[1].stdout.splitlines()[-1] == "False", runs[1].stderr
