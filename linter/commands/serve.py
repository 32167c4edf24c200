"""`copydesk serve`: the HTTP service (linter/service.py); needs `pip install 'copydesk[serve]'`."""

from __future__ import annotations

import sys

from ..safetext import one_line

EXIT_OK, EXIT_ERROR = 0, 2


def add_profile_options(p) -> None:
    """The options that choose the run profile, as `check` spells them."""
    p.add_argument("--config", help="configuration file (default: discovered upward from the working directory, or from each document)")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="an extra YAML rule set (repeatable)")
    p.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")
    p.add_argument("--select", action="append", default=[], metavar="RULE", help="only these rules (as check --select)")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules (as check --ignore)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                   help="lowest severity that makes an article not publishable (default: the configuration's fail_on, else error)")


def profile_options(args) -> dict:
    return {"config": args.config, "rules": tuple(args.rules), "no_shipped_rules": args.no_shipped_rules,
            "select": tuple(args.select), "ignore": tuple(args.ignore), "fail_on": args.fail_on}


def add_parsers(sub) -> None:
    """Register `serve`, `lsp` and `check-remote` (called by cli.build_parser)."""
    s = sub.add_parser("serve", help="run the HTTP service for a CMS (POST /v1/check, /v1/fix; GET /v1/rules, /healthz)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8017, help="port (default 8017; 0 picks a free one, printed on stderr)")
    s.add_argument("--max-bytes", type=int, default=1 << 20, help="largest request body in bytes (default 1 MiB)")
    s.add_argument("--body-timeout", type=float, default=30.0, metavar="SECONDS",
                   help="longest wait for a request's body before answering 408 (default 30)")
    s.add_argument("--no-access-log", action="store_true", help="no JSON access-log line per request on stderr")
    add_profile_options(s)
    s.set_defaults(run_command=run_serve)
    lp = sub.add_parser("lsp", help="run the language server on standard input and output (for editors)")
    add_profile_options(lp)
    lp.add_argument("--debounce", type=float, default=0.1, help="seconds of quiet after a keystroke before checking (default 0.1)")
    lp.set_defaults(run_command=_run_lsp)
    from .remote import add_parser as add_remote

    add_remote(sub)


def _run_lsp(args) -> int:
    from .lsp import run_lsp

    if not 0 <= args.debounce <= 10:
        print(f"copydesk lsp: error: --debounce {args.debounce} is not between 0 and 10 seconds", file=sys.stderr)
        return EXIT_ERROR
    return run_lsp(args)


def missing_extra(exc: ImportError, command: str) -> int:
    print(one_line(f"copydesk {command}: error: {exc.name or exc} is not installed; "
                   f"install it with: pip install 'copydesk[{command}]'"), file=sys.stderr)
    return EXIT_ERROR


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
