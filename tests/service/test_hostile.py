"""`copydesk serve` against hostile requests: every one a JSON 4xx naming the problem, never a
500, a hung connection or a forged access-log line."""

from __future__ import annotations

import http.client
import json
import socket
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from .test_service import Server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / ".copydesk.yaml").write_text("fail_on: error\n", encoding="utf-8")
    s = Server(folder, "--config", str(folder / ".copydesk.yaml"), "--body-timeout", "1")
    yield s
    assert s.stop() == 0


def post(server, body: bytes, content_type: str | None = "application/json", path: str = "/v1/check"):
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    headers = {"Content-Type": content_type} if content_type else {}
    conn.request("POST", path, body=body, headers=headers)
    resp = conn.getresponse()
    payload = json.loads(resp.read())
    conn.close()
    return resp.status, payload


@pytest.mark.parametrize("body, status, code, message", [
    # Python refuses to turn a 5,000-digit number into an int (ValueError, not JSONDecodeError)
    (b'{"text": "x", "fail_on": ' + b"1" * 5000 + b"}", 400, "bad_json",
     "request body is not JSON: a number has more than 4300 digits"),
    # a lone surrogate cannot be written back as UTF-8 in the report that echoes the path
    (b'{"text": "Buy now", "path": "\\ud800.md"}', 422, "bad_request",
     "key 'path' must be a non-empty string of at most 1024 printable characters"),
    # a line break in the path would forge the diff's header lines
    (b'{"text": "Buy now", "path": "a.md\\n+++ b/evil.md"}', 422, "bad_request",
     "key 'path' must be a non-empty string of at most 1024 printable characters"),
    (b'{"text": "Buy now", "path": "a.md\\u2028+++ b/evil.md"}', 422, "bad_request",
     "key 'path' must be a non-empty string of at most 1024 printable characters"),
])
def test_hostile_bodies_are_4xx_not_500(server, body, status, code, message):
    assert post(server, body) == (status, {"error": {"status": status, "code": code, "message": message}})


def test_a_path_with_a_no_break_space_is_a_file_name_like_any_other(server):
    status, payload = post(server, '{"text": "Buy now", "path": "desk/Acme\u00a0Q3.md"}'.encode())
    assert (status, payload["files"][0]["path"]) == (200, "desk/Acme\u00a0Q3.md")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                          None, "application/json; charset=latin-1"])
def test_a_body_that_is_not_declared_json_is_refused(server, content_type):
    """A web page can POST text/plain or a form to 127.0.0.1 without a CORS preflight; only a
    declared JSON body (UTF-8) is read."""
    status, payload = post(server, b'{"text": "Buy now"}', content_type)
    assert (status, payload["error"]["code"], payload["error"]["message"]) == (
        415, "unsupported_media_type", "Content-Type must be application/json (UTF-8)")


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])
def test_json_content_types_are_read(server, content_type):
    assert post(server, b'{"text": "Buy now"}', content_type)[0] == 200


def test_a_slow_body_times_out_with_408(server):
    """Slowloris: a client that trickles its body holds a connection (and a file descriptor)
    only for --body-timeout seconds."""
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    sock.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
    started = time.monotonic()
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert json.loads(body) == {"error": {"status": 408, "code": "timeout",
                                          "message": "request body not received within 1 s"}}
    assert time.monotonic() - started < 10


def test_access_log_lines_cannot_be_forged(server):
    """The path is percent-decoded by the server; a line break in it stays inside one JSON line."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", '/x%0A{"status":%20200}%22')
    assert conn.getresponse().status == 404
    conn.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any('"/x' in line for line in server.log):
        time.sleep(0.05)
    lines = [line for line in server.log if '"/x' in line or '{"status": 200}' in line]
    assert len(lines) == 1
    assert json.loads(lines[0])["path"] == '/x\n{"status": 200}"'


def test_an_internal_error_still_writes_its_access_log_line(caplog):
    """A request that ends in a 500 is the one most worth a log line."""
    import asyncio
    import logging

    from linter.service import _Guard

    async def broken(scope, receive, send):
        await send({"type": "http.response.start", "status": 500, "headers": []})
        raise RuntimeError("boom")

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        pass

    scope = {"type": "http", "method": "GET", "path": "/v1/rules", "headers": [], "client": ("10.0.0.1", 5)}
    with caplog.at_level(logging.INFO, logger="copydesk.access"):
        with pytest.raises(RuntimeError):
            asyncio.run(_Guard(broken, None, None)(scope, receive, send))
    entries = [json.loads(r.getMessage()) for r in caplog.records if r.name == "copydesk.access"]
    assert [(e["client"], e["method"], e["path"], e["status"]) for e in entries] == [("10.0.0.1", "GET", "/v1/rules", 500)]


@pytest.mark.parametrize("value", ["", "  \n"])
def test_a_blank_token_variable_stops_the_start(tmp_path, value):
    """`COPYDESK_SERVE_TOKEN=$SECRET` with the secret missing used to start the service with no
    token at all (fail open), or with one no client could send (a blank header value)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COPYDESK_SERVE_TOKEN": value}
    out = subprocess.run([sys.executable, "-m", "linter", "serve", "--port", "0"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=60)
    assert (out.returncode, out.stderr) == (
        2, "copydesk serve: error: COPYDESK_SERVE_TOKEN is set but blank; set a token or unset the variable\n")


def test_the_bearer_scheme_is_case_insensitive_and_a_token_file_newline_ignored(tmp_path):
    """RFC 7235: the scheme is case-insensitive; a token read from a secret file keeps its
    trailing newline in the environment, which no header can carry."""
    s = Server(tmp_path, token="s3cret\n")
    try:
        for header in ("Bearer s3cret", "bearer s3cret", "BEARER  s3cret"):
            assert s.request("GET", "/v1/rules", headers={"Authorization": header})[0] == 200, header
        for header in ("Bearer s3cre", "Bearer s3cret s3cret", "Basic s3cret", "s3cret", "Bearer"):
            assert s.request("GET", "/v1/rules", headers={"Authorization": header})[0] == 401, header
    finally:
        assert s.stop() == 0


def test_healthz_without_the_token_does_not_name_the_broken_file(tmp_path):
    """/healthz answers anyone (a load balancer carries no token); with a token set, the file
    path and configuration values in a bad_configuration message are for token holders."""
    import os

    config = tmp_path / ".copydesk.yaml"
    config.write_text("fail_on: error\n", encoding="utf-8")
    s = Server(tmp_path, token="s3cret")
    try:
        config.write_text("fail_on: fatal\n", encoding="utf-8")
        st = config.stat()
        os.utime(config, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        status, body, _ = s.request("GET", "/healthz")
        assert (status, body) == (503, {"error": {
            "status": 503, "code": "bad_configuration",
            "message": "the service's configuration no longer loads (the details need the token: GET /v1/rules)"}})
        status, body, _ = s.request("GET", "/v1/rules", headers={"Authorization": "Bearer s3cret"})
        assert (status, body["error"]["message"]) == (
            503, f"{config}:1 error: key 'fail_on': must be one of: error, warning, info")
    finally:
        assert s.stop() == 0
