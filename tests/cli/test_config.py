"""Configuration: discovery, overrides, per-path ignores, field maps, cues, and its errors."""

from __future__ import annotations

import json

import pytest

from linter.cli import main
from linter.config import discover

TICKER = "# Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%, the company said.\n"


@pytest.fixture(autouse=True)
def _fresh_discovery():
    discover.cache_clear()
    yield
    discover.cache_clear()


def _check_json(argv, capsys):
    code = main(argv + ["--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def test_yaml_config_found_upward_with_overrides(tmp_path, capsys):
    (tmp_path / ".copydesk.yaml").write_text(
        "ignore: [DISC102]\n"
        "severity:\n  DISC101: warning\n"
        "house_wording:\n  DISC101: Nothing here is advice.\n",
        encoding="utf-8",
    )
    sub = tmp_path / "desk" / "2026"
    sub.mkdir(parents=True)
    (sub / "a.md").write_text(TICKER, encoding="utf-8")
    code, data = _check_json(["check", str(sub / "a.md")], capsys)
    assert code == 0  # DISC101 is a warning now; DISC102 ignored
    [d] = data["files"][0]["diagnostics"]
    assert (d["rule"], d["severity"], d["help"]) == ("DISC101", "warning", 'add the house wording: "Nothing here is advice."')


def test_pyproject_tool_table_and_per_path_ignores(tmp_path, capsys):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.copydesk]\nfail_on = "warning"\n\n[tool.copydesk.per_path_ignores]\n"archive/**" = ["disclaimer"]\n',
        encoding="utf-8",
    )
    (tmp_path / "archive" / "old").mkdir(parents=True)
    (tmp_path / "archive" / "old" / "a.md").write_text(TICKER, encoding="utf-8")
    (tmp_path / "new.md").write_text(TICKER, encoding="utf-8")
    code, data = _check_json(["check", str(tmp_path)], capsys)
    assert code == 1
    by_file = {f["path"].rsplit("/", 1)[-1]: [d["rule"] for d in f["diagnostics"]] for f in data["files"]}
    assert by_file == {"a.md": [], "new.md": ["DISC101", "DISC102"]}


def test_json_field_map_and_section_cues(tmp_path, capsys):
    (tmp_path / ".copydesk.yaml").write_text(
        "json_fields:\n  body: [content_html]\n"
        "cues:\n  sections:\n    disclaimer: ['^house note:']\n",
        encoding="utf-8",
    )
    article = {"title": "Acme", "content_html": "<p>Acme ($ACME) rose.</p><p>House note: not investment advice; we hold no positions.</p>"}
    (tmp_path / "a.json").write_text(json.dumps(article), encoding="utf-8")
    code, data = _check_json(["check", str(tmp_path / "a.json")], capsys)
    assert code == 0, data
    assert main(["parse", str(tmp_path / "a.json"), "--format", "json"]) == 0


