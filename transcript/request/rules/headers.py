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
    for i in range(len(ctx.messages)):
        for j, block in ctx.blocks(i):
            tool = block.get("tool") if block.get("type") == "tool_addition" else None
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


def beta_uses(request: dict[str, Any], ctx: RequestContext) -> Iterator[tuple[str, str, str]]:
    """(pointer, beta, what) for each part of ``request`` that needs an ``anthropic-beta``."""
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
        as the SDK's docstrings state, and the beta tools whose type carries the date of
        their beta (`computer_20250124` with `computer-use-2025-01-24`...).  When the
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
    for pointer, beta, what in beta_uses(request, ctx):
        if beta not in ctx.betas:
            yield beta_without_header.rule.diagnostic(
                f"{what} needs the `{beta}` beta, which the request's `anthropic-beta` header does not name",
                Location(pointer=pointer),
                hint=f"send 'anthropic-beta: {beta}'",
            )
