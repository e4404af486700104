"""Best-effort parse of unfinished JSON (transcript.stream.partial_json)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.stream.partial_json import parse_partial_json


@pytest.mark.parametrize(
    ("text", "closed", "dropped"),
    [
        ('{"a": [1, 2', {"a": [1, 2]}, {"a": [1, 2]}),
        ('{"a": "xy', {"a": "xy"}, {}),
        ('{"a":', {}, {}),
        ('{"a": 1, "b', {"a": 1}, {"a": 1}),
        ("[tru", [], []),
        ("[true, 1.", [True], [True]),
        ('{"a": {"b": [{"c": "d\\', {"a": {"b": [{"c": "d"}]}}, {"a": {"b": [{}]}}),
        ('"ab\\u00', "ab", '"ab\\u00'),
        ("", "", ""),
        ("}{", "}{", "}{"),
    ],
)
def test_parse_partial_json(text: str, closed, dropped) -> None:
    assert parse_partial_json(text) == closed
    assert parse_partial_json(text, trailing_strings=False) == dropped


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=6),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=4), c, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_json, st.booleans())
def test_partial_json_of_every_prefix(value, trailing: bool) -> None:
    text = json.dumps(value)
    assert parse_partial_json(text, trailing_strings=trailing) == value
    for k in range(len(text)):
        parse_partial_json(text[:k], trailing_strings=trailing)  # never raises
