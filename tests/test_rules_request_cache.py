"""Prompt-caching rules (C0xx) beyond their examples."""

from __future__ import annotations

from rules_helpers import body, found

CC = {"type": "ephemeral"}
CC1H = {"type": "ephemeral", "ttl": "1h"}


def text(t: str, cc: dict | None = None) -> dict:
    block = {"type": "text", "text": t}
    if cc is not None:
        block["cache_control"] = dict(cc)
    return block


def test_c001_counts_tools_system_messages_tool_results_and_top_level() -> None:
    tools = [{"name": "f", "input_schema": {"type": "object"}, "cache_control": CC}]
    msgs = [
        {"role": "user", "content": [text("q", CC)]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [text("r", CC)]}]},
    ]
    value = body(msgs, tools=tools, system=[text("s", CC)])
    assert not found(value, "C001")
    value["cache_control"] = CC
    (d,) = found(value, "C001")
    assert d.location.pointer == "/cache_control" and "Found 5." in d.message


def test_c001_ignores_null_cache_control() -> None:
    msgs = [{"role": "user", "content": [{"type": "text", "text": str(i), "cache_control": None} for i in range(6)]}]
    assert not found(body(msgs), "C001")


def test_c002_order_tools_system_messages() -> None:
    tools = [{"name": "f", "input_schema": {"type": "object"}, "cache_control": CC}]
    (d,) = found(body(tools=tools, system=[text("s", CC1H)]), "C002")
    assert d.location.pointer == "/system/0/cache_control/ttl" and d.message.startswith("system.0.cache_control.ttl:")
    assert not found(body(tools=[{**tools[0], "cache_control": CC1H}], system=[text("s", CC)]), "C002")
    # explicit 5m then 1h at top level
    assert found(body(system=[text("s", {"type": "ephemeral", "ttl": "5m"})], cache_control=CC1H), "C002")


def test_c003_system_and_tool_results() -> None:
    assert found(body(system=[text("", CC)]), "C003")[0].location.pointer == "/system/0/cache_control"
    assert not found(body(system=[text("", None)]), "C003")
    msgs = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": [text("", CC)]}]},
    ]
    assert found(body(msgs, tools=[{"name": "f", "input_schema": {"type": "object"}}]), "C003")
