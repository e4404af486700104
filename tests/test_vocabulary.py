"""The protocol vocabulary is written once; the shipped schemas, the replayer and the
stream rules agree with it."""

from __future__ import annotations

from typing import Any

import pytest

from transcript.protocol import vocabulary as V
from transcript.protocol.schema import load_schema
from transcript.stream.blocks import DELTA_KINDS, OTHER, UNKNOWN, block_kind
from transcript.stream.codes import UNKNOWN_EVENT_TYPE
from transcript.stream.replayer import Replayer


def _union_tags(schema: dict[str, Any], name: str) -> list[str]:
    """The ``type`` values a tagged union of ``$defs`` dispatches on, in order."""
    union = schema["$defs"][name]
    return [branch["if"]["properties"]["type"]["const"] for branch in union["allOf"]]


def test_stream_schema_events_and_deltas_are_the_vocabulary() -> None:
    schema = load_schema("stream-event")
    assert _union_tags(schema, "StreamEvent") == list(V.EVENT_TYPES)
    assert _union_tags(schema, "Delta") == list(V.DELTA_TYPES)
    assert _union_tags(schema, "ContentBlock") == list(V.BLOCK_TYPES)
    usage = schema["$defs"]["MessageDeltaUsage"]["properties"]
    assert [k for k in usage if k != "output_tokens"] == list(V.USAGE_OPTIONAL)


@pytest.mark.parametrize("name", ["message", "stream-event"])
def test_response_schemas_name_the_vocabulary(name: str) -> None:
    schema = load_schema(name)
    assert schema["$defs"]["StopReason"]["enum"] == [*V.STOP_REASONS, None]
    assert _union_tags(schema, "ContentBlock") == list(V.BLOCK_TYPES)


def test_request_schema_names_the_server_tools() -> None:
    block = load_schema("messages-request")["$defs"]["ServerToolUseBlock"]
    assert block["properties"]["name"]["enum"] == list(V.SERVER_TOOL_NAMES)


def test_replayer_block_kinds_cover_the_vocabulary() -> None:
    assert all(block_kind(t) != UNKNOWN for t in V.BLOCK_TYPES)
    assert block_kind("a_block_type_from_the_future") == UNKNOWN
    assert set(DELTA_KINDS) == set(V.DELTA_TYPES)
    for delta, blocks in V.DELTA_BLOCKS.items():
        assert DELTA_KINDS[delta] == {block_kind(b) for b in blocks}
        assert OTHER not in DELTA_KINDS[delta]


def _event(type_: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, **fields}


def test_replayer_applies_every_optional_usage_field_of_the_vocabulary() -> None:
    """Each optional usage count of a message_delta overwrites the message's when not null."""
    values = {name: {"n": i} if name in ("server_tool_use", "output_tokens_details") else i + 1
              for i, name in enumerate(V.USAGE_OPTIONAL)}
    values["iterations"] = [{"type": "message", "input_tokens": 1, "output_tokens": 1}]
    r = Replayer()
    start = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
             "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 0, "output_tokens": 0}}
    r.feed(_event("message_start", message=start))
    r.feed(_event("message_delta", delta={"stop_reason": "end_turn", "stop_sequence": None},
                  usage={"output_tokens": 7, **values}))
    r.feed(_event("message_stop"))
    result = r.finish()
    assert result.complete, [d.code for d in result.diagnostics]
    usage = result.message["usage"]
    assert usage["output_tokens"] == 7
    assert {k: usage[k] for k in V.USAGE_OPTIONAL} == values


@pytest.mark.parametrize("stop_reason", V.STOP_REASONS)
def test_every_stop_reason_replays_cleanly(stop_reason: str) -> None:
    r = Replayer()
    start = {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
             "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 0, "output_tokens": 0}}
    r.feed(_event("message_start", message=start))
    r.feed(_event("message_delta", delta={"stop_reason": stop_reason, "stop_sequence": None}, usage={"output_tokens": 1}))
    r.feed(_event("message_stop"))
    result = r.finish()
    assert result.complete and result.message["stop_reason"] == stop_reason


@pytest.mark.parametrize("event", V.EVENT_TYPES)
def test_no_event_of_the_vocabulary_is_unknown_to_the_replayer(event: str) -> None:
    """The unknown-event code is never given to an event the vocabulary names."""
    r = Replayer()
    r.feed(_event(event))
    assert UNKNOWN_EVENT_TYPE.code not in [d.code for d in r.finish().diagnostics]


def test_an_event_outside_the_vocabulary_is_unknown() -> None:
    r = Replayer()
    r.feed(_event("message_rewind"))
    assert UNKNOWN_EVENT_TYPE.code in [d.code for d in r.finish().diagnostics]
