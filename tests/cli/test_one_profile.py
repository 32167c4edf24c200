"""One run profile for every command: `check` and `report` read the same configuration the
same way (per-path ignores, cues, JSON field map, symbols), and read it once per run."""

from __future__ import annotations

import json

import pytest

from linter import config as config_module
from linter.cli import main

PROMO = ("---\ntitle: Northwind's lithium\nsponsored: true\nsponsor: Northwind Lithium\n---\n\n"
         "Northwind Lithium (CSE: NWL) is a sure thing, the company said.\n\n"
         "Disclosure: this article was paid for by Northwind Lithium, which paid $5,000. Not investment advice."
         " The author holds no positions.\n")
# the body is in `content_html` (the field map) and its disclaimer opens with "House note:" (a cue)
NOTED = {"id": "n1", "title": "Acme", "content_html": "<p>Acme ($ACME) rose.</p>"
         "<p>House note: not investment advice; we hold no positions.</p>"}
UNNOTED = {"id": "n2", "title": "Acme", "content_html": "<p>Acme ($ACME) rose.</p>"}
CONFIG = ("per_path_ignores:\n  'arts/*': [promotional]\n"
          "json_fields:\n  body: [content_html]\n"
          "cues:\n  sections:\n    disclaimer: ['^house note:']\n"
          "symbols_file: symbols.list\n")


@pytest.fixture(autouse=True)
def _fresh_discovery():
    config_module.clear_caches()
    yield
    config_module.clear_caches()


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """archive/ (its configuration inside it) below the working directory."""
    root = tmp_path / "archive"
    root.mkdir()
    (root / ".copydesk.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "symbols.list").write_text("NWL\n", encoding="utf-8")
    for folder in ("arts", "news"):
        (root / folder).mkdir()
        (root / folder / "promo.md").write_text(PROMO, encoding="utf-8")
    (root / "news" / "noted.json").write_text(json.dumps(NOTED), encoding="utf-8")
    (root / "news" / "unnoted.json").write_text(json.dumps(UNNOTED), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return root


def _check_findings(capsys, *argv) -> set:
    code = main(["check", "archive", "--format", "json", *argv])
    assert code == 1
    data = json.loads(capsys.readouterr().out)
    return {(f["path"], d["rule"], d["line"], d["column"]) for f in data["files"] for d in f["diagnostics"]}


def _report_findings(capsys, out, *argv) -> set:
    assert main(["report", "archive", "-o", str(out), "--no-cache", *argv]) == 0
    capsys.readouterr()
    data = json.loads(out.read_text(encoding="utf-8"))
    return {(a["path"], f["rule"], f["line"], f["column"]) for a in data["articles"] for f in a["findings"]}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_and_report_agree_on_a_configured_archive(archive, tmp_path, capsys, jobs):
    checked = _check_findings(capsys, "--jobs", jobs)
    reported = _report_findings(capsys, tmp_path / "r.json", "--jobs", jobs)
    assert reported == checked
    assert checked == {
        ("archive/arts/promo.md", "DISC103", 2, 8),  # promotional is ignored under arts/ ...
        ("archive/news/promo.md", "DISC103", 2, 8),
        ("archive/news/promo.md", "PROMO202", 7, 35),  # ... and only there
        # the body read from content_html (column 51): a ticker and no disclaimer; noted.json's
        # "House note:" paragraph is its disclaimer (the cue), so it has no finding
        ("archive/news/unnoted.json", "DISC101", 1, 51),
        ("archive/news/unnoted.json", "DISC102", 1, 51),
    }


def test_the_configuration_is_read_once_per_run(archive, capsys, monkeypatch):
    reads: list[str] = []
    real = config_module.read_regular_text

    def counting(path, limit):
        reads.append(str(path).rsplit("/", 1)[-1])
        return real(path, limit)

    monkeypatch.setattr(config_module, "read_regular_text", counting)
    for argv in (["check", "archive", "--format", "json"],
                 ["check", "archive", "--format", "json", "--config", "archive/.copydesk.yaml"],
                 ["report", "archive", "-o", "r.json", "--no-cache", "--jobs", "1"]):
        reads.clear()
        config_module.clear_caches()
        assert main(argv) in (0, 1)
        capsys.readouterr()
        assert sorted(reads) == [".copydesk.yaml", "symbols.list"], argv


@pytest.mark.parametrize("name, promo_findings", [("archive/arts/new.md", []), ("archive/news/new.md", [("PROMO202", 7, 35)])])
def test_standard_input_takes_the_configuration_and_ignores_of_its_stdin_filename(archive, capsys, monkeypatch, name,
                                                                                 promo_findings):
    """An editor piping the article: the configuration is found upward from --stdin-filename
    (archive/.copydesk.yaml, not the working directory's) and its per-path ignores apply."""
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PROMO.encode("utf-8")), encoding="utf-8"))
    main(["check", "-", "--stdin-filename", name, "--format", "json"])
    found = [(d["rule"], d["line"], d["column"]) for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"]]
    assert [f for f in found if f[0].startswith("PROMO")] == promo_findings
    assert ("DISC103", 2, 8) in found
