"""Fixes: build the edit a rule declares, in the article's own form, and apply fixes safely.

Checks attach a `Fix` to a finding; only this module turns wording into an edit (a Markdown
or plain-text paragraph, an HTML element, a JSON string field) and applies edits.  Edits
never overlap within a pass (later ones wait for the next pass), the loop stops at a fixed
point or after `MAX_PASSES`, and an insertion only ever adds text.
"""

from __future__ import annotations

import html
import json
import string

from .diagnostics import Fix
from .source import Source

MAX_PASSES = 5
INSERT_AT = ("end", "disclaimer", "top")


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def template_values(doc, facts) -> dict[str, str]:
    """Values a fix wording may use, taken from the article; missing ones are absent."""
    fm = doc.front_matter
    values: dict[str, str] = {}
    for key in ("sponsor", "author", "byline", "publisher"):
        v = fm.get(key)
        if isinstance(v, str) and v.strip():
            values[key] = v.strip()
    tickers = fm.get("tickers") or fm.get("ticker")
    if isinstance(tickers, list) and tickers:
        values["ticker"] = str(tickers[0])
    elif isinstance(tickers, str) and tickers.strip():
        values["ticker"] = tickers.strip()
    else:
        found = [m for m in facts.mentions("ticker") if m.section != "front_matter"]
        if found:
            values["ticker"] = found[0].text
    return values


def render_wording(template: str, values: dict[str, str]) -> tuple[str | None, str | None]:
    """(text, None), or (None, why) when the wording needs a value the article lacks."""
    needed = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    missing = [f for f in needed if f not in values]
    if missing:
        return None, "fix not applied: the wording needs " + ", ".join(
            f"{{{m}}} (set '{m}:' in the front matter)" for m in missing
        )
    return template.format_map(values), None


def insertion(doc, at: str, wording: str, html_class: str = "disclosure") -> tuple[Fix | None, str | None]:
    """An edit that adds `wording` where it belongs, in the article's own form."""
    text = doc.source.text
    nl = newline_of(text)
    if doc.format == "json":
        return _json_insertion(doc, at, wording)
    blocks = doc.blocks
    body = [i for i, b in enumerate(blocks) if b.section == "body"]
    if at == "top":
        target = blocks[body[0]] if body else (blocks[-1] if blocks else None)
        if target is None:
            return None, "fix not applied: the article has no text to place it before"
        if doc.format == "html":
            if target.outer_start is None:
                return None, "fix not applied: cannot tell where the first paragraph's element starts"
            return Fix(target.outer_start, target.outer_start, f'<p class="{html_class}">{html.escape(wording)}</p>{nl}'), None
        return Fix(target.start, target.start, wording + nl + nl), None
    anchor = None
    if at == "disclaimer":
        disc = [i for i, b in enumerate(blocks) if b.section == "disclaimer"]
        anchor = disc[-1] if disc else None
    if anchor is None:
        anchor = body[-1] if body else (len(blocks) - 1 if blocks else None)
    if anchor is None:
        return None, "fix not applied: the article has no text to place it after"
    block = blocks[anchor]
    if doc.format == "html":
        if block.outer_end is None:
            return None, "fix not applied: cannot tell where the paragraph's element ends"
        return Fix(block.outer_end, block.outer_end, f'{nl}<p class="{html_class}">{html.escape(wording)}</p>'), None
    return Fix(block.end, block.end, nl + nl + wording), None


def _json_insertion(doc, at: str, wording: str) -> tuple[Fix | None, str | None]:
    members = doc.json_members
    text = doc.source.text
    if at == "top":
        for key in ("headline", "title"):
            if key in members and text[members[key][2]] == '"':
                vs = members[key][2]
                return Fix(vs + 1, vs + 1, json.dumps(wording + " ", ensure_ascii=False)[1:-1]), None
        return None, "fix not applied: no headline field to label"
    for key in ("disclaimer", "disclosure"):
        if key in members and text[members[key][3] - 1] == '"':
            ve = members[key][3]
            return Fix(ve - 1, ve - 1, json.dumps(" " + wording, ensure_ascii=False)[1:-1]), None
    if not members:
        return None, "fix not applied: the JSON object has no fields"
    last_end = max(m[3] for m in members.values())
    nl = newline_of(text)
    indent = "  " if nl in text else ""
    sep = nl + indent if nl in text else " "
    return Fix(last_end, last_end, f',{sep}"disclaimer": {json.dumps(wording, ensure_ascii=False)}'), None


# -- applying ---------------------------------------------------------------------------
def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply the non-overlapping fixes (first come first served); return text and count."""
    chosen: list[Fix] = []
    for f in sorted(fixes, key=lambda f: (f.start, f.end)):
        if chosen and (f.start < chosen[-1].end or (f.start == chosen[-1].start and f.start == f.end)):
            continue  # overlaps (or inserts at the same point as) an earlier fix: next pass
        chosen.append(f)
    for f in reversed(chosen):
        text = text[: f.start] + f.text + text[f.end :]
    return text, len(chosen)


def fix_source(source: Source, rules, fmt=None, cues=None):
    """Fix `source` to a fixed point; return (fixed text, number of edits, last FileResult)."""
    from .engine import check_source

    text = source.text
    edits = 0
    result = check_source(source, rules, fmt, cues=cues)
    for _ in range(MAX_PASSES):
        fixes = [d.fix for d in result.diagnostics if d.fix is not None]
        if not fixes:
            break
        text, n = apply_fixes(text, fixes)
        edits += n
        current = Source(source.path, text, source.had_bom)
        result = check_source(current, rules, fmt, cues=cues)
    return text, edits, result


def write_atomically(path: str, text: str, had_bom: bool) -> None:
    """Replace the file's content in one rename, keeping its mode; a BOM stays a BOM."""
    import os
    import tempfile

    data = ("\ufeff" if had_bom else "") + text
    folder = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".copydesk-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise

