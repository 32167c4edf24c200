"""The plain-block reader (`markdown._plain_blocks`) against markdown-it-py: where it reads a
text it gives markdown-it-py's tokens exactly (type, tag, nesting, level, source lines,
content); anything else it leaves to markdown-it-py (None)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linter.document.markdown import _markdown_it, _plain_blocks

from ..conftest import CORPUS, ROOT, need_shared


def _fields(tokens) -> list[tuple]:
    return [(t.type, t.tag, t.nesting, t.level, t.map, t.content) for t in tokens]


def _same_as_markdown_it(src: str) -> bool:
    """True when the reader took `src` (and then its tokens are markdown-it-py's)."""
    ours = _plain_blocks(src)
    if ours is None:
        return False
    assert _fields(ours) == _fields(_markdown_it().parse(src, {})), repr(src)
    return True


def test_paragraphs_and_headings_token_for_token():
    src = ("# Halvorsen Mining Halts Drilling #\n\nShares fell 14%\n  to C$0.62.   \n"
           "## Analysts\nPacific Crest cut its target.\n\n\n#hashtag is text\n")
    tokens = _plain_blocks(src)
    assert tokens is not None
    assert _fields(tokens) == [
        ("heading_open", "h1", 1, 0, [0, 1], ""),
        ("inline", "", 0, 1, [0, 1], "Halvorsen Mining Halts Drilling"),
        ("heading_close", "h1", -1, 0, None, ""),
        ("paragraph_open", "p", 1, 0, [2, 4], ""),
        ("inline", "", 0, 1, [2, 4], "Shares fell 14%\n  to C$0.62."),
        ("paragraph_close", "p", -1, 0, None, ""),
        ("heading_open", "h2", 1, 0, [4, 5], ""),
        ("inline", "", 0, 1, [4, 5], "Analysts"),
        ("heading_close", "h2", -1, 0, None, ""),
        ("paragraph_open", "p", 1, 0, [5, 6], ""),
        ("inline", "", 0, 1, [5, 6], "Pacific Crest cut its target."),
        ("paragraph_close", "p", -1, 0, None, ""),
        ("paragraph_open", "p", 1, 0, [8, 9], ""),
        ("inline", "", 0, 1, [8, 9], "#hashtag is text"),
        ("paragraph_close", "p", -1, 0, None, ""),
    ]
    assert _same_as_markdown_it(src)


@pytest.mark.parametrize("src", [
    "Text\n> a quote", "- a list item", "1. first", "10) tenth", "Text\n---", "Title\n===",
    "***", "___", "```\ncode\n```", "~~~", "<div>x</div>", "[ref]: https://example.com",
    "| a | b |", "    indented code", "\tindented code", "Text\u00a0", "\u2003Text",
    "Text\r\nmore", "a\0b",
])
def test_any_other_block_or_doubtful_space_goes_to_markdown_it(src):
    assert _plain_blocks(src) is None


LINES = st.sampled_from([
    "", " ", "\t", "Plain text.", "  two spaces in", "   three", "Text with *emphasis* and `code`",
    "Trailing spaces   ", "Trailing tab\t", "# Heading", "## Heading ##", "###### Six", "####### Seven",
    "#NoSpace", "# ", "#", "# #", "# ##", "#\tTab heading", "# foo#", "#  #  ", "   # indented heading",
    "## closing ###   ", "Ends in hash #", "A [link](https://example.com) inside", "(TSXV: HLV) opens",
    "! bang", "& amp", "\\* escaped", "Text\u00a0nbsp inside", "é accented", "- item", "> quote", "1. item",
    "---", "===", "    code", "<b>", "[x]: y", "Text\u2003", "\u00a0", "*", "_under_",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=12), st.booleans())
def test_generated_texts_match_markdown_it_wherever_read(lines, final_break):
    src = "\n".join(lines) + ("\n" if final_break else "")
    _same_as_markdown_it(src)


@pytest.mark.stress  # every corpus article read as a Markdown body
def test_corpus_articles_read_as_markdown_match_markdown_it():
    corpus = need_shared(CORPUS)
    files = sorted(corpus.rglob("*.txt"))
    read = sum(_same_as_markdown_it(path.read_text(encoding="utf-8").replace("\r\n", "\n")) for path in files)
    assert read >= len(files) // 2  # most articles are paragraphs and headings alone


def test_checking_the_bundled_markdown_example_does_not_import_markdown_it(tmp_path):
    env = {**os.environ, "COPYDESK_CACHE_DIR": str(tmp_path)}
    env.pop("COPYDESK_NO_CACHE", None)
    probe = ("import sys, linter.cli; status = linter.cli.main(['check', '--format', 'concise', "
             "'examples/halvorsen-drilling-halt.md']); print('markdown_it' in sys.modules, status)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "False 0"
