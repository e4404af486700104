"""The per-record functions (transcript.scale.records): one record in, plain rows out, and the
rows merged back into the diagnostics the reports print."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import Diagnostic, Location, Severity, sort_diagnostics
from transcript.core.sources import read_source
from transcript.lint.driver import lint_source, lint_text
from transcript.scale import ROW_FIELDS, from_row, lint_file, lint_record, merge_rows, replay_record, to_row, to_rows
from transcript.stream.replay import lint_stream

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
BAD = {"model": "claude-sonnet-4-5", "max_tokens": -1, "messages": [{"role": "bot", "content": "Hi"}]}


def test_a_request_record_gives_the_lint_of_its_text_as_rows() -> None:
    text = json.dumps(BAD, indent=1)
    expected = lint_text(text, "request")
    assert expected  # the body is wrong twice over
    rows = lint_record(text, "request", record_id="req-7")
    assert rows == to_rows(expected, "req-7")
    assert all(set(r) == set(ROW_FIELDS) and r["file"] == "req-7" for r in rows)
    assert lint_record(text.encode(), "request", record_id="req-7") == rows


def test_a_parsed_record_is_judged_as_its_json_text() -> None:
    rows = lint_record(BAD, "request")
    assert [r["code"] for r in rows] == [d.code for d in lint_text(json.dumps(BAD, ensure_ascii=False), "request")]
    assert {r["pointer"] for r in rows} >= {"/max_tokens", "/messages/0/role"}


def test_a_record_keeps_its_file_line() -> None:
    line = json.dumps({"custom_id": "a b", "params": BAD})
    at_one = lint_record(line, "jsonl")
    at_nine = lint_record(line, "jsonl", line=9)
    assert at_one and [r["line"] for r in at_nine] == [r["line"] + 8 for r in at_one]
    assert {"/custom_id", "/params/max_tokens"} <= {r["pointer"] for r in at_one}


def test_bytes_that_are_not_text_are_a_located_row() -> None:
    rows = lint_record(b"\xff\xfe\x00x", "request", record_id="r")
    assert [r["code"][0] for r in rows] == ["X"] and rows[0]["file"] == "r"


def test_an_unknown_kind_is_a_value_error() -> None:
    try:
        lint_record("{}", "nope")
    except ValueError as exc:
        assert "unknown kind" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("no error")


def test_replay_record_is_the_replay_of_the_stream() -> None:
    for path in sorted((SAMPLES / "streams" / "invalid").glob("*.sse")):
        data = path.read_bytes()
        assert replay_record(data, record_id=path.name) == to_rows(lint_stream(data), path.name)
        assert replay_record(data.decode("utf-8", "surrogateescape").encode("utf-8", "surrogateescape")) == to_rows(lint_stream(data))
    assert any(replay_record((p).read_bytes()) for p in (SAMPLES / "streams" / "invalid").glob("*.sse"))


def test_lint_file_is_lint_source_and_a_missing_file_is_x010(tmp_path: Path) -> None:
    path = SAMPLES / "prompts" / "few_shot.txt"
    _kind, found = lint_source(read_source(str(path)))
    assert lint_file(str(path)) == to_rows(found, str(path)) and found
    missing = lint_file(str(tmp_path / "gone.json"))
    assert [r["code"] for r in missing] == ["X010"] and missing[0]["file"] == str(tmp_path / "gone.json")


def test_the_functions_run_in_worker_processes() -> None:
    """Picklable: what a pool (or any engine) sends to its workers."""
    records = [json.dumps(BAD), json.dumps({**BAD, "max_tokens": 5}), "{broken"]
    pickle.dumps((lint_record, replay_record, records))
    with ProcessPoolExecutor(max_workers=2) as pool:
        remote = list(pool.map(lint_record, records, ["request"] * 3, chunksize=1))
    assert remote == [lint_record(r, "request") for r in records]
    assert pickle.loads(pickle.dumps(remote)) == remote


_text = st.text(max_size=12)
_maybe_int = st.none() | st.integers(min_value=1, max_value=10_000)
_diagnostics = st.builds(
    Diagnostic,
    code=st.sampled_from(["R001", "X004", "B002", "S010"]),
    name=st.sampled_from(["one", "two"]),
    severity=st.sampled_from(list(Severity)),
    message=_text,
    location=st.builds(
        Location, file=st.none() | st.sampled_from(["a.json", "b.jsonl"]), line=_maybe_int, column=_maybe_int,
        pointer=st.none() | st.sampled_from(["", "/messages/0", "/max_tokens"]), end_line=_maybe_int, end_column=_maybe_int,
    ),
    hint=st.none() | _text,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_diagnostics, max_size=12), st.randoms(use_true_random=False))
def test_rows_round_trip_and_merge_in_any_order(diagnostics: list[Diagnostic], rnd) -> None:
    """A row is its diagnostic (nothing lost), and however the rows come back, the merge is
    each file's diagnostics in report order."""
    for d in diagnostics:
        assert from_row(to_row(d)) == d
        assert from_row(json.loads(json.dumps(to_row(d)))) == d
    rows = to_rows(diagnostics)
    rnd.shuffle(rows)
    merged = merge_rows(rows)
    assert sorted(merged, key=lambda f: (f is not None, f or "")) == list(merged)
    for file, found in merged.items():
        mine = [d for d in diagnostics if d.location.file == file]
        assert found == sort_diagnostics(found) and sorted(map(repr, found)) == sorted(map(repr, mine))
    assert sum(len(v) for v in merged.values()) == len(diagnostics)
