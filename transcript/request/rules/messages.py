"""Message-structure rules (``M0xx``): roles, their order, and message content."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.core.registry import rule
from transcript.request.context import RequestContext, content_pointer

_HELLO = '{"role": "user", "content": "Hello"}'


def _req(messages: str, model: str = "claude-sonnet-4-5", extra: str = "") -> str:
    return f'{{"model": "{model}", "max_tokens": 1024{extra}, "messages": [{messages}]}}'


def _strict_severity(ctx: RequestContext) -> Severity | None:
    """Relaxed on the first-party API; still an error on Bedrock and with --strict."""
    if ctx.target == "bedrock" or ctx.strict:
        return Severity.ERROR
    return None


@rule(
    "M001",
    "consecutive-same-role",
    severity="warning",
    summary="Two consecutive messages have the same role.",
    explanation="""
        The first-party API used to answer `messages: roles must alternate between "user"
        and "assistant", but found multiple "user" roles in a row`.  Since about October
        2024 it merges consecutive same-role turns instead ("Consecutive user or assistant
        turns in your request will be combined into a single turn."), so this is a warning
        for `--target anthropic` and `vertex`.  Amazon Bedrock still rejects it (Bedrock
        Converse: "A conversation must alternate between user and assistant roles"): with
        `--target bedrock` or `--strict` it is an error.
    """,
    bad=_req(f'{_HELLO}, {{"role": "user", "content": "Are you there?"}}'),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": "Hi!"}}, {{"role": "user", "content": "Are you there?"}}'),
    runner="request",
)
def consecutive_same_role(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    previous: str | None = None
    for i, role in enumerate(ctx.roles):
        if role == previous and role in ("user", "assistant"):
            yield consecutive_same_role.rule.diagnostic(
                f'messages: roles must alternate between "user" and "assistant", but found multiple "{role}" roles in a row',
                Location(pointer=f"/messages/{i}/role"),
                severity=_strict_severity(ctx),
                hint="the Anthropic API merges them into one turn; Bedrock rejects them",
            )
        previous = role


@rule(
    "M002",
    "first-message-not-user",
    severity="warning",
    summary="The first message should use the `user` role.",
    explanation="""
        The server used to answer `messages: first message must use the "user" role`.  The
        first-party API now accepts an assistant-first conversation (anthropics/courses#79),
        so this is a warning; Bedrock and some proxies still reject it, so it is an error
        with `--target bedrock` or `--strict`.  A `system` first message is judged by M003
        and M009.
    """,
    bad=_req('{"role": "assistant", "content": "Hello, how can I help?"}, {"role": "user", "content": "Hi"}'),
    good=_req(_HELLO),
    runner="request",
)
def first_message_not_user(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if ctx.role(0) == "assistant":
        yield first_message_not_user.rule.diagnostic(
            'messages: first message must use the "user" role',
            Location(pointer="/messages/0/role"),
            severity=_strict_severity(ctx),
        )


@rule(
    "M003",
    "system-role-unsupported",
    severity="error",
    summary='`role: "system"` messages are not accepted by this model or endpoint.',
    explanation="""
        Most models reject a system message inside `messages`: `messages: Unexpected role
        "system". The Messages API accepts a top-level \\`system\\` parameter, not "system"
        as an input message role.` (ianarawjo/ChainForge#271, Maol-1997/cursor-claude-connector#3).
        Claude Opus 4.8 accepts mid-conversation system messages after a user turn, on
        first-party endpoints only, so this is also an error with `--target bedrock` or
        `vertex`.  Use the top-level `system` parameter instead.
    """,
    bad=_req(f'{_HELLO}, {{"role": "system", "content": "Answer in French."}}'),
    good=_req(f'{_HELLO}, {{"role": "system", "content": "Answer in French."}}', model="claude-opus-4-8"),
    runner="request",
)
def system_role_unsupported(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    first_party = ctx.target == "anthropic"
    if first_party and (model is None or model.system_messages is not False):
        return  # supported (placement judged by M009) or unknown model
    for i, role in enumerate(ctx.roles):
        if role == "system":
            why = "" if first_party else f" (mid-conversation system messages are first-party only, not on {ctx.target})"
            yield system_role_unsupported.rule.diagnostic(
                'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, '
                'not "system" as an input message role.' + why,
                Location(pointer=f"/messages/{i}/role"),
                hint="move the instructions to the top-level system parameter",
            )


@rule(
    "M009",
    "system-message-placement",
    severity="error",
    summary="A mid-conversation system message is placed where the API does not accept it.",
    explanation="""
        On models that accept `role: "system"` messages (Claude Opus 4.8 and later), "A
        system message cannot be the first entry in messages; use the top-level system
        field" and system messages go "after a user turn (subject to placement rules)"
        (platform.claude.com, Using the Messages API).  The placement rules, as one client
        encodes them (can1357/oh-my-pi): directly after a user turn (a tool_result turn
        counts), never first, never two in a row, text content only.
    """,
    bad=_req('{"role": "system", "content": "Answer in French."}, ' + _HELLO, model="claude-opus-4-8"),
    good=_req(f'{_HELLO}, {{"role": "system", "content": "Answer in French."}}', model="claude-opus-4-8"),
    runner="request",
)
def system_message_placement(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    if ctx.target != "anthropic" or model is None or not model.system_messages:
        return
    r = system_message_placement.rule
    for i in range(len(ctx.messages)):
        if ctx.role(i) != "system":
            continue
        pointer = f"/messages/{i}"
        if i == 0:
            yield r.diagnostic(
                "messages: a system message cannot be the first entry in messages",
                Location(pointer=pointer + "/role"),
                hint="use the top-level system parameter for instructions that apply from the start",
            )
        elif ctx.role(i - 1) == "system":
            yield r.diagnostic("messages: two system messages in a row", Location(pointer=pointer + "/role"))
        elif ctx.role(i - 1) != "user":
            yield r.diagnostic(
                "messages: a system message must directly follow a user turn", Location(pointer=pointer + "/role")
            )
        for j, block in ctx.blocks(i):
            if block.get("type") != "text":
                yield r.diagnostic(
                    f"messages: a system message may contain only text blocks, found {block.get('type')!r}",
                    Location(pointer=content_pointer(i, j)),
                )


@rule(
    "M004",
    "empty-message-content",
    severity="error",
    summary="A message has empty content.",
    explanation="""
        `messages.0: all messages must have non-empty content except for the optional final
        assistant message` (dspinellis/ai-cli-lib#16, anthropics/claude-code#3196).  An
        empty string or an empty list is only allowed in the last message when it is an
        assistant message.
    """,
    bad=_req('{"role": "user", "content": ""}'),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": ""}}'),
    runner="request",
)
def empty_message_content(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    final = ctx.final_assistant_index
    for i, msg in enumerate(ctx.messages):
        if not isinstance(msg, dict) or i == final:
            continue
        content = msg.get("content")
        if content == "" or content == []:
            yield empty_message_content.rule.diagnostic(
                f"messages.{i}: all messages must have non-empty content except for the optional final assistant message",
                Location(pointer=f"/messages/{i}/content"),
            )


@rule(
    "M005",
    "empty-text-block",
    severity="error",
    summary="A text content block is empty.",
    explanation="""
        `messages: text content blocks must be non-empty` (stackblitz/bolt.new#7426,
        anthropics/claude-code#53473).  Drop the block, or put text in it.
    """,
    bad=_req('{"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "Hello"}]}'),
    good=_req('{"role": "user", "content": [{"type": "text", "text": "Hello"}]}'),
    runner="request",
)
def empty_text_block(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for i, j, block in ctx.blocks_of("text"):
        if block.get("text") == "":
            yield empty_text_block.rule.diagnostic(
                "messages: text content blocks must be non-empty",
                Location(pointer=content_pointer(i, j) + "/text"),
            )


@rule(
    "M006",
    "whitespace-text-block",
    severity="error",
    summary="A text content block contains only whitespace.",
    explanation="""
        `messages: text content blocks must contain non-whitespace text`, seen from
        2026-02 next to the older "must be non-empty" (anthropics/claude-code#23440,
        #23352).  String content is sent as one text block, so a whitespace-only string
        fails the same way.  (Whitespace at the end of the final assistant message is M007.)
    """,
    bad=_req('{"role": "user", "content": [{"type": "text", "text": "  \\n"}, {"type": "text", "text": "Hello"}]}'),
    good=_req('{"role": "user", "content": [{"type": "text", "text": "Hello"}]}'),
    runner="request",
)
def whitespace_text_block(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    final = ctx.final_assistant_index
    for i, j in _blank_texts(ctx):
        pointer = content_pointer(i) if j is None else content_pointer(i, j) + "/text"
        if i == final and _last_is_text(ctx, i) and ctx.text_parts(i)[-1][0] == pointer:
            continue  # reported as trailing whitespace (M007)
        yield whitespace_text_block.rule.diagnostic(
            "messages: text content blocks must contain non-whitespace text", Location(pointer=pointer)
        )


def _blank_texts(ctx: RequestContext) -> Iterator[tuple[int, int | None]]:
    """(index, position or ``None`` for string content) of every text of only whitespace
    (``str.isspace``: a text, not empty, that ``strip`` empties), in document order."""
    texts = ctx.blocks_of("text")
    k, n = 0, len(texts)
    for i, msg in enumerate(ctx.messages):
        if isinstance(msg, dict) and isinstance(msg.get("content"), str):
            if msg["content"].isspace():
                yield i, None
            continue  # string content: no blocks
        while k < n and texts[k][0] == i:
            text = texts[k][2].get("text")
            if isinstance(text, str) and text.isspace():
                yield i, texts[k][1]
            k += 1


def _last_is_text(ctx: RequestContext, index: int) -> bool:
    msg = ctx.message(index)
    content = msg.get("content") if msg else None
    if isinstance(content, str):
        return True
    return isinstance(content, list) and bool(content) and isinstance(content[-1], dict) and content[-1].get("type") == "text"


@rule(
    "M007",
    "prefill-trailing-whitespace",
    severity="error",
    summary="The final assistant message (a prefill) ends with whitespace.",
    explanation="""
        `messages: final assistant content cannot end with trailing whitespace`
        (anomalyco/opencode#1295, tailcallhq/forgecode#1872, aaif-goose/goose PR#5967).  It
        applies only to the last message when it is an assistant message.  Strip the
        trailing spaces and newlines from the prefill.
    """,
    bad=_req(f'{_HELLO}, {{"role": "assistant", "content": "The answer is "}}'),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": "The answer is"}}'),
    runner="request",
)
def prefill_trailing_whitespace(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    final = ctx.final_assistant_index
    if final is None or not _last_is_text(ctx, final):
        return
    parts = ctx.text_parts(final)
    if not parts:
        return
    pointer, text = parts[-1]
    if text and text != text.rstrip():
        yield prefill_trailing_whitespace.rule.diagnostic(
            "messages: final assistant content cannot end with trailing whitespace",
            Location(pointer=pointer),
            hint="strip the trailing whitespace from the prefill",
        )


@rule(
    "M008",
    "prefill-with-tools",
    severity="warning",
    summary="An assistant prefill together with tools (refused by the API in 2024).",
    explanation="""
        In mid-2024 the server refused this: ``Your API request included an `assistant`
        message in the final position, which would pre-fill the `assistant` response. When
        using tools, pre-filling the `assistant` response is not supported.``
        (Doriandarko/claude-engineer#9, #40).  Whether it is still enforced is unknown, so
        this is a warning.  Continuing a paused server-tool turn (a final assistant message
        that ends in a server tool call or result) is not a prefill and is not reported.
    """,
    bad=_req(
        f'{_HELLO}, {{"role": "assistant", "content": "Let me"}}',
        extra=', "tools": [{"name": "get_time", "input_schema": {"type": "object"}}]',
    ),
    good=_req(_HELLO, extra=', "tools": [{"name": "get_time", "input_schema": {"type": "object"}}]'),
    runner="request",
)
def prefill_with_tools(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if ctx.tools and ctx.is_prefill():
        yield prefill_with_tools.rule.diagnostic(
            "Your API request included an `assistant` message in the final position, which would pre-fill the "
            "`assistant` response. When using tools, pre-filling the `assistant` response is not supported.",
            Location(pointer=f"/messages/{ctx.final_assistant_index}"),
        )


@rule(
    "M010",
    "prefill-unsupported",
    severity="error",
    summary="This model does not support prefilling the assistant response.",
    explanation="""
        "Prefilling is not supported on Claude Fable 5, Claude Mythos 5, Claude Mythos
        Preview, Claude Opus 4.8, Claude Opus 4.7, Claude Opus 4.6, and Claude Sonnet 4.6.
        Requests using prefill with these models return a 400 error." (platform.claude.com,
        Using the Messages API).  Use structured outputs or system prompt instructions
        instead.  Continuing a paused server-tool turn is not a prefill.
    """,
    bad=_req(f'{_HELLO}, {{"role": "assistant", "content": "The answer is"}}', model="claude-opus-4-6"),
    good=_req(f'{_HELLO}, {{"role": "assistant", "content": "The answer is"}}', model="claude-sonnet-4-5"),
    runner="request",
)
def prefill_unsupported(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    if model is None or model.prefill is not False or not ctx.is_prefill():
        return
    yield prefill_unsupported.rule.diagnostic(
        f"messages: {ctx.model_id} does not support prefilling the assistant response "
        "(the final message has the assistant role)",
        Location(pointer=f"/messages/{ctx.final_assistant_index}"),
        hint="use structured outputs (output_config.format) or system prompt instructions instead",
    )
