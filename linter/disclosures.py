"""The publisher's disclosures register: who holds what, who paid for what, where the house
makes a market or holds a mandate.

Conflicts are facts the publisher keeps, not words an article happens to contain: "the author
has no position in GOOGL" is false when the register says the author holds GOOGL.  The
register is a YAML or CSV file named by `disclosures:` in the configuration (relative to it),
read here once, checked entry by entry, and handed to the `register` rule kind as plain data
(it travels with the parser cues, as the configured symbols do).  The file is as untrusted as
an article: every problem is one line naming the file, line, column and key.

YAML form::

    publisher: Example Media Ltd
    holdings:        # holder: a person's name as the byline gives it, or "publisher"
      - {holder: Jane Doe, ticker: GOOGL}
    paid:            # a paid relationship: Securities Act §17(b)
      - {ticker: ACME, payer: Acme Corp., amount: "$5,000", period: March 2026}
    market_making:
      - {ticker: XYZ}
    mandates:        # role completes "<publisher> ..."
      - {ticker: XYZ, role: acted as lead manager of XYZ's May 2026 placement}

CSV form: a header `kind,holder,ticker,payer,amount,period,role` and one row per entry, `kind`
one of holding, paid, market_making, mandate; `publisher` as a row of kind `publisher` with
the name in `holder`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from .configerror import ConfigError

MAX_BYTES = 5 * 1024 * 1024  # a larger register is refused (safefile.read_regular)
MAX_ENTRIES = 100_000
MAX_FIELD = 300
SECTIONS = {
    # section -> (required fields, optional fields)
    "holdings": (("holder", "ticker"), ()),
    "paid": (("ticker", "payer", "amount"), ("period", "service")),
    "market_making": (("ticker",), ()),
    "mandates": (("ticker", "role"), ("period",)),
}
CSV_KINDS = {"holding": "holdings", "paid": "paid", "market_making": "market_making", "mandate": "mandates"}
CSV_COLUMNS = ("kind", "holder", "ticker", "payer", "amount", "period", "role", "service")
TICKER = re.compile(r"[A-Z0-9][A-Z0-9.-]{0,11}")
# what a register value may hold: printable text on one line (it is quoted in findings and fixes)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class RegisterError(ConfigError):
    """A problem in the register: `file:line:column: error: key 'k': message` (exit code 2)."""

    def __init__(self, path: str, line: int | None, column: int | None, key: str | None, message: str):
        super().__init__(path, line, key, message)
        self.column = column

    def __str__(self) -> str:
        where = self.path + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.line and self.column else "")
        key = f" key '{self.key}':" if self.key and re.fullmatch(r"[\w.\[\]-]{1,60}", self.key) else ""
        return f"{where}: error:{key} {self.message}"


def register_path(cfg) -> Path | None:
    """The register a configuration names, resolved against the configuration's folder."""
    name = cfg.get("disclosures")
    if not name:
        return None
    return cfg.root / name if cfg.path else Path(name)


def register_for(cfg) -> dict | None:
    """The configuration's register as plain data, or None; a bad file raises RegisterError."""
    path = register_path(cfg)
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError as exc:
        raise RegisterError(str(path), None, None, None, f"cannot read the disclosures register: {exc.strerror or exc}") from None
    return _load_cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int, size: int) -> dict:
    return load_register(path)


