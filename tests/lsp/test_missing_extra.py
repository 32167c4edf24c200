"""Without the extra installed, `copydesk lsp` / `serve` say which one to install (exit 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
sys.meta_path.insert(0, Block())
from linter.cli import main
sys.exit(main({argv!r}))
"""


@pytest.mark.parametrize("argv, blocked, message", [
    (["lsp"], {"pygls"}, "copydesk lsp: error: pygls is not installed; install it with: pip install 'copydesk[lsp]'"),
    (["serve", "--port", "0"], {"starlette", "uvicorn"},
     "copydesk serve: error: starlette is not installed; install it with: pip install 'copydesk[serve]'"),
])
def test_missing_extra_names_it(tmp_path, argv, blocked, message):
    out = subprocess.run([sys.executable, "-c", PROBE.format(blocked=blocked, argv=argv)], capture_output=True,
                         text=True, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert (out.returncode, out.stderr) == (2, message + "\n")
