"""`copydesk serve` as a CMS meets it: a real server process on a free local port."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

ARTICLE = "# Buy now\n\nThis stock is risk-free 🚀 today.\n"
FIXABLE = "---\ntitle: Acme\n---\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n"


class Server:
    """`copydesk serve --port 0` in a subprocess; its URL read from the line it announces."""

    def __init__(self, cwd: Path, *args: str, token: str | None = None):
        env = dict(os.environ)
        env.pop("COPYDESK_SERVE_TOKEN", None)
        if token:
            env["COPYDESK_SERVE_TOKEN"] = token
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "linter", "serve", "--port", "0", *args],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.log: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                raise AssertionError(f"server exited: {self.proc.wait()} {self.log}")
            self.log.append(line)
            m = re.search(r"listening on (http://\S+)", line)
            if m:
                self.url = m.group(1)
                break
        else:
            raise AssertionError("server did not start")
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.log.append(line)

    def request(self, method: str, path: str, body=None, headers=None):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else headers or {}
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read()), dict(resp.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read()), dict(exc.headers)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=15)
        finally:
            self.proc.stdout.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    (folder / ".copydesk.yaml").write_text("fail_on: error\nper_path_ignores:\n  'opinion/*': [promotional]\n",
                                           encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(site):
    s = Server(site, "--config", str(site / ".copydesk.yaml"), "--max-bytes", "4000")
    yield s
    assert s.stop() == 0


def copydesk(*args, stdin: str | None = None, cwd=None):
    return subprocess.run([sys.executable, "-m", "linter", *args], input=stdin, capture_output=True, text=True, cwd=cwd)


def test_healthz_names_the_rule_set(server):
    status, body, _ = server.request("GET", "/healthz")
    assert status == 200
    assert body["status"] == "ok"
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", body["ruleset"])


def test_check_returns_the_schema_1_report_with_a_verdict(server, site):
    status, body, _ = server.request("POST", "/v1/check", {"text": ARTICLE, "format": "markdown"})
    assert status == 200
    found = [(d["rule"], d["line"], d["column"], d["end_column"], d["message"]) for d in body["files"][0]["diagnostics"]]
    assert ("PROMO205", 1, 3, 10, "The publisher's own buy/sell call: 'Buy now'") in found
    assert ("PROMO202", 3, 15, 24, "Claims an investment cannot lose: 'risk-free'") in found
    assert body["version"] == 1 and body["publishable"] is False and body["fail_on"] == "error"
    assert body["ruleset"] == server.request("GET", "/healthz")[1]["ruleset"]
    # the same article through `copydesk check --format json` gives the same findings
    cli = json.loads(copydesk("check", "--format", "json", "--config", str(site / ".copydesk.yaml"), "--stdin-filename",
                              "article.md", "-", stdin=ARTICLE).stdout)
    assert [d["rule"] for d in cli["files"][0]["diagnostics"]] == [d["rule"] for d in body["files"][0]["diagnostics"]]


def test_explain_lists_the_candidates_left_alone_only_when_asked(server):
    text = "# Acme\n\nRevenue rose 4.2% to $1.3 billion in the quarter, the company said.\n"
    plain = server.request("POST", "/v1/check", {"text": text, "format": "markdown"})[1]
    assert "not_flagged" not in plain["files"][0]
    status, body, _ = server.request("POST", "/v1/check", {"text": text, "format": "markdown", "explain": True})
    assert status == 200
    assert [(n["line"], n["rule"], n["reason"]) for n in body["files"][0]["not_flagged"]] == [
        (3, "ATTR201", "sourced: attribution 'said'")]
    status, body, _ = server.request("POST", "/v1/check", {"text": text, "explain": "yes"})
    assert (status, body["error"]["message"]) == (422, "key 'explain' must be true or false")


def test_fail_on_per_request_and_clean_article_is_publishable(server):
    status, body, _ = server.request("POST", "/v1/check", {
        "text": "# Acme results\n\nAcme Corp. reported revenue of $5m, it said in a statement.\n\n"
                "This article is for information only. It is not investment advice and not a recommendation "
                "to buy or sell any security.\n", "format": "markdown", "fail_on": "error"})
    assert status == 200
    assert [d["severity"] for d in body["files"][0]["diagnostics"] if d["severity"] == "error"] == []
    assert body["publishable"] is True


def test_path_applies_per_path_ignores(server):
    def rules(path):
        body = server.request("POST", "/v1/check", {"text": ARTICLE, "path": path})[1]
        return body["files"][0]["path"], [d["rule"] for d in body["files"][0]["diagnostics"]]

    assert rules("news/a.md") == ("news/a.md", ["PROMO205", "PROMO202"])
    assert rules("opinion/a.md") == ("opinion/a.md", [])  # per_path_ignores 'opinion/*': [promotional]


def test_keep_alive_requests_are_not_held_by_delayed_acks(server):
    """Responses go out with TCP_NODELAY: without it each one waited ~40 ms for the
    client's delayed ACK (Nagle), whatever the check cost."""
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    times = []
    for _ in range(21):
        t0 = time.perf_counter()
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        times.append(time.perf_counter() - t0)
    conn.close()
    assert sorted(times)[10] < 0.030


