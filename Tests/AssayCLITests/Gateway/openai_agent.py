#!/usr/bin/env python3
"""Test agent (Assay runner protocol, process mode) using the official `openai` client.

Reads ONE JSON line on stdin: {"question": "...", "mode": M}; prints ONE JSON object on
stdout; logs go to stderr. Configured only by OPENAI_BASE_URL / OPENAI_API_KEY (never
ASSAY_*). The model name is fixed in code; a gateway may rewrite it.

Modes: chat, chat_stream, tools, responses, responses_stream, embeddings, all, loop,
rate_limited. Output: {"answer", "models", "key", "calls"} (+ "status", "retry_after"
for rate_limited and a stopped loop).
"""

from __future__ import annotations

import json
import os
import sys

import openai

MODEL = "gpt-4o-mini"
EMBEDDING_MODEL = "text-embedding-3-small"
TOOL_RESULT = "lookup result: Paris is the capital of France"
TOOLS = [{"type": "function", "function": {
    "name": "lookup", "description": "Look up a fact.",
    "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}]


def log(*args) -> None:
    print("openai_agent:", *args, file=sys.stderr, flush=True)


def lookup(query: str) -> str:
    log(f"tool lookup({query!r})")
    return TOOL_RESULT


class Agent:
    def __init__(self, max_retries: int = 2) -> None:
        self.client = openai.OpenAI(max_retries=max_retries, timeout=120)
        self.models: list[str] = []
        self.calls = 0
        self.extra: dict = {}

    def seen(self, model) -> None:
        self.models.append(model or "")

    def chat(self, q: str) -> str:
        self.calls += 1
        r = self.client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": q}])
        self.seen(r.model)
        return r.choices[0].message.content or ""

    def chat_stream(self, q: str) -> str:
        self.calls += 1
        stream = self.client.chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": q}], stream=True,
            stream_options={"include_usage": True})
        text, model, usage = [], None, None
        for chunk in stream:
            model = model or chunk.model
            if chunk.usage is not None:
                usage = chunk.usage
            for choice in chunk.choices:
                if choice.delta.content:
                    text.append(choice.delta.content)
        self.seen(model)
        log("stream usage:", usage.model_dump() if usage else None)
        return "".join(text)

    def tools(self, q: str) -> str:
        messages: list = [{"role": "user", "content": q}]
        for _ in range(5):
            self.calls += 1
            r = self.client.chat.completions.create(model=MODEL, messages=messages, tools=TOOLS)
            self.seen(r.model)
            msg = r.choices[0].message
            if not msg.tool_calls:
                return msg.content or ""
            messages.append(msg.model_dump(exclude_none=True))
            for call in msg.tool_calls:
                args = json.loads(call.function.arguments or "{}")
                messages.append({"role": "tool", "tool_call_id": call.id, "content": lookup(args.get("query", ""))})
        return "too many tool rounds"

    def responses(self, q: str) -> str:
        self.calls += 1
        r = self.client.responses.create(model=MODEL, input=q)
        self.seen(r.model)
        return r.output_text

    def responses_stream(self, q: str) -> str:
        self.calls += 1
        text, model = [], None
        for event in self.client.responses.create(model=MODEL, input=q, stream=True):
            if event.type == "response.output_text.delta":
                text.append(event.delta)
            elif event.type in ("response.created", "response.completed"):
                model = event.response.model
                if event.type == "response.completed":
                    log("responses usage:", event.response.usage.model_dump() if event.response.usage else None)
        self.seen(model)
        return "".join(text)

    def embeddings(self, q: str) -> str:
        self.calls += 1
        r = self.client.embeddings.create(model=EMBEDDING_MODEL, input=q)
        self.seen(r.model)
        return str(len(r.data[0].embedding))

    def all(self, q: str) -> str:
        answer = ""
        for mode in ("chat", "chat_stream", "tools", "responses", "responses_stream", "embeddings"):
            answer = getattr(self, mode)(q)
        return answer

    def loop(self, q: str) -> str:
        for _ in range(500):
            try:
                self.chat(q)
            except openai.APIStatusError as e:
                self.extra = {"status": e.status_code, "retry_after": e.response.headers.get("retry-after")}
                return f"stopped after {self.calls} calls: {e.status_code} {e.message}"
        return f"completed {self.calls} calls without error"

    def rate_limited(self, q: str) -> str:
        try:
            answer = self.chat(q)
            self.extra = {"status": 200, "retry_after": None}
            return answer
        except openai.RateLimitError as e:
            self.extra = {"status": e.status_code, "retry_after": e.response.headers.get("retry-after")}
            return e.message


MODES = ("chat", "chat_stream", "tools", "responses", "responses_stream", "embeddings", "all", "loop",
         "rate_limited")


def main() -> int:
    example = json.loads(sys.stdin.readline() or "{}")
    question = str(example.get("question", ""))
    mode = example.get("mode", "chat")
    if mode not in MODES:
        log(f"unknown mode {mode!r}; expected one of {MODES}")
        return 2
    agent = Agent(max_retries=0 if mode in ("loop", "rate_limited") else 2)
    log(f"mode={mode} base_url={agent.client.base_url}")
    answer = getattr(agent, mode)(question)
    out = {"answer": answer, "models": agent.models, "key": os.environ.get("OPENAI_API_KEY"), "calls": agent.calls,
           **agent.extra}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
