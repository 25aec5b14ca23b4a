#!/usr/bin/env python3
"""Write Datasets/email-assistant.jsonl and Datasets/email-threads.jsonl from
examples/agents/scenarios.json.

Datasets/email-assistant.jsonl: five examples per
scenario (60 in all), in Assay's dataset format (docs/datasets.md). The first is the scenario's email;
the others come from the same sender writing from another mailbox alias (`name+2@domain`...), so the
subject, the body, the retrieval query (which leaves the From line out) and the expected values are
the scenario's, while each example has its own id, and so its own seeded dice in the agents. Sixty
examples give the CI gate the power to catch a 30-point drop on one tier (docs/gate.md).

    python3 examples/agents/make_dataset.py

Datasets/email-threads.jsonl: one multi-turn example per thread (docs/conversations.md), as the Swift
agent's `--dump-scenarios` computes it under "threads", written in its key order (id, turns,
expected, status, memory, metadata), compact, lines sorted by id.

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
THREADS_OUT = os.path.join(ROOT, "Datasets", "email-threads.jsonl")

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


VARIANTS = 5


def variant_email(s: dict, k: int) -> str:
    """The scenario's email, sent from mailbox alias k (k = 0: as written)."""
    if k == 0:
        return s["email"]
    first, rest = s["email"].split("\n", 1)
    name, address = s["from"].rsplit(" <", 1)
    local, domain = address.rstrip(">").split("@", 1)
    assert first == "From: " + s["from"], first
    return f"From: {name} <{local}+{k + 1}@{domain}>\n" + rest


def example(s: dict, k: int = 0) -> tuple[str, str]:
    email = variant_email(s, k)
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
        dump = json.load(f)
    scenarios = dump["scenarios"]
    lines = sorted(example(s, k) for s in scenarios for k in range(VARIANTS))
    with open(OUT, "w", encoding="utf-8") as f:
        for _, line in lines:
            f.write(line + "\n")
    print(f"wrote {len(lines)} examples to {os.path.relpath(OUT, ROOT)}")
    threads = sorted(dump["threads"], key=lambda t: t["id"])
    with open(THREADS_OUT, "w", encoding="utf-8") as f:
        for thread in threads:
            f.write(json.dumps(thread, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(threads)} conversations to {os.path.relpath(THREADS_OUT, ROOT)}")


if __name__ == "__main__":
    main()
