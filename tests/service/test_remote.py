"""`copydesk check-remote` (the `copydesk-server` pre-commit hook) against a real server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from .test_service import Server  # noqa: E402

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
