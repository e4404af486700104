"""Response Message sanity rules (M1xx) beyond their examples."""

from __future__ import annotations

import json

from transcript.request.response import lint_response_text, lint_response_value


def message(content: list, stop_reason: str | None = "end_turn", stop_sequence: str | None = None) -> dict:
    return {
        "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": content,
        "stop_reason": stop_reason, "stop_sequence": stop_sequence, "usage": {"input_tokens": 1, "output_tokens": 1},
    }


USE = {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}


def codes(value: dict) -> list[str]:
    return [d.code for d in lint_response_value(value)]


def test_m101_m102() -> None:
    assert codes(message([{"type": "text", "text": "x"}], "tool_use")) == ["M101"]
    assert codes(message([USE], "end_turn")) == ["M102"]
    assert codes(message([USE], "max_tokens")) == []
    assert codes(message([USE], None)) == []  # a message_start snapshot


def test_m103_both_directions() -> None:
    assert codes(message([{"type": "text", "text": "x"}], "end_turn", "STOP")) == ["M103"]
    assert codes(message([{"type": "text", "text": "x"}], "stop_sequence", "STOP")) == []


def test_m104_server_tool_ids() -> None:
    srv = {"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {}}
    assert codes(message([srv, srv, {"type": "text", "text": "x"}])) == ["M104"]


def test_error_body_and_token_count() -> None:
    assert lint_response_value({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}) == []
    assert [d.code for d in lint_response_value({"type": "error", "error": {"type": 5}})] == ["X008", "X008"]
    assert lint_response_value({"input_tokens": 12}) == []
    assert [d.code for d in lint_response_value({"input_tokens": -1})] == ["X008"]


def test_response_text_is_located() -> None:
    text = json.dumps(message([{"type": "text", "text": "x"}], "tool_use"), indent=2)
    (d,) = lint_response_text(text)
    assert d.code == "M101" and text.splitlines()[d.location.line - 1].strip().startswith('"stop_reason"')


def test_wrong_types_never_raise() -> None:
    for bad in ([], "x", {"type": "message", "role": "assistant", "content": "nope"}, {"type": "message", "role": "assistant", "content": [1, None]}):
        lint_response_value(bad)
