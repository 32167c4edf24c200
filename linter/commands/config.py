"""`copydesk config`: the resolved configuration, each value with where it came from."""

from __future__ import annotations

import json
import sys

from ..exitcodes import EXIT_ERROR, EXIT_OK

DEFAULTS: dict[str, object] = {
    "rule_sets": "all shipped rule sets",
    "rules": [],
    "select": [],
    "ignore": [],
    "fail_on": "error",
    "severity": {},
    "options": {},
    "house_wording": {},
    "per_path_ignores": {},
    "json_fields": "linter/document/cues.yaml json_fields",
    "cues": {},
    "symbols": [],
    "symbols_file": None,
    "disclosures": None,
}


def run_config(args) -> int:
    from ..config import KEYS, ConfigError
    from ..profile import configure

    try:
        cfg, files = configure("-", args.config)  # the run profile's first stage, as every command finds it
    except ConfigError as exc:
        from ..safetext import one_line

        print(one_line(str(exc)), file=sys.stderr)
        return EXIT_ERROR
    rows = [
        {"key": key, "value": cfg.values.get(key, DEFAULTS.get(key)), "from": cfg.origin(key)}
        for key in KEYS
    ]
    if args.format == "json":
        json.dump({"config_file": cfg.path, "rule_files": files, "values": rows}, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return EXIT_OK
    from ..safetext import visible

    print(f"configuration file: {visible(cfg.path or '(none found: defaults)')}")
    for row in rows:  # values come from a file anyone may have written: shown, never obeyed
        print(visible(f"{row['key']} = {json.dumps(row['value'], ensure_ascii=False, default=str)}  ({row['from']})"))
    print("rule files:")
    for f in files:
        print(f"  {visible(f)}")
    return EXIT_OK
