"""`copydesk serve`: the checker as an HTTP service for a CMS (Starlette on uvicorn).

Why this stack: a check is 2-5 ms of CPU under the GIL, so the server's job is to add as
little as possible around it and to stay up.  Starlette + uvicorn is the most used, actively
released ASGI pair (graceful shutdown on SIGTERM, keep-alive, h11 as a pure-Python
fallback); importing both costs 0.1-0.2 s once at start-up (benchmarks/service.py), nothing
per request.  Checks run on a worker thread (one at a time) so the event loop keeps accepting
connections and answering /healthz while an article is being checked.

Contract (README "Language server and HTTP service"): every error is a JSON object
`{"error": {"status", "code", "message"}}` whose message names what is wrong.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import sys
import time

from anyio import CapacityLimiter, fail_after, to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from . import __version__
from .diagnostics import SEVERITIES
from .document import FORMATS
from .profile import Profiles

TOKEN_ENV = "COPYDESK_SERVE_TOKEN"
DEFAULT_MAX_BYTES = 1 << 20
DEFAULT_BODY_TIMEOUT = 30.0
_access = logging.getLogger("copydesk.access")


class HTTPProblem(Exception):
    """A request copydesk cannot answer: a 4xx status and a one-line message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def problem(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "code": code, "message": message}}, status, headers=headers)


# -- reading a request --------------------------------------------------------------------
def is_json_type(content_type: str) -> bool:
    """`application/json`, in UTF-8 if a charset is named.  Anything else is refused: a web
    page may POST a form or text/plain to 127.0.0.1 without asking (no CORS preflight)."""
    media, *params = content_type.split(";")
    if media.strip().lower() != "application/json":
        return False
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


