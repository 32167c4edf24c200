"""`copydesk lsp`: the language server (pygls) that checks the unsaved text as an editor types.

Diagnostics on open and after a pause in typing (debounced), on the editor's text, with the
run profile of the document's `.copydesk.yaml` (linter/profile.py: rebuilt when a file it came
from changes, forgotten on `workspace/didChangeConfiguration` and watched-file events).
Positions are converted here from copydesk's code-point offsets to the negotiated encoding
(UTF-16 unless the client offers UTF-8 or UTF-32), with the line ends LSP counts (CR LF, CR,
LF): pygls's own helpers split lines as `str.splitlines` does (also at U+2028, form feed...),
which would put a finding after such a character on the wrong line.

Code actions: each finding's own fix; "fix all" whose edit is exactly what `check --fix`
writes; "waive with reason" (a suppression directive whose empty reason stays a finding until
the writer fills it in); "open the policy".  Hover over a finding shows its help and policy.
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__

SEVERITY = {"error": T.DiagnosticSeverity.Error, "warning": T.DiagnosticSeverity.Warning,
            "info": T.DiagnosticSeverity.Information}
FORMAT_OF_LANGUAGE = {"markdown": "markdown", "mdx": "markdown", "html": "html", "plaintext": "text", "text": "text",
                      "json": "json", "jsonc": "json"}
OPEN_POLICY = "copydesk.openPolicy"
SOURCE = "copydesk"


# -- positions --------------------------------------------------------------------------------
def _units(text: str, encoding: str) -> int:
    if encoding == T.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == T.PositionEncodingKind.Utf32:
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)  # UTF-16: astral characters count twice


def line_end(text: str, index, line: int) -> int:
    """Offset where 1-based `line`'s text ends, before its line break."""
    end = index.line_span(line)[1]
    if end > 0 and text[end - 1] == "\n":
        end -= 1
    if end > 0 and text[end - 1] == "\r":
        end -= 1
    return max(end, index.starts[line - 1])


class Positions:
    """Offsets (code points into the text) <-> LSP positions in the negotiated encoding.

    Each line's running count of editor units is worked out once, when first needed (none for
    an ASCII line, where units are code points): a minified HTML page or a one-line CMS JSON
    object is a single line of thousands of findings, and counting from the line's start for
    each of them was quadratic (a 250 KB line of 10,000 findings took minutes)."""

    def __init__(self, text: str, encoding: str):
        from .source import LineIndex

        self.text, self.encoding = text, encoding
        self.index = LineIndex(text)
        self._tables: dict[int, list[int] | None] = {}

    def _table(self, line: int) -> list[int] | None:
        """Units before each code point of 1-based `line` (its break included); None: same as
        code points."""
        if line not in self._tables:
            start, end = self.index.line_span(line)
            chunk = self.text[start:end]
            table = None
            if not (chunk.isascii() or self.encoding == T.PositionEncodingKind.Utf32):
                from itertools import accumulate

                table = [0, *accumulate(_units(ch, self.encoding) for ch in chunk)]
            self._tables[line] = table
        return self._tables[line]

    def position(self, offset: int) -> T.Position:
        line, column = self.index.position(offset)
        table = self._table(line)
        return T.Position(line - 1, table[column - 1] if table else column - 1)

    def range(self, start: int, end: int) -> T.Range:
        return T.Range(self.position(start), self.position(end))

    def at(self, line: int, column: int) -> int:
        """Offset of copydesk's 1-based line and column (code points, not editor units),
        kept within the text and the line."""
        line = min(max(line, 1), len(self.index.starts))
        start = self.index.starts[line - 1]
        return min(start + max(column, 1) - 1, line_end(self.text, self.index, line))

    def offset(self, pos: T.Position) -> int:
        """The offset of an editor position; one past the line's end (or inside a surrogate
        pair or a UTF-8 sequence) is taken to the next code point, within the line."""
        from bisect import bisect_left

        if pos.line >= len(self.index.starts):
            return len(self.text)
        start = self.index.starts[pos.line]
        stop = line_end(self.text, self.index, pos.line + 1)
        table = self._table(pos.line + 1)
        column = bisect_left(table, pos.character) if table else pos.character
        return min(start + column, stop)


# -- the server ----------------------------------------------------------------------------
class Checked:
    """The last check of an open document: its text, version, profile and result."""

    __slots__ = ("fmt", "profile", "result", "text", "version")

    def __init__(self, text, version, profile, result, fmt):
        self.text, self.version, self.profile, self.result, self.fmt = text, version, profile, result, fmt


