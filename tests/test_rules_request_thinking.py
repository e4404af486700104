"""Extended-thinking rules (K0xx) beyond their examples."""

from __future__ import annotations

from rules_helpers import HELLO, body, codes, found

from transcript.core.diagnostics import Severity

ON = {"type": "enabled", "budget_tokens": 2048}
THINK = {"type": "thinking", "thinking": "hmm", "signature": "sig"}
REDACTED = {"type": "redacted_thinking", "data": "abc"}
TOOL = {"name": "f", "input_schema": {"type": "object"}}


def use(tid: str = "t1") -> dict:
    return {"type": "tool_use", "id": tid, "name": "f", "input": {}}


def result(tid: str = "t1") -> dict:
    return {"type": "tool_result", "tool_use_id": tid, "content": "ok"}


def test_k001_only_enabled_type() -> None:
    assert found(body(max_tokens=4096, thinking={"type": "enabled", "budget_tokens": 1023}), "K001")
    assert not found(body(max_tokens=4096, thinking={"type": "adaptive"}), "K001")
    assert not found(body(max_tokens=4096, thinking={"type": "enabled", "budget_tokens": "big"}), "K001")


def test_k002_warning_with_tools() -> None:
    value = body(max_tokens=2048, thinking=ON)
    assert found(value, "K002")[0].severity is Severity.ERROR
    assert found({**value, "tools": [TOOL]}, "K002")[0].severity is Severity.WARNING


def test_k003_adaptive_and_default() -> None:
    assert found(body(model="claude-opus-4-6", thinking={"type": "adaptive"}, temperature=0), "K003")
    assert not found(body(thinking=ON, max_tokens=4096, temperature=1.0), "K003")
    assert not found(body(thinking={"type": "disabled"}, temperature=0), "K003")


def test_k004_tool_choice() -> None:
    assert found(body(thinking=ON, max_tokens=4096, tools=[TOOL], tool_choice={"type": "tool", "name": "f"}), "K004")
    assert not found(body(thinking=ON, max_tokens=4096, tools=[TOOL], tool_choice={"type": "none"}), "K004")


def test_k005_turn_start_after_several_tool_rounds() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [THINK, use("t1")]}, {"role": "user", "content": [result("t1")]},
            {"role": "assistant", "content": [use("t2")]}, {"role": "user", "content": [result("t2")]}]
    assert not found(body(msgs, thinking=ON, max_tokens=4096, tools=[TOOL]), "K005")
    msgs[1]["content"] = [use("t1")]
    (d,) = found(body(msgs, thinking=ON, max_tokens=4096, tools=[TOOL]), "K005")
    assert d.location.pointer == "/messages/1/content/0/type" and "found `tool_use`" in d.message


def test_k005_redacted_prefill_and_finished_turns() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [REDACTED, use("t1")]}, {"role": "user", "content": [result("t1")]}]
    assert not found(body(msgs, thinking=ON, max_tokens=4096, tools=[TOOL]), "K005")
    # a new user question closes the previous turn: its assistant message is not judged
    done = [HELLO, {"role": "assistant", "content": "Hi"}, HELLO]
    assert not found(body(done, thinking=ON, max_tokens=4096), "K005")
    # a text prefill with thinking on
    assert found(body([HELLO, {"role": "assistant", "content": "Sure"}], thinking=ON, max_tokens=4096), "K005")


def test_k006_k008_anywhere_in_history() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [{"type": "text", "text": "a"}, THINK, {"type": "text", "text": "b"}]}, HELLO]
    assert found(body(msgs), "K006")
    msgs[1]["content"] = [REDACTED, THINK]
    assert found(body(msgs), "K008")[0].location.pointer == "/messages/1/content/1"
    msgs[1]["content"] = [THINK, REDACTED]
    assert not found(body(msgs), "K008")  # only `thinking` is named by the server


def test_k007_disabled_or_absent() -> None:
    final = [HELLO, {"role": "assistant", "content": [REDACTED, {"type": "text", "text": "x"}]}]
    assert found(body(final), "K007")
    assert found(body(final, thinking={"type": "disabled"}), "K007")
    assert not found(body(final, thinking=ON, max_tokens=4096), "K007")


def test_k009_missing_and_empty() -> None:
    msgs = [HELLO, {"role": "assistant", "content": [{"type": "thinking", "thinking": "x"}, {"type": "text", "text": "y"}]}, HELLO]
    result = codes(body(msgs))
    assert "K009" in result and "V002" not in result  # the schema's "required" is shadowed
    msgs[1]["content"][0] = {"type": "redacted_thinking", "data": ""}
    assert found(body(msgs), "K009")[0].location.pointer == "/messages/1/content/0/data"


def test_k010_top_p_threshold() -> None:
    assert found(body(thinking=ON, max_tokens=4096, top_p=0.9), "K010")
    assert not found(body(thinking=ON, max_tokens=4096, top_p=0.95), "K010")
    assert not found(body(top_k=10), "K010")


def test_k011_models() -> None:
    assert found(body(model="claude-3-5-haiku-latest", thinking=ON, max_tokens=4096), "K011")
    assert not found(body(model="claude-3-7-sonnet-latest", thinking=ON, max_tokens=4096), "K011")
    assert found(body(model="claude-sonnet-4-0", thinking={"type": "adaptive"}), "K011")
    assert not found(body(model="claude-sonnet-4-6", thinking={"type": "adaptive"}), "K011")
