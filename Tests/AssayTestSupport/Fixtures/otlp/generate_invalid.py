#!/usr/bin/env python3
"""Regenerate the files in invalid/ (plain Python 3, no dependencies).

Each file breaks exactly one thing in an otherwise valid OTLP/JSON document.
Run from anywhere: python3 generate_invalid.py
"""

from __future__ import annotations

import copy
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "invalid")

TRACE_ID = "5b8efff798038103d269b633813fc60c"
SPAN_ID = "eee19b7ec3c1b174"


def base(name: str = "chat gpt-4o-mini", span_id: str = SPAN_ID, trace_id: str = TRACE_ID) -> dict:
    return {
        "resourceSpans": [
            {
                "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "email-assistant"}}]},
                "scopeSpans": [
                    {
                        "scope": {"name": "email_assistant.agent", "version": "0.4.2"},
                        "spans": [
                            {
                                "traceId": trace_id,
                                "spanId": span_id,
                                "flags": 256,
                                "name": name,
                                "kind": 3,
                                "startTimeUnixNano": "1749546900000000000",
                                "endTimeUnixNano": "1749546901250000000",
                                "attributes": [
                                    {"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                    {"key": "gen_ai.request.model", "value": {"stringValue": "gpt-4o-mini"}},
                                    {"key": "gen_ai.usage.input_tokens", "value": {"intValue": "412"}},
                                ],
                                "status": {},
                            }
                        ],
                    }
                ],
            }
        ]
    }


def span_of(doc: dict) -> dict:
    return doc["resourceSpans"][0]["scopeSpans"][0]["spans"][0]


def dumps(doc: dict) -> str:
    return json.dumps(doc, indent=2) + "\n"


def write(name: str, data: str | bytes) -> None:
    path = os.path.join(OUT, name)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": "\n"})) as fh:
        fh.write(data)


def main() -> None:
    os.makedirs(OUT, exist_ok=True)

    # 1. Not JSON at all: the HTML error page a proxy returns instead of a trace file.
    write(
        "not-json.txt",
        "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n"
        "<hr><center>nginx/1.25.3</center>\n</body>\n</html>\n",
    )

    # 2. Truncated in the middle of a string (e.g. a disk-full or killed writer).
    text = json.dumps(base(), separators=(",", ":"))
    cut = text.index("gpt-4o-mini\"}}") + len("gpt-4o")
    write("truncated.json", text[:cut])

    # 3. traceId of 24 hex characters (12 bytes instead of 16).
    write("trace-id-wrong-length.json", dumps(base(trace_id="5b8efff798038103d269b633")))

    # 4. spanId all zeros (invalid per the W3C / OTLP rules).
    write("span-id-all-zero.json", dumps(base(span_id="0000000000000000")))

    # 5. traceId of the right length but with non-hex characters.
    write("trace-id-not-hex.json", dumps(base(trace_id="5b8efff798038103d269b633813fczzz")))

    # 6. Raw invalid UTF-8 bytes inside the span name: 0xC3 0x28 (bad continuation byte)
    #    and a lone 0xFF. Everything else is valid JSON.
    raw = dumps(base(name="chat INVALID_UTF8")).encode("utf-8")
    raw = raw.replace(b"INVALID_UTF8", b"caf\xc3\x28 \xff")
    write("invalid-utf8.json", raw)

    # 7. AnyValue arrayValue nested 10,000 levels deep (~30,000 JSON nesting levels).
    #    Built as text: recursive json.dumps would hit Python's recursion limit.
    depth = 10_000
    doc = base()
    span_of(doc)["attributes"].append({"key": "app.deep", "value": {"stringValue": "DEEP_PLACEHOLDER"}})
    text = json.dumps(doc, separators=(",", ":"))
    nested = '{"arrayValue":{"values":[' * depth + '{"stringValue":"bottom"}' + "]}}" * depth
    text = text.replace('{"stringValue":"DEEP_PLACEHOLDER"}', nested)
    write("deep-nesting.json", text + "\n")

    # 8. NUL escapes (\u0000) inside a span name and an attribute value.
    #    This is VALID JSON and valid OTLP; a reader must keep the characters (or
    #    reject the file deliberately), never truncate the string at the NUL.
    doc = base(name="chat\u0000gpt-4o-mini")
    span_of(doc)["attributes"].append({"key": "gen_ai.output.messages", "value": {"stringValue": "before\u0000after"}})
    write("nul-in-string.json", dumps(doc))

    # 9. JSON Lines: three valid lines, line 2 has a span id of 15 hex characters.
    lines = []
    for i, sid in enumerate(["1111111111111111", "222222222222222", "3333333333333333"]):
        d = base(span_id=sid, trace_id=f"{i + 1:032x}")
        lines.append(json.dumps(d, separators=(",", ":")))
    write("jsonl-one-bad-line.jsonl", "\n".join(lines) + "\n")

    # 10. A span without the required "name".
    doc = base()
    del span_of(doc)["name"]
    write("missing-name.json", dumps(doc))

    # 11. Wrong JSON type: "spans" is a string, not an array.
    doc = base()
    doc["resourceSpans"][0]["scopeSpans"][0]["spans"] = "oops"
    write("wrong-type.json", dumps(doc))

    # 12. Wrong JSON type for a timestamp: startTimeUnixNano is a boolean.
    doc = base()
    span_of(doc)["startTimeUnixNano"] = True
    write("timestamp-wrong-type.json", dumps(doc))

    # 13. intValue that does not fit in int64 (or uint64): 99999999999999999999 > 2**64.
    doc = base()
    span_of(doc)["attributes"].append({"key": "app.counter", "value": {"intValue": "99999999999999999999"}})
    write("int-overflow.json", dumps(doc))

    print("wrote", ", ".join(sorted(os.listdir(OUT))))


if __name__ == "__main__":
    main()
