#!/usr/bin/env python3
"""A local OpenAI-compatible stub for the LLM judge tests (standard library only, loopback only).

Binds 127.0.0.1 on a free port and prints the port as the first line of stdout. Exits when stdin
closes, so that a test that dies does not leave it running.

Behaviour is chosen by the request's model name:

  POST /v1/chat/completions
    ok-<x>          verdict {"score": x, "reason": ...}
    pass-true       verdict {"pass": true, ...}; pass-false likewise
    fence           the verdict inside a ```json code fence
    malformed       content that is not JSON
    wrong-keys      {"grade": 1, "reason": ...}
    out-of-range    {"score": 1.5, "reason": ...}
    flaky-429-<n>   429 (Retry-After: 1) for the first n requests, then score 0.9
    flaky-500-<n>   500 for the first n requests, then score 0.9
    always-503      503 every time
    bad-request     400 every time
    slow            sleeps 20 s, then score 0.9
  POST /v1/embeddings
    embed-same      the same vector for every input
    embed-ortho     orthogonal vectors for the two inputs
    embed-opposite  opposite vectors
  GET /count?model=m  {"count": requests for m, "authorization": the last Authorization header or null}

Every chat answer carries usage {prompt_tokens: 42, completion_tokens: 7}.
"""

import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

LOCK = threading.Lock()
COUNTS = {}
AUTH = {}


def verdict_for(model):
    """The message content for a model, or (status, headers) for an HTTP failure."""
    if model.startswith("ok-"):
        return json.dumps({"score": float(model[3:]), "reason": "The answer matches the rubric."})
    if model == "pass-true":
        return json.dumps({"pass": True, "reason": "Meets every point."})
    if model == "pass-false":
        return json.dumps({"pass": False, "reason": "Misses the main point."})
    if model == "fence":
        return "```json\n" + json.dumps({"score": 0.7, "reason": "Fenced."}) + "\n```"
    if model == "malformed":
        return "I think this answer is quite good, maybe 8/10."
    if model == "wrong-keys":
        return json.dumps({"grade": 1, "reason": "Wrong key."})
    if model == "out-of-range":
        return json.dumps({"score": 1.5, "reason": "Too high."})
    if model == "slow":
        time.sleep(20)
        return json.dumps({"score": 0.9, "reason": "Slow but fine."})
    return json.dumps({"score": 0.9, "reason": "Fine."})


def failure_for(model, count):
    """(status, headers) when this request should fail, else None."""
    if model.startswith("flaky-429-") and count <= int(model.rsplit("-", 1)[1]):
        return 429, {"Retry-After": "1"}
    if model.startswith("flaky-500-") and count <= int(model.rsplit("-", 1)[1]):
        return 500, {}
    if model == "always-503":
        return 503, {}
    if model == "bad-request":
        return 400, {}
    return None


def vectors_for(model, inputs):
    if model == "embed-ortho":
        return [[1.0, 0.0, 0.0] if i % 2 == 0 else [0.0, 1.0, 0.0] for i in range(len(inputs))]
    if model == "embed-opposite":
        return [[1.0, 0.0] if i % 2 == 0 else [-1.0, 0.0] for i in range(len(inputs))]
    return [[0.6, 0.8, 0.0] for _ in inputs]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, status, value, headers=None):
        body = json.dumps(value).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/count":
            return self.send_json(404, {"error": "not found"})
        model = parse_qs(url.query).get("model", [""])[0]
        with LOCK:
            self.send_json(200, {"count": COUNTS.get(model, 0), "authorization": AUTH.get(model)})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        try:
            request = json.loads(self.rfile.read(length))
        except ValueError:
            return self.send_json(400, {"error": {"message": "body is not JSON"}})
        model = request.get("model", "")
        with LOCK:
            COUNTS[model] = COUNTS.get(model, 0) + 1
            AUTH[model] = self.headers.get("Authorization")
            count = COUNTS[model]
        failure = failure_for(model, count)
        if failure:
            status, headers = failure
            return self.send_json(status, {"error": {"message": "stub failure"}}, headers)
        if self.path.endswith("/embeddings"):
            inputs = request.get("input", [])
            data = [{"object": "embedding", "index": i, "embedding": v}
                    for i, v in enumerate(vectors_for(model, inputs))]
            return self.send_json(200, {"object": "list", "data": data, "model": model,
                                        "usage": {"prompt_tokens": 10, "total_tokens": 10}})
        if not self.path.endswith("/chat/completions"):
            return self.send_json(404, {"error": {"message": "unknown path"}})
        content = verdict_for(model)
        self.send_json(200, {
            "id": "chatcmpl-stub", "object": "chat.completion", "model": model + "-2025",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49},
        })


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # returns at EOF: the test closed the pipe or died
    os._exit(0)


if __name__ == "__main__":
    main()
