"""What every rule kind shares: option validation and tolerant text matching."""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any, Callable

from ..document.model import Block
from ..document.voice import outside_quotes, quote_holding

# one-for-one replacements, so offsets into normalised text are offsets into the plain text
_NORMALISE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " ",
    }
)


def normalise(text: str) -> str:
    """Curly quotes to straight, dashes to '-', odd spaces to ' '; same length as `text`."""
    return text.translate(_NORMALISE)


def tolerant_regex(pattern: str) -> str:
    """A space in a rule pattern matches any run of whitespace, line breaks included
    (an optional space, ` ?` or ` *`, matches none or any)."""
    out, in_class, escaped = [], False, False
    skip_next = False
    for i, ch in enumerate(pattern):
        if skip_next:
            skip_next = False
            continue
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[":
            in_class = True
            out.append(ch)
        elif ch == "]":
            in_class = False
            out.append(ch)
        elif ch == " " and not in_class:
            optional = pattern[i + 1 : i + 2] in ("?", "*")
            if out and out[-1] in (r"\s+", r"\s*"):
                if optional:
                    out[-1] = r"\s*"
                    skip_next = True
                continue
            out.append(r"\s*" if optional else r"\s+")
            skip_next = optional
        else:
            out.append(ch)
    return "".join(out)


def phrase_regex(phrase: str) -> str:
    """A literal phrase, tolerant of case, whitespace runs and hyphen/space variants."""
    words = re.split(r"[\s\-]+", normalise(phrase).strip())
    # no word character before (as `\b` at a word, but also when the phrase opens with a mark)
    return r"(?<!\w)" + r"[\s\-]+".join(re.escape(w) for w in words) + r"(?!\w)"


def compile_patterns(items: list[str], fail: Callable[[str], None], *, literal: bool = False) -> list:
    """Validate and compile rule patterns (as `LazyRegex`, so a cached rule set loads fast)."""
    from ..textmatch import LazyRegex

    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            fail(f"each entry must be a non-empty string, got {item!r}")
        source = phrase_regex(item) if literal else tolerant_regex(normalise(item))
        from ..textmatch import backtracking_risk

        risk = backtracking_risk(source, re.IGNORECASE)
        if risk:
            fail(f"pattern {item!r} is unsafe: {risk}")
        try:
            out.append(LazyRegex(source, re.IGNORECASE, re.compile(source, re.IGNORECASE)))
        except re.error as exc:
            fail(f"bad regular expression {item!r}: {exc}")
    return out


def get_option(rule, fail, key: str, types, default: Any = None, required: bool = False) -> Any:
    if key not in rule.options:
        if required:
            fail(key, "missing required option")
        return default
    value = rule.options[key]
    if not isinstance(value, types) or isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        fail(key, f"must be {names.replace('str', 'a string').replace('list', 'a list').replace('dict', 'a mapping').replace('int', 'an integer').replace('bool', 'true or false')}, got {type(value).__name__}")
    return value


def get_names(rule, fail, key: str, allowed, what: str) -> frozenset[str] | None:
    """An optional list option naming members of `allowed` (voices, features): None when the
    rule leaves it out; an empty list or an unknown name is an error naming the key."""
    names = get_option(rule, fail, key, list, None)
    if names is None:
        return None
    unknown = [n for n in names if n not in allowed]
    if unknown:
        fail(key, f"unknown {what} {unknown[0]!r} (expected any of: {', '.join(map(str, allowed))})")
    if not names:
        fail(key, f"must name at least one {what}")
    return frozenset(names)


def check_known_options(rule, fail, known: tuple[str, ...]) -> None:
    for key in rule.options:
        if key not in known:
            fail(key, f"unknown option for kind '{rule.kind}' (expected one of: {', '.join(known)})")


# a speech verb outside a direct quote names (or points to) its speaker
SPEECH = re.compile(
    r"\b(?:said|says|say|saying|told|tells|added|adds|asked|wrote|writes|stated|states|noted|notes|explained|"
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
            elif held[k] is not None:
                # forward: the rest of the quote, and the sentence after it
                last = min(n - 1, max(k + 1, bisect_left(ends, held[k][1])))
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
