"""Hostile input: every parser, the whole check and every output format, and the rule loader.

The property, for any input: a clean result or a clear one-line error and a known exit code,
never a traceback, never a hang (each case runs under a time limit), and every position
inside the source.  Bounded for CI; a longer run:

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py     (20x the examples: SCALE)
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stderr, redirect_stdout

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.cli import main
from linter.engine import check_source
from linter.ruleset import RuleFileError, load_rule_sets, shipped_rule_files
from linter.source import ArticleError, decode
from tests.conftest import time_limit

settings.register_profile("fuzz", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
# a test's own `max_examples` wins over the profile's: scale it for the longer run
SCALE = 20 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 1

FORMATS = {"markdown": "md", "html": "html", "text": "txt", "json": "json"}
REPORTERS = ("text", "concise", "json", "github", "sarif")
RULES = load_rule_sets(shipped_rule_files()).rules

pytestmark = pytest.mark.stress  # fuzzing: thousands of generated inputs, a 10 MB line




def assert_checks_cleanly(path: str, data: bytes, fmt: str, seconds: int = 10) -> None:
    """Decode, parse and check `data`; an unreadable article must be an ArticleError."""
    with time_limit(seconds):
        try:
            source = decode(path, data)
        except ArticleError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(path)
            return
        result = check_source(source, RULES, fmt)
    n = len(source.text)
    if result.error is not None:
        assert "\n" not in str(result.error) and str(result.error).startswith(path)
        return
    for d in result.diagnostics:
        assert 0 <= d.start <= d.end <= n, (d.rule, d.start, d.end, n)
        if d.primary is not None:
            assert d.start <= d.primary[0] <= d.primary[1] <= d.end
        line, col = source.position(d.start)
        assert line >= 1 and col >= 1
        if d.fix is not None:
            assert 0 <= d.fix.start <= d.fix.end <= n


def run_cli(tmp_path, name: str, data: bytes, *args: str, seconds: int = 20) -> tuple[int, str, str]:
    """`copydesk check` in this process, on one file; (exit code, stdout, stderr)."""
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with time_limit(seconds), redirect_stdout(out), redirect_stderr(err):
        code = main(["check", str(path), *args])
    return code, out.getvalue(), err.getvalue()


def assert_cli_output_is_clean(code: int, out: str, err: str, fmt: str) -> None:
    assert code in (0, 1, 2), (code, err)  # 3 would be an internal error
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
    if fmt in ("json", "sarif") and out:
        json.loads(out)
    out.encode("utf-8")  # writable to a UTF-8 stream, even when the article holds lone surrogates
    if fmt in ("text", "concise"):  # what a terminal or a CI log reads: nothing it would obey
        assert_inert(out)
    assert_inert(err)


def assert_inert(text: str) -> None:
    """No control character but line breaks and tabs, no line a CI runner reads as a command."""
    bad = [c for c in text if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]
    assert not bad, bad[:5]
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]


# -- generated input ------------------------------------------------------------------------
FRAGMENTS = [
    "Revenue rose 4.2% to $1.3 billion.", "Acme Corp (NASDAQ: ACME) said", " according to ", "\"", "\u201c", "\u201d",
    "'", "<p>", "</p>", "<div>", "<b>", "</i>", "<a href='", "'>", "&amp;", "&#x1F600;", "&#xD800;", "&bogus;",
    "<!--", "-->", "<script>", "</script>", "---\n", "title: x\n", "sponsored: [true\n", "# ", "> ", "- ", "1. ",
    "```", "[link](http://x)", "[^1]", "\\", "{", "}", "[", "]", ":", ",", "\"body\": \"", "\\ud800", "\\udc00",
    "\\ud83d\\ude00", "\\u0000", "\n", "\r\n", "\r", "\t", "\u00a0", "\u200b", "\u202e", "\ufeff", "😀", "İ", "ß",
    "copydesk: ignore[ATTR201]", "<!-- copydesk: ignore -->", " reportedly ", " sources said ", "Not investment advice.",
    "\x1b]52;c;eA==\x07", "\x1b[2J", "\x9b", "\x85", "\n::error::x\n", "[" * 50, "- - - - - - - - - - ",
    "date: 2026-02-30\n", "a: &a [x, x]\nb: [*a, *a]\n", "t: \"\\ud800\"\n", "\x01", "\x7f",
]
hostile_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(sorted(FORMATS)))
def test_random_bytes(data, fmt):
    assert_checks_cleanly(f"fuzz.{FORMATS[fmt]}", data, fmt)


@settings(max_examples=120 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text, st.sampled_from(sorted(FORMATS)))
def test_hostile_fragments(text, fmt):
    assert_checks_cleanly(f"fuzz.{FORMATS[fmt]}", text.encode("utf-8", "surrogatepass"), fmt)


@settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_text, st.sampled_from(sorted(FORMATS)), st.sampled_from(REPORTERS))
def test_hostile_fragments_through_the_cli(tmp_path, text, fmt, reporter):
    code, out, err = run_cli(tmp_path, f"fuzz.{FORMATS[fmt]}", text.encode("utf-8", "surrogatepass"), "--format", reporter)
    assert_cli_output_is_clean(code, out, err, reporter)


# -- named hostile shapes ---------------------------------------------------------------------
CLAIM = "Revenue rose 4.2% to $1.3 billion in the quarter."


@pytest.mark.parametrize(
    "name, data",
    [
        ("deep.html", ("<div>" * 20000 + f"<p>{CLAIM}</p>" + "</div>" * 20000).encode()),
        ("unclosed.html", f"<html><body><p>{CLAIM} <b>bold <i>both <a href='x".encode()),
        ("deep.md", ("# T\n\n" + "> " * 5000 + CLAIM + "\n").encode()),
        ("deeplist.md", ("# T\n\n" + "".join("  " * i + "- item\n" for i in range(1000))).encode()),
        ("quotes.md", f"# T\n\n\"{CLAIM} \u201c he said \u201c \" ' \u2018\n".encode()),
        ("frontmatter.md", f"---\ntitle: [unclosed\n---\n\n{CLAIM}\n".encode()),
        ("lonehigh.json", ('{"headline": "T", "body": "' + CLAIM + '\\ud800 more"}').encode()),
        ("lonelow.json", ('{"headline": "T\\udc00", "body": "' + CLAIM + '"}').encode()),
        ("reversed.json", ('{"headline": "T", "body": "\\ude00\\ud83d ' + CLAIM + '"}').encode()),
        ("pair.json", ('{"headline": "T", "body": "\\ud83d\\ude00 ' + CLAIM + '"}').encode()),
        ("nested.json", ("[" * 5000 + "]" * 5000).encode()),
        ("truncated.json", ('{"headline": "T", "body": "' + CLAIM).encode()),
        ("nul.txt", f"T\n\n{CLAIM}\x00\x00 more\n".encode()),
        ("crlf-mixed.txt", f"T\r\n\r{CLAIM}\n\r\n".encode()),
        ("bom-only.md", b"\xef\xbb\xbf"),
        ("invalid-utf8.md", b"# T\n\n" + CLAIM.encode() + b" \xff\xfe\xc3\x28\n"),
        ("utf16.txt", "T\n\nRevenue rose 4%.\n".encode("utf-16")),
    ],
)
@pytest.mark.parametrize("reporter", REPORTERS)
def test_hostile_shapes_through_the_cli(tmp_path, name, data, reporter):
    code, out, err = run_cli(tmp_path, name, data, "--format", reporter)
    assert_cli_output_is_clean(code, out, err, reporter)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf"])
def test_empty_documents_are_one_line_errors(tmp_path, fmt, data):
    code, out, err = run_cli(tmp_path, f"empty.{FORMATS[fmt]}", data)
    assert code == 2
    assert err.strip().endswith("error: empty article: the file has no text"), err


def test_a_10_mb_line_is_checked_without_a_hang(tmp_path):
    """Wire copy can be one line a paragraph; a pathological one must still finish."""
    line = (CLAIM + " Sources said the deal reportedly closed. ") * (10_000_000 // 80)
    code, out, err = run_cli(tmp_path, "long.txt", f"Headline\n\n{line}\n".encode(), "--format", "concise", seconds=120)
    assert_cli_output_is_clean(code, out, err, "concise")
    assert "ATTR201" in out and "UNV" in out


def test_a_paragraph_of_quoted_sentences_is_checked_without_a_hang(tmp_path):
    """Each quoted sentence looks for its speaker along the quote: once per paragraph, not
    once per sentence (20,000 sentences inside one open quote took minutes that way)."""
    body = '"' + " ".join(f"Revenue rose {i}% in the quarter." for i in range(20_000))
    code, out, err = run_cli(tmp_path, "quoted.md", f"# T\n\n{body}\n".encode(), "--format", "concise",
                             "--select", "ATTR201", seconds=60)
    assert_cli_output_is_clean(code, out, err, "concise")
    # quotes are left alone since b940d0b (only the author's voice needs a source), so the
    # property is the time limit: every sentence is still read, none is flagged
    assert out == "No problems found in 1 file.\n"


# -- the rule loader --------------------------------------------------------------------------
KEYS = ["id", "name", "category", "severity", "kind", "message", "help", "policy", "scope", "options", "when",
        "examples", "fix", "bogus"]
scalar = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=12),
                   st.sampled_from(["required", "forbidden", "cue", "claim", "error", "body", "(", "[a-", "(a+)+$",
                                    "mentions.ticker > 0", "front_matter.sponsored ==", "DISC999"]))
value = st.recursive(scalar, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS + ["cues", "patterns", "pass", "fail"]), inner, max_size=4), max_leaves=12)
rule = st.dictionaries(st.sampled_from(KEYS), value, max_size=9)


@settings(max_examples=150 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.fixed_dictionaries({"ruleset": scalar, "rules": st.lists(rule, max_size=3)}),
    value,
    st.text(max_size=200),
))
def test_rule_loader_gives_one_line_errors(tmp_path, document):
    path = tmp_path / "fuzz-rules.yaml"
    text = document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    from linter.checks import KINDS

    with time_limit(10):
        try:
            load_rule_sets([str(path)], kinds=KINDS)  # kinds given: never cached
        except RuleFileError as exc:
            message = str(exc)
            assert "\n" not in message and message.startswith(str(path)), message


# -- hostile front matter, configuration and every command (issue 17) -------------------------
YAML_PIECES = [
    "title: x\n", "date: 2026-02-30\n", "date: 2026-13-01\n", "n: 1" + "0" * 5000 + "\n", "a: &a [x, x, x, x]\n",
    "b: &b [*a, *a, *a, *a]\n", "c: [*b, *b, *b, *b]\n", "r: &r [*r]\n", "t: \"\\ud800\"\n", "u: \"\\x85\\x9b\"\n",
    "v: \"\x01\x1b\x7f\x85\x9b\"\n", "w: !!python/object:os.system [echo owned]\n", "x: !!binary AAAA\n",
    "y: " + "[" * 60 + "\n", "z: {" * 30 + "\n", "<<: *a\n", "? [a, b]\n: c\n", "sponsored: true\n",
    "tickers: [ACME]\n", "- list\n", "\t\n", "'\n", "\"\n", ":\n", "&x\n", "*y\n", "%YAML 1.1\n", "--- \n",
]
hostile_yaml = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=6), max_size=14).map("".join)


def run_command(tmp_path, argv: list[str], seconds: int = 20) -> tuple[int, str, str]:
    """Any `copydesk` command in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with time_limit(seconds), redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            code = exc.code
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=60 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_yaml, hostile_text, st.sampled_from(REPORTERS))
def test_hostile_front_matter_through_the_cli(tmp_path, front, body, reporter):
    data = f"---\n{front}---\n\n# T\n\n{body}\n".encode("utf-8", "surrogatepass")
    code, out, err = run_cli(tmp_path, "fm.md", data, "--format", reporter)
    assert_cli_output_is_clean(code, out, err, reporter)


@settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_yaml, st.sampled_from(["check", "config", "report"]))
def test_hostile_configuration_is_a_one_line_error(tmp_path, text, command):
    config = tmp_path / "c.yaml"
    config.write_text(text, encoding="utf-8", errors="surrogatepass")
    article = tmp_path / "a.md"
    article.write_text("# T\n\nIt is a sure thing.\n", encoding="utf-8")
    argv = {"check": ["check", "--config", str(config), str(article)],
            "config": ["config", "--config", str(config), "--format", "json"],
            "report": ["report", "--config", str(config), str(article), "-o", str(tmp_path / "r.json"), "--no-cache", "--jobs", "1"]}[command]
    code, out, err = run_command(tmp_path, argv)
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err and len(err.splitlines()) <= 1, err
    assert len(out) < 100_000  # an alias bomb is refused, not printed
    assert_inert(err)


@settings(max_examples=40 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_yaml)
def test_hostile_rule_file_yaml_is_a_one_line_error(tmp_path, text):
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    from linter.checks import KINDS

    with time_limit(10):
        try:
            load_rule_sets([str(path)], kinds=KINDS)
        except RuleFileError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(path)), str(exc)


@settings(max_examples=30 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_text, st.sampled_from(sorted(FORMATS)), st.sampled_from(["text", "json"]))
def test_hostile_articles_through_parse(tmp_path, text, fmt, out_format):
    path = tmp_path / f"p.{FORMATS[fmt]}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code, out, err = run_command(tmp_path, ["parse", str(path), "--format", out_format])
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err
    if out_format == "text":
        assert_inert(out)
    elif code != 2:
        json.loads(out)
    assert_inert(err)


