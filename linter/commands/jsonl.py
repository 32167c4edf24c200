"""`copydesk check --input-format jsonl`: a stream of CMS articles in, one result per line out.

Each input line is one JSON article object (with an `id`); each output line is one JSON
result, in input order, flushed as it is written, so memory stays flat however long the
stream.  Positions count in the whole stream: `line` is the stream line, `column` the code
point within it, `start`/`end` character offsets from the start of the stream.  A line that
is not a JSON object gives an error result for that line and the stream goes on.
"""

from __future__ import annotations

import json
import sys

from ..diagnostics import SEVERITY_RANK
from ..exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from ..reporters.json_report import SCHEMA_VERSION, diagnostic_to_dict


def json_lines(path: str):
    """(line number, raw bytes without the line break) for each line of a file or stdin."""
    stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed in the finally below
    try:
        for n, raw in enumerate(stream, 1):
            yield n, raw.rstrip(b"\r\n")
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def check_stream(path: str, profile, out, where: str | None = None) -> tuple[int, int]:
    """Check every article of one JSON Lines stream with the run profile (the per-path
    ignores of `where`, default the stream's path); return the exit code it deserves and the
    number of lines that held something (the caller refuses an empty stream)."""
    from ..source import Source

    if where is None:
        import os

        where = "-" if path == "-" else os.path.abspath(path)
    fail_rank = SEVERITY_RANK[profile.fail_on]
    name = "<stdin>" if path == "-" else path
    offset = 0  # characters before the current line
    status = EXIT_OK
    articles = 0
    for n, raw in json_lines(path):
        articles += 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            status = EXIT_ERROR
            _write(out, {"line": n, "id": None, "error": {"message": f"cannot decode byte 0x{raw[exc.start]:02x} as UTF-8", "line": n, "column": None}})
            offset += len(raw.decode("utf-8", "replace")) + 1
            continue
        line_length = len(text) + 1
        if not text.strip():
            articles -= 1
            offset += line_length
            continue
        result = profile.check(Source(f"{name}:{n}", text), "json", where)
        if result.error is not None:
            status = EXIT_ERROR
            _write(out, {"line": n, "id": _id_of(text), "error": {"message": result.error.message, "line": n, "column": result.error.column}})
        else:
            diagnostics = []
            for d in result.diagnostics:
                entry = diagnostic_to_dict(d, result.source)
                entry["line"] += n - 1
                entry["end_line"] += n - 1
                entry["start"] += offset
                entry["end"] += offset
                diagnostics.append(entry)
                if SEVERITY_RANK[d.severity] >= fail_rank and status == EXIT_OK:
                    status = EXIT_FINDINGS
            counts = {s: sum(1 for d in result.diagnostics if d.severity == s) for s in ("error", "warning", "info")}
            _write(out, {"line": n, "id": result.id, "path": name, "format": "json", "diagnostics": diagnostics, "summary": counts})
        offset += line_length
    return status, articles


def _id_of(text: str):
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value.get("id") if isinstance(value, dict) else None


def _write(out, entry: dict) -> None:
    out.write(json.dumps({"version": SCHEMA_VERSION, **entry}, ensure_ascii=False) + "\n")
    out.flush()
