"""JSON pointers map to the line and column of the value in the original text."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from transcript.core.diagnostics import LineIndex, join_pointer
from transcript.core.jsonpos import PointerIndex, find_duplicate_pointer, locate_pointer


def _pointers(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _pointers(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _pointers(v, (*prefix, i))


def _resolve(value, tokens):
    for t in tokens:
        value = value[t]
    return value


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\/~\n é{}[],:'),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(alphabet='ab"/~ é{}', max_size=4), c, max_size=4),
    max_leaves=15,
)


@given(json_values, st.sampled_from([None, 0, 2]))
def test_every_pointer_locates_its_own_value(value, indent) -> None:
    """For every pointer into a document, decoding the text at the located position gives that value."""
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    index = LineIndex(text)
    decoder = json.JSONDecoder()
    for tokens in _pointers(value):
        loc = locate_pointer(text, join_pointer(*tokens))
        offset = index.offset(loc.line, loc.column)
        found, _ = decoder.raw_decode(text, offset)
        assert found == _resolve(value, tokens)


def test_missing_members_locate_the_nearest_ancestor() -> None:
    """A pointer past the document's end points at the deepest value that exists."""
    text = '{\n  "messages": [\n    {"role": "user"}\n  ]\n}'
    loc = locate_pointer(text, "/messages/0/content")
    assert (loc.line, loc.column) == (3, 5) and loc.pointer == "/messages/0/content"
    assert (locate_pointer(text, "/messages/0/role", at_key=True).column) == 6


def test_pointer_index_reuses_one_line_index() -> None:
    """Many lookups share one PointerIndex."""
    index = PointerIndex('[1,\n 2,\n 3]')
    assert [index.locate(f"/{i}").line for i in range(3)] == [1, 2, 3]


def test_find_duplicate_pointer_handles_nesting_and_escapes() -> None:
    """The tokenizer follows arrays, nested objects and escaped keys."""
    assert find_duplicate_pointer('{"a": [{"x": 1}, {"k\\"": 1, "k\\"": 2}]}') == ('/a/1/k"', 28)
    assert find_duplicate_pointer('{"a": 1, "b": 2}') is None


@given(json_values, st.sampled_from([None, 0, 2]), st.integers(1, 40), st.randoms(use_true_random=False))
def test_one_index_answers_any_order_of_lookups_as_fresh_ones_do(value, indent, stretch, rnd) -> None:
    """The members' values are skipped lazily, a stretch of text at a time, and the ends of
    long ones remembered: none of it changes an answer, whatever the order of the lookups
    and however short the stretch (here a few characters, so that it cuts strings and
    containers anywhere)."""
    from transcript.core import jsonpos

    text = json.dumps(value, indent=indent, ensure_ascii=False)
    pointers = [join_pointer(*tokens) for tokens in _pointers(value)]
    expected = {p: locate_pointer(text, p) for p in pointers}
    rnd.shuffle(pointers)
    saved = jsonpos._MATCH_WITHIN, jsonpos._REMEMBER_FROM
    jsonpos._MATCH_WITHIN, jsonpos._REMEMBER_FROM = stretch, stretch // 2
    try:
        index = PointerIndex(text)
        assert {p: index.locate(p) for p in pointers} == expected
    finally:
        jsonpos._MATCH_WITHIN, jsonpos._REMEMBER_FROM = saved


def test_a_long_array_is_skipped_a_stretch_at_a_time_to_its_end() -> None:
    """20,000 short members, far more than one stretch: the array's end, and a member after it."""
    items = [{"role": "user", "content": [{"type": "text", "text": f"x{i}\\\"]}}"}]} for i in range(20_000)]
    text = json.dumps({"messages": items, "after": [1]})
    index = PointerIndex(text)
    messages = index.locate("/messages")
    assert messages.end_column == text.index(', "after"') + 1
    after = index.locate("/after/0")
    assert text[after.column - 1] == "1"
    last = index.locate("/messages/19999/content/0/text")
    assert json.loads(text[last.column - 1 : last.end_column - 1]) == items[-1]["content"][0]["text"]
