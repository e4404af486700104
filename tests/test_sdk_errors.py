"""The in-stream error notes against what the official Python SDK really raises (offline: an
in-memory HTTP transport serves the stream to a real client)."""

from __future__ import annotations

import json

import pytest

from transcript.stream.replay import lint_stream
from transcript.stream.sdk_errors import HTTP_COUNTERPART, python_sdk_note

anthropic = pytest.importorskip("anthropic")
httpx = pytest.importorskip("httpx2")

START = {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "content": [],
                                              "model": "x", "stop_reason": None, "stop_sequence": None,
                                              "usage": {"input_tokens": 1, "output_tokens": 1}}}


def stream(error_type: str) -> bytes:
    error = {"type": "error", "error": {"type": error_type, "message": "boom"}, "request_id": "req_1"}
    return f"event: message_start\ndata: {json.dumps(START)}\n\nevent: error\ndata: {json.dumps(error)}\n\n".encode()


def sdk_raises(data: bytes) -> BaseException:
    def handler(request: object) -> object:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=data)

    client = anthropic.Anthropic(api_key="k", base_url="http://sdk.invalid", max_retries=2,
                                 http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    with pytest.raises(anthropic.APIError) as info:
        with client.messages.stream(model="claude-sonnet-4-5", max_tokens=8, messages=[{"role": "user", "content": "hi"}]) as s:
            s.get_final_message()
    return info.value


@pytest.mark.parametrize("error_type", [*HTTP_COUNTERPART, "brand_new_error"])
def test_the_note_says_what_the_sdk_raises(error_type: str) -> None:
    exc = sdk_raises(stream(error_type))
    note = python_sdk_note(error_type)
    assert f"anthropic.{type(exc).__name__} (status_code {exc.status_code}, .type {exc.type!r})" in note
    assert exc.body["error"]["type"] == error_type
    counterpart = HTTP_COUNTERPART.get(error_type)
    if counterpart is not None:
        status, name = counterpart
        assert not isinstance(exc, getattr(anthropic, name)), "the note says the HTTP class does not catch it"


def test_the_http_counterparts_are_the_sdk_classes() -> None:
    from anthropic._error_classes import ERROR_CLASSES

    for status, name in HTTP_COUNTERPART.values():
        chosen = ERROR_CLASSES.get((status, None)) or (anthropic.InternalServerError if status >= 500 else None)
        assert chosen is not None and chosen.__name__ == name, status


def test_the_replayer_reports_the_error_with_the_note() -> None:
    [d] = [d for d in lint_stream(stream("overloaded_error")) if d.code == "S116"]
    assert "overloaded_error: boom" in d.message and "APIStatusError (status_code 200" in d.hint
