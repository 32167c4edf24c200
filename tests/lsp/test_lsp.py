"""`copydesk lsp` as an editor meets it: a real session over stdio (tests/lsp/client.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from .client import LspClient

ARTICLE = "# Buy now 🚀🚀\n\nThis stock 🚀 is risk-free.\n\nAcme Corp. (NASDAQ: ACME) rose 5%.\n"


def rng(l1, c1, l2, c2):
    return {"start": {"line": l1, "character": c1}, "end": {"line": l2, "character": c2}}


def apply_edits(text: str, edits) -> str:
    """Apply LSP TextEdits (UTF-16 positions) the way an editor does."""
    lines = text.splitlines(keepends=True) + [""]

    def offset(pos):
        line = lines[pos["line"]]
        units = 0
        for i, ch in enumerate(line):
            if units >= pos["character"]:
                return sum(map(len, lines[:pos["line"]])) + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return sum(map(len, lines[:pos["line"]])) + len(line)

    for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        a, b = offset(e["range"]["start"]), offset(e["range"]["end"])
        text = text[:a] + e["newText"] + text[b:]
    return text


@pytest.fixture()
def workspace(tmp_path):
    (tmp_path / ".copydesk.yaml").write_text("fail_on: error\n", encoding="utf-8")
    return tmp_path


@pytest.fixture()
def client(workspace):
    c = LspClient(cwd=workspace)
    c.root = workspace
    yield c
    assert c.close() == 0


def uri_of(folder: Path, name: str) -> str:
    return (folder / name).as_uri()


def codes(diagnostics):
    return [(d["code"], d["range"]) for d in diagnostics["diagnostics"]]


def test_open_gives_diagnostics_with_utf16_ranges_around_emoji(client):
    result = client.initialize(client.root.as_uri())
    assert result["capabilities"]["positionEncoding"] == "utf-16"
    uri = uri_of(client.root, "draft.md")  # never saved: only the editor has the text
    client.open(uri, ARTICLE)
    got = client.diagnostics(uri)
    assert got["version"] == 1
    assert codes(got) == [
        ("PROMO205", rng(0, 2, 0, 9)),
        ("PROMO202", rng(2, 17, 2, 26)),  # after '🚀' (two UTF-16 units)
        ("ATTR201", rng(4, 0, 4, 34)),
        ("DISC101", rng(4, 0, 4, 34)),
        ("DISC102", rng(4, 0, 4, 34)),
    ]
    promo = got["diagnostics"][1]
    assert promo == {
        "range": rng(2, 17, 2, 26), "message": "Claims an investment cannot lose: 'risk-free'", "severity": 1,
        "code": "PROMO202", "codeDescription": {"href": "https://www.finra.org/rules-guidance/rulebooks/finra-rules/2210"},
        "source": "copydesk", "data": {"index": 1},
    }


@pytest.mark.parametrize("offered, chosen, start, end", [
    (["utf-8", "utf-16"], "utf-8", 19, 28),  # '🚀' is four bytes
    (["utf-32"], "utf-32", 16, 25),  # one code point
])
def test_negotiated_position_encoding(client, offered, chosen, start, end):
    assert client.initialize(client.root.as_uri(), offered)["capabilities"]["positionEncoding"] == chosen
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    assert ("PROMO202", rng(2, start, 2, end)) in codes(client.diagnostics(uri))


def test_change_checks_the_unsaved_text_once_typing_pauses(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, "# Acme\n\nAcme reported results, it said.\n")
    assert codes(client.diagnostics(uri)) == []
    text = "# Acme\n\nAcme reported results, it said.\n"
    for version, extra in enumerate(["Thi", "This is ri", "This is risk-fr", "This is risk-free."], start=2):
        client.change(uri, text + "\n" + extra + "\n", version)
    sent = time.perf_counter()
    at, got = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    assert got["version"] == 5  # the intermediate versions were never checked
    assert codes(got) == [("PROMO202", rng(4, 8, 4, 17))]
    assert at - sent < 2.0  # debounce (0.1 s) plus one check; benchmarks/service.py measures it


def test_fix_all_action_equals_check_fix(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    client.diagnostics(uri)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(0, 0, 0, 0), "context": {"diagnostics": []}})
    fix_all = [a for a in actions if a.get("kind") == "source.fixAll"]
    assert [a["title"] for a in fix_all] == ["copydesk: apply every fix (as check --fix)"]
    edits = fix_all[0]["edit"]["documentChanges"][0]["edits"]
    cli = subprocess.run([sys.executable, "-m", "linter", "check", "--fix", "--stdin-filename", "draft.md", "-"],
                         input=ARTICLE, capture_output=True, text=True, cwd=client.root)
    assert apply_edits(ARTICLE, edits) == cli.stdout
    assert cli.stdout.endswith("rose 5%.\n\nThis article is for information only. It is not investment advice and not a "
                               "recommendation to buy or sell any security.\n")


def test_quick_fix_inserts_the_rules_wording(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    client.diagnostics(uri)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(4, 3, 4, 3), "context": {"diagnostics": []}})
    disc = [a for a in actions if a["title"] == "DISC101: insert the house wording"]
    assert disc[0]["kind"] == "quickfix" and disc[0]["isPreferred"] is True
    assert disc[0]["edit"]["documentChanges"][0]["edits"] == [{
        "range": rng(4, 34, 4, 34),
        "newText": "\n\nThis article is for information only. It is not investment advice and not a recommendation "
                   "to buy or sell any security."}]


def test_waive_with_reason(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    client.diagnostics(uri)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(2, 20, 2, 20), "context": {"diagnostics": []}})
    waive = [a for a in actions if a["title"] == "PROMO202: waive here (give the reason)"]
    edits = waive[0]["edit"]["documentChanges"][0]["edits"]
    assert edits == [{"range": rng(2, 27, 2, 27), "newText": ' <!-- copydesk: disable-line=PROMO202 reason="" -->'}]
    waived = apply_edits(ARTICLE, edits)
    client.change(uri, waived, 2)
    # until the reason is written the directive waives nothing and is itself a finding
    got = [(c, r["start"]["line"]) for c, r in codes(client.diagnostics(uri, version=2))]
    assert ("PROMO202", 2) in got and ("SUPP001", 2) in got
    client.change(uri, waived.replace('reason=""', 'reason="quoted from the prospectus"'), 3)
    got = [c for c, _ in codes(client.diagnostics(uri, version=3))]
    assert "PROMO202" not in got and "SUPP001" not in got and "PROMO205" in got


def test_waive_in_plain_text_is_a_directive_line_above(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.txt")
    client.open(uri, "Acme\n\nThis stock is risk-free.\n", language="plaintext")
    assert ("PROMO202", rng(2, 14, 2, 23)) in codes(client.diagnostics(uri))
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(2, 15, 2, 15), "context": {"diagnostics": []}})
    waive = [a for a in actions if a["title"] == "PROMO202: waive here (give the reason)"]
    assert waive[0]["edit"]["documentChanges"][0]["edits"] == [
        {"range": rng(2, 0, 2, 0), "newText": '# copydesk: disable-next-line=PROMO202 reason=""\n'}]


def test_hover_shows_help_and_policy(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    client.diagnostics(uri)
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 18}})
    assert hover == {"contents": {"kind": "markdown", "value": (
        "**PROMO202** `promotional.risk-free` (error): Claims an investment cannot lose: 'risk\\-free'\n\n"
        "every investment carries risk; remove the claim or state the risks\n\n"
        "Policy: FINRA Rule 2210\\(d\\)\\(1\\)\\(B\\): no promissory, exaggerated or unwarranted statements "
        "<https://www.finra.org/rules-guidance/rulebooks/finra-rules/2210>")}, "range": rng(2, 17, 2, 26)}
    nothing = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 2}})
    assert nothing is None


def test_open_policy_asks_the_editor_to_show_it(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    client.diagnostics(uri)
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": rng(2, 20, 2, 20), "context": {"diagnostics": []}})
    command = [a for a in actions if a["title"].startswith("PROMO202: open the policy")][0]["command"]
    client.request("workspace/executeCommand", {"command": command["command"], "arguments": command["arguments"]})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not client.server_requests:
        time.sleep(0.02)
    assert [(r["method"], r["params"]) for r in client.server_requests] == [
        ("window/showDocument", {"uri": "https://www.finra.org/rules-guidance/rulebooks/finra-rules/2210", "external": True})]


def test_configuration_change_reloads_the_rules(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, ARTICLE)
    assert "PROMO205" in [c for c, _ in codes(client.diagnostics(uri))]
    config = client.root / ".copydesk.yaml"
    config.write_text("ignore: [PROMO205]\n", encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert "PROMO205" not in [c for c, _ in codes(client.diagnostics(uri))]
    config.write_text("ignore: [PROMO999]\n", encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    got = client.diagnostics(uri)["diagnostics"]
    assert [(d["code"], d["range"], d["severity"]) for d in got] == [("CONFIG", rng(0, 0, 0, 0), 1)]
    assert got[0]["message"].startswith(f"{config}:1 error: key 'ignore': unknown rule or category 'PROMO999' (closest: ")


def test_asks_the_editor_to_watch_configuration_files(client):
    client.request("initialize", {"processId": os.getpid(), "rootUri": client.root.as_uri(), "capabilities": {
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}})
    client.notify("initialized", {})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not client.server_requests:
        time.sleep(0.02)
    assert [(r["method"], r["params"]) for r in client.server_requests] == [("client/registerCapability", {
        "registrations": [{"id": "copydesk-configuration", "method": "workspace/didChangeWatchedFiles",
                           "registerOptions": {"watchers": [{"globPattern": "**/.copydesk.yaml"},
                                                            {"globPattern": "**/.copydesk.yml"},
                                                            {"globPattern": "**/pyproject.toml"}]}}]})]


def test_json_html_and_close(client):
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "story.json")
    client.open(uri, '{"headline": "Acme 🚀", "body": "This stock is risk-free."}', language="json")  # after "🚀": code point 46, UTF-16 unit 47
    assert ("PROMO202", rng(0, 47, 0, 56)) in codes(client.diagnostics(uri))
    html_uri = uri_of(client.root, "story.html")
    client.open(html_uri, "<h1>Acme</h1>\n<p>This stock is <b>risk-free</b>.</p>\n", language="html")
    assert ("PROMO202", rng(1, 20, 1, 29)) in codes(client.diagnostics(html_uri))
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri)["diagnostics"] == []


def test_bad_configuration_at_start_is_one_line(tmp_path):
    (tmp_path / "bad.yaml").write_text("colour: red\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "linter", "lsp", "--config", str(tmp_path / "bad.yaml")],
                         input="", capture_output=True, text=True, cwd=tmp_path, env=dict(os.environ))
    assert out.returncode == 2
    assert out.stderr.startswith(f"{tmp_path / 'bad.yaml'}:1 error: key 'colour': unknown key")
    assert "Traceback" not in out.stderr


def test_no_waive_action_inside_front_matter(client):
    """A comment appended to a front-matter line becomes part of the YAML value (and breaks
    the block: the finding then "disappears" only because the front matter no longer parses);
    a directive cannot reach a front-matter line, so none is offered there."""
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "draft.md")
    client.open(uri, "---\ntitle: This stock is risk-free\n---\n\nThis stock is risk-free.\n")
    assert codes(client.diagnostics(uri)) == [("PROMO202", rng(1, 21, 1, 30)), ("PROMO202", rng(4, 14, 4, 23))]

    def titles(line, character):
        actions = client.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": rng(line, character, line, character), "context": {"diagnostics": []}})
        return [a["title"] for a in actions]

    policy = "PROMO202: open the policy (FINRA Rule 2210(d)(1)(B): no promissory, exaggerated or unwarranted statements)"
    assert titles(1, 22) == [policy]
    assert titles(4, 15) == ["PROMO202: waive here (give the reason)", policy]


def test_an_unreadable_document_is_one_diagnostic_where_the_problem_is(client):
    """The READ diagnostic's column is copydesk's (code points); after three emoji the 'x' is
    code point 28 but UTF-16 unit 31."""
    client.initialize(client.root.as_uri())
    uri = uri_of(client.root, "story.json")
    client.open(uri, '{"headline": "🚀🚀🚀", "body": x}', language="json")
    got = client.diagnostics(uri)["diagnostics"]
    assert [(d["code"], d["range"], d["severity"], d["message"]) for d in got] == [
        ("READ", rng(0, 31, 0, 31), 1,
         "malformed JSON: unexpected character 'x': expected a JSON value (in the value of key 'body')")]
