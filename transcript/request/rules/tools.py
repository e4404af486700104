"""Tool rules (``T``): tool definitions, tool_choice, and tool_use/tool_result pairing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location
from transcript.core.registry import rule
from transcript.protocol.vocabulary import SERVER_TOOL_RESULT_TYPES, TOOL_BLOCKS
from transcript.request.context import Entry, RequestContext, content_pointer

TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,128}")
TOOL_ID = re.compile(r"[a-zA-Z0-9_-]+")

_TOOL = '{"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}'
_USE = '{"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}}'
_RESULT = '{"type": "tool_result", "tool_use_id": "toolu_01", "content": "18 C"}'


def _req(messages: str, tools: str = _TOOL, extra: str = "") -> str:
    return (
        '{"model": "claude-sonnet-4-5", "max_tokens": 1024, '
        f'"tools": [{tools}]{extra}, "messages": [{messages}]}}'
    )


_ASK = '{"role": "user", "content": "Weather in Paris?"}'


def _is_custom(tool: dict[str, Any]) -> bool:
    kind = tool.get("type")
    return kind is None or kind == "custom"


@rule(
    "T001",
    "tool-name-pattern",
    severity="error",
    summary="A custom tool name must match `^[a-zA-Z0-9_-]{1,128}$`.",
    explanation="""
        `tools.7.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`.  The
        maximum length grew from 64 to 128 characters around April–June 2025 (before:
        `'^[a-zA-Z0-9_-]{1,64}$'`, modelcontextprotocol/typescript-sdk#413; after:
        jedisct1/openapi-mcp#9).  Dots, spaces, slashes and colons are not allowed: MCP
        tools named `server.tool` or `server/tool` must be renamed.  With `--strict`, names
        longer than 64 characters are reported too, for older gateways and Claude Desktop.
    """,
    bad=_req(_ASK, tools='{"name": "weather.get", "input_schema": {"type": "object"}}'),
    good=_req(_ASK, tools='{"name": "weather_get", "input_schema": {"type": "object"}}'),
    runner="request",
)
def tool_name_pattern(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for i, tool in ctx.tools:
        name = tool.get("name")
        if not _is_custom(tool) or not isinstance(name, str):
            continue
        limit = 64 if ctx.strict else 128
        if TOOL_NAME.fullmatch(name) and len(name) <= limit:
            continue
        yield tool_name_pattern.rule.diagnostic(
            f"tools.{i}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{{1,{limit}}}$' (got {name!r})",
            Location(pointer=f"/tools/{i}/name"),
            hint="use only letters, digits, '_' and '-'",
        )


@rule(
    "T002",
    "duplicate-tool-name",
    severity="error",
    summary="Two tools have the same name.",
    explanation="""
        `tools: Tool names must be unique.` (tailcallhq/forgecode#892, microsoft/vscode#276110,
        anthropics/claude-code#10687).  Server tools count with their fixed names (two
        `web_search_*` tools are both named `web_search`).
    """,
    bad=_req(_ASK, tools=f"{_TOOL}, {_TOOL}"),
    good=_req(_ASK, tools=f'{_TOOL}, {{"name": "get_time", "input_schema": {{"type": "object"}}}}'),
    runner="request",
)
def duplicate_tool_name(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    seen: dict[str, int] = {}
    for i, tool in ctx.tools:
        name = tool.get("name")
        if not isinstance(name, str):
            continue
        if name in seen:
            yield duplicate_tool_name.rule.diagnostic(
                f"tools: Tool names must be unique. ({name!r} is also tools.{seen[name]})",
                Location(pointer=f"/tools/{i}/name"),
            )
        else:
            seen[name] = i


@rule(
    "T003",
    "tool-choice-unknown-tool",
    severity="error",
    summary="`tool_choice` names a tool that is not in `tools`.",
    explanation="""
        With `tool_choice: {"type": "tool", "name": ...}` the named tool must be defined:
        otherwise the server answers `Tool 'web_search' not found in provided tools` (no
        path prefix).  Requests that also carry MCP servers or toolsets are skipped, since
        their tool names are only known at run time.
    """,
    bad=_req(_ASK, extra=', "tool_choice": {"type": "tool", "name": "get_wether"}'),
    good=_req(_ASK, extra=', "tool_choice": {"type": "tool", "name": "get_weather"}'),
    runner="request",
)
def tool_choice_unknown(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    choice = request.get("tool_choice")
    if not isinstance(choice, dict) or choice.get("type") != "tool" or not isinstance(choice.get("name"), str):
        return
    if request.get("mcp_servers") or any(t.get("type") == "mcp_toolset" for _, t in ctx.tools):
        return
    names = {t.get("name") for _, t in ctx.tools}
    if choice["name"] not in names:
        yield tool_choice_unknown.rule.diagnostic(
            f"Tool '{choice['name']}' not found in provided tools", Location(pointer="/tool_choice/name")
        )


def _ids(entries: Iterable[Entry], key: str) -> list[tuple[int, int, str]]:
    """(index, position, id) of the blocks among ``entries`` whose ``key`` is a string."""
    return [(i, j, block[key]) for i, j, block in entries if isinstance(block.get(key), str)]


#: Up to this many tool_use and tool_result blocks, T004 and T005 first ask :func:`_paired`.
PAIRED_UP_TO = 4096


def _paired(ctx: RequestContext) -> bool:
    """Whether every tool call of an assistant turn is answered in the user turn after it and
    every tool result of a user turn answers a call of the assistant turn before it, that is
    whether T004 and T005 are both silent (asked once for both).

    T004 is silent when each ``(turn + 1, id)`` of the calls is a ``(turn, id)`` of the
    results, T005 when the converse holds: both, when the two sets are equal.  Past
    :data:`PAIRED_UP_TO` blocks the sets are not built (their memory would grow with the
    request), and the rules judge turn by turn.
    """
    found = ctx.cache.get("tools_paired")
    if found is None:
        found = ctx.cache["tools_paired"] = _pairs_match(ctx)
    return bool(found)


def _pairs_match(ctx: RequestContext) -> bool:
    uses, results = ctx.blocks_of("tool_use"), ctx.blocks_of("tool_result")
    if len(uses) + len(results) > PAIRED_UP_TO:
        return False
    turns = ctx.turns
    merged = len(turns) < len(ctx.messages)  # else turn t is message t
    called, answered = set(), set()
    for i, _, block in uses:
        tid = block.get("id")
        t = turns.of(i) if merged else i
        if isinstance(tid, str) and turns.role(t) == "assistant":
            called.add((t + 1, tid))
    for i, _, block in results:
        tid = block.get("tool_use_id")
        t = turns.of(i) if merged else i
        if isinstance(tid, str) and turns.role(t) == "user":
            answered.add((t, tid))
    return called == answered


def _by_turn(ctx: RequestContext, kind: str, key: str, role: str) -> Iterator[tuple[int, list[tuple[int, int, str]]]]:
    """(turn, the (index, position, id) of its ``kind`` blocks) for each turn of ``role``
    with such blocks (with a string ``key``), in order."""
    entries = ctx.blocks_of(kind)
    if not isinstance(entries, list) or not entries:
        return
    turns = ctx.turns
    for t, group in turns.groups(entries):
        if turns.role(t) == role:
            found = _ids(group, key)
            if found:
                yield t, found


class _Walk:
    """Entries in document order, read by spans of messages that only move forward."""

    __slots__ = ("at", "entries")

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries, self.at = entries, 0

    def within(self, span: range) -> Sequence[Entry]:
        """The entries in the messages of ``span`` (each span after the ones asked before)."""
        entries, k = self.entries, self.at
        while k < len(entries) and entries[k][0] < span.start:
            k += 1
        first = k
        while k < len(entries) and entries[k][0] < span.stop:
            k += 1
        self.at = first
        return entries[first:k]


@rule(
    "T004",
    "tool-use-without-result",
    severity="error",
    summary="A `tool_use` block has no `tool_result` in the next message.",
    explanation="""
        ``messages.22: `tool_use` ids were found without `tool_result` blocks immediately
        after: toolu_01Hq…. Each `tool_use` block must have a corresponding `tool_result`
        block in the next message.`` (anthropics/claude-code#1237, Kilo-Org/kilocode#5163).
        Before 2025 the text was ``Did not find 1 `tool_result` block(s) at the beginning of
        this message.``  Every tool call in an assistant turn is answered in the user turn
        right after it (consecutive messages of one role count as one turn, as the API
        merges them); a tool call in the final assistant message has no answer at all.
    """,
    bad=_req(f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, {{"role": "user", "content": "Well?"}}'),
    good=_req(f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, {{"role": "user", "content": [{_RESULT}]}}'),
    runner="request",
)
def tool_use_without_result(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if _paired(ctx):
        return
    turns = ctx.turns
    results = _Walk(ctx.blocks_of("tool_result"))
    for t, uses in _by_turn(ctx, "tool_use", "id", "assistant"):
        answered: set[str] = set()
        if t + 1 < len(turns) and turns.role(t + 1) == "user":
            answered = {tid for _, _, tid in _ids(results.within(turns.span(t + 1)), "tool_use_id")}
        missing = [tid for _, _, tid in uses if tid not in answered]
        if not missing:
            continue
        at = turns.span(t + 1).start if t + 1 < len(turns) else turns.span(t)[-1]
        first_missing = next(content_pointer(i, j) for i, j, tid in uses if tid in missing)
        yield tool_use_without_result.rule.diagnostic(
            f"messages.{at}: `tool_use` ids were found without `tool_result` blocks immediately after: "
            f"{', '.join(missing)}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.",
            Location(pointer=first_missing),
            hint="answer every tool call with a tool_result block in the next user message",
        )


@rule(
    "T005",
    "tool-result-without-use",
    severity="error",
    summary="A `tool_result` answers no `tool_use` of the previous assistant message.",
    explanation="""
        ``messages.48.content.1: unexpected `tool_use_id` found in `tool_result` blocks:
        toolu_019E…. Each `tool_result` block must have a corresponding `tool_use` block in
        the previous message.`` (anthropics/claude-code#13460, #18947).  It also happens at
        `messages.0` when a history was truncated between a tool call and its result.
    """,
    bad=_req(f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, '
             '{"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_02", "content": "18 C"}]}'),
    good=_req(f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, {{"role": "user", "content": [{_RESULT}]}}'),
    runner="request",
)
def tool_result_without_use(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if _paired(ctx):
        return
    turns = ctx.turns
    uses = _Walk(ctx.blocks_of("tool_use"))
    for t, results in _by_turn(ctx, "tool_result", "tool_use_id", "user"):
        called: set[str] = set()
        if t > 0 and turns.role(t - 1) == "assistant":
            called = {tid for _, _, tid in _ids(uses.within(turns.span(t - 1)), "id")}
        for i, j, tid in results:
            if tid not in called:
                pointer = content_pointer(i, j)
                path = pointer.lstrip("/").replace("/", ".")
                yield tool_result_without_use.rule.diagnostic(
                    f"{path}: unexpected `tool_use_id` found in `tool_result` blocks: {tid}. Each `tool_result` block "
                    "must have a corresponding `tool_use` block in the previous message.",
                    Location(pointer=pointer + "/tool_use_id"),
                )


#: The id member of each block type with one: a tool call's own, a result's the call's.
_ID_KEYS = {**dict.fromkeys(TOOL_BLOCKS, "id"), **dict.fromkeys(("tool_result", *SERVER_TOOL_RESULT_TYPES), "tool_use_id")}


@rule(
    "T006",
    "tool-use-id-pattern",
    severity="error",
    summary="A tool use id must match `^[a-zA-Z0-9_-]+$`.",
    explanation="""
        `messages.N.content.M.tool_use.id: String should match pattern '^[a-zA-Z0-9_-]+$'`
        (screenpipe/screenpipe PR#3252, maximhq/bifrost#5097).  Ids copied from other
        providers (`functions.Bash:0`, `call_…` with dots) fail; the same holds for the
        `tool_use_id` of a result.  Rewrite them consistently on both sides.
    """,
    bad=_req(
        f'{_ASK}, {{"role": "assistant", "content": [{_USE.replace("toolu_01", "functions.get_weather:0")}]}}, '
        f'{{"role": "user", "content": [{_RESULT.replace("toolu_01", "functions.get_weather:0")}]}}'
    ),
    good=_req(f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, {{"role": "user", "content": [{_RESULT}]}}'),
    runner="request",
)
def tool_use_id_pattern(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for i, j, block in ctx.blocks_of(*_ID_KEYS):
        kind = block["type"]
        key = _ID_KEYS[kind]
        value = block.get(key)
        if isinstance(value, str) and not TOOL_ID.fullmatch(value):
            yield tool_use_id_pattern.rule.diagnostic(
                f"messages.{i}.content.{j}.{kind}.{key}: String should match pattern '^[a-zA-Z0-9_-]+$' (got {value!r})",
                Location(pointer=f"{content_pointer(i, j)}/{key}"),
            )


@rule(
    "T008",
    "tool-result-not-first",
    severity="error",
    summary="In the message answering tool calls, `tool_result` blocks must come first.",
    explanation="""
        The pre-2025 wording states the ordering rule: ``Did not find 1 `tool_result`
        block(s) at the beginning of this message. Messages following `tool_use` blocks must
        begin with a matching number of `tool_result` blocks.`` (theredsix/cerebellum#5,
        anthropics/claude-code#37).  The tool-use documentation says the same: in the user
        message containing tool results, the tool_result blocks come first and any text
        after them.
    """,
    bad=_req(
        f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, '
        f'{{"role": "user", "content": [{{"type": "text", "text": "Here you go"}}, {_RESULT}]}}'
    ),
    good=_req(
        f'{_ASK}, {{"role": "assistant", "content": [{_USE}]}}, '
        f'{{"role": "user", "content": [{_RESULT}, {{"type": "text", "text": "Here you go"}}]}}'
    ),
    runner="request",
)
def tool_result_not_first(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    results = ctx.blocks_of("tool_result")
    k, n = 0, len(results)
    while k < n:
        i = results[k][0]
        first = k
        while k < n and results[k][0] == i:
            k += 1
        if ctx.role(i) != "user":
            continue
        if ctx.message_blocks(i)[k - first - 1] is results[k - 1]:
            continue  # the message's tool results are its first blocks
        seen_other: int | None = None
        other_type: object = None
        for _, j, block in ctx.message_blocks(i):
            if block.get("type") == "tool_result":
                if seen_other is not None:
                    yield tool_result_not_first.rule.diagnostic(
                        f"messages.{i}: tool_result blocks must come first in the message; "
                        f"content.{seen_other} ({other_type}) comes before content.{j}",
                        Location(pointer=content_pointer(i, j)),
                        hint="move the tool_result blocks to the start of the message, text after them",
                    )
                    break
            elif seen_other is None:
                seen_other, other_type = j, block.get("type")


@rule(
    "T009",
    "server-tool-result-without-use",
    severity="error",
    summary="A server tool result block answers no earlier `server_tool_use` block.",
    explanation="""
        ``messages.7.content.0: unexpected `tool_use_id` found in `advisor_tool_result`
        blocks: srvtoolu_01Jj…. Each `advisor_tool_result` block must have a corresponding
        `server_tool_use` block before it.`` (anthropics/claude-code#64383, #80439).  The
        same pairing holds for every server tool result (`web_search_tool_result`,
        `web_fetch_tool_result`, `code_execution_tool_result`...) and for `mcp_tool_result`
        with `mcp_tool_use`.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "tools": [{"type": "web_search_20250305", "name": "web_search"}], '
    '"messages": [{"role": "user", "content": "News?"}, {"role": "assistant", "content": ['
    '{"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": []}, {"type": "text", "text": "Nothing."}]}, '
    '{"role": "user", "content": "Thanks"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "tools": [{"type": "web_search_20250305", "name": "web_search"}], '
    '"messages": [{"role": "user", "content": "News?"}, {"role": "assistant", "content": ['
    '{"type": "server_tool_use", "id": "srvtoolu_01", "name": "web_search", "input": {"query": "news"}}, '
    '{"type": "web_search_tool_result", "tool_use_id": "srvtoolu_01", "content": []}, {"type": "text", "text": "Nothing."}]}, '
    '{"role": "user", "content": "Thanks"}]}',
    runner="request",
)
def server_tool_result_without_use(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if not any(True for _ in ctx.blocks_of(*SERVER_TOOL_RESULT_TYPES)):
        return
    seen: set[str] = set()
    for i, j, block in ctx.blocks_of("server_tool_use", "mcp_tool_use", *SERVER_TOOL_RESULT_TYPES):
        kind = block["type"]
        if kind in ("server_tool_use", "mcp_tool_use"):
            if isinstance(block.get("id"), str):
                seen.add(block["id"])
        elif isinstance(block.get("tool_use_id"), str):
            tid = block["tool_use_id"]
            if tid not in seen:
                use = "mcp_tool_use" if kind == "mcp_tool_result" else "server_tool_use"
                yield server_tool_result_without_use.rule.diagnostic(
                    f"messages.{i}.content.{j}: unexpected `tool_use_id` found in `{kind}` blocks: {tid}. "
                    f"Each `{kind}` block must have a corresponding `{use}` block before it.",
                    Location(pointer=f"{content_pointer(i, j)}/tool_use_id"),
                )


@rule(
    "T010",
    "duplicate-tool-use-id",
    severity="error",
    summary="Two tool use blocks in the conversation share an id.",
    explanation="""
        Tool results are matched to tool calls by id, so ids must be unique across the
        conversation; the server rejects duplicates (``tool_use` ids must be unique``).
        Duplicates usually come from replaying a turn twice or from a client that numbers
        ids per turn.
    """,
    bad=_req(
        f'{_ASK}, {{"role": "assistant", "content": [{_USE}, {_USE}]}}, '
        f'{{"role": "user", "content": [{_RESULT}, {_RESULT}]}}'
    ),
    good=_req(
        f'{_ASK}, {{"role": "assistant", "content": [{_USE}, {_USE.replace("toolu_01", "toolu_02")}]}}, '
        f'{{"role": "user", "content": [{_RESULT}, {_RESULT.replace("toolu_01", "toolu_02")}]}}'
    ),
    runner="request",
)
def duplicate_tool_use_id(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    seen: dict[str, tuple[int, int]] = {}
    for i, j, block in ctx.blocks_of(*TOOL_BLOCKS):
        tid = block.get("id")
        if isinstance(tid, str):
            if tid in seen:
                yield duplicate_tool_use_id.rule.diagnostic(
                    f"messages.{i}.content.{j}: `tool_use` ids must be unique ({tid} is also at {content_pointer(*seen[tid])})",
                    Location(pointer=content_pointer(i, j) + "/id"),
                )
            else:
                seen[tid] = (i, j)
