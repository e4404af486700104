"""Large-log inputs of the JSONL linter (transcript.request.jsonl): Message Batches results
files (the ``batch-results`` kind, joined to the batch's request file by ``custom_id``) and
``--record-pointer`` logs whose records wrap the body, every diagnostic located in the real line."""

from __future__ import annotations

import json
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.lint.driver import lint_paths
from transcript.lint.kinds import Document, detect_kind
from transcript.request.context import LintOptions
from transcript.request.jsonl import lint_jsonl_text, read_request_ids, select_record
from transcript.scale import lint_paths_jobs

MESSAGE = {
    "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "Hi"}], "stop_reason": "end_turn", "stop_sequence": None,
    "usage": {"input_tokens": 5, "output_tokens": 2},
}
REQUEST = {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}


def succeeded(custom_id: str, **changes: object) -> dict:
    return {"custom_id": custom_id, "result": {"type": "succeeded", "message": {**MESSAGE, **changes}}}


def errored(custom_id: str) -> dict:
    error = {"type": "error", "error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}}
    return {"custom_id": custom_id, "result": {"type": "errored", "error": error}}


def lines(*values: object) -> str:
    return "".join(json.dumps(v) + "\n" for v in values)


def at(text: str, d) -> str:
    """The text from a diagnostic's (line, column) on."""
    return text.split("\n")[d.location.line - 1][d.location.column - 1 :]


def test_each_result_type_is_judged_in_its_line() -> None:
    text = lines(
        succeeded("a"), errored("b"), {"custom_id": "c", "result": {"type": "expired"}}, {"custom_id": "d", "result": {"type": "canceled"}},
        succeeded("e", stop_reason="bogus"), {"custom_id": "f", "result": {"type": "done"}}, {"custom_id": 7, "result": {"type": "expired"}},
    )
    found = lint_jsonl_text(text)
    by_line = {d.location.line: d for d in found if d.location.line != 7}
    assert by_line[2].code == "R106" and "invalid_request_error: max_tokens: Field required" in by_line[2].message
    assert at(text, by_line[2]).startswith('{"type": "error"') and by_line[2].location.pointer == "/result/error"
    assert [by_line[3].code, by_line[4].code] == ["R107", "R107"] and "expired" in by_line[3].message and "canceled" in by_line[4].message
    assert by_line[5].code == "V004" and by_line[5].location.pointer == "/result/message/stop_reason" and at(text, by_line[5]).startswith('"bogus"')
    assert by_line[6].code == "R105" and at(text, by_line[6]).startswith('"done"')
    assert {d.code for d in found if d.location.line == 7} == {"R105", "R107"}
    assert not [d for d in found if d.location.line == 1]


def test_results_are_joined_to_the_request_file(tmp_path: Path) -> None:
    requests = tmp_path / "requests.jsonl"
    requests.write_text(lines(*({"custom_id": c, "params": REQUEST} for c in "abcd")), encoding="utf-8")
    text = lines(succeeded("a"), errored("b"), succeeded("z"), succeeded("c"))
    found = lint_jsonl_text(text, LintOptions(settings={"batch_requests": str(requests)}))
    unmatched = [d for d in found if d.code == "R108"]
    assert len(unmatched) == 1 and unmatched[0].location.line == 3 and at(text, unmatched[0]).startswith('"z"')
    missing = [d for d in found if d.code == "R109"]
    assert [d.message for d in missing] == [f"request 'd' (line 4 of {requests}) has no result"]
    assert read_request_ids(str(requests)) == {"a": 1, "b": 2, "c": 3, "d": 4}
    by_mapping = lint_jsonl_text(text, LintOptions(settings={"batch_requests": {"a": 1, "b": 2, "c": 3, "d": 4}}))
    assert [(d.code, d.location) for d in by_mapping] == [(d.code, d.location) for d in found]
    assert [d.message for d in by_mapping if d.code == "R109"] == ["request 'd' (line 4 of the batch) has no result"]
    assert not [d for d in lint_jsonl_text(text) if d.code in ("R108", "R109")]  # no request file: no join


def test_a_results_file_is_its_own_kind(tmp_path: Path) -> None:
    text = lines(succeeded("a"), errored("b"))
    assert detect_kind("results.jsonl", Document(text)).name == "batch-results"
    assert detect_kind("batch.jsonl", Document(lines({"custom_id": "a", "params": REQUEST}))).name == "jsonl"
    (tmp_path / "results.jsonl").write_text(text, encoding="utf-8")
    [result] = lint_paths([str(tmp_path)])
    assert result.kind == "batch-results" and [d.code for d in result.diagnostics] == ["R106"]


def test_a_large_results_file_in_chunks_reports_what_a_whole_read_does(cli, tmp_path: Path) -> None:
    rnd = random.Random(4)
    values = []
    for i in range(1500):
        pick = rnd.random()
        values.append(errored(f"r{i}") if pick < 0.1 else succeeded(f"r{i}" if pick < 0.95 else f"x{i}", stop_reason=rnd.choice(["end_turn", "odd"])))
    (tmp_path / "results.jsonl").write_text(lines(*values), encoding="utf-8")
    (tmp_path / "requests.jsonl").write_text(lines(*({"custom_id": f"r{i}", "params": REQUEST} for i in range(1600))), encoding="utf-8")
    args = ["lint", str(tmp_path / "results.jsonl"), "--batch-requests", str(tmp_path / "requests.jsonl"), "--format", "json"]
    whole = cli([*args, "-j", "1", "--chunk-size", str(1 << 30)])
    chunked = cli([*args, "-j", "2", "--chunk-size", "20000"])
    assert whole.exit_code == chunked.exit_code == 1 and chunked.stdout == whole.stdout
    codes = {d["code"] for d in json.loads(whole.stdout)["diagnostics"]}
    assert {"R106", "R108", "R109", "V004"} <= codes
    assert [(r.name, r.diagnostics) for r in lint_paths_jobs([str(tmp_path / "results.jsonl")], jobs=2, chunk_bytes=9000)] == [
        (r.name, r.diagnostics) for r in lint_paths([str(tmp_path / "results.jsonl")])
    ]


def test_record_pointer_judges_the_body_and_points_into_the_record(cli, tmp_path: Path) -> None:
    text = lines(
        {"ts": 1, "request": {"body": {**REQUEST, "max_tokens": -3}}},
        {"ts": 2, "request": {"headers": {}}},
        {"ts": 3, "request": {"body": [1]}},
        {"ts": 4, "request": {"body": succeeded("a", stop_reason="odd")}},
    )
    found = lint_jsonl_text(text, LintOptions(settings={"record_pointer": "/request/body"}))
    by_line = {d.location.line: d for d in found}
    assert by_line[1].code == "V005" and by_line[1].location.pointer == "/request/body/max_tokens" and at(text, by_line[1]).startswith("-3")
    assert by_line[2].code == "X011" and "no 'body' under /request" in by_line[2].message
    assert by_line[3].code == "X011" and at(text, by_line[3]).startswith("[1]")
    assert by_line[4].location.pointer == "/request/body/result/message/stop_reason" and at(text, by_line[4]).startswith('"odd"')
    (tmp_path / "log.jsonl").write_text(text, encoding="utf-8")
    shown = cli(["lint", str(tmp_path / "log.jsonl"), "--record-pointer", "/request/body", "--format", "json"])
    assert shown.exit_code == 1 and {d["pointer"] for d in json.loads(shown.stdout)["diagnostics"]} >= {"/request/body/max_tokens"}
    for bad in ("request/body", "/a~2b"):
        refused = cli(["lint", str(tmp_path / "log.jsonl"), "--record-pointer", bad])
        assert refused.exit_code == 2 and len(refused.stderr.splitlines()) == 1


def test_select_record_unescapes_the_pointer() -> None:
    assert select_record({"a/b": {"c~d": {"x": 1}}}, "/a~1b/c~0d") == ({"x": 1}, None)
    assert select_record({"a": [{"x": 1}]}, "/a/0") == ({"x": 1}, None)
    assert select_record({"a": {}}, "")[0] == {"a": {}}


KEYS = st.text(st.sampled_from("ab/~_"), min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(st.lists(KEYS, min_size=1, max_size=3), st.integers(-5, 5), st.sampled_from(["user", "bot", 7]))
def test_a_wrapped_body_reports_what_the_body_alone_does(path: list[str], max_tokens: int, role: object) -> None:
    """Invariant: wrapping each line's body at any pointer changes only where the findings are
    (their pointers gain the prefix, their text positions are the body's in the record)."""
    body = {**REQUEST, "max_tokens": max_tokens, "messages": [{"role": role, "content": "Hi"}]}
    record: object = body
    for key in reversed(path):
        record = {key: record, "other": 1}
    pointer = "".join("/" + k.replace("~", "~0").replace("/", "~1") for k in path)
    alone = lint_jsonl_text(lines(body))
    text = lines(record)
    wrapped = lint_jsonl_text(text, LintOptions(settings={"record_pointer": pointer}))
    assert [(d.code, pointer + (d.location.pointer or "")) for d in alone] == [(d.code, d.location.pointer) for d in wrapped]
    line = text.split("\n")[0]
    offset = line.index(json.dumps(body))
    assert [d.location.column for d in wrapped] == [d.location.column + offset for d in alone]
