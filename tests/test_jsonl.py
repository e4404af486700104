"""JSON Lines: each line on its own, located at its file line."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.request.jsonl import lint_jsonl_text

REQUEST = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
           "content": [{"type": "text", "text": "Hello"}], "stop_reason": "end_turn", "stop_sequence": None,
           "usage": {"input_tokens": 1, "output_tokens": 1}}


def test_jsonl_bad_line_is_located_and_the_rest_lints() -> None:
    text = "\n".join([json.dumps(REQUEST), '{"model": ', "", json.dumps({**REQUEST, "messages": []}), "[1]", '{"a": 1}'])
    found = [(d.code, d.location.line) for d in lint_jsonl_text(text)]
    assert found == [("X004", 2), ("R001", 4), ("X008", 5), ("X008", 6)]


def test_jsonl_crlf_and_duplicates() -> None:
    text = json.dumps(REQUEST) + "\r\n" + '{"custom_id": "a", "custom_id": "b", "params": {}}\r\n'
    assert [(d.code, d.location.line) for d in lint_jsonl_text(text)] == [("X006", 2)]


def test_jsonl_empty_file() -> None:
    assert [d.code for d in lint_jsonl_text("\n\n")] == ["X003"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=30) | st.just(json.dumps(REQUEST)), max_size=8))
def test_jsonl_never_raises_and_lines_stay_in_range(lines: list[str]) -> None:
    text = "\n".join(lines)
    n = max(1, len(text.splitlines()))
    for d in lint_jsonl_text(text):
        assert d.location.line is not None and 1 <= d.location.line <= n


def test_jsonl_lines_end_only_at_cr_and_lf() -> None:
    """U+2028 and U+0085 may stand raw inside JSON strings: they do not end a line."""
    req = {**REQUEST, "messages": [{"role": "user", "content": "a\u2028b\u0085c"}]}
    text = json.dumps(req, ensure_ascii=False) + "\r" + json.dumps({**REQUEST, "messages": []}) + "\n"
    assert [(d.code, d.location.line) for d in lint_jsonl_text(text)] == [("R001", 2)]
