#!/usr/bin/env python3
"""Writes the seeds of the targets that read the project's real files: OTLP (JSON, JSON Lines, protobuf
requests and spans, collector bodies) from Tests/AssayTestSupport/Fixtures/otlp and examples/traces,
datasets from Datasets/, feedback, suites from assay.yaml, scorers from Scorers/, selectors, JSONPaths
and JSON Schemas. The inputs that once failed (make_otlp_seeds.py and the hand-written files) are kept
beside them. Deterministic; run from this folder: python3 make_seeds.py"""
import base64, glob, gzip, json, os, zlib

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "Tests/AssayTestSupport/Fixtures/otlp")
HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    os.makedirs(os.path.join(HERE, target), exist_ok=True)
    with open(os.path.join(HERE, target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def ld(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def vi(number, value):
    return varint(number << 3) + varint(value) if value else b""


def f64(number, value):
    return varint(number << 3 | 1) + int(value).to_bytes(8, "little") if int(value) else b""


def f32(number, value):
    return varint(number << 3 | 5) + int(value).to_bytes(4, "little") if int(value) else b""


def s(number, text):
    return ld(number, text.encode()) if text else b""


def get(o, camel, snake=None, default=None):
    return o.get(camel, o.get(snake or camel, default))


def ident(text):
    return bytes.fromhex(text) if text else b""


KINDS = {"SPAN_KIND_UNSPECIFIED": 0, "SPAN_KIND_INTERNAL": 1, "SPAN_KIND_SERVER": 2, "SPAN_KIND_CLIENT": 3,
         "SPAN_KIND_PRODUCER": 4, "SPAN_KIND_CONSUMER": 5}
CODES = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}


def anyvalue(v):
    import struct
    if "stringValue" in v: return ld(1, v["stringValue"].encode())
    if "boolValue" in v: return varint(2 << 3) + varint(1 if v["boolValue"] else 0)
    if "intValue" in v: return varint(3 << 3) + varint(int(v["intValue"]))
    if "doubleValue" in v:
        d = v["doubleValue"]
        d = float(d) if not isinstance(d, str) else float({"Infinity": "inf", "-Infinity": "-inf"}.get(d, d))
        return varint(4 << 3 | 1) + struct.pack("<d", d)
    if "arrayValue" in v: return ld(5, b"".join(ld(1, anyvalue(x)) for x in v["arrayValue"].get("values", [])))
    if "kvlistValue" in v: return ld(6, b"".join(ld(1, kv(x)) for x in v["kvlistValue"].get("values", [])))
    if "bytesValue" in v: return ld(7, base64.b64decode(v["bytesValue"]))
    return b""


def kv(a):
    return s(1, a["key"]) + ld(2, anyvalue(a.get("value", {})))


def attrs(number, o):
    return b"".join(ld(number, kv(a)) for a in o.get("attributes", []))


def span(sp):
    kind = sp.get("kind", 0)
    status = sp.get("status", {})
    code = status.get("code", 0)
    out = ld(1, ident(get(sp, "traceId", "trace_id"))) + ld(2, ident(get(sp, "spanId", "span_id")))
    out += s(3, get(sp, "traceState", "trace_state", "")) + (ld(4, ident(get(sp, "parentSpanId", "parent_span_id"))) if get(sp, "parentSpanId", "parent_span_id") else b"")
    out += s(5, sp.get("name", "")) + vi(6, KINDS.get(kind, kind) if isinstance(kind, str) else kind)
    out += f64(7, get(sp, "startTimeUnixNano", "start_time_unix_nano", 0)) + f64(8, get(sp, "endTimeUnixNano", "end_time_unix_nano", 0))
    out += attrs(9, sp) + vi(10, sp.get("droppedAttributesCount", 0))
    for e in sp.get("events", []):
        out += ld(11, f64(1, get(e, "timeUnixNano", "time_unix_nano", 0)) + s(2, e.get("name", "")) + attrs(3, e))
    for l in sp.get("links", []):
        out += ld(13, ld(1, ident(l["traceId"])) + ld(2, ident(l["spanId"])) + s(3, l.get("traceState", "")) + attrs(4, l))
    if status:
        out += ld(15, s(2, status.get("message", "")) + vi(3, CODES.get(code, code) if isinstance(code, str) else code))
    return out + f32(16, sp.get("flags", 0))


def request(doc):
    out = b""
    for rs in doc.get("resourceSpans", []):
        body = ld(1, attrs(1, rs.get("resource", {})))
        for ss in rs.get("scopeSpans", rs.get("instrumentationLibrarySpans", [])):
            scope = ss.get("scope", ss.get("instrumentationLibrary", {}))
            sbody = ld(1, s(1, scope.get("name", "")) + s(2, scope.get("version", "")) + attrs(3, scope))
            sbody += b"".join(ld(2, span(sp)) for sp in ss.get("spans", []))
            body += ld(2, sbody + s(3, ss.get("schemaUrl", "")))
        out += ld(1, body + s(3, rs.get("schemaUrl", "")))
    return out


def main():
    documents = {}
    for path in sorted(glob.glob(os.path.join(FIXTURES, "*.json"))):
        name = os.path.splitext(os.path.basename(path))[0]
        documents[name] = open(path, "rb").read()
    first_line = open(os.path.join(ROOT, "examples/traces/email-assistant.jsonl"), "rb").read().split(b"\n")[0]
    documents["example-agent"] = first_line + b"\n"
    for name, raw in documents.items():
        write("otlp-json", name + ".json", raw)
        doc = json.loads(raw)
        proto = request(doc)
        write("otlp-proto", name + ".binpb", proto)
        spans = [sp for rs in doc["resourceSpans"] for ss in rs.get("scopeSpans", rs.get("instrumentationLibrarySpans", [])) for sp in ss["spans"]]
        for i in sorted({0, len(spans) // 2, len(spans) - 1}):
            write("otlp-proto-span", "%s-%d.binpb" % (name, i), span(spans[i]))
    for name in ["int-overflow", "invalid-utf8", "missing-name", "nul-in-string", "span-id-all-zero", "timestamp-wrong-type", "truncated", "wrong-type"]:
        write("otlp-json", "invalid-" + name + ".json", open(os.path.join(FIXTURES, "invalid", name + ".json"), "rb").read())
    # JSON Lines: the first byte sets the reader's chunk size (1 + byte % 64).
    write("otlp-jsonl", "python-sdk.jsonl", b"\x07" + open(os.path.join(FIXTURES, "python-sdk.jsonl"), "rb").read())
    write("otlp-jsonl", "one-bad-line.jsonl", b"\x01" + open(os.path.join(FIXTURES, "invalid/jsonl-one-bad-line.jsonl"), "rb").read())
    write("otlp-jsonl", "pretty-printed.json", b"\x3f" + json.dumps(json.loads(documents["old-envelope"]), indent=2).encode() + b"\n" + documents["js-sdk"])
    # Collector bodies: the first byte is the route (bits 0-1) and Content-Encoding (bits 2-3).
    js, pb = documents["openllmetry"], request(json.loads(documents["openllmetry"]))
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
    for code, name, body in [(0, "traces-json", js), (1, "traces-proto", pb)]:
        write("collector-body", name + ".bin", bytes([code]) + body)
        write("collector-body", name + "-gzip.bin", bytes([code | 4]) + gzip.compress(body, mtime=0))
        write("collector-body", name + "-deflate.bin", bytes([code | 8]) + zlib.compress(body))
    write("collector-body", "traces-json-raw-deflate.bin", bytes([8]) + raw_deflate.compress(js) + raw_deflate.flush())
    feedback = [
        {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": None, "rating": "down", "scores": {"accuracy": 0.2},
         "labels": {"intent": "refund"}, "correction": "The refund window is 30 days.", "comment": "wrong article",
         "flagged": True, "author": "ana", "source": "human", "time": "2026-03-09T12:05:10Z"},
        {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "rating": "up", "correction": {"label": "urgent"},
         "source": "model", "timeUnixNano": "1700000000000000001"},
        {"id": "fb-0123456789abcdef", "traceId": "5B8EFFF798038103D269B633813FC60C", "needsReview": True, "author": "bo"},
    ]
    lines = "".join(json.dumps(f) + "\n" for f in feedback)
    write("feedback", "three-items.jsonl", lines)
    write("collector-body", "feedback-array.bin", b"\x02" + json.dumps(feedback).encode())
    write("collector-body", "feedback-lines.bin", b"\x03" + lines.encode())
    for i, f in enumerate(feedback):
        write("feedback", "item-%d.jsonl" % i, json.dumps(f, separators=(",", ":")) + "\n")
    dataset = open(os.path.join(ROOT, "Datasets/email-assistant.jsonl"), "rb").read().split(b"\n")
    for i in range(0, 12, 4):
        write("dataset", "email-assistant-%d.jsonl" % i, b"\n".join(dataset[i:i + 4]) + b"\n")
    write("dataset", "hand-written.jsonl", '{"id":"a.1","input":{"q":"2+2"},"expected":4,"components":{"calc":{"selector":"op=tool tool=\'add\' first","expected":[{"name":"add"}]}},"metadata":{"tags":["math"]}}\n'
          '{"id":"b:2","input":"x","status":"needs_expected","provenance":{"traceId":"5b8efff798038103d269b633813fc60c","spanIds":["eee19b7ec3c1b174"],"feedbackIds":[],"promotedAt":"2026-03-09T12:05:10Z"}}\n')
    write("dataset", "multi-turn.jsonl", '{"id":"thread-ana","turns":[{"user":"Draft a reply.","decisions":[{"decision":"edit","text":"Hi Ana"},{"decision":"approve"}],'
          '"expected":"Sent.","components":{"triage":{"selector":"op=chat first","expected":"meeting","status":"ready"}}},{"user":{"q":"Which day?"},"expected":"Thursday"}],'
          '"expected":"Thursday","status":"ready","memory":[{"fact":"Thursday","given_in":1,"used_in":2}],"metadata":{},'
          '"provenance":{"traceId":"5b8efff798038103d269b633813fc60c","sessionId":"conv-1","turnTraceIds":["5b8efff798038103d269b633813fc60c"],"spanIds":[],"feedbackIds":[],"promotedAt":"2026-03-09T12:05:10Z"}}\n'
          '{"id":"s-1","turns":[{"user":"x","decisions":[{"decision":"reject"}]}],"expected":null}\n')
    write("suite-yaml", "assay.yaml", open(os.path.join(ROOT, "assay.yaml"), "rb").read())
    write("suite-yaml", "inline-components.yaml", "agent:\n  command: [./agent, --fast]\n  env: {MODE: test, N: 3}\n  mode: persistent\n"
          "tiers:\n  low: {model: m, input_price: 0.1, output_price: 0.2}\ndatasets: [data.jsonl]\ncomponents:\n"
          "  - component: triage\n    selector: op=chat first\n    scorers:\n      - kind: exact_match\n"
          "end_to_end: {scorers: [{kind: token_f1}]}\nrepeats: 3\nconcurrency: 2\nbudget_usd: 1.5\nrouting_margin: 0.02\n"
          "retries: {max: 1, base_delay_seconds: 0.5}\n")
    for path in sorted(glob.glob(os.path.join(ROOT, "Scorers/*.yaml"))):
        write("scorer-yaml", os.path.basename(path), open(path, "rb").read())
    selectors = ["root", "op=chat first", "op=chat nth=2", "op=tool", "op=retrieval last", "name=triage* tool='search kb'",
                 'attr."gen_ai.system"=openai model=gpt-4o*', "name=[a-c]?x all", 'tool="a b\\"c"']
    for i, text in enumerate(selectors):
        write("selector", "real-%d.txt" % i, text)
    paths = [("$.label", {"label": "urgent"}), ("$.answer.items[0][\"unit price\"]", {"answer": {"items": [{"unit price": 3}]}}),
             ("$['a.b'][-1]", {"a.b": [1, 2]}), ("$", [1])]
    for i, (path, doc) in enumerate(paths):
        write("jsonpath", "path-%d.txt" % i, path + "\n" + json.dumps(doc))
    triage = {"type": "object", "required": ["label", "reason", "next_action"],
              "properties": {"label": {"enum": ["urgent", "needs_reply", "fyi"]}, "reason": {"type": "string", "minLength": 1},
                             "next_action": {"type": "string"}}}
    write("json-schema", "triage.json", json.dumps({"schema": triage, "instance": {"label": "fyi", "reason": "r", "next_action": "none"}}))
    write("json-schema", "keywords.json", json.dumps({"schema": {"$defs": {"n": {"type": "number", "minimum": 0, "exclusiveMaximum": 10, "multipleOf": 0.5}},
        "type": "array", "items": {"$ref": "#/$defs/n"}, "minItems": 1, "maxItems": 3, "uniqueItems": True,
        "allOf": [{"not": {"const": [1]}}], "oneOf": [{"contains": {"const": 2}}, {"prefixItems": [{"type": "integer"}]}]},
        "instance": [2, 3.5]}))
    write("json-schema", "strings.json", json.dumps({"schema": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 4},
        "patternProperties": {"^x": {"format": "date-time"}}, "propertyNames": {"minLength": 1}, "minProperties": 1,
        "dependentRequired": {"a": ["b"]}, "if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"anyOf": [{"required": ["c"]}]}},
        "instance": {"a": "abc", "b": "x"}}))


main()
