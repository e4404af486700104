"""Response Message sanity rules (``M1xx``): a Message that the API could not have sent.

They catch hand-edited fixtures, mocks and recordings whose parts disagree.  Each check
takes the parsed Message (a dict) and yields diagnostics located by JSON pointer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location
from transcript.core.registry import rule
from transcript.protocol.vocabulary import TOOL_BLOCKS

_USAGE = '"usage": {"input_tokens": 12, "output_tokens": 6}'
_USE = '{"type": "tool_use", "id": "toolu_01", "name": "get_time", "input": {}}'


def _msg(content: str, stop_reason: str = '"end_turn"', stop_sequence: str = "null") -> str:
    return (
        '{"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", '
        f'"content": [{content}], "stop_reason": {stop_reason}, "stop_sequence": {stop_sequence}, {_USAGE}}}'
    )


def _blocks(message: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    content = message.get("content")
    if not isinstance(content, list):
        return []
    return [(i, b) for i, b in enumerate(content) if isinstance(b, dict)]


@rule(
    "M101",
    "stop-reason-tool-use-without-call",
    severity="error",
    summary='`stop_reason` is "tool_use" but the content has no tool_use block.',
    explanation="""
        The API stops with `"tool_use"` exactly when the model called a client tool, and the
        call is in `content`.  A Message that says `tool_use` without one was edited or
        assembled wrongly; a client that follows `stop_reason` will look for a call that is
        not there.
    """,
    bad=_msg('{"type": "text", "text": "Let me check."}', stop_reason='"tool_use"'),
    good=_msg(f'{{"type": "text", "text": "Let me check."}}, {_USE}', stop_reason='"tool_use"'),
    runner="response",
)
def tool_use_stop_without_call(message: dict[str, Any]) -> Iterator[Diagnostic]:
    if message.get("stop_reason") == "tool_use" and not any(b.get("type") == "tool_use" for _, b in _blocks(message)):
        yield tool_use_stop_without_call.rule.diagnostic(
            'stop_reason is "tool_use" but content has no tool_use block', Location(pointer="/stop_reason")
        )


@rule(
    "M102",
    "tool-call-with-other-stop-reason",
    severity="warning",
    summary='The content has a tool_use block but `stop_reason` is not "tool_use".',
    explanation="""
        When the model calls a client tool the API ends the turn with `stop_reason:
        "tool_use"` (or `"max_tokens"` when the call was cut off).  Another stop reason next
        to a complete tool call usually means the Message was assembled by hand.
    """,
    bad=_msg(_USE, stop_reason='"end_turn"'),
    good=_msg(_USE, stop_reason='"tool_use"'),
    runner="response",
)
def tool_call_other_stop(message: dict[str, Any]) -> Iterator[Diagnostic]:
    reason = message.get("stop_reason")
    if reason in (None, "tool_use", "max_tokens", "pause_turn", "refusal", "model_context_window_exceeded"):
        return
    if any(b.get("type") == "tool_use" for _, b in _blocks(message)):
        yield tool_call_other_stop.rule.diagnostic(
            f'content has a tool_use block but stop_reason is {json.dumps(reason)}', Location(pointer="/stop_reason")
        )


@rule(
    "M103",
    "stop-sequence-mismatch",
    severity="error",
    summary='`stop_sequence` is set exactly when `stop_reason` is "stop_sequence".',
    explanation="""
        The API fills `stop_sequence` with the matched string when (and only when) it
        stopped on one of the request's `stop_sequences` (`stop_reason: "stop_sequence"`);
        otherwise `stop_sequence` is null.
    """,
    bad=_msg('{"type": "text", "text": "1, 2, 3"}', stop_reason='"stop_sequence"'),
    good=_msg('{"type": "text", "text": "1, 2, 3"}', stop_reason='"stop_sequence"', stop_sequence='"4"'),
    runner="response",
)
def stop_sequence_mismatch(message: dict[str, Any]) -> Iterator[Diagnostic]:
    reason = message.get("stop_reason")
    sequence = message.get("stop_sequence")
    if reason == "stop_sequence" and not isinstance(sequence, str):
        yield stop_sequence_mismatch.rule.diagnostic(
            'stop_reason is "stop_sequence" but stop_sequence is not set', Location(pointer="/stop_sequence")
        )
    elif isinstance(sequence, str) and reason is not None and reason != "stop_sequence":
        yield stop_sequence_mismatch.rule.diagnostic(
            f'stop_sequence is {json.dumps(sequence)} but stop_reason is {json.dumps(reason)}',
            Location(pointer="/stop_sequence"),
        )


@rule(
    "M104",
    "duplicate-block-id",
    severity="error",
    summary="Two tool call blocks of a Message share an id.",
    explanation="""
        Tool call ids (`toolu_…`, `srvtoolu_…`) are unique: results are matched to calls by
        id, and sending this Message back in a request fails the request's own id checks
        (T010).
    """,
    bad=_msg(f"{_USE}, {_USE}", stop_reason='"tool_use"'),
    good=_msg(f'{_USE}, {_USE.replace("toolu_01", "toolu_02")}', stop_reason='"tool_use"'),
    runner="response",
)
def duplicate_block_id(message: dict[str, Any]) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, block in _blocks(message):
        bid = block.get("id")
        if block.get("type") in TOOL_BLOCKS and isinstance(bid, str):
            if bid in seen:
                yield duplicate_block_id.rule.diagnostic(
                    f"content.{i}: id {bid} is also used by content.{seen[bid]}", Location(pointer=f"/content/{i}/id")
                )
            else:
                seen[bid] = i
