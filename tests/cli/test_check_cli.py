"""`copydesk check` as a pipeline or a person runs it: every exit code, stdin, selection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent.parent
CLEAN = "# Rates on hold\n\nThe Fed held rates, officials said.\n"
TICKER = "# Acme\n\nAcme Corp. (NASDAQ: ACME) rose 5%, the company said.\n"
WARNING_ONLY = "# Acme\n\nShares will skyrocket.\n"


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_clean_article_exits_0(tmp_path, capsys):
    path = _write(tmp_path, "a.md", CLEAN)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == "No problems found in 1 file.\n"


def test_error_finding_exits_1_and_json_schema(tmp_path, capsys):
    path = _write(tmp_path, "a.md", TICKER)
    assert main(["check", str(path), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    assert data["summary"] == {"files": 1, "files_with_findings": 1, "files_unreadable": 0, "error": 2, "warning": 0, "info": 0}
    first = data["files"][0]["diagnostics"][0]
    assert (first["rule"], first["line"], first["column"], first["end_line"], first["end_column"]) == ("DISC101", 3, 1, 3, 53)
    assert first["match"] == TICKER.splitlines()[2]


def test_fail_on_controls_the_exit_code(tmp_path, capsys):
    path = _write(tmp_path, "a.md", WARNING_ONLY)
    assert main(["check", str(path)]) == 0
    assert main(["check", str(path), "--fail-on", "warning"]) == 1
    capsys.readouterr()


def test_select_and_ignore(tmp_path, capsys):
    path = _write(tmp_path, "a.md", TICKER)
    assert main(["check", str(path), "--ignore", "disclaimer", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["error"] == 0
    assert main(["check", str(path), "--select", "DISC102", "--format", "json"]) == 1
    rules = [d["rule"] for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]]
    assert rules == ["DISC102"]
    assert main(["check", str(path), "--select", "disclaimer.not-investment", "--format", "json"]) == 1
    rules = [d["rule"] for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]]
    assert rules == ["DISC101"]


def test_directory_walk_by_extension_and_summary(tmp_path, capsys):
    _write(tmp_path, "a.md", CLEAN)
    _write(tmp_path, "b.md", TICKER)
    _write(tmp_path, "notes.csv", "x,y\n")
    (tmp_path / ".hidden").mkdir()
    _write(tmp_path / ".hidden", "c.md", TICKER)
    assert main(["check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "Found 2 problems (2 errors) in 1 of 2 files."


@pytest.mark.parametrize(
    "argv, err",
    [
        (["check", "missing.md"], "missing.md: error: no such file\n"),
        (["check", "--fail-on", "fatal", "x.md"], "copydesk: error: argument --fail-on: invalid choice: 'fatal' (choose from "),
        (["check", "--rules", "nope.yaml", "x.md"], "nope.yaml error: rule file not found\n"),
    ],
)
def test_usage_and_io_errors_exit_2(argv, err, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) if "--fail-on" in argv else _nullcontext() as exc:
        code = main(argv)
    if "--fail-on" in argv:
        code = exc.value.code
    assert code == 2
    got = capsys.readouterr().err
    # argparse quotes the choices from Python 3.12 on: compare up to them
    assert got == err if err.endswith("\n") else (got.startswith(err) and got.count("\n") == 1)


class _nullcontext:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def test_unreadable_file_is_reported_and_others_still_checked(tmp_path, capsys):
    _write(tmp_path, "good.md", TICKER)
    (tmp_path / "bad.md").write_bytes(b"# T\n\n\xff\n")
    assert main(["check", str(tmp_path), "--format", "json"]) == 2
    out, err = capsys.readouterr()
    assert err == f"{tmp_path / 'bad.md'}:3:1: error: cannot decode byte 0xff as UTF-8 (invalid start byte)\n"
    assert json.loads(out)["summary"]["error"] == 2


def test_parse_problem_is_a_diagnostic_not_a_crash(tmp_path, capsys):
    path = _write(tmp_path, "a.html", "<div><p>Acme rose.</p>")
    assert main(["check", str(path), "--format", "json"]) == 0
    diags = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    assert [(d["rule"], d["severity"], d["message"], d["line"], d["column"]) for d in diags] == [
        ("PARSE", "warning", "unclosed <div> element", 1, 1)
    ]


def test_stdin_json_article_with_pointer():
    article = {"id": "x1", "headline": "Acme", "body": "<p>Acme ($ACME) rose.</p>"}
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "check", "-", "--input-format", "json", "--stdin-filename", "cms/x1.json", "--format", "json"],
        input=json.dumps(article).encode(),
        capture_output=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    f = data["files"][0]
    assert (f["path"], f["id"]) == ("cms/x1.json", "x1")
    d = f["diagnostics"][0]
    assert (d["rule"], d["pointer"], d["match"]) == ("DISC101", "/body", "Acme ($ACME) rose.")


def test_no_color_and_plain_output_when_piped(tmp_path):
    path = _write(tmp_path, "a.md", TICKER)
    env = {"PATH": "/usr/bin:/bin", "FORCE_COLOR": "1", "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "linter", "check", str(path)], capture_output=True, env=env, cwd=ROOT)
    assert b"\x1b[31" not in proc.stdout and b";31m" not in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "linter", "check", str(path)], capture_output=True, env={"PATH": "/usr/bin:/bin"}, cwd=ROOT)
    assert b"\x1b[" not in proc.stdout
    assert proc.stdout.startswith(f"{path}:3:1: error DISC101 Missing not-investment-advice".encode())


def test_rules_listing_names_every_shipped_rule(capsys):
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [
        "ATTR201", "DISC101", "DISC102", "DISC103", "DISC104", "DISC105", "DISC106",
        "PROMO201", "PROMO202", "PROMO203", "PROMO204", "PROMO205", "REG901", "REG902", "REG903", "SUPP001", "SUPP002",
        "UNV301", "UNV302", "UNV303", "UNV304", "UNV305", "UNV306", "UNV307",
        # the opt-in sets (rules/opt-in/), listed after the default ones
        "ADV701", "ADV702", "ADV703", "AFF801", "AFF802", "CRY601", "CRY602",
        "REC401", "REC402", "REC403", "REC404", "REC405", "REC406", "REC407", "UKP501", "UKP502",
    ]
    assert all(r["policy"] for r in listed)


def test_seed_shaped_example_passes_not_advice_and_variant_fails(tmp_path, capsys):
    example = (ROOT / "examples" / "halvorsen-drilling-halt.txt").read_text(encoding="utf-8")
    ok = _write(tmp_path, "ok.txt", example)
    assert main(["check", str(ok), "--select", "DISC101"]) == 0
    paragraphs = example.split("\n\n")
    without_block = "\n\n".join(p for p in paragraphs if not p.startswith("Information for this story"))
    bad = _write(tmp_path, "bad.txt", without_block)
    assert main(["check", str(bad), "--select", "DISC101", "--format", "json"]) == 1
    capsys.readouterr()


def test_real_seed_article_with_ticker_passes_and_without_its_block_fails(tmp_path, capsys):
    from ..conftest import SEED, need_shared

    seed = need_shared(SEED).read_text(encoding="utf-8")
    with_ticker = seed.replace("the Iraqi town of Zummar", "the Iraqi town of Zummar, near a Lockheed Martin (NYSE: LMT) site,")
    assert with_ticker != seed
    ok = _write(tmp_path, "seed.txt", with_ticker)
    assert main(["check", str(ok), "--select", "DISC101", "--format", "json"]) == 0
    capsys.readouterr()
    paragraphs = with_ticker.split("\n\n")
    bad = _write(tmp_path, "seed-bad.txt", "\n\n".join(p for p in paragraphs if not p.startswith("Information for this story")))
    assert main(["check", str(bad), "--select", "DISC101", "--format", "json"]) == 1
    d = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"][0]
    assert (d["rule"], d["line"], d["column"], d["message"]) == (
        "DISC101", 15, 1, "Missing not-investment-advice disclaimer (the article mentions 'NYSE: LMT')"
    )


def test_suppressed_findings_are_listed_for_the_audit(tmp_path, capsys):
    path = _write(
        tmp_path,
        "a.md",
        "# T\n\n<!-- copydesk: disable-next-line=promotional.risk-free reason=\"quoting the flyer\" -->\nIt is a sure thing.\n",
    )
    assert main(["check", str(path), "--format", "json"]) == 0
    f = json.loads(capsys.readouterr().out)["files"][0]
    assert f["diagnostics"] == []
    assert f["suppressed"] == [
        {"rule": "PROMO202", "name": "promotional.risk-free", "category": "promotional", "severity": "error",
         "message": "Claims an investment cannot lose: 'sure thing'", "line": 4, "column": 9, "end_line": 4,
         "end_column": 19, "start": 99, "end": 109, "reason": "quoting the flyer", "directive_line": 3}
    ]


def test_plain_text_hash_directive_range(tmp_path, capsys):
    path = _write(
        tmp_path,
        "a.txt",
        "Title\n\n# copydesk: disable=PROMO202 reason='satire'\nIt is a sure thing.\n# copydesk: enable\n\nIt is a sure bet.\n",
    )
    assert main(["check", str(path), "--format", "json"]) == 1
    f = json.loads(capsys.readouterr().out)["files"][0]
    assert [(d["rule"], d["line"], d["match"]) for d in f["diagnostics"]] == [("PROMO202", 7, "sure bet")]
    assert [(s["rule"], s["line"], s["reason"]) for s in f["suppressed"]] == [("PROMO202", 4, "satire")]


def test_seed_article_unverified_findings(capsys):
    from ..conftest import SEED, need_shared

    seed = need_shared(SEED)
    assert main(["check", str(seed), "--select", "UNV301,UNV303,UNV304,UNV306", "--format", "json"]) == 0
    found = [(d["rule"], d["match"]) for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]]
    for expected in [
        ("UNV301", "one unnamed official"),
        ("UNV303", "have not verified"),
        ("UNV306", "the source claims"),
        ("UNV303", "It was also unclear whether"),
        ("UNV303", "It also remains unconfirmed"),
        ("UNV304", "has been read as"),
    ]:
        assert expected in found, expected


def test_bundled_example_unverified_findings(capsys):
    assert main(["check", str(ROOT / "examples" / "halvorsen-drilling-halt.md"), "--select", "unverified", "--format", "json"]) == 0
    diags = json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]
    assert [(d["rule"], d["line"], d["column"], d["match"]) for d in diags if d["severity"] == "warning"] == [
        ("UNV301", 15, 76, "one unnamed official"),
        ("UNV303", 15, 156, "has not confirmed"),
        ("UNV303", 15, 202, "has not been independently verified"),
        ("UNV303", 15, 239, "It was also unclear whether"),
        ("UNV302", 19, 118, "reportedly"),
    ]


def test_seed_article_attribution_and_sourcing_note(capsys):
    from ..conftest import SEED, need_shared

    seed = need_shared(SEED)
    assert main(["check", str(seed), "--select", "attribution", "--format", "json"]) == 0
    f = json.loads(capsys.readouterr().out)["files"][0]
    matches = [d["match"] for d in f["diagnostics"]]
    assert any(m.startswith("The destroyed truck was seized for further investigation") for m in matches)
    assert not any("according to Reuters" in m for m in matches)
    assert [(n["line"], n["column"], n["text"]) for n in f["sourcing"]] == [
        (17, 1, "Information for this story was found via Reuters, and the sources and companies mentioned.")
    ]


def test_jobs_gives_the_same_output_in_the_same_order(tmp_path, capsys):
    for i, text in enumerate([TICKER, CLEAN, WARNING_ONLY, TICKER]):
        _write(tmp_path, f"a{i}.md", text)
    (tmp_path / "bad.md").write_bytes(b"# T\n\n\xff\n")
    assert main(["check", str(tmp_path), "--format", "json"]) == 2
    one_out, one_err = capsys.readouterr()
    assert main(["check", str(tmp_path), "--format", "json", "--jobs", "2"]) == 2
    two_out, two_err = capsys.readouterr()
    assert json.loads(one_out) == json.loads(two_out)
    assert one_err == two_err == f"{tmp_path / 'bad.md'}:3:1: error: cannot decode byte 0xff as UTF-8 (invalid start byte)\n"
