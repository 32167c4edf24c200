"""`copydesk lsp` with a hostile workspace: a pull request's `.copydesk.yaml` and rule files
sit next to the article the editor opens."""

from __future__ import annotations

import pytest

pytest.importorskip("pygls")

from .client import LspClient
from .test_lsp import codes, rng

TEXT = "# Title\n\nThis is evil and risk-free.\n"

HOSTILE_RULES = """ruleset: hostile
rules:
  - id: EVIL001
    name: evil.link
    category: promotional
    severity: error
    kind: forbidden
    message: "evil '{match}'"
    policy:
      ref: "House rule 7"
      url: "%s"
    options:
      patterns:
        - \\bevil\\b
"""


def session(folder):
    c = LspClient(cwd=folder)
    c.initialize(folder.as_uri())
    return c


def test_a_configuration_naming_standard_input_does_not_hang_the_server(tmp_path):
    """`symbols_file: /dev/stdin` used to read the editor's JSON-RPC stream until it closed:
    no diagnostics, no answer to shutdown, an editor waiting for ever.  A device is now no
    symbol list at all (linter/safefile.py): the configuration error shows as a diagnostic."""
    (tmp_path / ".copydesk.yaml").write_text("symbols_file: /dev/stdin\n", encoding="utf-8")
    c = session(tmp_path)
    try:
        uri = (tmp_path / "a.md").as_uri()
        c.open(uri, TEXT)
        assert codes(c.diagnostics(uri, timeout=20)) == [("CONFIG", rng(0, 0, 0, 0))]
    finally:
        assert c.close() == 0


@pytest.mark.parametrize("url", [
    "https://x.example> [run](command:workbench.action.terminal.new)",  # Markdown injected into the hover
    "command:workbench.action.terminal.new",
    "javascript:alert(1)",
])
def test_a_policy_link_that_is_not_a_plain_web_address_is_not_offered(tmp_path, url):
    (tmp_path / "hostile.yaml").write_text(HOSTILE_RULES % url, encoding="utf-8")
    (tmp_path / ".copydesk.yaml").write_text("rules: [hostile.yaml]\n", encoding="utf-8")
    c = session(tmp_path)
    try:
        uri = (tmp_path / "a.md").as_uri()
        c.open(uri, TEXT)
        evil = [d for d in c.diagnostics(uri)["diagnostics"] if d["code"] == "EVIL001"]
        assert evil == [{"range": rng(2, 8, 2, 12), "message": "evil 'evil'", "severity": 1, "code": "EVIL001",
                         "source": "copydesk", "data": {"index": 0}}]  # no codeDescription
        hover = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 9}})
        assert hover["contents"]["value"] == "**EVIL001** `evil.link` (error): evil 'evil'\n\nPolicy: House rule 7"
        actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng(2, 9, 2, 9),
                                                        "context": {"diagnostics": []}})
        assert [a["title"] for a in actions] == ["EVIL001: waive here (give the reason)"]
    finally:
        assert c.close() == 0


@pytest.mark.stress  # a document of many findings
def test_code_actions_over_a_document_of_many_findings_answer_promptly(tmp_path):
    """Select-all then quick fix on an article of 10,000 findings: each finding's index was
    looked up in the list (quadratic: tens of seconds with the server blocked)."""
    import time

    (tmp_path / ".copydesk.yaml").write_text("fail_on: error\n", encoding="utf-8")
    c = session(tmp_path)
    try:
        uri = (tmp_path / "a.md").as_uri()
        c.open(uri, "This stock is risk-free. " * 10_000 + "\n")
        assert len(c.diagnostics(uri, timeout=60)["diagnostics"]) == 10_000
        started = time.monotonic()
        actions = c.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng(0, 0, 1, 0),
                                                        "context": {"diagnostics": []}}, timeout=120)
        assert time.monotonic() - started < 10
        assert [a["diagnostics"][0]["data"] for a in actions[:4:2]] == [{"index": 0}, {"index": 1}]
    finally:
        assert c.close() == 0
