"""`copydesk check-remote`: check files with a running `copydesk serve` (the pre-commit hook
`copydesk-server`), so a commit does not pay for loading rules in a new process.

The server is `--server` or `COPYDESK_SERVER` (its token: `COPYDESK_SERVE_TOKEN`).  With no
server configured, or one that cannot be reached, the files are checked locally instead
(`copydesk check --format concise`, with a note): never a silent all-clear.  Standard library
only (urllib), so the hook needs no extra.
"""

from __future__ import annotations

import json
import os
import sys

from ..cli import SERVER_ENV
from ..exitcodes import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from ..safetext import one_line


def _local(args, why: str, paths: list[str]) -> int:
    from ..cli import main

    print(one_line(f"copydesk check-remote: note: {why}; checking locally"), file=sys.stderr)
    return main(["check", "--format", "concise", *(["--fail-on", args.fail_on] if args.fail_on else []), *paths])


class _Unreachable(Exception):
    pass


def _post(url: str, payload: dict, token: str | None, timeout: float) -> tuple[int, dict]:
    import urllib.error
    import urllib.request

    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url.rstrip("/") + "/v1/check", json.dumps(payload).encode("utf-8"), headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read())
        except ValueError:
            return exc.code, {"error": {"message": f"HTTP {exc.code}"}}
    except (urllib.error.URLError, OSError) as exc:
        raise _Unreachable(str(getattr(exc, "reason", exc))) from None
    except ValueError as exc:  # a body that is not JSON: not a copydesk server
        raise _Unreachable(f"the answer is not JSON ({exc})") from None


def _finding_lines(path: str, body) -> tuple[list[str], bool]:
    """(one line per finding, publishable) from a /v1/check answer; ValueError when the answer
    is not a copydesk report (COPYDESK_SERVER pointing at some other service)."""
    try:
        lines = [f"{path}:{d['line']}:{d['column']}: {d['severity']} {d['rule']} {d['message']}"
                 for d in body["files"][0]["diagnostics"]]
        publishable = body["publishable"]
    except (KeyError, IndexError, TypeError) as exc:
        raise ValueError("not a copydesk report") from exc
    if not isinstance(publishable, bool):
        raise ValueError("not a copydesk report")  # noqa: TRY004 - one error for every malformed answer
    return lines, publishable


def run_check_remote(args) -> int:
    from ..document import detect_format
    from ..source import ArticleError, read_source
    from .common import iter_article_paths

    url = args.server or os.environ.get(SERVER_ENV)
    if not url:
        return _local(args, f"no server configured (--server or ${SERVER_ENV})", args.paths)
    if not url.startswith(("http://", "https://")):
        print(one_line(f"copydesk check-remote: error: --server {url!r} is not an http(s) URL"), file=sys.stderr)
        return EXIT_ERROR
    token = (os.environ.get("COPYDESK_SERVE_TOKEN") or "").strip() or None  # as serve reads it
    worst = EXIT_OK
    paths = list(iter_article_paths(args.paths))
    for done, path in enumerate(paths):
        try:
            source = read_source(path)
        except ArticleError as exc:
            print(one_line(str(exc)), file=sys.stderr)
            worst = EXIT_ERROR
            continue
        payload = {"text": source.text, "format": detect_format(path, source.text), "path": path}
        if args.fail_on:
            payload["fail_on"] = args.fail_on
        try:
            status, body = _post(url, payload, token, args.timeout)
        except _Unreachable as exc:  # the files the server answered keep their verdicts
            return max(worst, _local(args, f"cannot reach {url}: {exc}", paths[done:]))
        if status != 200:
            message = (body.get("error") or {}).get("message", f"HTTP {status}") if isinstance(body, dict) else f"HTTP {status}"
            print(one_line(f"{path}: error: the server answered {status}: {message}"), file=sys.stderr)
            worst = EXIT_ERROR
            continue
        try:
            lines, publishable = _finding_lines(path, body)
        except ValueError:
            print(one_line(f"{path}: error: the answer from {url} is not a copydesk report"), file=sys.stderr)
            worst = EXIT_ERROR
            continue
        for line in lines:
            print(one_line(line))
        if not publishable and worst == EXIT_OK:
            worst = EXIT_FINDINGS
    return worst
