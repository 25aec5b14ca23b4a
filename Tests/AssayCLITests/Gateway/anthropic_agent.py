#!/usr/bin/env python3
"""Test agent (Assay runner protocol, process mode) using the official `anthropic` client.

Reads ONE JSON line on stdin: {"question": "...", "mode": M}; prints ONE JSON object on
stdout; logs go to stderr. Configured only by ANTHROPIC_BASE_URL / ANTHROPIC_API_KEY
(never ASSAY_*). The model name is fixed in code; a gateway may rewrite it.

Modes: messages, stream, tools, all, rate_limited. Output: {"answer", "models", "key",
"calls"} (+ "status", "retry_after" for rate_limited).
"""

from __future__ import annotations

import json
import os
import sys

import anthropic

MODEL = "claude-3-5-haiku-latest"
MAX_TOKENS = 256
TOOL_RESULT = "lookup result: Paris is the capital of France"
TOOLS = [{"name": "lookup", "description": "Look up a fact.",
          "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}]


def log(*args) -> None:
    print("anthropic_agent:", *args, file=sys.stderr, flush=True)


def lookup(query: str) -> str:
    log(f"tool lookup({query!r})")
    return TOOL_RESULT


def text_of(message) -> str:
    return "".join(block.text for block in message.content if block.type == "text")


class Agent:
    def __init__(self, max_retries: int = 2) -> None:
        self.client = anthropic.Anthropic(max_retries=max_retries, timeout=120)
        self.models: list[str] = []
        self.calls = 0
        self.extra: dict = {}

    def messages(self, q: str) -> str:
        self.calls += 1
        r = self.client.messages.create(model=MODEL, max_tokens=MAX_TOKENS, messages=[{"role": "user", "content": q}])
        self.models.append(r.model)
        return text_of(r)

    def stream(self, q: str) -> str:
        self.calls += 1
        with self.client.messages.stream(model=MODEL, max_tokens=MAX_TOKENS,
                                         messages=[{"role": "user", "content": q}]) as s:
            for _ in s.text_stream:
                pass
            final = s.get_final_message()
        self.models.append(final.model)
        log("stream usage:", final.usage.model_dump())
        return text_of(final)

    def tools(self, q: str) -> str:
        messages: list = [{"role": "user", "content": q}]
        for _ in range(5):
            self.calls += 1
            r = self.client.messages.create(model=MODEL, max_tokens=MAX_TOKENS, tools=TOOLS, messages=messages)
            self.models.append(r.model)
            uses = [b for b in r.content if b.type == "tool_use"]
            if r.stop_reason != "tool_use" or not uses:
                return text_of(r)
            messages.append({"role": "assistant", "content": [b.model_dump(exclude_none=True) for b in r.content]})
            messages.append({"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": b.id, "content": lookup(str(b.input.get("query", "")))}
                for b in uses]})
        return "too many tool rounds"

    def all(self, q: str) -> str:
        answer = ""
        for mode in ("messages", "stream", "tools"):
            answer = getattr(self, mode)(q)
        return answer

    def rate_limited(self, q: str) -> str:
        try:
            answer = self.messages(q)
            self.extra = {"status": 200, "retry_after": None}
            return answer
        except anthropic.RateLimitError as e:
            self.extra = {"status": e.status_code, "retry_after": e.response.headers.get("retry-after")}
            return e.message


MODES = ("messages", "stream", "tools", "all", "rate_limited")


def main() -> int:
    example = json.loads(sys.stdin.readline() or "{}")
    question = str(example.get("question", ""))
    mode = example.get("mode", "messages")
    if mode not in MODES:
        log(f"unknown mode {mode!r}; expected one of {MODES}")
        return 2
    agent = Agent(max_retries=0 if mode == "rate_limited" else 2)
    log(f"mode={mode} base_url={agent.client.base_url}")
    answer = getattr(agent, mode)(question)
    out = {"answer": answer, "models": agent.models, "key": os.environ.get("ANTHROPIC_API_KEY"),
           "calls": agent.calls, **agent.extra}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
