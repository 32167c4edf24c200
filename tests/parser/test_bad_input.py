"""Unreadable articles: one line on stderr naming file, line and column; exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from linter.cli import main
from linter.source import ArticleError, decode


def test_undecodable_bytes_name_line_and_column():
    with pytest.raises(ArticleError) as info:
        decode("a.txt", "Title\n\nCafé ok, then \xff bad".encode("latin-1").replace(b"Caf\xe9", "Café".encode()))
    assert str(info.value) == "a.txt:3:15: error: cannot decode byte 0xff as UTF-8 (invalid start byte)"


def test_binary_file():
    with pytest.raises(ArticleError) as info:
        decode("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert str(info.value) == "chart.png:3: error: binary file (NUL byte); expected a UTF-8 text article"


def test_bom_is_not_text_but_is_remembered():
    src = decode("a.md", b"\xef\xbb\xbf# T\n")
    assert src.text == "# T\n" and src.had_bom


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.md", None, "{path}: error: no such file"),
        ("empty.txt", b"", "{path}:1:1: error: empty article: the file has no text"),
        ("bad.json", b'{"headline": "x",\n "body": }', "{path}:2:10: error: malformed JSON: unexpected character '}}': expected a JSON value (in the value of key 'body')"),
        ("bin.txt", b"abc\x00def", "{path}:1: error: binary file (NUL byte); expected a UTF-8 text article"),
    ],
)
def test_cli_parse_unreadable_exits_2_with_one_line(tmp_path, capsys, name, content, expected):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code = main(["parse", str(path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err == expected.format(path=path) + "\n"


def test_cli_parse_partial_article_exits_1_with_parse_warning(tmp_path, capsys):
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: [x\n---\n\nAcme rose.\n", encoding="utf-8")
    code = main(["parse", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1
    assert err == (
        f"{path}:2:8: warning parse malformed front matter: while parsing a flow sequence, "
        "expected ',' or ']', but got '<stream end>' (key 'title')\n"
    )
    assert '"text": "Acme rose."' in out


def test_directory_is_not_an_article(tmp_path, capsys):
    assert main(["parse", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path}: error: is a directory, not an article\n"


def test_stdin_and_no_traceback_from_the_installed_command():
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "parse", "-", "--input-format", "json", "--format", "json"],
        input=b'{"headline": "A", "body": "B rose 5%."}',
        capture_output=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert b'"path": "<stdin>"' in proc.stdout
    proc = subprocess.run(
        [sys.executable, "-m", "linter", "parse", "-", "--input-format", "json"],
        input=b'{"headline": ',
        capture_output=True,
    )
    assert proc.returncode == 2
    assert proc.stderr == b"<stdin>:1:14: error: malformed JSON: unexpected end of JSON: expected a value (in the value of key 'headline')\n"


def test_byline_cue_cannot_backtrack_exponentially():
    """A long lower-case 'By ...' sentence once took minutes in the byline cue (nested
    quantifiers); it must parse at once.  The alarm only turns a hang into a failure."""
    import signal

    from linter.document import parse_document
    from linter.source import Source

    text = "T\n\nBy being steadfast and resolute and strong, by keeping our word, by supporting our troops, we can achieve the peace we all want.\n"
    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TimeoutError("byline cue hangs")))
    signal.alarm(10)
    try:
        doc = parse_document(Source("a.txt", text), "text")
    finally:
        signal.alarm(0)
    assert [s.kind for s in doc.sections] == ["headline", "body"]
