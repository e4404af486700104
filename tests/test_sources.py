"""Reading inputs: every kind of bad bytes or JSON is a located diagnostic, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcript.core.jsontext import load_json
from transcript.core.sources import (
    InputError,
    Source,
    decode_text,
    read_source,
)


def codes(diags) -> list[str]:
    return [d.code for d in diags]


def test_invalid_utf8_is_located_at_the_bad_byte() -> None:
    """The first undecodable byte is reported at its line and column."""
    text, diags = decode_text(b'{\n  "a": "caf\xe9"\n}')
    assert text is None and codes(diags) == ["X001"]
    assert (diags[0].location.line, diags[0].location.column) == (2, 12)


def test_binary_and_empty_inputs() -> None:
    """NUL bytes mean binary data; no bytes at all is an empty input."""
    assert codes(decode_text(b"PK\x03\x04\x00\x00")[1]) == ["X002"]
    assert codes(decode_text(b"")[1]) == ["X003"]
    assert decode_text("héllo".encode()) == ("héllo", [])


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ('{"a": 1,}', "X004", 1, 8),
        ('{\n  "a": NaN\n}', "X004", 2, 8),
        ('{"a": [1, 2', "X004", 1, 12),
        ("[" * 100_000, "X005", 1, 1026),
        ('{"a": 1,\n "b": {"c": 1, "c": 2}}', "X006", 2, 16),
        ("   ", "X003", 1, 1),
    ],
)
def test_json_errors_are_located(text: str, code: str, line: int, column: int) -> None:
    """Syntax errors, NaN, truncation, depth and duplicate keys each get a code and a place."""
    value, diags = load_json(text)
    assert value is None and codes(diags) == [code]
    assert (diags[0].location.line, diags[0].location.column) == (line, column)


def test_duplicate_key_names_the_second_occurrence_by_pointer() -> None:
    """The duplicate is reported with the pointer of the repeated member."""
    _, diags = load_json('{"messages": [{"role": "user", "role": "assistant"}]}')
    assert diags[0].location.pointer == "/messages/0/role"


def test_a_big_single_string_loads_without_trouble() -> None:
    """A document of one long string (a few MB) parses; nothing is quadratic."""
    big = json.dumps("x" * 5_000_000)
    value, diags = load_json(big)
    assert diags == [] and len(value) == 5_000_000


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_valid_json_round_trips(value) -> None:
    """Any JSON value dumped and loaded again comes back equal, with no diagnostics."""
    loaded, diags = load_json(json.dumps(value, ensure_ascii=False))
    assert diags == [] and loaded == value


@given(st.text())
def test_load_json_never_raises(text: str) -> None:
    """Any text gives a value or diagnostics, never an exception."""
    value, diags = load_json(text)
    assert (value is None) == bool(diags) or value is None


@given(st.binary())
def test_decode_text_never_raises(data: bytes) -> None:
    """Any bytes decode or give exactly one located diagnostic."""
    text, diags = decode_text(data)
    assert (text is None) == (len(diags) == 1)
    if diags:
        assert diags[0].location.line is not None


def test_read_source_reports_missing_files_as_input_errors(tmp_path) -> None:
    """A missing file or a directory is a usage problem (InputError), not a diagnostic."""
    with pytest.raises(InputError):
        read_source(tmp_path / "nope.json")
    with pytest.raises(InputError):
        read_source(tmp_path)
    (tmp_path / "a.txt").write_bytes(b"hi")
    assert read_source(tmp_path / "a.txt") == Source(str(tmp_path / "a.txt"), b"hi")


def test_exact_integers_keeps_big_integers_and_leaves_the_rest() -> None:
    """orjson reads integers beyond 64 bits as floats; exact_integers parses those again."""
    import orjson

    from transcript.core.jsontext import exact_integers

    text = '{"n": 100000000000000000000, "m": 1.5}'
    assert exact_integers(text, orjson.loads(text)) == {"n": 10**20, "m": 1.5}
    small = {"n": 1}
    assert exact_integers('{"n": 1}', small) is small


def test_utf16_text_is_named_as_such() -> None:
    """UTF-16 files (with or without a BOM) are X001 with the encoding named, not binary data."""
    for data in ("\ufeff{}".encode("utf-16-le"), '{"a": 1}'.encode("utf-16-be"), "{}\n".encode("utf-16")):
        text, diags = decode_text(data)
        assert text is None and codes(diags) == ["X001"] and "UTF-16" in diags[0].message
    assert codes(decode_text(b"\x00\x01\x02\x03")[1]) == ["X002"]


def test_reading_stops_at_the_limit(tmp_path) -> None:
    """An endless or oversized input is read in chunks up to the limit, then reported (X009)."""
    import io

    from transcript.core.sources import decode_source

    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b"1," * 600 + b"1]")
    source = read_source(big, limit=1000)
    assert source.too_large and source.data == b""
    text, diags = decode_source(source, limit=1000)
    assert text is None and [(d.code, d.location.line, d.location.column) for d in diags] == [("X009", 1, 1)]
    assert "1000 bytes" in diags[0].message
    exact = Source.from_stream(io.BytesIO(b"x" * 1000), "s", limit=1000)
    assert not exact.too_large and exact.data == b"x" * 1000
    assert Source.from_stream(io.BytesIO(b"x" * 1001), "s", limit=1000).too_large


_STREAM = (
    'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant",'
    '"model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,'
    '"usage":{"input_tokens":1,"output_tokens":1}}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n'
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["capture.sse", "capture.jsonl", "capture.har"])
def test_a_utf16_capture_gets_one_verdict_from_lint_and_replay(cli, tmp_path: Path, encoding: str, name: str) -> None:
    """Issue 13 item 11: UTF-16 captures got three different verdicts (X001, X002, S005 per line)."""
    path = tmp_path / name
    path.write_bytes(_STREAM.encode(encoding))
    for command in ("lint", "replay"):
        result = cli([command, str(path), "--format", "json"])
        codes = [d["code"] for d in json.loads(result.stdout if command == "lint" else result.stderr)["diagnostics"]]
        assert result.exit_code == 1 and codes == ["X001"], (command, result.stderr)
