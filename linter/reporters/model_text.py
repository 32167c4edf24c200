"""`copydesk parse` text output: sections, then sentences, with positions (rendered by rich)."""

from __future__ import annotations

import os
import sys

from ..document.model import Document
from ..safetext import visible, visible_path


def make_console(stream=None):
    from rich.console import Console

    stream = stream or sys.stdout
    return Console(
        file=stream,
        highlight=False,
        soft_wrap=True,
        no_color=bool(os.environ.get("NO_COLOR")),
        force_terminal=None,
    )


def _where(doc: Document, start: int, end: int) -> str:
    line, col = doc.source.position(start)
    end_line, end_col = doc.source.position(end)
    return f"{line}:{col}-{end_line}:{end_col}"


def print_document(doc: Document, stream=None) -> None:
    from rich.markup import escape as rich_escape

    def escape(text: str) -> str:
        """Article text as shown: rich markup inert, control characters visible."""
        return rich_escape(visible(text))

    console = make_console(stream)
    console.print(f"[bold]{rich_escape(visible_path(doc.path))}[/bold] ({doc.format})")
    if doc.front_matter:
        console.print("[bold]front matter[/bold]")
        for key, entry in doc.front_matter_entries.items():
            console.print(f"  {_where(doc, entry.key_start, entry.value_end):<18} {escape(key)}: {escape(repr(entry.value))}")
    console.print("[bold]sections[/bold]")
    for sec in doc.sections:
        text = " ".join(doc.blocks[i].text for i in sec.blocks).replace("\n", " ")
        if len(text) > 70:
            text = text[:69] + "…"
        console.print(f"  {_where(doc, sec.start, sec.end):<18} [cyan]{sec.kind:<11}[/cyan] {escape(text)}")
    console.print("[bold]sentences[/bold]")
    for s in doc.sentences:
        text = s.text.replace("\n", " ")
        console.print(f"  {_where(doc, s.start, s.end):<18} [cyan]{s.section:<11}[/cyan] {escape(text)}")