def test_check_takes_a_cms_json_object(server):
    article = {"headline": "Buy now", "body": "This stock is risk-free."}
    status, body, _ = server.request("POST", "/v1/check", {"article": article})
    assert status == 200
    entry = body["files"][0]
    assert entry["format"] == "json"
    risk = [d for d in entry["diagnostics"] if d["rule"] == "PROMO202"]
    assert [(d["match"], d["pointer"]) for d in risk] == [("risk-free", "/body")]


def test_fix_equals_the_command_lines_fix(server, site):
    status, body, _ = server.request("POST", "/v1/fix", {"text": FIXABLE, "format": "markdown"})
    assert status == 200
    cli = copydesk("check", "--fix", "--config", str(site / ".copydesk.yaml"), "--stdin-filename", "article.md", "-",
                   stdin=FIXABLE)
    assert body["fixed"] == cli.stdout
    assert body["fixed"] != FIXABLE and body["edits"] == 1
    assert body["diff"].startswith("--- a/article\n+++ b/article\n")
    assert "+This article is for information only." in body["diff"]


def test_rules_lists_the_profile(server):
    status, body, _ = server.request("GET", "/v1/rules")
    assert status == 200
    promo = {r["id"]: r for r in body["rules"]}["PROMO202"]
    assert promo["name"] == "promotional.risk-free" and promo["severity"] == "error"
    assert body["ruleset"].startswith("sha256:")


@pytest.mark.parametrize("body, status, message", [
    (b'{"text": ', 400, "request body is not JSON: line 1 column 10: Expecting value"),
    (b"\xff\xfe", 400, "request body is not UTF-8 (byte 0)"),
    (b"[1, 2]", 422, "request body must be a JSON object, got list"),
    (b'{"format": "markdown"}', 422, "missing key 'text' (the article) or 'article' (a CMS JSON object)"),
    (b'{"text": 5}', 422, "key 'text' must be a string, got int"),
    (b'{"text": "x", "format": "pdf"}', 422, "key 'format' must be one of: markdown, html, text, json"),
    (b'{"text": "x", "colour": 1}', 422, "unknown key 'colour' (expected text, format, path, article, fail_on, explain)"),
    (b'{"text": "  "}', 422, "key 'text': empty article: the file has no text"),
    (b'{"text": "x", "fail_on": "fatal"}', 422, "key 'fail_on' must be one of: error, warning, info"),
])
def test_bad_requests_are_json_errors_naming_the_problem(server, body, status, message):
    got, payload, headers = server.request("POST", "/v1/check", body, {"Content-Type": "application/json"})
    assert (got, payload["error"]["message"]) == (status, message)
    assert headers["content-type"] == "application/json"


def test_unknown_path_and_method(server):
    assert server.request("GET", "/v2/check")[:2] == (404, {"error": {
        "status": 404, "code": "not_found", "message": "no such endpoint: /v2/check (try /v1/check, /v1/fix, /v1/rules, /healthz)"}})
    status, body, _ = server.request("GET", "/v1/check")
    assert (status, body["error"]["message"]) == (405, "GET is not allowed on /v1/check")


