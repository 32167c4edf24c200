"""Rule text made tolerant of typography: curly quotes, dashes, odd spaces and whitespace runs.

Rule authors write `"` and `-` and single spaces; articles hold curly quotes, en dashes,
no-break spaces and line breaks.  Both sides are normalised one character for one (so
offsets stay offsets into the article) and a space in a rule pattern matches any run of
whitespace.
"""

from __future__ import annotations

import re

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
