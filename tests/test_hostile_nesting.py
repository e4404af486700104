"""Values nested as deep as the parsers accept reach every message and view without a crash.

The parsers accept :data:`~transcript.core.jsontext.MAX_DEPTH` levels; a value that deep,
put anywhere in a request, a response, a legacy body or a stream event, is written into
messages and the text view by :func:`~transcript.core.jsontext.short_json` (or the stdlib
encoder with room to recurse), so every command ends with exit status 0 or 1 and its
report, never ``internal error: RecursionError``.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from transcript.cli import main
from transcript.core.jsontext import MAX_DEPTH

USER = '{"role":"user","content":"hi"}'
REQUEST = '{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[' + USER + "]%s}"
RESPONSE = (
    '{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5",'
    '"content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,'
    '"usage":{"input_tokens":1,"output_tokens":1}}'
)
PROMPT = '"\\n\\nHuman: hi\\n\\nAssistant:"'

# name -> (document with @ where the deep value goes, levels enclosing the @)
DOCUMENTS = {
    "top.request.json": (REQUEST % ',"x":@', 1),
    "content.request.json": ('{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":@}]}', 3),
    "tool_input.request.json": (
        '{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[' + USER
        + ',{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":@}]}]}',
        5,
    ),
    "max_tokens.request.json": ('{"model":"claude-sonnet-4-5","max_tokens":@,"messages":[' + USER + "]}", 1),
    "temperature.request.json": (REQUEST % ',"temperature":@', 1),
    "stop.request.json": (REQUEST % ',"stop_sequences":@', 1),
    "budget.request.json": (REQUEST % ',"thinking":{"type":"enabled","budget_tokens":@}', 2),
    "stop_reason.response.json": (RESPONSE.replace('"end_turn"', "@"), 1),
    "usage.response.json": (RESPONSE.replace('{"input_tokens":1,"output_tokens":1}', "@"), 1),
    "id.response.json": (RESPONSE.replace('"msg_1"', "@"), 1),
    "max_tokens_to_sample.json": ('{"model":"claude-2","max_tokens_to_sample":@,"prompt":' + PROMPT + "}", 1),
    "legacy_extra.json": ('{"model":"claude-2","max_tokens_to_sample":1,"prompt":' + PROMPT + ',"metadata":@}', 1),
    "completion_stop.json": ('{"type":"completion","id":"c","completion":"x","stop_reason":@,"model":"claude-2"}', 1),
}

START = (
    '{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"claude-sonnet-4-5",'
    '"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}'
)
BLOCK = '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}'
DELTA = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}}'
BLOCK_STOP = '{"type":"content_block_stop","index":0}'
MESSAGE_DELTA = '{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}'
STOP = '{"type":"message_stop"}'
EVENTS = [START, BLOCK, DELTA, BLOCK_STOP, MESSAGE_DELTA, STOP]

# name -> (events, the position of the event to change, what @ replaces in it, levels enclosing the @)
STREAMS = {
    "event_type": (1, '"content_block_start"', 1),
    "index": (1, '"index":0', 1),
    "block_text": (1, '""', 2),
    "delta_text": (2, '"hi"', 2),
    "stop_reason": (4, '"end_turn"', 2),
    "usage": (4, '{"output_tokens":2}', 1),
    "message": (0, '"content":[]', 2),
}


def deep(levels: int, kind: str) -> str:
    return "[" * levels + "]" * levels if kind == "array" else '{"a":' * (levels - 1) + "{}" + "}" * (levels - 1)


def run(args: list[str]) -> tuple[int, str]:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
        except SystemExit as exc:
            return int(exc.code or 0), err.getvalue()
    return 0, err.getvalue()  # pragma: no cover - main always exits


def stream_text(name: str, levels: int, kind: str) -> str:
    position, old, enclosing = STREAMS[name]
    events = list(EVENTS)
    events[position] = events[position].replace(old, deep(levels - enclosing, kind), 1)
    if name == "event_type":  # also an unknown name next to it, and an error event with a deep message
        events.insert(2, '{"type":"error","error":{"type":"overloaded_error","message":' + deep(levels - 2, kind) + "}}")
    return "".join(f"event: x\ndata: {e}\n\n" for e in events)


@pytest.mark.parametrize("kind", ["array", "object"])
def test_every_command_reports_values_at_the_nesting_limit(tmp_path: Path, kind: str) -> None:
    crashes = []
    for name, (template, enclosing) in DOCUMENTS.items():
        path = tmp_path / name
        path.write_text(template.replace("@", deep(MAX_DEPTH - enclosing, kind)), encoding="utf-8")
        commands = [["lint", "--format", fmt, str(path)] for fmt in ("text", "json", "sarif")]
        commands += [["migrate", str(path)], ["convert", str(path)]] if name.endswith(".json") else []
        for args in commands:
            status, err = run(args)
            if status not in (0, 1):
                crashes.append((name, args[0], err.strip()))
    for name in STREAMS:
        path = tmp_path / f"{name}.sse"
        path.write_text(stream_text(name, MAX_DEPTH, kind), encoding="utf-8")
        for args in (["replay", str(path)], ["replay", "--format", "text", str(path)], ["lint", str(path)]):
            status, err = run(args)
            if status not in (0, 1):
                crashes.append((name, args[0], err.strip()))
    assert crashes == []


def test_one_level_more_is_a_located_x005(tmp_path: Path) -> None:
    template, enclosing = DOCUMENTS["top.request.json"]
    path = tmp_path / "deeper.request.json"
    path.write_text(template.replace("@", deep(MAX_DEPTH - enclosing + 1, "array")), encoding="utf-8")
    status, err = run(["lint", "--format", "json", "--output-file", str(tmp_path / "r.json"), str(path)])
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert status == 1, err
    assert [d["code"] for d in report["diagnostics"]] == ["X005"]
    assert f"deeper than {MAX_DEPTH} levels" in report["diagnostics"][0]["message"]


def test_a_deeply_nested_unrelated_pyproject_is_not_this_tools_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    template, _ = DOCUMENTS["top.request.json"]
    path = tmp_path / "a.request.json"
    path.write_text(REQUEST % "", encoding="utf-8")
    assert run(["lint", str(path)])[0] == 0
    status, err = run(["lint", "--config", str(tmp_path / "pyproject.toml"), str(path)])
    assert status == 2 and "nested too deeply" in err and err.count("\n") == 1
