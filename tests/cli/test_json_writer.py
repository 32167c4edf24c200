"""The JSON reporter's writer is `json.dump(indent=2, ensure_ascii=False)`, byte for byte."""

from __future__ import annotations

import json
import random

import pytest

from linter.reporters.json_report import iter_indented

AWKWARD = [None, True, False, 0, -5, 2**70, 1.5, 1e-300, float("inf"), float("nan"), "", "a\nb", "ü\u2028\U0001F680\x00\"\\", (1, 2), ()]


def _random_value(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth < 4 and roll < 0.2:
        return {rng.choice(["a", "ü", "\n", '"k', "x,\n  y"]) + str(i): _random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}
    if depth < 4 and roll < 0.4:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return rng.choice(AWKWARD)


@pytest.mark.parametrize("seed", range(5))
def test_random_documents_match_the_json_module(seed):
    rng = random.Random(seed)
    for _ in range(2000):
        value = _random_value(rng)
        assert "".join(iter_indented(value)) == json.dumps(value, ensure_ascii=False, indent=2)


def test_keys_json_converts_are_converted_the_same_way():
    # True == 1 (one dict key): the bool and the int keys are in separate dicts
    value = {"files": [{1: 2, None: 3, 2.5: 4}, {True: [1, {"a": {}}], False: 5}], "empty": {}, "flat": {"k": [1, "two"]}}
    assert "".join(iter_indented(value)) == json.dumps(value, ensure_ascii=False, indent=2)
    assert "".join(iter_indented({"a": {"b": 1}})) == '{\n  "a": {\n    "b": 1\n  }\n}'