class CopydeskServer(LanguageServer):
    def __init__(self, profile_options: dict, debounce: float = 0.1):
        super().__init__("copydesk", __version__, text_document_sync_kind=T.TextDocumentSyncKind.Full)
        from .profile import Profiles

        self.profiles = Profiles(**profile_options)
        self.debounce = debounce
        self.checked: dict[str, Checked] = {}
        self.languages: dict[str, str] = {}
        self._pending: dict[str, asyncio.TimerHandle] = {}

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or T.PositionEncodingKind.Utf16

    # checking ---------------------------------------------------------------------------
    def format_of(self, uri: str) -> str | None:
        fmt = FORMAT_OF_LANGUAGE.get(self.languages.get(uri, ""))
        if fmt is None:
            from .document import detect_format

            fmt = detect_format(to_fs_path(uri) or uri, self.workspace.get_text_document(uri).source)
        return fmt

    def check(self, uri: str) -> None:
        """Check the document's current text and publish its diagnostics."""
        from .config import ConfigError
        from .ruleset import RuleFileError
        from .safetext import one_line
        from .selection import SelectorError
        from .source import Source

        self._pending.pop(uri, None)
        doc = self.workspace.get_text_document(uri)
        text, path = doc.source, to_fs_path(uri) or uri
        pos = Positions(text, self.encoding)
        try:
            profile = self.profiles.get(path)
        except (ConfigError, RuleFileError, SelectorError) as exc:
            message = one_line(str(exc))
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error, message=message))
            self.publish(uri, doc.version, [T.Diagnostic(pos.range(0, 0), message, T.DiagnosticSeverity.Error,
                                                         code="CONFIG", source=SOURCE)])
            self.checked.pop(uri, None)
            return
        fmt = self.format_of(uri)
        result = profile.check(Source(path, text), fmt)
        self.checked[uri] = Checked(text, doc.version, profile, result, fmt)
        if result.error is not None:
            e = result.error
            at = pos.at(e.line or 1, e.column or 1)
            diagnostics = [T.Diagnostic(pos.range(at, at), one_line(e.message), T.DiagnosticSeverity.Error,
                                        code="READ", source=SOURCE)]
        else:
            diagnostics = [self.diagnostic(d, pos, i) for i, d in enumerate(result.diagnostics)]
        self.publish(uri, doc.version, diagnostics)

    def diagnostic(self, d, pos: Positions, index: int) -> T.Diagnostic:
        return T.Diagnostic(
            range=pos.range(d.start, d.end),
            message=d.message,
            severity=SEVERITY.get(d.severity, T.DiagnosticSeverity.Warning),
            code=d.rule,
            code_description=T.CodeDescription(href=link) if (link := policy_link(d.policy_url)) else None,
            source=SOURCE,
            data={"index": index},
        )

    def publish(self, uri: str, version, diagnostics) -> None:
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def schedule(self, uri: str) -> None:
        """Check after `debounce` seconds without another change."""
        old = self._pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self._pending[uri] = asyncio.get_running_loop().call_later(self.debounce, self._safe_check, uri)

    def _safe_check(self, uri: str) -> None:
        try:
            if uri in self.workspace.text_documents:
                self.check(uri)
        except Exception as exc:
            logging.getLogger(__name__).exception("check failed")
            self.window_log_message(T.LogMessageParams(type=T.MessageType.Error, message=f"copydesk: internal error: {type(exc).__name__}: {exc}"))

    def recheck_all(self) -> None:
        self.profiles.clear()
        for uri in list(self.workspace.text_documents):
            self._safe_check(uri)

    # what the editor asks -------------------------------------------------------------
    def findings_at(self, uri: str, start: int, end: int) -> list:
        """(index, finding) for the current findings whose span meets [start, end] (a cursor:
        start == end); the index is the one published in the diagnostic's `data`."""
        checked = self.checked.get(uri)
        if checked is None or checked.result.error is not None:
            return []
        return [(i, d) for i, d in enumerate(checked.result.diagnostics) if d.start <= end and start <= max(d.end, d.start)]

    def code_actions(self, params: T.CodeActionParams) -> list[T.CodeAction]:
        uri = params.text_document.uri
        checked = self.checked.get(uri)
        if checked is None or checked.text != self.workspace.get_text_document(uri).source:
            return []  # the text moved on; the next check offers fresh actions
        pos = Positions(checked.text, self.encoding)
        start, end = pos.offset(params.range.start), pos.offset(params.range.end)
        actions: list[T.CodeAction] = []
        version = self.workspace.get_text_document(uri).version
        ident = T.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)

        def edit(edits) -> T.WorkspaceEdit:
            return T.WorkspaceEdit(document_changes=[T.TextDocumentEdit(ident, edits)])

        for i, d in self.findings_at(uri, start, end):
            lsp_diag = self.diagnostic(d, pos, i)
            if d.fix is not None:
                actions.append(T.CodeAction(
                    f"{d.rule}: {_fix_title(d)}", kind=T.CodeActionKind.QuickFix, diagnostics=[lsp_diag],
                    is_preferred=True, edit=edit([T.TextEdit(pos.range(d.fix.start, d.fix.end), d.fix.text)])))
            waiver = _waiver(checked.text, checked.fmt, d, pos)
            if waiver is not None:
                actions.append(T.CodeAction(f"{d.rule}: waive here (give the reason)", kind=T.CodeActionKind.QuickFix,
                                            diagnostics=[lsp_diag], edit=edit([waiver])))
            url = policy_link(d.policy_url)
            if url:
                actions.append(T.CodeAction(f"{d.rule}: open the policy ({d.policy})",
                                            diagnostics=[lsp_diag],
                                            command=T.Command(title=f"Open {url}", command=OPEN_POLICY, arguments=[url])))
        if any(d.fix is not None for d in checked.result.diagnostics):
            fixed = self.fixed_text(uri)
            if fixed is not None and fixed != checked.text:
                actions.append(T.CodeAction("copydesk: apply every fix (as check --fix)", kind=T.CodeActionKind.SourceFixAll,
                                            edit=edit([T.TextEdit(pos.range(0, len(checked.text)), fixed)])))
        return actions

    def fixed_text(self, uri: str) -> str | None:
        from .source import Source

        checked = self.checked[uri]
        path = to_fs_path(uri) or uri
        fixed, _edits, _result = checked.profile.fix(Source(path, checked.text), checked.fmt)
        return fixed

    def hover(self, params: T.HoverParams) -> T.Hover | None:
        uri = params.text_document.uri
        checked = self.checked.get(uri)
        if checked is None:
            return None
        pos = Positions(checked.text, self.encoding)
        at = pos.offset(params.position)
        found = [d for _, d in self.findings_at(uri, at, at) if d.start <= at < max(d.end, d.start + 1)]
        if not found:
            return None
        parts = []
        for d in found:
            text = f"**{d.rule}** `{d.name}` ({d.severity}): {_md(d.message)}"
            if d.help:
                text += f"\n\n{_md(d.help)}"
            if d.policy:
                url = policy_link(d.policy_url)
                text += f"\n\nPolicy: {_md(d.policy)}" + (f" <{url}>" if url else "")
            if d.fix_note:
                text += f"\n\n{_md(d.fix_note)}"
            parts.append(text)
        first = found[0]
        return T.Hover(T.MarkupContent(kind=T.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)), pos.range(first.start, first.end))


