#!/usr/bin/env python3
"""Test agent (Assay runner protocol, process mode): a LangGraph ReAct agent on ChatOpenAI.

Reads ONE JSON line on stdin: {"question": "..."}; prints ONE JSON object on stdout
{"answer", "models", "key", "calls"}; logs go to stderr. Configured only by
OPENAI_BASE_URL / OPENAI_API_KEY (never ASSAY_*). Model fixed in code: gpt-4o-mini.
Uses langgraph.prebuilt.create_react_agent, or a two-node StateGraph when that is missing
(or when the input has "graph": "stategraph").
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from typing import Annotated, TypedDict

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages

TOOL_RESULT = "lookup result: Paris is the capital of France"


def log(*args) -> None:
    print("langgraph_agent:", *args, file=sys.stderr, flush=True)


@tool
def lookup(query: str) -> str:
    """Look up a fact."""
    log(f"tool lookup({query!r})")
    return TOOL_RESULT


class State(TypedDict):
    messages: Annotated[list, add_messages]


def build(llm, prefer_prebuilt: bool = True):
    try:
        from langgraph.prebuilt import create_react_agent
    except ImportError:
        create_react_agent = None
    if prefer_prebuilt and create_react_agent is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated in favour of langchain.agents.create_agent
            return create_react_agent(llm, [lookup]), "create_react_agent"
    from langgraph.prebuilt import ToolNode

    bound = llm.bind_tools([lookup])

    def agent(state: State):
        return {"messages": [bound.invoke(state["messages"])]}

    def route(state: State):
        return "tools" if state["messages"][-1].tool_calls else END

    g = StateGraph(State)
    g.add_node("agent", agent)
    g.add_node("tools", ToolNode([lookup]))
    g.add_edge(START, "agent")
    g.add_conditional_edges("agent", route, ["tools", END])
    g.add_edge("tools", "agent")
    return g.compile(), "StateGraph"


def main() -> int:
    example = json.loads(sys.stdin.readline() or "{}")
    question = str(example.get("question", ""))
    llm = ChatOpenAI(model="gpt-4o-mini", temperature=0, timeout=120, max_retries=2)
    # {"graph": "stategraph"} in the input forces the hand-built graph (to test the fallback).
    graph, kind = build(llm, prefer_prebuilt=example.get("graph") != "stategraph")
    log(f"graph={kind}")
    result = graph.invoke({"messages": [HumanMessage(question)]}, {"recursion_limit": 12})
    ai = [m for m in result["messages"] if isinstance(m, AIMessage)]
    models = [m.response_metadata.get("model_name", "") for m in ai]
    answer = ai[-1].content if ai else ""
    if not isinstance(answer, str):
        answer = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in answer)
    out = {"answer": answer, "models": models, "key": os.environ.get("OPENAI_API_KEY"), "calls": len(ai)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
