"""Every real article under ../shared/corpus/news/ parses without an error (skipped without it)."""

from __future__ import annotations

import pytest

from linter.document import parse_document
from linter.source import read_source

from ..conftest import CORPUS, SEED, need_shared


@pytest.mark.stress  # the whole corpus
def test_whole_news_corpus_parses():
    corpus = need_shared(CORPUS)
    files = sorted(corpus.rglob("*.txt"))
    assert len(files) >= 2900
    kinds_seen = set()
    for path in files:
        doc = parse_document(read_source(str(path)))
        assert doc.problems == [], path
        assert doc.sections[0].kind == "headline", path
        assert any(s.section == "body" for s in doc.sentences), path
        kinds_seen.update(s.kind for s in doc.sections)
    # wire copy has datelines and sign-offs; BBC copy has no disclosure at all
    assert {"headline", "dateline", "body", "boilerplate"} <= kinds_seen


def test_seed_article_shape():
    doc = parse_document(read_source(str(need_shared(SEED))))
    kinds = [s.kind for s in doc.sections]
    assert kinds == ["headline", "body", "disclaimer", "boilerplate"]
    disclaimer = doc.sections[2]
    assert doc.text[disclaimer.start : disclaimer.end].startswith("Information for this story was found via Reuters")
    assert doc.text[doc.sections[3].start : doc.sections[3].end] == "Leave a Reply"
    body = [s.text for s in doc.sentences if s.section == "body"]
    assert body[-1].startswith("“Our security forces found the wheel")
    assert len(body) == 13