@settings(max_examples=15 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(hostile_text, st.sampled_from(sorted(FORMATS))), min_size=1, max_size=4),
       st.sampled_from(["html", "json", "csv", "markdown"]))
def test_hostile_archives_through_report(tmp_path, articles, fmt):
    folder = tmp_path / "archive"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for i, (text, kind) in enumerate(articles):
        (folder / f"=a{i}:javascript:x.{FORMATS[kind]}").write_bytes(text.encode("utf-8", "surrogatepass"))
    out_file = tmp_path / f"r.{fmt}"
    code, out, err = run_command(tmp_path, ["report", str(folder), "-o", str(out_file), "--format", fmt, "--no-cache", "--jobs", "1"], seconds=60)
    assert code == 0, err
    written = out_file.read_text(encoding="utf-8")
    if fmt == "json":
        json.loads(written)
    if fmt == "html":
        assert 'href="javascript' not in written and written.count("<script") == 1  # the page's own filter script only
    if fmt == "csv":
        assert "\n=" not in written and not written.startswith("=")


@pytest.mark.parametrize(
    "name, data",
    [
        ("bomb.md", ("---\n" + "".join(f"{k}: &{k} [{', '.join([f'*{p}'] * 9) if p else 'lol'}]\n"
                                       for p, k in zip([None, *'abcdefgh'], 'abcdefghi')) + "---\n\n# T\n\nHi.\n").encode()),
        ("deeplists.md", ("# T\n\n" + "- " * 5000 + "item\n\n" + CLAIM + "\n").encode()),
        ("brackets.md", ("# T\n\n" + "[" * 20000 + CLAIM + "\n").encode()),
        ("escapes.txt", f"T\n\n{CLAIM} \x1b]52;c;eA==\x07 \x9b2J\n::error::owned\n".encode()),
        ("five-lines.md", ("# T\n\n" + "Revenue grew 40%\nto $5 billion\nin the year\nafter the merger\nclosed.\n\n" * 20).encode()),
        ("blank-in-p.html", b"<h1>T</h1><p>Revenue grew 40%\n\nyear over year to $5 billion.</p>"),
        ("ctl-fm.md", ("---\ntitle: \"a\x01\x85\x9b\"\ndate: 2026-02-30\nx: \"\\ud800\"\n---\n\n# T\n\n" + CLAIM + "\n").encode()),
    ],
)
@pytest.mark.parametrize("reporter", REPORTERS)
def test_issue_17_shapes_through_the_cli(tmp_path, name, data, reporter):
    code, out, err = run_cli(tmp_path, name, data, "--format", reporter)
    assert_cli_output_is_clean(code, out, err, reporter)
