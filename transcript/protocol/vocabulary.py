"""The protocol's vocabulary, written once: stream events, content blocks, deltas, stop
reasons, usage fields, server tools, the legacy stop sequences and the targets.

Every other place takes these from here: the schema generator
(``scripts/build_schemas.py``), the replayer and the stream rules, the request rules and
the migration.  ``tests/test_vocabulary.py`` checks that the shipped schemas and the
replayer agree with them.  The values follow the protocol catalogue (the official SDK's
stable and beta types).  Tuples, not sets, where a value taken from a payload may be
compared against them: a ``type`` in a payload may be unhashable (a list).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

__all__ = [
    "EVENT_TYPES",
    "BLOCK_TYPES",
    "BETA_BLOCK_TYPES",
    "TOOL_BLOCKS",
    "DELTA_TYPES",
    "DELTA_BLOCKS",
    "STOP_REASONS",
    "USAGE_OPTIONAL",
    "THINKING_TYPES",
    "SERVER_TOOL_NAMES",
    "SERVER_TOOL_RESULT_TYPES",
    "LEGACY_HUMAN_STOPS",
    "TARGETS",
    "Target",
]

#: Every event type of the Messages stream, in protocol order, plus the wire-only ``ping``
#: and ``error``.
EVENT_TYPES = (
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
    "error",
)

#: Response content block types of the stable ``ContentBlock`` union.
STABLE_BLOCK_TYPES = (
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
)

#: Response content block types only the beta ``BetaContentBlock`` union has.
BETA_BLOCK_TYPES = (
    "advisor_tool_result",
    "mcp_tool_use",
    "mcp_tool_result",
    "compaction",
    "mcp_tool_listing",
    "fallback",
)

#: Every response content block type (stable and beta).
BLOCK_TYPES = STABLE_BLOCK_TYPES + BETA_BLOCK_TYPES

#: Blocks whose input arrives as ``input_json_delta`` pieces (beta adds ``mcp_tool_use``).
TOOL_BLOCKS = ("tool_use", "server_tool_use", "mcp_tool_use")

#: Delta type -> the block types it applies to.
DELTA_BLOCKS: Mapping[str, tuple[str, ...]] = {
    "text_delta": ("text",),
    "input_json_delta": TOOL_BLOCKS,
    "citations_delta": ("text",),
    "thinking_delta": ("thinking",),
    "signature_delta": ("thinking",),
    "compaction_delta": ("compaction",),
}

#: Every delta type of ``content_block_delta``.
DELTA_TYPES = tuple(DELTA_BLOCKS)

#: Why a Message stopped (``stop_reason``; ``null`` while streaming).
STOP_REASONS = (
    "end_turn",
    "max_tokens",
    "stop_sequence",
    "tool_use",
    "pause_turn",
    "refusal",
    "model_context_window_exceeded",
    "compaction",
)

#: The usage counts a ``message_delta`` may carry besides ``output_tokens``: the SDK
#: overwrites each only when it is not null (``output_tokens`` always).
USAGE_OPTIONAL = (
    "input_tokens",
    "cache_creation_input_tokens",
    "cache_read_input_tokens",
    "server_tool_use",
    "output_tokens_details",
    "iterations",
    "fallback_credit",
)

#: Content block types that hold model reasoning.
THINKING_TYPES = ("thinking", "redacted_thinking")

#: The names a ``server_tool_use`` block may carry.
SERVER_TOOL_NAMES = (
    "web_search",
    "web_fetch",
    "code_execution",
    "bash_code_execution",
    "text_editor_code_execution",
    "tool_search_tool_regex",
    "tool_search_tool_bm25",
    "advisor",
)

#: Result blocks written by server tools; each answers a server_tool_use (or mcp_tool_use) id.
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

#: The stop sequences the legacy Text Completions API always had: a completion that stops on
#: one ended its turn (``end_turn`` in the Messages API).
LEGACY_HUMAN_STOPS = ("\n\nHuman:", "\n\nHuman: ")

#: Where a request may be sent; each judges a few things differently.
TARGETS = ("anthropic", "bedrock", "vertex")
Target = Literal["anthropic", "bedrock", "vertex"]
