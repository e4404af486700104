"""The kinds table: detection by extension and content, the .json fallback, the driver on JSON."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.sources import Source
from transcript.lint import detect_kind, lint_source
from transcript.lint.kinds import lint_json_text, sniff_kind

REQUEST = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}
MESSAGE = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
           "content": [{"type": "text", "text": "Hello"}], "stop_reason": "end_turn", "stop_sequence": None,
           "usage": {"input_tokens": 1, "output_tokens": 1}}


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("a.json", json.dumps(REQUEST, indent=2), "request"),
        ("a.json", json.dumps(MESSAGE), "response"),
        ("a.json", json.dumps({"type": "error", "error": {"type": "api_error", "message": "x"}}), "response"),
        ("a.json", json.dumps({"name": "my-package"}), "json"),
        ("a.json", "[1, 2]", "json"),
        ("a.json", "{broken", "json"),
        ("a.jsonl", json.dumps({"custom_id": "a", "params": REQUEST}) + "\n", "jsonl"),
        ("a.jsonl", json.dumps(REQUEST) + "\n" + json.dumps(REQUEST) + "\n", "jsonl"),
        ("-", json.dumps(REQUEST), "request"),
        ("-", json.dumps({"custom_id": "a", "params": REQUEST}) + "\n", "jsonl"),
    ],
)
def test_detection(name: str, text: str, kind: str) -> None:
    assert detect_kind(name, text).name == kind


def test_big_documents_are_sniffed_without_parsing() -> None:
    big = json.dumps({**REQUEST, "system": "x" * 3_000_000})
    assert sniff_kind(big) == "request"
    lines = json.dumps(REQUEST) + "\n" + json.dumps({**REQUEST, "system": "x" * 3_000_000})
    assert sniff_kind(lines) is None


def test_json_fallback_names_what_it_expected() -> None:
    (d,) = lint_json_text('{\n  "name": "pkg",\n  "version": "1.0"\n}')
    assert d.code == "X008" and "'name', 'version'" in d.message and (d.location.line, d.location.column) == (1, 1)


def test_json_fallback_dispatches_on_shape() -> None:
    assert [d.code for d in lint_json_text(json.dumps({**REQUEST, "messages": []}))] == ["R001"]
    assert lint_json_text(json.dumps(MESSAGE)) == []


def test_lint_source_end_to_end() -> None:
    kind, found = lint_source(Source("batch.jsonl", b'{"custom_id": "a b", "params": {"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": []}}\n'))
    assert kind == "jsonl" and [d.code for d in found] == ["R102", "R001"]
    assert all(d.location.file == "batch.jsonl" for d in found)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_json_fallback_never_raises(text: str) -> None:
    lint_json_text(text)


def test_cli_lints_a_directory_of_payloads(tmp_path, cli) -> None:
    """Requests, a batch and a response in one directory; targets and formats."""
    (tmp_path / "ok.request.json").write_text(json.dumps(REQUEST, indent=2))
    (tmp_path / "turns.request.json").write_text(
        json.dumps({**REQUEST, "messages": [REQUEST["messages"][0], REQUEST["messages"][0]]}, indent=2)
    )
    (tmp_path / "batch.jsonl").write_text(json.dumps({"custom_id": "a", "params": {**REQUEST, "temperature": 7}}) + "\n")
    (tmp_path / "reply.response.json").write_text(json.dumps(MESSAGE))
    result = cli(["lint", str(tmp_path), "--format", "github"])
    assert result.exit_code == 1, result.stderr
    assert "title=R006" in result.stdout and "batch.jsonl,line=1" in result.stdout
    assert "::warning file=" in result.stdout and "title=M001" in result.stdout
    bedrock = cli(["lint", str(tmp_path / "turns.request.json"), "--target", "bedrock"])
    assert bedrock.exit_code == 1 and "error M001" in bedrock.stdout
    anthropic = cli(["lint", str(tmp_path / "turns.request.json")])
    assert anthropic.exit_code == 0 and "warning M001" in anthropic.stdout
    sarif_file = tmp_path / "out.sarif"
    cli(["lint", str(tmp_path / "batch.jsonl"), "--format", "sarif", "--output-file", str(sarif_file)])
    sarif = json.loads(sarif_file.read_text())
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["R006"]


def test_cli_count_tokens_kind(tmp_path, cli) -> None:
    body = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hi"}]}
    (tmp_path / "count.json").write_text(json.dumps(body))
    assert cli(["lint", str(tmp_path / "count.json")]).exit_code == 1  # a Messages body needs max_tokens
    assert cli(["lint", "--kind", "count-tokens", str(tmp_path / "count.json")]).exit_code == 0


def test_integers_beyond_64_bits_stay_integers_when_the_kind_is_sniffed() -> None:
    """Regression: the sniffer's orjson parse read max_tokens 10**20 as a float, so R003
    (an integer over the model's cap) never ran on an auto-detected .json file."""
    text = json.dumps({**REQUEST, "max_tokens": 10**20})
    _, found = lint_source(Source("big.json", text.encode()))
    assert "R003" in [d.code for d in found]


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("many.json", json.dumps({**REQUEST, **{f"k{i}": 1 for i in range(500)}}), "V001"),
        ("broken.jsonl", "{nope\n" * 500, "X004"),
        ("empty.txt", "\n\nHuman:" * 500 + "\n\nAssistant:", "P014"),
    ],
)
def test_every_kind_reports_a_few_of_each_code_then_how_many_more(name: str, text: str, code: str) -> None:
    """Regression: hostile inputs gave a diagnostic per member, line or turn (millions, GBs)."""
    from transcript.core.diagnostics import MAX_PER_CODE

    _, found = lint_source(Source.from_text(text, name))
    mine = [d for d in found if d.code == code]
    assert len(mine) == MAX_PER_CODE + 1
    assert mine[-1].message.startswith(f"... and {500 - MAX_PER_CODE} more like this")
    assert [d.location.line for d in mine[:-1]] == sorted(d.location.line for d in mine[:-1])


_EVENTS = [
    {"type": "message_start", "message": {"id": "m", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                                          "content": [], "stop_reason": None, "stop_sequence": None,
                                          "usage": {"input_tokens": 1, "output_tokens": 1}}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "kept"}},
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 2}},
    {"type": "message_stop"},
]


@pytest.mark.parametrize("first", ["{broken", "garbage", '{"type": "message_st'])
def test_a_jsonl_capture_whose_first_line_is_broken_is_still_a_stream(first: str) -> None:
    """Issue 13 item 9: the broken first line made lint call every line X008 (and replay print nothing)."""
    text = first + "\n" + "\n".join(json.dumps(e) for e in _EVENTS) + "\n"
    kind, diagnostics = lint_source(Source(name="cap.jsonl", data=text.encode()))
    assert kind == "stream"
    assert [d.code for d in diagnostics] == ["S009"] and diagnostics[0].location.line == 1


def test_a_batch_whose_first_line_is_broken_stays_a_batch() -> None:
    line = json.dumps({"custom_id": "a", "params": {"model": "claude-sonnet-4-5", "max_tokens": 5,
                                                     "messages": [{"role": "user", "content": "hi"}]}})
    kind, diagnostics = lint_source(Source(name="batch.jsonl", data=("{broken\n" + line + "\n").encode()))
    assert kind == "jsonl" and [d.code for d in diagnostics] == ["X004"]