async def read_json(request: Request, limit: int, timeout: float = DEFAULT_BODY_TIMEOUT) -> dict:
    """The body as a JSON object, read at most `limit` bytes far (a bigger body is refused
    before it is all in memory, whether or not it announced its length) and within `timeout`
    seconds (a client trickling its body, slowloris-style, does not hold a connection)."""
    if not is_json_type(request.headers.get("content-type", "")):
        raise HTTPProblem(415, "unsupported_media_type", "Content-Type must be application/json (UTF-8)")
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPProblem(400, "bad_request", "Content-Length is not a number")
        if int(declared) > limit:
            raise HTTPProblem(413, "too_large", f"request body of {int(declared)} bytes is over the limit of {limit} bytes")
    chunks, size = [], 0
    try:
        with fail_after(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise HTTPProblem(413, "too_large", f"request body is over the limit of {limit} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise HTTPProblem(408, "timeout", f"request body not received within {timeout:g} s") from None
    body = b"".join(chunks)
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise HTTPProblem(400, "bad_json", f"request body is not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise HTTPProblem(400, "bad_json", f"request body is not JSON: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise HTTPProblem(400, "bad_json", "request body is not JSON: nested too deeply") from None
    except ValueError:  # int("1" * 5000): Python's limit on the digits of an integer
        raise HTTPProblem(400, "bad_json", f"request body is not JSON: a number has more than {sys.get_int_max_str_digits()} digits") from None
    if not isinstance(data, dict):
        raise HTTPProblem(422, "bad_request", f"request body must be a JSON object, got {type(data).__name__}")
    return data


def _printable(path: str) -> bool:
    """No control character, line or paragraph separator or lone surrogate: the path is
    echoed in the report and the diff's header lines (a line break would forge them; a lone
    surrogate cannot be written back as UTF-8).  A no-break space in a file name is fine."""
    import unicodedata

    return not any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") for ch in path)


def article_of(data: dict):
    """(Source, format) from `{"text", "format"?, "path"?}` or `{"article": {...}}` (a CMS
    JSON object, checked as a JSON article)."""
    from .source import ArticleError, decode

    unknown = sorted(set(data) - {"text", "format", "path", "article", "fail_on", "explain"})
    if unknown:
        raise HTTPProblem(422, "bad_request", f"unknown key '{unknown[0]}' (expected text, format, path, article, fail_on, explain)")
    if not isinstance(data.get("explain", False), bool):
        raise HTTPProblem(422, "bad_request", "key 'explain' must be true or false")
    path = data.get("path", "article")
    if not isinstance(path, str) or not path or len(path) > 1024 or not _printable(path):
        raise HTTPProblem(422, "bad_request", "key 'path' must be a non-empty string of at most 1024 printable characters")
    fmt = data.get("format")
    if "article" in data:
        if "text" in data:
            raise HTTPProblem(422, "bad_request", "give either 'text' or 'article', not both")
        if not isinstance(data["article"], dict):
            raise HTTPProblem(422, "bad_request", "key 'article' must be a JSON object (a CMS article)")
        if fmt not in (None, "json"):
            raise HTTPProblem(422, "bad_request", "key 'format' must be 'json' (or absent) with 'article'")
        text, fmt = json.dumps(data["article"], ensure_ascii=False, indent=2) + "\n", "json"
    elif "text" in data:
        text = data["text"]
        if not isinstance(text, str):
            raise HTTPProblem(422, "bad_request", f"key 'text' must be a string, got {type(text).__name__}")
    else:
        raise HTTPProblem(422, "bad_request", "missing key 'text' (the article) or 'article' (a CMS JSON object)")
    if fmt is not None and fmt not in FORMATS:
        raise HTTPProblem(422, "bad_request", f"key 'format' must be one of: {', '.join(FORMATS)}")
    try:
        source = decode(path, text.encode("utf-8", "surrogatepass"))
    except ArticleError as exc:
        raise HTTPProblem(422, "bad_article", f"key 'text': {exc.message}") from None
    return source, fmt


def fail_on_of(data: dict, profile) -> str:
    value = data.get("fail_on")
    if value is None:
        return profile.fail_on
    if value not in SEVERITIES:
        raise HTTPProblem(422, "bad_request", f"key 'fail_on' must be one of: {', '.join(SEVERITIES)}")
    return value


# -- the application ----------------------------------------------------------------------
class Service:
    """The routes, over one `Profiles` (rules loaded once, rebuilt when their files change)."""

    def __init__(self, profiles: Profiles, max_bytes: int = DEFAULT_MAX_BYTES, token: str | None = None,
                 body_timeout: float = DEFAULT_BODY_TIMEOUT):
        self.profiles, self.max_bytes, self.token, self.body_timeout = profiles, max_bytes, token or None, body_timeout
        self._checker: CapacityLimiter | None = None

    async def run(self, func, *args):
        """Run a check off the event loop, one at a time: a check is CPU-bound under the GIL,
        so more threads add contention, not throughput, and the engine's caches are filled
        by one thread only.  Requests are still accepted and queued concurrently."""
        if self._checker is None:
            self._checker = CapacityLimiter(1)
        return await to_thread.run_sync(func, *args, limiter=self._checker)

    def profile(self):
        """The service's run profile (--config, else the working directory's configuration;
        a request's `path` picks per-path ignores and the format, never another
        configuration), rebuilt when its files change; a configuration or rule file that no
        longer loads is a 503 naming file, line and key."""
        from .config import ConfigError
        from .ruleset import RuleFileError
        from .safetext import one_line
        from .selection import SelectorError

        try:
            return self.profiles.get("-")
        except (ConfigError, RuleFileError, SelectorError) as exc:
            raise HTTPProblem(503, "bad_configuration", one_line(str(exc))) from None

    def report(self, profile, result, fail_on: str, explain: bool = False) -> dict:
        from .reporters.json_report import to_dict

        if not explain:
            result.not_flagged = []  # why candidates went unflagged: only when asked, as `check --explain`
        out = to_dict([result])
        out["publishable"] = profile.publishable(result, fail_on)
        out["fail_on"] = fail_on
        out["ruleset"] = profile.digest
        return out

    def do_check(self, data: dict) -> dict:
        source, fmt = article_of(data)
        profile = self.profile()
        fail_on = fail_on_of(data, profile)
        return self.report(profile, profile.check(source, fmt), fail_on, data.get("explain", False))

    def do_fix(self, data: dict) -> dict:
        import difflib

        source, fmt = article_of(data)
        profile = self.profile()
        fail_on = fail_on_of(data, profile)
        fixed, edits, result = profile.fix(source, fmt)
        diff = "".join(difflib.unified_diff(source.text.splitlines(keepends=True), fixed.splitlines(keepends=True),
                                            f"a/{source.path}", f"b/{source.path}"))
        out = self.report(profile, result, fail_on, data.get("explain", False))
        out.update({"fixed": fixed, "diff": diff, "edits": edits})
        return out

    def rules(self) -> dict:
        profile = self.profile()
        return {
            "ruleset": profile.digest,
            "fail_on": profile.fail_on,
            "rules": [
                {"id": r.id, "name": r.name, "category": r.category, "severity": r.severity, "kind": r.kind,
                 "message": r.message, "help": r.help, "policy": r.policy, "policy_url": r.policy_url}
                for r in profile.rules
            ],
        }

    def app(self) -> _Guard:
        async def check(request: Request):
            return JSONResponse(await self.run(self.do_check, await read_json(request, self.max_bytes, self.body_timeout)))

        async def fix(request: Request):
            return JSONResponse(await self.run(self.do_fix, await read_json(request, self.max_bytes, self.body_timeout)))

        async def rules(request: Request):
            return JSONResponse(await self.run(self.rules))

        async def healthz(request: Request):
            try:  # on a thread of its own, not the checker's: a probe is answered during a check
                digest = (await to_thread.run_sync(self.profile)).digest
            except HTTPProblem as exc:
                if self.token:  # anyone may ask: the file's path and values are for token holders
                    return problem(503, exc.code, "the service's configuration no longer loads "
                                                  "(the details need the token: GET /v1/rules)")
                return problem(503, exc.code, exc.message)
            return JSONResponse({"status": "ok", "version": __version__, "ruleset": digest})

        routes = [
            Route("/v1/check", check, methods=["POST"]),
            Route("/v1/fix", fix, methods=["POST"]),
            Route("/v1/rules", rules, methods=["GET"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
        app = Starlette(routes=routes, exception_handlers={
            HTTPProblem: _on_problem, 404: _on_http, 405: _on_http, Exception: _on_error})
        return _Guard(app, self.token, self.profiles)


async def _on_problem(request, exc: Exception):
    assert isinstance(exc, HTTPProblem)  # registered for HTTPProblem only
    return problem(exc.status, exc.code, exc.message)


async def _on_http(request, exc):
    if exc.status_code == 405:
        return problem(405, "method_not_allowed", f"{request.method} is not allowed on {request.url.path}",
                       headers=exc.headers)
    return problem(404, "not_found", f"no such endpoint: {request.url.path} (try /v1/check, /v1/fix, /v1/rules, /healthz)")


async def _on_error(request, exc):
    from .safetext import one_line

    return problem(500, "internal", one_line(f"internal error: {type(exc).__name__} (please report this)"))


class _Guard:
    """ASGI middleware: the bearer token (all but /healthz) and one JSON access-log line
    per request (method, path, status, bytes, milliseconds)."""

    def __init__(self, app, token: str | None, profiles):
        self.app, self.token, self.profiles = app, token, profiles
        self._expected = token.encode() if token else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        state = {"status": 0, "bytes": 0}

        async def send_logged(message):
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            if self._expected is not None and scope["path"] != "/healthz" and not self._authorised(scope):
                response = problem(401, "unauthorized", f"missing or wrong bearer token (Authorization: Bearer ..., set by {TOKEN_ENV})",
                                   headers={"WWW-Authenticate": 'Bearer realm="copydesk"'})
                await response(scope, receive, send_logged)
            else:
                await self.app(scope, receive, send_logged)
        finally:  # a request that raised (a 500) is logged too
            if _access.isEnabledFor(logging.INFO):
                client = scope.get("client") or ("", 0)
                _access.info(json.dumps({  # json.dumps escapes line breaks: one request, one line
                    "ts": round(time.time(), 3), "client": client[0], "method": scope["method"], "path": scope["path"],
                    "status": state["status"] or 500, "bytes": state["bytes"],
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                }))

    def _authorised(self, scope) -> bool:
        """`Authorization: Bearer <token>` (the scheme in any case, RFC 7235), the token
        compared in constant time."""
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, credentials = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(credentials.strip(b" "), self._expected)
        return False


def serve(profiles: Profiles, host: str, port: int, max_bytes: int = DEFAULT_MAX_BYTES, access_log: bool = True,
          token: str | None = None, announce=None, body_timeout: float = DEFAULT_BODY_TIMEOUT) -> None:
    """Bind, say where (`announce(url)`), serve until SIGINT/SIGTERM, then finish the
    requests in flight (up to 10 s) and return."""
    import socket

    import uvicorn

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    _access.handlers[:] = [handler]
    _access.propagate = False
    _access.setLevel(logging.INFO if access_log else logging.WARNING)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto given: asyncio sets TCP_NODELAY only on sockets that say they are TCP, and without
    # it every response (headers, then body) waits 40 ms for the client's delayed ACK
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)  # connections made from here on wait in the backlog until uvicorn accepts them
    bound = sock.getsockname()[1]
    app = Service(profiles, max_bytes, token, body_timeout).app()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False,
                            timeout_graceful_shutdown=10, h11_max_incomplete_event_size=64 * 1024)
    server = uvicorn.Server(config)
    if announce is not None:
        announce(f"http://{'[' + host + ']' if ':' in host else host}:{bound}")
    import signal

    # uvicorn finishes the requests in flight, then re-raises the signal it caught: handled
    # here, SIGTERM ends the command with exit 0 instead of killing it afterwards
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        server.run(sockets=[sock])
    finally:
        signal.signal(signal.SIGTERM, previous)


def token_from_env() -> str | None:
    """The bearer token, None when the variable is unset.  Surrounding white space is dropped
    (a secret file's newline); a blank value is a ValueError, not "no token": a missing secret
    must not start the service open."""
    value = os.environ.get(TOKEN_ENV)
    if value is None:
        return None
    if not value.strip():
        raise ValueError(f"{TOKEN_ENV} is set but blank; set a token or unset the variable")
    return value.strip()
