"""The replayer's view of the protocol vocabulary: content blocks as small integer kinds.

Derived from :mod:`transcript.protocol.vocabulary`; the integers are compared by identity
on the replayer's hot path, and the frozensets make membership tests constant-time.
"""

from __future__ import annotations

from collections.abc import Mapping

from transcript.protocol.vocabulary import (
    BLOCK_TYPES,
    DELTA_BLOCKS,
    EVENT_TYPES,
    TOOL_BLOCKS,
)

__all__ = ["TEXT", "TOOL", "THINKING", "COMPACTION", "OTHER", "UNKNOWN", "EVENTS", "DELTA_KINDS", "DELTA_FITS", "block_kind"]

# Block kinds the replayer distinguishes.
TEXT, TOOL, THINKING, COMPACTION, OTHER, UNKNOWN = 0, 1, 2, 3, 4, 5

_KNOWN_BLOCKS = frozenset(BLOCK_TYPES)
_TOOL_BLOCKS = frozenset(TOOL_BLOCKS)

#: Every event type, for constant-time membership.
EVENTS = frozenset(EVENT_TYPES)


def block_kind(block_type: object) -> int:
    """The kind of a content block ``type`` (``UNKNOWN`` for a type the protocol does not name)."""
    if not isinstance(block_type, str):
        return UNKNOWN
    if block_type == "text":
        return TEXT
    if block_type in _TOOL_BLOCKS:
        return TOOL
    if block_type == "thinking":
        return THINKING
    if block_type == "compaction":
        return COMPACTION
    if block_type in _KNOWN_BLOCKS:
        return OTHER
    return UNKNOWN


#: delta type -> the block kinds it may apply to
DELTA_KINDS: Mapping[str, frozenset[int]] = {
    delta: frozenset(block_kind(b) for b in blocks) for delta, blocks in DELTA_BLOCKS.items()
}

#: delta type -> the block types it fits, as a message names them
DELTA_FITS: Mapping[str, str] = {
    delta: blocks[0] if len(blocks) == 1 else ", ".join(blocks[:-1]) + " or " + blocks[-1]
    for delta, blocks in DELTA_BLOCKS.items()
}
