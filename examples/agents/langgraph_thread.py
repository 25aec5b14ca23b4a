#!/usr/bin/env python3
"""An email-thread agent on LangGraph that follows Assay's turn protocol (docs/conversations.md): a
graph whose `approve` node calls `interrupt()` with a draft, resumed with `Command(resume=...)`, and
model calls through the real `openai` client to OPENAI_BASE_URL (the run's model gateway). Traced with
the real OpenTelemetry SDK; no Assay code.

    .venv/bin/python examples/agents/langgraph_thread.py [--persistent] [--checkpoint FILE]

The conversation id is the graph's `thread_id`. Without --checkpoint the graph keeps its threads in
LangGraph's InMemorySaver: a persistent process carries a conversation, but a process the runner
restarts at an interrupt has lost it (`--restart-between-turns` shows it). With --checkpoint FILE
it uses SqliteSaver on FILE, and any process can take the conversation on.

Turn messages: "From: NAME. Can we meet DAY? Draft a reply." drafts a reply and asks for approval;
"Which day did we agree with NAME?" answers from the thread. Like most chat graphs it keeps every
message in its state (`add_messages`) and sends the whole history to the model on every call: the
context grows with every turn, which `context_per_turn` reports.

It prints LangGraph's own result shape: `{"__interrupt__": [{"value": ..., "id": ...}]}` when the
graph is interrupted, else the last AI message's text.
"""

import argparse
import json
import os
import re
import sqlite3
import sys
from typing import Annotated, TypedDict

import openai
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from opentelemetry import propagate
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.trace import SpanKind

provider = TracerProvider(resource=Resource.create({"service.name": "langgraph-thread"}))
provider.add_span_processor(SimpleSpanProcessor(OTLPSpanExporter()))
tracer = provider.get_tracer("langgraph-thread")
client = openai.OpenAI(max_retries=0, timeout=60.0)
DRAFT = re.compile(r"From: (\w+)\. Can we meet (\w+)\?")


class State(TypedDict):
    messages: Annotated[list, add_messages]
    facts: dict
    draft: str


def call_model(state: State, scripted: str) -> str:
    """One chat completion over the whole thread; the simulated provider answers `scripted`."""
    history = [{"role": "user" if m.type == "human" else "assistant", "content": m.content} for m in state["messages"]]
    carrier = {}
    propagate.inject(carrier)
    model = os.environ.get("ASSAY_MODEL") or "gpt-4o-mini"
    response = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "system", "content": "You help with an email thread."}] + history,
        extra_body={"assay_sim_answers": {model: scripted}}, extra_headers={"traceparent": carrier.get("traceparent", "")})
    return response.choices[0].message.content


def route(state: State) -> str:
    return "draft" if DRAFT.search(state["messages"][-1].content) else "answer"


def draft(state: State) -> dict:
    match = DRAFT.search(state["messages"][-1].content)
    name, day = match.group(1), match.group(2)
    text = call_model(state, "Hi %s, %s works for me." % (name, day))
    return {"facts": {"name": name, "day": day}, "draft": text}


def approve(state: State) -> dict:
    decision = interrupt({"kind": "approval", "message": "Send this reply to %s?" % state["facts"]["name"], "draft": state["draft"]})
    name = state["facts"]["name"]
    if decision.get("decision") == "reject":
        return {"messages": [{"role": "assistant", "content": "Not sent: " + decision.get("text", "rejected")}]}
    body = decision.get("text") if decision.get("decision") == "edit" else state["draft"]
    with tracer.start_as_current_span("execute_tool send_email") as span:
        span.set_attribute("gen_ai.operation.name", "execute_tool")
        span.set_attribute("gen_ai.tool.name", "send_email")
        span.set_attribute("gen_ai.tool.call.arguments", json.dumps({"to": name, "body": body}))
    return {"messages": [{"role": "assistant", "content": "Sent to %s: %s" % (name, body)}]}


def answer(state: State) -> dict:
    facts = state.get("facts") or {}
    scripted = "We agreed on %s." % facts["day"] if "day" in facts else "I do not know which day."
    return {"messages": [{"role": "assistant", "content": call_model(state, scripted)}]}


def build(checkpointer):
    graph = StateGraph(State)
    graph.add_node("draft", draft)
    graph.add_node("approve", approve)
    graph.add_node("answer", answer)
    graph.add_conditional_edges(START, route, {"draft": "draft", "answer": "answer"})
    graph.add_edge("draft", "approve")
    graph.add_edge("approve", END)
    graph.add_edge("answer", END)
    return graph.compile(checkpointer=checkpointer)


def serve(graph, request, traceparent):
    """One exchange: a message starts a turn, a resume answers the pending interrupt."""
    context = propagate.extract({"traceparent": traceparent}) if traceparent else None
    config = {"configurable": {"thread_id": request["conversation_id"]}}
    with tracer.start_as_current_span("invoke_agent thread", context=context, kind=SpanKind.INTERNAL) as span:
        span.set_attribute("gen_ai.operation.name", "invoke_agent")
        span.set_attribute("gen_ai.conversation.id", request["conversation_id"])
        if request.get("resume") is not None:
            if not graph.get_state(config).next:
                raise RuntimeError("no interrupted run in thread %s to resume" % request["conversation_id"])
            result = graph.invoke(Command(resume=request["resume"]), config)
        else:
            span.set_attribute("input.value", request["input"])
            result = graph.invoke({"messages": [{"role": "user", "content": request["input"]}]}, config)
        if "__interrupt__" in result:
            out = {"__interrupt__": [{"value": i.value, "id": i.id} for i in result["__interrupt__"]]}
        else:
            out = result["messages"][-1].content
            span.set_attribute("output.value", out)
    provider.force_flush()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--persistent", action="store_true")
    parser.add_argument("--checkpoint")
    args = parser.parse_args()
    if args.checkpoint:
        from langgraph.checkpoint.sqlite import SqliteSaver
        graph = build(SqliteSaver(sqlite3.connect(args.checkpoint, check_same_thread=False)))
    else:
        graph = build(InMemorySaver())
    if not args.persistent:
        request = json.loads(sys.stdin.readline())
        try:
            print(json.dumps(serve(graph, request, os.environ.get("TRACEPARENT"))))
        except RuntimeError as failure:
            print(str(failure), file=sys.stderr)
            sys.exit(1)
        finally:
            provider.shutdown()
        return
    for line in sys.stdin:
        request = json.loads(line)
        os.environ["ASSAY_MODEL"] = request.get("model") or ""
        try:
            reply = {"output": serve(graph, request, request.get("traceparent"))}
        except RuntimeError as failure:
            provider.force_flush()
            reply = {"error": str(failure)}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
