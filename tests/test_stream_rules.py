"""Event-order rules (S codes): one broken variant per rule, the registry examples, the lint kind."""

from __future__ import annotations

import json

import pytest

import transcript.stream.codes as R
from transcript.core.registry import REGISTRY
from transcript.lint.examples import EXAMPLE_RUNNERS
from transcript.lint.kinds import Document
from transcript.protocol.vocabulary import (
    BLOCK_TYPES,
    DELTA_BLOCKS,
    EVENT_TYPES,
    TOOL_BLOCKS,
)
from transcript.stream.blocks import block_kind
from transcript.stream.replay import lint_stream


def ev(type_: str, name: str | None = None, **fields) -> str:
    data = json.dumps({"type": type_, **fields})
    return f"event: {name or type_}\ndata: {data}\n\n"


START = ev(
    "message_start",
    message={
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "m",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 1},
    },
)


def block(index: int, **content_block) -> str:
    return ev("content_block_start", index=index, content_block=content_block)


def delta(index: int, **d) -> str:
    return ev("content_block_delta", index=index, delta=d)


def stop(index: int) -> str:
    return ev("content_block_stop", index=index)


MDELTA = ev("message_delta", delta={"stop_reason": "end_turn", "stop_sequence": None}, usage={"output_tokens": 7})
MSTOP = ev("message_stop")
TEXT0 = block(0, type="text", text="") + delta(0, type="text_delta", text="Hi") + stop(0)
VALID = START + TEXT0 + MDELTA + MSTOP


def lint(text: str, **kw) -> list[tuple[str, int | None]]:
    return [(d.code, d.location.line) for d in lint_stream(text.encode(), **kw)]


def codes(text: str, **kw) -> list[str]:
    return [c for c, _ in lint(text, **kw)]


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first event line containing ``marker`` (its event: line)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if marker in line:
            return i if line.startswith("data:") else i + 1
    raise AssertionError(marker)


def test_valid_stream_is_clean() -> None:
    assert lint(VALID) == []


def test_ping_anywhere() -> None:
    ping = ev("ping")
    assert lint(ping + START + ping + TEXT0 + ping + MDELTA + ping + MSTOP + ping) == []


# --- one broken variant per rule, each located at the event that breaks the order ---------------


def test_truncated_stream() -> None:
    text = START + block(0, type="text", text="") + delta(0, type="text_delta", text="Hi")
    assert lint(text) == [("S111", 9)]  # the end of the input


def test_truncated_after_message_delta() -> None:
    assert codes(START + TEXT0 + MDELTA) == ["S111"]


def test_missing_message_start() -> None:
    text = TEXT0 + MDELTA + MSTOP
    assert lint(text) == [("S101", 1)]


def test_duplicate_message_start() -> None:
    text = START + START + TEXT0 + MDELTA + MSTOP
    assert lint(text) == [("S102", 4)]


def test_missing_block_start() -> None:
    text = START + delta(0, type="text_delta", text="x") + stop(0) + MDELTA + MSTOP
    assert lint(text) == [("S105", 4), ("S105", 7)]


def test_delta_for_never_started_index() -> None:
    text = START + block(0, type="text", text="") + delta(1, type="text_delta", text="x") + stop(0) + MDELTA + MSTOP
    assert lint(text) == [("S105", 7)]


def test_block_index_skipped() -> None:
    text = START + block(0, type="text", text="") + stop(0) + block(2, type="text", text="") + stop(2) + MDELTA + MSTOP
    assert lint(text) == [("S103", 10)]


def test_block_started_while_open() -> None:
    text = START + block(0, type="text", text="") + block(1, type="text", text="") + stop(0) + stop(1) + MDELTA + MSTOP
    assert lint(text) == [("S104", 7)]


def test_wrong_delta_type() -> None:
    text = START + block(0, type="text", text="") + delta(0, type="input_json_delta", partial_json="{}") + stop(0) + MDELTA + MSTOP
    assert lint(text) == [("S107", 7)]
    tool = START + block(0, type="tool_use", id="t", name="f", input={}) + delta(0, type="text_delta", text="x") + stop(0) + MDELTA + MSTOP
    assert lint(tool) == [("S107", 7)]


@pytest.mark.parametrize(
    ("block_type", "delta_type", "field"),
    [
        ("text", "text_delta", {"text": "a"}),
        ("text", "citations_delta", {"citation": {"type": "char_location", "cited_text": "x"}}),
        ("tool_use", "input_json_delta", {"partial_json": "{}"}),
        ("server_tool_use", "input_json_delta", {"partial_json": "{}"}),
        ("mcp_tool_use", "input_json_delta", {"partial_json": "{}"}),
        ("thinking", "thinking_delta", {"thinking": "a"}),
        ("thinking", "signature_delta", {"signature": "s"}),
        ("compaction", "compaction_delta", {"content": "c", "encrypted_content": None}),
    ],
)
def test_deltas_that_fit(block_type: str, delta_type: str, field: dict) -> None:
    cb = {"type": block_type}
    if block_type in TOOL_BLOCKS:
        cb.update(id="t", name="f", input={})
    text = START + block(0, **cb) + delta(0, type=delta_type, **field) + stop(0) + MDELTA + MSTOP
    assert lint(text) == []


