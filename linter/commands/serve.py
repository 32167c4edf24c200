"""`copydesk serve`: the HTTP service (linter/service.py); needs `pip install 'copydesk[serve]'`."""

from __future__ import annotations

import sys

from ..safetext import one_line
from .resident import EXIT_ERROR, add_profile_options, missing_extra, profile_options

EXIT_OK = 0


def add_parsers(sub) -> None:
    """Register `serve`, `lsp` and `check-remote` (called by cli.build_parser: one hook for
    the resident commands, each parser in its own module)."""
    s = sub.add_parser("serve", help="run the HTTP service for a CMS (POST /v1/check, /v1/fix; GET /v1/rules, /healthz)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8017, help="port (default 8017; 0 picks a free one, printed on stderr)")
    s.add_argument("--max-bytes", type=int, default=1 << 20, help="largest request body in bytes (default 1 MiB)")
    s.add_argument("--body-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="longest wait for a request's body before answering 408 (default 30)")
    s.add_argument("--no-access-log", action="store_true", help="no JSON access-log line per request on stderr")
    add_profile_options(s)
    s.set_defaults(run_command=run_serve)
    from .lsp import add_parser as add_lsp
    from .remote import add_parser as add_remote

    add_lsp(sub)
    add_remote(sub)


def run_serve(args) -> int:
    from ..config import ConfigError
    from ..profile import Profiles
    from ..ruleset import RuleFileError
    from ..selection import SelectorError

    try:
        from .. import service
    except ImportError as exc:
        return missing_extra(exc, "serve")
    if not 0 <= args.port <= 65535:
        print(f"copydesk serve: error: --port {args.port} is not a port (0-65535)", file=sys.stderr)
        return EXIT_ERROR
    if args.max_bytes < 1:
        print("copydesk serve: error: --max-bytes must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    if not 0 < args.body_timeout <= 3600:
        print(f"copydesk serve: error: --body-timeout {args.body_timeout:g} is not between 0 and 3600 seconds", file=sys.stderr)
        return EXIT_ERROR
    try:
        token = service.token_from_env()
    except ValueError as exc:
        print(f"copydesk serve: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    profiles = Profiles(**profile_options(args))
    try:
        profile = profiles.get("-")  # loaded once, now: a bad configuration stops the start
        profile.warm()
    except (ConfigError, RuleFileError, SelectorError) as exc:
        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_ERROR

    def announce(url: str) -> None:
        print(f"copydesk serve: listening on {url} ({len(profile.rules)} rules, {profile.digest[:19]})",
              file=sys.stderr, flush=True)

    try:
        service.serve(profiles, args.host, args.port, args.max_bytes, not args.no_access_log,
                      token, announce, args.body_timeout)
    except OSError as exc:
        print(one_line(f"copydesk serve: error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"),
              file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
