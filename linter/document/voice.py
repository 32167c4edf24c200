"""Whose voice a sentence is in: the reporter's own, or someone the article reports.

A hedge or a claim means something else in each voice.  "Sales could fall" in the author's
voice is the author's speculation; "X said sales could fall" is X's forecast, reported; the
same words inside a quote are the speaker's.  In a press release the issuer speaks for itself
(its wire dateline makes the page one, see `Document.genre`).  Copy that addresses the reader
("you could ...") or speaks as "I"/"we" is opinion or instruction, not a factual statement.

Voices, in the order they are decided:

* ``issuer``   - any sentence of a press release's body
* ``quoted``   - the sentence lies wholly inside a direct quote
* ``reported`` - outside its quotes, a speech, cognition or forecast verb with a party
  ("said", "told", "according to", "expects", "predicted"): the words are someone's, reported
* ``question`` - it asks
* ``first_person`` - the author speaks as "I" or "we"
* ``reader``   - it addresses the reader ("you", "your")
* ``author``   - none of these: the article states it in its own voice

The word lists are data in `cues.yaml` (`voice:`), so a house can extend them.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right

from .model import Block, Document, Sentence

# a wire round-up's speaker label opening a quote: 'JACK GOLD, GOLD ASSOCIATES "This is ...'
_SPEAKER_LABEL = re.compile(r"[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.&'-]*){1,8}[ ,:]*[\"“]")

VOICES = ("issuer", "quoted", "reported", "question", "first_person", "reader", "author")


def outside_quotes(block: Block, sentence: Sentence) -> str:
    """The sentence's plain text with its quoted spans blanked out (same length)."""
    quotes, ps, pe = block.quotes, sentence.plain_start, sentence.plain_end
    i = max(0, bisect_right(quotes, (ps, sys.maxsize)) - 1)
    out = None
    while i < len(quotes) and quotes[i][0] < pe:
        qs, qe = quotes[i]
        if qe > ps:
            if out is None:
                out = list(sentence.text)
            for j in range(max(qs, ps), min(qe, pe)):
                out[j - ps] = " "
        i += 1
    return sentence.text if out is None else "".join(out)


def quote_holding(block: Block, sentence: Sentence) -> tuple[int, int] | None:
    """The quote the whole sentence lies in (a mark of slack at either edge), if any."""
    quotes = block.quotes
    i = bisect_right(quotes, (sentence.plain_start + 1, sys.maxsize)) - 1  # the last quote opening by then
    if i >= 0 and sentence.plain_end - 1 <= quotes[i][1]:
        return quotes[i]
    return None


def _wholly_quoted(block: Block, sentence: Sentence) -> bool:
    """Inside one quote (`quote_holding`), or opening a quote that runs on past it."""
    if quote_holding(block, sentence) is not None:
        return True
    text = sentence.text.strip()
    # an opening mark with no closing one in the sentence: a quote running on
    return text[:1] in "\"“" and not any(c in text[1:] for c in "\"”")


def sentence_voice(doc: Document, block: Block, sentence: Sentence, cues) -> str:
    """The voice of one sentence (see the module docstring)."""
    if doc.genre == "press_release" and block.section == "body":
        return "issuer"
    if block.section == "quote" or _wholly_quoted(block, sentence) or _SPEAKER_LABEL.match(sentence.text):
        return "quoted"
    pats = cues.voice_patterns  # compiled once per cue set
    outside = outside_quotes(block, sentence)
    if any(p.search(outside) for p in pats.get("reported", ())):
        return "reported"
    if sentence.text.rstrip(" \"'”’)").endswith("?"):
        return "question"
    if any(p.search(outside) for p in pats.get("first_person", ())):
        return "first_person"
    if any(p.search(outside) for p in pats.get("reader", ())):
        return "reader"
    return "author"


def voice_of(doc: Document, block_index: int, sentence: Sentence) -> str:
    """The voice of one sentence of block `block_index`, worked out on first request and
    remembered for the article (most sentences are never asked about)."""
    memo = doc._voices
    if memo is None:
        memo = doc._voices = {}
    key = (block_index, sentence.plain_start)
    voice = memo.get(key)
    if voice is None:
        voice = memo[key] = sentence_voice(doc, doc.blocks[block_index], sentence, doc.cues)
    return voice
