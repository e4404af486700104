"""What belongs in the HTTP headers rather than the body, and the betas a body needs.

The official SDK takes ``betas``, ``user_profile_id`` and ``workspace_id`` as keyword
arguments but sends them as the ``anthropic-beta``, ``anthropic-user-profile-id`` and
``anthropic-workspace-id`` headers; in a body they are unknown fields.  The betas a request
is sent with come from ``--beta``, the ``betas`` config key, or the request headers of a
capture (a HAR entry, ``curl -v``/``-i`` output, a recorded request file).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location
from transcript.core.registry import rule
from transcript.request.context import RequestContext, content_pointer

#: Body field -> (the header the SDK sends it as, how its value is written there).
HEADER_ONLY: Mapping[str, tuple[str, str]] = {
    "betas": ("anthropic-beta", "the names joined by commas"),
    "user_profile_id": ("anthropic-user-profile-id", "the id"),
    "workspace_id": ("anthropic-workspace-id", "the id"),
}


@rule(
    "R016",
    "header-field-in-body",
    severity="error",
    summary="`betas`, `user_profile_id` or `workspace_id` in the body: they are HTTP headers.",
    explanation="""
        The SDK's `messages.create(betas=[...], user_profile_id=..., workspace_id=...)`
        sends these as the `anthropic-beta`, `anthropic-user-profile-id` and
        `anthropic-workspace-id` request headers (anthropic 2.15.0,
        `resources/beta/messages/messages.py`); the body schema has no such fields, and the
        server answers a body that carries one with `Extra inputs are not permitted`.  Move
        the value to its header (for `betas`, the names joined by commas).
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "betas": ["context-1m-2025-08-07"], "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def header_field_in_body(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    for name, (header, how) in HEADER_ONLY.items():
        if name in request:
            yield header_field_in_body.rule.diagnostic(
                f"{name}: not a body field; it belongs in the `{header}` HTTP header ({how}): "
                "Extra inputs are not permitted",
                Location(pointer=f"/{name}"),
                hint=f"send it as '{header}: ...' and remove it from the body",
            )


def _fallback_overrides(request: dict[str, Any]) -> Iterator[str]:
    fallbacks = request.get("fallbacks")
    if isinstance(fallbacks, list):
        for i, entry in enumerate(fallbacks):
            if isinstance(entry, dict):
                for key in ("max_tokens", "output_config", "speed", "thinking"):
                    if key in entry:
                        yield f"/fallbacks/{i}/{key}"


def _tool_definitions(ctx: RequestContext) -> Iterator[tuple[str, str]]:
    """(pointer, beta) of every inline tool definition in a tool_addition block."""
    for i, j, block in ctx.blocks_of("tool_addition"):
        tool = block.get("tool")
        if isinstance(tool, dict) and tool.get("type") == "tool_definition":
            pointer = content_pointer(i, j) + "/tool"
            yield pointer, "inline-tools-2026-09-15"
            definition = tool.get("definition")
            if isinstance(definition, dict) and definition.get("type") == "mcp_toolset":
                yield pointer + "/definition", "mcp-client-2026-09-15"


#: Tool types that exist only under a beta of the same date.
BETA_TOOLS: Mapping[str, str] = {
    "computer_20241022": "computer-use-2024-10-22",
    "computer_20250124": "computer-use-2025-01-24",
    "computer_20251124": "computer-use-2025-11-24",
    "advisor_20260301": "advisor-tool-2026-03-01",
}


#: Features whose beta the SDK names after them (its ``AnthropicBetaParam`` list): any of
#: the versions listed turns the feature on.
_MCP = ("mcp-client-2025-04-04", "mcp-client-2025-11-20", "mcp-client-2026-09-15")
_FALLBACK = ("server-side-fallback-2026-06-01", "server-side-fallback-2026-07-01")