def test_events_after_message_stop() -> None:
    text = VALID + delta(0, type="text_delta", text="x") + ev("ping")
    assert lint(text) == [("S112", 19)]


def test_block_left_open_at_message_delta() -> None:
    text = START + block(0, type="text", text="") + MDELTA + MSTOP
    assert lint(text) == [("S108", 7)]


def test_block_after_message_delta() -> None:
    text = START + MDELTA + block(0, type="text", text="") + stop(0) + MSTOP
    assert lint(text) == [("S109", 7), ("S109", 10)]


def test_missing_message_delta() -> None:
    assert lint(START + TEXT0 + MSTOP) == [("S110", 13)]


def test_prefilled_message_start_needs_no_message_delta() -> None:
    msg = {"id": "m", "type": "message", "role": "assistant", "model": "x", "stop_reason": "tool_use", "usage": {"input_tokens": 0, "output_tokens": 0},
           "content": [{"type": "tool_use", "id": "t", "name": "f", "input": {}}]}
    assert lint(ev("message_start", message=msg) + MSTOP) == []
    # and a block started after prefilled content continues its numbering
    more = ev("message_start", message=msg) + block(1, type="text", text="") + stop(1) + MDELTA + MSTOP
    assert lint(more) == []


def test_invalid_json() -> None:
    text = START + "event: content_block_start\ndata: {\"type\": \"content_block_start\", \n\n" + MDELTA + MSTOP
    assert lint(text) == [("S009", 4)]


def test_data_not_an_object() -> None:
    assert lint(START + "event: ping\ndata: [1]\n\n" + TEXT0 + MDELTA + MSTOP) == [("S009", 4)]


def test_mismatched_event_name() -> None:
    text = START + TEXT0 + MDELTA + ev("message_stop", name="message_end")
    assert lint(text) == [("S113", 16)]


def test_missing_event_name() -> None:
    text = START + TEXT0.replace("event: content_block_delta\n", "") + MDELTA + MSTOP
    assert lint(text) == [("S006", 7)]


def test_error_event_reported_with_its_type() -> None:
    text = START + block(0, type="text", text="") + ev("error", error={"type": "overloaded_error", "message": "Overloaded"})
    diags = lint_stream(text.encode())
    assert [(d.code, d.location.line) for d in diags] == [("S116", 7)]
    assert "overloaded_error: Overloaded" in diags[0].message


def test_error_event_ends_the_stream() -> None:
    text = START + ev("error", error={"type": "api_error", "message": "x"}) + TEXT0 + MSTOP
    assert codes(text) == ["S116", "S121", "S121", "S121", "S121"]


def test_error_event_with_non_json_data() -> None:
    diags = lint_stream((START + "event: error\ndata: boom\n\n").encode())
    assert [d.code for d in diags] == ["S116"]


def test_unknown_event_type_is_a_warning() -> None:
    text = START + ev("content_block_pause", index=0) + TEXT0 + MDELTA + MSTOP
    diags = lint_stream(text.encode())
    assert [(d.code, d.severity.value) for d in diags] == [("S117", "warning")]


def test_unknown_delta_type_is_a_warning() -> None:
    text = START + block(0, type="text", text="") + delta(0, type="sparkle_delta") + stop(0) + MDELTA + MSTOP
    diags = lint_stream(text.encode())
    assert [(d.code, d.severity.value, d.location.line) for d in diags] == [("S118", "warning", 7)]


def test_unknown_block_type_is_a_warning() -> None:
    text = START + block(0, type="widget", size=3) + stop(0) + MDELTA + MSTOP
    assert [(d.code, d.severity.value) for d in lint_stream(text.encode())] == [("S119", "warning")]


def test_incomplete_tool_json_at_stop() -> None:
    tool = block(0, type="tool_use", id="t", name="f", input={})
    text = START + tool + delta(0, type="input_json_delta", partial_json='{"a": [1') + stop(0) + MDELTA + MSTOP
    assert lint(text) == [("S114", 10)]


def test_invalid_tool_json_at_stop() -> None:
    tool = block(0, type="tool_use", id="t", name="f", input={})
    text = START + tool + delta(0, type="input_json_delta", partial_json='{"a": }') + stop(0) + MDELTA + MSTOP
    assert lint(text) == [("S114", 10)]


def test_tool_input_must_be_an_object() -> None:
    tool = block(0, type="server_tool_use", id="t", name="web_search", input={})
    text = START + tool + delta(0, type="input_json_delta", partial_json="[1, 2]") + stop(0) + MDELTA + MSTOP
    assert codes(text) == ["S114"]


