"""Message-structure rules (M0xx) beyond their examples."""

from __future__ import annotations

from rules_helpers import HELLO, body, codes, found

from transcript.core.diagnostics import Severity

ASSISTANT = {"role": "assistant", "content": "Hi"}
SYSTEM = {"role": "system", "content": "Answer in French."}


def test_m001_severity_by_target_and_strict() -> None:
    msgs = [HELLO, ASSISTANT, ASSISTANT, HELLO]
    (d,) = found(body(msgs), "M001")
    assert d.severity is Severity.WARNING and d.location.pointer == "/messages/2/role"
    assert found(body(msgs), "M001", target="bedrock")[0].severity is Severity.ERROR
    assert found(body(msgs), "M001", target="vertex")[0].severity is Severity.WARNING
    assert found(body(msgs), "M001", strict=True)[0].severity is Severity.ERROR


def test_m001_ignores_system_and_broken_messages() -> None:
    assert not found(body([HELLO, SYSTEM, ASSISTANT], model="claude-opus-4-8"), "M001")
    assert not found(body([HELLO, "junk", HELLO]), "M001")


def test_m002() -> None:
    assert found(body([ASSISTANT, HELLO]), "M002")[0].severity is Severity.WARNING
    assert found(body([ASSISTANT, HELLO]), "M002", target="bedrock")[0].severity is Severity.ERROR
    assert not found(body([SYSTEM, HELLO], model="claude-opus-4-8"), "M002")


def test_m003_and_m009_split_by_model_and_target() -> None:
    msgs = [HELLO, SYSTEM]
    assert found(body(msgs, model="claude-sonnet-4-5"), "M003")
    assert not codes(body(msgs, model="claude-opus-4-8"))
    assert found(body(msgs, model="claude-opus-4-8"), "M003", target="bedrock")
    assert found(body(msgs, model="claude-opus-4-8"), "M003", target="vertex")
    assert not found(body(msgs, model="my-gateway-model"), "M003")  # unknown: not judged


def test_m009_placement_rules() -> None:
    opus = "claude-opus-4-8"
    assert "first entry" in found(body([SYSTEM, HELLO], model=opus), "M009")[0].message
    assert "in a row" in found(body([HELLO, SYSTEM, SYSTEM], model=opus), "M009")[0].message
    assert "follow a user" in found(body([HELLO, ASSISTANT, SYSTEM], model=opus), "M009")[0].message
    image = {"role": "system", "content": [{"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]}
    assert "only text" in found(body([HELLO, image], model=opus), "M009")[0].message
    tool_turn = [
        HELLO,
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "ok"}]},
        SYSTEM,
    ]
    assert not found(body(tool_turn, model=opus, tools=[{"name": "f", "input_schema": {"type": "object"}}]), "M009")


def test_m004_final_assistant_may_be_empty() -> None:
    assert found(body([{"role": "user", "content": []}]), "M004")
    assert found(body([HELLO, {"role": "assistant", "content": ""}, HELLO]), "M004")[0].location.pointer == "/messages/1/content"
    assert not found(body([HELLO, {"role": "assistant", "content": []}]), "M004")


def test_m005_m006_blocks_and_strings() -> None:
    msgs = [{"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": " \n\t"}, {"type": "text", "text": "ok"}]}]
    assert [d.location.pointer for d in found(body(msgs), "M005")] == ["/messages/0/content/0/text"]
    assert [d.location.pointer for d in found(body(msgs), "M006")] == ["/messages/0/content/1/text"]
    assert [d.location.pointer for d in found(body([{"role": "user", "content": "   "}]), "M006")] == ["/messages/0/content"]
    assert not found(body([{"role": "user", "content": [{"type": "text", "text": 5}]}]), "M005")


def test_m006_and_m007_do_not_double_report_the_prefill() -> None:
    result = codes(body([HELLO, {"role": "assistant", "content": "  "}]))
    assert result.count("M007") == 1 and "M006" not in result


def test_m007_only_final_text() -> None:
    assert found(body([HELLO, {"role": "assistant", "content": [{"type": "text", "text": "Sure:\n"}]}]), "M007")
    assert not found(body([HELLO, {"role": "assistant", "content": "Sure: "}, HELLO]), "M007")
    tool = {"type": "tool_use", "id": "t", "name": "f", "input": {}}
    assert not found(body([HELLO, {"role": "assistant", "content": [{"type": "text", "text": "x "}, tool]}]), "M007")


def test_m008_and_m010_pause_turn_continuation_is_not_a_prefill() -> None:
    paused = {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Searching."},
            {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"query": "x"}},
        ],
    }
    tools = [{"type": "web_search_20250305", "name": "web_search"}]
    result = codes(body([HELLO, paused], model="claude-opus-4-6", tools=tools))
    assert "M008" not in result and "M010" not in result


def test_m010_models() -> None:
    msgs = [HELLO, {"role": "assistant", "content": "The answer is"}]
    for model in ("claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-sonnet-4-6"):
        assert found(body(msgs, model=model), "M010"), model
    for model in ("claude-sonnet-4-5", "claude-haiku-4-5", "unknown-model"):
        assert not found(body(msgs, model=model), "M010"), model
