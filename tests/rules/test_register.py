"""The disclosures register (linter/disclosures.py): its errors name file, line and column; a
configured register reaches the register rules; --fix writes the disclosure from its data;
`copydesk rules` lists ids first within 80 columns; --coverage maps regulation elements to rules."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from linter.disclosures import RegisterError, load_register


def _run(args, cwd, columns=80):
    env = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", "COPYDESK_CACHE_DIR": str(cwd / ".cache")}
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=120)


def test_yaml_register_reads_entries_with_their_lines(tmp_path):
    f = tmp_path / "register.yaml"
    f.write_text("publisher: Example Media Ltd\nholdings:\n  - {holder: Jane Doe, ticker: GOOGL}\n"
                 "paid:\n  - {ticker: ACME, payer: Acme Corp., amount: '$5,000', period: March 2026}\n", encoding="utf-8")
    reg = load_register(str(f))
    assert reg["publisher"] == "Example Media Ltd"
    assert reg["holdings"] == [{"line": 3, "holder": "Jane Doe", "ticker": "GOOGL"}]
    assert reg["paid"] == [{"line": 5, "ticker": "ACME", "payer": "Acme Corp.", "amount": "$5,000", "period": "March 2026"}]


@pytest.mark.parametrize("text, expected", [
    ("holdings:\n  - {holder: Jane Doe, ticker: googl}\n",
     "register.yaml:2:32: error: key 'holdings.ticker': 'googl' is not a ticker symbol (capital letters and digits, e.g. ACME or RY.TO)"),
    ("holdings:\n  - {holder: Jane Doe}\n", "register.yaml:2:5: error: key 'holdings.ticker': missing required field"),
    ("paid:\n  - {ticker: ACME, payer: Acme, amount: '$1', colour: red}\n",
     "register.yaml:2:47: error: key 'paid.colour': unknown field (expected: ticker, payer, amount, period, service)"),
    ("positions: []\n", "register.yaml:1:1: error: key 'positions': unknown key (expected any of: publisher, holdings, paid, market_making, mandates)"),
    ("holdings: [\n", "register.yaml:2:1: error: invalid YAML: did not find expected node content"),
])
def test_yaml_register_errors_are_one_line_with_file_line_column(tmp_path, text, expected):
    f = tmp_path / "register.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError) as exc:
        load_register(str(f))
    assert str(exc.value) == str(tmp_path / expected)


@pytest.mark.parametrize("text, expected", [
    ("kind,holder,ticker\nholding,Jane Doe,GOOGL\nholding,John Roe,goog\n",
     "register.csv:3:18: error: key 'holdings.ticker': 'goog' is not a ticker symbol (capital letters and digits, e.g. ACME or RY.TO)"),
    ("kind,holder,ticker\nposition,Jane Doe,GOOGL\n",
     "register.csv:2:1: error: key 'kind': unknown kind 'position' (expected one of: publisher, holding, paid, market_making, mandate)"),
    ("kind,ticker,colour\n", "register.csv:1:13: error: unknown column 'colour' (expected: kind, holder, ticker, payer, amount, period, role, service)"),
    ("kind,ticker\nmarket_making,XYZ,extra\n", "register.csv:2:19: error: 3 fields where the header has 2"),
    ("kind,ticker,payer\npaid,ACME,Acme\n", "register.csv:2:1: error: key 'paid.amount': missing required field"),
])
def test_csv_register_errors_are_one_line_with_file_line_column(tmp_path, text, expected):
    f = tmp_path / "register.csv"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError) as exc:
        load_register(str(f))
    assert str(exc.value) == str(tmp_path / expected)


ARTICLE = "# Acme's new mine\n\nAcme Corp. (TSXV: ACME) is building a mine.\n\nNot investment advice.\n"


def test_a_configured_register_is_checked_and_fix_writes_the_disclosure_once(tmp_path):
    (tmp_path / ".copydesk.yaml").write_text("disclosures: register.csv\nselect: [REG902]\n", encoding="utf-8")
    (tmp_path / "register.csv").write_text("kind,holder,ticker,payer,amount,period\npublisher,Example Media Ltd,,,,\n"
                                           "paid,,ACME,Acme Corp.,\"$5,000\",March 2026\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    first = _run(["check", "--format", "concise", "a.md"], tmp_path)
    assert first.returncode == 1, first.stderr
    assert "a.md:3:19: error REG902 ACME: the register records a payment by Acme Corp. ($5,000) that the article does not disclose" in first.stdout
    assert _run(["check", "--fix", "a.md"], tmp_path).returncode == 0
    fixed = (tmp_path / "a.md").read_text(encoding="utf-8")
    assert fixed == ARTICLE + "\nDisclosure: Example Media Ltd was paid $5,000 by Acme Corp. for coverage of ACME (March 2026).\n"
    assert _run(["check", "--fix", "a.md"], tmp_path).returncode == 0
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == fixed  # once, not again


def test_a_bad_register_is_an_error_naming_file_line_column(tmp_path):
    (tmp_path / ".copydesk.yaml").write_text("disclosures: register.yaml\n", encoding="utf-8")
    (tmp_path / "register.yaml").write_text("holdings:\n  - {holder: Jane Doe, ticker: not a ticker}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    res = _run(["check", "a.md"], tmp_path)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        f"{tmp_path / 'register.yaml'}:2:32: error: key 'holdings.ticker': 'not a ticker' is not a ticker symbol (capital letters and digits, e.g. ACME or RY.TO)"]
    assert "Traceback" not in res.stderr


def test_opt_in_sets_run_only_when_named(tmp_path):
    art = "# Zeta presale\n\nThe Zeta token presale is open: buy now.\n"
    (tmp_path / "a.md").write_text(art, encoding="utf-8")
    off = _run(["check", "--format", "concise", "a.md"], tmp_path)
    assert "CRY60" not in off.stdout
    (tmp_path / ".copydesk.yaml").write_text("rule_sets: [default, crypto]\n", encoding="utf-8")
    on = _run(["check", "--format", "concise", "a.md"], tmp_path)
    assert "a.md:1:3: error CRY601" in on.stdout and "a.md:3:1: error CRY602" in on.stdout


def test_rules_lists_id_name_severity_category_within_80_columns(tmp_path):
    res = _run(["rules"], tmp_path, columns=80)
    assert res.returncode == 0
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["id", "name", "severity", "category", "runs"]
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    row = next(line for line in lines if line.startswith("CRY601"))
    assert row.split() == ["CRY601", "crypto.uk-risk-warning", "error", "disclaimer", "no"]
    assert next(line for line in lines if line.startswith("DISC101 ")).split()[-1] == "yes"
    assert any(line.startswith("DISC101 ") for line in lines)


def test_rules_coverage_maps_regulation_elements_to_rule_ids(tmp_path):
    res = _run(["rules", "--coverage", "--format", "json"], tmp_path)
    assert res.returncode == 0
    import json

    table = {row["element"]: row["rules"] for row in json.loads(res.stdout)}
    assert table["Regulation (EU) 2023/1114 (MiCA) Art. 7(1), point (e) (statement in crypto-asset marketing communications)"] == ["CRY602"]
    assert table["Editors' Code of Practice, clause 13 (financial journalism)"] == ["DISC102", "REG901"]
    assert "FINRA Rule 2241(c)" in table and set(table["FINRA Rule 2241(c)"]) == {"REC403", "REC407"}


def test_rules_test_fails_a_rule_no_example_makes_fire(tmp_path):
    (tmp_path / "r.yaml").write_text(
        "rules:\n  - id: HOUSE001\n    name: house.no-moon\n    category: promotional\n    severity: warning\n"
        "    kind: forbidden\n    message: m\n    policy: house\n    options: {phrases: [to the moon]}\n"
        "    examples:\n      pass: ['# A\\n\\nShares rose.\\n']\n", encoding="utf-8")
    res = _run(["rules", "--no-shipped-rules", "--test", "r.yaml"], tmp_path)
    assert res.returncode == 1
    assert "HOUSE001 house.no-moon: FAILED (1 example)" in res.stdout
    assert "no failing example: nothing shows that the rule fires" in res.stdout


def test_the_documented_register_example_is_what_the_command_prints(tmp_path):
    """docs/configuration.md's worked example (its register, article and output) run as written."""
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "configuration.md").read_text(encoding="utf-8")
    section = doc[doc.index("### `disclosures`"):]
    register = re.search(r"```yaml\n# disclosures\.yaml\n(.*?)```", section, re.S).group(1)
    article = re.search(r"`acme\.md`:\n\n```markdown\n(.*?)```", section, re.S).group(1)
    sample = re.search(r"```text\n\$ (copydesk check --format concise --select REG acme\.md)\n(.*?)\$ (copydesk check --select REG --fix acme\.md)\n```",
                       section, re.S)
    (tmp_path / ".copydesk.yaml").write_text("disclosures: disclosures.yaml\n", encoding="utf-8")
    (tmp_path / "disclosures.yaml").write_text(register, encoding="utf-8")
    (tmp_path / "acme.md").write_text(article, encoding="utf-8")
    first = _run(sample.group(1).split()[1:], tmp_path)
    assert first.stdout == sample.group(2)
    assert _run(sample.group(3).split()[1:], tmp_path).returncode == 1  # REG901 is left for an editor
    fixed = (tmp_path / "acme.md").read_text(encoding="utf-8")
    sentence = re.search(r'`--fix` appends "(.*?)" \(once', section, re.S).group(1)
    assert fixed == article + "\n" + " ".join(sentence.split()) + "\n"
    (tmp_path / "disclosures.yaml").write_text("holdings:\n  - {holder: Jane Doe, ticker: Alphabet}\n", encoding="utf-8")
    bad = _run(["check", "acme.md"], tmp_path)
    error = re.search(r"exit code 2 \(`(.*?)`\)", section, re.S).group(1)
    assert bad.returncode == 2 and bad.stderr.strip() == str(tmp_path / " ".join(error.split()))
