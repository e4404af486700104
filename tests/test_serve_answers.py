"""Answers from recordings (directories, HAR, JSONL), scripts, /v1/complete and token counts."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import anthropic
import httpx
import pytest
from conftest import DATA
from serve_helpers import HEADERS, body, running

from transcript.serve.recorded import read_recordings
from transcript.serve.render import message_events
from transcript.serve.script import read_script
from transcript.serve.server import ServeError, ServeOptions, read_sources
from transcript.stream.replay import replay_file

CORPUS = DATA / "corpus"


def _options(*paths: Path | str, script: Path | None = None, **extra: object) -> ServeOptions:
    return ServeOptions(sources=tuple(read_sources([str(p) for p in paths], script)), **extra)  # type: ignore[arg-type]


def _post(url: str, data: bytes | dict, path: str = "/v1/messages") -> httpx.Response:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return httpx.post(url + path, content=content, headers={**HEADERS, "content-type": "application/json"}, timeout=10)


def test_a_recorded_stream_is_served_byte_for_byte() -> None:
    with running(_options(CORPUS)) as server:
        for name in ("llma_text_stream", "pai_thinking_stream", "llma_tool_use_stream"):
            r = _post(server.base_url, (CORPUS / f"{name}.request.json").read_bytes())
            assert r.status_code == 200 and r.content == (CORPUS / f"{name}.sse").read_bytes()


def test_json_and_sse_recordings_answer_the_other_kind_of_request() -> None:
    with running(_options(CORPUS)) as server:
        request = json.loads((CORPUS / "pai_code_execution.request.json").read_text())
        recorded = json.loads((CORPUS / "pai_code_execution.response.json").read_text())
        streamed = _post(server.base_url, {**request, "stream": True})
        assert streamed.headers["content-type"].startswith("text/event-stream")
        assert replay_file(streamed.content, input_format="sse").message == {**recorded, "stop_details": None}
        request = json.loads((CORPUS / "llma_text_stream.request.json").read_text())
        whole = _post(server.base_url, {**request, "stream": False})
        assert whole.json() == replay_file(CORPUS / "llma_text_stream.sse").message


def test_the_linter_refuses_what_the_recorded_server_refused_with_the_same_message() -> None:
    request = (CORPUS / "pai_error_400_invalid_request.request.json").read_bytes()
    recorded = json.loads((CORPUS / "pai_error_400_invalid_request.response.json").read_text())
    with running() as server:
        r = _post(server.base_url, request)
    assert r.status_code == 400 and r.json()["error"] == recorded["error"]


def test_recorded_errors_and_token_counts_keep_their_status() -> None:
    with running(_options(CORPUS)) as server:
        limited = _post(server.base_url, (CORPUS / "sdk_error_429_rate_limit.request.json").read_bytes())
        assert limited.status_code == 429 and limited.json()["error"]["type"] == "rate_limit_error"
        count = _post(server.base_url, (CORPUS / "pai_count_tokens.request.json").read_bytes(), "/v1/messages/count_tokens")
        assert count.json() == json.loads((CORPUS / "pai_count_tokens.response.json").read_text())


def test_without_a_recording_a_token_count_is_an_honest_error() -> None:
    with running() as server:
        r = _post(
            server.base_url,
            {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "hi"}]},
            "/v1/messages/count_tokens",
        )
    assert r.status_code == 501 and r.headers["x-should-retry"] == "false"
    assert r.json()["error"]["message"].startswith("transcript serve has no recording that answers this token count")


def test_unmatched_requests_are_answered_in_order(tmp_path: Path) -> None:
    lines = [
        {
            "request": body(messages=[{"role": "user", "content": f"recorded {n}"}]),
            "response": {
                "id": f"msg_{n}",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-4-5",
                "content": [{"type": "text", "text": f"answer {n}"}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 1, "output_tokens": 2},
            },
        }
        for n in range(2)
    ]
    (tmp_path / "log.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    with running(_options(tmp_path / "log.jsonl")) as server:
        texts = [
            _post(server.base_url, body(messages=[{"role": "user", "content": q}])).json()["content"][0]["text"]
            for q in ("recorded 1", "something else", "again")
        ]
    assert texts == ["answer 1", "answer 0", "again"]  # a match, then by order, then synthetic


def test_har_entries_answer_with_their_event_stream(tmp_path: Path) -> None:
    request = json.loads((CORPUS / "llma_text_stream.request.json").read_text())
    sse = (CORPUS / "llma_text_stream.sse").read_text()
    har = {
        "log": {
            "entries": [
                {
                    "request": {
                        "method": "POST",
                        "url": "https://api.anthropic.com/v1/messages",
                        "postData": {"text": json.dumps(request)},
                    },
                    "response": {"status": 200, "content": {"mimeType": "text/event-stream", "text": sse}},
                }
            ]
        }
    }
    (tmp_path / "s.har").write_text(json.dumps(har))
    with running(_options(tmp_path / "s.har")) as server:
        assert _post(server.base_url, request).text == sse


def test_recorded_timing_is_replayed_under_speed(tmp_path: Path) -> None:
    (tmp_path / "x.request.json").write_text(json.dumps(body(stream=True)))
    (tmp_path / "x.sse").write_bytes((CORPUS / "llma_text_stream.sse").read_bytes())
    events = (CORPUS / "llma_text_stream.sse").read_bytes().count(b"\n\n")
    (tmp_path / "x.times.json").write_text(json.dumps([0.1 * n for n in range(events)]))
    with running(_options(tmp_path, speed=2.0)) as server:
        start = time.monotonic()
        r = _post(server.base_url, body(stream=True))
        took = time.monotonic() - start
    assert r.content == (CORPUS / "llma_text_stream.sse").read_bytes()
    assert took >= 0.05 * (events - 1) * 0.9


def test_a_broken_recording_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_text('{"request": {}}\n')
    with pytest.raises(ServeError, match=r"bad.jsonl:1: a line must be"):
        read_sources([str(tmp_path / "bad.jsonl")])
    assert len(read_recordings([CORPUS])) >= 30


SCRIPT = [
    {"match": "weather", "tool_use": {"name": "get_weather", "input": {"city": "Paris"}}},
    {"text": "First scripted answer.", "thinking": "Hmm."},
    {"fault": "overloaded;times=1", "text": "After the retry."},
    {"error": {"type": "permission_error", "message": "Not for you."}},
    {"match": {"regex": "^stop"}, "text": "Stopped", "stop_reason": "stop_sequence", "stop_sequence": "END"},
]


def test_scripted_answers_in_order_and_by_match(tmp_path: Path) -> None:
    path = tmp_path / "script.jsonl"
    path.write_text("\n".join(json.dumps(e) for e in SCRIPT) + "\n")
    with running(_options(script=path)) as server:
        client = anthropic.Anthropic(base_url=server.base_url, api_key="k", max_retries=1)

        def ask(text: str) -> anthropic.types.Message:
            return client.messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=[{"role": "user", "content": text}])

        assert ask("what is the weather?").content[0].input == {"city": "Paris"}  # type: ignore[union-attr]
        first = ask("hello")
        assert [b.type for b in first.content] == ["thinking", "text"] and first.content[1].text == "First scripted answer."  # type: ignore[union-attr]
        assert ask("weather again").stop_reason == "tool_use"
        assert ask("next").content[0].text == "After the retry."  # type: ignore[union-attr]
        with pytest.raises(anthropic.PermissionDeniedError):
            ask("and then")
        stopped = ask("stop now")
        assert (stopped.stop_reason, stopped.stop_sequence) == ("stop_sequence", "END")
        assert ask("out of script").content[0].text == "out of script"  # type: ignore[union-attr]
    statuses = [e.status for e in server.service.exchanges]
    assert statuses == [200, 200, 200, 529, 200, 403, 200, 200]


def test_a_bad_script_names_its_entry(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([{"text": "ok"}, {"txet": "typo"}]))
    with pytest.raises(Exception, match=r"s.json: entry 1: unknown key\(s\) txet"):
        read_script(path)


def test_legacy_complete_json_and_stream() -> None:
    legacy = {"model": "claude-2.1", "prompt": "\n\nHuman: Write a haiku\n\nAssistant:", "max_tokens_to_sample": 50}
    with running() as server:
        client = anthropic.Anthropic(base_url=server.base_url, api_key="k")
        r = client.post("/v1/complete", cast_to=object, body=legacy)
        assert r["type"] == "completion" and r["completion"] == "Write a haiku" and r["stop_reason"] == "stop_sequence"  # type: ignore[index]
        stream = _post(server.base_url, {**legacy, "stream": True}, "/v1/complete")
        result = replay_file(stream.content, input_format="sse")
        assert result.ok and result.completion["completion"] == "Write a haiku"  # type: ignore[index]
        refused = _post(server.base_url, {"model": "claude-2.1", "prompt": "no turns", "max_tokens_to_sample": 5}, "/v1/complete")
        assert refused.status_code == 400 and refused.json()["error"]["type"] == "invalid_request_error"


def test_a_retried_request_gets_the_answer_its_first_attempt_would_have_had(tmp_path: Path) -> None:
    lines = [
        {
            "request": body(messages=[{"role": "user", "content": f"recorded {n}"}]),
            "response": {
                "id": f"msg_{n}",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-4-5",
                "content": [{"type": "text", "text": f"answer {n}"}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": {"input_tokens": 1, "output_tokens": 2},
            },
        }
        for n in range(2)
    ]
    (tmp_path / "log.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    with running(_options(tmp_path / "log.jsonl")) as server:
        client = anthropic.Anthropic(base_url=server.base_url, api_key="k", max_retries=1)
        reply = client.messages.create(
            model="claude-sonnet-4-5",
            max_tokens=9,
            messages=[{"role": "user", "content": "unmatched"}],
            extra_headers={"x-transcript-fault": "rate-limit;times=1;retry-after=0.05"},
        )
        assert reply.content[0].text == "answer 0"  # type: ignore[union-attr]
        assert [e.status for e in server.service.exchanges] == [429, 200]
        assert not any(e.refused for e in server.service.exchanges)


def test_har_event_source_messages_and_base64_json(tmp_path: Path) -> None:
    message = {
        "id": "msg_h",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "from a HAR"}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 1, "output_tokens": 3},
    }
    events = [
        {"type": name, "data": json.dumps(data), "time": 100.0 + n} for n, (name, data) in enumerate(message_events(message))
    ]
    entries = [
        {
            "request": {
                "method": "POST",
                "url": "https://api.anthropic.com/v1/messages",
                "postData": {"text": json.dumps(body(stream=True))},
            },
            "response": {"status": 200, "content": {"mimeType": "text/event-stream", "text": ""}, "_eventSourceMessages": events},
        },
        {
            "request": {
                "method": "POST",
                "url": "https://api.anthropic.com/v1/messages",
                "postData": {"text": json.dumps(body(max_tokens=7))},
            },
            "response": {
                "status": 200,
                "content": {
                    "mimeType": "application/json",
                    "encoding": "base64",
                    "text": base64.b64encode(json.dumps(message).encode()).decode(),
                },
            },
        },
    ]
    (tmp_path / "chrome.har").write_text(json.dumps({"log": {"entries": entries}}))
    recording, _ = read_recordings([tmp_path / "chrome.har"])
    assert recording.times == tuple(float(n) for n in range(len(events)))
    with running(_options(tmp_path / "chrome.har")) as server:
        streamed = _post(server.base_url, body(stream=True))
        assert replay_file(streamed.content, input_format="sse").message == {**message, "stop_details": None}
        assert _post(server.base_url, body(max_tokens=7)).json() == message
