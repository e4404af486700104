"""core.jsontext.short_json: the one renderer of input values into messages and views."""

from __future__ import annotations

import json
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from transcript.core import jsontext
from transcript.core.jsontext import MAX_DEPTH, short_json

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=30,
)


@given(JSON_VALUES, st.integers(min_value=1, max_value=200))
def test_short_json_is_the_compact_json_when_it_fits_and_a_cut_prefix_otherwise(value: object, limit: int) -> None:
    whole = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    shown = short_json(value, limit)
    if not isinstance(value, (str, list, dict)):  # a scalar is written whole
        assert shown == whole or shown.startswith("<an integer of about")
    elif len(whole) <= limit:
        assert shown == whole
    else:
        assert shown.endswith("…") or shown.endswith('…"')
        assert len(shown) <= limit + 2


def test_short_json_walks_any_depth_without_recursion() -> None:
    value: list[object] = []
    inner = value
    for _ in range(MAX_DEPTH * 50):
        nested: list[object] = []
        inner.append(nested)
        inner = nested
    assert short_json(value, 10) == "[" * 10 + "…"


def test_short_json_names_what_it_does_not_write() -> None:
    assert short_json(10**5000) == "<an integer of about 5001 digits>"
    assert short_json({"a": 1}, containers=False) == "an object"
    assert short_json("x" * 100, 10) == '"xxxxxxx…"'
    assert short_json("plain", quote=False) == "plain"
    assert short_json("y" * 100, 5, quote=False) == "yyyyy…"


def test_not_a_tree_finds_a_value_that_contains_itself_and_allows_shared_members() -> None:
    from transcript.core.jsontext import not_a_tree

    shared = {"type": "text", "text": "hi"}
    assert not_a_tree({"messages": [{"role": "user", "content": [shared, shared]}]}) is None
    message: dict[str, object] = {"role": "user", "content": []}
    message["content"].append(message)  # type: ignore[attr-defined]
    found = not_a_tree({"messages": [message]})
    assert found is not None and found.code == "X008" and found.location.pointer == "/messages/0/content/0"


def test_lint_request_ends_on_a_value_that_contains_itself() -> None:
    """Issue 13 item 11: lint_request looped forever on a self-referencing dict."""
    from transcript.request.lint import lint_request

    message: dict[str, object] = {"role": "user", "content": []}
    message["content"].append(message)  # type: ignore[attr-defined]
    body = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [message]}
    assert [d.code for d in lint_request(body)] == ["X008"]


def test_a_document_memory_cannot_hold_is_not_called_invalid(monkeypatch) -> None:
    """Issue 13 item 11: a valid 500 MB JSON under a memory cap was 'invalid JSON: Not enough memory'."""
    import orjson

    from transcript.core import jsontext

    def no_memory(text: str) -> object:
        raise orjson.JSONDecodeError("Not enough memory", text, 0)

    monkeypatch.setattr(jsontext.orjson, "loads", no_memory)
    value, diagnostics = jsontext.load_json('{"model": "x"}', name="big.json")
    assert value is None and [d.code for d in diagnostics] == ["X009"]
    assert "not enough memory" in diagnostics[0].message and "valid JSON" in diagnostics[0].message


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 ,.e-x\u0663", max_size=80))
def test_the_long_number_check_is_a_run_of_19_ascii_digits(text: str) -> None:
    """exact_integers re-parses exactly when the text holds a run of 19 ASCII digits (the
    translate-and-find check is the regex search it replaced)."""
    assert (jsontext._DIGIT_RUN in text.translate(jsontext._DIGITS_AS_ZERO)) == bool(re.search(r"[0-9]{19}", text))


# -- the duplicate-key check's proof by counting colons (jsontext._keys_all_kept) ---------------

_KEY_CHARS = st.sampled_from(['a', 'b', ':', '"', '\\', ' ', 'é', '\u2028', '\n'])
_KEYS = st.text(_KEY_CHARS, max_size=3)
_WS = st.sampled_from(["", " ", "\n", "\t ", "\r\n"])


