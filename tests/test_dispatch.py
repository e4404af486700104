"""transcript.protocol.dispatch: type switches made decision trees accept the same values."""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import jsonschema_rs
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.protocol.dispatch import dispatching
from transcript.protocol.schema import _compiled, _deciding, load_schema
from transcript.protocol.vocabulary import BLOCK_TYPES


def _switch(n: int, *, missing_case: bool) -> dict[str, Any]:
    """An object schema switching on ``kind`` among ``k0``..``k{n-1}``: case ``i`` requires
    ``f{i}``; with ``missing_case`` the first case also holds without ``kind`` and for null."""
    branches: list[dict[str, Any]] = []
    for i in range(n):
        if i == 0 and missing_case:
            condition: dict[str, Any] = {"properties": {"kind": {"enum": ["k0", None]}}}
        else:
            condition = {"properties": {"kind": {"const": f"k{i}"}}, "required": ["kind"]}
        branches.append({"if": condition, "then": {"required": [f"f{i}"], "properties": {f"f{i}": {"type": "integer"}}}})
    return {"type": "object", "properties": {"kind": {}}, "allOf": branches}


KINDS = st.sampled_from(["k0", "k1", "k2", "k5", "k6", "k9", "other", None, 1, True, ["k1"], {"k": 1}])


@st.composite
def instances(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 5)) == 0:  # not an object: every then of the list applies, one of the tree
        return draw(st.sampled_from([None, 3, "k1", [], [{"kind": "k1"}], True]))
    value: dict[str, Any] = {}
    if draw(st.booleans()):
        value["kind"] = draw(KINDS)
    for i in draw(st.sets(st.integers(0, 9), max_size=4)):
        value[f"f{i}"] = draw(st.sampled_from([1, "x", None]))
    return value


@settings(max_examples=400, deadline=None)
@given(n=st.integers(2, 10), missing_case=st.booleans(), data=st.data())
def test_a_switch_made_a_tree_accepts_what_the_list_accepts(n: int, missing_case: bool, data: st.DataObject) -> None:
    schema = _switch(n, missing_case=missing_case)
    tree = dispatching(schema)
    assert tree["allOf"] != schema["allOf"]  # rewritten: a single if/then/else
    value = data.draw(instances())
    verdict = jsonschema_rs.validator_for(schema).is_valid(value)
    assert jsonschema_rs.validator_for(tree).is_valid(value) == verdict
    assert jsonschema.Draft202012Validator(tree).is_valid(value) == jsonschema.Draft202012Validator(schema).is_valid(value)


def test_what_is_not_an_exclusive_switch_on_an_object_is_left_as_it_is() -> None:
    overlapping = _switch(3, missing_case=False)
    overlapping["allOf"][2]["if"]["properties"]["kind"] = {"enum": ["k2", "k1"]}  # k1 selects two cases
    untyped = _switch(3, missing_case=False)
    del untyped["type"]  # a non-object would meet every then of the list
    two_missing = _switch(3, missing_case=True)
    two_missing["allOf"][1]["if"].pop("required")  # two cases hold without the property
    numbers = _switch(3, missing_case=False)
    numbers["allOf"][1]["if"]["properties"]["kind"] = {"const": 1}  # 1 == True in Python, not in JSON
    two_properties = _switch(3, missing_case=False)
    two_properties["allOf"][1]["if"]["properties"] = {"other": {"const": "k1"}}
    annotated = {"unevaluatedProperties": False, **_switch(3, missing_case=False)}
    for schema in (overlapping, untyped, two_missing, numbers, two_properties, annotated):
        assert dispatching(schema) == schema
    single = _switch(1, missing_case=False)
    assert dispatching(single) == single


def test_the_shipped_schemas_switch_in_a_few_steps() -> None:
    tree = dispatching(load_schema("messages-request"))
    original = load_schema("messages-request")
    assert tree != original and original == json.loads(json.dumps(original))  # the loaded schema is untouched
    switch = tree["$defs"]["ContentBlock"]["allOf"]
    assert len(switch) == 1 and set(switch[0]) == {"if", "then", "else"}
    depth, node = 0, switch[0]
    while isinstance(node, dict) and "else" in node:
        depth, node = depth + 1, node["else"]
    assert depth <= 5  # 24 block types: a value meets five conditions, not 24
    cases = len(original["$defs"]["ContentBlock"]["allOf"])
    assert json.dumps(tree["$defs"]["ContentBlock"]).count('"$ref"') == cases  # every case kept, once


BASES: dict[str, Any] = {
    "messages-request": {"model": "m", "max_tokens": 1, "messages": [{"role": "user", "content": [
        {"type": "text", "text": "hi", "cache_control": {"type": "ephemeral"}},
        {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"}},
        {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "x"}]}]}],
        "tools": [{"name": "t", "input_schema": {"type": "object"}}], "tool_choice": {"type": "auto"}},
    "message": {"id": "m", "type": "message", "role": "assistant", "model": "m", "content": [{"type": "text", "text": "x"}],
                "stop_reason": "end_turn", "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1}},
    "stream-event": {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
}
TYPES = st.sampled_from([*sorted(BLOCK_TYPES), "custom", "tool", "any", "url", "base64", None, 7, "bash_20250124"])


@settings(max_examples=400, deadline=None)
@given(data=st.data(), name=st.sampled_from(sorted(BASES)))
def test_the_shipped_schemas_give_one_verdict_for_any_block_type(data: st.DataObject, name: str) -> None:
    """A valid request, Message or event with one or two of its objects given another type,
    a member more or one less."""
    doc = copy.deepcopy(BASES[name])
    objects, todo = [], [doc]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            objects.append(node)
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    for node in data.draw(st.lists(st.sampled_from(objects), min_size=1, max_size=2)):
        change = data.draw(st.sampled_from(["type", "type", "add", "drop"]))
        if change == "type":
            node["type"] = data.draw(TYPES)
        elif change == "add":
            key = data.draw(st.sampled_from(["text", "id", "name", "input", "source", "content", "tool_use_id", "data"]))
            node[key] = data.draw(st.sampled_from(["x", 1, None, [], {}]))
        elif node:
            del node[data.draw(st.sampled_from(sorted(node)))]
    assert _deciding(name).is_valid(doc) == _compiled(name).is_valid(doc)