def policy_link(url) -> str | None:
    """The rule's policy URL when it is a plain web address, else None.  A rule file in a pull
    request is as untrusted as the article: a `command:` or `javascript:` link, or one that
    closes the hover's `<...>` and injects Markdown, is not offered to the editor."""
    import re

    return url if isinstance(url, str) and re.fullmatch(r"https?://[^\s<>()\[\]`\\]+", url) else None


def _md(text: str) -> str:
    """Article and rule text shown as text in a Markdown hover, not as markup or links."""
    import re

    return re.sub(r"([\\`*_{}\[\]()<>#+\-.!|~])", r"\\\1", text)


def _fix_title(d) -> str:
    if d.fix.start == d.fix.end:
        return "insert the house wording"
    return f"rewrite as {d.fix.text!r}" if d.fix.text else "remove the phrase"


def _waiver(text: str, fmt: str, d, pos: Positions) -> T.TextEdit | None:
    """The directive that waives `d` where it stands, with an empty reason for the writer to
    give (until then the directive is itself a finding, and waives nothing).  Markdown and
    HTML: a comment at the end of the finding's line; plain text: a `# copydesk:` line above
    it.  CMS JSON gets none (a comment line would break the JSON), nor does front matter (a
    comment would become part of the YAML value, and no directive reaches those lines)."""
    line, _ = pos.index.position(d.start)
    if fmt == "markdown":
        from .document.frontmatter import split_front_matter

        block = split_front_matter(text)
        if block is not None and d.start < block[2]:
            return None
    if fmt in ("markdown", "html"):
        at = pos.position(line_end(text, pos.index, line))
        return T.TextEdit(T.Range(at, at), f' <!-- copydesk: disable-line={d.rule} reason="" -->')
    if fmt == "text":
        from .fixes import newline_of

        at = pos.position(pos.index.line_span(line)[0])
        return T.TextEdit(T.Range(at, at), f'# copydesk: disable-next-line={d.rule} reason=""{newline_of(text)}')
    return None


