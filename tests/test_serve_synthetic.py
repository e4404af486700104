"""The synthetic answer respects the request: max_tokens, stop_sequences, forced tools, thinking."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.request.lint import lint_request
from transcript.serve.instances import instance_for
from transcript.serve.render import render_sse
from transcript.serve.synthetic import DEFAULT_TEXT, synthetic_message, tokens
from transcript.stream.replay import replay_file


def _request(**extra: Any) -> dict[str, Any]:
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 1024,
        "messages": [{"role": "user", "content": "one two three four five"}],
        **extra,
    }


def test_the_answer_echoes_the_last_user_text_and_is_deterministic() -> None:
    a, b = synthetic_message(_request()), synthetic_message(_request())
    assert a == b
    assert a["content"] == [{"type": "text", "text": "one two three four five"}]
    assert a["stop_reason"] == "end_turn" and a["usage"]["output_tokens"] == 5
    assert a["id"].startswith("msg_01") and a["model"] == "claude-sonnet-4-5"
    assert (
        synthetic_message(_request(messages=[{"role": "user", "content": [{"type": "image", "source": {}}]}]))["content"][0][
            "text"
        ]
        == DEFAULT_TEXT
    )


def test_max_tokens_cuts_the_text_and_says_so() -> None:
    message = synthetic_message(_request(max_tokens=2))
    assert message["content"][0]["text"] == "one two"
    assert message["stop_reason"] == "max_tokens" and message["stop_sequence"] is None
    assert message["usage"]["output_tokens"] == 2


def test_the_first_stop_sequence_found_ends_the_text() -> None:
    message = synthetic_message(_request(stop_sequences=["four", " two"]))
    assert message["content"][0]["text"] == "one"
    assert message["stop_reason"] == "stop_sequence" and message["stop_sequence"] == " two"


def test_a_stop_sequence_at_the_start_leaves_no_empty_text_block() -> None:
    message = synthetic_message(_request(stop_sequences=["one"]))
    assert message["content"] == [] and message["stop_reason"] == "stop_sequence"


WEATHER = {
    "type": "object",
    "properties": {
        "city": {"type": "string", "minLength": 2},
        "unit": {"enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 7},
        "at": {"type": "string", "format": "date-time"},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}, "minItems": 2},
        "where": {"$ref": "#/$defs/point"},
    },
    "required": ["city", "where", "tags"],
    "$defs": {"point": {"type": "object", "properties": {"lat": {"type": "number", "exclusiveMinimum": 5}}, "required": ["lat"]}},
}


@pytest.mark.parametrize("choice", [{"type": "tool", "name": "get_weather"}, {"type": "any"}])
def test_a_forced_tool_gets_a_tool_use_valid_for_its_schema(choice: dict[str, Any]) -> None:
    request = _request(tools=[{"name": "get_weather", "description": "d", "input_schema": WEATHER}], tool_choice=choice)
    assert not [d for d in lint_request(request) if d.severity.value == "error"]
    message = synthetic_message(request)
    (block,) = message["content"]
    assert block["type"] == "tool_use" and block["name"] == "get_weather" and block["id"].startswith("toolu_")
    jsonschema.validate(block["input"], WEATHER)
    assert message["stop_reason"] == "tool_use"


def test_thinking_comes_first_with_a_signature_within_its_budget() -> None:
    message = synthetic_message(_request(max_tokens=2048, thinking={"type": "enabled", "budget_tokens": 1024}))
    thinking, text = message["content"]
    assert thinking["type"] == "thinking" and thinking["signature"] and text["type"] == "text"
    assert len(tokens(thinking["thinking"])) <= 1024


def test_the_answer_streams_and_replays_to_itself() -> None:
    message = synthetic_message(_request(thinking={"type": "adaptive"}))
    assert replay_file(render_sse(message), input_format="sse").message == {**message, "stop_details": None}


leaf = st.sampled_from(
    [
        {"type": "string"},
        {"type": "string", "minLength": 12},
        {"type": "string", "maxLength": 1},
        {"type": "integer", "minimum": 10},
        {"type": "integer", "maximum": -3},
        {"type": "number", "exclusiveMaximum": 0},
        {"type": "integer", "multipleOf": 7, "minimum": 8},
        {"type": "boolean"},
        {"type": "null"},
        {"enum": ["a", 1]},
        {"const": {"x": 1}},
        {"type": ["null", "string"]},
        {"type": "string", "format": "email"},
        {"type": "string", "pattern": "^[0-9]{3}$"},
        {"type": "string", "format": "uuid"},
    ]
)


def _schemas(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    props = st.dictionaries(st.from_regex(r"\A[a-z]{1,6}\Z"), inner, max_size=4)
    objects = props.flatmap(
        lambda p: st.fixed_dictionaries(
            {
                "type": st.just("object"),
                "properties": st.just(p),
                "required": st.lists(st.sampled_from(sorted(p)), unique=True) if p else st.just([]),
            }
        )
    )
    arrays = st.fixed_dictionaries({"type": st.just("array"), "items": inner}, optional={"minItems": st.integers(0, 3)})
    unions = st.lists(inner, min_size=1, max_size=3).map(lambda bs: {"anyOf": bs})
    # allOf over objects that name different properties: one schema that two objects share
    # out (branches that give one property two types would have no valid instance at all)
    def split(p: dict[str, Any]) -> dict[str, Any]:
        items = sorted(p.items())
        halves = [dict(items[: len(items) // 2]), dict(items[len(items) // 2 :])]
        return {"allOf": [{"type": "object", "properties": h, "required": sorted(h)[:1]} for h in halves]}

    return objects | arrays | unions | props.map(split)


@settings(max_examples=200, deadline=None)
@given(st.recursive(leaf, _schemas, max_leaves=10).map(lambda s: {"type": "object", "properties": {"v": s}, "required": ["v"]}))
def test_generated_tool_inputs_are_valid_for_their_schemas(schema: dict[str, Any]) -> None:
    jsonschema.validate(instance_for(schema), schema)


def test_a_schema_that_refers_to_itself_still_gets_an_input() -> None:
    assert isinstance(instance_for({"anyOf": [{"$ref": "#"}]}), dict)
    tree = {"type": "object", "properties": {"child": {"$ref": "#"}}, "required": ["child"]}
    value = instance_for(tree)
    depth = 0
    while isinstance(value, dict) and "child" in value:
        value, depth = value["child"], depth + 1
    assert 1 <= depth <= 60
