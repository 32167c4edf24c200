"""One module per output format, all behind the same call: `report(results, stream, rules)`.

`results` are the engine's `FileResult`s, `rules` the rules that ran (SARIF lists them).
"""

from __future__ import annotations

from importlib import import_module

REPORTERS = {
    "text": "text",
    "concise": "concise",
    "json": "json_report",
    "github": "github",
    "sarif": "sarif",
}


def get_reporter(name: str):
    return import_module(f"{__name__}.{REPORTERS[name]}")
