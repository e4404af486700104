"""The Message -> SSE renderer: replaying what it renders gives the Message back."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.serve.render import encode_event, message_events, render_sse
from transcript.stream.replay import replay_file
from transcript.stream.sse import parse_sse

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
json_scalars = (
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False, allow_infinity=False, width=32) | text
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=8
)
ids = st.from_regex(r"\A[a-zA-Z0-9_]{4,20}\Z")

citation = st.fixed_dictionaries({"type": st.just("char_location"), "cited_text": text, "start_char_index": st.integers(0, 99)})
text_block = st.fixed_dictionaries(
    {"type": st.just("text"), "text": text}, optional={"citations": st.lists(citation, min_size=1, max_size=2)}
)
thinking_block = st.fixed_dictionaries({"type": st.just("thinking"), "thinking": text, "signature": ids})
redacted_block = st.fixed_dictionaries({"type": st.just("redacted_thinking"), "data": ids})
tool_block = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["tool_use", "server_tool_use"]),
        "id": ids,
        "name": ids,
        "input": st.dictionaries(text, json_values, max_size=4),
    }
)
result_block = st.fixed_dictionaries(
    {
        "type": st.just("web_search_tool_result"),
        "tool_use_id": ids,
        "content": st.lists(st.fixed_dictionaries({"type": st.just("web_search_result"), "url": text}), max_size=2),
    }
)
usage = st.fixed_dictionaries(
    {"input_tokens": st.integers(0, 10**6), "output_tokens": st.integers(0, 10**6)},
    optional={
        "cache_creation_input_tokens": st.none() | st.integers(0, 10**5),
        "cache_read_input_tokens": st.none() | st.integers(0, 10**5),
        "service_tier": st.just("standard"),
    },
)
messages = st.fixed_dictionaries(
    {
        "id": ids,
        "type": st.just("message"),
        "role": st.just("assistant"),
        "model": st.sampled_from(["claude-sonnet-4-5", "claude-opus-4-6"]),
        "content": st.lists(text_block | thinking_block | redacted_block | tool_block | result_block, max_size=5),
        "stop_reason": st.sampled_from(["end_turn", "max_tokens", "tool_use", "stop_sequence", "pause_turn", "refusal"]),
        "stop_sequence": st.none() | text,
        "usage": usage,
    }
)


def _replayed(data: bytes) -> Any:
    result = replay_file(data, input_format="sse")
    assert result.ok and result.complete, result.diagnostics
    return result.message


def _without_stop_details(message: dict[str, Any]) -> dict[str, Any]:
    out = dict(message)
    assert out.pop("stop_details", None) is None
    return out


@settings(max_examples=200, deadline=None)
@given(messages, st.integers(1, 40), st.booleans())
def test_replaying_the_rendered_stream_gives_the_message_back(message: dict[str, Any], chunk: int, ping: bool) -> None:
    original = copy.deepcopy(message)
    data = render_sse(message, chunk=chunk, ping=ping)
    assert message == original  # the renderer does not touch its input
    assert _without_stop_details(_replayed(data)) == message


@settings(max_examples=50, deadline=None)
@given(messages)
def test_every_event_is_named_for_its_type_and_text_arrives_in_chunks(message: dict[str, Any]) -> None:
    events, diagnostics = parse_sse(render_sse(message, chunk=3))
    assert not diagnostics
    names = [e.event for e in events]
    assert names[0] == "message_start" and names[1] == "ping" and names[-2:] == ["message_delta", "message_stop"]
    for block in message["content"]:
        if block["type"] == "text" and len(block["text"]) > 3:
            assert names.count("content_block_delta") >= 2


def test_stop_details_travel_in_message_delta() -> None:
    message = {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [],
        "stop_reason": "refusal",
        "stop_sequence": None,
        "stop_details": {"type": "refusal"},
        "usage": {"input_tokens": 1, "output_tokens": 1},
    }
    assert _replayed(render_sse(message)) == message


def test_an_event_is_written_as_the_api_writes_it() -> None:
    assert encode_event("ping", {"type": "ping"}) == b'event: ping\ndata: {"type":"ping"}\n\n'
    names = [name for name, _ in message_events({"content": [], "usage": {"output_tokens": 3}}, ping=False)]
    assert names == ["message_start", "message_delta", "message_stop"]
