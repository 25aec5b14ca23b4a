#!/usr/bin/env python3
"""Write Datasets/email-assistant.jsonl from examples/agents/scenarios.json: one hand-written example
per scenario, in Assay's dataset format (docs/datasets.md).

    python3 examples/agents/make_dataset.py

Top-level keys in the order id, input, expected, status, components, metadata; nested keys sorted;
compact JSON; lines sorted by id. The id is the first 16 hex digits of the SHA-256 of the input's
canonical JSON: for a string input, the JSON string literal with the escapes of Assay's JSONWriter
(\\" \\\\ \\n \\r \\t \\b \\f, other control characters as \\u00xx, everything else raw UTF-8).
"""

from __future__ import annotations

import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(ROOT, "Datasets", "email-assistant.jsonl")

ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def string_literal(s: str) -> str:
    out = []
    for ch in s:
        if ch in ESCAPES:
            out.append(ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def canonical(value) -> str:
    """Compact JSON with sorted keys and JSONWriter's string escapes."""
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical(v) for v in value) + "]"
    return "{" + ",".join(string_literal(k) + ":" + canonical(value[k]) for k in sorted(value)) + "}"


def example(s: dict) -> tuple[str, str]:
    email = s["email"]
    example_id = hashlib.sha256(string_literal(email).encode("utf-8")).hexdigest()[:16]
    tools = [] if s["tool"] is None else [{"arguments": s["tool"]["arguments"], "name": s["tool"]["name"]}]
    components = {
        "reply": {"expected": s["reply"], "selector": "op=chat nth=2", "status": "ready"},
        "retrieval": {"expected": s["documents"], "selector": "op=retrieval", "status": "ready"},
        "tools": {"expected": tools, "selector": "op=tool", "status": "ready"},
        "triage": {"expected": {"label": s["label"], "next_action": s["next_action"], "reason": s["reason"]},
                   "selector": "op=chat first", "status": "ready"},
    }
    line = ("{" + '"id":' + string_literal(example_id) + ',"input":' + string_literal(email)
            + ',"expected":' + string_literal(s["reply"]) + ',"status":"ready"'
            + ',"components":' + canonical(components) + ',"metadata":' + canonical({"tags": ["example"]}) + "}")
    return example_id, line


def main() -> None:
    with open(os.path.join(HERE, "scenarios.json"), encoding="utf-8") as f:
        scenarios = json.load(f)["scenarios"]
    lines = sorted(example(s) for s in scenarios)
    with open(OUT, "w", encoding="utf-8") as f:
        for _, line in lines:
            f.write(line + "\n")
    print(f"wrote {len(lines)} examples to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
