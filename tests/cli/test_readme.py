"""The documentation's samples are what the code prints (issue 18): every ```console block of
README.md and of the hand-written docs/ pages is run (at 80 columns, from the checkout) and
compared with the text; the --fix before/after pair of docs/cli.md is applied; the
`copydesk check` synopsis names exactly its options."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
PAGES = ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
CONSOLE = [(page, block) for page in PAGES
           for block in re.findall(r"^```console\n(.*?)^```", (ROOT / page).read_text(encoding="utf-8"), re.DOTALL | re.MULTILINE)]


def _env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "NO_COLOR")}
    env.update(COLUMNS="80", PYTHONUNBUFFERED="1", HOME=str(tmp_path))  # stderr and stdout in the order printed
    return env


def _script(block: str) -> tuple[str, str]:
    """A bash script that echoes each `$ command` and runs it (stderr with stdout), and the
    text it must print: the block itself."""
    lines = [f"copydesk() {{ {shlex.quote(sys.executable)} -m linter \"$@\"; }}"]
    for line in block.splitlines():
        if line.startswith("$ "):
            command = line[2:]
            lines.append(f"printf '%s\\n' {shlex.quote(line)}")
            lines.append("echo $rc" if command == "echo $?" else f"{command} 2>&1; rc=$?")
    return "\n".join(lines) + "\n", block


def test_setup_commands_are_the_steps_ci_runs():
    """README's two set-up commands run what .ci/run runs, in its order: the install and the
    main job on the bundled example, then the static checks and the tests."""
    setup = README[README.index("## Set-up"):README.index("## Ten seconds")]
    blocks = re.findall(r"```sh\n(.*?)\n```", setup, re.DOTALL)
    assert len(blocks) == 2 and all("\n" not in b for b in blocks)
    steps = [step.strip() for b in blocks for step in b.split("&&")]
    steps = [s for s in steps if not s.startswith(("python3 -m venv", ". .venv/bin/activate"))]
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    ci = [line.replace(" --quiet", "") for line in ci if line and not line.startswith(("#", "echo", "set ", "if ", "fi",
                                                                                       "exit", "status", "export",
                                                                                       "apt-get", "venv=", "cd ", "."))]
    ci = [line for line in ci if not line.startswith(("python3 -m venv", "python -m pip install --upgrade pip"))]
    assert steps == ci


def test_readme_has_console_samples():
    assert sum(page == "README.md" for page, _ in CONSOLE) >= 2
    assert len(CONSOLE) >= 5


@pytest.mark.parametrize("page,block", CONSOLE, ids=[f"{p}:{b.splitlines()[0][2:50]}" for p, b in CONSOLE])
def test_console_sample_is_what_the_command_prints(page, block, tmp_path):
    script, expected = _script(block)
    proc = subprocess.run(["bash", "-c", script], check=False, cwd=ROOT, capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert proc.stderr == ""
    assert proc.stdout == expected


def test_fix_before_and_after(tmp_path):
    m = re.search(r"\nBefore:\n\n```markdown\n(.*?)```\n\nAfter `copydesk check (--fix [^`]*) article\.md`, which prints\n"
                  r"`([^`]*)` on standard error and\n`([^`]*)`[^\n]*\n\n```markdown\n(.*?)```", CLI, re.DOTALL)
    assert m, "the --fix before/after pair of docs/cli.md"
    before, flags, err, out, after = m.groups()
    (tmp_path / "article.md").write_text(before, encoding="utf-8")
    run = [sys.executable, "-m", "linter", "check", *flags.split(), "article.md"]
    proc = subprocess.run(run, check=False, cwd=tmp_path, capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert (proc.returncode, proc.stderr, proc.stdout) == (0, err + "\n", out + "\n")
    assert (tmp_path / "article.md").read_text(encoding="utf-8") == after
    again = subprocess.run(run, check=False, cwd=tmp_path, capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert (again.returncode, again.stderr, again.stdout) == (0, "", out + "\n")
    assert (tmp_path / "article.md").read_text(encoding="utf-8") == after


def test_check_synopsis_names_every_option(capsys):
    from linter.cli import main

    synopsis = re.search(r"## `copydesk check`\n\n```\n(copydesk check .*?)```", CLI, re.DOTALL).group(1)
    named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", synopsis))
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    help_text = capsys.readouterr().out
    options = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z-]*)", help_text, re.MULTILINE)) - {"--help"}
    assert len(options) > 10
    assert named == options
