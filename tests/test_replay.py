"""Replay: the final Message as the official SDK builds it (transcript.stream.replay)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.stream.codes import BLOCK_START_WHILE_OPEN
from transcript.stream.events import RawEvent
from transcript.stream.partial_json import parse_partial_json
from transcript.stream.replay import replay_all, replay_file
from transcript.stream.replayer import Replayer, ReplayResult
from transcript.stream.sse import SseDecoder, parse_sse

DATA = Path(__file__).parent / "data" / "streams"
CAPTURES = sorted(DATA.glob("*.sse"))
# Captures that are not a valid Messages stream, on purpose (see their tests below).
SPECIAL = {
    "sdk_tool_use_max_tokens_truncated.sse",  # an SDK fixture: the tool block never stops
    "vai_legacy_completion_stream.sse",  # a legacy Text Completions stream
    "vai_early_messages_text_stream.sse",  # early 2024: no usage at all; the SDK crashes on it
}


def expected(path: Path) -> dict:
    return json.loads(path.with_name(path.name[:-4] + ".expected.json").read_text(encoding="utf-8"))


def test_every_capture_has_an_expected_file() -> None:
    assert len(CAPTURES) >= 37
    for path in CAPTURES:
        assert path.with_name(path.name[:-4] + ".expected.json").is_file(), path.name


@pytest.mark.parametrize("path", [p for p in CAPTURES if p.name not in SPECIAL], ids=lambda p: p.name)
def test_real_capture_replays_to_the_sdk_message(path: Path) -> None:
    result = replay_file(path)
    assert result.message == expected(path)
    assert result.complete
    assert [d for d in result.diagnostics if d.severity.value == "error"] == []


def test_unterminated_last_event_in_real_captures() -> None:
    # two SDK fixtures end without the final blank line: a warning, and the event is used
    for name in ("sdk_basic_text.sse", "sdk_tool_use.sse"):
        result = replay_file(DATA / name)
        assert [d.code for d in result.diagnostics] == ["S001"]
        assert result.message["stop_reason"] is not None


def test_transcribed_sdk_expectation() -> None:
    # the fields the SDK's own test asserts for basic_response.txt
    message = replay_file(DATA / "sdk_basic_text.sse").message
    assert message["content"] == [{"type": "text", "text": "Hello there!"}]
    assert (message["id"], message["model"], message["stop_reason"]) == (
        "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK",
        "claude-3-opus-latest",
        "end_turn",
    )


def test_truncated_tool_input_kept_raw() -> None:
    path = DATA / "sdk_tool_use_max_tokens_truncated.sse"
    result = replay_file(path)
    assert not result.complete
    assert [d.code for d in result.diagnostics] == ["S108", "S115", "S001"]
    tool = result.message["content"][1]
    assert isinstance(tool["input"], str) and tool["input"].startswith('{"filename": "taxes.txt"')
    sdk = expected(path)
    # everything but the tool input is what the SDK builds
    assert {k: v for k, v in result.message.items() if k != "content"} == {k: v for k, v in sdk.items() if k != "content"}
    assert result.message["content"][0] == sdk["content"][0]
    # the SDK's partial parse drops the unfinished string; ours can do the same, or keep it
    assert parse_partial_json(tool["input"], trailing_strings=False) == sdk["content"][1]["input"]
    partial = replay_file(path, partial_json=True).message["content"][1]["input"]
    assert partial["lines_of_text"][-1] == "Filing taxes"
    assert partial["lines_of_text"][:-1] == sdk["content"][1]["input"]["lines_of_text"]


def test_early_stream_without_usage() -> None:
    assert "sdk_error" in expected(DATA / "vai_early_messages_text_stream.sse")
    result = replay_file(DATA / "vai_early_messages_text_stream.sse")
    assert [d.code for d in result.diagnostics] == ["S122", "S122"]
    assert result.complete and result.message["stop_reason"] == "end_turn"
    assert "usage" not in result.message


def test_legacy_completion_capture() -> None:
    result = replay_file(DATA / "vai_legacy_completion_stream.sse")
    assert result.legacy and result.complete and result.message is None
    assert result.completion["completion"] == " Hello, world."
    assert result.completion["stop_reason"] == "stop_sequence"
    assert result.output is result.completion
    as_message = replay_file(DATA / "vai_legacy_completion_stream.sse", to="messages")
    assert as_message.message["content"] == [{"type": "text", "text": " Hello, world."}]
    # "\n\nHuman:" was the built-in stop: the turn ended
    assert (as_message.message["stop_reason"], as_message.message["stop_sequence"]) == ("end_turn", None)
    assert as_message.message["usage"] == {"input_tokens": 0, "output_tokens": 0}
    assert [d.code for d in as_message.diagnostics] == ["L103"]


@pytest.mark.skipif("anthropic" not in sys.modules and not __import__("importlib").util.find_spec("anthropic"), reason="anthropic not installed")
@pytest.mark.parametrize("path", [p for p in CAPTURES if p.name not in SPECIAL], ids=lambda p: p.name)
def test_live_against_the_sdk(path: Path) -> None:  # pragma: no cover - needs the SDK
    sys.path.insert(0, str(Path(__file__).parent / "tools"))
    from gen_stream_expected import sdk_final_message

    assert replay_file(path).message == sdk_final_message(path.read_bytes())


# --- accumulation rules (protocol catalogue section 3 and (f)) ---------------------------------------


def ev(type_: str, **fields) -> str:
    return f"event: {type_}\ndata: {json.dumps({'type': type_, **fields})}\n\n"


def start(**message) -> str:
    base = {"id": "msg", "type": "message", "role": "assistant", "model": "m", "content": [], "stop_reason": None,
            "stop_sequence": None, "usage": {"input_tokens": 10, "output_tokens": 1}}
    base.update(message)
    return ev("message_start", message=base)


def run(text: str, **kw) -> ReplayResult:
    return replay_file(text.encode(), **kw)


def test_usage_overwrite_rules() -> None:
    text = (
        start(usage={"input_tokens": 10, "output_tokens": 1, "cache_read_input_tokens": 7, "service_tier": "standard"})
        + ev("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 5, "input_tokens": 12})
        + ev("message_delta", delta={"stop_reason": None}, usage={"output_tokens": 9, "cache_read_input_tokens": None, "service_tier": "batch"})
        + ev("message_stop")
    )
    message = run(text).message
    assert message["usage"] == {"input_tokens": 12, "output_tokens": 9, "cache_read_input_tokens": 7, "service_tier": "standard"}
    # stop_reason, stop_sequence and stop_details are overwritten unconditionally
    assert (message["stop_reason"], message["stop_sequence"], message["stop_details"]) == (None, None, None)


def test_message_delta_fields() -> None:
    text = (
        start(container={"id": "c1", "expires_at": "x"})
        + ev(
            "message_delta",
            delta={"stop_reason": "refusal", "stop_sequence": None, "stop_details": {"type": "refusal", "category": "cyber"}, "container": None},
            usage={"output_tokens": 3, "server_tool_use": {"web_search_requests": 2}, "output_tokens_details": {"thinking_tokens": 1}, "iterations": [1]},
            context_management={"applied_edits": []},
        )
        + ev("message_stop")
    )
    message = run(text).message
    assert message["container"] == {"id": "c1", "expires_at": "x"}  # a null container does not overwrite
    assert message["stop_details"] == {"type": "refusal", "category": "cyber"}
    assert message["usage"]["server_tool_use"] == {"web_search_requests": 2}
    assert message["usage"]["output_tokens_details"] == {"thinking_tokens": 1}
    assert message["usage"]["iterations"] == [1]
    assert message["context_management"] == {"applied_edits": []}


def test_block_accumulation() -> None:
    cite = {"type": "web_search_result_location", "cited_text": "x", "url": "u", "title": "t", "encrypted_index": "e"}
    text = (
        start()
        + ev("content_block_start", index=0, content_block={"type": "thinking", "thinking": "", "signature": ""})
        + ev("content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": "a"})
        + ev("content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": "b"})
        + ev("content_block_delta", index=0, delta={"type": "signature_delta", "signature": "s1"})
        + ev("content_block_delta", index=0, delta={"type": "signature_delta", "signature": "s2"})
        + ev("content_block_stop", index=0)
        + ev("content_block_start", index=1, content_block={"type": "text", "text": "pre:", "citations": []})
        + ev("content_block_delta", index=1, delta={"type": "citations_delta", "citation": cite})
        + ev("content_block_delta", index=1, delta={"type": "text_delta", "text": "x"})
        + ev("content_block_delta", index=1, delta={"type": "citations_delta", "citation": cite})
        + ev("content_block_stop", index=1)
        + ev("content_block_start", index=2, content_block={"type": "compaction", "content": None})
        + ev("content_block_delta", index=2, delta={"type": "compaction_delta", "content": "summary", "encrypted_content": "e"})
        + ev("content_block_delta", index=2, delta={"type": "compaction_delta", "content": "summary 2"})
        + ev("content_block_stop", index=2)
        + ev("content_block_start", index=3, content_block={"type": "fallback", "to": {"model": "claude-other"}})
        + ev("content_block_stop", index=3)
        + ev("content_block_start", index=4, content_block={"type": "tool_use", "id": "t", "name": "f", "input": {}})
        + ev("content_block_delta", index=4, delta={"type": "input_json_delta", "partial_json": ""})
        + ev("content_block_stop", index=4)
        + ev("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 2})
        + ev("message_stop")
    )
    result = run(text)
    assert result.complete, result.diagnostics
    content = result.message["content"]
    assert content[0] == {"type": "thinking", "thinking": "ab", "signature": "s2"}
    assert content[1] == {"type": "text", "text": "pre:x", "citations": [cite, cite]}
    assert content[2] == {"type": "compaction", "content": "summary 2", "encrypted_content": None}
    assert result.message["model"] == "claude-other"
    assert content[4]["input"] == {}  # an empty JSON buffer leaves the starting input


def test_incremental_replayer_and_snapshot() -> None:
    text = (
        start()
        + ev("content_block_start", index=0, content_block={"type": "text", "text": ""})
        + ev("content_block_delta", index=0, delta={"type": "text_delta", "text": "Hel"})
        + ev("content_block_delta", index=0, delta={"type": "text_delta", "text": "lo"})
        + ev("content_block_stop", index=0)
        + ev("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 2})
        + ev("message_stop")
    )
    replayer = Replayer()
    decoder = SseDecoder()
    data = text.encode()
    snapshots = []
    for i in range(0, len(data), 7):
        for event in decoder.feed(data[i : i + 7]):
            replayer.feed(event)
            snapshots.append(replayer.snapshot())
    for event in decoder.finish():
        replayer.feed(event)
    result = replayer.finish()
    assert result.complete and result.events == 7
    assert snapshots[0]["content"] == [] and snapshots[3]["content"][0]["text"] == "Hello"
    assert result.message["content"] == [{"type": "text", "text": "Hello"}]
    assert replayer.finish() is result


def test_replayer_accepts_dicts() -> None:
    replayer = Replayer()
    events, _ = parse_sse(start() + ev("message_delta", delta={}, usage={"output_tokens": 1}) + ev("message_stop"))
    for e in events:
        replayer.feed(json.loads(e.data))
    assert replayer.finish().complete
    with pytest.raises(TypeError):
        Replayer().feed(42)  # type: ignore[arg-type]


def test_replayer_takes_raw_events_and_decoder_fields() -> None:
    text = start() + ev("content_block_start", index=0, content_block={"type": "text", "text": ""})
    text += ev("content_block_delta", index=0, delta={"type": "text_delta", "text": "hi"}) + ev("content_block_stop", index=0)
    text += ev("message_delta", delta={"stop_reason": "end_turn"}, usage={"output_tokens": 1}) + ev("message_stop")
    events, _ = parse_sse(text)
    by_raw, by_feed, by_fields = Replayer(), Replayer(), Replayer()
    for e in events:
        raw = RawEvent(e.event, e.data, e.line, e.end_line, e.terminated)
        by_raw.feed_raw(raw)
        by_feed.feed(raw)
    decoder = SseDecoder(factory=by_fields.feed_fields, collect=False)
    assert decoder.feed(text.encode()) == []
    decoder.finish()
    results = [r.finish() for r in (by_raw, by_feed, by_fields)]
    assert results[0].complete and results[0].message["content"] == [{"type": "text", "text": "hi"}]
    assert results[0] == results[1] == results[2]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        raw.line = 2  # type: ignore[misc]


def test_error_event_keeps_what_was_built() -> None:
    text = (
        start()
        + ev("content_block_start", index=0, content_block={"type": "text", "text": ""})
        + ev("content_block_delta", index=0, delta={"type": "text_delta", "text": "par"})
        + ev("error", error={"type": "overloaded_error", "message": "Overloaded"})
    )
    result = run(text)
    assert result.error == {"type": "overloaded_error", "message": "Overloaded"}
    assert result.message["content"] == [{"type": "text", "text": "par"}]
    assert not result.complete


def test_replay_all_yields_one_result_for_plain_streams() -> None:
    results = list(replay_all(DATA / "pai_text_stream_basic.sse"))
    assert len(results) == 1 and results[0].entry is None


def test_cumulative_legacy_stream() -> None:
    chunks = [" Hello", " Hello my", " Hello my friend"]
    text = "".join(f"data: {json.dumps({'completion': c, 'stop_reason': None, 'model': 'claude-v1'})}\n\n" for c in chunks)
    text += f"data: {json.dumps({'completion': chunks[-1], 'stop_reason': 'max_tokens', 'model': 'claude-v1'})}\n\ndata: [DONE]\n\n"
    result = run(text)
    assert result.completion["completion"] == " Hello my friend" and result.complete
    assert result.diagnostics == ()
    msg = run(text, to="messages").message
    assert msg["stop_reason"] == "max_tokens" and msg["content"][0]["text"] == " Hello my friend"


def test_legacy_custom_stop_sequence() -> None:
    text = ev("completion", completion=" hi", stop_reason=None, model="claude-2") + ev(
        "completion", completion="", stop_reason="stop_sequence", stop="END", model="claude-2"
    )
    msg = run(text, to="messages").message
    assert (msg["stop_reason"], msg["stop_sequence"]) == ("stop_sequence", "END")


def test_legacy_truncated_and_error() -> None:
    assert [d.code for d in run(ev("completion", completion=" hi", stop_reason=None)).diagnostics] == ["L104"]
    text = ev("completion", completion=" hi", stop_reason=None) + ev("error", error={"type": "overloaded_error", "message": "x"})
    assert [d.code for d in run(text).diagnostics] == ["S116"]


# --- properties: random valid streams -------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=6),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
    max_leaves=20,
)

_piece = st.text(max_size=6)
_text_block = st.builds(lambda parts: ("text", parts), st.lists(_piece, max_size=6))
_thinking_block = st.builds(lambda parts, sig: ("thinking", parts, sig), st.lists(_piece, max_size=4), st.text(min_size=1, max_size=8))
_tool_block = st.builds(
    lambda value, size, server: ("server_tool_use" if server else "tool_use", value, size),
    st.dictionaries(st.text(max_size=5), _json, max_size=4),
    st.integers(1, 9),
    st.booleans(),
)
_static_block = st.just(("redacted_thinking",))


@st.composite
def valid_streams(draw):
    blocks = draw(st.lists(st.one_of(_text_block, _thinking_block, _tool_block, _static_block), max_size=5))
    usage = {"input_tokens": draw(st.integers(0, 99)), "output_tokens": 1}
    message = {"id": "msg_x", "type": "message", "role": "assistant", "model": "m", "content": [], "stop_reason": None,
               "stop_sequence": None, "usage": dict(usage)}
    events = [{"type": "message_start", "message": json.loads(json.dumps(message))}]
    content = []
    for i, b in enumerate(blocks):
        if draw(st.booleans()):
            events.append({"type": "ping"})
        kind = b[0]
        if kind == "text":
            events.append({"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}})
            events += [{"type": "content_block_delta", "index": i, "delta": {"type": "text_delta", "text": p}} for p in b[1]]
            content.append({"type": "text", "text": "".join(b[1])})
        elif kind == "thinking":
            events.append({"type": "content_block_start", "index": i, "content_block": {"type": "thinking", "thinking": "", "signature": ""}})
            events += [{"type": "content_block_delta", "index": i, "delta": {"type": "thinking_delta", "thinking": p}} for p in b[1]]
            events.append({"type": "content_block_delta", "index": i, "delta": {"type": "signature_delta", "signature": b[2]}})
            content.append({"type": "thinking", "thinking": "".join(b[1]), "signature": b[2]})
        elif kind in ("tool_use", "server_tool_use"):
            value, size = b[1], b[2]
            raw = json.dumps(value)
            events.append({"type": "content_block_start", "index": i, "content_block": {"type": kind, "id": f"t{i}", "name": "f", "input": {}}})
            events += [
                {"type": "content_block_delta", "index": i, "delta": {"type": "input_json_delta", "partial_json": raw[k : k + size]}}
                for k in range(0, len(raw), size)
            ]
            content.append({"type": kind, "id": f"t{i}", "name": "f", "input": value})
        else:
            events.append({"type": "content_block_start", "index": i, "content_block": {"type": "redacted_thinking", "data": "abc"}})
            content.append({"type": "redacted_thinking", "data": "abc"})
        events.append({"type": "content_block_stop", "index": i})
    out_tokens = draw(st.integers(1, 500))
    events.append({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": out_tokens}})
    events.append({"type": "message_stop"})
    final = dict(message, content=content, stop_reason="end_turn", stop_sequence=None, stop_details=None,
                 usage=dict(usage, output_tokens=out_tokens))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    sse = "".join(f"event: {e['type']}{eol}data: {json.dumps(e)}{eol}{eol}" for e in events).encode()
    return events, sse, final


@settings(max_examples=150, deadline=None)
@given(valid_streams(), st.lists(st.integers(0, 10_000), max_size=8))
def test_random_valid_streams_replay_to_their_message(case, cuts) -> None:
    events, sse, final = case
    result = replay_file(sse)
    assert result.complete and result.diagnostics == ()
    assert result.message == final
    # chunking does not matter to the replay either
    decoder, replayer = SseDecoder(), Replayer()
    prev = 0
    for c in sorted(c % (len(sse) + 1) for c in cuts) + [len(sse)]:
        for e in decoder.feed(sse[prev:c]):
            replayer.feed(e)
        prev = c
    for e in decoder.finish():
        replayer.feed(e)
    assert replayer.finish().message == final
    # and the JSONL form of the same events replays the same
    jsonl = "\n".join(json.dumps(e) for e in events).encode()
    assert replay_file(jsonl).message == final


@settings(max_examples=150, deadline=None)
@given(valid_streams(), st.data())
def test_dropping_an_event_is_always_reported(case, data) -> None:
    events, _, _ = case
    k = data.draw(st.integers(0, len(events) - 1))
    if events[k]["type"] == "ping":
        return
    broken = events[:k] + events[k + 1 :]
    sse = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in broken).encode()
    result = replay_file(sse)
    dropped = events[k]
    if dropped["type"] == "content_block_delta" and dropped["delta"]["type"] != "input_json_delta":
        return  # a lost text piece leaves a valid (different) stream
    if dropped["type"] == "content_block_delta":
        # a lost tool JSON piece is caught unless what is left still parses as the same kind
        return
    assert not result.ok or not result.complete


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=500))
def test_any_bytes_never_raise(data: bytes) -> None:
    result = replay_file(data)
    assert isinstance(result, ReplayResult)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_json, st.dictionaries(st.sampled_from(["type", "index", "delta", "message", "content_block", "usage", "error"]), _json | st.sampled_from(["message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop", "text_delta", "error"]), max_size=5)), max_size=12))
def test_any_json_events_never_raise(values) -> None:
    replayer = Replayer()
    for v in values:
        if isinstance(v, dict):
            replayer.feed(v)
        sse = f"event: x\ndata: {json.dumps(v)}\n\n"
        for e in parse_sse(sse)[0]:
            replayer.feed(e)
    replayer.finish()


def test_snapshot_finds_each_block_by_the_block_not_its_position() -> None:
    """Regression: snapshot() paired block states with content by position, so a
    message_start that already carried content ([1]) made it call dict(1) (TypeError), and a
    stream whose indices skip (S103) showed one block's pending text in another."""
    replayer = Replayer()
    replayer.feed({"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant",
                                                        "content": [1], "model": "x", "usage": {}}})
    replayer.feed({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
    replayer.feed({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "hi"}})
    assert replayer.snapshot()["content"] == [1, {"type": "text", "text": "hi"}]

    replayer = Replayer()
    replayer.feed({"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant",
                                                        "content": [], "model": "x", "usage": {}}})
    replayer.feed({"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}})
    replayer.feed({"type": "content_block_delta", "index": 1, "delta": {"type": "text_delta", "text": "b"}})
    replayer.feed({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
    replayer.feed({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}})
    shown = replayer.snapshot()["content"]
    final = replayer.finish().message["content"]
    assert shown == final == [{"type": "text", "text": "b"}, {"type": "text", "text": "a"}]


def _sse(events: list[dict]) -> bytes:
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()


_START = {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "model": "x", "content": [],
                                               "stop_reason": None, "stop_sequence": None,
                                               "usage": {"input_tokens": 1, "output_tokens": 1}}}


def test_many_open_blocks_are_named_briefly() -> None:
    """Regression: each start while blocks were open listed every open index (quadratic)."""
    starts = [{"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}} for i in range(6)]
    result = replay_file(_sse([_START, *starts]))
    messages = [d.message for d in result.diagnostics if d.code == BLOCK_START_WHILE_OPEN.code]
    assert messages[0].endswith("while block 0 is open")
    assert messages[-1].endswith("while block 0, 1, 2 and 2 more is open")


def test_text_after_a_block_stop_is_kept_whole_and_in_order() -> None:
    """Regression: text deltas after content_block_stop were joined by concatenation (quadratic);
    they are still appended to the block, as the SDK does, in order."""
    text = [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": t}} for t in ("b", "c", "d")]
    events = [_START, {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
              {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}},
              {"type": "content_block_stop", "index": 0}, *text]
    replayer = Replayer()
    for event in parse_sse(_sse(events))[0]:
        replayer.feed(event)
    assert replayer.snapshot()["content"][0]["text"] == "abcd"
    assert replayer.finish().message["content"][0]["text"] == "abcd"


def test_feed_takes_what_its_docstring_offers_and_refuses_feed_after_finish() -> None:
    """Issue 8: a JSONL record or a plain event dict gave S006 warnings or S101/S120 errors on
    a valid stream, and feed after finish was accepted."""
    samples = Path(__file__).resolve().parent.parent / "samples" / "streams" / "valid"
    for name in ("events.jsonl", "bare-events.jsonl"):
        replayer = Replayer()
        for line in (samples / name).read_text(encoding="utf-8").splitlines():
            replayer.feed(json.loads(line))
        result = replayer.finish()
        assert result.complete and list(result.diagnostics) == [], name
        with pytest.raises(RuntimeError):
            replayer.feed({"type": "ping"})


def test_partial_json_hint_says_what_input_holds() -> None:
    def cut(partial: str, *, partial_json: bool) -> tuple[object, list[str]]:
        replayer = Replayer(partial_json=partial_json)
        start = {"id": "m", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [],
                 "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}}
        replayer.feed({"type": "message_start", "message": start})
        replayer.feed({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "t", "name": "f", "input": {}}})
        replayer.feed({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": partial}})
        result = replayer.finish()
        assert result.message is not None
        return result.message["content"][0]["input"], [d.hint or "" for d in result.diagnostics if d.code in ("S130", "S131") or "tool input" in d.message]

    value, hints = cut('{"a": 1', partial_json=True)
    assert value == {"a": 1} and any(h == "best-effort parse kept in input" for h in hints)
    value, hints = cut("garbage{", partial_json=True)
    assert value == "garbage{" and any("raw text" in h and "nothing of it could be parsed" in h for h in hints)
    value, hints = cut('{"a": 1', partial_json=False)
    assert value == '{"a": 1' and any(h == "kept as raw text in input" for h in hints)
