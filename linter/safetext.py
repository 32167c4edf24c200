"""Article text made safe for what reads copydesk's human output: a terminal or a CI log.

Article text, file names and anything quoted from them are untrusted.  A terminal obeys
escape sequences (window title, clipboard writes, clearing the screen) and a GitHub Actions
log obeys any line that starts with `::` (a workflow command), so the text and concise
formats, `copydesk parse` and one-line errors pass what they quote through here.
"""

from __future__ import annotations

# C0 controls (tab kept: reporters expand it) as the Unicode "control pictures" (one cell
# each, so underlines stay aligned), DEL as its picture, C1 controls and the invisible
# direction overrides (which reorder what a reader sees) as `<U+XXXX>`.
_VISIBLE: dict[int, int | str] = {c: 0x2400 + c for c in range(0x20) if c != 0x09}
_VISIBLE[0x7F] = 0x2421
_VISIBLE.update({c: f"<U+{c:04X}>" for c in range(0x80, 0xA0)})
_VISIBLE.update({c: f"<U+{c:04X}>" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)})
# lone surrogates (from JSON `\ud800` escapes) cannot be written as UTF-8
_VISIBLE.update({c: f"<U+{c:04X}>" for c in range(0xD800, 0xE000)})


def visible(text: str) -> str:
    """`text` with every control character shown, never obeyed (`\\x1b` -> `␛`)."""
    if text.isascii() and text.isprintable():
        return text
    return text.translate(_VISIBLE)


def visible_path(path: str) -> str:
    """A file name as the first thing on an output line: visible, and never read as a
    GitHub workflow command (a file named `::error::x.md` is shown as `./::error::x.md`)."""
    shown = visible(path)
    if shown.lstrip().startswith(":"):
        shown = "./" + shown
    return shown


def one_line(message: str) -> str:
    """A one-line error as printed: control characters visible, no workflow command."""
    return visible_path(message)
