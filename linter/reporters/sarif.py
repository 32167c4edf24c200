"""SARIF 2.1.0: the format code-scanning dashboards read (GitHub, Azure DevOps, ...).

Columns are code points (`columnKind: unicodeCodePoints`), ends exclusive, as everywhere in
copydesk; each rule's help URI is its policy URL.
"""

from __future__ import annotations

import json

from .. import __version__

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_entry(rule) -> dict:
    entry = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.name},
        "fullDescription": {"text": rule.policy},
        "defaultConfiguration": {"level": LEVEL[rule.severity], "enabled": rule.enabled},
        "properties": {"category": rule.category, "policy": rule.policy},
    }
    if rule.help:
        entry["help"] = {"text": rule.help}
    if rule.policy_url:
        entry["helpUri"] = rule.policy_url
    return entry


def to_dict(results, rules) -> dict:
    rules = list(rules or [])
    index = {r.id: i for i, r in enumerate(rules)}
    sarif_results = []
    for r in results:
        if r.error is not None:
            continue
        for d in r.diagnostics:
            line, col = r.source.position(d.start)
            end_line, end_col = r.source.position(d.end)
            result = {
                "ruleId": d.rule,
                "level": LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": r.path.replace("\\", "/")},
                            "region": {
                                "startLine": line,
                                "startColumn": col,
                                "endLine": end_line,
                                "endColumn": end_col,
                                "charOffset": d.start,
                                "charLength": d.end - d.start,
                                "snippet": {"text": r.source.text[d.start : d.end]},
                            },
                        }
                    }
                ],
            }
            if d.rule in index:
                result["ruleIndex"] = index[d.rule]
            sarif_results.append(result)
    invocation = {
        "executionSuccessful": not any(r.error is not None for r in results),
        "toolExecutionNotifications": [
            {"level": "error", "message": {"text": r.error.message},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.path}}}]}
            for r in results if r.error is not None
        ],
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "copydesk",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/copydesk/",
                        "rules": [_rule_entry(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "invocations": [invocation],
                "results": sarif_results,
            }
        ],
    }


def report(results, stream, rules=None) -> None:
    json.dump(to_dict(results, rules), stream, ensure_ascii=False, indent=2)
    stream.write("\n")