@st.composite
def _json_string(draw: st.DrawFn, value: str) -> str:
    """``value`` as a JSON string, each character written plainly or escaped at random."""
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append(draw(st.sampled_from(["\\n", "\\u000a", "\\u000A"])))
        elif ch == ":" and draw(st.booleans()):
            out.append(draw(st.sampled_from(["\\u003a", "\\u003A"])))  # an escaped colon
        elif draw(st.integers(0, 4)) == 0:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


@st.composite
def _json_text(draw: st.DrawFn, depth: int = 0) -> str:
    """A JSON text whose objects may repeat keys, with whitespace anywhere it may go
    (before a colon too) and strings that hold colons, quotes and ``":`` (escaped or not)."""
    kind = draw(st.sampled_from(["scalar", "string", "array", "object"] if depth < 3 else ["scalar", "string"]))
    if kind == "scalar":
        return draw(st.sampled_from(["1", "-2.5e3", "true", "false", "null", "12345678901234567890123"]))
    if kind == "string":
        return draw(_json_string(draw(st.text(_KEY_CHARS, max_size=6))))
    if kind == "array":
        items = draw(st.lists(_json_text(depth + 1), max_size=3))
        return "[" + ",".join(draw(_WS) + item + draw(_WS) for item in items) + "]"
    pairs = draw(st.lists(st.tuples(_KEYS, _json_text(depth + 1)), max_size=4))
    members = [draw(_WS) + draw(_json_string(k)) + draw(_WS) + ":" + draw(_WS) + v + draw(_WS) for k, v in pairs]
    return "{" + ",".join(members) + "}"


@given(_json_text())
@settings(max_examples=600)
def test_the_colon_count_agrees_with_the_exact_duplicate_key_check(text: str) -> None:
    import orjson

    value = json.loads(text)  # the stdlib keeps integers beyond 64 bits (orjson's writer refuses them)
    exact = jsontext.has_duplicate_keys(text)  # the stdlib parse with a pairs hook
    assert jsontext.has_duplicate_keys(text, value) == exact
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        return
    assert jsontext.has_duplicate_keys(text, parsed) == exact
    if jsontext._keys_all_kept(text, parsed):  # a proof of no repeat is never wrong
        assert not exact


def test_the_colon_count_proves_what_it_can_and_leaves_the_rest_to_the_exact_check() -> None:
    import orjson

    def proved(text: str) -> bool:
        return jsontext._keys_all_kept(text, orjson.loads(text))

    assert proved('{"a": "x:y", "b" : {"c:": [":"]}}')
    assert not proved('{"a": 1, "a": 2}')
    assert not proved('{"a": "x:y", "a": "z"}')  # the dropped value's colon too
    assert not proved('{"\\u003a": 1}')  # an escaped colon: not judged by counting
    big = '{"a": 18446744073709551616}'
    assert not jsontext._keys_all_kept(big, json.loads(big))  # an integer orjson cannot write: not judged
    assert not jsontext.has_duplicate_keys(big, json.loads(big))
    assert jsontext.has_duplicate_keys('{"a": {"b": 1, "b": 2}}', orjson.loads('{"a": {"b": 1, "b": 2}}'))


@given(_json_text())
@settings(max_examples=300)
def test_colons_counted_in_the_value_are_those_of_its_compact_text(text: str) -> None:
    """What a large text's proof counts without writing the value (orjson's writer would
    reserve many times the value) is what writing it would show."""
    value = json.loads(text)
    written = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert jsontext._colons_in(value) == written.count(":")


def test_a_large_text_is_read_without_a_list_of_pairs_and_still_finds_a_repeat() -> None:
    many = {f"unknown_{i}": i for i in range(40_000)}
    text = json.dumps({"model": "m", **many})
    assert len(text) >= jsontext.STDLIB_PARSE_FROM
    value, found = jsontext.load_json(text)
    assert found == [] and value == {"model": "m", **many}
    repeated = text[:-1] + ', "unknown_7": 8}'
    value, [d] = jsontext.load_json(repeated)
    assert value is None and d.code == "X006" and "'unknown_7'" in d.message
    escaped = text[:-1] + ', "a\\u003ab": "c:d"}'  # an escaped colon: the exact check decides, no repeat
    value, found = jsontext.load_json(escaped)
    assert found == [] and value["a:b"] == "c:d"


