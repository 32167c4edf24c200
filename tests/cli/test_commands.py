"""Every sub-command lives in linter/commands/, and a run imports only the invoked one's module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent.parent
ARTICLE = ROOT / "examples" / "halvorsen-drilling-halt.md"

PROBE = """
import io, json, sys
from linter.cli import main
sys.stdout = io.StringIO()
code = main({argv!r})
sys.stdout = sys.__stdout__
print(json.dumps([code, sorted(m for m in sys.modules if m.startswith("linter.commands."))]))
"""


def test_every_command_has_its_module():
    for name, (module, function) in COMMANDS.items():
        assert (ROOT / "linter" / "commands" / f"{module}.py").is_file(), name
        source = (ROOT / "linter" / "commands" / f"{module}.py").read_text(encoding="utf-8")
        assert f"def {function}(args)" in source, name


@pytest.mark.parametrize(("argv", "code", "modules"), [
    (["check", str(ARTICLE)], 0, ["linter.commands.check", "linter.commands.common"]),
    (["parse", str(ARTICLE)], 0, ["linter.commands.parse"]),
    (["config"], 0, ["linter.commands.config"]),
    (["rules", "--format", "json"], 0, ["linter.commands.rules"]),
])
def test_only_the_invoked_commands_module_is_imported(tmp_path, argv, code, modules):
    out = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv)], capture_output=True, text=True, cwd=tmp_path,
                         check=False)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [code, modules], out.stderr


@pytest.mark.parametrize("argv", [
    ["check", "--format", "json", "--jobs", "2", "--select", "ATTR", "a.md", "b.txt"],
    ["report", "archive/", "-o", "report.html", "--detail", "50"],
    ["serve", "--port", "0", "--fail-on", "warning"],
    ["check-remote", "a.md", "--timeout", "2.5"],
])
def test_a_command_parsed_with_its_own_options_alone_reads_as_with_all(argv):
    """`main` builds only the invoked command's options; the arguments read the same."""
    from linter.cli import build_parser

    alone = build_parser(argv[0])
    assert "{" + argv[0] + "}" in alone.format_usage()  # that command alone
    assert vars(alone.parse_args(argv)) == vars(build_parser().parse_args(argv))
