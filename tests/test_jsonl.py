"""JSON Lines: each line on its own, located at its file line."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import MAX_PER_CODE
from transcript.request.codes import DUPLICATE_CUSTOM_ID
from transcript.request.context import LintOptions
from transcript.request.jsonl import finish_jsonl, line_texts_of, lint_jsonl_part, lint_jsonl_text

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


_LINES = [
    json.dumps(REQUEST),
    json.dumps({**REQUEST, "max_tokens": -1}),
    json.dumps(MESSAGE),
    json.dumps({"custom_id": "a", "params": REQUEST}),
    json.dumps({"custom_id": "b", "params": {**REQUEST, "messages": []}}),
    json.dumps({"custom_id": "a", "params": 3}),
    '{"custom_id": "no spaces!", "params": {}, "x": 1}',
    "{broken",
    "[1]",
    "",
    "   ",
]


def _split(lines: list[str], cuts: list[int]) -> list[str]:
    """The file's text cut after the given lines (what --jobs hands each worker)."""
    bounds = sorted({c % (len(lines) + 1) for c in cuts} | {0, len(lines)})
    return ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:])]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(_LINES), max_size=40),
    st.sampled_from(["\n", "\r\n"]),
    st.lists(st.integers(min_value=0, max_value=60), max_size=6),
    st.integers(min_value=1, max_value=4),
)
def test_parts_joined_in_order_are_the_whole_file(lines: list[str], eol: str, cuts: list[int], limit: int) -> None:
    """However a file is cut at line ends, the parts judged apart and joined by finish_jsonl
    give exactly the whole file's diagnostics: duplicate custom_ids across parts, the batch's
    request limit, file lines and the order."""
    options = LintOptions(settings={"max_batch_requests": limit})
    with_ends = [line + eol for line in lines]
    text = "".join(with_ends)
    parts = [lint_jsonl_part(piece, options) for piece in _split(with_ends, cuts)]
    assert finish_jsonl(parts, len(text.encode()), line_texts_of(text), options) == lint_jsonl_text(text, options)


def test_parts_keep_the_cap_per_code_across_the_file() -> None:
    """Past MAX_PER_CODE of a code the file keeps the first ones and one summary, whichever
    part they were in; duplicates found across parts are placed on their own lines."""
    lines = [json.dumps({"custom_id": f"id{i % 30}", "params": {**REQUEST, "max_tokens": -1}}) + "\n" for i in range(240)]
    lines += ["{broken\n"] * 130
    text = "".join(lines)
    whole = lint_jsonl_text(text)
    assert any(d.message.startswith("... and") for d in whole)
    assert sum(d.code == DUPLICATE_CUSTOM_ID.code for d in whole) == MAX_PER_CODE + 1
    for cuts in ([7], [1, 100, 101, 300], list(range(0, 370, 13))):
        parts = [lint_jsonl_part(piece) for piece in _split(lines, cuts)]
        assert finish_jsonl(parts, len(text), line_texts_of(text)) == whole
