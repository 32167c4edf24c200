"""Data-driven parser tests: every YAML file under cases/ lists inputs and exact expectations.

Positions are written `line:col-end_line:end_col` (1-based, end exclusive, code points).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from linter.document import parse_document
from linter.source import ArticleError, decode

CASES_DIR = Path(__file__).parent / "cases"


def _load():
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(case, id=f"{path.stem}:{case['name']}")


def _bytes(case) -> bytes:
    text = case["input"]
    if case.get("strip_final_newline"):
        text = text.rstrip("\n")
    if case.get("crlf"):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if case.get("bom"):
        data = b"\xef\xbb\xbf" + data
    return data


def _where(src, start, end) -> str:
    line, col = src.position(start)
    eline, ecol = src.position(end)
    return f"{line}:{col}-{eline}:{ecol}"


@pytest.mark.parametrize("case", list(_load()))
def test_parser_case(case):
    path = case.get("path", "article." + {"markdown": "md", "html": "html", "text": "txt", "json": "json"}[case["format"]])
    if "error" in case:
        with pytest.raises(ArticleError) as info:
            doc = parse_document(decode(path, _bytes(case)), case["format"])
        assert str(info.value) == case["error"]
        return
    doc = parse_document(decode(path, _bytes(case)), case["format"])
    src = doc.source
    if "sections" in case:
        got = [[s.kind, _where(src, s.start, s.end)] for s in doc.sections]
        assert got == case["sections"]
    if "sentences" in case:
        got = [[s.section, _where(src, s.start, s.end), s.text] for s in doc.sentences]
        assert got == case["sentences"]
    if "quotes" in case:
        got = [[src.text[a:b] for a, b in s.quotes] for s in doc.sentences]
        assert got == case["quotes"]
    if "genre" in case:
        assert doc.genre == case["genre"]
    if "front_matter" in case:
        assert {k: v for k, v in doc.front_matter.items()} == case["front_matter"]
    if "front_matter_positions" in case:
        got = {
            k: [_where(src, e.key_start, e.key_end), _where(src, e.value_start, e.value_end)]
            for k, e in doc.front_matter_entries.items()
        }
        assert got == case["front_matter_positions"]
    if "links" in case:
        got = [[_where(src, link.start, link.end), link.href] for b in doc.blocks for link in b.links]
        assert got == case["links"]
    assert [[_where(src, p.start, p.end), p.message] for p in doc.problems] == case.get("problems", [])
    # every sentence's characters that were copied verbatim are the source's characters
    for b in doc.blocks:
        for _start, part, s0, s1, verbatim in b.textmap.pieces():
            if verbatim:
                assert src.text[s0:s1] == part
