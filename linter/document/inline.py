"""Inline Markdown to plain text, with every character's source offset kept.

markdown-it-py gives block structure and line maps but no inline offsets, so this small
scanner walks a block's inline source once: emphasis markers, code-span backticks, link
and image syntax, autolinks, inline HTML tags, backslash escapes and entities are removed
or resolved; the rest is copied verbatim.  Link anchors are recorded for the attribution
check (a link in a sentence is a source).
"""

from __future__ import annotations

import html
import re

from .textmap import TextMap

_SPECIAL = re.compile(r"[\\&`!\[<*_~]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]*)>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’")


class InlineResult:
    __slots__ = ("textmap", "links")

    def __init__(self) -> None:
        self.textmap = TextMap()
        self.links: list[tuple[int, int, str]] = []  # plain start, plain end, href


def scan_inline(src: str, references: dict | None = None) -> InlineResult:
    """Plain text of inline Markdown `src`; offsets in the result are offsets into `src`."""
    out = InlineResult()
    _scan(src, 0, len(src), out, references or {}, {})
    return out


def _scan(src: str, start: int, end: int, out: InlineResult, refs: dict, memo: dict) -> None:
    tm = out.textmap
    pos = start
    while pos < end:
        m = _SPECIAL.search(src, pos, end)
        if m is None:
            tm.add(src[pos:end], pos)
            return
        i = m.start()
        if i > pos:
            tm.add(src[pos:i], pos)
        c = src[i]
        pos = i + 1
        if c == "\\":
            if i + 1 < end and src[i + 1] in _ESCAPABLE:
                tm.add(src[i + 1], i, i + 2)
                pos = i + 2
            elif i + 1 < end and src[i + 1] == "\n":
                tm.add("\n", i, i + 2)
                pos = i + 2
            else:
                tm.add("\\", i)
        elif c == "&":
            em = _ENTITY.match(src, i, end)
            if em:
                decoded = html.unescape(em.group())
                if decoded != em.group():
                    tm.add(decoded, i, em.end())
                    pos = em.end()
                    continue
            tm.add("&", i)
        elif c == "`":
            pos = _code_span(src, i, end, tm)
        elif c == "!" and i + 1 < end and src[i + 1] == "[":
            link = _link(src, i + 1, end, refs, memo)
            if link is None:
                tm.add("!", i)
            else:
                pos = link[2]  # an image is not prose: its alt text is dropped
        elif c == "[":
            link = _link(src, i, end, refs, memo)
            if link is None:
                tm.add("[", i)
            else:
                text_end, href, after = link
                plain_start = tm.length
                _scan(src, i + 1, text_end, out, refs, memo)
                out.links.append((plain_start, tm.length, href))
                pos = after
        elif c == "<":
            am = _AUTOLINK.match(src, i, end)
            if am:
                plain_start = tm.length
                tm.add(am.group(1), am.start(1))
                out.links.append((plain_start, tm.length, am.group(1)))
                pos = am.end()
                continue
            hm = _HTML_TAG.match(src, i, end)
            if hm:
                pos = hm.end()  # inline HTML tags are markup; their text stays
            else:
                tm.add("<", i)
        else:  # "*", "_", "~" delimiter runs
            j = i
            while j < end and src[j] == c:
                j += 1
            if _is_delimiter(src, i, j, c):
                pos = j
            else:
                tm.add(src[i:j], i)
                pos = j


def _is_delimiter(src: str, i: int, j: int, c: str) -> bool:
    """CommonMark's flanking rules, simplified: a run touching a word on one side."""
    if c == "~" and j - i < 2:
        return False
    before = src[i - 1] if i > 0 else " "
    after = src[j] if j < len(src) else " "
    left = not after.isspace() and (after not in _PUNCT or before.isspace() or before in _PUNCT)
    right = not before.isspace() and (before not in _PUNCT or after.isspace() or after in _PUNCT)
    if c == "_" and before.isalnum() and after.isalnum():
        return False  # snake_case and intraword underscores are text
    return left or right


def _code_span(src: str, i: int, end: int, tm: TextMap) -> int:
    j = i
    while j < end and src[j] == "`":
        j += 1
    ticks = src[i:j]
    close = src.find(ticks, j, end)
    while close != -1 and close + len(ticks) < end and src[close + len(ticks)] == "`":
        close = src.find(ticks, close + len(ticks) + 1, end)
    if close == -1:
        tm.add(ticks, i)
        return j
    a, b = j, close
    if b - a >= 2 and src[a] == " " and src[b - 1] == " " and src[a:b].strip():
        a, b = a + 1, b - 1
    tm.add(src[a:b], a)
    return close + len(ticks)


def _matching_bracket(src: str, i: int, end: int, memo: dict | None = None) -> int:
    """Index of the `]` closing the `[` at i, or -1.

    The walk from i (escapes and code spans skipped) is the same walk any `[` it passes
    would take from there, so one walk to `end` settles every `[` on it with a stack;
    `memo` keeps those answers, and a line of 20,000 unmatched `[` costs one walk, not
    20,000 (it took 13 s)."""
    if memo is not None:
        known = memo.setdefault(end, {})
        if i in known:
            return known[i]
    else:
        known = {}
    open_at: list[int] = []
    j = i
    while j < end:
        c = src[j]
        if c == "\\":
            j += 2
            continue
        if c == "`":
            k = j
            while k < end and src[k] == "`":
                k += 1
            close = src.find(src[j:k], k, end)
            j = close + (k - j) if close != -1 else k
            continue
        if c == "[":
            if j in known:  # settled by an earlier walk that passed here: so is the rest
                if known[j] == -1:
                    break
                j = known[j]
            else:
                open_at.append(j)
        elif c == "]" and open_at:
            known[open_at.pop()] = j
            if not open_at and memo is None:
                return known[i]
        j += 1
    for p in open_at:
        known[p] = -1
    return known.setdefault(i, -1)  # i >= end: nothing to walk


def _link(src: str, i: int, end: int, refs: dict, memo: dict | None = None) -> tuple[int, str, int] | None:
    """For `[` at i: (end of anchor text, href, offset after the whole link) or None."""
    close = _matching_bracket(src, i, end, memo)
    if close == -1:
        return None
    j = close + 1
    if j < end and src[j] == "(":
        depth = 0
        k = j
        while k < end:
            c = src[k]
            if c == "\\":
                k += 2
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    inner = src[j + 1 : k].strip()
                    href = inner.split()[0].strip("<>") if inner else ""
                    return close, href, k + 1
            elif c == "\n" and src[j + 1 : k].count("\n") > 1:
                return None
            k += 1
        return None
    label = None
    after = j
    if j < end and src[j] == "[":
        k = src.find("]", j + 1, end)
        if k != -1:
            label = src[j + 1 : k] or src[i + 1 : close]
            after = k + 1
    if label is None:
        label = src[i + 1 : close]
    key = " ".join(label.split()).upper()
    ref = refs.get(key)
    if ref is None:
        return None
    return close, ref.get("href", ""), after