@given(st.text(st.sampled_from("0123456789 a\u0661é\"")), st.integers(0, 3))
def test_a_run_of_19_digits_is_found_in_ascii_and_other_text_alike(text: str, repeat: int) -> None:
    text = text * repeat + "7" * repeat * 6
    expected = any(len(run) >= 19 for run in re.findall(r"[0-9]+", text))
    assert jsontext._has_digit_run(text) == expected


def test_a_text_past_the_stdlib_size_is_proved_by_counting_in_the_value() -> None:
    """orjson's writer reserves many times the text it writes: there the value's colons are
    counted without writing it."""
    big = json.dumps({"k": "x:" * jsontext.STDLIB_PARSE_FROM})
    assert jsontext._keys_all_kept(big, json.loads(big))
    assert not jsontext.has_duplicate_keys(big, json.loads(big))
    repeated = big[:-1] + ', "k": 1}'
    assert not jsontext._keys_all_kept(repeated, json.loads(repeated))
    assert jsontext.has_duplicate_keys(repeated, json.loads(repeated))


@given(JSON_VALUES, st.integers(min_value=0, max_value=3))
def test_json_chunks_join_to_json_bytes(value: object, levels: int) -> None:
    """Written in pieces or whole, the same bytes (orjson writes every member: 64-bit integers)."""
    assume(all(-(2**63) <= n < 2**64 for n in _integers(value)))
    assert b"".join(jsontext.json_chunks(value, levels=levels)) == jsontext.json_bytes(value)


@given(JSON_VALUES | st.lists(st.integers(min_value=2**64, max_value=2**80) | st.text(), max_size=3))
def test_json_chunks_write_what_orjson_cannot_as_the_stdlib_does(value: object) -> None:
    joined = b"".join(jsontext.json_chunks(value))
    assert json.loads(joined) == json.loads(jsontext.json_bytes(value))
    assert joined.endswith(b"\n")


def test_json_chunks_hold_a_member_at_a_time_and_escape_lone_surrogates() -> None:
    value = {"messages": [{"role": "user", "content": "x" * 10}] * 1000}
    pieces = list(jsontext.json_chunks(value))
    assert max(len(p) for p in pieces) < 100
    assert b"".join(pieces) == jsontext.json_bytes(value)
    lone = {"messages": [{"role": "user", "content": "\ud800"}]}
    for data in (b"".join(jsontext.json_chunks(lone)), jsontext.json_bytes(lone)):
        data.decode("utf-8")  # valid UTF-8: the surrogate is written as an escape
        assert json.loads(data) == lone


def _integers(value: object) -> list[int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, list):
        return [n for v in value for n in _integers(v)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _integers(v)]
    return []


_OLD_LONE_SURROGATE = re.compile(  # the regex it replaced, which took 23 ns a byte
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


@given(st.lists(st.sampled_from(["\\ud83d", "\\uDE00", "\\udc00", "\\uD800", "\\u0041", "x", "\\\\", "u", "d8"]), max_size=8))
def test_lone_surrogate_escapes_are_found_as_the_regex_found_them(parts: list[str]) -> None:
    text = "".join(parts)
    assert jsontext._lone_surrogate(text) == bool(_OLD_LONE_SURROGATE.search(text))


@given(_json_text())
@settings(max_examples=400)
def test_a_large_texts_reading_finds_a_repeat_exactly_when_there_is_one(text: str) -> None:
    """The members counted as the stdlib builds the objects prove most texts free of
    repeats; the rest go to the colon count and the exact check: together never wrong."""
    value, found = jsontext._load_large(text, None, True)
    if jsontext.has_duplicate_keys(text):
        assert value is None and [d.code for d in found] == ["X006"]
    else:
        assert found == [] and value == json.loads(text)
