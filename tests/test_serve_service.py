"""The service without HTTP: whatever the body, the answer is the API's JSON, never a fault of ours."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from serve_helpers import HEADERS, body

from transcript.serve.server import ServeOptions, build_service
from transcript.serve.service import MAX_EXCHANGES, split_events

SERVICE = build_service(ServeOptions())
FLOOR = build_service(ServeOptions(lint=False))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
request_like = st.fixed_dictionaries(
    {},
    optional={
        "model": st.sampled_from(["claude-sonnet-4-5", "claude-opus-4-6", "nope"]) | json_values,
        "max_tokens": st.integers(-5, 200_000) | json_values,
        "messages": st.lists(
            st.fixed_dictionaries(
                {"role": st.sampled_from(["user", "assistant", "system"]), "content": st.text(max_size=30) | json_values}
            ),
            max_size=4,
        )
        | json_values,
        "stream": st.booleans(),
        "tools": st.lists(st.fixed_dictionaries({"name": st.sampled_from(["a", "b"]), "input_schema": json_values}), max_size=2)
        | json_values,
        "tool_choice": st.sampled_from([{"type": "any"}, {"type": "tool", "name": "a"}, {"type": "auto"}]) | json_values,
        "thinking": json_values,
        "stop_sequences": st.lists(st.text(max_size=5), max_size=3) | json_values,
    },
)


def _check(status: int, data: bytes, chunks: tuple[bytes, ...] | None) -> None:
    assert status in (200, 400, 413), status
    if status != 200:
        value = json.loads(data)
        assert value["type"] == "error" and set(value["error"]) == {"type", "message"} and value["request_id"].startswith("req_")
        assert value["error"]["message"] and "Traceback" not in value["error"]["message"]
    elif chunks is None:
        assert json.loads(data)["type"] == "message"
    else:
        assert chunks[0].startswith(b"event: message_start") and chunks[-1].startswith(b"event: message_stop")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_bytes_get_an_api_answer(data: bytes) -> None:
    reply = SERVICE.handle("messages", "POST", "/v1/messages", HEADERS, data)
    _check(reply.status, reply.body or b"", reply.chunks)


@settings(max_examples=300, deadline=None)
@given(request_like, st.booleans())
def test_any_request_shape_gets_an_api_answer(request: dict, lint: bool) -> None:
    """Linted or not (``--no-lint`` answers what the linter would refuse), never a fault of ours."""
    reply = (SERVICE if lint else FLOOR).handle("messages", "POST", "/v1/messages", HEADERS, json.dumps(request).encode())
    _check(reply.status, reply.body or b"", reply.chunks)


@given(st.lists(st.sampled_from([b"event: a\n", b"data: {}\n", b"\n", b"\r\n", b"\r", b"x"]), max_size=30))
def test_events_are_split_byte_for_byte(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    assert b"".join(split_events(data)) == data


def test_a_long_running_server_keeps_the_latest_exchanges() -> None:
    service = build_service(ServeOptions())
    for _ in range(MAX_EXCHANGES + 5):
        service.models("GET", "/v1/models", HEADERS)
    assert len(service.exchanges) == MAX_EXCHANGES
    assert service.handle("messages", "POST", "/v1/messages", HEADERS, json.dumps(body()).encode()).status == 200
