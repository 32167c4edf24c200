"""The article model as plain data (for `copydesk parse --format json` and tests)."""

from __future__ import annotations

from ..source import Source
from .model import Document

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: importing `typing` costs a one-shot run about 3 ms
    from typing import Any


def span(source: Source, start: int, end: int) -> dict[str, int]:
    """Offsets plus 1-based line/column (code points, end exclusive)."""
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    return {
        "start": start,
        "end": end,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)  # dates and other YAML scalars


def document_to_dict(doc: Document) -> dict[str, Any]:
    src = doc.source
    blocks = doc.blocks
    sections = []
    for sec in doc.sections:
        entry = {"kind": sec.kind, **span(src, sec.start, sec.end)}
        entry["text"] = "\n\n".join(blocks[i].text for i in sec.blocks)
        if sec.pointer:
            entry["pointer"] = sec.pointer
        sections.append(entry)
    out: dict[str, Any] = {
        "path": doc.path,
        "format": doc.format,
        "front_matter": _jsonable(doc.front_matter),
        "front_matter_positions": {
            key: {"key": span(src, e.key_start, e.key_end), "value": span(src, e.value_start, e.value_end)}
            for key, e in doc.front_matter_entries.items()
        },
        "sections": sections,
        "blocks": [
            {
                "kind": b.kind,
                "section": b.section,
                **span(src, b.start, b.end),
                "text": b.text,
                **({"pointer": b.pointer} if b.pointer else {}),
                **({"links": [{**span(src, link.start, link.end), "href": link.href} for link in b.links]} if b.links else {}),
            }
            for b in blocks
        ],
        "sentences": [
            {
                "section": s.section,
                **span(src, s.start, s.end),
                "text": s.text,
                "quotes": [list(q) for q in s.quotes],
            }
            for s in doc.sentences
        ],
        "problems": [
            {**span(src, p.start, p.end), "message": p.message, **({"key": p.key} if p.key else {})}
            for p in doc.problems
        ],
    }
    if doc.id is not None:
        out["id"] = doc.id
    return out