def _named_beta_uses(request: dict[str, Any], ctx: RequestContext) -> Iterator[tuple[str, tuple[str, ...], str]]:
    if "mcp_servers" in request:
        yield "/mcp_servers", _MCP, "mcp_servers"
    if isinstance(request.get("fallbacks"), list):
        yield "/fallbacks", _FALLBACK, "fallbacks"
    edits = request.get("context_management")
    edits = edits.get("edits") if isinstance(edits, dict) else None
    for k, edit in enumerate(edits if isinstance(edits, list) else ()):
        if isinstance(edit, dict) and edit.get("type") == "compact_20260112":
            yield f"/context_management/edits/{k}", ("compact-2026-01-12",), "the compact_20260112 edit"
        elif isinstance(edit, dict):
            yield f"/context_management/edits/{k}", ("context-management-2025-06-27",), "context_management edits"
    if "thread" in request and request["thread"] is not None:
        yield "/thread", ("message-threads-2026-08-12",), "thread"
    thinking = request.get("thinking")
    if isinstance(thinking, dict) and thinking.get("block_binding") is not None:
        yield "/thinking/block_binding", ("thinking-binding-controls-2026-08-01",), "thinking.block_binding"
    if isinstance(thinking, dict) and thinking.get("display") == "updates":
        yield "/thinking/display", ("thinking-display-updates-2026-08-18",), '`thinking.display: "updates"`'
    config = request.get("output_config")
    if isinstance(config, dict) and config.get("task_budget") is not None:
        yield "/output_config/task_budget", ("task-budgets-2026-03-13",), "output_config.task_budget"
    changes = iter(ctx.blocks_of("tool_addition", "tool_removal"))
    change = next(changes, None)
    for i, msg in enumerate(ctx.messages):
        if not isinstance(msg, dict):
            continue
        if msg.get("role") == "system" and msg.get("clear_at") is not None:
            yield f"/messages/{i}/clear_at", ("mid-conversation-system-clear-at-2026-08-21",), "a system message's clear_at"
        if msg.get("role") == "system" and msg.get("output_config") is not None:
            yield f"/messages/{i}/output_config", ("mid-conversation-output-config-2026-07-01",), "a system message's output_config"
        while change is not None and change[0] == i:  # the message's tool_addition and tool_removal blocks
            yield content_pointer(i, change[1]), ("mid-conversation-tool-changes-2026-07-01",), f"a {change[2]['type']} block"
            change = next(changes, None)
    for i, tool in ctx.tools:
        if tool.get("type") == "mcp_toolset":
            yield f"/tools/{i}", _MCP[1:], "an mcp_toolset tool"


def beta_uses(request: dict[str, Any], ctx: RequestContext) -> Iterator[tuple[str, tuple[str, ...], str]]:
    """(pointer, the betas any of which turns it on, what) for each part of ``request`` that
    needs an ``anthropic-beta``."""
    for pointer, beta, what in _documented_beta_uses(request, ctx):
        yield pointer, (beta,), what
    yield from _named_beta_uses(request, ctx)


def _documented_beta_uses(request: dict[str, Any], ctx: RequestContext) -> Iterator[tuple[str, str, str]]:
    """The uses the SDK's docstrings tie to a beta, and the beta tools named by their date."""
    token = request.get("fallback_credit_token")
    if isinstance(token, dict):
        yield "/fallback_credit_token", "fallback-credit-2026-07-01", "the object form of fallback_credit_token"
    for pointer in _fallback_overrides(request):
        yield pointer, "server-side-fallback-2026-07-01", "a per-fallback override"
    if request.get("speed") == "fast":
        yield "/speed", "fast-mode-2026-02-01", '`speed: "fast"` (on the models that require it)'
    for pointer, beta in _tool_definitions(ctx):
        yield pointer, beta, "an inline tool definition" if beta.startswith("inline") else "an MCP toolset definition"
    for i, tool in ctx.tools:
        kind = tool.get("type")
        tool_beta = BETA_TOOLS.get(kind) if isinstance(kind, str) else None
        if tool_beta is not None:
            yield f"/tools/{i}", tool_beta, f"the {kind} tool"


@rule(
    "R017",
    "beta-field-without-its-beta",
    severity="warning",
    summary="A beta-only feature is used but the request's headers do not name its beta.",
    explanation="""
        Some body fields and tools exist only under an `anthropic-beta` header: the object
        form of `fallback_credit_token` (`fallback-credit-2026-07-01`: 'without that header
        the field accepts the bare string only'), the per-fallback overrides in `fallbacks`
        (`server-side-fallback-2026-07-01`), `speed: "fast"` (`fast-mode-2026-02-01` on the
        models that require it), an inline `tool_definition` in a `tool_addition` block
        (`inline-tools-2026-09-15`; an `mcp_toolset` one also `mcp-client-2026-09-15`), all
        as the SDK's docstrings state; the beta tools whose type carries the date of their
        beta (`computer_20250124` with `computer-use-2025-01-24`...); and the features the
        SDK's beta names are named after (`mcp_servers` with an `mcp-client-*` beta,
        `fallbacks` with `server-side-fallback-*`, `context_management` edits, `thread`,
        `thinking.block_binding`, `output_config.task_budget`, a system message's
        `clear_at` and `output_config`, `tool_addition`/`tool_removal` blocks).  When the
        request's headers are known (`--beta`, the `betas` config key, or the headers of a
        HAR entry, a `curl -i` capture or a recorded request) and lack the beta, the
        warning names the header to add.  A body seen without its headers is not judged.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "fallback_credit_token": {"token": "tok_1"}, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "fallback_credit_token": "tok_1", "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
    example_options={"betas": ("interleaved-thinking-2025-05-14",)},
)
def beta_without_header(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if not ctx.knows_headers:
        return
    for pointer, betas, what in beta_uses(request, ctx):
        if ctx.betas.isdisjoint(betas):
            beta = betas[-1]
            others = f" (or {', '.join(f'`{b}`' for b in betas[:-1])})" if len(betas) > 1 else ""
            yield beta_without_header.rule.diagnostic(
                f"{what} needs the `{beta}` beta{others}, which the request's `anthropic-beta` header does not name",
                Location(pointer=pointer),
                hint=f"send 'anthropic-beta: {beta}'",
            )