def test_oversized_body_is_refused(server):
    big = json.dumps({"text": "word " * 2000}).encode()
    status, body, _ = server.request("POST", "/v1/check", big)
    assert (status, body["error"]["message"]) == (413, f"request body of {len(big)} bytes is over the limit of 4000 bytes")
    # without a Content-Length (chunked), the limit holds while reading
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("POST", "/v1/check", body=iter([big[:3000], big[3000:]]), encode_chunked=True,
                  headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"})
    resp = conn.getresponse()
    assert (resp.status, json.loads(resp.read())["error"]["message"]) == (413, "request body is over the limit of 4000 bytes")
    conn.close()


def test_concurrent_requests_all_answered_alike(server):
    results = []

    def client():
        for _ in range(5):
            results.append(server.request("POST", "/v1/check", {"text": ARTICLE, "format": "markdown"})[:2])

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 40
    assert all(status == 200 for status, _ in results)
    assert len({json.dumps(body, sort_keys=True) for _, body in results}) == 1


def test_access_log_is_one_json_object_per_request(server):
    server.request("GET", "/healthz")
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any('"/healthz"' in line for line in server.log):
        time.sleep(0.05)
    entry = json.loads([line for line in server.log if '"/healthz"' in line][-1])
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert set(entry) == {"ts", "client", "method", "path", "status", "bytes", "ms"}


def test_bearer_token_from_the_environment(site):
    s = Server(site, "--config", str(site / ".copydesk.yaml"), token="s3cret")
    try:
        status, body, headers = s.request("POST", "/v1/check", {"text": ARTICLE})
        assert status == 401 and body["error"]["code"] == "unauthorized"
        assert headers["www-authenticate"] == 'Bearer realm="copydesk"'
        assert s.request("GET", "/v1/rules", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert s.request("POST", "/v1/check", {"text": ARTICLE}, {"Authorization": "Bearer s3cret"})[0] == 200
        assert s.request("GET", "/healthz")[0] == 200  # a load balancer's probe carries no token
    finally:
        assert s.stop() == 0


def test_configuration_change_reloads_the_rules(tmp_path):
    config = tmp_path / ".copydesk.yaml"
    config.write_text("fail_on: error\n", encoding="utf-8")
    s = Server(tmp_path)  # configuration discovered from the working directory
    try:
        before = s.request("POST", "/v1/check", {"text": ARTICLE})[1]
        assert "PROMO205" in [d["rule"] for d in before["files"][0]["diagnostics"]]
        config.write_text("fail_on: error\nignore: [PROMO205]\n", encoding="utf-8")
        st = config.stat()
        os.utime(config, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
        after = s.request("POST", "/v1/check", {"text": ARTICLE})[1]
        assert "PROMO205" not in [d["rule"] for d in after["files"][0]["diagnostics"]]
        assert after["ruleset"] != before["ruleset"]
        config.write_text("fail_on: fatal\n", encoding="utf-8")
        os.utime(config, ns=(st.st_atime_ns, st.st_mtime_ns + 4_000_000_000))
        status, body, _ = s.request("POST", "/v1/check", {"text": ARTICLE})
        assert (status, body["error"]["code"]) == (503, "bad_configuration")
        assert body["error"]["message"] == f"{config}:1 error: key 'fail_on': must be one of: error, warning, info"
    finally:
        assert s.stop() == 0


def test_bad_configuration_stops_the_start(tmp_path):
    (tmp_path / "bad.yaml").write_text("colour: red\n", encoding="utf-8")
    out = copydesk("serve", "--port", "0", "--config", str(tmp_path / "bad.yaml"), cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.startswith(f"{tmp_path / 'bad.yaml'}:1 error: key 'colour': unknown key")
    assert "Traceback" not in out.stderr


def test_sigterm_finishes_the_request_in_flight(site):
    s = Server(site, "--config", str(site / ".copydesk.yaml"))
    body = json.dumps({"text": FIXABLE}).encode()
    host, port = s.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.putrequest("POST", "/v1/check")
    conn.putheader("Content-Length", str(len(body)))
    conn.putheader("Content-Type", "application/json")
    conn.endheaders()
    conn.send(body[:10])  # the request has begun when the server is told to stop
    time.sleep(0.3)
    s.proc.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    assert s.proc.poll() is None  # still finishing the request
    conn.send(body[10:])
    resp = conn.getresponse()
    assert resp.status == 200 and json.loads(resp.read())["files"][0]["format"] == "markdown"
    conn.close()
    assert s.proc.wait(timeout=15) == 0
    s.proc.stdout.close()


def test_a_configuration_created_later_is_picked_up(tmp_path):
    s = Server(tmp_path)  # no configuration: the defaults
    try:
        assert "PROMO205" in [d["rule"] for d in s.request("POST", "/v1/check", {"text": ARTICLE})[1]["files"][0]["diagnostics"]]
        (tmp_path / ".copydesk.yaml").write_text("ignore: [PROMO205]\n", encoding="utf-8")
        after = s.request("POST", "/v1/check", {"text": ARTICLE})[1]
        assert "PROMO205" not in [d["rule"] for d in after["files"][0]["diagnostics"]]
    finally:
        assert s.stop() == 0
