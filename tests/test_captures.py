"""Capture inputs: raw SSE (with HTTP headers), HAR files, JSONL events (transcript.stream.captures)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import DiagnosticSink
from transcript.stream.captures import (
    feed_events,
    iter_raw_events,
    open_capture,
    parse_time,
    sniff_format,
)
from transcript.stream.events import RawEvent
from transcript.stream.replay import replay_all, replay_file

DATA = Path(__file__).parent / "data" / "streams"
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "streams"
TEXT = (DATA / "pai_text_stream_basic.sse").read_bytes()
TOOL = (DATA / "llma_tool_calls_stream.sse").read_bytes()
EXPECTED_TEXT = json.loads((DATA / "pai_text_stream_basic.expected.json").read_text())
EXPECTED_TOOL = json.loads((DATA / "llma_tool_calls_stream.expected.json").read_text())


def _events(data: bytes) -> list[dict]:
    out = []
    for block in data.decode().strip().split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data: "):
                out.append(json.loads(line[6:]))
    return out


def _har(*entries: dict) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": list(entries)}}, indent=1).encode()


def _entry(body: bytes | str, *, mime="text/event-stream", status=200, b64=False, started="2025-01-01T00:00:00Z") -> dict:
    text = body.decode() if isinstance(body, bytes) else body
    content: dict = {"mimeType": mime, "text": text}
    if b64:
        content = {"mimeType": mime, "encoding": "base64", "text": base64.b64encode(text.encode()).decode()}
    return {
        "startedDateTime": started,
        "request": {"method": "POST", "url": "https://api.anthropic.com/v1/messages"},
        "response": {"status": status, "content": content},
        "timings": {"send": 1, "wait": 300, "receive": 700},
    }


# --- sniffing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        (TEXT, "sse"),
        (b"data: {}\n\n", "sse"),
        (b": comment\nevent: x\n", "sse"),
        (b"HTTP/1.1 200 OK\ncontent-type: text/event-stream\n\n", "sse"),
        (_har(_entry(TEXT)), "har"),
        (b'{"log": {"entries": []}}', "har"),
        (b'{"type": "message_start", "message": {}}\n{"type": "ping"}\n', "jsonl"),
        (b'{"event": "ping", "data": "{}"}\n', "jsonl"),
        (b'{"model": "claude", "messages": []}', None),
        (b"\n\nHuman: Hello\n\nAssistant:", None),
        (b"", None),
    ],
)
def test_sniff_format(text: bytes, fmt: str | None) -> None:
    assert sniff_format(text) == fmt


# --- raw SSE with HTTP headers -------------------------------------------------------------------


@pytest.mark.parametrize("eol", ["\r\n", "\n"])
def test_curl_include_headers_are_skipped(eol: str) -> None:
    head = eol.join(["HTTP/2 200", "content-type: text/event-stream", "request-id: req_1", "", ""])
    result = replay_file(head.encode() + TEXT)
    assert result.message == EXPECTED_TEXT and result.complete
    # the body's line numbers count the header lines: message_start is on line 5
    broken = replay_file(head.encode() + TEXT.replace(b'"index":0', b'"index":4', 1))
    assert [(d.code, d.location.line) for d in broken.diagnostics][0] == ("S103", 8)


def test_continue_then_ok_headers() -> None:
    head = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n"
    assert replay_file(head + TEXT).message == EXPECTED_TEXT


def test_http_error_status_is_reported_with_the_error() -> None:
    data = b'HTTP/1.1 529 \r\ncontent-type: application/json\r\n\r\n{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'
    result = replay_file(data)
    assert result.message is None
    assert [d.code for d in result.diagnostics] == ["S007"]
    assert "overloaded_error: Overloaded" in result.diagnostics[0].message


def test_file_path_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "c.sse"
    path.write_bytes(TEXT)
    assert replay_file(path).message == EXPECTED_TEXT
    assert replay_file(str(path)).message == EXPECTED_TEXT


# --- HAR -------------------------------------------------------------------------------------------


def test_har_streams_are_found_and_numbered() -> None:
    har = _har(_entry("<html/>", mime="text/html"), _entry(TEXT), _entry(TOOL, b64=True, started="2025-01-01T00:00:02.5Z"))
    results = list(replay_all(har))
    assert [r.entry for r in results] == [1, 2]
    assert results[0].message == EXPECTED_TEXT and results[1].message == EXPECTED_TOOL
    assert results[1].started == pytest.approx(parse_time("2025-01-01T00:00:00Z") + 2.5)
    assert results[0].timings == {"send": 1, "wait": 300, "receive": 700}
    assert all(r.complete for r in results)


def test_a_har_body_is_read_from_the_har_text_in_chunks_as_the_file_would_be() -> None:
    """A body's text is encoded a chunk at a time (no copy of every body at once): a body of
    several chunks, characters of 2 to 4 bytes across their boundaries, rebuilds as the same
    stream written to a file does."""
    delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "é😀 ü" * 40}}
    events = _events(TEXT)
    body = "".join(f"event: {e['type']}\ndata: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events[:3])
    body += f"event: content_block_delta\ndata: {json.dumps(delta, ensure_ascii=False)}\n\n" * 3000
    body += "".join(f"event: {e['type']}\ndata: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events[3:])
    assert len(body) > 3 * 256 * 1024
    [from_har] = list(replay_all(_har(_entry(body))))
    [from_file] = list(replay_all(body.encode()))
    assert from_har.message == from_file.message and from_har.complete
    assert "é😀 ü" * 40 * 3000 in from_har.message["content"][0]["text"]


def test_har_entry_selection() -> None:
    har = _har(_entry(TEXT), _entry(TOOL))
    assert replay_file(har, entry=1).message == EXPECTED_TOOL
    assert replay_file(har, entry=0).message == EXPECTED_TEXT


def test_har_diagnostics_name_the_entry_and_body_line() -> None:
    har = _har(_entry("<html/>", mime="text/html"), _entry(TEXT.replace(b'"index":0', b'"index":2', 1)))
    (result,) = replay_all(har)
    first = result.diagnostics[0]
    assert first.code == "S103"
    assert first.message.startswith("HAR entry 1, body line 4:")
    assert first.location.pointer == "/log/entries/1/response/content/text"
    assert first.location.line == har.decode().splitlines().index(
        next(line for line in har.decode().splitlines() if '"text": "event: message_start' in line)
    ) + 1


def test_har_without_stream() -> None:
    result = replay_file(_har(_entry("<html/>", mime="text/html")))
    assert [d.code for d in result.diagnostics] == ["S011"]


def test_har_stream_without_body_and_bad_base64() -> None:
    no_body = _entry(TEXT)
    del no_body["response"]["content"]["text"]
    bad = _entry(TEXT, b64=True)
    bad["response"]["content"]["text"] = "@@@not base64@@@"
    codes = [d.code for r in replay_all(_har(no_body, bad)) for d in r.diagnostics]
    assert codes.count("S010") == 2


def test_har_error_status_entry() -> None:
    entry = _entry('{"type":"error","error":{"type":"rate_limit_error","message":"slow"}}', status=429)
    result = replay_file(_har(entry))
    assert [d.code for d in result.diagnostics] == ["S007"]


def test_har_event_source_messages_with_times() -> None:
    events = _events(TEXT)
    entry = _entry("")
    del entry["response"]["content"]["text"]
    entry["_eventSourceMessages"] = [
        {"time": 1735689600.0 + i * 0.25, "eventName": e["type"], "eventId": "", "data": json.dumps(e)}
        for i, e in enumerate(events)
    ]
    result = replay_file(_har(entry), timeline=True)
    assert result.message == EXPECTED_TEXT
    assert result.timeline is not None and result.timeline[-1].time == pytest.approx(1735689600.0 + 6 * 0.25)


def test_not_a_har() -> None:
    assert [d.code for d in replay_file(b'{"log": 5}', input_format="har").diagnostics] == ["S010"]
    assert [d.code for d in replay_file(b'{"log": ', input_format="har").diagnostics] == ["X004"]


# --- JSONL --------------------------------------------------------------------------------------------


def test_jsonl_bare_events() -> None:
    data = "\n".join(json.dumps(e) for e in _events(TEXT)).encode()
    result = replay_file(data)
    assert result.message == EXPECTED_TEXT and result.complete
    assert not result.diagnostics  # no event names to expect


def test_jsonl_wrappers_with_string_data_and_timestamps() -> None:
    lines = [
        json.dumps({"event": e["type"], "data": json.dumps(e), "timestamp": f"2025-01-01T00:00:0{i}Z"})
        for i, e in enumerate(_events(TEXT))
    ]
    result = replay_file("\n".join(lines).encode(), timeline=True)
    assert result.message == EXPECTED_TEXT
    assert [t.time for t in result.timeline][:2] == [parse_time("2025-01-01T00:00:00Z"), parse_time("2025-01-01T00:00:01Z")]


def test_jsonl_problems_are_located() -> None:
    lines = [json.dumps(e) for e in _events(TEXT)]
    lines.insert(2, "[1, 2]")
    lines.insert(3, "{not json")
    lines.insert(4, '{"foo": 1}')
    result = replay_file("\n".join(lines).encode(), input_format="jsonl")
    assert [(d.code, d.location.line) for d in result.diagnostics] == [("S010", 3), ("S009", 4), ("S010", 5)]
    assert result.message == EXPECTED_TEXT


def test_jsonl_event_name_mismatch_in_wrapper() -> None:
    events = _events(TEXT)
    lines = [json.dumps({"event": "ping" if e["type"] == "message_stop" else e["type"], "data": e}) for e in events]
    assert "S113" in [d.code for d in replay_file("\n".join(lines).encode()).diagnostics]


# --- times ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1700000000, 1700000000.0),
        (1700000000123, 1700000000.123),
        ("2025-01-01T00:00:00Z", 1735689600.0),
        ("2025-01-01T00:00:00.500+00:00", 1735689600.5),
        ("1700000000.5", 1700000000.5),
        ("yesterday", None),
        (True, None),
        (None, None),
    ],
)
def test_parse_time(value, expected) -> None:
    assert parse_time(value) == (pytest.approx(expected) if expected is not None else None)


# --- samples and robustness ---------------------------------------------------------------------------


def test_valid_samples_replay_complete() -> None:
    for path in sorted((SAMPLES / "valid").iterdir()):
        for result in replay_all(path):
            assert result.complete, (path.name, result.diagnostics)
            assert not [d for d in result.diagnostics if d.severity.value == "error"], path.name


def test_invalid_samples_report_errors() -> None:
    for path in sorted((SAMPLES / "invalid").iterdir()):
        results = list(replay_all(path))
        assert any(not r.ok for r in results), path.name


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["sse", "har", "jsonl", None]), st.binary(max_size=400))
def test_any_bytes_in_any_format_never_raise(fmt, data: bytes) -> None:
    for result in replay_all(data, input_format=fmt):
        assert result.message is None or isinstance(result.message, dict)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(st.sampled_from(["log", "entries", "response", "content", "text", "mimeType", "encoding", "status"]), children, max_size=4),
        max_leaves=15,
    )
)
def test_any_json_as_har_never_raises(value) -> None:
    list(replay_all(json.dumps({"log": value}).encode(), input_format="har"))


def test_iter_raw_events_for_sse_capture() -> None:
    sink = DiagnosticSink()
    (stream,) = open_capture(TEXT, sink=sink)
    raws = list(iter_raw_events(stream, sink=sink))
    assert [r.name for r in raws][:2] == ["message_start", "content_block_start"]
    assert raws[0].line == 1 and raws[1].line == 4


def _har_messages() -> bytes:
    entry = _entry("")
    del entry["response"]["content"]["text"]
    entry["_eventSourceMessages"] = [
        {"time": 1735689600.0 + i, "eventName": e["type"], "data": json.dumps(e)} for i, e in enumerate(_events(TEXT))
    ]
    return _har(entry)


@pytest.mark.parametrize(
    "data",
    [TEXT, "\n".join(json.dumps(e) for e in _events(TEXT)).encode(), _har_messages()],
    ids=["sse", "jsonl", "har-messages"],
)
def test_feed_events_hands_over_what_iter_raw_events_yields(data: bytes) -> None:
    sink = DiagnosticSink()
    (stream,) = open_capture(data, sink=sink)
    fed: list[RawEvent] = []

    def consumer(name, payload, id_, retry, line, end_line, terminated, entry=None, time=None) -> None:
        fed.append(RawEvent(name, payload, line, end_line, terminated, entry, time))

    feed_events(stream, consumer, sink=sink)
    raws = list(iter_raw_events(stream, sink=sink))
    assert len(raws) == len(_events(TEXT)) and fed == raws
    assert sink.result() == []


@pytest.mark.parametrize("fmt", [None, "sse", "har", "jsonl"])
def test_a_binary_file_is_one_x002_not_a_stream(tmp_path: Path, fmt: str | None) -> None:
    """Regression: replay read an image or an executable as an event stream, and reported a
    flood of S005 'unknown field' warnings and X001 errors where lint said X002 binary."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    sink = DiagnosticSink()
    assert open_capture(png, input_format=fmt, sink=sink) == []
    assert [(d.code, d.location.line, d.location.column) for d in sink.result()] == [("X002", 3, 1)]
    path = tmp_path / "image.sse"
    path.write_bytes(png)
    result = replay_file(path, input_format=fmt)
    assert result.message is None
    assert [d.code for d in result.diagnostics] == ["X002"]


def test_a_nul_in_utf8_event_stream_text_is_left_to_the_decoder() -> None:
    """An id with NUL is SSE the standard describes (S004), not a binary file."""
    result = replay_file(b"id: a\x00b\n\n" + TEXT)
    assert "X002" not in [d.code for d in result.diagnostics]
    assert "S004" in [d.code for d in result.diagnostics] and result.message is not None


def test_a_known_extension_is_trusted_before_the_content(tmp_path) -> None:
    """Regression: a .jsonl log whose first line is broken was read as SSE (S005 on every line)."""
    from transcript.stream.replay import replay_file

    path = tmp_path / "log.jsonl"
    path.write_text('{"type": "message_start", "message": {"id"\n{"type": "ping"}\n', encoding="utf-8")
    codes = [d.code for d in replay_file(path).diagnostics]
    assert "S009" in codes and "S005" not in codes
    assert [d.code for d in replay_file(path, input_format="jsonl").diagnostics] == codes
