#!/usr/bin/env python3
"""Deterministic fake OpenAI + Anthropic upstream for Assay's model-gateway tests.

Standard library only. Usage:

    python stub_upstream.py [--port 0] [--verbose]

Listens on 127.0.0.1, prints exactly one line ``{"port": N}`` to stdout, then
serves until SIGTERM/SIGINT. HTTP/1.1 with keep-alive: every non-streaming
response carries Content-Length; streaming responses (SSE) use
``Transfer-Encoding: chunked`` with one chunk per SSE event.

Model endpoints (POST): /v1/chat/completions, /v1/responses, /v1/embeddings,
/v1/messages. Control endpoints: GET /_stub/requests, POST /_stub/reset,
POST /_stub/fail, POST /_stub/delay. Everything else: 404 with a JSON error.
Identical request bodies produce identical response bytes (ids are derived
from a hash of the canonical request body; timestamps are fixed).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import json
import signal
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CREATED = 1700000000

OPENAI_PATHS = ("/v1/chat/completions", "/v1/responses", "/v1/embeddings")
ANTHROPIC_PATHS = ("/v1/messages",)
MODEL_PATHS = OPENAI_PATHS + ANTHROPIC_PATHS

OPENAI_ERRORS = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "model_not_found"),
    408: ("server_error", "timeout"),
    409: ("invalid_request_error", "conflict"),
    422: ("invalid_request_error", "unprocessable_entity"),
    429: ("requests", "rate_limit_exceeded"),
    500: ("server_error", "server_error"),
    502: ("server_error", "bad_gateway"),
    503: ("server_error", "service_unavailable"),
}
ANTHROPIC_ERRORS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}


# --------------------------------------------------------------------------- state


class State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.fail: dict | None = None  # {"status", "retry_after", "count", "body"}
        self.delay = 0.0
        self.chunk_delay = 0.0

    def take_failure(self) -> dict | None:
        with self.lock:
            if not self.fail or self.fail.get("count", 0) <= 0:
                return None
            self.fail["count"] -= 1
            taken = dict(self.fail)
            if self.fail["count"] <= 0:
                self.fail = None
            return taken


STATE = State()


# --------------------------------------------------------------------------- helpers


def dumps(obj) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def words(text) -> int:
    return len(text.split()) if isinstance(text, str) else 0


def split_pieces(text: str, parts: int = 4) -> list[str]:
    """Split text into up to `parts` non-empty pieces whose concatenation is `text`."""
    if not text:
        return [""]
    parts = max(1, min(parts, len(text)))
    size = -(-len(text) // parts)
    return [text[i : i + size] for i in range(0, len(text), size)]


def word_pieces(text: str) -> list[str]:
    """Split text into word-sized pieces (each keeps its leading space); at least 2 pieces when possible."""
    out: list[str] = []
    for i, w in enumerate(text.split(" ")):
        out.append(w if i == 0 else " " + w)
    out = [p for p in out if p]
    if len(out) < 2:
        out = split_pieces(text, 3)
    return out or [""]


def text_of(content) -> str:
    """Text of an OpenAI/Anthropic/Responses content value (string or list of parts)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = []
        for part in content:
            if isinstance(part, str):
                texts.append(part)
            elif isinstance(part, dict):
                if isinstance(part.get("text"), str):
                    texts.append(part["text"])
                elif part.get("type") == "tool_result":
                    texts.append(text_of(part.get("content")))
        return " ".join(t for t in texts if t)
    return ""


def first_tool_name(tools) -> str | None:
    if not isinstance(tools, list):
        return None
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        if isinstance(tool.get("function"), dict) and tool["function"].get("name"):
            return tool["function"]["name"]
        if tool.get("name"):
            return tool["name"]
    return None


# --------------------------------------------------------------------------- chat completions


