"""`copydesk check` pays nothing for the language server or the HTTP service."""

from __future__ import annotations

import json
import subprocess
import sys

SERVER_MODULES = ("pygls", "lsprotocol", "starlette", "uvicorn", "anyio", "h11", "linter.lsp", "linter.service")

PROBE = """
import io, json, sys
from linter.cli import main
sys.stdin = io.TextIOWrapper(io.BytesIO(b"This stock is risk-free.\\n"))
sys.stdout = io.StringIO()
code = main(["check", "--stdin-filename", "a.md", "-"])
sys.stdout = sys.__stdout__
print(json.dumps([code, sorted(m for m in sys.modules if m.split(".")[0] in {0} or m in {0})]))
"""


def test_check_imports_no_server_stack(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE.replace("{0}", repr(set(SERVER_MODULES)))],
                         capture_output=True, text=True, cwd=tmp_path)
    code, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert code == 1  # it did check: PROMO202
    assert loaded == []


def test_help_lists_serve_and_lsp_without_importing_them(tmp_path):
    probe = ("import sys\nfrom linter.cli import build_parser\nh = build_parser().format_help()\n"
             f"print('serve' in h, 'lsp' in h, sorted(m for m in sys.modules if m.split('.')[0] in {set(SERVER_MODULES)!r} "
             f"or m in {set(SERVER_MODULES)!r}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert out.stdout.strip() == "True True []"
