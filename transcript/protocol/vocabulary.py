"""The protocol's vocabulary: what a Messages event stream must look like (event types,
block types, which delta fits which block).

The order itself is checked by the replayer's state machine (:mod:`transcript.stream.replay`),
which reports each violation with the ``S1xx`` rule objects of
:mod:`transcript.stream.codes` at the line of the event that breaks the order.  The tables
here follow the protocol catalogue (the official SDK's stable and beta stream types).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "EVENT_TYPES",
    "BLOCK_TYPES",
    "DELTA_BLOCKS",
    "TOOL_BLOCKS",
    "block_kind",
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


#: Where a request may be sent; each judges a few things differently.
TARGETS = ("anthropic", "bedrock", "vertex")

# Tuples, not sets: a "type" taken from the payload may be unhashable (a list).
THINKING_TYPES = ("thinking", "redacted_thinking")

# Result blocks written by server tools; each answers a server_tool_use (or mcp_tool_use) id.
SERVER_TOOL_RESULT_TYPES = (
    "web_search_tool_result",
    "web_fetch_tool_result",
    "code_execution_tool_result",
    "bash_code_execution_tool_result",
    "text_editor_code_execution_tool_result",
    "tool_search_tool_result",
    "advisor_tool_result",
    "mcp_tool_result",
)
