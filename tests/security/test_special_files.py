"""Files a configuration or a committed link can name: a device, a FIFO or a huge file is a
one-line error with exit 2, never a read that fills memory or blocks for ever."""

from __future__ import annotations

import os

import pytest

from linter import safefile, source
from linter.cli import main
from tests.conftest import time_limit

ARTICLE = "# T\n\nText.\n"
NOT_REGULAR = "not a regular file (a device, pipe or socket)"


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def _run(args, capsys):
    with time_limit(20):
        code = main(args)
    return code, capsys.readouterr().err


def test_rule_file_that_is_a_device(tmp_path, capsys):
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert _run(["check", "--rules", "/dev/zero", str(tmp_path / "a.md")], capsys) == (
        2, f"/dev/zero error: cannot read rule file: {NOT_REGULAR}\n")


def test_configuration_that_is_a_fifo(tmp_path, fifo, capsys):
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert _run(["check", "--config", str(fifo), str(tmp_path / "a.md")], capsys) == (
        2, f"{fifo} error: cannot read configuration: {NOT_REGULAR}\n")


def test_symbols_file_that_is_a_fifo(tmp_path, fifo, capsys):
    cfg = tmp_path / ".copydesk.yaml"
    cfg.write_text(f"symbols_file: {fifo.name}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert _run(["check", "--config", str(cfg), str(tmp_path / "a.md")], capsys) == (
        2, f"{cfg}:1 error: key 'symbols_file': cannot read {fifo}: {NOT_REGULAR}\n")


def test_article_path_that_is_a_fifo(fifo, capsys):
    assert _run(["check", str(fifo)], capsys) == (2, f"{fifo}: error: cannot read: {NOT_REGULAR}\n")


def test_article_larger_than_the_limit(tmp_path, monkeypatch, capsys):
    big = tmp_path / "big.md"
    big.write_bytes(b"# T\n\n" + b"x" * (2 * safefile.MiB))
    monkeypatch.setattr(source, "ARTICLE_LIMIT", safefile.MiB)
    assert _run(["check", str(big)], capsys) == (2, f"{big}: error: cannot read: larger than 1 MiB\n")


def test_regular_file_within_the_limit_is_read_whole(tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"a" * (safefile.MiB + 3))
    assert safefile.read_regular(str(path), 2 * safefile.MiB) == b"a" * (safefile.MiB + 3)
