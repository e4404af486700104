"""Prompt-caching rules (``C``): how many ``cache_control`` breakpoints, and their TTL order."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location
from transcript.core.registry import rule
from transcript.request.context import RequestContext, content_pointer

MAX_BREAKPOINTS = 4

_CC = '"cache_control": {"type": "ephemeral"}'
_CC_1H = '"cache_control": {"type": "ephemeral", "ttl": "1h"}'


def _block(text: str, cc: str = _CC) -> str:
    return f'{{"type": "text", "text": "{text}", {cc}}}'


def _req(system: str, messages: str) -> str:
    return f'{{"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": [{system}], "messages": [{messages}]}}'


@rule(
    "C001",
    "too-many-cache-breakpoints",
    severity="error",
    summary="More than 4 `cache_control` breakpoints in one request.",
    explanation="""
        `A maximum of 4 blocks with cache_control may be provided. Found 5.` (no field path;
        tghamm/Anthropic.SDK#50, ObservedObserver/async-code#34).  Breakpoints are counted
        across `tools`, `system` and `messages` (including blocks inside tool results), and
        the top-level `cache_control` (automatic caching) takes one more.  The diagnostic
        points at the first breakpoint over the limit.
    """,
    bad=_req(
        f'{_block("a")}, {_block("b")}, {_block("c")}',
        f'{{"role": "user", "content": [{_block("d")}, {_block("e")}]}}',
    ),
    good=_req(
        f'{_block("a")}, {_block("b")}, {_block("c")}',
        f'{{"role": "user", "content": [{{"type": "text", "text": "d"}}, {_block("e")}]}}',
    ),
    runner="request",
)
def too_many_breakpoints(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    points = list(ctx.cache_breakpoints())
    if len(points) > MAX_BREAKPOINTS:
        yield too_many_breakpoints.rule.diagnostic(
            f"A maximum of {MAX_BREAKPOINTS} blocks with cache_control may be provided. Found {len(points)}.",
            Location(pointer=points[MAX_BREAKPOINTS][0]),
            hint="keep breakpoints on the last tool, the system prompt and the last one or two messages",
        )


def _ttl(cc: dict[str, Any]) -> str | None:
    ttl = cc.get("ttl", "5m")
    if ttl is None:
        ttl = "5m"
    return ttl if ttl in ("5m", "1h") else None


@rule(
    "C002",
    "cache-ttl-order",
    severity="error",
    summary="A 1-hour cache breakpoint comes after a 5-minute one.",
    explanation="""
        ``messages.0.content.4.cache_control.ttl: a ttl='1h' cache_control block must not
        come after a ttl='5m' cache_control block. Note that blocks are processed in the
        following order: `tools`, `system`, `messages`.`` (cnighswonger/claude-code-cache-fix#44,
        headroomlabs-ai/headroom#2939).  A breakpoint without `ttl` is a 5-minute one.  Put
        the 1-hour breakpoints first in processing order.
    """,
    bad=_req(_block("Rules."), f'{{"role": "user", "content": [{_block("Hello", _CC_1H)}]}}'),
    good=_req(_block("Rules.", _CC_1H), f'{{"role": "user", "content": [{_block("Hello")}]}}'),
    runner="request",
)
def cache_ttl_order(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    seen_5m = False
    for pointer, cc in ctx.cache_breakpoints():
        ttl = _ttl(cc)
        if ttl == "5m":
            seen_5m = True
        elif ttl == "1h" and seen_5m:
            path = pointer.lstrip("/").replace("/", ".")
            yield cache_ttl_order.rule.diagnostic(
                f"{path}.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. "
                "Note that blocks are processed in the following order: `tools`, `system`, `messages`.",
                Location(pointer=pointer + ("/ttl" if "ttl" in cc else "")),
            )


@rule(
    "C003",
    "cache-control-on-empty-text",
    severity="error",
    summary="`cache_control` is set on an empty text block.",
    explanation="""
        An empty text block cannot carry a cache breakpoint: the server answers
        `system.0: cache_control cannot be set for empty text blocks`.  Empty text blocks in
        `messages` are refused anyway (M005); this rule covers `system` and tool results.
    """,
    bad=_req(_block(""), '{"role": "user", "content": "Hello"}'),
    good=_req(_block("You are terse."), '{"role": "user", "content": "Hello"}'),
    runner="request",
)
def cache_control_empty_text(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    system = request.get("system")
    if isinstance(system, list):
        for j, block in enumerate(system):
            if _empty_cached_text(block):
                yield cache_control_empty_text.rule.diagnostic(
                    f"system.{j}: cache_control cannot be set for empty text blocks",
                    Location(pointer=f"/system/{j}/cache_control"),
                )
    for i, j, block in ctx.blocks_of("tool_result"):
        content = block.get("content")
        if not isinstance(content, list):
            continue
        for k, inner in enumerate(content):
            if _empty_cached_text(inner):
                pointer = f"{content_pointer(i, j)}/content/{k}"
                yield cache_control_empty_text.rule.diagnostic(
                    f"{pointer.lstrip('/').replace('/', '.')}: cache_control cannot be set for empty text blocks",
                    Location(pointer=pointer + "/cache_control"),
                )


def _empty_cached_text(block: object) -> bool:
    return (
        isinstance(block, dict)
        and block.get("type") == "text"
        and block.get("text") == ""
        and isinstance(block.get("cache_control"), dict)
    )
