"""Extended-thinking rules (``K``): the thinking parameter and thinking blocks in history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.core.registry import rule
from transcript.protocol.vocabulary import THINKING_TYPES
from transcript.request.context import (
    RequestContext,
    content_pointer,
    is_int,
    is_number,
)

MIN_BUDGET = 1024

_THINK = '{"type": "thinking", "thinking": "The user greets me.", "signature": "EqQBCkYIBxgCKkBsig"}'
_ON = ', "thinking": {"type": "enabled", "budget_tokens": 2048}'
_TOOL = '{"name": "get_time", "input_schema": {"type": "object"}}'
_HELLO = '{"role": "user", "content": "Hello"}'


def _req(messages: str = _HELLO, extra: str = _ON, model: str = "claude-sonnet-4-5", max_tokens: int = 4096) -> str:
    return f'{{"model": "{model}", "max_tokens": {max_tokens}{extra}, "messages": [{messages}]}}'


def _budget(request: dict[str, Any]) -> int | None:
    thinking = request.get("thinking")
    if isinstance(thinking, dict) and thinking.get("type") == "enabled" and is_int(thinking.get("budget_tokens")):
        return thinking["budget_tokens"]
    return None


@rule(
    "K001",
    "thinking-budget-too-small",
    severity="error",
    summary="`thinking.budget_tokens` must be at least 1024.",
    explanation="""
        `thinking.enabled.budget_tokens: Input should be greater than or equal to 1024`
        (tingly-dev/tingly-box PR#569; seen live in 2026).
    """,
    bad=_req(extra=', "thinking": {"type": "enabled", "budget_tokens": 512}'),
    good=_req(extra=', "thinking": {"type": "enabled", "budget_tokens": 1024}'),
    runner="request",
)
def budget_too_small(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    budget = _budget(request)
    if budget is not None and budget < MIN_BUDGET:
        yield budget_too_small.rule.diagnostic(
            f"thinking.enabled.budget_tokens: Input should be greater than or equal to {MIN_BUDGET} (got {budget})",
            Location(pointer="/thinking/budget_tokens"),
        )


@rule(
    "K002",
    "max-tokens-not-above-budget",
    severity="error",
    summary="`max_tokens` must be greater than `thinking.budget_tokens`.",
    explanation="""
        `` `max_tokens` must be greater than `thinking.budget_tokens`. `` (seen live in
        2026).  With interleaved thinking and tools (a beta header the body does not show)
        the budget may exceed `max_tokens`, so when the request has tools this is only a
        warning.
    """,
    bad=_req(extra=', "thinking": {"type": "enabled", "budget_tokens": 4096}', max_tokens=4096),
    good=_req(extra=', "thinking": {"type": "enabled", "budget_tokens": 4096}', max_tokens=8192),
    runner="request",
)
def max_tokens_not_above_budget(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    budget = _budget(request)
    max_tokens = request.get("max_tokens")
    if budget is None or not is_int(max_tokens) or max_tokens > budget:
        return
    yield max_tokens_not_above_budget.rule.diagnostic(
        f"`max_tokens` must be greater than `thinking.budget_tokens`. ({max_tokens} <= {budget})",
        Location(pointer="/max_tokens"),
        severity=Severity.WARNING if ctx.tools else None,
        hint="raise max_tokens or lower the budget" + (" (unless interleaved thinking is on)" if ctx.tools else ""),
    )


@rule(
    "K003",
    "temperature-with-thinking",
    severity="error",
    summary="With thinking on, `temperature` may only be 1.",
    explanation="""
        `` `temperature` may only be set to 1 when thinking is enabled. `` and, since
        2026-03, `temperature may only be set to 1 when thinking is enabled or in adaptive
        mode` (MartialBE/one-hub#529, anthropics/claude-code#8824).  Remove `temperature`
        or set it to 1.
    """,
    bad=_req(extra=_ON + ', "temperature": 0.2'),
    good=_req(extra=_ON + ', "temperature": 1'),
    runner="request",
)
def temperature_with_thinking(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    value = request.get("temperature")
    if ctx.thinking_on and is_number(value) and value != 1:
        yield temperature_with_thinking.rule.diagnostic(
            "`temperature` may only be set to 1 when thinking is enabled or in adaptive mode",
            Location(pointer="/temperature"),
        )


@rule(
    "K004",
    "forced-tool-with-thinking",
    severity="error",
    summary="`tool_choice` cannot force tool use while thinking is on.",
    explanation="""
        `Thinking may not be enabled when tool_choice forces tool use.`
        (mastra-ai/mastra#7507, BerriAI/litellm PR#17129).  With thinking, use
        `tool_choice` `auto` or `none`; `any` and `tool` force a tool call.
    """,
    bad=_req(extra=_ON + f', "tools": [{_TOOL}], "tool_choice": {{"type": "any"}}'),
    good=_req(extra=_ON + f', "tools": [{_TOOL}], "tool_choice": {{"type": "auto"}}'),
    runner="request",
)
def forced_tool_with_thinking(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    choice = request.get("tool_choice")
    if ctx.thinking_on and isinstance(choice, dict) and choice.get("type") in ("any", "tool"):
        yield forced_tool_with_thinking.rule.diagnostic(
            "Thinking may not be enabled when tool_choice forces tool use.", Location(pointer="/tool_choice/type")
        )


def _first_block_type(ctx: RequestContext, index: int) -> tuple[str, object]:
    """(pointer, type) of the first block of a message ("text" for string content)."""
    msg = ctx.message(index)
    content = msg.get("content") if msg else None
    if isinstance(content, str):
        return content_pointer(index), "text"
    if isinstance(content, list) and content:
        first = content[0]
        return content_pointer(index, 0) + "/type", first.get("type") if isinstance(first, dict) else None
    return content_pointer(index), None


def _has_tool_result(ctx: RequestContext, index: int) -> bool:
    return ctx.has_block(index, "tool_result")


@rule(
    "K005",
    "thinking-turn-must-start-with-thinking",
    severity="error",
    summary="With thinking on, the assistant turn in progress must start with a thinking block.",
    explanation="""
        ``messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found
        `text`. When `thinking` is enabled, a final `assistant` message must start with a
        thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks).
        We recommend you include thinking blocks from previous turns.`` (n8n-io/n8n#22550,
        router-for-me/CLIProxyAPI#1109).  The turn in progress is the assistant turn after
        the last user message that is not a tool result: in a tool loop, the assistant
        message that started it must keep its thinking blocks.  Only `"type": "enabled"`
        is judged: in adaptive mode the model may answer without thinking.
    """,
    bad=_req(
        f'{_HELLO}, {{"role": "assistant", "content": [{{"type": "tool_use", "id": "toolu_01", "name": "get_time", "input": {{}}}}]}}, '
        '{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "12:00"}]}',
        extra=_ON + f', "tools": [{_TOOL}]',
    ),
    good=_req(
        f'{_HELLO}, {{"role": "assistant", "content": [{_THINK}, {{"type": "tool_use", "id": "toolu_01", "name": "get_time", "input": {{}}}}]}}, '
        '{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_01", "content": "12:00"}]}',
        extra=_ON + f', "tools": [{_TOOL}]',
    ),
    runner="request",
)
def turn_must_start_with_thinking(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    n = len(ctx.messages)
    # Adaptive thinking lets the model skip thinking, so only "enabled" is judged.
    if ctx.thinking_type != "enabled" or n == 0:
        return
    roles = ctx.roles
    last_role = roles[n - 1]
    if not (last_role == "assistant" or (last_role == "user" and _has_tool_result(ctx, n - 1))):
        return
    start = 0
    for i in range(n - 1, -1, -1):
        if roles[i] == "user" and not _has_tool_result(ctx, i):
            start = i + 1
            break
    for i in range(start, n):
        if roles[i] == "assistant":
            pointer, kind = _first_block_type(ctx, i)
            if kind not in THINKING_TYPES and kind is not None:
                yield turn_must_start_with_thinking.rule.diagnostic(
                    f"messages.{i}.content.0.type: Expected `thinking` or `redacted_thinking`, but found `{kind}`. "
                    "When `thinking` is enabled, a final `assistant` message must start with a thinking block "
                    "(preceeding the lastmost set of `tool_use` and `tool_result` blocks).",
                    Location(pointer=pointer),
                    hint="send back the thinking blocks of the turn unchanged, or disable thinking",
                )
            return


@rule(
    "K006",
    "thinking-not-first",
    severity="error",
    summary="An assistant message with thinking blocks must start with one.",
    explanation="""
        ``messages.51.content.0: If an assistant message contains any thinking blocks, the
        first block must be `thinking` or `redacted_thinking`. Found `text`.``
        (anthropics/claude-code#20705, #20734).  Thinking blocks must be sent back in their
        original order, before the text and tool calls of the same message.
    """,
    bad=_req(f'{_HELLO}, {{"role": "assistant", "content": [{{"type": "text", "text": "Hi!"}}, {_THINK}]}}, {_HELLO}'),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": [{_THINK}, {{"type": "text", "text": "Hi!"}}]}}, {_HELLO}'),
    runner="request",
)
def thinking_not_first(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    last = -1
    for i, _, _ in ctx.blocks_of(*THINKING_TYPES):
        if i == last or ctx.role(i) != "assistant":
            continue
        last = i  # each assistant message with thinking blocks once
        msg = ctx.message(i)
        first = msg["content"][0] if msg else None
        kind = first.get("type") if isinstance(first, dict) else None
        if kind not in THINKING_TYPES:
            yield thinking_not_first.rule.diagnostic(
                f"messages.{i}.content.0: If an assistant message contains any thinking blocks, the first block must "
                f"be `thinking` or `redacted_thinking`. Found `{kind}`.",
                Location(pointer=content_pointer(i, 0)),
            )


@rule(
    "K007",
    "thinking-in-final-message-when-off",
    severity="error",
    summary="With thinking off, the final assistant message cannot contain thinking blocks.",
    explanation="""
        ``messages.11.content.0: When thinking is disabled, an `assistant` message in the
        final position cannot contain `thinking`. To use thinking blocks, enable `thinking`
        in your request.`` (tailcallhq/forgecode#1195, #1853).
    """,
    bad=_req(f'{_HELLO}, {{"role": "assistant", "content": [{_THINK}, {{"type": "text", "text": "Hi"}}]}}', extra=""),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": [{{"type": "text", "text": "Hi"}}]}}', extra=""),
    runner="request",
)
def thinking_in_final_when_off(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    final = ctx.final_assistant_index
    if final is None or not ctx.thinking_off:
        return
    for j, block in ctx.blocks(final):
        if block.get("type") in THINKING_TYPES:
            yield thinking_in_final_when_off.rule.diagnostic(
                f"messages.{final}.content.{j}: When thinking is disabled, an `assistant` message in the final "
                "position cannot contain `thinking`. To use thinking blocks, enable `thinking` in your request.",
                Location(pointer=content_pointer(final, j)),
            )
            return


@rule(
    "K008",
    "thinking-last-block",
    severity="error",
    summary="The last block of an assistant message cannot be `thinking`.",
    explanation="""
        ``messages.1: The final block in an assistant message cannot be `thinking`.``
        (tailcallhq/forgecode#2107).  A thinking block is always followed by the text or
        tool call it led to; a message that ends in one was cut or reassembled.
    """,
    bad=_req(f'{_HELLO}, {{"role": "assistant", "content": [{_THINK}]}}, {_HELLO}'),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": [{_THINK}, {{"type": "text", "text": "Hi!"}}]}}, {_HELLO}'),
    runner="request",
)
def thinking_last_block(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    messages = ctx.messages
    for i, j, _ in ctx.blocks_of("thinking"):
        if j == len(messages[i]["content"]) - 1 and ctx.role(i) == "assistant":  # the last block of its message
            yield thinking_last_block.rule.diagnostic(
                f"messages.{i}: The final block in an assistant message cannot be `thinking`.",
                Location(pointer=content_pointer(i, j)),
            )


@rule(
    "K009",
    "thinking-signature-missing",
    severity="error",
    summary="A thinking block has no signature (or an empty one).",
    explanation="""
        The server checks that each thinking block carries the signature it was generated
        with, byte for byte: ``messages.1.content.0: Invalid `signature` in `thinking`
        block`` (strict since about 2025-10-07: langchain-ai/langchain PR#33391,
        anthropics/claude-code#10627).  Offline, transcript can only see a missing or empty
        signature (or redacted_thinking `data`); edited, re-serialized or reordered
        thinking fails on the server too.
    """,
    bad=_req(
        f'{_HELLO}, {{"role": "assistant", "content": [{{"type": "thinking", "thinking": "Hmm.", "signature": ""}}, '
        f'{{"type": "text", "text": "Hi!"}}]}}, {_HELLO}'
    ),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": [{_THINK}, {{"type": "text", "text": "Hi!"}}]}}, {_HELLO}'),
    runner="request",
)
def thinking_signature_missing(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for i, j, block in ctx.blocks_of(*THINKING_TYPES):
        kind = block["type"]
        key = "signature" if kind == "thinking" else "data"
        if key not in block:
            yield thinking_signature_missing.rule.diagnostic(
                f"messages.{i}.content.{j}: `{kind}` block without `{key}`", Location(pointer=content_pointer(i, j))
            )
        elif block[key] == "":
            yield thinking_signature_missing.rule.diagnostic(
                f"messages.{i}.content.{j}: Invalid `{key}` in `{kind}` block (it is empty)",
                Location(pointer=f"{content_pointer(i, j)}/{key}"),
            )


@rule(
    "K010",
    "sampling-with-thinking",
    severity="error",
    summary="With thinking on, `top_k` cannot be set and `top_p` must be at least 0.95.",
    explanation="""
        The extended-thinking documentation: "Thinking isn't compatible with temperature or
        top_k modifications as well as forced tool use", and "When thinking is enabled, you
        can set top_p to values between 1 and 0.95."  (`temperature` is K003, forced tool
        use K004.)
    """,
    bad=_req(extra=_ON + ', "top_k": 40'),
    good=_req(extra=_ON + ', "top_p": 0.95'),
    runner="request",
)
def sampling_with_thinking(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if not ctx.thinking_on:
        return
    if is_number(request.get("top_k")):
        yield sampling_with_thinking.rule.diagnostic(
            "top_k: thinking isn't compatible with top_k modifications", Location(pointer="/top_k")
        )
    top_p = request.get("top_p")
    if is_number(top_p) and top_p < 0.95:
        yield sampling_with_thinking.rule.diagnostic(
            f"top_p: when thinking is enabled, top_p must be between 0.95 and 1 (got {top_p})", Location(pointer="/top_p")
        )


@rule(
    "K011",
    "thinking-mode-unsupported",
    severity="error",
    summary="The model does not support this thinking mode.",
    explanation="""
        Extended thinking (`"type": "enabled"`) exists from Claude 3.7 Sonnet on; adaptive
        thinking (`"type": "adaptive"`) from Claude Opus 4.6 and Sonnet 4.6 on.  Other models
        refuse the parameter.  Which model supports which mode is recorded in transcript's
        model table; unknown models are not judged.
    """,
    bad=_req(extra=', "thinking": {"type": "adaptive"}', model="claude-sonnet-4-5"),
    good=_req(extra=', "thinking": {"type": "adaptive"}', model="claude-opus-4-6"),
    runner="request",
)
def thinking_mode_unsupported(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    mode = ctx.thinking_type
    if model is None or model.thinking is None or mode not in ("enabled", "adaptive"):
        return
    if mode not in model.thinking:
        supported = " or ".join(f"'{m}'" for m in model.thinking) or "no thinking"
        yield thinking_mode_unsupported.rule.diagnostic(
            f"thinking.type: {ctx.model_id} does not support thinking type '{mode}' (it supports {supported})",
            Location(pointer="/thinking/type"),
        )
