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
    json.dump(to_dict(results), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
