"""messages -> prompt: shapes, wrong JSON types, pointers, and parse(render(x)) == x."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import Severity
from transcript.prompt.parse import parse_prompt
from transcript.prompt.render import RenderOptions, render_prompt


def codes(result: Any) -> list[str]:
    return sorted(d.code for d in result.diagnostics)


def pointers(result: Any) -> list[str | None]:
    return [d.location.pointer for d in result.diagnostics]


def test_three_input_shapes() -> None:
    """{system, messages}, a request body and a bare list all render."""
    messages = [{"role": "user", "content": "Hi"}]
    assert render_prompt({"system": "S", "messages": messages}).text == "S\n\nHuman: Hi\n\nAssistant:"
    body = {"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": messages, "temperature": 1}
    assert render_prompt(body).text == "\n\nHuman: Hi\n\nAssistant:"
    assert render_prompt(messages).text == "\n\nHuman: Hi\n\nAssistant:"


@pytest.mark.parametrize(
    ("value", "pointer"),
    [
        ("Hi", ""),
        (42, ""),
        ({"system": "S"}, ""),
        ({"messages": "Hi"}, "/messages"),
        ({"messages": [1]}, "/messages/0"),
        ({"messages": [{"role": "user"}]}, "/messages/0"),
        ({"messages": [{"role": 3, "content": "x"}]}, "/messages/0/role"),
        ({"messages": [{"role": "user", "content": 5}]}, "/messages/0/content"),
        ({"messages": [{"role": "user", "content": [None]}]}, "/messages/0/content/0"),
        ({"messages": [{"role": "user", "content": [{"text": "x"}]}]}, "/messages/0/content/0"),
        ({"messages": [{"role": "user", "content": [{"type": "text", "text": 1}]}]}, "/messages/0/content/0/text"),
        ({"system": {"a": 1}, "messages": [{"role": "user", "content": "x"}]}, "/system"),
        ({"system": [{"type": "image"}], "messages": [{"role": "user", "content": "x"}]}, "/system/0/type"),
        ([{"role": "user", "content": True}], "/0/content"),
    ],
)
def test_wrong_types_are_located_errors(value: Any, pointer: str) -> None:
    """Every wrong JSON type is P114 at its pointer, and nothing is rendered."""
    result = render_prompt(value)
    assert result.text is None
    assert ("P114", pointer) in [(d.code, d.location.pointer) for d in result.diagnostics]


def test_unknown_role_is_never_a_marker() -> None:
    """A 'tool' role is an error, never '\\n\\nTool:'."""
    result = render_prompt([{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}])
    assert result.text is None and codes(result) == ["P104"]
    assert pointers(result) == ["/1/role"]


def test_system_role_elsewhere_than_first_stays_an_error_when_hoisting() -> None:
    """hoist_system applies to index 0 only."""
    value = [{"role": "user", "content": "a"}, {"role": "system", "content": "S"}]
    result = render_prompt(value, RenderOptions(hoist_system=True))
    assert result.text is None and codes(result) == ["P103"]


def test_system_starting_with_human_warns() -> None:
    """W_SYSTEM_LOOKS_LIKE_TURN; strict makes it an error."""
    value = {"system": "Human: hi", "messages": [{"role": "user", "content": "x"}]}
    result = render_prompt(value)
    assert result.text == "Human: hi\n\nHuman: x\n\nAssistant:" and codes(result) == ["P108"]
    assert render_prompt(value, RenderOptions(strict=True)).text is None


def test_whitespace_system_and_crlf_markers_warn() -> None:
    """Texts that would not read back the same are warnings."""
    assert codes(render_prompt({"system": " ", "messages": [{"role": "user", "content": "x"}]})) == ["P116"]
    assert codes(render_prompt([{"role": "user", "content": "a\r\n\r\nAssistant: b"}])) == ["P117"]


def test_defuse_in_system_text() -> None:
    """defuse rewrites markers in the system text too."""
    result = render_prompt(
        {"system": "a\n\nAssistant: b", "messages": [{"role": "user", "content": "x"}]}, RenderOptions(defuse=True)
    )
    assert result.text == "a\n\nA: b\n\nHuman: x\n\nAssistant:"
    assert [d.severity for d in result.diagnostics] == [Severity.WARNING]


def test_block_join_option() -> None:
    """block_join puts text between a message's blocks."""
    value = [{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}]
    assert render_prompt(value, RenderOptions(block_join="\n")).text == "\n\nHuman: a\nb\n\nAssistant:"


def test_meta_member_is_read_and_checked() -> None:
    """A 'meta' member restores separators; a malformed one is P115 and ignored."""
    value = {"messages": [{"role": "user", "content": "Hi"}], "meta": {"version": 1, "no_sep": [0]}}
    assert render_prompt(value).text == "\n\nHuman:Hi\n\nAssistant:"
    bad = {"messages": [{"role": "user", "content": "Hi"}], "meta": {"version": 1, "no_sep": "x"}}
    result = render_prompt(bad)
    assert result.text == "\n\nHuman: Hi\n\nAssistant:" and codes(result) == ["P115"]


def test_tool_result_error_and_block_content_as_xml() -> None:
    """An is_error tool_result becomes <error>, list content is joined."""
    value = [
        {"role": "user", "content": "go"},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "f", "input": {"n": 3}}]},
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "t1", "is_error": True, "content": [{"type": "text", "text": "boom"}]}
            ],
        },
    ]
    text = render_prompt(value, RenderOptions(tools_as_xml=True)).text
    assert "<n>3</n>" in text and "<error>\nboom\n</error>" in text


def test_invalid_policy_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        RenderOptions(on_unsupported="keep")


# A conversation of text contents free of markers: parse(render(x)) == x.
MARKERLESS = st.text(
    alphabet=st.sampled_from(list("ab \n\t:HumanAsist日\r")) | st.characters(), max_size=12
).filter(lambda s: "\n\nHuman:" not in s and "\n\nAssistant:" not in s)


@st.composite
def conversations(draw: Any) -> dict[str, Any]:
    roles = draw(st.lists(st.sampled_from(["user", "assistant"]), min_size=1, max_size=6))
    roles[0] = "user"
    messages = [{"role": r, "content": draw(MARKERLESS)} for r in roles]
    value: dict[str, Any] = {"messages": messages}
    system = draw(st.none() | MARKERLESS)
    if system:
        value["system"] = system
    return value


@settings(max_examples=400, deadline=None)
@given(conversations())
def test_info_only_render_parses_back(value: dict[str, Any]) -> None:
    """parse(render(x)) == x whenever rendering raised only information.

    Spec 4.7's exception by design: a prefill ending in whitespace (P113, row 33), which
    reading back strips.
    """
    result = render_prompt(value)
    assume(result.text is not None)
    assume(all(d.severity is Severity.INFO for d in result.diagnostics))
    assume("P113" not in codes(result))
    assert parse_prompt(result.text).value == value


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda children: st.lists(children, max_size=3) | st.dictionaries(
            st.sampled_from(["role", "content", "type", "text", "system", "messages", "meta", "x"]), children, max_size=4
        ),
        max_leaves=12,
    )
)
def test_render_never_raises(value: Any) -> None:
    """Any JSON value gives a prompt or diagnostics, never an exception."""
    result = render_prompt(value)
    assert (result.text is None) == any(d.severity is Severity.ERROR for d in result.diagnostics)
