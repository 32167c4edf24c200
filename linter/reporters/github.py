"""GitHub Actions workflow commands: findings appear as annotations on the pull request."""

from __future__ import annotations

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(results, stream, rules=None) -> None:
    for r in results:
        if r.error is not None:
            e = r.error
            where = f",line={e.line}" if e.line else ""
            stream.write(f"::error file={_escape_property(r.path)}{where},title=copydesk::{_escape_data(e.message)}\n")
            continue
        for d in r.diagnostics:
            line, col = r.source.position(d.start)
            end_line, end_col = r.source.position(d.end)
            props = (
                f"file={_escape_property(r.path)},line={line},col={col},endLine={end_line},"
                f"endColumn={end_col},title={_escape_property(d.rule + ' ' + d.name)}"
            )
            stream.write(f"::{LEVEL[d.severity]} {props}::{_escape_data(d.message)}\n")
