"""One Message as the stream of SSE events the API would send for it.

:func:`message_events` gives the events, in the API's order: ``message_start`` (the
Message with empty content, no stop reason, and its usage with ``output_tokens`` at the
count so far), a ``ping``, then per content block ``content_block_start``, its deltas and
``content_block_stop``, then ``message_delta`` (stop reason, stop sequence and the whole
final usage) and ``message_stop``.  Text and thinking go in chunks of ``chunk`` characters
(``text_delta``, ``thinking_delta``), a thinking block's signature in one
``signature_delta``, a tool's input as its JSON text in ``input_json_delta`` chunks, a
text block's citations one ``citations_delta`` each; every other block (redacted thinking,
server tool results...) starts whole.

The invariant, checked by a property test: replaying the events (the SDK-exact
:class:`~transcript.stream.replayer.Replayer`) gives the Message back, field for field
(``stop_details`` is ``null`` in a replayed Message that had none, as the SDK sets it).

:func:`encode_event` writes one event as ``event: NAME\\ndata: JSON\\n\\n``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import orjson

from transcript.protocol.vocabulary import TOOL_BLOCKS

__all__ = ["message_events", "encode_event", "render_sse", "error_event", "CHUNK"]

#: Characters of text per delta by default.
CHUNK = 24

Event = tuple[str, dict[str, Any]]


def _chunks(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _block_events(index: int, block: dict[str, Any], chunk: int) -> Iterator[Event]:
    btype = block.get("type")
    start = copy.deepcopy(block)
    deltas: list[dict[str, Any]] = []
    if btype == "text" and isinstance(block.get("text"), str):
        start["text"] = ""
        deltas = [{"type": "text_delta", "text": piece} for piece in _chunks(block["text"], chunk)]
        citations = block.get("citations")
        if isinstance(citations, list) and citations:
            start["citations"] = []
            deltas += [{"type": "citations_delta", "citation": c} for c in citations]
    elif btype == "thinking" and isinstance(block.get("thinking"), str):
        start["thinking"] = ""
        start["signature"] = ""
        deltas = [{"type": "thinking_delta", "thinking": piece} for piece in _chunks(block["thinking"], chunk)]
        if "signature" in block:
            deltas.append({"type": "signature_delta", "signature": block["signature"]})
        else:
            del start["signature"]
    elif btype in TOOL_BLOCKS and isinstance(block.get("input"), dict) and block["input"]:
        start["input"] = {}
        text = orjson.dumps(block["input"]).decode("utf-8")
        deltas = [{"type": "input_json_delta", "partial_json": piece} for piece in _chunks(text, chunk)]
    yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": start}
    for delta in deltas:
        yield "content_block_delta", {"type": "content_block_delta", "index": index, "delta": delta}
    yield "content_block_stop", {"type": "content_block_stop", "index": index}


def message_events(message: dict[str, Any], *, chunk: int = CHUNK, ping: bool = True) -> Iterator[Event]:
    """The events that stream ``message`` (a Message as the API returns it)."""
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    raw_usage = message.get("usage")
    usage: dict[str, Any] = raw_usage if isinstance(raw_usage, dict) else {}
    start = {k: copy.deepcopy(v) for k, v in message.items() if k not in ("content", "stop_details")}
    start["content"] = []
    start["stop_reason"] = None
    start["stop_sequence"] = None
    start_usage = dict(usage)
    start_usage["output_tokens"] = min(1, usage.get("output_tokens", 0) or 0)
    start["usage"] = start_usage
    yield "message_start", {"type": "message_start", "message": start}
    if ping:
        yield "ping", {"type": "ping"}
    content = message.get("content")
    for index, block in enumerate(content if isinstance(content, list) else []):
        yield from _block_events(index, block, chunk)
    delta: dict[str, Any] = {"stop_reason": message.get("stop_reason"), "stop_sequence": message.get("stop_sequence")}
    if message.get("stop_details") is not None:
        delta["stop_details"] = message["stop_details"]
    final_usage = {k: v for k, v in usage.items() if v is not None}
    final_usage.setdefault("output_tokens", 0)
    yield "message_delta", {"type": "message_delta", "delta": delta, "usage": final_usage}
    yield "message_stop", {"type": "message_stop"}


def encode_event(name: str, data: dict[str, Any]) -> bytes:
    """One SSE event: ``event: NAME``, ``data: JSON`` and the blank line that dispatches it."""
    return b"event: " + name.encode("ascii") + b"\ndata: " + orjson.dumps(data) + b"\n\n"


def error_event(type_: str, message: str) -> bytes:
    """An ``error`` event inside a 200 stream (how the API reports an overload mid-stream)."""
    return encode_event("error", {"type": "error", "error": {"type": type_, "message": message}})


def render_sse(message: dict[str, Any], *, chunk: int = CHUNK, ping: bool = True) -> bytes:
    """The whole stream of ``message`` as bytes."""
    return b"".join(encode_event(name, data) for name, data in message_events(message, chunk=chunk, ping=ping))
