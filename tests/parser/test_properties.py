"""Property tests: for any generated article, spans map back to the source exactly.

Checked for every format: each verbatim piece of plain text equals its source slice; blocks,
sections and sentences are ordered and do not overlap within their level; every span lies
inside the source; plain-text sentences equal their source slice outright.
"""

from __future__ import annotations

import html
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.document import parse_document
from linter.source import Source

WORDS = [
    "Acme", "Inc.", "U.S.", "said", "rose", "3.5%", "$1.2", "bn", "Q3", "Mr.", "Jan.", "No.", "5",
    "(NASDAQ:", "AAPL)", "café", "😀", "“quoted”", "'single'", "\"straight\"", "e.g.", "the", "shares",
    "fell", "…", "&", "<b>", "*", "_", "[x]", "`", "--", "\t", "Ω", "—", "...", "?", "!", "\\",
]
word = st.sampled_from(WORDS) | st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=6)
sentence = st.lists(word, min_size=1, max_size=12).map(lambda ws: " ".join(ws).strip() or "x")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(lambda ss: " ".join(ss))
article = st.tuples(sentence, st.lists(paragraph, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n"]))


def _render(fmt: str, headline: str, paragraphs: list[str], nl: str) -> str:
    if fmt == "text":
        return nl.join([headline.replace("\n", " "), ""] + [p + nl for p in paragraphs])
    if fmt == "markdown":
        fm = f"---{nl}title: {json.dumps(headline)}{nl}sponsored: false{nl}---{nl}{nl}"
        return fm + f"{nl}{nl}".join(p.replace("\n", " ") for p in paragraphs) + nl
    body = "".join(f"<p>{html.escape(p)}</p>{nl}" for p in paragraphs)
    if fmt == "html":
        return f"<h1>{html.escape(headline)}</h1>{nl}{body}"
    return json.dumps({"headline": headline, "body": body, "id": 1}, ensure_ascii=bool(len(paragraphs) % 2))


def _check(doc) -> None:
    text = doc.source.text
    n = len(text)
    for level in (doc.blocks, doc.sections, doc.sentences):
        prev_end = 0
        for item in level:
            assert 0 <= item.start < item.end <= n, (item, n)
            assert item.start >= prev_end, "spans overlap or are out of order"
            prev_end = item.end
    for b in doc.blocks:
        for _, part, s0, s1, verbatim in b.textmap.pieces():
            assert 0 <= s0 <= s1 <= n
            if verbatim:
                assert text[s0:s1] == part
    for s in doc.sentences:
        block = doc.blocks[s.block]
        assert block.start <= s.start and s.end <= block.end
        assert block.text[s.plain_start : s.plain_end] == s.text
        for qs, qe in s.quotes:
            assert s.start <= qs <= qe <= s.end
        if doc.format == "text":
            assert text[s.start : s.end] == s.text


@pytest.mark.stress  # generated articles
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article, st.sampled_from(["text", "markdown", "html", "json"]))
def test_spans_map_back_to_source(parts, fmt):
    headline, paragraphs, nl = parts
    source = Source(f"gen.{fmt}", _render(fmt, headline, paragraphs, nl))
    if not source.text.strip():
        return
    _check(parse_document(source, fmt))


@pytest.mark.stress  # generated text
@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["text", "markdown", "html"]))
def test_arbitrary_text_never_crashes(text, fmt):
    if not text.strip():
        return
    _check(parse_document(Source(f"any.{fmt}", text), fmt))
