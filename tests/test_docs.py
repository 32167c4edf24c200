"""The documentation says what the code does: the generated references (docs/rules.md,
docs/kinds.md) are fresh, and the hand-written ones name every sub-command option, every
configuration key and every key of the JSON outputs, and link only to what exists."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "200", "COPYDESK_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "linter", *args], check=False, cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def test_generated_docs_are_fresh():
    from linter.docgen import stale

    assert stale() == [], "generated docs are stale: run `python -m linter.docgen` and commit docs/"


def test_generated_docs_name_every_rule_and_kind():
    from linter.checks import KINDS

    rules_md, kinds_md = _read("docs/rules.md"), _read("docs/kinds.md")
    ids = re.findall(r"^  - id: (\S+)", "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "rules").rglob("*.yaml"))), re.MULTILINE)
    assert len(ids) >= 40
    for rule_id in ids:
        assert f"\n### {rule_id}\n" in rules_md
    for name in KINDS:
        assert f"\n## {name}\n" in kinds_md


def _subcommands() -> list[str]:
    help_text = _run("--help").stdout
    return re.search(r"\{([a-z,-]+)\}", help_text).group(1).split(",")


def test_cli_reference_names_every_option_of_every_subcommand():
    cli_md = _read("docs/cli.md")
    commands = _subcommands()
    assert {"check", "report", "rules", "config", "parse", "serve", "lsp", "check-remote"} <= set(commands)
    for command in commands:
        m = re.search(rf"^## `copydesk {re.escape(command)}`.*?(?=^## |\Z)", cli_md, re.DOTALL | re.MULTILINE)
        assert m, f"docs/cli.md has no section '## `copydesk {command}`'"
        section = m.group(0)
        help_text = _run(command, "--help").stdout
        options = set(re.findall(r"^\s+(?:-\w(?: \S+)?, )?(--[a-z][a-z-]*)", help_text, re.MULTILINE)) - {"--help"}
        assert options, command
        named = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", section))
        assert options <= named, f"copydesk {command}: docs/cli.md does not name {sorted(options - named)}"
        assert named - options - {"--help"} <= _OTHER_COMMANDS_OPTIONS, f"copydesk {command}: docs/cli.md names unknown {sorted(named - options)}"


# options of other commands a section may mention in passing (check's --fix in report, ...),
# and of the benchmark script that builds a demo archive
_OTHER_COMMANDS_OPTIONS = {"--synthetic", "--fix", "--diff", "--format", "--select", "--ignore", "--explain", "--fail-on", "--jobs",
                           "--config", "--rules", "--input-format", "--diff-base", "--baseline", "--write-baseline"}


def test_configuration_reference_names_every_key():
    config_md = _read("docs/configuration.md")
    keys = [row["key"] for row in json.loads(_run("config", "--format", "json").stdout)["values"]]
    assert len(keys) >= 10
    for key in keys:
        assert f"### `{key}`" in config_md, f"docs/configuration.md has no '### `{key}`'"


def _keys(value, out: set) -> set:
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            _keys(v, out)
    elif isinstance(value, list):
        for v in value:
            _keys(v, out)
    return out


def _documented(text: str) -> set:
    return set(re.findall(r'`"?([a-z_]+)"?`', text)) | set(re.findall(r'"([a-z_]+)":', text))


def test_json_schema_names_every_key_of_check_output(tmp_path):
    schema_md = _read("docs/json-schema.md")
    (tmp_path / "waived.md").write_text(
        "---\ntitle: T\n---\n\nIt is a sure thing. <!-- copydesk: disable-line=PROMO202 reason=\"quoted\" -->\n\n"
        "Revenue rose 4.2% to $1.3 billion, the company said.\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "cms.json").write_text('{"id": "a-1", "headline": "Hype", "body": "<p>It is a sure thing.</p>"}', encoding="utf-8")
    seen: set = set()
    proc = _run("check", "--format", "json", "--explain", str(ROOT / "examples"), str(tmp_path))
    assert proc.returncode == 2, proc.stderr  # broken.json cannot be read
    _keys(json.loads(proc.stdout), seen)
    stream = subprocess.run([sys.executable, "-m", "linter", "check", "--input-format", "jsonl", "-"], check=False, cwd=tmp_path,
                            input='{"id": "a1", "body": "It is a sure thing."}\nnot json\n', capture_output=True,
                            text=True, timeout=300)
    for line in stream.stdout.splitlines():
        _keys(json.loads(line), seen)
    assert {"version", "files", "diagnostics", "fix", "suppressed", "not_flagged", "pointer", "error", "line"} <= seen
    missing = seen - _documented(schema_md)
    assert not missing, f"docs/json-schema.md does not name {sorted(missing)}"


def test_json_schema_names_every_key_of_the_report(tmp_path):
    schema_md = _read("docs/json-schema.md")
    out = tmp_path / "report.json"
    proc = _run("report", str(ROOT / "examples"), "-o", str(out), "--no-cache", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["version"] == 2
    seen = _keys({k: v for k, v in report.items() if not k.startswith("by_")}, set())
    # by_rule, by_author, ... map names found in the archive (rule ids, authors) to counts
    seen |= {k for k in report if k.startswith("by_")}
    seen -= {r["id"] for r in report["rules"]}
    missing = seen - _documented(schema_md)
    assert not missing, f"docs/json-schema.md does not name {sorted(missing)}"


_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _prose(text: str) -> str:
    """The text outside fenced code blocks."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            out.append(line)
    return "\n".join(out)


def _anchors(path: Path) -> set:
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", _prose(path.read_text(encoding="utf-8")), re.MULTILINE)}


DOC_FILES = ["README.md", "CONTRIBUTING.md", "benchmarks/README.md", *sorted(p.relative_to(ROOT).as_posix() for p in DOCS.glob("*.md"))]


@pytest.mark.parametrize("name", DOC_FILES)
def test_links_lead_somewhere(name):
    path = ROOT / name
    text = _prose(path.read_text(encoding="utf-8"))
    for target in _LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        dest = (path.parent / file).resolve() if file else path
        assert dest.exists(), f"{name}: link to {target}: no such file"
        if anchor and dest.suffix == ".md":
            assert anchor in _anchors(dest), f"{name}: link to {target}: no such heading"