def chat_last_user_text(messages) -> str:
    for m in reversed(messages or []):
        if isinstance(m, dict) and m.get("role") == "user":
            t = text_of(m.get("content"))
            if t:
                return t
    return ""


def chat_prompt_tokens(messages) -> int:
    n = 0
    for m in messages or []:
        if isinstance(m, dict):
            n += 1 + words(text_of(m.get("content")))
    return n


def chat_plan(body: dict) -> dict:
    h = digest(body)
    model = body.get("model") or "unknown-model"
    messages = body.get("messages") or []
    user = chat_last_user_text(messages)
    tool = first_tool_name(body.get("tools"))
    has_tool_msg = any(isinstance(m, dict) and m.get("role") == "tool" for m in messages)
    plan = {"id": "chatcmpl-" + h[:24], "model": model, "prompt_tokens": chat_prompt_tokens(messages)}
    if tool and not has_tool_msg:
        args = json.dumps({"query": user})
        plan.update(kind="tool", tool=tool, call_id="call_" + h[24:48], arguments=args,
                    finish="tool_calls", completion_tokens=max(1, words(args)))
    else:
        text = f"answer from {model}: {user}"
        plan.update(kind="text", text=text, finish="stop", completion_tokens=max(1, words(text)))
    return plan


def chat_usage(plan: dict) -> dict:
    p, c = plan["prompt_tokens"], plan["completion_tokens"]
    return {
        "prompt_tokens": p,
        "completion_tokens": c,
        "total_tokens": p + c,
        "prompt_tokens_details": {"cached_tokens": 2, "audio_tokens": 0},
        "completion_tokens_details": {"reasoning_tokens": 1, "audio_tokens": 0,
                                      "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
    }


def chat_response(body: dict) -> dict:
    plan = chat_plan(body)
    if plan["kind"] == "tool":
        message = {"role": "assistant", "content": None, "refusal": None, "annotations": [],
                   "tool_calls": [{"id": plan["call_id"], "type": "function",
                                   "function": {"name": plan["tool"], "arguments": plan["arguments"]}}]}
    else:
        message = {"role": "assistant", "content": plan["text"], "refusal": None, "annotations": []}
    return {
        "id": plan["id"], "object": "chat.completion", "created": CREATED, "model": plan["model"],
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": plan["finish"]}],
        "usage": chat_usage(plan), "service_tier": "default", "system_fingerprint": "fp_stub",
    }


def chat_stream(body: dict):
    plan = chat_plan(body)
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))

    def chunk(delta, finish=None):
        c = {"id": plan["id"], "object": "chat.completion.chunk", "created": CREATED, "model": plan["model"],
             "service_tier": "default", "system_fingerprint": "fp_stub",
             "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}
        if include_usage:
            c["usage"] = None
        return b"data: " + dumps(c) + b"\n\n"

    if plan["kind"] == "tool":
        yield chunk({"role": "assistant", "content": None, "refusal": None,
                     "tool_calls": [{"index": 0, "id": plan["call_id"], "type": "function",
                                     "function": {"name": plan["tool"], "arguments": ""}}]})
        for piece in split_pieces(plan["arguments"], 4):
            yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
    else:
        yield chunk({"role": "assistant", "content": "", "refusal": None})
        for piece in word_pieces(plan["text"]):
            yield chunk({"content": piece})
    yield chunk({}, plan["finish"])
    if include_usage:
        final = {"id": plan["id"], "object": "chat.completion.chunk", "created": CREATED, "model": plan["model"],
                 "service_tier": "default", "system_fingerprint": "fp_stub", "choices": [], "usage": chat_usage(plan)}
        yield b"data: " + dumps(final) + b"\n\n"
    yield b"data: [DONE]\n\n"


# --------------------------------------------------------------------------- responses


def responses_items(body: dict) -> list:
    inp = body.get("input")
    if isinstance(inp, str):
        return [{"role": "user", "content": inp}]
    return [i for i in inp or [] if isinstance(i, dict)]


def responses_plan(body: dict) -> dict:
    h = digest(body)
    model = body.get("model") or "unknown-model"
    items = responses_items(body)
    user = ""
    for item in reversed(items):
        if item.get("role") == "user" and item.get("type", "message") == "message":
            user = text_of(item.get("content"))
            if user:
                break
    prompt = 0
    for item in items:
        prompt += 1 + words(text_of(item.get("content")) if "content" in item else
                            (item.get("output") if isinstance(item.get("output"), str) else text_of(item.get("output"))))
    tool = first_tool_name(body.get("tools"))
    has_output = any(item.get("type") == "function_call_output" for item in items)
    plan = {"id": "resp_" + h[:32], "model": model, "prompt_tokens": prompt, "hash": h}
    if tool and not has_output:
        args = json.dumps({"query": user})
        plan.update(kind="tool", item_id="fc_" + h[32:56], call_id="call_" + h[24:48], tool=tool,
                    arguments=args, completion_tokens=max(1, words(args)))
    else:
        text = f"answer from {model}: {user}"
        plan.update(kind="text", item_id="msg_" + h[32:56], text=text, completion_tokens=max(1, words(text)))
    return plan


def responses_item(plan: dict, done: bool) -> dict:
    status = "completed" if done else "in_progress"
    if plan["kind"] == "tool":
        return {"id": plan["item_id"], "type": "function_call", "status": status,
                "arguments": plan["arguments"] if done else "", "call_id": plan["call_id"], "name": plan["tool"]}
    content = [responses_part(plan, True)] if done else []
    return {"id": plan["item_id"], "type": "message", "status": status, "role": "assistant", "content": content}


def responses_part(plan: dict, done: bool) -> dict:
    return {"type": "output_text", "text": plan["text"] if done else "", "annotations": [], "logprobs": []}


def responses_object(body: dict, plan: dict, done: bool) -> dict:
    usage = None
    if done:
        p, c = plan["prompt_tokens"], plan["completion_tokens"]
        usage = {"input_tokens": p, "input_tokens_details": {"cached_tokens": 2, "cache_write_tokens": 0},
                 "output_tokens": c, "output_tokens_details": {"reasoning_tokens": 1}, "total_tokens": p + c}
    return {
        "id": plan["id"], "object": "response", "created_at": CREATED,
        "status": "completed" if done else "in_progress",
        "completed_at": CREATED + 1 if done else None,
        "background": False, "error": None, "incomplete_details": None,
        "instructions": body.get("instructions"), "max_output_tokens": body.get("max_output_tokens"),
        "model": plan["model"], "output": [responses_item(plan, True)] if done else [],
        "parallel_tool_calls": True, "previous_response_id": body.get("previous_response_id"),
        "reasoning": {"effort": None, "summary": None}, "service_tier": "default", "store": True,
        "temperature": 1.0, "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto", "tools": body.get("tools") or [], "top_p": 1.0, "truncation": "disabled",
        "usage": usage, "user": None, "metadata": body.get("metadata") or {},
    }


def responses_response(body: dict) -> dict:
    return responses_object(body, responses_plan(body), True)


def responses_stream(body: dict):
    plan = responses_plan(body)
    seq = 0

    def event(obj):
        nonlocal seq
        obj = {"type": obj.pop("type"), "sequence_number": seq, **obj}
        seq += 1
        return b"event: " + obj["type"].encode() + b"\ndata: " + dumps(obj) + b"\n\n"

    base = {"output_index": 0, "item_id": plan["item_id"]}
    yield event({"type": "response.created", "response": responses_object(body, plan, False)})
    yield event({"type": "response.in_progress", "response": responses_object(body, plan, False)})
    yield event({"type": "response.output_item.added", "output_index": 0, "item": responses_item(plan, False)})
    if plan["kind"] == "tool":
        for piece in split_pieces(plan["arguments"], 4):
            yield event({"type": "response.function_call_arguments.delta", **base, "delta": piece})
        yield event({"type": "response.function_call_arguments.done", **base,
                     "name": plan["tool"], "arguments": plan["arguments"]})
    else:
        yield event({"type": "response.content_part.added", **base, "content_index": 0,
                     "part": responses_part(plan, False)})
        for piece in word_pieces(plan["text"]):
            yield event({"type": "response.output_text.delta", **base, "content_index": 0,
                         "delta": piece, "logprobs": []})
        yield event({"type": "response.output_text.done", **base, "content_index": 0,
                     "text": plan["text"], "logprobs": []})
        yield event({"type": "response.content_part.done", **base, "content_index": 0,
                     "part": responses_part(plan, True)})
    yield event({"type": "response.output_item.done", "output_index": 0, "item": responses_item(plan, True)})
    yield event({"type": "response.completed", "response": responses_object(body, plan, True)})


# --------------------------------------------------------------------------- embeddings


def embedding_vector(value) -> list[float]:
    h = hashlib.sha256(json.dumps(value, sort_keys=True).encode()).digest()
    # 8 values in [-1, 1), exactly representable in float32 (multiples of 1/32768).
    return [(int.from_bytes(h[2 * i : 2 * i + 2], "big") - 32768) / 32768.0 for i in range(8)]


def embeddings_response(body: dict) -> dict:
    inp = body.get("input")
    if isinstance(inp, str) or (isinstance(inp, list) and inp and isinstance(inp[0], int)):
        inputs = [inp]
    elif isinstance(inp, list):
        inputs = inp
    else:
        inputs = [inp]
    tokens = 0
    data = []
    for i, value in enumerate(inputs):
        tokens += words(value) if isinstance(value, str) else (len(value) if isinstance(value, list) else 0)
        vec = embedding_vector(value)
        if body.get("encoding_format") == "base64":
            emb = base64.b64encode(struct.pack("<8f", *vec)).decode()
        else:
            emb = vec
        data.append({"object": "embedding", "index": i, "embedding": emb})
    tokens = max(tokens, 1)
    return {"object": "list", "data": data, "model": body.get("model") or "unknown-model",
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}


# --------------------------------------------------------------------------- anthropic messages


def anthropic_plan(body: dict) -> dict:
    h = digest(body)
    model = body.get("model") or "unknown-model"
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    user = ""
    for m in reversed(messages):
        if m.get("role") != "user":
            continue
        c = m.get("content")
        if isinstance(c, str):
            user = c
        elif isinstance(c, list):
            user = " ".join(b.get("text", "") for b in c
                            if isinstance(b, dict) and b.get("type") == "text" and b.get("text"))
        if user:
            break
    prompt = sum(1 + words(text_of(m.get("content"))) for m in messages)
    has_result = any(isinstance(m.get("content"), list) and
                     any(isinstance(b, dict) and b.get("type") == "tool_result" for b in m["content"])
                     for m in messages)
    tool = first_tool_name(body.get("tools"))
    plan = {"id": "msg_" + h[:24], "model": model, "input_tokens": prompt}
    if tool and not has_result:
        args = {"query": user}
        plan.update(kind="tool", tool=tool, tool_id="toolu_" + h[24:48], input=args,
                    stop="tool_use", output_tokens=max(1, words(json.dumps(args))))
    else:
        text = f"answer from {model}: {user}"
        plan.update(kind="text", text=text, stop="end_turn", output_tokens=max(1, words(text)))
    return plan


def anthropic_block(plan: dict, done: bool) -> dict:
    if plan["kind"] == "tool":
        return {"type": "tool_use", "id": plan["tool_id"], "name": plan["tool"], "input": plan["input"] if done else {}}
    return {"type": "text", "text": plan["text"] if done else ""}


def anthropic_message(plan: dict, done: bool) -> dict:
    return {
        "id": plan["id"], "type": "message", "role": "assistant", "model": plan["model"],
        "content": [anthropic_block(plan, True)] if done else [],
        "stop_reason": plan["stop"] if done else None, "stop_sequence": None,
        "usage": {"input_tokens": plan["input_tokens"], "cache_creation_input_tokens": 0,
                  "cache_read_input_tokens": 2, "output_tokens": plan["output_tokens"] if done else 1,
                  "service_tier": "standard"},
    }


def anthropic_response(body: dict) -> dict:
    return anthropic_message(anthropic_plan(body), True)


def anthropic_stream(body: dict):
    plan = anthropic_plan(body)

    def event(obj):
        return b"event: " + obj["type"].encode() + b"\ndata: " + dumps(obj) + b"\n\n"

    yield event({"type": "message_start", "message": anthropic_message(plan, False)})
    yield event({"type": "content_block_start", "index": 0, "content_block": anthropic_block(plan, False)})
    yield event({"type": "ping"})
    if plan["kind"] == "tool":
        pieces = [""] + split_pieces(json.dumps(plan["input"]), 4)
        for piece in pieces:
            yield event({"type": "content_block_delta", "index": 0,
                         "delta": {"type": "input_json_delta", "partial_json": piece}})
    else:
        for piece in word_pieces(plan["text"]):
            yield event({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}})
    yield event({"type": "content_block_stop", "index": 0})
    yield event({"type": "message_delta", "delta": {"stop_reason": plan["stop"], "stop_sequence": None},
                 "usage": {"output_tokens": plan["output_tokens"]}})
    yield event({"type": "message_stop"})


