"""The Message of a Messages stream, built event by event as the official SDK builds it.

:class:`MessageAccumulator` applies the events of a message, once the replayer has put
them in order, exactly as the SDK's ``MessageStream`` accumulates them (its beta
accumulator, a superset of the stable one), field for field:

- ``message_start`` gives the message; each ``content_block_start`` appends its block;
- ``text_delta`` / ``thinking_delta`` append text, ``signature_delta`` overwrites the
  signature, ``citations_delta`` appends a citation, ``compaction_delta`` overwrites the
  compaction block's ``content`` and ``encrypted_content``, ``input_json_delta`` pieces make
  the tool input;
- ``message_delta`` overwrites ``stop_reason``, ``stop_sequence`` and ``stop_details``
  unconditionally, ``container`` (and beta ``context_management``,
  ``input_transformations``) when not null, ``usage.output_tokens`` always, and the optional
  usage counts (``input_tokens``, cache counts, ``server_tool_use``,
  ``output_tokens_details``, ``iterations``, ``fallback_credit``) only when not null;
- a beta ``fallback`` block renames the message's ``model``.

Unlike the SDK it runs in linear time: text and tool JSON are kept as pieces, joined once
when the block stops (the tool JSON parsed once, never per delta), and memory holds the
Message being built plus a constant (the events are not kept).  It reports what is wrong
inside the message (``S1xx``: block indices, deltas that do not fit their block, tool
JSON that is invalid or unfinished, a missing usage); which events may come when is the
replayer's business (:mod:`transcript.stream.replayer`).

A tool block whose JSON is invalid or unfinished keeps its raw text as ``input`` (a string
where the protocol has an object, so it cannot be mistaken for real input); with
``partial_json=True`` it gets a best-effort parse instead
(:func:`transcript.stream.partial_json.parse_partial_json`).
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from typing import Any

import orjson

from transcript.core.diagnostics import Diagnostic
from transcript.core.jsontext import type_name
from transcript.protocol.vocabulary import USAGE_OPTIONAL
from transcript.stream import codes
from transcript.stream.blocks import (
    COMPACTION,
    DELTA_FITS,
    DELTA_KINDS,
    TEXT,
    THINKING,
    TOOL,
    UNKNOWN,
    block_kind,
)
from transcript.stream.events import at_line
from transcript.stream.partial_json import parse_partial_json
from transcript.stream.sdk_errors import TS_BAD_TOOL_JSON, TS_NO_USAGE

__all__ = ["MessageAccumulator"]

_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError
_loc = at_line

def _discard(text: str) -> int:
    return 0


_BUFFERED = frozenset({TEXT, TOOL, THINKING})

#: the deltas whose string field is appended to a buffered block: delta type -> (block kind, field)
_BUFFERED_DELTAS: dict[str, tuple[int, str]] = {
    "text_delta": (TEXT, "text"),
    "input_json_delta": (TOOL, "partial_json"),
    "thinking_delta": (THINKING, "thinking"),
}


class _Block:
    """A content block being built: its dict in the Message plus its pending pieces."""

    __slots__ = ("kind", "block", "buf", "write", "stopped", "line", "index", "late", "late_key")

    def __init__(self, kind: int, block: dict[str, Any], line: int, index: int) -> None:
        self.kind = kind
        self.block = block
        # Pieces are appended to a StringIO: amortised O(1) per piece, and its buffer holds
        # the characters only (a list of pieces would keep one str object per delta alive).
        # It is made with the first piece (``write`` is None until then): a block that gets
        # none costs no buffer (a stream of a million empty blocks would cost ~300 bytes each).
        self.buf: io.StringIO | None = None
        self.write: Callable[[str], int] | None = None if kind in _BUFFERED else _discard
        self.stopped = False
        self.line = line
        self.index = index
        # text that arrives after the block stopped (S105): kept apart, joined once
        self.late: io.StringIO | None = None
        self.late_key = ""

    def opened(self) -> Callable[[str], int]:
        """``write``, the buffer made first if this is the first piece."""
        if self.write is None:
            self.buf = io.StringIO()
            self.write = self.buf.write
        return self.write


class MessageAccumulator:
    """One Message, built from its events (the replayer calls a method per event).

    ``message`` is the Message being built (``None`` before :meth:`start`); ``content`` its
    content list, ``blocks`` the state of each block by its index.  Diagnostics go to
    ``add``.  With ``partial_json`` a tool input that is not valid JSON at its end gets a
    best-effort parse instead of its raw text.
    """

    __slots__ = (
        "message",
        "content",
        "blocks",
        "open",
        "late",
        "next_index",
        "after_delta",
        "start_stop_reason",
        "partial_json",
        "add",
    )

    def __init__(self, add: Callable[[Diagnostic], None], *, partial_json: bool = False) -> None:
        self.add = add
        self.partial_json = partial_json
        self.message: dict[str, Any] | None = None
        self.content: list[Any] = []
        self.blocks: dict[int, _Block] = {}
        self.open: dict[int, None] = {}  # the indices of the blocks started and not stopped, in order
        self.late: list[_Block] = []  # stopped blocks that received text afterwards
        self.next_index = 0
        self.after_delta = False  # a message_delta was applied
        self.start_stop_reason = False  # message_start already carried a stop_reason

    def _malformed(self, message: str, line: int, end_line: int) -> None:
        self.add(codes.MALFORMED_EVENT.diagnostic(message, _loc(line, end_line)))

    def snapshot(self) -> dict[str, Any] | None:
        """The message so far (pending text joined), without finishing the stream."""
        if self.message is None:
            return None
        message = dict(self.message)
        # A block's state is found by the block it fills, not by position: a stream whose
        # indices do not follow the content (S103), or a message_start that already carried
        # content, stores blocks at other positions than their index.
        pending = {id(b.block): b for b in self.blocks.values() if b.buf is not None and not b.stopped}
        content = []
        for block in self.content:
            state = pending.get(id(block))
            if state is not None and state.buf is not None:
                joined = state.buf.getvalue()
                if joined:
                    block = dict(block)
                    _apply_parts(block, state, joined, final=False)
            content.append(block)
        late = {id(b.block): b for b in self.late if b.late is not None}
        if late:
            for i, block in enumerate(content):
                state = late.get(id(block))
                if state is not None and state.late is not None:
                    content[i] = {**block, state.late_key: block.get(state.late_key, "") + state.late.getvalue()}
        message["content"] = content
        return message

    # -- the events --------------------------------------------------------------------------

    def start(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        """``message_start`` (the first: the replayer reports a second one)."""
        message = obj.get("message")
        if type(message) is not dict:
            self._malformed(f"message_start.message must be an object, not {type_name(message)}", line, end_line)
            message = {}
        content = message.get("content")
        if content is None:
            content = message["content"] = []
        elif type(content) is not list:
            self._malformed(
                f"message_start.message.content must be an array, not {type_name(content)}", line, end_line
            )
            content = message["content"] = []
        if "usage" not in message:
            self.add(
                codes.MISSING_USAGE.diagnostic("message_start.message has no usage", _loc(line, end_line), hint=TS_NO_USAGE)
            )
        self.message = message
        self.content = content
        self.next_index = len(content)
        self.start_stop_reason = message.get("stop_reason") is not None

    def block_start(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        """``content_block_start``: the block is appended to the content."""
        index = obj.get("index")
        block = obj.get("content_block")
        if type(block) is not dict:
            self._malformed(
                f"content_block_start.content_block must be an object, not {type_name(block)}", line, end_line
            )
            return
        if type(index) is not int:
            self._malformed(f"content_block_start.index must be an integer, not {type_name(index)}", line, end_line)
            index = self.next_index
        if self.after_delta:
            self.add(
                codes.BLOCK_AFTER_MESSAGE_DELTA.diagnostic(
                    f"content_block_start (index {index}) after message_delta", _loc(line, end_line)
                )
            )
        if index != self.next_index:
            self.add(
                codes.UNEXPECTED_BLOCK_INDEX.diagnostic(
                    f"content_block_start has index {index}, expected {self.next_index}; the block is stored at "
                    f"position {len(self.content)} (as the SDK does), later events for index {index} find it",
                    _loc(line, end_line),
                )
            )
        if self.open:
            self.add(
                codes.BLOCK_START_WHILE_OPEN.diagnostic(
                    f"content_block_start (index {index}) while block {self._open_text()} is open",
                    _loc(line, end_line),
                )
            )
        btype = block.get("type")
        kind = block_kind(btype)
        if kind is UNKNOWN:
            if isinstance(btype, str):
                self.add(
                    codes.UNKNOWN_BLOCK_TYPE.diagnostic(
                        f"unknown content block type {btype!r}; kept as it started", _loc(line, end_line)
                    )
                )
            else:
                self._malformed(f"content block type must be a string, not {type_name(btype)}", line, end_line)
        elif kind is TEXT and type(block.get("text", "")) is not str:
            self._malformed("a text block's text must be a string", line, end_line)
            kind = UNKNOWN
        elif kind is THINKING and type(block.get("thinking", "")) is not str:
            self._malformed("a thinking block's thinking must be a string", line, end_line)
            kind = UNKNOWN
        if btype == "fallback" and self.message is not None:
            to = block.get("to")
            if isinstance(to, dict) and "model" in to:
                self.message["model"] = to["model"]
        state = _Block(kind, block, line, index)
        if index in self.blocks and not self.blocks[index].stopped:
            self._finalize(self.blocks[index], line, end_line, at_stop=False)
        self.blocks[index] = state
        self.content.append(block)
        self.next_index = max(self.next_index, index + 1)
        self.open.pop(index, None)
        self.open[index] = None

    def delta(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        """``content_block_delta``: applied to the block of its index."""
        # Fast path: a well-formed delta for an open block of the right kind.
        try:
            index = obj["index"]
            state = self.blocks[index]
            delta = obj["delta"]
            dtype = delta["type"]
        except (KeyError, TypeError):
            self._delta_slow(obj, line, end_line)
            return
        if type(index) is int and not state.stopped and isinstance(dtype, str):
            buffered = _BUFFERED_DELTAS.get(dtype)
            if buffered is not None and state.kind is buffered[0]:
                piece = delta.get(buffered[1])
                if type(piece) is str:
                    (state.write or state.opened())(piece)
                    return
        self._delta_slow(obj, line, end_line)

    def _started_block(self, event: str, index: int, line: int, end_line: int) -> _Block | None:
        """The block an event names, or ``None`` (reported) when it was never started."""
        state = self.blocks.get(index)
        if state is None:
            self.add(
                codes.UNKNOWN_BLOCK_INDEX.diagnostic(
                    f"{event} for index {index}, which was never started", _loc(line, end_line)
                )
            )
        return state

    def _delta_slow(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        if self.after_delta:
            self.add(codes.BLOCK_AFTER_MESSAGE_DELTA.diagnostic("content_block_delta after message_delta", _loc(line, end_line)))
        index = obj.get("index")
        if type(index) is not int:
            self._malformed(f"content_block_delta.index must be an integer, not {type_name(index)}", line, end_line)
            return
        delta = obj.get("delta")
        if type(delta) is not dict:
            self._malformed(f"content_block_delta.delta must be an object, not {type_name(delta)}", line, end_line)
            return
        dtype = delta.get("type")
        state = self._started_block("content_block_delta", index, line, end_line)
        if state is None:
            return
        if state.stopped:
            self.add(
                codes.EVENT_AFTER_BLOCK_STOP.diagnostic(
                    f"content_block_delta for block {index}, stopped at line {state.line}", _loc(line, end_line)
                )
            )
            # applied anyway, as the SDK does, to what is already final
        if not isinstance(dtype, str):
            self._malformed(f"delta type must be a string, not {type_name(dtype)}", line, end_line)
            return
        fits = DELTA_KINDS.get(dtype)
        if fits is None:
            self.add(codes.UNKNOWN_DELTA_TYPE.diagnostic(f"unknown delta type {dtype!r}; ignored", _loc(line, end_line)))
            return
        if state.kind not in fits:
            if state.kind is not UNKNOWN:
                self.add(
                    codes.DELTA_TYPE_MISMATCH.diagnostic(
                        f"{dtype} for block {index}, a {state.block.get('type')} block ({dtype} fits {DELTA_FITS[dtype]}); ignored",
                        _loc(line, end_line),
                    )
                )
            return
        block = state.block
        buffered = _BUFFERED_DELTAS.get(dtype)
        if buffered is not None:
            key = buffered[1]
            value = delta.get(key)
            if type(value) is not str:
                self._malformed(f"{dtype}.{key} must be a string, not {type_name(value)}", line, end_line)
                return
            if state.stopped:
                # the block is final already: text is appended to its final value (as the
                # SDK does), joined once at the end; tool JSON, parsed at the stop, is not reopened
                if dtype != "input_json_delta":
                    if state.late is None:
                        state.late = io.StringIO()
                        state.late_key = key
                        self.late.append(state)
                    state.late.write(value)
            else:
                (state.write or state.opened())(value)
        elif dtype == "signature_delta":
            value = delta.get("signature")
            if type(value) is not str:
                self._malformed(f"signature_delta.signature must be a string, not {type_name(value)}", line, end_line)
                return
            block["signature"] = value
        elif dtype == "citations_delta":
            citation = delta.get("citation")
            if type(citation) is not dict:
                self._malformed(f"citations_delta.citation must be an object, not {type_name(citation)}", line, end_line)
                return
            existing = block.get("citations")
            if existing and type(existing) is list:
                existing.append(citation)
            else:
                block["citations"] = [citation]
        elif dtype == "compaction_delta":
            block["content"] = delta.get("content")
            block["encrypted_content"] = delta.get("encrypted_content")

    def block_stop(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        """``content_block_stop``: the block's pieces are joined (tool JSON parsed)."""
        index = obj.get("index")
        if type(index) is not int:
            self._malformed(f"content_block_stop.index must be an integer, not {type_name(index)}", line, end_line)
            return
        if self.after_delta:
            self.add(codes.BLOCK_AFTER_MESSAGE_DELTA.diagnostic("content_block_stop after message_delta", _loc(line, end_line)))
        state = self._started_block("content_block_stop", index, line, end_line)
        if state is None:
            return
        if state.stopped:
            self.add(
                codes.EVENT_AFTER_BLOCK_STOP.diagnostic(
                    f"a second content_block_stop for block {index} (stopped at line {state.line})", _loc(line, end_line)
                )
            )
            return
        self._finalize(state, line, end_line, at_stop=True)
        state.stopped = True
        state.line = line
        self.open.pop(index, None)

    def _finalize(
        self, state: _Block, line: int, end_line: int, *, at_stop: bool, quiet: bool = False
    ) -> None:
        """Join a block's pieces into its dict (and parse tool JSON, once)."""
        buf = state.buf
        if buf is None:
            if state.write is None:  # buffered, but no piece came: nothing to join
                state.write = _discard
            return
        joined = buf.getvalue()
        state.buf = None
        state.write = _discard
        if not joined:
            return
        problem = _apply_parts(state.block, state, joined, final=True, partial=self.partial_json)
        if problem is not None and not quiet:
            name = state.block.get("name")
            what = f"tool input of block {state.index}" + (f" ({name})" if isinstance(name, str) else "")
            # what input holds now: the raw text, or (--partial-json) what could be parsed of it
            kept = state.block.get("input")
            hint = "kept as raw text in input" if kept == joined else "best-effort parse kept in input"
            if self.partial_json and kept == joined:
                hint += " (nothing of it could be parsed)"
            if at_stop:
                self.add(
                    codes.INVALID_TOOL_INPUT.diagnostic(
                        f"{what} is not a valid JSON object at content_block_stop: {problem}",
                        _loc(line, end_line),
                        hint=hint + "; " + TS_BAD_TOOL_JSON,
                    )
                )
            else:
                self.add(
                    codes.INCOMPLETE_TOOL_INPUT.diagnostic(
                        f"{what}, started at line {state.line}, is unfinished: {problem}",
                        _loc(line, end_line),
                        hint=hint,
                    )
                )

    def close_open_blocks(self, line: int, end_line: int) -> None:
        """Finish every block not stopped (the stream ended or broke off at ``line``)."""
        for index in self.open:
            state = self.blocks[index]
            self._finalize(state, line, end_line, at_stop=False)
            state.stopped = True
        self.open.clear()
        for state in self.late:
            if state.late is not None:
                state.block[state.late_key] = state.block.get(state.late_key, "") + state.late.getvalue()
                state.late = None
        self.late.clear()

    def _open_text(self) -> str:
        """The open blocks' indices for a message: the first three, and how many more."""
        first = [str(i) for i in itertools.islice(self.open, 3)]
        more = len(self.open) - len(first)
        return ", ".join(first) + (f" and {more} more" if more else "")

    def message_delta(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        """``message_delta``: the stop reason, final usage and the other message fields."""
        if self.open:
            self.add(
                codes.BLOCK_OPEN_AT_MESSAGE_DELTA.diagnostic(
                    f"message_delta while block {self._open_text()} is open (no content_block_stop)",
                    _loc(line, end_line),
                )
            )
            self.close_open_blocks(line, end_line)
        message = self.message
        assert message is not None
        delta = obj.get("delta")
        if type(delta) is not dict:
            self._malformed(f"message_delta.delta must be an object, not {type_name(delta)}", line, end_line)
            delta = {}
        message["stop_reason"] = delta.get("stop_reason")
        message["stop_sequence"] = delta.get("stop_sequence")
        message["stop_details"] = delta.get("stop_details")
        if delta.get("container") is not None:
            message["container"] = delta["container"]
        if obj.get("context_management") is not None:
            message["context_management"] = obj["context_management"]
        if obj.get("input_transformations") is not None:
            message["input_transformations"] = obj["input_transformations"]
        usage_delta = obj.get("usage")
        if usage_delta is None:
            self.add(codes.MISSING_USAGE.diagnostic("message_delta has no usage", _loc(line, end_line), hint=TS_NO_USAGE))
        elif type(usage_delta) is not dict:
            self._malformed(f"message_delta.usage must be an object, not {type_name(usage_delta)}", line, end_line)
        else:
            usage = message.get("usage")
            if type(usage) is not dict:
                usage = message["usage"] = {}
            if "output_tokens" in usage_delta:
                usage["output_tokens"] = usage_delta["output_tokens"]
            else:
                self._malformed("message_delta.usage has no output_tokens", line, end_line)
            for key in USAGE_OPTIONAL:
                value = usage_delta.get(key)
                if value is not None:
                    usage[key] = value
        self.after_delta = True

    def message_stop(self, line: int, end_line: int) -> None:
        """``message_stop``: blocks still open are closed."""
        if self.open:
            self.add(
                codes.BLOCK_OPEN_AT_MESSAGE_DELTA.diagnostic(
                    f"message_stop while block {self._open_text()} is open (no content_block_stop)",
                    _loc(line, end_line),
                )
            )
            self.close_open_blocks(line, end_line)
        if not self.after_delta and not self.start_stop_reason:
            self.add(
                codes.MISSING_MESSAGE_DELTA.diagnostic(
                    "message_stop without a message_delta before it: no stop_reason, no final usage",
                    _loc(line, end_line),
                )
            )


def _apply_parts(
    block: dict[str, Any], state: _Block, joined: str, *, final: bool, partial: bool = False
) -> str | None:
    """Put a block's joined pieces into it.  Returns a problem with tool JSON, if any."""
    kind = state.kind
    if kind is TEXT:
        block["text"] = block.get("text", "") + joined
    elif kind is THINKING:
        block["thinking"] = block.get("thinking", "") + joined
    elif kind is TOOL:
        if not joined:
            return None  # the SDK leaves the starting input when the buffer stays empty
        try:
            value = _loads(joined)
        except _JSONDecodeError as exc:
            if not final:
                block["input"] = parse_partial_json(joined)
                return None
            block["input"] = parse_partial_json(joined) if partial else joined
            return _json_problem(joined, exc)
        block["input"] = value
        if type(value) is not dict:
            return f"the input is {type_name(value)}, not an object"
    elif kind is COMPACTION:
        pass
    return None


def _json_problem(text: str, exc: Exception) -> str:
    pos = getattr(exc, "pos", None)
    if isinstance(pos, int) and pos >= len(text.rstrip()):
        return f"the JSON is unfinished ({len(text)} characters received)"
    reason = getattr(exc, "msg", str(exc))
    return f"invalid JSON ({reason}, at character {pos})"

