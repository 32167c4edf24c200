"""Machine output, versioned.  Schema: README.md, "JSON output"."""

from __future__ import annotations

import json

from .. import __version__

SCHEMA_VERSION = 1


def span_of(source, start: int, end: int) -> dict:
    line, column = source.position(start)
    end_line, end_column = source.position(end)
    return {"line": line, "column": column, "end_line": end_line, "end_column": end_column, "start": start, "end": end}


def diagnostic_to_dict(d, source) -> dict:
    line, column = source.position(d.start)
    end_line, end_column = source.position(d.end)
    out = {
        "rule": d.rule,
        "name": d.name,
        "category": d.category,
        "severity": d.severity,
        "message": d.message,
        "help": d.help,
        "policy": d.policy,
        "section": d.section,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "start": d.start,
        "end": d.end,
        "match": source.text[d.start : d.end],
    }
    if d.policy_url:
        out["policy_url"] = d.policy_url
    if d.pointer:
        out["pointer"] = d.pointer
    if d.label:
        out["label"] = d.label
    if d.fix is not None:
        out["fix"] = {"start": d.fix.start, "end": d.fix.end, "replacement": d.fix.text}
    if d.fix_note:
        out["fix_note"] = d.fix_note
    return out


def file_to_dict(r) -> dict:
    entry: dict = {"path": r.path, "format": r.format}
    if r.id is not None:
        entry["id"] = r.id
    if r.error is not None:
        entry["error"] = {"message": r.error.message, "line": r.error.line, "column": r.error.column}
        entry["diagnostics"] = []
        return entry
    source = r.source
    entry["diagnostics"] = [diagnostic_to_dict(d, source) for d in r.diagnostics]
    if r.sourcing:
        entry["sourcing"] = [
            {k: v for k, v in span_of(source, a, b).items()} | {"text": source.text[a:b]} for a, b in r.sourcing
        ]
    if r.not_flagged:
        entry["not_flagged"] = [
            span_of(source, a, b) | {"rule": rule, "reason": why, "text": source.text[a:b]} for a, b, rule, why in r.not_flagged
        ]
    if r.suppressed:
        entry["suppressed"] = [
            {**{k: v for k, v in diagnostic_to_dict(d, source).items() if k in AUDIT_KEYS},
             "reason": directive.reason, "directive_line": directive.line}
            for d, directive in r.suppressed
        ]
    return entry


AUDIT_KEYS = ("rule", "name", "category", "severity", "message", "line", "column", "end_line", "end_column", "start", "end")


def summary(results) -> dict:
    counts = {"error": 0, "warning": 0, "info": 0}
    for r in results:
        for d in r.diagnostics:
            counts[d.severity] += 1
    return {
        "files": len(results),
        "files_with_findings": sum(1 for r in results if r.diagnostics),
        "files_unreadable": sum(1 for r in results if r.error is not None),
        **counts,
    }


def to_dict(results) -> dict:
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "copydesk", "version": __version__},
        "files": [file_to_dict(r) for r in results],
        "summary": summary(results),
    }


def report(results, stream, rules=None) -> None:
    stream.writelines(iter_indented(to_dict(results)))
    stream.write("\n")


# -- the documented layout (`json.dump(indent=2, ensure_ascii=False)`), byte for byte, faster:
# with `indent` the json module always takes its pure-Python encoder; a container holding
# only scalars (a finding, a span) is written by the C encoder instead, its item separator
# carrying the line break and indentation of its level.  A JSON text has line breaks only
# between items (a string's are escaped), so the C encoder's output needs no other change.
_SCALAR_ENCODERS: dict[int, json.JSONEncoder] = {}


def _encoder(level: int) -> json.JSONEncoder:
    enc = _SCALAR_ENCODERS.get(level)
    if enc is None:
        enc = _SCALAR_ENCODERS[level] = json.JSONEncoder(ensure_ascii=False, separators=(",\n" + "  " * (level + 1), ": "))
    return enc


def _flat(values) -> bool:
    for v in values:
        if isinstance(v, (dict, list, tuple)):
            return False
    return True


def iter_indented(obj, level: int = 0):
    """Pieces of `json.dumps(obj, ensure_ascii=False, indent=2)` for `obj` at depth `level`."""
    if isinstance(obj, dict):
        if not obj:
            yield "{}"
            return
        inner, outer = "\n" + "  " * (level + 1), "\n" + "  " * level
        if all(type(k) is str for k in obj):
            if _flat(obj.values()):
                yield "{" + inner + _encoder(level).encode(obj)[1:-1] + outer + "}"
                return
            key = _encoder(level).encode
            first = True
            for k, v in obj.items():
                yield ("{" if first else ",") + inner + key(k) + ": "
                first = False
                yield from iter_indented(v, level + 1)
            yield outer + "}"
            return
        # keys json would convert (numbers, None, bools): its own encoder, re-indented
        yield json.dumps(obj, ensure_ascii=False, indent=2).replace("\n", outer)
        return
    if isinstance(obj, (list, tuple)):
        if not obj:
            yield "[]"
            return
        inner, outer = "\n" + "  " * (level + 1), "\n" + "  " * level
        if _flat(obj):
            yield "[" + inner + _encoder(level).encode(obj)[1:-1] + outer + "]"
            return
        first = True
        for v in obj:
            yield ("[" if first else ",") + inner
            first = False
            yield from iter_indented(v, level + 1)
        yield outer + "]"
        return
    yield _encoder(level).encode(obj)
