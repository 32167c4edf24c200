"""Quoted speech: whether a quoted sentence's speaker is named beside it.

A figure inside a quote is the speaker's, and the reader can weigh it only when the article
says who spoke ('"Sales fell 4%," he said.').  The rule kinds that weigh quotes (claims,
cues, forbidden wording outside quotes) all read it from here, as part of the article
model's reading of its text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from .model import Block
from .voice import outside_quotes, quote_holding

# a speech verb outside a direct quote names (or points to) its speaker; the look-ahead (the
# verbs' first letters: keep it in step) lets `re` skip to candidates, twice as fast
SPEECH = re.compile(
    r"(?=[acdeinqrstw])\b(?:said|says|say|saying|told|tells|added|adds|asked|wrote|writes|stated|states|noted|notes|explained|"
    r"commented|announced|insisted|argued|declared|replied|quoted|quoting|according to)\b",
    re.IGNORECASE,
)


# a capitalised name or label introducing a quote: 'Smith: "...', 'ANDY MEIDLER, ANALYST: "...'
_SPEAKER_LABEL = re.compile(r"\b[A-Z][\w.'&-]*\s*:\s*$")


def quoted_speech_named(block: Block, sentences, speaker_before: bool = False) -> list[bool]:
    """For each sentence of the block: is it direct speech whose speaker is named beside it?

    A speech verb outside the quotes names the speaker: in the sentence itself or at the
    start of the next one ('"...", he said.').  A sentence that is wholly quoted is also the
    speaker's when a speaker is named further along its quote or in the sentence after it,
    or before it, back over quoted sentences only ('Smith said: "We sold 9 million units.
    Prices fell 4%."'); quotes that run back to the start of the paragraph continue the
    speaker of the paragraph before when `speaker_before` (the news convention for a quote
    running over paragraphs).  A scare quote inside an otherwise unquoted sentence does not
    borrow a neighbour's speaker.  One pass over the block: a paragraph of thousands of
    quoted sentences costs no more per sentence than a short one.
    """
    n = len(sentences)
    out = [False] * n
    if not block.quotes:
        return out
    names = [names_speaker(block, s) for s in sentences]
    held = [quote_holding(block, s) for s in sentences]
    next_named = [n] * (n + 1)  # the first sentence at or after j that names a speaker
    for j in range(n - 1, -1, -1):
        next_named[j] = j if names[j] else next_named[j + 1]
    ends = [s.plain_end for s in sentences]
    walk_stop = -1  # the last sentence so far that names a speaker or is not wholly quoted
    for k, s in enumerate(sentences):
        if s.quotes:
            if names[k] or (k + 1 < n and SPEECH.search(sentences[k + 1].text[:80])):
                out[k] = True
            elif (quote := held[k]) is not None:
                # forward: the rest of the quote, and the sentence after it
                last = min(n - 1, max(k + 1, bisect_left(ends, quote[1])))
                if next_named[k + 1] <= last:
                    out[k] = True
                # back over quoted sentences
                elif walk_stop >= 0:
                    out[k] = names[walk_stop]
                else:
                    out[k] = speaker_before
        if names[k] or held[k] is None:
            walk_stop = k
    return out


def names_speaker(block: Block, sentence) -> bool:
    """Does the sentence name a speaker outside its quotes ('"...," he added.'), or introduce
    its quote with a name or label ('ANDY MEIDLER, ANALYST, EDWARD JONES: "These are ...';
    not 'The memo read: "...')?"""
    outside = outside_quotes(block, sentence)
    if SPEECH.search(outside):
        return True
    return bool(sentence.quotes) and _SPEAKER_LABEL.search(outside) is not None


def in_quote(block: Block, start: int, end: int) -> bool:
    return any(qs <= start and end <= qe for qs, qe in block.quotes)
