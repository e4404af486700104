"""core.jsontext.short_json: the one renderer of input values into messages and views."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
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
