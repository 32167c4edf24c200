"""Command line: arguments -> the sub-command's module in linter/commands/ -> exit code.

Every sub-command's options are declared here; only the invoked command's module is
imported (`COMMANDS`).  Exit codes are linter/exitcodes.py's: 0 clean, 1 findings, 2 usage,
configuration or I/O errors, 3 an internal error (a bug in copydesk), so that a pipeline can
tell a crash from findings.  Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from . import __version__
from .exitcodes import EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK

# sub-command -> (module in linter/commands, function taking the parsed arguments)
COMMANDS = {
    "parse": ("parse", "run_parse"),
    "check": ("check", "run_check"),
    "config": ("config", "run_config"),
    "report": ("report", "run_report"),
    "rules": ("rules", "run_rules"),
    "serve": ("serve", "run_serve"),
    "lsp": ("lsp", "run_lsp"),
    "check-remote": ("remote", "run_check_remote"),
}
SERVER_ENV = "COPYDESK_SERVER"  # check-remote's server (read in linter/commands/remote.py)


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the width so that building the parser does not import
    shutil (argparse asks it for the terminal size even when no help is printed)."""

    def __init__(self, prog, **kwargs):
        import os

        try:
            columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (ValueError, OSError, AttributeError):
            columns = 80
        super().__init__(prog, width=columns - 2, **kwargs)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # argparse's default exits 2 too; keep it one line
        self.exit(EXIT_ERROR, f"copydesk: error: {message}\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `only`, that command's options alone (building every
    command's costs a one-shot run about 3 ms; `--help` and an unknown command get them all)."""
    from .document import FORMATS

    parser = _Parser(prog="copydesk", description="Compliance and disclaimer linter for financial news.")
    parser.add_argument("--version", action="version", version=f"copydesk {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    if only in (None, "parse"):
        p = sub.add_parser("parse", help="show the article model: sections and sentences with positions")
        p.add_argument("file", help="article file, or - for standard input")
        p.add_argument("--input-format", choices=FORMATS, help="override detection by extension")
        p.add_argument("--stdin-filename", help="name to report for standard input (also picks the format)")
        p.add_argument("--format", choices=("text", "json"), default="text", help="output format")

    if only in (None, "check"):
        c = sub.add_parser("check", help="lint articles against the rule sets")
        c.add_argument("paths", nargs="*", default=["."], help="files, folders (walked recursively), quoted globs, or - for standard input; default: the current folder (a path with no articles is an error)")
        c.add_argument("--input-format", choices=FORMATS + ("jsonl",), help="override detection by extension; jsonl: a stream of CMS JSON articles, one per line (output: one JSON result per line)")
        c.add_argument("--stdin-filename", help="name to report for standard input (also picks the format)")
        c.add_argument("--format", choices=("text", "concise", "json", "github", "sarif"), default="text", help="output format")
        c.add_argument("--select", action="append", default=[], metavar="RULE", help="only these rules: id, id prefix, name prefix or category (repeatable, comma-separated)")
        c.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules (same forms as --select)")
        c.add_argument("--rules", action="append", default=[], metavar="FILE", help="an extra YAML rule set (repeatable)")
        c.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")
        c.add_argument("--fail-on", choices=("error", "warning", "info"), default=None, help="lowest severity that fails the run (exit 1); default error, or the configuration's fail_on")
        c.add_argument("--config", help="configuration file (default: .copydesk.yaml or pyproject.toml [tool.copydesk], found upward from each file)")
        c.add_argument("--diff-base", metavar="REF", help="report only findings on lines changed since git REF (document-level findings count when the file changed)")
        c.add_argument("--baseline", metavar="FILE", help="hide findings recorded in this baseline (matched by rule and text, not line)")
        c.add_argument("--write-baseline", metavar="FILE", help="record every current finding in FILE")
        c.add_argument("--fix", action="store_true", help="apply the rules' fixes (atomically; with - the fixed article goes to standard output)")
        c.add_argument("--diff", action="store_true", help="print the fixes as a unified diff and write nothing")
        c.add_argument("--explain", action="store_true", help="JSON output: list each candidate claim the attribution rule left alone, and why (not_flagged)")
        c.add_argument("--jobs", type=int, default=0, help="check files in N worker processes (default: all cores; output order unchanged)")

    if only in (None, "config"):
        g = sub.add_parser("config", help="print the resolved configuration and where each value came from")
        g.add_argument("--config", help="configuration file (default: discovered from the working directory)")
        g.add_argument("--format", choices=("text", "json"), default="text")

    if only in (None, "report"):
        rp = sub.add_parser("report", help="lint a whole archive and write a compliance report")
        rp.add_argument("paths", nargs="+", help="files, directories, globs, or JSON Lines streams with --input-format jsonl")
        rp.add_argument("-o", "--output", required=True, help="report file (.html, .json, .csv or .md)")
        rp.add_argument("--format", choices=("html", "json", "csv", "markdown"), help="default: from the output file's extension")
        rp.add_argument("--summary-csv", metavar="FILE", help="also write one row per article")
        rp.add_argument("--detail", type=int, default=200, metavar="N", help="articles shown finding by finding in the HTML report, the worst first (default 200; every article is in the JSON and CSV)")
        rp.add_argument("--input-format", choices=FORMATS + ("jsonl",))
        rp.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
        rp.add_argument("--cache", metavar="PATH", help="summary cache (default report.sqlite in the per-user cache folder)")
        rp.add_argument("--no-cache", action="store_true")
        rp.add_argument("--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster (needs copydesk[dask])")
        rp.add_argument("--select", action="append", default=[], metavar="RULE")
        rp.add_argument("--ignore", action="append", default=[], metavar="RULE")
        rp.add_argument("--rules", action="append", default=[], metavar="FILE")
        rp.add_argument("--no-shipped-rules", action="store_true")
        rp.add_argument("--config")

    if only in (None, "rules"):
        r = sub.add_parser("rules", help="list the loaded rules, or test their examples")
        r.add_argument("--rules", action="append", default=[], metavar="FILE", help="an extra YAML rule set (repeatable)")
        r.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")
        r.add_argument("--test", nargs="*", metavar="FILE", help="run every rule's examples (of these rule files, or all loaded)")
        r.add_argument("--format", choices=("text", "json"), default="text")
        r.add_argument("--coverage", action="store_true", help="a table of regulation element -> rule ids (from each rule's policy)")

    if only in (None, "serve"):
        s = sub.add_parser("serve", help="run the HTTP service for a CMS (POST /v1/check, /v1/fix; GET /v1/rules, /healthz)")
        s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        s.add_argument("--port", type=int, default=8017, help="port (default 8017; 0 picks a free one, printed on stderr)")
        s.add_argument("--max-bytes", type=int, default=1 << 20, help="largest request body in bytes (default 1 MiB)")
        s.add_argument("--body-timeout", type=float, default=30.0, metavar="SECONDS",
                       help="longest wait for a request's body before answering 408 (default 30)")
        s.add_argument("--no-access-log", action="store_true", help="no JSON access-log line per request on stderr")
        _profile_options(s)

    if only in (None, "lsp"):
        lp = sub.add_parser("lsp", help="run the language server on standard input and output (for editors)")
        _profile_options(lp)
        lp.add_argument("--debounce", type=float, default=0.1, help="seconds of quiet after a keystroke before checking (default 0.1)")

    if only in (None, "check-remote"):
        cr = sub.add_parser("check-remote", help=f"check files with a running copydesk serve (${SERVER_ENV}); "
                                                 "checks locally when none is reachable")
        cr.add_argument("paths", nargs="+", help="article files or folders")
        cr.add_argument("--server", help=f"the service's URL (default ${SERVER_ENV})")
        cr.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                        help="lowest severity that fails (default: the server's)")
        cr.add_argument("--timeout", type=float, default=10.0, help="seconds per request (default 10)")
    return parser


def _profile_options(p) -> None:
    """The options that choose the run profile of a resident command (`serve`, `lsp`), as
    `check` spells them."""
    p.add_argument("--config", help="configuration file (default: discovered upward from the working directory, or from each document)")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="an extra YAML rule set (repeatable)")
    p.add_argument("--no-shipped-rules", action="store_true", help="use only the --rules files")
    p.add_argument("--select", action="append", default=[], metavar="RULE", help="only these rules (as check --select)")
    p.add_argument("--ignore", action="append", default=[], metavar="RULE", help="skip these rules (as check --ignore)")
    p.add_argument("--fail-on", choices=("error", "warning", "info"), default=None,
                   help="lowest severity that makes an article not publishable (default: the configuration's fail_on, else error)")


