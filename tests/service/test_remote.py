"""`copydesk check-remote` (the `copydesk-server` pre-commit hook) against a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from .test_service import Server

PROMO = "# Acme\n\nAcme (NASDAQ: ACME) is a sure thing.\n"
CLEAN = "# Rates on hold\n\nThe Fed held rates, officials said.\n"


def run(cwd, *args, server=None, token=None):
    env = {k: v for k, v in os.environ.items() if k not in ("COPYDESK_SERVER", "COPYDESK_SERVE_TOKEN")}
    if server:
        env["COPYDESK_SERVER"] = server
    if token:
        env["COPYDESK_SERVE_TOKEN"] = token
    return subprocess.run([sys.executable, "-m", "linter", "check-remote", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    (folder / ".copydesk.yaml").write_text("fail_on: error\n", encoding="utf-8")
    (folder / "promo.md").write_text(PROMO, encoding="utf-8")
    (folder / "clean.md").write_text(CLEAN, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(repo):
    s = Server(repo, token="hook-token")
    yield s
    assert s.stop() == 0


def test_findings_come_from_the_server(repo, server):
    out = run(repo, "promo.md", "clean.md", server=server.url, token="hook-token")
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert "promo.md:3:26: error PROMO202 Claims an investment cannot lose: 'sure thing'" in lines
    assert all(line.startswith("promo.md:") for line in lines)
    assert out.stderr == ""
    assert '"path": "/v1/check", "status": 200' in "".join(server.log)


def test_clean_files_pass(repo, server):
    out = run(repo, "clean.md", server=server.url, token="hook-token")
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")


def test_a_refused_token_is_an_error_not_a_pass(repo, server):
    out = run(repo, "clean.md", server=server.url, token="wrong")
    assert out.returncode == 2
    assert out.stderr.startswith("clean.md: error: the server answered 401: missing or wrong bearer token")


def test_unreachable_server_falls_back_to_a_local_check(repo):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = run(repo, "promo.md", server=f"http://127.0.0.1:{port}")
    assert out.returncode == 1
    assert out.stderr.startswith(f"copydesk check-remote: note: cannot reach http://127.0.0.1:{port}: ")
    assert "promo.md:3:26: error PROMO202 Claims an investment cannot lose: 'sure thing'" in out.stdout


def test_no_server_configured_checks_locally(repo):
    out = run(repo, "promo.md")
    assert out.returncode == 1
    assert out.stderr.startswith("copydesk check-remote: note: no server configured (--server or $COPYDESK_SERVER); checking locally")
    assert "promo.md:3:26: error PROMO202" in out.stdout


class FakeServer:
    """A stand-in for `copydesk serve` that gives the answers in `script` in turn (a dict: a
    200 JSON body; None: the connection dropped without an answer)."""

    def __init__(self, script):
        import http.server
        import json
        import threading

        answers = list(script)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                answer = answers.pop(0) if answers else None
                if answer is None:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def report(path, rule="PROMO202", publishable=False):
    diagnostics = [] if publishable else [{"line": 3, "column": 26, "severity": "error", "rule": rule, "message": "m"}]
    return {"version": 1, "files": [{"path": path, "diagnostics": diagnostics}], "publishable": publishable}


def test_a_server_lost_midway_keeps_the_findings_it_gave(repo):
    """The server (stricter than the local rules) failed the first file, then went away; the
    rest were checked locally, clean: that used to exit 0, a pass, after printing an error
    (and checked the first file again)."""
    (repo / "clean2.md").write_text(CLEAN, encoding="utf-8")
    fake = FakeServer([report("clean.md"), None])
    try:
        out = run(repo, "clean.md", "clean2.md", server=fake.url)
    finally:
        fake.close()
        (repo / "clean2.md").unlink()
    assert out.returncode == 1
    assert out.stdout == "clean.md:3:26: error PROMO202 m\nNo problems found in 1 file.\n"  # clean2.md, locally
    assert out.stderr.startswith(f"copydesk check-remote: note: cannot reach {fake.url}: ")
    assert out.stderr.rstrip().endswith("; checking locally")


@pytest.mark.parametrize("answer", [{}, {"files": []}, {"files": [{"diagnostics": [{"line": 1}]}]}, [1, 2]])
def test_an_answer_that_is_not_a_report_is_an_error(repo, answer):
    """COPYDESK_SERVER pointing at some other service answering 200 is an error, not a
    traceback and not a pass."""
    fake = FakeServer([answer])
    try:
        out = run(repo, "clean.md", server=fake.url)
    finally:
        fake.close()
    assert (out.returncode, out.stdout) == (2, "")
    assert out.stderr == f"clean.md: error: the answer from {fake.url} is not a copydesk report\n"


def test_a_token_with_a_secret_files_newline_is_sent_without_it(repo, server):
    out = run(repo, "clean.md", server=server.url, token="hook-token\n")
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "")
