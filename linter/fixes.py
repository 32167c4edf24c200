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


TEMPLATE_FIELDS = ("sponsor", "author", "byline", "publisher", "ticker")


def wording_problem(template: str) -> str | None:
    """Why `template` cannot be a fix wording, or None.  A wording comes from a rule file or
    a configuration (untrusted): only `{field}` placeholders naming an article value, no
    attribute, index, conversion or format spec, and braces balanced (`{{` for a brace)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        return f"bad placeholder in the wording: {exc} (write {{{{ and }}}} for a literal brace)"
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in TEMPLATE_FIELDS or spec or conversion:
            shown = "{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            return f"unknown placeholder {shown} in the wording (known: {', '.join('{' + f + '}' for f in TEMPLATE_FIELDS)})"
    return None


def wording_literal(template: str) -> str:
    """The longest stretch of the wording that no placeholder changes: the text that shows a
    wording with placeholders is already there, so an inserted wording satisfies its rule."""
    segments = [literal.strip() for literal, _, _, _ in string.Formatter().parse(template)]
    return max(segments, key=len) if any(segments) else template


def render_wording(template: str, values: dict[str, str]) -> tuple[str | None, str | None]:
    """(text, None), or (None, why) when the wording needs a value the article lacks."""
    needed = [f for _, f, _, _ in string.Formatter().parse(template) if f]
    missing = [f for f in needed if f not in values]
    if missing:
        return None, "fix not applied: the wording needs " + ", ".join(
            f"the article's {m} (set '{m}:' in the front matter)" for m in missing
        )
    return template.format_map(values), None


def shown_wording(template: str, values: dict[str, str]) -> str:
    """The wording as a help line quotes it: known values filled in, a missing one named in
    brackets ("paid for by [sponsor]"), never a raw `{sponsor}` placeholder."""
    out = []
    for literal, field, _, _ in string.Formatter().parse(template):
        out.append(literal)
        if field:
            out.append(values.get(field) or f"[{field}]")
    return "".join(out)


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
        if key not in members:
            continue
        vs, ve = members[key][2], members[key][3]
        if text[ve - 1] == '"':
            return Fix(ve - 1, ve - 1, json.dumps(" " + wording, ensure_ascii=False)[1:-1]), None
        if text[vs:ve] == "null":  # an empty field: fill it (a second key would duplicate it)
            return Fix(vs, ve, json.dumps(wording, ensure_ascii=False)), None
        return None, f"fix not applied: the '{key}' field is not a string"
    if not members:
        return None, "fix not applied: the JSON object has no fields"
    last_end = max(m[3] for m in members.values())
    nl = newline_of(text)
    indent = "  " if nl in text else ""
    sep = nl + indent if nl in text else " "
    return Fix(last_end, last_end, f',{sep}"disclaimer": {json.dumps(wording, ensure_ascii=False)}'), None


# -- applying ---------------------------------------------------------------------------
def _chosen(fixes: list[Fix]) -> list[Fix]:
    """The fixes one pass applies: non-overlapping, first come first served."""
    chosen: list[Fix] = []
    for f in sorted(fixes, key=lambda f: (f.start, f.end)):
        if chosen and (f.start < chosen[-1].end or (f.start == chosen[-1].start and f.start == f.end)):
            continue  # overlaps (or inserts at the same point as) an earlier fix: next pass
        chosen.append(f)
    return chosen


def apply_fixes(text: str, fixes: list[Fix]) -> tuple[str, int]:
    """Apply the non-overlapping fixes (first come first served); return text and count."""
    chosen = _chosen(fixes)
    for f in reversed(chosen):
        text = text[: f.start] + f.text + text[f.end :]
    return text, len(chosen)


def fix_source(source: Source, rules, fmt=None, cues=None, applied: list | None = None):
    """Fix `source` to a fixed point; return (fixed text, number of edits, last FileResult).
    `applied`, when given, receives the rule id of each edit made (for the "wrote" line)."""
    from .engine import check_source

    text = source.text
    edits = 0
    result = check_source(source, rules, fmt, cues=cues)
    for _ in range(MAX_PASSES):
        fixes = [d.fix for d in result.diagnostics if d.fix is not None]
        if not fixes:
            break
        before = text
        text, n = apply_fixes(text, fixes)
        if applied is not None:
            kept = _chosen(fixes)
            applied.extend(d.rule for d in result.diagnostics if d.fix is not None and any(d.fix is f for f in kept))
        edits += n
        if text == before:
            break
        current = Source(source.path, text, source.had_bom)
        result = check_source(current, rules, fmt, cues=cues)
    return text, edits, result


class FixRefused(Exception):
    """A fix that is not written, and why: one line, exit code 2."""


def write_atomically(path: str, text: str, had_bom: bool, original: str | None = None) -> None:
    """Replace the file's content, keeping what makes it the same file to its owner.

    The article and the tree it sits in are untrusted, so: a symbolic link is written
    through to its target only when that lies inside the working directory; a file with
    several hard links is rewritten in place (a rename would split it from its other
    names); owner, group and mode are kept; a read-only file is refused; and a file that
    changed since it was read (`original`, the text it was fixed from) is left alone.
    Otherwise: a temporary file beside it and one rename, so no reader sees half a file."""
    import os
    import stat
    import tempfile

    data = (("\ufeff" if had_bom else "") + text).encode("utf-8")
    target = path
    if os.path.islink(path):
        target = os.path.realpath(path)
        here = os.path.realpath(os.getcwd())
        if os.path.commonpath([here, target]) != here:
            raise FixRefused(f"{path}: error: not fixed: a symbolic link to a file outside the working directory ({target})")
    try:
        st = os.stat(target)
    except OSError as exc:
        raise FixRefused(f"{path}: error: not fixed: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise FixRefused(f"{path}: error: not fixed: not a regular file")
    if not st.st_mode & 0o222:
        raise FixRefused(f"{path}: error: not fixed: the file is read-only")
    if original is not None:
        try:
            with open(target, "rb") as fh:
                current = fh.read()
        except OSError as exc:
            raise FixRefused(f"{path}: error: not fixed: {exc.strerror}") from None
        if current != (("\ufeff" if had_bom else "") + original).encode("utf-8"):
            raise FixRefused(f"{path}: error: not fixed: the file changed while it was checked; run again")
    if st.st_nlink > 1:
        with open(target, "r+b") as fh:  # in place: every hard link sees the fix
            fh.write(data)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        return
    folder = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".copydesk-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except PermissionError:
                raise FixRefused(f"{path}: error: not fixed: the file belongs to another user") from None
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