def test_unfinished_tool_json_at_end_of_stream() -> None:
    tool = block(0, type="tool_use", id="t", name="f", input={})
    text = START + tool + delta(0, type="input_json_delta", partial_json='{"a": [1')
    assert codes(text) == ["S111", "S115"]


def test_trailing_event_without_blank_line() -> None:
    assert lint(VALID.rstrip("\n")) == [("S001", 16)]
    assert lint(VALID.rstrip("\n"), strict=True) == [("S111", 15), ("S001", 16)]


def test_malformed_events() -> None:
    cases = [
        ev("content_block_delta", index="0", delta={"type": "text_delta", "text": "x"}),
        ev("content_block_delta", index=0, delta="text"),
        ev("content_block_delta", index=0, delta={"type": "text_delta", "text": 5}),
        ev("content_block_delta", index=0, delta={"type": 3}),
        ev("content_block_stop", index=None),
        ev("content_block_start", index=1, content_block=[]),
    ]
    for bad in cases:
        text = START + block(0, type="text", text="") + bad + stop(0) + MDELTA + MSTOP
        assert "S120" in codes(text), bad
    assert "S120" in codes(ev("message_start", message="x") + MDELTA + MSTOP)
    assert "S120" in codes(START + ev("message_delta", delta=[], usage={"output_tokens": 1}) + MSTOP)
    assert "S120" in codes(START + ev("message_delta", delta={}, usage={}) + MSTOP)
    assert "S120" in codes(START + ev("message_delta", delta={}, usage=5) + MSTOP)


def test_missing_usage_is_a_warning() -> None:
    text = START + TEXT0 + ev("message_delta", delta={"stop_reason": "end_turn"}) + MSTOP
    assert [(d.code, d.severity.value) for d in lint_stream(text.encode())] == [("S122", "warning")]


def test_no_events() -> None:
    assert lint("") == [("S008", 1)]
    assert lint(": only a comment\n\n") == [("S008", 1)]


def test_delta_after_block_stop() -> None:
    text = START + TEXT0 + delta(0, type="text_delta", text="late") + MDELTA + MSTOP
    assert lint(text) == [("S106", 13)]
    text2 = START + TEXT0 + stop(0) + MDELTA + MSTOP
    assert lint(text2) == [("S106", 13)]


def test_first_broken_event_is_where_it_is_reported() -> None:
    text = START + TEXT0 + MDELTA + MSTOP
    assert line_of(text, '"message_stop"') == 16


# --- tables ---------------------------------------------------------------------------------------------


def test_tables_cover_the_catalogue() -> None:
    assert {"message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop", "ping", "error"} == set(EVENT_TYPES)
    assert {"text_delta", "input_json_delta", "citations_delta", "thinking_delta", "signature_delta", "compaction_delta"} == set(DELTA_BLOCKS)
    assert {"web_search_tool_result", "container_upload", "redacted_thinking", "compaction", "mcp_tool_use"} <= set(BLOCK_TYPES)
    assert block_kind("widget") != block_kind("text")


# --- registry -------------------------------------------------------------------------------------------


STREAM_RULES = [r for r in REGISTRY if r.runner == "stream"]


def test_every_code_is_registered() -> None:
    assert {r.code for r in STREAM_RULES} >= {f"S{n:03d}" for n in range(1, 12)} | {f"S{n}" for n in range(101, 123)} | {
        "L101", "L102", "L103", "L104", "L105"
    }


@pytest.mark.parametrize("rule", STREAM_RULES, ids=lambda r: r.code)
def test_rule_examples(rule) -> None:
    run = EXAMPLE_RUNNERS["stream"]
    assert rule.code in [d.code for d in run(rule.bad, rule.example_options)]
    assert rule.code not in [d.code for d in run(rule.good, rule.example_options)]


def test_rule_objects_are_exported() -> None:
    assert R.TRUNCATED_STREAM.code == "S111" and R.ERROR_EVENT.severity.value == "error"


# --- the lint kind ------------------------------------------------------------------------------------


def test_stream_lint_kind() -> None:
    from transcript.lint import KINDS, LintOptions

    kind = KINDS["stream"]
    assert {".sse", ".har", ".event-stream", ".jsonl"} <= set(kind.extensions)
    assert kind.sniff is not None and kind.sniff(Document(VALID)) and not kind.sniff(Document('{"model": "x"}'))
    assert kind.sniff(Document('{"log": {"version": "1.2", "entries": []}}'))
    assert [d.code for d in kind.lint(Document(START + TEXT0), LintOptions())] == ["S111"]


def test_lint_source_on_a_stream_file() -> None:
    from transcript.core.sources import Source
    from transcript.lint import lint_source

    name, diags = lint_source(Source(name="cap.sse", data=(START + TEXT0).encode()), kind="stream")
    assert name == "stream"
    assert [(d.code, d.location.file) for d in diags] == [("S111", "cap.sse")]
