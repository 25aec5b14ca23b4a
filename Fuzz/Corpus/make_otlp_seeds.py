#!/usr/bin/env python3
"""Writes the OTLP seeds of otlp-proto/ and otlp-json/: one span whose attribute value is nested N
values deep (kvlists or arrays), as protobuf (ExportTraceServiceRequest) and as OTLP/JSON.
Built iteratively, so any depth works. Run from this folder: python3 make_otlp_seeds.py"""

TRACE = bytes.fromhex("5b8efff798038103d269b633813fc60c")
SPAN = bytes.fromhex("eee19b7ec3c1b174")


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field(number, payload):  # length-delimited
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def fixed64(number, value):
    return varint(number << 3 | 1) + value.to_bytes(8, "little")


def proto(levels, arrays):
    value = field(6, b"")  # the innermost value: an empty kvlist
    for _ in range(levels - 1):
        if arrays:
            value = field(5, field(1, value))
        else:
            value = field(6, field(1, field(1, b"k") + field(2, value)))
    span = (field(1, TRACE) + field(2, SPAN) + field(5, b"deep") + fixed64(7, 1000) + fixed64(8, 2000)
            + field(9, field(1, b"deep") + field(2, value)))
    return field(1, field(2, field(2, span)))


def json_text(levels, arrays, in_link=False):
    value = '{"kvlistValue":{"values":[]}}'
    for _ in range(levels - 1):
        if arrays:
            value = '{"arrayValue":{"values":[' + value + ']}}'
        else:
            value = '{"kvlistValue":{"values":[{"key":"k","value":' + value + '}]}}'
    attribute = '[{"key":"deep","value":' + value + '}]'
    span = '{"traceId":"%s","spanId":"%s","name":"deep","startTimeUnixNano":"1000","endTimeUnixNano":"2000"' % (TRACE.hex(), SPAN.hex())
    if in_link:
        span += ',"links":[{"traceId":"%s","spanId":"%s","attributes":%s}]}' % (TRACE.hex(), "0000000000000003", attribute)
    else:
        span += ',"attributes":' + attribute + '}'
    return '{"resourceSpans":[{"resource":{},"scopeSpans":[{"scope":{},"spans":[' + span + ']}]}]}\n'


open("otlp-proto/kvlist-nested-200.binpb", "wb").write(proto(200, False))
open("otlp-proto/array-nested-129.binpb", "wb").write(proto(129, True))
open("otlp-proto/kvlist-nested-128.binpb", "wb").write(proto(128, False))
open("otlp-json/kvlist-nested-200.json", "w").write(json_text(200, False))
open("otlp-json/kvlist-nested-129.json", "w").write(json_text(129, False))
open("otlp-json/kvlist-nested-128-in-link.json", "w").write(json_text(128, False, in_link=True))
