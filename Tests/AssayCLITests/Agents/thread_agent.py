#!/usr/bin/env python3
"""A small email-thread agent that follows Assay's turn protocol (docs/conversations.md), traced with
the real OpenTelemetry Python SDK. Used by ConversationRunCLITests.

    python thread_agent.py [--persistent] [--checkpoint DIR]

Turn messages:
  "From: NAME. Can we meet DAY? Draft a reply."  -> asks for approval of a draft (an interrupt)
  "Which day did we agree with NAME?"            -> answers the day given earlier (memory)
Resumes: approve -> "Sent to NAME: DRAFT"; edit -> "Sent to NAME: TEXT"; reject -> "Not sent: REASON".

State (the facts given and the pending draft) is kept per conversation id: in memory only, or with
--checkpoint in DIR/<sha256 of the id>.json, so that a new process can take the conversation on.
A resume for a draft the agent does not know fails: {"error": ...} (persistent) or exit 1 (process).
Each exchange exports a span tree under TRACEPARENT: the agent's turn span, a chat span whose input
tokens are the context it would send (the whole thread so far), and a send_email tool span.
"""

import argparse
import hashlib
import json
import os
import re
import sys

from opentelemetry import propagate
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind, set_span_in_context

provider = TracerProvider(resource=Resource.create({"service.name": "thread-agent"}))
provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter()))
tracer = provider.get_tracer("thread-agent")
MEMORY = {}


class Failure(Exception):
    pass


def state_path(directory, conversation):
    return os.path.join(directory, hashlib.sha256(conversation.encode()).hexdigest() + ".json")


def load(args, conversation):
    if args.checkpoint:
        path = state_path(args.checkpoint, conversation)
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return json.load(f)
        return {"facts": {}, "pending": None, "thread": []}
    return MEMORY.setdefault(conversation, {"facts": {}, "pending": None, "thread": []})


def save(args, conversation, state):
    if args.checkpoint:
        path = state_path(args.checkpoint, conversation)
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(state, f)
        os.replace(path + ".tmp", path)


def chat(state, text):
    state["thread"].append(text)
    context = " ".join(state["thread"])
    with tracer.start_as_current_span("chat sim-model", kind=SpanKind.CLIENT) as span:
        span.set_attribute("gen_ai.operation.name", "chat")
        span.set_attribute("gen_ai.request.model", os.environ.get("ASSAY_MODEL", "sim-model"))
        span.set_attribute("gen_ai.usage.input_tokens", len(context.split()))
        span.set_attribute("gen_ai.usage.output_tokens", 12)


def exchange(args, request):
    conversation = request["conversation_id"]
    state = load(args, conversation)
    if "resume" in request and request["resume"] is not None:
        resume = request["resume"]
        pending = state["pending"]
        if not pending or pending["id"] != resume.get("interrupt_id"):
            raise Failure("no pending draft %s in conversation %s" % (resume.get("interrupt_id"), conversation))
        chat(state, "decision " + resume["decision"])
        name = state["facts"].get("name", "?")
        if resume["decision"] == "reject":
            answer = "Not sent: " + resume.get("text", "rejected")
        else:
            text = resume["text"] if resume["decision"] == "edit" else pending["draft"]
            with tracer.start_as_current_span("execute_tool send_email") as tool:
                tool.set_attribute("gen_ai.operation.name", "execute_tool")
                tool.set_attribute("gen_ai.tool.name", "send_email")
                tool.set_attribute("gen_ai.tool.call.arguments", json.dumps({"to": name, "body": text}))
            answer = "Sent to %s: %s" % (name, text)
        state["pending"] = None
        save(args, conversation, state)
        return answer
    message = request["input"]
    chat(state, message)
    draft = re.match(r"From: (\w+)\. Can we meet (\w+)\?", message)
    if draft:
        name, day = draft.group(1), draft.group(2)
        state["facts"].update({"name": name, "day": day})
        interrupt = {"id": "draft-%d" % request["turn"], "kind": "approval", "message": "Send this reply to %s?" % name,
                     "draft": "Hi %s, %s works for me." % (name, day)}
        state["pending"] = interrupt
        save(args, conversation, state)
        return {"interrupt": interrupt}
    if "Which day" in message:
        save(args, conversation, state)
        return "We agreed on %s." % state["facts"].get("day", "a day I do not remember")
    save(args, conversation, state)
    return "Noted."


def serve(args, request, traceparent):
    context = propagate.extract({"traceparent": traceparent}) if traceparent else None
    with tracer.start_as_current_span("thread-agent turn", context=context) as span:
        span.set_attribute("input.value", json.dumps(request.get("input") or request.get("resume")))
        answer = exchange(args, request)
    provider.force_flush()
    return answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persistent", action="store_true")
    parser.add_argument("--checkpoint")
    args = parser.parse_args()
    if args.checkpoint:
        os.makedirs(args.checkpoint, exist_ok=True)
    if not args.persistent:
        request = json.loads(sys.stdin.readline())
        try:
            answer = serve(args, request, os.environ.get("TRACEPARENT"))
        except Failure as failure:
            provider.force_flush()
            print(str(failure), file=sys.stderr)
            sys.exit(1)
        print(json.dumps(answer))
        provider.shutdown()
        return
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = {"output": serve(args, request, request.get("traceparent"))}
        except Failure as failure:
            provider.force_flush()
            reply = {"error": str(failure)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
