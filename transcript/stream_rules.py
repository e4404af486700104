"""What a Messages event stream must look like: event types, block types, which delta fits
which block, and :func:`lint_stream`, the ``stream`` kind's check.

The order itself is checked by the replayer's state machine (:mod:`transcript.replay`),
which reports each violation with the ``S1xx`` rule objects of
:mod:`transcript.rules.stream` at the line of the event that breaks the order.  The tables
here follow the protocol catalogue (the official SDK's stable and beta stream types).
"""

from __future__ import annotations

from collections.abc import Mapping

from transcript.diagnostics import Diagnostic

__all__ = [
    "EVENT_TYPES",
    "BLOCK_TYPES",
    "DELTA_BLOCKS",
    "TOOL_BLOCKS",
    "block_kind",
    "lint_stream",
]

#: Every event type of the Messages stream, plus the wire-only ``ping`` and ``error``.
EVENT_TYPES = frozenset(
    {
        "message_start",
        "content_block_start",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
        "ping",
        "error",
    }
)

#: Response content block types (stable ``ContentBlock`` and beta ``BetaContentBlock``).
BLOCK_TYPES = frozenset(
    {
        "text",
        "thinking",
        "redacted_thinking",
        "tool_use",
        "server_tool_use",
        "web_search_tool_result",
        "web_fetch_tool_result",
        "code_execution_tool_result",
        "bash_code_execution_tool_result",
        "text_editor_code_execution_tool_result",
        "tool_search_tool_result",
        "container_upload",
        # beta
        "advisor_tool_result",
        "mcp_tool_use",
        "mcp_tool_result",
        "compaction",
        "fallback",
        "mcp_tool_listing",
    }
)

#: Blocks whose input arrives as ``input_json_delta`` pieces (beta adds ``mcp_tool_use``).
TOOL_BLOCKS = frozenset({"tool_use", "server_tool_use", "mcp_tool_use"})

# Block kinds the replayer distinguishes (small ints: compared by identity on the hot path).
TEXT, TOOL, THINKING, COMPACTION, OTHER, UNKNOWN = 0, 1, 2, 3, 4, 5

#: delta type -> the block kinds it may apply to
DELTA_BLOCKS: Mapping[str, frozenset[int]] = {
    "text_delta": frozenset({TEXT}),
    "citations_delta": frozenset({TEXT}),
    "input_json_delta": frozenset({TOOL}),
    "thinking_delta": frozenset({THINKING}),
    "signature_delta": frozenset({THINKING}),
    "compaction_delta": frozenset({COMPACTION}),
}

#: which block types each delta type fits, for messages
DELTA_FITS: Mapping[str, str] = {
    "text_delta": "text",
    "citations_delta": "text",
    "input_json_delta": "tool_use, server_tool_use or mcp_tool_use",
    "thinking_delta": "thinking",
    "signature_delta": "thinking",
    "compaction_delta": "compaction",
}


def block_kind(block_type: object) -> int:
    if not isinstance(block_type, str):
        return UNKNOWN
    if block_type == "text":
        return TEXT
    if block_type in TOOL_BLOCKS:
        return TOOL
    if block_type == "thinking":
        return THINKING
    if block_type == "compaction":
        return COMPACTION
    if block_type in BLOCK_TYPES:
        return OTHER
    return UNKNOWN


def lint_stream(
    data: bytes,
    *,
    strict: bool = False,
    to: str | None = None,
    input_format: str | None = None,
) -> list[Diagnostic]:
    """Every diagnostic for a capture (all its streams), sorted; locations without a file."""
    from transcript.diagnostics import sort_diagnostics
    from transcript.replay import replay_all

    diagnostics: list[Diagnostic] = []
    for result in replay_all(data, strict=strict, to=to, input_format=input_format):
        diagnostics.extend(result.diagnostics)
    return sort_diagnostics(diagnostics)