def load_register(path: str) -> dict:
    """Read and check a register file (YAML, or CSV by its `.csv` extension)."""
    from .safefile import read_regular_text

    try:
        text = read_regular_text(path, MAX_BYTES)
    except UnicodeDecodeError as exc:
        raise RegisterError(path, None, None, None, f"the disclosures register is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise RegisterError(path, None, None, None, f"cannot read the disclosures register: {exc.strerror or exc}") from None
    if path.lower().endswith(".csv"):
        return parse_csv(path, text)
    return parse_yaml(path, text)


def _check_value(path, line, column, key, value) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise RegisterError(path, line, column, key, f"must be text, got {type(value).__name__}")
    value = str(value).strip()
    if not value:
        raise RegisterError(path, line, column, key, "must not be empty")
    if len(value) > MAX_FIELD:
        raise RegisterError(path, line, column, key, f"longer than {MAX_FIELD} characters")
    if _UNPRINTABLE.search(value):
        raise RegisterError(path, line, column, key, "holds a control or bidirectional-override character")
    if key.endswith("ticker") and not TICKER.fullmatch(value):
        raise RegisterError(path, line, column, key, f"{value[:20]!r} is not a ticker symbol (capital letters and digits, e.g. ACME or RY.TO)")
    return value


def _entry(path, section, fields: dict, where: dict, line: int, column: int, key_where: dict | None = None) -> dict:
    """One checked entry: `fields` maps field -> value, `where` field -> (line, column) of its
    value, `key_where` of its name (where an unknown field is pointed at)."""
    required, optional = SECTIONS[section]
    for f in fields:
        if f not in required and f not in optional:
            wl, wc = (key_where or where).get(f, (line, column))
            raise RegisterError(path, wl, wc, f"{section}.{f}", f"unknown field (expected: {', '.join(required + optional)})")
    out: dict[str, int | str] = {"line": line}
    for f in required:
        if f not in fields:
            raise RegisterError(path, line, column, f"{section}.{f}", "missing required field")
    for f in required + optional:
        if f in fields:
            wl, wc = where.get(f, (line, column))
            out[f] = _check_value(path, wl, wc, f"{section}.{f}", fields[f])
    return out


def _empty() -> dict:
    return {"publisher": None, "holdings": [], "paid": [], "market_making": [], "mandates": []}


def parse_yaml(path: str, text: str) -> dict:
    import yaml

    from . import safeyaml

    try:
        root = safeyaml.compose(text)
    except safeyaml.YAMLProblem as exc:
        raise RegisterError(path, exc.line, exc.column, None, f"invalid YAML: {exc.message}") from None
    out = _empty()
    if root is None:
        return out | {"file": path}

    def at(node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def scalar(node, key):
        if not isinstance(node, yaml.ScalarNode):
            raise RegisterError(path, *at(node), key, "must be text")
        try:
            return safeyaml.construct(node)
        except safeyaml.YAMLProblem as exc:
            raise RegisterError(path, exc.line, exc.column, key, exc.message) from None

    if not isinstance(root, yaml.MappingNode):
        raise RegisterError(path, *at(root), None, f"the register must be a mapping with any of: publisher, {', '.join(SECTIONS)}")
    count = 0
    for knode, vnode in root.value:
        key = str(scalar(knode, None))
        if key == "publisher":
            out["publisher"] = _check_value(path, *at(vnode), "publisher", scalar(vnode, "publisher"))
            continue
        if key not in SECTIONS:
            shown = key if re.fullmatch(r"[\w-]{1,40}", key) else None
            raise RegisterError(path, *at(knode), shown, f"unknown key (expected any of: publisher, {', '.join(SECTIONS)})")
        if isinstance(vnode, yaml.ScalarNode) and vnode.value in ("", "~", "null"):
            continue
        if not isinstance(vnode, yaml.SequenceNode):
            raise RegisterError(path, *at(vnode), key, "must be a list of entries")
        for item in vnode.value:
            count += 1
            if count > MAX_ENTRIES:
                raise RegisterError(path, *at(item), key, f"more than {MAX_ENTRIES:,} entries")
            if not isinstance(item, yaml.MappingNode):
                raise RegisterError(path, *at(item), key, "each entry must be a mapping, e.g. {ticker: ACME, ...}")
            fields, where, key_where = {}, {}, {}
            for fk, fv in item.value:
                name = str(scalar(fk, key))
                if not re.fullmatch(r"[a-z_]{1,20}", name):
                    raise RegisterError(path, *at(fk), key, "unknown field")
                fields[name] = scalar(fv, f"{key}.{name}")
                where[name], key_where[name] = at(fv), at(fk)
            out[key].append(_entry(path, key, fields, where, *at(item), key_where))
    return out | {"file": path}


def parse_csv(path: str, text: str) -> dict:
    import csv
    import io

    out = _empty()
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text), strict=True)
    header = None
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [c.strip().lower() for c in row]
                for i, name in enumerate(header):
                    if name not in CSV_COLUMNS:
                        raise RegisterError(path, line, _column(lines, line, i), None,
                                            f"unknown column {name[:30]!r} (expected: {', '.join(CSV_COLUMNS)})")
                if "kind" not in header or "ticker" not in header:
                    raise RegisterError(path, line, 1, None, "the header needs at least the columns 'kind' and 'ticker'")
                continue
            if len(row) > len(header):
                raise RegisterError(path, line, _column(lines, line, len(header)), None,
                                    f"{len(row)} fields where the header has {len(header)}")
            cells = {header[i]: (v, (line, _column(lines, line, i))) for i, v in enumerate(row) if v.strip()}
            kind, (kl, kc) = cells.get("kind", ("", (line, 1)))
            kind = kind.strip()
            if kind == "publisher":
                value, (vl, vc) = cells.get("holder", ("", (line, 1)))
                out["publisher"] = _check_value(path, vl, vc, "holder", value)
                continue
            if kind not in CSV_KINDS:
                raise RegisterError(path, kl, kc, "kind", f"unknown kind {kind[:30]!r} (expected one of: publisher, {', '.join(CSV_KINDS)})")
            section = CSV_KINDS[kind]
            fields = {k: v for k, (v, _) in cells.items() if k != "kind"}
            where = {k: w for k, (_, w) in cells.items()}
            if sum(len(out[s]) for s in SECTIONS) >= MAX_ENTRIES:
                raise RegisterError(path, line, 1, None, f"more than {MAX_ENTRIES:,} entries")
            out[section].append(_entry(path, section, fields, where, line, 1))
    except csv.Error as exc:
        raise RegisterError(path, reader.line_num or 1, None, None, f"invalid CSV: {exc}") from None
    return out | {"file": path}


def _column(lines: list[str], line: int, index: int) -> int:
    """1-based column of the `index`th field on a CSV line (plain fields; quoted ones approximately)."""
    if not 1 <= line <= len(lines):
        return 1
    text, field, quoted = lines[line - 1], 0, False
    for i, ch in enumerate(text):
        if field == index:
            return i + 1
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            field += 1
    return len(text.rstrip("\r\n")) + 1


# -- reading an article against it ------------------------------------------------------
def ticker_in(text: str, ticker: str) -> re.Match | None:
    """The first place `text` names `ticker` as a symbol (`GOOGL`, `$GOOGL`, `NASDAQ: GOOGL`)."""
    return re.search(rf"(?<![A-Za-z0-9.$-])\$?{re.escape(ticker)}(?![A-Za-z0-9]|[.-][A-Za-z])", text)
