"""``transcript replay`` and ``transcript lint`` on streams, end to end (subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "streams"
VALID = ROOT / "samples" / "streams" / "valid"
INVALID = ROOT / "samples" / "streams" / "invalid"


def expected(name: str) -> dict:
    return json.loads((DATA / f"{name}.expected.json").read_text(encoding="utf-8"))


def test_replay_valid_stream_prints_the_message(cli) -> None:
    result = cli(["replay", str(DATA / "pai_thinking_stream.sse")])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == expected("pai_thinking_stream")
    assert result.stderr == ""


def test_replay_reads_stdin(cli) -> None:
    result = cli(["replay", "-"], input=(DATA / "llma_tool_use_stream.sse").read_bytes())
    assert result.exit_code == 0
    assert json.loads(result.stdout) == expected("llma_tool_use_stream")


def test_replay_broken_stream_prints_what_was_rebuilt_and_exits_1(cli) -> None:
    result = cli(["replay", str(INVALID / "truncated.sse")])
    assert result.exit_code == 1
    message = json.loads(result.stdout)
    assert message["type"] == "message" and message["stop_reason"] is None
    assert "S111" in result.stderr and "truncated.sse:" in result.stderr


def test_replay_bad_tool_json_raw_and_partial(cli) -> None:
    raw = cli(["replay", str(INVALID / "bad-tool-json.sse")])
    assert raw.exit_code == 1
    assert json.loads(raw.stdout)["content"][0]["input"] == '{"location": Paris"}'
    assert "S114" in raw.stderr
    partial = cli(["replay", str(DATA / "sdk_tool_use_max_tokens_truncated.sse"), "--partial-json"])
    assert partial.exit_code == 1
    assert json.loads(partial.stdout)["content"][1]["input"]["filename"] == "taxes.txt"


def test_replay_strict_drops_the_unterminated_event(cli) -> None:
    lenient = cli(["replay", str(DATA / "sdk_basic_text.sse")])
    assert lenient.exit_code == 0 and "S001" in lenient.stderr
    strict = cli(["replay", str(DATA / "sdk_basic_text.sse"), "--strict"])
    assert strict.exit_code == 1 and "S111" in strict.stderr


def test_replay_text_view(cli) -> None:
    result = cli(["replay", str(VALID / "thinking-tool-use.sse"), "--format", "text"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "[0] thinking (" in out and "[1] tool_use" in out
    assert "input:" in out and "stop_reason=tool_use" in out and "usage input_tokens=" in out
    assert "timeline:" in out and "content_block_delta [0] thinking_delta" in out


def test_replay_text_view_shows_gaps_from_timestamps(cli, tmp_path: Path) -> None:
    lines = (VALID / "events.jsonl").read_text().splitlines()
    record = json.loads(lines[3])
    record["timestamp"] += 2.5
    lines[3] = json.dumps(record)
    path = tmp_path / "slow.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = cli(["replay", str(path), "-f", "text"])
    assert result.exit_code == 0, result.stderr
    assert "s gap" in result.stdout and "+" in result.stdout


def test_replay_har_all_streams_and_one_entry(cli) -> None:
    result = cli(["replay", str(VALID / "session.har")])
    assert result.exit_code == 0, result.stderr
    streams = json.loads(result.stdout)
    assert [s["entry"] for s in streams] == [1, 2]
    assert streams[0]["message"] == expected("pai_text_stream_basic")
    assert streams[0]["startedDateTime"] == "2025-06-01T10:00:01.000Z"
    one = cli(["replay", str(VALID / "session.har"), "--entry", "2"])
    assert one.exit_code == 0
    assert json.loads(one.stdout) == expected("llma_tool_calls_stream")
    text = cli(["replay", str(VALID / "session.har"), "--format", "text"])
    assert "== HAR entry 1: POST https://api.anthropic.com/v1/messages" in text.stdout
    assert "wait=640ms" in text.stdout


def test_replay_entry_that_is_not_a_stream_is_a_usage_error(cli) -> None:
    result = cli(["replay", str(VALID / "session.har"), "--entry", "0"])
    assert result.exit_code == 2
    assert "stream entries: 1, 2" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_replay_legacy(cli) -> None:
    completion = cli(["replay", str(VALID / "legacy-completion.sse")])
    assert completion.exit_code == 0
    assert json.loads(completion.stdout)["completion"] == " Hello, world."
    message = cli(["replay", str(VALID / "legacy-cumulative.sse"), "--to", "messages"])
    assert message.exit_code == 0
    body = json.loads(message.stdout)
    assert body["type"] == "message" and body["content"][0]["text"] == " Hello, world."
    assert "L103" in message.stderr


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit"])
def test_replay_diagnostic_formats(cli, fmt: str) -> None:
    result = cli(["replay", str(INVALID / "error-event.sse"), "--format", fmt])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["type"] == "message"
    assert "S116" in result.stderr
    if fmt in ("json", "sarif"):
        json.loads(result.stderr)


def test_replay_ignore_and_exit_zero(cli) -> None:
    assert cli(["replay", str(INVALID / "error-event.sse"), "--ignore", "S116"]).exit_code == 0
    assert cli(["replay", str(INVALID / "truncated.sse"), "--exit-zero"]).exit_code == 0
    assert cli(["replay", str(DATA / "sdk_basic_text.sse"), "--error-on-warning"]).exit_code == 1


def test_replay_input_format_forced(cli, tmp_path: Path) -> None:
    path = tmp_path / "capture.txt"
    path.write_bytes((VALID / "bare-events.jsonl").read_bytes())
    result = cli(["replay", str(path), "--input-format", "jsonl"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == expected("llma_tool_calls_stream")
    bad = cli(["replay", str(path), "--input-format", "xml"])
    assert bad.exit_code == 2


def test_replay_bad_inputs(cli, tmp_path: Path) -> None:
    for name, data in [
        ("empty.sse", b""),
        ("binary.sse", bytes(range(256)) * 4),
        ("latin1.sse", b'event: ping\ndata: {"type": "caf\xe9"}\n\n'),
        ("prompt.sse", b"\n\nHuman: Hello\n\nAssistant:"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        result = cli(["replay", str(path)])
        assert result.exit_code == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr
        assert f"{name}:" in result.stderr
    missing = cli(["replay", str(tmp_path / "missing.sse")])
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1


def test_lint_stream_files(cli) -> None:
    good = cli(["lint", str(VALID / "text.sse"), str(VALID / "session.har"), str(VALID / "events.jsonl")])
    assert good.exit_code == 0, good.stdout + good.stderr
    bad = cli(["lint", str(INVALID / "truncated.sse"), "--format", "json"])
    assert bad.exit_code == 1
    assert "S111" in bad.stdout


def test_lint_walks_stream_samples(cli) -> None:
    result = cli(["lint", str(VALID)])
    assert result.exit_code == 0, result.stdout + result.stderr


def _tool_stream(partial_json: str) -> str:
    events = [
        {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "content": [],
                                              "model": "claude-sonnet-4-5", "stop_reason": None, "stop_sequence": None,
                                              "usage": {"input_tokens": 1, "output_tokens": 1}}},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "x", "input": {}}},
        {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": partial_json}},
        {"type": "content_block_stop", "index": 0},
        {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 5}},
        {"type": "message_stop"},
    ]
    return "".join(f"event: {e['type']}\ndata: {json.dumps(e)}\n\n" for e in events)


@pytest.mark.parametrize("fmt", [[], ["--format", "text"]])
def test_replay_prints_tool_input_nested_1000_deep(cli, fmt: list[str]) -> None:
    """Regression: a tool input nested 1020 levels (the parser accepts up to 1024) made the
    JSON and text views die with an internal RecursionError (exit 2)."""
    deep = "[" * 1020 + "]" * 1020
    result = cli(["replay", "-", *fmt], input=_tool_stream('{"a": ' + deep + "}"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("[") >= 1020 and "internal error" not in result.stderr


def test_text_view_counts_one_char_in_the_singular(cli) -> None:
    """Regression: the timeline of a one-character delta read '(1 chars)'."""
    result = cli(["replay", str(VALID / "text.sse"), "--format", "text"])
    assert result.exit_code == 0
    assert "text_delta (1 char)" in result.stdout and "(1 chars)" not in result.stdout


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs here")
def test_replay_reads_a_pipe_given_as_a_path(cli, tmp_path: Path) -> None:
    """Regression: `transcript replay <(curl ...)` died with an internal error ('File or
    stream is not seekable'): the pipe was read once to check it, then opened again."""
    import os
    import threading

    pipe = tmp_path / "capture.sse"
    os.mkfifo(pipe)
    data = (VALID / "text.sse").read_bytes()

    def feed() -> None:
        with open(pipe, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    result = cli(["replay", str(pipe)])
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["content"] == [{"type": "text", "text": "2"}]
