#!/usr/bin/env python3
"""Validate stub_upstream.py with the REAL openai and anthropic Python clients.

    /work/main/.venv/bin/python check_stub.py [-v]

Starts its own stub on a free loopback port, runs every check, prints one line
per failure (and a summary), exits 0 only when every check passed.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import traceback
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
VERBOSE = "-v" in sys.argv

import anthropic  # noqa: E402
import openai  # noqa: E402

RESULTS: list[tuple[str, str | None]] = []


def check(name):
    def wrap(fn):
        def run():
            try:
                fn()
                RESULTS.append((name, None))
                if VERBOSE:
                    print(f"ok   {name}")
            except Exception as exc:  # noqa: BLE001 - report every failure, keep going
                detail = f"{type(exc).__name__}: {exc}"
                if VERBOSE:
                    detail += "\n" + traceback.format_exc()
                RESULTS.append((name, detail))
                print(f"FAIL {name}: {detail}")
        run.__name__ = fn.__name__
        CHECKS.append(run)
        return fn
    return wrap


CHECKS: list = []


def eq(actual, expected, what=""):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def ok(cond, what):
    if not cond:
        raise AssertionError(what)


# --------------------------------------------------------------------------- stub control


class Stub:
    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "stub_upstream.py"), "--port", "0"],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        self.port = json.loads(line)["port"]
        self.base = f"http://127.0.0.1:{self.port}"

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())

    def reset(self):
        self.call("POST", "/_stub/reset", {})

    def requests(self):
        return self.call("GET", "/_stub/requests")

    def fail(self, **cfg):
        self.call("POST", "/_stub/fail", cfg)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


STUB: Stub


def oai() -> openai.OpenAI:
    return openai.OpenAI(api_key="sk-check-openai", base_url=STUB.base + "/v1", max_retries=0, timeout=10)


def ant() -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key="sk-ant-check", base_url=STUB.base, max_retries=0, timeout=10)


CHAT_TOOLS = [{"type": "function", "function": {
    "name": "lookup", "description": "Look something up",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}]
RESP_TOOLS = [{"type": "function", "name": "lookup", "description": "Look something up", "strict": False,
               "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}]
ANT_TOOLS = [{"name": "lookup", "description": "Look something up",
              "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}]
Q = "what is the capital of France"
ANSWER = f"answer from gpt-4o-mini: {Q}"


# --------------------------------------------------------------------------- OpenAI chat completions


@check("openai chat.completions.create")
def _():
    STUB.reset()
    r = oai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": "be brief"},
                                                                     {"role": "user", "content": Q}])
    eq(r.model, "gpt-4o-mini", "model")
    eq(r.choices[0].message.content, ANSWER, "content")
    eq(r.choices[0].finish_reason, "stop", "finish_reason")
    eq(r.usage.prompt_tokens, (1 + 2) + (1 + 6), "prompt_tokens")
    eq(r.usage.completion_tokens, len(ANSWER.split()), "completion_tokens")
    eq(r.usage.total_tokens, r.usage.prompt_tokens + r.usage.completion_tokens, "total_tokens")
    eq(r.usage.prompt_tokens_details.cached_tokens, 2, "cached_tokens")
    eq(r.usage.completion_tokens_details.reasoning_tokens, 1, "reasoning_tokens")
    reqs = STUB.requests()
    eq(len(reqs), 1, "recorded requests")
    rec = reqs[0]
    eq((rec["method"], rec["path"], rec["model"], rec["stream"]), ("POST", "/v1/chat/completions", "gpt-4o-mini", False),
       "record")
    eq(rec["authorization"], "Bearer sk-check-openai", "authorization")
    eq(rec["body"]["messages"][1]["content"], Q, "recorded body")


@check("openai chat.completions.create(stream, include_usage)")
def _():
    chunks = list(oai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": Q}],
                                                stream=True, stream_options={"include_usage": True}))
    ok(len(chunks) >= 5, f"only {len(chunks)} chunks")
    eq(chunks[0].choices[0].delta.role, "assistant", "first delta role")
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    eq(text, ANSWER, "concatenated deltas")
    ok(sum(1 for c in chunks if c.choices and c.choices[0].delta.content) >= 3, "content split in several deltas")
    finals = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    eq(finals, ["stop"], "finish_reason")
    eq(chunks[-1].choices, [], "usage chunk has no choices")
    eq(chunks[-1].usage.prompt_tokens, 7, "usage.prompt_tokens")
    eq(chunks[-1].usage.completion_tokens, len(ANSWER.split()), "usage.completion_tokens")
    eq(chunks[-1].model, "gpt-4o-mini", "model")
    ok(all(c.usage is None for c in chunks[:-1]), "usage only on the last chunk")


@check("openai chat.completions.create(stream) without usage")
def _():
    chunks = list(oai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": Q}],
                                                stream=True))
    ok(all(c.usage is None for c in chunks), "no usage without include_usage")
    ok(all(c.choices for c in chunks), "no empty-choices chunk without include_usage")
    eq("".join(c.choices[0].delta.content or "" for c in chunks), ANSWER, "text")


@check("openai chat tools round trip")
def _():
    c = oai()
    msgs = [{"role": "user", "content": Q}]
    r = c.chat.completions.create(model="gpt-4o-mini", messages=msgs, tools=CHAT_TOOLS)
    eq(r.choices[0].finish_reason, "tool_calls", "finish_reason")
    call = r.choices[0].message.tool_calls[0]
    eq(call.function.name, "lookup", "tool name")
    eq(json.loads(call.function.arguments), {"query": Q}, "arguments")
    ok(call.id.startswith("call_"), "call id")
    msgs += [r.choices[0].message.model_dump(exclude_none=True),
             {"role": "tool", "tool_call_id": call.id, "content": "Paris"}]
    r2 = c.chat.completions.create(model="gpt-4o-mini", messages=msgs, tools=CHAT_TOOLS)
    eq(r2.choices[0].finish_reason, "stop", "second finish_reason")
    eq(r2.choices[0].message.content, ANSWER, "second content")


@check("openai chat tools stream (incremental tool_call deltas)")
def _():
    chunks = list(oai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": Q}],
                                                tools=CHAT_TOOLS, stream=True,
                                                stream_options={"include_usage": True}))
    first = chunks[0].choices[0].delta
    eq(first.role, "assistant", "role")
    eq(first.tool_calls[0].function.name, "lookup", "name in first tool delta")
    ok(first.tool_calls[0].id, "id in first tool delta")
    args = "".join(tc.function.arguments or "" for c in chunks if c.choices for tc in (c.choices[0].delta.tool_calls or []))
    eq(json.loads(args), {"query": Q}, "accumulated arguments")
    ok(sum(1 for c in chunks if c.choices and c.choices[0].delta.tool_calls) >= 3, "arguments in several deltas")
    eq([c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason], ["tool_calls"],
       "finish")
    ok(chunks[-1].usage is not None, "usage chunk")


@check("openai chat.completions.stream helper get_final_completion")
def _():
    with oai().chat.completions.stream(model="gpt-4o-mini", messages=[{"role": "user", "content": Q}],
                                       tools=CHAT_TOOLS, stream_options={"include_usage": True}) as s:
        final = s.get_final_completion()
    eq(json.loads(final.choices[0].message.tool_calls[0].function.arguments), {"query": Q}, "final tool args")
    eq(final.usage.completion_tokens_details.reasoning_tokens, 1, "usage")


# --------------------------------------------------------------------------- OpenAI responses


@check("openai responses.create (string input)")
def _():
    r = oai().responses.create(model="gpt-4o-mini", input=Q)
    eq(r.model, "gpt-4o-mini", "model")
    eq(r.status, "completed", "status")
    eq(r.output_text, ANSWER, "output_text")
    eq(r.output[0].type, "message", "output item")
    eq(r.usage.input_tokens, 7, "input_tokens")
    eq(r.usage.output_tokens, len(ANSWER.split()), "output_tokens")
    eq(r.usage.total_tokens, r.usage.input_tokens + r.usage.output_tokens, "total_tokens")
    eq(r.usage.input_tokens_details.cached_tokens, 2, "cached_tokens")
    eq(r.usage.output_tokens_details.reasoning_tokens, 1, "reasoning_tokens")


@check("openai responses.create (item list input)")
def _():
    r = oai().responses.create(model="gpt-4o-mini", instructions="be brief", input=[
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "first answer"},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": Q}]}])
    eq(r.output_text, ANSWER, "output_text")
    eq(r.usage.input_tokens, 3 + 3 + 7, "input_tokens")


@check("openai responses.create(stream) event sequence")
def _():
    events = list(oai().responses.create(model="gpt-4o-mini", input=Q, stream=True))
    types = [e.type for e in events]
    deltas = [e for e in events if e.type == "response.output_text.delta"]
    ok(len(deltas) >= 3, "several text deltas")
    expected = (["response.created", "response.in_progress", "response.output_item.added",
                 "response.content_part.added"] + ["response.output_text.delta"] * len(deltas) +
                ["response.output_text.done", "response.content_part.done", "response.output_item.done",
                 "response.completed"])
    eq(types, expected, "event types")
    eq([e.sequence_number for e in events], list(range(len(events))), "sequence_number")
    eq("".join(d.delta for d in deltas), ANSWER, "deltas")
    done = events[-1].response
    eq(done.output_text, ANSWER, "completed output_text")
    eq(done.usage.input_tokens_details.cached_tokens, 2, "completed usage")
    eq(events[0].response.status, "in_progress", "created status")


@check("openai responses.stream helper get_final_response")
def _():
    with oai().responses.stream(model="gpt-4o-mini", input=Q) as s:
        final = s.get_final_response()
    eq(final.output_text, ANSWER, "final output_text")
    eq(final.usage.output_tokens_details.reasoning_tokens, 1, "usage")


@check("openai responses tools round trip (+ streamed function call)")
def _():
    c = oai()
    r = c.responses.create(model="gpt-4o-mini", input=Q, tools=RESP_TOOLS)
    eq([o.type for o in r.output], ["function_call"], "output types")
    call = r.output[0]
    eq(call.name, "lookup", "name")
    eq(json.loads(call.arguments), {"query": Q}, "arguments")
    r2 = c.responses.create(model="gpt-4o-mini", tools=RESP_TOOLS, input=[
        {"role": "user", "content": Q}, call.model_dump(exclude_none=True),
        {"type": "function_call_output", "call_id": call.call_id, "output": "Paris"}])
    eq(r2.output_text, ANSWER, "second output_text")
    events = list(c.responses.create(model="gpt-4o-mini", input=Q, tools=RESP_TOOLS, stream=True))
    args = "".join(e.delta for e in events if e.type == "response.function_call_arguments.delta")
    eq(json.loads(args), {"query": Q}, "streamed arguments")
    eq(events[-1].response.output[0].type, "function_call", "completed output")


# --------------------------------------------------------------------------- OpenAI embeddings


@check("openai embeddings.create (default base64 + float, str + list)")
def _():
    c = oai()
    STUB.reset()
    r = c.embeddings.create(model="text-embedding-3-small", input=Q)
    eq(len(r.data), 1, "data")
    eq(len(r.data[0].embedding), 8, "dims")
    eq(r.usage.prompt_tokens, 6, "prompt_tokens")
    eq(r.usage.total_tokens, 6, "total_tokens")
    eq(r.model, "text-embedding-3-small", "model")
    sent = STUB.requests()[0]["body"].get("encoding_format")
    r2 = c.embeddings.create(model="text-embedding-3-small", input=[Q, "other"], encoding_format="float")
    eq([d.index for d in r2.data], [0, 1], "indices")
    eq(r2.data[0].embedding, r.data[0].embedding, f"float == decoded {sent} vector")
    ok(r2.data[0].embedding != r2.data[1].embedding, "different inputs, different vectors")


# --------------------------------------------------------------------------- OpenAI errors


@check("openai 429 + Retry-After -> RateLimitError")
def _():
    STUB.fail(status=429, retry_after="2", count=1)
    try:
        oai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": Q}])
        raise AssertionError("no exception")
    except openai.RateLimitError as e:
        eq(e.status_code, 429, "status")
        eq(e.response.headers.get("retry-after"), "2", "retry-after")
        eq(e.code, "rate_limit_exceeded", "code")
        ok("Rate limit" in e.message, f"message {e.message!r}")
    r = oai().chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": Q}])
    eq(r.choices[0].message.content, ANSWER, "next call succeeds (count consumed)")


@check("openai injected 500 with custom body, count 2")
def _():
    STUB.fail(status=500, count=2, body={"error": {"message": "boom", "type": "server_error", "code": None}})
    for _ in range(2):
        try:
            oai().embeddings.create(model="text-embedding-3-small", input="x")
            raise AssertionError("no exception")
        except openai.InternalServerError as e:
            ok("boom" in e.message, f"message {e.message!r}")
            ok(e.response.headers.get("retry-after") is None, "no retry-after")
    oai().embeddings.create(model="text-embedding-3-small", input="x")


# --------------------------------------------------------------------------- Anthropic


@check("anthropic messages.create (text)")
def _():
    STUB.reset()
    r = ant().messages.create(model="claude-3-5-haiku-latest", max_tokens=100, system="be brief",
                              messages=[{"role": "user", "content": Q}])
    eq(r.model, "claude-3-5-haiku-latest", "model")
    eq([b.type for b in r.content], ["text"], "blocks")
    eq(r.content[0].text, "answer from claude-3-5-haiku-latest: " + Q, "text")
    eq(r.stop_reason, "end_turn", "stop_reason")
    eq(r.usage.input_tokens, 7, "input_tokens")
    eq(r.usage.output_tokens, len(ANSWER.split()), "output_tokens")
    eq(r.usage.cache_read_input_tokens, 2, "cache_read")
    eq(r.usage.cache_creation_input_tokens, 0, "cache_creation")
    rec = STUB.requests()[0]
    eq(rec["path"], "/v1/messages", "path")
    ok(rec["authorization"] == "Bearer sk-ant-check" or rec["x_api_key"] == "sk-ant-check",
       f"key header: authorization={rec['authorization']!r} x-api-key={rec['x_api_key']!r}")
    ok(rec["headers"].get("anthropic-version"), "anthropic-version header")


@check("anthropic tools round trip")
def _():
    c = ant()
    msgs = [{"role": "user", "content": Q}]
    r = c.messages.create(model="claude-3-5-haiku-latest", max_tokens=100, tools=ANT_TOOLS, messages=msgs)
    eq(r.stop_reason, "tool_use", "stop_reason")
    block = r.content[0]
    eq((block.type, block.name, block.input), ("tool_use", "lookup", {"query": Q}), "tool_use block")
    msgs += [{"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in r.content]},
             {"role": "user", "content": [{"type": "tool_result", "tool_use_id": block.id, "content": "Paris"}]}]
    r2 = c.messages.create(model="claude-3-5-haiku-latest", max_tokens=100, tools=ANT_TOOLS, messages=msgs)
    eq(r2.stop_reason, "end_turn", "second stop_reason")
    eq(r2.content[0].text, "answer from claude-3-5-haiku-latest: " + Q, "second text")


@check("anthropic messages.stream get_final_message (text + tool_use)")
def _():
    c = ant()
    with c.messages.stream(model="claude-3-5-haiku-latest", max_tokens=100,
                           messages=[{"role": "user", "content": Q}]) as s:
        texts = list(s.text_stream)
        final = s.get_final_message()
    ok(len(texts) >= 3, "several text deltas")
    eq("".join(texts), "answer from claude-3-5-haiku-latest: " + Q, "text_stream")
    eq(final.content[0].text, "answer from claude-3-5-haiku-latest: " + Q, "final text")
    eq(final.stop_reason, "end_turn", "stop_reason")
    eq((final.usage.input_tokens, final.usage.output_tokens, final.usage.cache_read_input_tokens),
       (7, len(ANSWER.split()), 2), "usage")
    with c.messages.stream(model="claude-3-5-haiku-latest", max_tokens=100, tools=ANT_TOOLS,
                           messages=[{"role": "user", "content": Q}]) as s:
        final = s.get_final_message()
    eq((final.content[0].type, final.content[0].input, final.stop_reason), ("tool_use", {"query": Q}, "tool_use"),
       "streamed tool_use")


@check("anthropic messages.create(stream=True) raw event order")
def _():
    events = list(ant().messages.create(model="claude-3-5-haiku-latest", max_tokens=100, stream=True,
                                        messages=[{"role": "user", "content": Q}]))
    types = [e.type for e in events]
    n = types.count("content_block_delta")
    ok(n >= 3, "several deltas")
    eq(types, ["message_start", "content_block_start"] + ["content_block_delta"] * n +
       ["content_block_stop", "message_delta", "message_stop"], "types (ping filtered by the client)")
    eq(events[0].message.usage.input_tokens, 7, "message_start usage")
    eq(events[-2].usage.output_tokens, len(ANSWER.split()), "message_delta usage")


@check("anthropic 429 + Retry-After -> RateLimitError")
def _():
    STUB.fail(status=429, retry_after="2", count=1)
    try:
        ant().messages.create(model="claude-3-5-haiku-latest", max_tokens=10, messages=[{"role": "user", "content": Q}])
        raise AssertionError("no exception")
    except anthropic.RateLimitError as e:
        eq(e.status_code, 429, "status")
        eq(e.response.headers.get("retry-after"), "2", "retry-after")
        eq(e.body["error"]["type"] if isinstance(e.body, dict) and "error" in e.body else e.body.get("type"),
           "rate_limit_error", "error type")


# --------------------------------------------------------------------------- raw HTTP


def raw(conn: http.client.HTTPConnection, method: str, path: str, body=None, headers=None):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    resp = conn.getresponse()
    return resp, resp.read()


@check("keep-alive across JSON, SSE, error and 404 responses; determinism")
def _():
    conn = http.client.HTTPConnection("127.0.0.1", STUB.port, timeout=10)
    chat = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    r1, b1 = raw(conn, "POST", "/v1/chat/completions", chat)
    sock = conn.sock
    ok(sock is not None, "connection kept open")
    ok(r1.getheader("Content-Length") == str(len(b1)), "content-length")
    _, b1b = raw(conn, "POST", "/v1/chat/completions", chat)
    eq(b1b, b1, "same request, same bytes")
    for path, body in [("/v1/chat/completions", {**chat, "stream": True, "stream_options": {"include_usage": True}}),
                       ("/v1/responses", {"model": "m", "input": "hi", "stream": True}),
                       ("/v1/messages", {"model": "m", "max_tokens": 5, "messages": chat["messages"], "stream": True})]:
        r, b = raw(conn, "POST", path, body)
        eq(r.getheader("Transfer-Encoding"), "chunked", f"{path} chunked")
        ok(r.getheader("Content-Type").startswith("text/event-stream"), "content-type")
        _, b2 = raw(conn, "POST", path, body)
        eq(b2, b, f"{path} stream deterministic")
        ok(conn.sock is sock, f"socket reused after {path} stream")
    r, b = raw(conn, "POST", "/v1/nope", {})
    eq(r.status, 404, "unknown path status")
    ok("error" in json.loads(b), "404 JSON error")
    r, b = raw(conn, "GET", "/elsewhere")
    eq(r.status, 404, "non-/v1 unknown path")
    STUB.fail(status=429, retry_after="1", count=1)
    r, b = raw(conn, "POST", "/v1/messages", {"model": "m", "messages": []})
    eq((r.status, r.getheader("Retry-After")), (429, "1"), "429")
    eq(json.loads(b)["type"], "error", "anthropic-shaped error")
    ok(conn.sock is sock, "socket reused after 404/429")
    conn.close()


@check("chunked request body is accepted")
def _():
    conn = http.client.HTTPConnection("127.0.0.1", STUB.port, timeout=10)
    payload = json.dumps({"model": "m", "input": ["a", "b"]}).encode()
    conn.request("POST", "/v1/embeddings", body=iter([payload[:10], payload[10:]]),
                 headers={"Content-Type": "application/json"}, encode_chunked=True)
    resp = conn.getresponse()
    data = json.loads(resp.read())
    eq(len(data["data"]), 2, "embeddings from chunked body")
    conn.close()


@check("control endpoints: requests/reset/delay")
def _():
    STUB.reset()
    eq(STUB.requests(), [], "empty after reset")
    STUB.call("POST", "/_stub/delay", {"seconds": 0.3})
    t = time.monotonic()
    oai().embeddings.create(model="e", input="x")
    ok(time.monotonic() - t >= 0.3, "delay applied")
    STUB.call("POST", "/_stub/delay", {"seconds": 0})
    reqs = STUB.requests()
    eq([(r["path"], r["status"], r["x_api_key"]) for r in reqs], [("/v1/embeddings", 200, None)], "recorded")
    STUB.reset()


@check("threaded: 16 concurrent delayed requests overlap")
def _():
    from concurrent.futures import ThreadPoolExecutor

    STUB.call("POST", "/_stub/delay", {"seconds": 0.5})
    c = oai()
    t = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        outs = list(pool.map(lambda i: c.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": f"q{i}"}]).choices[0].message.content,
            range(16)))
    elapsed = time.monotonic() - t
    STUB.reset()
    eq(outs, [f"answer from gpt-4o-mini: q{i}" for i in range(16)], "answers")
    ok(elapsed < 3.0, f"took {elapsed:.2f}s (not concurrent?)")


def main() -> int:
    global STUB
    STUB = Stub()
    try:
        for run in CHECKS:
            run()
    finally:
        STUB.stop()
    failed = [n for n, err in RESULTS if err]
    print(f"check_stub: openai {openai.__version__}, anthropic {anthropic.__version__}")
    print(f"{len(RESULTS) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
