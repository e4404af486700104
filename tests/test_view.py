"""The text view of a replayed stream (transcript.stream.view)."""

from __future__ import annotations

import json
from pathlib import Path

from transcript.stream.replay import replay_file
from transcript.stream.replayer import ReplayResult
from transcript.stream.timeline import TimelineEntry
from transcript.stream.view import render_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "streams" / "valid"


def test_blocks_stop_reason_and_timeline() -> None:
    text = render_text(replay_file(SAMPLES / "thinking-tool-use.sse", timeline=True))
    assert text.startswith("message ")
    assert "[0] thinking (" in text and "tool_use" in text and "stop_reason=" in text
    assert "complete" in text and "timeline:" in text


def test_a_legacy_completion_unless_asked_for_a_message() -> None:
    result = replay_file(SAMPLES / "legacy-completion.sse")
    assert render_text(result).startswith("completion  model=")
    assert render_text(result, to="messages").startswith("(no message could be rebuilt)")


def test_gaps_and_runs_in_the_timeline() -> None:
    timeline = [
        TimelineEntry(line=1, event="message_start", time=10.0, last_time=10.0),
        TimelineEntry(line=4, event="content_block_delta", detail="[0] text_delta", count=3, chars=12, last_line=12, time=11.0, last_time=11.5),
    ]
    text = render_text(ReplayResult(message=None, events=4, timeline=timeline))
    assert "... 1.00s gap" in text
    assert "line 4-12" in text and "x3 (12 chars) over 0.500s" in text
    assert "4 events, INCOMPLETE" in text


def test_the_text_view_escapes_control_characters_from_the_capture() -> None:
    """A capture's text cannot clear the screen or rewrite lines (regression)."""
    from transcript.stream.replay import replay_file

    events = [
        {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "model": "x",
                                              "content": [], "stop_reason": None, "stop_sequence": None,
                                              "usage": {"input_tokens": 1, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a\x1b[2J\rb\nc"}},
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 2}},
        {"type": "message_stop"},
    ]
    data = "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events).encode()
    out = render_text(replay_file(data))
    assert "\x1b" not in out and "\r" not in out
    assert "a\\x1b[2J\\rb" in out and "\n    c" in out