def main(argv: list[str] | None = None) -> int:
    """Run one command; whatever goes wrong ends as one line on stderr and an exit code."""
    _usable_standard_streams()
    try:
        code = _run(argv)
        if sys.stdout is not None:
            sys.stdout.flush()  # a full disk shows here, not as a traceback at exit
        return code
    except BrokenPipeError:  # `copydesk parse x | head`: the reader has what it wanted
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        _error_line("copydesk: interrupted")
        return EXIT_INTERRUPTED
    except MemoryError:
        _error_line("copydesk: internal error: out of memory")
        return EXIT_INTERNAL
    except OSError as exc:  # an output file that cannot be written, a full disk, ...
        _silence_stdout()
        where = f"{exc.filename}: " if exc.filename else ("standard output: " if _is_stdout_error(exc) else "")
        _error_line(f"copydesk: error: {where}{exc.strerror or exc}")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - the contract is one line and exit 3, never a traceback
        _silence_stdout()
        detail = str(exc).splitlines()[0][:300] if str(exc) else ""
        _error_line(f"copydesk: internal error: {type(exc).__name__}{': ' + detail if detail else ''} (please report this)")
        return EXIT_INTERNAL


def _run(argv: list[str] | None) -> int:
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command not in COMMANDS:
        parser.print_help()
        return EXIT_ERROR
    module, function = COMMANDS[args.command]
    # the import statement's machinery (what -X importtime measures), for that one module
    return getattr(__import__(f"{__package__}.commands.{module}", fromlist=[function]), function)(args)


def _usable_standard_streams() -> None:
    """Characters a stream cannot encode (a lone surrogate from a JSON escape) are written
    as backslash escapes rather than stopping the run; a standard stream that was closed
    (`copydesk check 1>&-`) becomes /dev/null, so no file copydesk opens takes its number."""
    import os

    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            devnull = os.open(os.devnull, os.O_RDWR)
            if devnull != fd:
                os.dup2(devnull, fd)
                os.close(devnull)
            if getattr(sys, name) is None:
                setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115 - the process's stream
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # not on a test's StringIO: it takes any str
        if reconfigure is None:
            continue
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass


def _silence_stdout() -> None:
    """After a broken pipe or a full disk, let the interpreter's final flush go nowhere."""
    import os

    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except OSError:
        pass


def _is_stdout_error(exc: OSError) -> bool:
    import errno

    return exc.errno in (errno.ENOSPC, errno.EPIPE, errno.EBADF, errno.EIO)


def _error_line(message: str) -> None:
    from .safetext import one_line

    try:
        print(one_line(message), file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # stderr itself is gone: the exit code is all that is left


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