# --------------------------------------------------------------------------- errors


def error_body(path: str, status: int, message: str) -> dict:
    if path in ANTHROPIC_PATHS:
        return {"type": "error", "error": {"type": ANTHROPIC_ERRORS.get(status, "api_error"), "message": message}}
    etype, code = OPENAI_ERRORS.get(status, ("server_error" if status >= 500 else "invalid_request_error", None))
    return {"error": {"message": message, "type": etype, "param": None, "code": code}}


def default_error_message(status: int) -> str:
    if status == 429:
        return "Rate limit reached for stub upstream"
    return f"stub upstream injected error {status}"


# --------------------------------------------------------------------------- HTTP


HANDLERS = {
    "/v1/chat/completions": (chat_response, chat_stream),
    "/v1/responses": (responses_response, responses_stream),
    "/v1/embeddings": (embeddings_response, None),
    "/v1/messages": (anthropic_response, anthropic_stream),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "assay-stub-upstream/1"
    verbose = False

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, fmt, *args):  # noqa: D401 - quiet unless --verbose
        if self.verbose:
            sys.stderr.write("stub: " + (fmt % args) + "\n")

    # ---- I/O

    def read_body(self) -> bytes:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            data = bytearray()
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    break
                data += self.rfile.read(size)
                self.rfile.readline(65537)
            raw = bytes(data)
        else:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length > 0 else b""
        enc = (self.headers.get("Content-Encoding") or "").lower()
        if enc == "gzip":
            raw = gzip.decompress(raw)
        elif enc == "deflate":
            raw = zlib.decompress(raw)
        return raw

    def send_json(self, status: int, obj, extra_headers: dict | None = None) -> None:
        payload = dumps(obj)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def send_stream(self, events, extra_headers: dict | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()
        for data in events:
            if STATE.chunk_delay:
                time.sleep(STATE.chunk_delay)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # ---- dispatch

    def do_GET(self):
        self.dispatch("GET")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    def dispatch(self, method: str) -> None:
        path = self.path.split("?", 1)[0]
        try:
            raw = self.read_body()
        except Exception as exc:  # malformed framing: answer and drop the connection
            self.close_connection = True
            self.send_json(400, {"error": {"message": f"bad request body: {exc}", "type": "invalid_request_error",
                                           "param": None, "code": None}})
            return
        if path.startswith("/_stub/"):
            self.control(method, path, raw)
        elif path.startswith("/v1/") or path == "/v1":
            self.model(method, path, raw)
        else:
            self.send_json(404, error_body(path, 404, f"Unknown path: {method} {path}"))

    def control(self, method: str, path: str, raw: bytes) -> None:
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            body = {}
        if method == "GET" and path == "/_stub/requests":
            with STATE.lock:
                snapshot = list(STATE.requests)
            self.send_json(200, snapshot)
        elif method == "POST" and path == "/_stub/reset":
            with STATE.lock:
                STATE.requests.clear()
                STATE.fail = None
                STATE.delay = 0.0
                STATE.chunk_delay = 0.0
            self.send_json(200, {"ok": True})
        elif method == "POST" and path == "/_stub/fail":
            fail = {"status": int(body.get("status", 500)), "count": int(body.get("count", 1)),
                    "retry_after": body.get("retry_after"), "body": body.get("body")}
            with STATE.lock:
                STATE.fail = fail if fail["count"] > 0 else None
            self.send_json(200, {"ok": True})
        elif method == "POST" and path == "/_stub/delay":
            with STATE.lock:
                STATE.delay = max(0.0, float(body.get("seconds", 0) or 0))
                STATE.chunk_delay = max(0.0, float(body.get("chunk_seconds", 0) or 0))
            self.send_json(200, {"ok": True})
        else:
            self.send_json(404, {"error": {"message": f"Unknown control endpoint: {method} {path}",
                                           "type": "invalid_request_error", "param": None, "code": "not_found"}})

    def model(self, method: str, path: str, raw: bytes) -> None:
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            body = None
        record = {
            "method": method,
            "path": path,
            "authorization": self.headers.get("Authorization"),
            "x_api_key": self.headers.get("x-api-key"),
            "model": body.get("model") if isinstance(body, dict) else None,
            "stream": bool(body.get("stream")) if isinstance(body, dict) else False,
            "body": body,
            "headers": {k.lower(): v for k, v in self.headers.items()},
        }
        recorded = False

        def log(status: int) -> None:
            # Recorded before the response is written, so a client that got its answer sees its request here.
            nonlocal recorded
            record["status"] = status
            if not recorded:
                recorded = True
                with STATE.lock:
                    STATE.requests.append(record)

        handler = HANDLERS.get(path)
        if handler is None:
            log(404)
            self.send_json(404, error_body(path, 404, f"Unknown path: {method} {path}"))
            return
        if method != "POST":
            log(405)
            self.send_json(405, error_body(path, 405, f"Method {method} not allowed on {path}"))
            return
        if STATE.delay:
            time.sleep(STATE.delay)
        failure = STATE.take_failure()
        rid = "req_" + digest(body)[:24]
        id_header = {"request-id": rid} if path in ANTHROPIC_PATHS else {"x-request-id": rid}
        if failure:
            status = failure["status"]
            headers = dict(id_header)
            if failure.get("retry_after") is not None:
                headers["Retry-After"] = str(failure["retry_after"])
            payload = failure.get("body")
            if payload is None:
                payload = error_body(path, status, default_error_message(status))
            log(status)
            self.send_json(status, payload, headers)
            return
        if not isinstance(body, dict):
            log(400)
            self.send_json(400, error_body(path, 400, "Request body must be a JSON object"), id_header)
            return
        respond, stream = handler
        if body.get("stream") and stream is not None:
            events = stream(body)
            log(200)
            self.send_stream(events, id_header)
        else:
            payload = respond(body)
            log(200)
            self.send_json(200, payload, id_header)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args(argv)
    Handler.verbose = args.verbose
    server = Server(("127.0.0.1", args.port), Handler)

    def stop(*_):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sys.stdout.write(json.dumps({"port": server.server_address[1]}) + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
