"""Text Completions <-> Messages bodies: requests, responses, JSONL, detection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.legacy.migrate import (
    completion_request_to_messages,
    completion_to_message,
    detect_body,
    message_to_completion,
    messages_request_to_completion,
    migrate_text,
    migrate_value,
    parse_model_map,
)

REQUEST = {
    "model": "claude-2.1",
    "prompt": "Be terse.\n\nHuman: Hello\n\nAssistant:",
    "max_tokens_to_sample": 256,
    "stop_sequences": ["\n\nHuman: ", "END"],
    "temperature": 0.5,
    "top_p": 0.9,
    "top_k": 5,
    "metadata": {"user_id": "u1"},
    "stream": False,
}


def codes(conversion: Any) -> list[str]:
    return sorted(d.code for d in conversion.diagnostics)


def test_full_request() -> None:
    """Every TC parameter maps; the system prompt comes out of the prompt."""
    conversion = completion_request_to_messages(REQUEST)
    assert conversion.value == {
        "model": "claude-2.1",
        "max_tokens": 256,
        "system": "Be terse.",
        "messages": [{"role": "user", "content": "Hello"}],
        "stop_sequences": ["END"],
        "temperature": 0.5,
        "top_p": 0.9,
        "top_k": 5,
        "metadata": {"user_id": "u1"},
        "stream": False,
    }
    assert codes(conversion) == ["L001"]


def test_only_builtin_stop_drops_the_key() -> None:
    body = dict(REQUEST, stop_sequences=["\n\nHuman:"])
    assert "stop_sequences" not in completion_request_to_messages(body).value


@pytest.mark.parametrize("alias", ["claude-2", "claude-instant-1", "claude-1", "claude-v2"])
def test_aliases_need_a_mapping(alias: str) -> None:
    conversion = completion_request_to_messages(dict(REQUEST, model=alias))
    assert conversion.value is None and "L002" in codes(conversion)


def test_prompt_diagnostics_point_at_the_prompt() -> None:
    """Prompt problems are reported at /prompt with the position inside the prompt."""
    conversion = completion_request_to_messages(dict(REQUEST, prompt="\n\nHuman:\n\nAssistant:"))
    assert conversion.value is None
    (d,) = [d for d in conversion.diagnostics if d.code.startswith("P")]
    assert d.code == "P014" and d.location.pointer == "/prompt" and "prompt line 3" in d.message


def test_prompt_policies_pass_through() -> None:
    body = dict(REQUEST, prompt="\n\nHuman:\n\nAssistant: a\n\nHuman: b\n\nAssistant:")
    conversion = completion_request_to_messages(body, prompt_options={"empty_turns": "placeholder:(empty)"})
    assert conversion.value["messages"][0]["content"] == "(empty)"


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"max_tokens_to_sample": "256"}, "/max_tokens_to_sample"),
        ({"max_tokens_to_sample": -1}, "/max_tokens_to_sample"),
        ({"prompt": ["x"]}, "/prompt"),
        ({"model": 2}, "/model"),
        ({"stop_sequences": "END"}, "/stop_sequences"),
    ],
)
def test_wrong_types(change: dict[str, Any], pointer: str) -> None:
    conversion = completion_request_to_messages(dict(REQUEST, **change))
    assert conversion.value is None
    assert ("L009", pointer) in [(d.code, d.location.pointer) for d in conversion.diagnostics]


def test_missing_fields() -> None:
    conversion = completion_request_to_messages({"model": "claude-2.1"})
    assert conversion.value is None and codes(conversion) == ["L009", "L009"]


def test_unknown_field_is_kept_with_a_warning() -> None:
    conversion = completion_request_to_messages(dict(REQUEST, custom_flag=True))
    assert conversion.value["custom_flag"] is True
    assert "L010" in codes(conversion)


def test_high_max_tokens_is_information() -> None:
    conversion = completion_request_to_messages(dict(REQUEST, max_tokens_to_sample=100_000))
    assert conversion.ok and "L008" in codes(conversion)


def test_messages_request_to_completion() -> None:
    """The reverse request direction renders the prompt and renames max_tokens."""
    body = {
        "model": "claude-2.1",
        "max_tokens": 100,
        "system": "S",
        "messages": [{"role": "user", "content": "Hi"}],
        "stop_sequences": ["END"],
    }
    conversion = messages_request_to_completion(body)
    assert conversion.value == {
        "model": "claude-2.1",
        "prompt": "S\n\nHuman: Hi\n\nAssistant:",
        "max_tokens_to_sample": 100,
        "stop_sequences": ["END"],
    }


def test_messages_only_params_are_errors() -> None:
    body = {"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": "x"}], "tools": [], "thinking": {}}
    conversion = messages_request_to_completion(body)
    assert conversion.value is None and codes(conversion) == ["L003", "L003"]


def test_request_round_trip() -> None:
    """TC -> Messages -> TC gives the body back (less the built-in stop sequence)."""
    there = completion_request_to_messages(REQUEST).value
    back = messages_request_to_completion(there).value
    expected = dict(REQUEST, stop_sequences=["END"])
    assert back == expected


def test_bedrock_usage_from_invocation_metrics() -> None:
    conversion = completion_to_message(
        {
            "completion": "Hi",
            "stop_reason": "max_tokens",
            "amazon-bedrock-invocationMetrics": {"inputTokenCount": 7, "outputTokenCount": 1},
        }
    )
    assert conversion.value["usage"] == {"input_tokens": 7, "output_tokens": 1}
    assert conversion.diagnostics == ()


def test_builtin_stop_matched_is_end_turn() -> None:
    conversion = completion_to_message({"completion": "Hi", "stop_reason": "stop_sequence", "stop": "\n\nHuman:"})
    assert conversion.value["stop_reason"] == "end_turn" and conversion.value["stop_sequence"] is None


def test_strip_leading_space() -> None:
    conversion = completion_to_message({"completion": " Hi", "stop_reason": None}, strip_leading_space=True)
    assert conversion.value["content"] == [{"type": "text", "text": "Hi"}]
    assert conversion.value["stop_reason"] is None
    assert "L004" in codes(conversion)


def test_bad_completion() -> None:
    assert completion_to_message({"completion": 3}).value is None
    assert completion_to_message({"completion": "x", "stop_reason": "weird"}).value is None


def test_message_to_completion_text_only() -> None:
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [{"type": "text", "text": "Hello"}, {"type": "text", "text": "!"}],
        "stop_reason": "end_turn",
    }
    assert message_to_completion(message).value == {
        "type": "completion",
        "id": "msg_1",
        "completion": "Hello!",
        "stop_reason": "stop_sequence",
        "model": "m",
    }
    tool = dict(message, content=[{"type": "tool_use", "id": "t", "name": "f", "input": {}}])
    assert codes(message_to_completion(tool)) == ["L012"]


def test_unmappable_stop_policy() -> None:
    message = {"type": "message", "role": "assistant", "content": [], "stop_reason": "refusal"}
    conversion = message_to_completion(message, unmappable_stop="stop_sequence")
    assert conversion.value["stop_reason"] == "stop_sequence"
    assert [d.severity.value for d in conversion.diagnostics] == ["warning"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (REQUEST, "completion-request"),
        ({"completion": "x"}, "completion-response"),
        ({"messages": []}, "messages-request"),
        ({"type": "message", "content": []}, "message"),
        ({"a": 1}, None),
        ([1], None),
    ],
)
def test_detect_body(value: Any, kind: str | None) -> None:
    assert detect_body(value) == kind


def test_to_the_same_format_is_an_error() -> None:
    conversion = migrate_value(REQUEST, to="completion")
    assert conversion.value is None and codes(conversion) == ["L011"]


def test_jsonl_lines_are_independent_and_located() -> None:
    """A bad line is reported at its file line; the others convert."""
    text = "\n".join(
        [
            json.dumps(REQUEST),
            "{not json",
            "",
            json.dumps(dict(REQUEST, model="claude-2")),
            json.dumps({"completion": " x", "stop_reason": "max_tokens"}),
        ]
    )
    migration = migrate_text(text)
    assert migration.jsonl and not migration.ok
    assert [r is not None for r in migration.records] == [True, False, False, True]
    located = sorted((d.code, d.location.line) for d in migration.diagnostics)
    assert ("X004", 2) in located and ("L002", 4) in located and ("L005", 5) in located
    l002 = next(d for d in migration.diagnostics if d.code == "L002")
    assert l002.location.column is not None and l002.location.pointer == "/model"


def test_single_document_with_line_and_column() -> None:
    text = json.dumps(dict(REQUEST, model="claude-2"), indent=2)
    migration = migrate_text(text)
    (d,) = [d for d in migration.diagnostics if d.code == "L002"]
    assert d.location.line == 2


def test_model_map_parsing() -> None:
    assert parse_model_map(["claude-2=claude-2.1", " a = b "]) == {"claude-2": "claude-2.1", "a": "b"}
    with pytest.raises(ValueError):
        parse_model_map(["claude-2"])


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=6),
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["prompt", "max_tokens_to_sample", "model", "stop_sequences", "completion", "stop_reason", "stop",
                 "messages", "content", "type", "role", "max_tokens", "system", "amazon-bedrock-invocationMetrics"]
            ),
            children,
            max_size=6,
        ),
        max_leaves=15,
    )
)
def test_migrate_never_raises(value: Any) -> None:
    """Any JSON value migrates or gives diagnostics."""
    conversion = migrate_value(value)
    assert conversion.value is not None or conversion.diagnostics


def test_jsonl_detected_even_when_the_first_line_is_bad() -> None:
    """Without a .jsonl name, a broken first line does not hide the good ones."""
    text = "{broken\n" + json.dumps({"completion": "x", "stop_reason": "max_tokens"}) + "\n"
    migration = migrate_text(text)
    assert migration.jsonl
    assert migration.records[0] is None and migration.records[1] is not None
    assert [(d.code, d.location.line) for d in migration.diagnostics if d.code == "X004"] == [("X004", 1)]


def test_broken_pretty_json_is_one_error() -> None:
    """A multi-line document with a syntax error is reported once, not line by line."""
    migration = migrate_text('{\n  "prompt": "x",\n  "max_tokens_to_sample": ,\n}')
    assert not migration.jsonl and [d.code for d in migration.diagnostics] == ["X004"]


def test_migrated_request_is_judged_for_the_model_it_names() -> None:
    """L013: what the API would refuse in the migrated body is reported at the legacy field
    it came from; a warning (the body is still produced), a failed migration under strict."""
    body = {
        "model": "claude-1",
        "prompt": "\n\nHuman: Hi\n\nAssistant:",
        "max_tokens_to_sample": 256,
        "temperature": 0.7,
        "top_p": 0.7,
    }
    conv = completion_request_to_messages(body, model_map={"claude-1": "claude-sonnet-4-5"})
    (refusal,) = [d for d in conv.diagnostics if d.code == "L013"]
    assert conv.value is not None and refusal.severity.value == "warning"
    assert "R007" in refusal.message and refusal.location.pointer in ("/temperature", "/top_p")
    strict = completion_request_to_messages(body, model_map={"claude-1": "claude-sonnet-4-5"}, strict=True)
    assert strict.value is None and [d.severity.value for d in strict.diagnostics if d.code == "L013"] == ["error"]
    without_top_p = {k: v for k, v in body.items() if k != "top_p"}
    fine = completion_request_to_messages(without_top_p, model_map={"claude-1": "claude-sonnet-4-5"})
    assert fine.value is not None and not [d for d in fine.diagnostics if d.code == "L013"]


def test_max_tokens_refusal_points_at_max_tokens_to_sample() -> None:
    """A max_tokens above the model's cap is reported at max_tokens_to_sample."""
    body = {"model": "claude-sonnet-4-5", "prompt": "\n\nHuman: Hi\n\nAssistant:", "max_tokens_to_sample": 10_000_000}
    conv = completion_request_to_messages(body)
    pointers = [d.location.pointer for d in conv.diagnostics if d.code == "L013"]
    assert pointers == ["/max_tokens_to_sample"]
