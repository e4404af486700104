"""Tool rules (T0xx) beyond their examples."""

from __future__ import annotations

import pytest
from rules_helpers import HELLO, body, codes, found

TOOL = {"name": "get_weather", "input_schema": {"type": "object"}}


def use(tid: str, name: str = "get_weather") -> dict:
    return {"type": "tool_use", "id": tid, "name": name, "input": {}}


def result(tid: str) -> dict:
    return {"type": "tool_result", "tool_use_id": tid, "content": "ok"}


@pytest.mark.parametrize(("name", "bad"), [("a" * 128, False), ("a" * 129, True), ("mcp__srv__tool", False), ("srv/tool", True), ("", True)])
def test_t001_pattern(name: str, bad: bool) -> None:
    assert bool(found(body(tools=[{"name": name, "input_schema": {"type": "object"}}]), "T001")) is bad


def test_t001_strict_64_and_typed_tools() -> None:
    assert found(body(tools=[{"name": "a" * 65, "input_schema": {"type": "object"}}]), "T001", strict=True)
    assert not found(body(tools=[{"type": "web_search_20250305", "name": "web_search"}]), "T001")


def test_t002_counts_server_tools() -> None:
    tools = [{"type": "web_search_20250305", "name": "web_search"}, {"type": "web_search_20260209", "name": "web_search"}]
    assert [d.location.pointer for d in found(body(tools=tools), "T002")] == ["/tools/1/name"]


def test_t003_skips_mcp_and_other_choices() -> None:
    choice = {"type": "tool", "name": "lookup"}
    assert found(body(tools=[TOOL], tool_choice=choice), "T003")
    assert found(body(tool_choice=choice), "T003")  # no tools at all
    assert not found(body(tools=[TOOL], tool_choice=choice, mcp_servers=[{"type": "url", "url": "https://x", "name": "x"}]), "T003")
    assert not found(body(tools=[TOOL], tool_choice={"type": "any"}), "T003")


def test_t004_t005_pairing_over_merged_turns() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [use("t1"), use("t2")]},
            {"role": "user", "content": [result("t1")]}, {"role": "user", "content": [result("t2")]}]
    assert not set(codes(body(msgs, tools=[TOOL]))) & {"T004", "T005"}


def test_t004_missing_and_final_tool_use() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [use("t1"), use("t2")]}, {"role": "user", "content": [result("t1")]}]
    (d,) = found(body(msgs, tools=[TOOL]), "T004")
    assert "t2" in d.message and "t1" not in d.message.split("after:")[1] and d.location.pointer == "/messages/1/content/1"
    assert found(body([HELLO, {"role": "assistant", "content": [use("t1")]}], tools=[TOOL]), "T004")


def test_t005_truncated_history() -> None:
    (d,) = found(body([{"role": "user", "content": [result("t9")]}]), "T005")
    assert d.location.pointer == "/messages/0/content/0/tool_use_id"


def test_t006_ids_on_both_sides() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [use("call.1")]}, {"role": "user", "content": [result("call.1")]}]
    pointers = [d.location.pointer for d in found(body(msgs, tools=[TOOL]), "T006")]
    assert pointers == ["/messages/1/content/0/id", "/messages/2/content/0/tool_use_id"]


def test_t008_text_before_results() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [use("t1")]},
            {"role": "user", "content": [{"type": "text", "text": "here"}, result("t1")]}]
    (d,) = found(body(msgs, tools=[TOOL]), "T008")
    assert d.location.pointer == "/messages/2/content/1" and "content.0 (text)" in d.message


def test_t009_mcp_and_order() -> None:
    late = [HELLO, {"role": "assistant", "content": [
        {"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": []},
        {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}},
        {"type": "text", "text": "done"}]}]
    assert found(body(late), "T009")
    mcp = [HELLO, {"role": "assistant", "content": [
        {"type": "mcp_tool_use", "id": "mcptoolu_1", "name": "x", "server_name": "s", "input": {}},
        {"type": "mcp_tool_result", "tool_use_id": "mcptoolu_1", "content": []},
        {"type": "text", "text": "done"}]}]
    assert not found(body(mcp), "T009")


def test_t010_across_messages() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [use("t1")]}, {"role": "user", "content": [result("t1")]},
            {"role": "assistant", "content": [use("t1")]}, {"role": "user", "content": [result("t1")]}]
    assert [d.location.pointer for d in found(body(msgs, tools=[TOOL]), "T010")] == ["/messages/3/content/0/id"]
