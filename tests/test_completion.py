"""Legacy completion streams (transcript.stream.completion): the Completion, and the Message
the one Completion converter (transcript.legacy.migrate.completion_to_message) makes of it."""

from __future__ import annotations

import json
from typing import Any

from transcript.core.diagnostics import DiagnosticSink, Location
from transcript.legacy.migrate import completion_to_message
from transcript.stream.completion import CompletionStream, stream_completion_to_message
from transcript.stream.replay import replay_file
from transcript.stream.replayer import ReplayResult


def ev(**fields: Any) -> str:
    return f"event: completion\ndata: {json.dumps({'type': 'completion', **fields})}\n\n"


def run(text: str, **kw: Any) -> ReplayResult:
    return replay_file(text.encode(), **kw)


def test_the_message_is_the_converters() -> None:
    text = ev(completion=" Hi", stop_reason=None, model="claude-2.1", log_id="abc") + ev(
        completion=" there", stop_reason="stop_sequence", stop="END", model="claude-2.1", log_id="abc"
    )
    result = run(text, to="messages")
    converted = completion_to_message({"id": "msg_abc", **result.completion})
    assert result.message == converted.value
    assert result.message["content"] == [{"type": "text", "text": " Hi there"}]
    assert (result.message["stop_reason"], result.message["stop_sequence"]) == ("stop_sequence", "END")


def test_stop_reason_assumed_is_the_converters_finding_at_the_stopping_event() -> None:
    text = ev(completion=" Hi", stop_reason=None) + ev(completion="", stop_reason="stop_sequence")
    result = run(text, to="messages")
    (assumed,) = [d for d in result.diagnostics if d.code == "L105"]
    (l006,) = [d for d in completion_to_message(result.completion).diagnostics if d.code == "L006"]
    assert assumed.message == l006.message and assumed.severity is l006.severity
    assert (assumed.location.line, assumed.location.end_line) == (4, 6)  # the second event
    assert result.message["stop_reason"] == "end_turn"
    (usage,) = [d for d in result.diagnostics if d.code == "L103"]
    assert usage.location.line == 1
    assert "L006" not in [d.code for d in result.diagnostics]
    assert "L005" not in [d.code for d in result.diagnostics]


def test_the_message_always_has_an_id_and_a_model() -> None:
    with_log = run(ev(completion="x", stop_reason="max_tokens", log_id="abc"), to="messages").message
    assert with_log["id"] == "msg_abc" and with_log["model"] is None
    assert run(ev(completion="x", stop_reason="max_tokens"), to="messages").message["id"] == "msg_legacy"
    assert run(ev(completion="x", stop_reason="max_tokens", id="compl_1"), to="messages").message["id"] == "compl_1"


def test_stream_only_fields_stay_out_of_the_message() -> None:
    text = ev(completion=" Hi", stop_reason=None, truncated=True) + ev(completion="", stop_reason="max_tokens", truncated=False)
    result = run(text, to="messages")
    assert "truncated" not in result.message
    assert [d.code for d in result.diagnostics] == ["L102", "L103"]


def test_other_fields_are_carried_over_as_the_converter_does() -> None:
    result = run(ev(completion="x", stop_reason="max_tokens", extra=1), to="messages")
    assert result.message["extra"] == 1
    assert "L010" in [d.code for d in result.diagnostics]


def test_bedrock_metrics_give_the_usage() -> None:
    metrics = {"inputTokenCount": 3, "outputTokenCount": 4}
    result = run(ev(completion="x", stop_reason="max_tokens", **{"amazon-bedrock-invocationMetrics": metrics}), to="messages")
    assert result.message["usage"] == {"input_tokens": 3, "output_tokens": 4}
    assert result.diagnostics == ()


def test_a_completion_the_converter_refuses_gives_no_message() -> None:
    result = run(ev(completion="x", stop_reason="stopped"), to="messages")
    assert result.message is None and result.output == result.completion
    assert [d.code for d in result.diagnostics] == ["L009"]
    assert run(ev(completion="x", stop_reason="stopped")).complete


def test_completion_stream_directly() -> None:
    sink = DiagnosticSink()
    stream = CompletionStream(cumulative=True, sink=sink)
    stream.add({"completion": " He", "stop_reason": None, "model": "claude-v1"}, 1, 2)
    stream.add({"completion": " Hello", "stop_reason": "max_tokens"}, 3, 4)
    assert stream.stopped
    completion = stream.finish(5)
    assert completion == {"type": "completion", "completion": " Hello", "stop_reason": "max_tokens", "model": "claude-v1"}
    assert sink.result() == []
    message = stream.to_message(completion)
    assert message is not None and message["content"] == [{"type": "text", "text": " Hello"}]
    assert [(d.code, d.location.line) for d in sink.result()] == [("L103", 1)]


def test_stream_completion_to_message_locates_at_the_given_place() -> None:
    completion = {"type": "completion", "completion": "", "stop_reason": "stop_sequence"}
    message, diagnostics = stream_completion_to_message(completion, Location(line=7, column=1))
    assert message is not None and message["content"] == []
    assert sorted((d.code, d.location.line) for d in diagnostics) == [("L103", 1), ("L105", 7)]