def test_config_command_shows_origins(tmp_path, capsys, monkeypatch):
    (tmp_path / ".copydesk.yaml").write_text("select: [disclaimer]\nfail_on: info\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["config", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["key"]: (r["value"], r["from"]) for r in data["values"]}
    assert rows["select"] == (["disclaimer"], f"{tmp_path / '.copydesk.yaml'}:1")
    assert rows["fail_on"] == ("info", f"{tmp_path / '.copydesk.yaml'}:2")
    assert rows["ignore"] == ([], "default")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("colour: red\n", "{p}:1 error: key 'colour': unknown key (expected one of: rule_sets, rules, select, ignore, fail_on, severity, options, house_wording, per_path_ignores, json_fields, cues, symbols, symbols_file, disclosures)"),
        ("select: DISC101\n", "{p}:1 error: key 'select': must be a list, got str"),
        ("severity:\n  DISC101: fatal\n", "{p}:2 error: key 'severity.DISC101': must be one of: error, warning, info"),
        ("severity:\n  DISC1234: info\n", "{p}:2 error: key 'severity.DISC1234': unknown rule id 'DISC1234' (closest: DISC102, DISC103, DISC104)"),
        ("options:\n  DISC101:\n    placement: middle\n", "{p}:2 error: key 'options.DISC101.placement': must be one of: anywhere, start, end"),
        ("rule_sets: [house]\n", "{p}:1 error: key 'rule_sets': unknown shipped rule set 'house' (expected any of: default, {sets})"),
        ("fail_on: [x\n", "{p}:2 error: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("cues:\n  sections:\n    disclaimer: ['(\\w+ ?)+$']\n", "{p}:1 error: key 'cues': sections.disclaimer: pattern '(\\\\w+ ?)+$' is unsafe: a repeated group contains an unbounded repeat (as in '(\\w+\\s*)*'), which can backtrack without end"),
        # every cue that holds a regex is checked: the voice lists, genre datelines, single patterns
        ("cues:\n  voice:\n    reported: ['(a|a)*b']\n", "{p}:1 error: key 'cues': voice.reported: pattern '(a|a)*b' is unsafe: alternatives that can match the same text are repeated (as in '(a|aa)+'), which can backtrack without end"),
        ("cues:\n  genres:\n    press_release: ['(a|aa)+$']\n", "{p}:1 error: key 'cues': genres.press_release: pattern '(a|aa)+$' is unsafe: alternatives that can match the same text are repeated (as in '(a|aa)+'), which can backtrack without end"),
        ("cues:\n  run_in_heading: '(x+x+)+y'\n", "{p}:1 error: key 'cues': run_in_heading: pattern '(x+x+)+y' is unsafe: a repeated group contains an unbounded repeat (as in '(\\w+\\s*)*'), which can backtrack without end"),
    ],
)
def test_config_errors_are_one_line_exit_2(tmp_path, capsys, text, expected):
    cfg = tmp_path / ".copydesk.yaml"
    cfg.write_text(text, encoding="utf-8")
    (tmp_path / "a.md").write_text(TICKER, encoding="utf-8")
    assert main(["check", str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    import yaml

    if "invalid YAML" in expected and yaml.__with_libyaml__:
        assert err.startswith(f"{cfg}:") and "invalid YAML" in err and err.count("\n") == 1
    else:
        assert err == expected.format(p=cfg, sets=_rule_set_names()) + "\n"


def _rule_set_names() -> str:
    """The shipped rule sets, then the opt-in ones, as the error lists them."""
    from linter.ruleset import loader

    optional = loader.optional_rule_files() if hasattr(loader, "optional_rule_files") else []
    return ", ".join(p.stem for p in [*loader.shipped_rule_files(), *optional])


def test_explicit_config_overrides_discovery(tmp_path, capsys):
    (tmp_path / ".copydesk.yaml").write_text("ignore: [disclaimer]\n", encoding="utf-8")
    other = tmp_path / "strict.yaml"
    other.write_text("select: [DISC101]\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(TICKER, encoding="utf-8")
    code, data = _check_json(["check", "--config", str(other), str(tmp_path / "a.md")], capsys)
    assert code == 1
    assert [d["rule"] for d in data["files"][0]["diagnostics"]] == ["DISC101"]


def test_symbols_from_the_list_and_the_file_and_refused_when_not_a_symbol(tmp_path):
    from linter.config import ConfigError, config_for, symbols_for

    (tmp_path / "syms.txt").write_text("ACME  # ours\n\nRY.TO\n", encoding="utf-8")
    (tmp_path / ".copydesk.yaml").write_text("symbols: [GLXY]\nsymbols_file: syms.txt\n", encoding="utf-8")
    assert symbols_for(config_for(str(tmp_path / "a.md"))) == {"GLXY", "ACME", "RY.TO"}
    (tmp_path / ".copydesk.yaml").write_text("symbols: [Acme]\n", encoding="utf-8")
    config_for.cache_clear() if hasattr(config_for, "cache_clear") else None
    with pytest.raises(ConfigError) as exc:
        config_for(str(tmp_path / "b" / "a.md"))
    assert "'Acme' is not a ticker symbol" in str(exc.value)


def test_a_configured_position_wording_is_inserted_once_and_satisfies_its_rule(tmp_path, capsys):
    """Issue 18: copydesk inserts a position disclosure only from the publisher's wording."""
    (tmp_path / ".copydesk.yaml").write_text(
        "select: [DISC102]\nhouse_wording:\n  DISC102: Markets Daily staff hold no shares in the companies named.\n",
        encoding="utf-8",
    )
    path = tmp_path / "a.md"
    path.write_text("# Acme\n\nAcme ($ACME) rose.\n", encoding="utf-8")
    assert main(["check", "--fix", str(path)]) == 0
    capsys.readouterr()
    assert path.read_text(encoding="utf-8") == (
        "# Acme\n\nAcme ($ACME) rose.\n\nMarkets Daily staff hold no shares in the companies named.\n"
    )
    assert main(["check", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8").count("Markets Daily staff") == 1
