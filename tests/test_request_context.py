"""transcript.request.context: the index of the messages the rules read, against plain walks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.request.context import RequestContext, Turn, content_pointer
from transcript.request.lint import lint_request
from transcript.request.rules import tools

# mostly ids a call and a result can share; some not strings, or not valid
IDS = st.sampled_from(["toolu_01", "toolu_02", "toolu_03"]) | st.sampled_from(["bad id", ""]) | st.integers(0, 2) | st.none()
KINDS = st.sampled_from(["text", "tool_use", "tool_result", "thinking", "image", "server_tool_use",
                         "web_search_tool_result", "redacted_thinking"]) | st.none() | st.integers(0, 1) | st.just(["text"])


@st.composite
def blocks(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:  # not a block at all
        return draw(st.sampled_from(["text", 3, None, ["x"]]))
    block: dict[str, Any] = {"type": draw(KINDS)}
    for key in draw(st.sets(st.sampled_from(["id", "tool_use_id", "text", "cache_control", "content"]), max_size=3)):
        if key == "text":
            block[key] = draw(st.sampled_from(["", " \n", "\u2003", "hi", " x "]))
        elif key == "cache_control":
            block[key] = draw(st.sampled_from([{"type": "ephemeral"}, {"type": "ephemeral", "ttl": "1h"}, "x"]))
        elif key == "content":
            block[key] = draw(st.sampled_from(["ok", [], [{"type": "text", "text": "", "cache_control": {"type": "ephemeral"}}]]))
        else:
            block[key] = draw(IDS)
    return block


@st.composite
def conversations(draw: st.DrawFn) -> list[Any]:
    """Messages of any role (or none, or not a message), with string, list or odd content."""
    out: list[Any] = []
    for _ in range(draw(st.integers(0, 9))):
        if draw(st.integers(0, 12)) == 0:
            out.append(draw(st.sampled_from(["hi", 4, None])))
            continue
        message: dict[str, Any] = {"role": draw(st.sampled_from(["user", "assistant", "system", None, 7]))}
        kind = draw(st.integers(0, 5))
        message["content"] = (
            draw(st.sampled_from(["", " ", "hello", 5, None])) if kind == 0 else draw(st.lists(blocks(), max_size=4))
        )
        out.append(message)
    return out


def _walk(messages: list[Any]) -> list[tuple[int, int, dict[str, Any]]]:
    """Every dict block of list content, message by message: what the index must list."""
    found = []
    for i, msg in enumerate(messages):
        content = msg.get("content") if isinstance(msg, dict) else None
        if isinstance(content, list):
            found.extend((i, j, b) for j, b in enumerate(content) if isinstance(b, dict))
    return found


@settings(max_examples=300, deadline=None)
@given(conversations())
def test_the_index_lists_what_a_walk_of_the_messages_finds(messages: list[Any]) -> None:
    ctx = RequestContext({"messages": messages})
    walked = _walk(messages)
    assert list(ctx.all_blocks) == walked
    for i in range(-1, len(messages) + 1):
        assert ctx.message_blocks(i) == [e for e in walked if e[0] == i]
        assert ctx.blocks(i) == [(j, b) for k, j, b in walked if k == i]
        role = messages[i].get("role") if 0 <= i < len(messages) and isinstance(messages[i], dict) else None
        assert ctx.role(i) == (role if isinstance(role, str) else None)
        for kind in ("tool_result", "text"):
            assert ctx.has_block(i, kind) == any(k == i and b.get("type") == kind for k, _, b in walked)
    for kinds in (("tool_use",), ("thinking", "redacted_thinking"), ("tool_use", "tool_result", "text", "tool_use")):
        assert list(ctx.blocks_of(*kinds)) == [e for e in walked if e[2].get("type") in kinds]
    turns = ctx.turns
    for t in range(len(turns)):
        assert turns[t] == Turn(turns.role(t), tuple(turns.span(t)))
    uses = list(ctx.blocks_of("tool_use"))
    assert [(t, list(group)) for t, group in turns.groups(uses)] == [
        (t, [e for e in uses if turns.of(e[0]) == t]) for t in sorted({turns.of(e[0]) for e in uses})
    ]


@settings(max_examples=300, deadline=None)
@given(conversations())
def test_the_cache_breakpoints_are_those_of_a_walk_in_processing_order(messages: list[Any]) -> None:
    def walk(block: dict[str, Any], pointer: str, depth: int) -> list[str]:
        out = [pointer + "/cache_control"] if isinstance(block.get("cache_control"), dict) else []
        if depth < 2 and block.get("type") == "tool_result" and isinstance(block.get("content"), list):
            for k, inner in enumerate(block["content"]):
                if isinstance(inner, dict):
                    out += walk(inner, f"{pointer}/content/{k}", depth + 1)
        return out

    expected = [p for i, j, b in _walk(messages) for p in walk(b, content_pointer(i, j), 0)]
    assert [p for p, _ in RequestContext({"messages": messages}).cache_breakpoints()] == expected


@st.composite
def tool_rounds(draw: st.DrawFn) -> list[Any]:
    """Mostly user and assistant messages (consecutive ones of a role merge) calling tools and
    answering them, with ids that repeat, go missing or are not strings."""
    out: list[Any] = []
    for _ in range(draw(st.integers(1, 8))):
        role = draw(st.sampled_from(["user", "assistant", "user", "assistant", "system", None]))
        kind = "tool_use" if role == "assistant" else "tool_result"
        if draw(st.integers(0, 5)) == 0:
            kind = "tool_use" if kind == "tool_result" else "tool_result"
        key = "id" if kind == "tool_use" else "tool_use_id"
        content: list[Any] = [{"type": kind, key: draw(IDS)} for _ in range(draw(st.integers(0, 3)))]
        if draw(st.booleans()):
            content.insert(draw(st.integers(0, len(content))), {"type": "text", "text": "x"})
        out.append({"role": role, "content": content if content or draw(st.booleans()) else "hi"})
    return out


@settings(max_examples=400, deadline=None)
@given(conversations() | tool_rounds())
def test_tool_pairing_asked_once_says_what_the_turn_by_turn_rules_find(messages: list[Any]) -> None:
    """T004 and T005 skip their walk when the calls and results pair up (two equal sets):
    they report exactly what they report without that shortcut."""
    request = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": messages}
    quick = [d for d in lint_request(request) if d.code in ("T004", "T005")]
    paired = tools._paired(RequestContext(request))
    try:
        tools.PAIRED_UP_TO, limit = -1, tools.PAIRED_UP_TO  # no set built: every turn judged
        walked = [d for d in lint_request(request) if d.code in ("T004", "T005")]
    finally:
        tools.PAIRED_UP_TO = limit
    assert quick == walked
    assert paired == (walked == [])


@pytest.mark.parametrize("text", ["\u2003", "\u3000 \n", "\x1c", "\x85"])
def test_a_text_of_unicode_whitespace_only_is_m006(text: str) -> None:
    request = {"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": [
        {"role": "user", "content": [{"type": "text", "text": text}, {"type": "text", "text": "hi"}]},
        {"role": "assistant", "content": text}, {"role": "user", "content": "ok"}]}
    found = [d.location.pointer for d in lint_request(request) if d.code == "M006"]
    assert found == ["/messages/0/content/0/text", "/messages/1/content"]