def build_server(profile_options: dict, debounce: float = 0.1) -> CopydeskServer:
    server = CopydeskServer(profile_options, debounce)

    @server.feature(T.INITIALIZED)
    def initialized(ls: CopydeskServer, params: T.InitializedParams):
        """Ask the editor to report changes to configuration files (when it can), so that
        editing `.copydesk.yaml` outside the editor rechecks the open documents."""
        watch = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            watchers = [T.FileSystemWatcher(glob_pattern=f"**/{name}")
                        for name in (".copydesk.yaml", ".copydesk.yml", "pyproject.toml")]
            ls.client_register_capability(T.RegistrationParams(registrations=[T.Registration(
                id="copydesk-configuration", method=T.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=T.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))

    @server.feature(T.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: CopydeskServer, params: T.DidOpenTextDocumentParams):
        ls.languages[params.text_document.uri] = params.text_document.language_id
        ls._safe_check(params.text_document.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: CopydeskServer, params: T.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri)

    @server.feature(T.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: CopydeskServer, params: T.DidSaveTextDocumentParams):
        if params.text_document.uri.rsplit("/", 1)[-1] in (".copydesk.yaml", ".copydesk.yml", "pyproject.toml"):
            ls.recheck_all()

    @server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: CopydeskServer, params: T.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        pending = ls._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.checked.pop(uri, None)
        ls.languages.pop(uri, None)
        ls.publish(uri, None, [])

    @server.feature(T.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls: CopydeskServer, params: T.DidChangeConfigurationParams):
        ls.recheck_all()

    @server.feature(T.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: CopydeskServer, params: T.DidChangeWatchedFilesParams):
        ls.recheck_all()

    @server.feature(T.TEXT_DOCUMENT_CODE_ACTION, T.CodeActionOptions(
        code_action_kinds=[T.CodeActionKind.QuickFix, T.CodeActionKind.SourceFixAll]))
    def code_action(ls: CopydeskServer, params: T.CodeActionParams):
        return ls.code_actions(params)

    @server.feature(T.TEXT_DOCUMENT_HOVER)
    def hover(ls: CopydeskServer, params: T.HoverParams):
        return ls.hover(params)

    @server.command(OPEN_POLICY)
    def open_policy(ls: CopydeskServer, *args):
        url = policy_link(args[0]) if args else None
        if url:
            ls.window_show_document(T.ShowDocumentParams(url, external=True))

    return server


def start(profile_options: dict, debounce: float = 0.1) -> int:
    """Serve on standard input and output until the editor says exit; a bad configuration
    at start is one line on stderr and exit 2 (later ones become a diagnostic)."""
    # the protocol gets its own copies of the standard streams; standard input becomes
    # /dev/null (a hostile configuration's `symbols_file: /dev/stdin` reads nothing instead of
    # the editor's messages) and sys.stdout becomes stderr (a stray print cannot corrupt the
    # JSON-RPC stream); pygls closing its streams at exit leaves the command's own to flush
    import os
    import sys

    from .config import ConfigError
    from .exitcodes import EXIT_ERROR, EXIT_OK
    from .ruleset import RuleFileError
    from .safetext import one_line
    from .selection import SelectorError

    protocol_in, protocol_out = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    server = build_server(profile_options, debounce)
    try:
        server.profiles.get("-").warm()
    except (ConfigError, RuleFileError, SelectorError) as exc:
        if profile_options.get("config") or profile_options.get("rules"):  # named by the user: stop
            print(one_line(str(exc)), file=sys.stderr)
            return EXIT_ERROR
        # the working directory's own: documents elsewhere may have theirs; errors show there
    server.start_io(protocol_in, protocol_out)
    return EXIT_OK
