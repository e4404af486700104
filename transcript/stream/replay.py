"""Replay a captured stream into the final Message, checking the event order on the way.

:class:`Replayer` accepts events one at a time (:meth:`Replayer.feed`, usable on a live
stream) and :meth:`Replayer.finish` returns a :class:`ReplayResult`.  From a valid stream
the Message is the one the official SDK's ``MessageStream`` builds (its beta accumulator,
a superset of the stable one), field for field:

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

Unlike the SDK it runs in linear time: text and tool JSON are kept as lists of pieces,
joined once when the block stops (the tool JSON parsed once, never per delta), and memory
holds the Message being built plus a constant (the events are not kept).

A broken stream still yields everything that could be rebuilt, with diagnostics.  A tool
block whose JSON is invalid or unfinished keeps its raw text as ``input`` (a string where
the protocol has an object, so it cannot be mistaken for real input); with
``partial_json=True`` it gets a best-effort parse instead (:func:`parse_partial_json`: open
strings, arrays and objects are closed).  The SDK keeps a partial parse silently.

Legacy Text Completions streams (``event: completion``, and the data-only cumulative form of
API versions before 2023-06-01 ending with ``data: [DONE]``) replay to a Completion, or with
``to="messages"`` to a Message (converter spec 4.5).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import orjson
from attrs import field, frozen

from transcript.core.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    diagnostic_tuple,
    sort_diagnostics,
)
from transcript.core.jsontext import type_name
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS, USAGE_OPTIONAL
from transcript.stream import codes
from transcript.stream.blocks import (
    COMPACTION,
    DELTA_FITS,
    DELTA_KINDS,
    EVENTS,
    TEXT,
    THINKING,
    TOOL,
    UNKNOWN,
    block_kind,
)
from transcript.stream.captures import iter_raw_events, iter_sse_chunks, open_capture
from transcript.stream.sse import DiagnosticSink, SseDecoder, SseEvent

__all__ = [
    "Replayer",
    "ReplayResult",
    "TimelineEntry",
    "replay_file",
    "replay_all",
    "parse_partial_json",
    "lint_stream",
]

_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError

# phases of a Messages stream
_BEFORE, _CONTENT, _DELTA, _STOPPED, _ERRORED = range(5)
_MERGED = frozenset({"content_block_delta", "completion", "ping"})


@frozen
class TimelineEntry:
    """A run of consecutive events of the same kind, for ``replay --format text``.

    ``count`` events from ``line`` to ``last_line``; ``chars`` characters of text, thinking
    or tool JSON they carried; ``time``/``last_time`` the capture timestamps of the first
    and last (when the capture has them).
    """

    line: int
    event: str
    detail: str = ""
    count: int = 1
    chars: int = 0
    last_line: int = 0
    time: float | None = None
    last_time: float | None = None
    entry: int | None = None


def _timeline(entries: Iterable[TimelineEntry] | None) -> tuple[TimelineEntry, ...] | None:
    return None if entries is None else tuple(entries)


@frozen
class ReplayResult:
    """What a stream adds up to.

    ``message`` is the rebuilt Message (a plain JSON dict; ``None`` when nothing could be
    rebuilt, or for a legacy stream replayed as a Completion), ``completion`` the Completion
    of a legacy stream.  ``complete`` is true when the stream reached ``message_stop`` (or
    a legacy final ``stop_reason``) with no error diagnostics.  ``error`` is the ``error``
    object of an error event.  HAR streams carry their ``entry``, ``label``, ``started`` and
    ``timings``; ``timeline`` is only filled when asked for.
    """

    message: dict[str, Any] | None
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple, factory=tuple)
    events: int = 0
    complete: bool = False
    completion: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    legacy: bool = False
    entry: int | None = None
    label: str | None = None
    started: float | None = None
    started_text: str | None = None
    timings: Mapping[str, Any] | None = field(default=None, eq=False)
    timeline: tuple[TimelineEntry, ...] | None = field(default=None, converter=_timeline)

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def output(self) -> dict[str, Any] | None:
        """What ``transcript replay`` prints: the Message, else the Completion."""
        return self.message if self.message is not None or self.completion is None else self.completion



def _loc(line: int, end_line: int | None = None) -> Location:
    return Location(line=line, column=1, end_line=end_line)


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

    __slots__ = ("kind", "block", "buf", "write", "stopped", "line", "index")

    def __init__(self, kind: int, block: dict[str, Any], line: int, index: int) -> None:
        self.kind = kind
        self.block = block
        # Pieces are appended to a StringIO: amortised O(1) per piece, and its buffer holds
        # the characters only (a list of pieces would keep one str object per delta alive).
        self.buf: io.StringIO | None = io.StringIO() if kind in _BUFFERED else None
        self.write = self.buf.write if self.buf is not None else _discard
        self.stopped = False
        self.line = line
        self.index = index


class Replayer:
    """Fold stream events into a Message, reporting every order violation.

    ``feed`` accepts an :class:`~transcript.sse.SseEvent` or a parsed event dict (a JSONL
    record, an SDK event's ``to_dict()``).  ``finish`` closes the stream and returns the
    :class:`ReplayResult`; the replayer cannot be fed after that.
    """

    def __init__(
        self,
        *,
        strict: bool = False,
        partial_json: bool = False,
        to: str | None = None,
        timeline: bool = False,
        sink: DiagnosticSink | None = None,
        named_events: bool = True,
    ) -> None:
        self.strict = strict
        self.named_events = named_events
        self.partial_json = partial_json
        self.to = to
        self._sink = sink if sink is not None else DiagnosticSink()
        self._add = self._sink.add
        self.message: dict[str, Any] | None = None
        self._content: list[Any] = []
        self._blocks: dict[int, _Block] = {}
        self._open = 0  # blocks started and not stopped
        self._next_index = 0
        self._phase = _BEFORE
        self._start_stop_reason = False
        self.events = 0
        self.error: dict[str, Any] | None = None
        self._legacy: _Legacy | None = None
        self._timeline: list[TimelineEntry] | None = [] if timeline else None
        self._run: list[Any] | None = None  # the timeline run being merged
        self._last_line = 0
        self._early = 0  # events before message_start
        self._finished: ReplayResult | None = None

    # -- public -----------------------------------------------------------------------------

    def feed(self, event: SseEvent | Mapping[str, Any]) -> None:
        """Apply one event."""
        if isinstance(event, SseEvent):
            self._feed(
                event.event, event.data, event.id, event.retry, event.line, event.end_line, event.terminated, event.entry, event.time
            )
        elif isinstance(event, Mapping):
            # a deep copy: the Message is built by mutating what message_start carried
            try:
                copied = _loads(orjson.dumps(event))
            except (TypeError, orjson.JSONEncodeError):
                import copy

                copied = copy.deepcopy(dict(event))
            self._feed(None, copied, None, None, self._last_line + 1, self._last_line + 1, True)
        else:
            raise TypeError(f"feed() takes an SseEvent or an event dict, not {type(event).__name__}")

    def feed_raw(self, raw: tuple) -> None:
        """Apply one ``(name, payload, line, end_line, terminated, entry, time)`` tuple."""
        name, payload, line, end_line, terminated, entry, time = raw
        self._feed(name, payload, None, None, line, end_line, terminated, entry, time)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self._sink.result()

    def snapshot(self) -> dict[str, Any] | None:
        """The message so far (pending text joined), without finishing the stream."""
        if self.message is None:
            return None
        message = dict(self.message)
        # A block's state is found by the block it fills, not by position: a stream whose
        # indices do not follow the content (S103), or a message_start that already carried
        # content, stores blocks at other positions than their index.
        pending = {id(b.block): b for b in self._blocks.values() if b.buf is not None and not b.stopped}
        content = []
        for block in self._content:
            state = pending.get(id(block))
            if state is not None and state.buf is not None:
                joined = state.buf.getvalue()
                if joined:
                    block = dict(block)
                    _apply_parts(block, state, joined, final=False)
            content.append(block)
        message["content"] = content
        return message

    # -- dispatch -----------------------------------------------------------------------------

    def _feed(
        self,
        name: str | None,
        payload: Any,
        id_: Any,
        retry: Any,
        line: int,
        end_line: int,
        terminated: bool,
        entry: Any = None,
        time: Any = None,
    ) -> None:
        """One event.  The signature is the SSE decoder's factory's, so the decoder can
        call it directly for every event it decodes (no intermediate objects)."""
        self.events += 1
        self._last_line = end_line
        if type(payload) is str:
            try:
                obj = _loads(payload)
            except _JSONDecodeError as exc:
                self._invalid_json(name, payload, line, end_line, exc)
                return
            # the hot path: a named delta in the middle of a message
            if (
                name == "content_block_delta"
                and self._phase == _CONTENT
                and type(obj) is dict
                and obj.get("type") == name
                and self._timeline is None
            ):
                self._delta(obj, line, end_line)
                return
        else:
            obj = payload
        if type(obj) is not dict:
            if type(obj) is str and name is not None:
                # a wrapper whose data is a JSON string holding the event
                try:
                    obj = _loads(obj)
                except _JSONDecodeError:
                    pass
            if type(obj) is not dict:
                self._add(
                    codes.INVALID_EVENT_JSON.diagnostic(
                        f"event data must be a JSON object, not {type_name(obj)}", _loc(line, end_line)
                    )
                )
                return
        etype = obj.get("type")
        if etype is None and (name == "completion" or (name is None and "completion" in obj)):
            etype = "completion"
        if name is not None:
            if name != etype:
                self._name_mismatch(name, etype, line, end_line)
                if name == "error" and etype is None:
                    etype = "error"
        elif self.named_events and type(etype) is str and etype != "completion" and self._legacy is None:
            self._add(
                codes.MISSING_EVENT_NAME.diagnostic(
                    f"{etype!s} event without an event: line (the official SDK skips it); replayed by its type",
                    _loc(line, end_line),
                )
            )
        if type(etype) is not str:
            self._malformed(f"event data has no string type (type is {type_name(etype)})", line, end_line)
            return
        if self._timeline is not None:
            self._note(obj, etype, line, entry, time)
        if etype == "content_block_delta":
            if self._phase == _CONTENT:
                self._delta(obj, line, end_line)
                return
        elif etype == "ping":
            return
        if self._legacy is not None or etype == "completion":
            self._completion_event(name, obj, line, end_line)
            return
        if self._phase == _ERRORED:
            self._add(
                codes.EVENT_AFTER_ERROR.diagnostic(
                    f"{etype!s} event after the error event; not applied", _loc(line, end_line)
                )
            )
            return
        if etype == "error":
            self._error_event(obj, line, end_line)
            return
        if self._phase == _STOPPED:
            self._add(
                codes.EVENT_AFTER_MESSAGE_STOP.diagnostic(
                    f"{etype!s} event after message_stop; not applied", _loc(line, end_line)
                )
            )
            return
        if etype == "message_start":
            self._message_start(obj, line, end_line)
        elif self._phase == _BEFORE:
            if etype in EVENTS:
                self._early += 1
                if self._early == 1:
                    self._add(
                        codes.MISSING_MESSAGE_START.diagnostic(
                            f"{etype} before message_start; events before message_start are not applied",
                            _loc(line, end_line),
                        )
                    )
            else:
                self._unknown_event(etype, line, end_line)
        elif etype == "content_block_delta":
            self._delta(obj, line, end_line)
        elif etype == "content_block_start":
            self._block_start(obj, line, end_line)
        elif etype == "content_block_stop":
            self._block_stop(obj, line, end_line)
        elif etype == "message_delta":
            self._message_delta(obj, line, end_line)
        elif etype == "message_stop":
            self._message_stop(line, end_line)
        else:
            self._unknown_event(etype, line, end_line)

    # -- diagnostics helpers -----------------------------------------------------------------------

    def _note(self, obj: dict[str, Any], etype: str, line: int, entry: Any, time: Any) -> None:
        """Add an event to the timeline, merged into the current run when it is alike.

        The current run is a small mutable list; it becomes a frozen entry when the next
        unlike event arrives (or at the end), so a long run costs no object per event.
        """
        detail, chars = _describe(obj, etype)
        stamp = parse_time_safe(time)
        run = self._run
        if run is not None and run[0] == etype and run[1] == detail and etype in _MERGED:
            run[2] += 1
            run[3] += chars
            run[5] = line
            if stamp is not None:
                run[7] = stamp
            return
        self._close_run()
        self._run = [etype, detail, 1, chars, line, line, stamp, stamp, entry]

    def _close_run(self) -> None:
        run = self._run
        if run is not None and self._timeline is not None:
            event, detail, count, chars, line, last_line, time, last_time, entry = run
            self._timeline.append(
                TimelineEntry(
                    line=line,
                    event=event,
                    detail=detail,
                    count=count,
                    chars=chars,
                    last_line=last_line,
                    time=time,
                    last_time=last_time,
                    entry=entry,
                )
            )
        self._run = None

    def _invalid_json(self, name: str | None, payload: str, line: int, end_line: int, exc: Exception) -> None:
        if payload.strip() == "[DONE]" and (self._legacy is not None or self.message is None):
            if self._legacy is None:
                self._legacy = _Legacy(cumulative=True)
            self._legacy.done = True
            return
        if name == "error":
            self._error_event({"type": "error", "error": {"type": None, "message": payload}}, line, end_line)
            return
        reason = getattr(exc, "msg", str(exc))
        self._add(
            codes.INVALID_EVENT_JSON.diagnostic(
                f"event data is not valid JSON ({reason})",
                _loc(line, end_line),
                hint=None if payload.strip() else "a data line with nothing after it",
            )
        )

    def _name_mismatch(self, name: str, etype: Any, line: int, end_line: int) -> None:
        if etype is None:
            return
        self._add(
            codes.EVENT_NAME_MISMATCH.diagnostic(
                f"SSE event name {name!r} but the data's type is {etype!r}", _loc(line, end_line)
            )
        )

    def _malformed(self, message: str, line: int, end_line: int) -> None:
        self._add(codes.MALFORMED_EVENT.diagnostic(message, _loc(line, end_line)))

    def _unknown_event(self, etype: Any, line: int, end_line: int) -> None:
        if not isinstance(etype, str):
            self._malformed(f"event data has no string type (type is {type_name(etype)})", line, end_line)
            return
        self._add(
            codes.UNKNOWN_EVENT_TYPE.diagnostic(f"unknown event type {etype!r}; ignored", _loc(line, end_line))
        )

    # -- Messages events -----------------------------------------------------------------------------

    def _message_start(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        rules = codes
        if self._phase != _BEFORE:
            self._add(
                rules.DUPLICATE_MESSAGE_START.diagnostic(
                    "a second message_start; not applied (two streams in one capture?)", _loc(line, end_line)
                )
            )
            return
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
            self._add(rules.MISSING_USAGE.diagnostic("message_start.message has no usage", _loc(line, end_line)))
        self.message = message
        self._content = content
        self._next_index = len(content)
        self._start_stop_reason = message.get("stop_reason") is not None
        self._phase = _CONTENT

    def _block_start(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        rules = codes
        index = obj.get("index")
        block = obj.get("content_block")
        if type(block) is not dict:
            self._malformed(
                f"content_block_start.content_block must be an object, not {type_name(block)}", line, end_line
            )
            return
        if type(index) is not int:
            self._malformed(f"content_block_start.index must be an integer, not {type_name(index)}", line, end_line)
            index = self._next_index
        if self._phase == _DELTA:
            self._add(
                rules.BLOCK_AFTER_MESSAGE_DELTA.diagnostic(
                    f"content_block_start (index {index}) after message_delta", _loc(line, end_line)
                )
            )
        if index != self._next_index:
            self._add(
                rules.UNEXPECTED_BLOCK_INDEX.diagnostic(
                    f"content_block_start has index {index}, expected {self._next_index}; the block is stored at "
                    f"position {len(self._content)} (as the SDK does), later events for index {index} find it",
                    _loc(line, end_line),
                )
            )
        if self._open:
            self._add(
                rules.BLOCK_START_WHILE_OPEN.diagnostic(
                    f"content_block_start (index {index}) while block "
                    f"{', '.join(str(b.index) for b in self._blocks.values() if not b.stopped)} is open",
                    _loc(line, end_line),
                )
            )
        btype = block.get("type")
        kind = block_kind(btype)
        if kind is UNKNOWN:
            if isinstance(btype, str):
                self._add(
                    rules.UNKNOWN_BLOCK_TYPE.diagnostic(
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
        if index in self._blocks and not self._blocks[index].stopped:
            self._finalize(self._blocks[index], line, end_line, at_stop=False)
            self._open -= 1
        self._blocks[index] = state
        self._content.append(block)
        self._next_index = max(self._next_index, index + 1)
        self._open += 1

    def _delta(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        # Fast path: a well-formed delta for an open block of the right kind.
        try:
            index = obj["index"]
            state = self._blocks[index]
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
                    state.write(piece)
                    return
        self._delta_slow(obj, line, end_line)

    def _started_block(self, event: str, index: int, line: int, end_line: int) -> _Block | None:
        """The block an event names, or ``None`` (reported) when it was never started."""
        state = self._blocks.get(index)
        if state is None:
            self._add(
                codes.UNKNOWN_BLOCK_INDEX.diagnostic(
                    f"{event} for index {index}, which was never started", _loc(line, end_line)
                )
            )
        return state

    def _delta_slow(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        rules = codes
        if self._phase == _DELTA:
            self._add(rules.BLOCK_AFTER_MESSAGE_DELTA.diagnostic("content_block_delta after message_delta", _loc(line, end_line)))
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
            self._add(
                rules.EVENT_AFTER_BLOCK_STOP.diagnostic(
                    f"content_block_delta for block {index}, stopped at line {state.line}", _loc(line, end_line)
                )
            )
            # applied anyway, as the SDK does, to what is already final
        if not isinstance(dtype, str):
            self._malformed(f"delta type must be a string, not {type_name(dtype)}", line, end_line)
            return
        fits = DELTA_KINDS.get(dtype)
        if fits is None:
            self._add(rules.UNKNOWN_DELTA_TYPE.diagnostic(f"unknown delta type {dtype!r}; ignored", _loc(line, end_line)))
            return
        if state.kind not in fits:
            if state.kind is not UNKNOWN:
                self._add(
                    rules.DELTA_TYPE_MISMATCH.diagnostic(
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
                # SDK does); tool JSON, parsed at the stop, is not reopened
                if dtype != "input_json_delta":
                    block[key] = block.get(key, "") + value
            else:
                state.write(value)
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

    def _block_stop(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        rules = codes
        index = obj.get("index")
        if type(index) is not int:
            self._malformed(f"content_block_stop.index must be an integer, not {type_name(index)}", line, end_line)
            return
        if self._phase == _DELTA:
            self._add(rules.BLOCK_AFTER_MESSAGE_DELTA.diagnostic("content_block_stop after message_delta", _loc(line, end_line)))
        state = self._started_block("content_block_stop", index, line, end_line)
        if state is None:
            return
        if state.stopped:
            self._add(
                rules.EVENT_AFTER_BLOCK_STOP.diagnostic(
                    f"a second content_block_stop for block {index} (stopped at line {state.line})", _loc(line, end_line)
                )
            )
            return
        self._finalize(state, line, end_line, at_stop=True)
        state.stopped = True
        state.line = line
        self._open -= 1

    def _finalize(
        self, state: _Block, line: int, end_line: int, *, at_stop: bool, quiet: bool = False
    ) -> None:
        """Join a block's pieces into its dict (and parse tool JSON, once)."""
        buf = state.buf
        if buf is None:
            return
        joined = buf.getvalue()
        state.buf = None
        state.write = _discard
        if not joined:
            return
        problem = _apply_parts(state.block, state, joined, final=True, partial=self.partial_json)
        if problem is not None and not quiet:
            rules = codes
            name = state.block.get("name")
            what = f"tool input of block {state.index}" + (f" ({name})" if isinstance(name, str) else "")
            if at_stop:
                self._add(
                    rules.INVALID_TOOL_INPUT.diagnostic(
                        f"{what} is not a valid JSON object at content_block_stop: {problem}",
                        _loc(line, end_line),
                        hint="kept as raw text in input" if not self.partial_json else "best-effort parse kept in input",
                    )
                )
            else:
                self._add(
                    rules.INCOMPLETE_TOOL_INPUT.diagnostic(
                        f"{what}, started at line {state.line}, is unfinished: {problem}",
                        _loc(line, end_line),
                        hint="kept as raw text in input" if not self.partial_json else "best-effort parse kept in input",
                    )
                )

    def _close_open_blocks(self, line: int, end_line: int) -> None:
        for state in self._blocks.values():
            if not state.stopped:
                self._finalize(state, line, end_line, at_stop=False)
                state.stopped = True
        self._open = 0

    def _message_delta(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        rules = codes
        if self._open:
            open_ = [str(b.index) for b in self._blocks.values() if not b.stopped]
            self._add(
                rules.BLOCK_OPEN_AT_MESSAGE_DELTA.diagnostic(
                    f"message_delta while block {', '.join(open_)} is open (no content_block_stop)",
                    _loc(line, end_line),
                )
            )
            self._close_open_blocks(line, end_line)
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
            self._add(rules.MISSING_USAGE.diagnostic("message_delta has no usage", _loc(line, end_line)))
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
        self._phase = _DELTA

    def _message_stop(self, line: int, end_line: int) -> None:
        rules = codes
        if self._open:
            open_ = [str(b.index) for b in self._blocks.values() if not b.stopped]
            self._add(
                rules.BLOCK_OPEN_AT_MESSAGE_DELTA.diagnostic(
                    f"message_stop while block {', '.join(open_)} is open (no content_block_stop)",
                    _loc(line, end_line),
                )
            )
            self._close_open_blocks(line, end_line)
        if self._phase != _DELTA and not self._start_stop_reason:
            self._add(
                rules.MISSING_MESSAGE_DELTA.diagnostic(
                    "message_stop without a message_delta before it: no stop_reason, no final usage",
                    _loc(line, end_line),
                )
            )
        self._phase = _STOPPED

    def _error_event(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        err = obj.get("error")
        if type(err) is dict:
            etype, msg = err.get("type"), err.get("message")
            text = f"{etype}: {msg}" if msg is not None else f"{etype}"
            self.error = err
        else:
            text = "(no error object)"
            self.error = {"type": None, "message": None}
        self._add(codes.ERROR_EVENT.diagnostic(f"error event: {text}", _loc(line, end_line)))
        self._close_open_blocks(line, end_line)
        self._phase = _ERRORED

    # -- legacy completions ------------------------------------------------------------------------

    def _completion_event(self, name: str | None, obj: dict[str, Any], line: int, end_line: int) -> None:
        rules = codes
        legacy = self._legacy
        if legacy is None:
            if self.message is not None:
                self._add(
                    rules.UNKNOWN_EVENT_TYPE.diagnostic(
                        "a legacy completion event inside a Messages stream; ignored", _loc(line, end_line)
                    )
                )
                return
            legacy = self._legacy = _Legacy(cumulative=name is None)
        etype = obj.get("type", "completion")
        if legacy.stopped and etype != "ping":
            self._add(
                rules.EVENT_AFTER_MESSAGE_STOP.diagnostic(
                    f"{etype} event after the completion's final stop_reason; not applied", _loc(line, end_line)
                )
            )
            return
        if etype == "error":
            self._error_event(obj, line, end_line)
            legacy.stopped = True
            return
        if etype != "completion":
            self._unknown_event(etype, line, end_line)
            return
        text = obj.get("completion")
        if type(text) is not str:
            self._malformed(f"completion must be a string, not {type_name(text)}", line, end_line)
            return
        if (obj.get("exception") is not None or obj.get("truncated")) and not legacy.warned_fields:
            legacy.warned_fields = True
            fields = [f"{k}={obj.get(k)!r}" for k in ("exception", "truncated") if k in obj]
            self._add(
                rules.LEGACY_STREAM_FIELDS.diagnostic(
                    f"legacy fields with no Messages equivalent: {', '.join(fields)}", _loc(line, end_line)
                )
            )
        if legacy.cumulative:
            previous = legacy.previous
            if text.startswith(previous):
                piece = text[len(previous) :]
            else:
                self._add(
                    rules.NONMONOTONIC_CUMULATIVE_STREAM.diagnostic(
                        "this cumulative completion does not extend the previous one; the text so far is replaced",
                        _loc(line, end_line),
                    )
                )
                legacy.parts = []
                piece = text
            legacy.previous = text
        else:
            piece = text
        if piece:
            legacy.parts.append(piece)
        legacy.last = obj
        if obj.get("stop_reason") is not None:
            legacy.stopped = True
        if legacy.model is None and obj.get("model") is not None:
            legacy.model = obj.get("model")
        if legacy.first_id is None and isinstance(obj.get("id"), str):
            legacy.first_id = obj["id"]

    # -- end ----------------------------------------------------------------------------------------

    def finish(self) -> ReplayResult:
        if self._finished is not None:
            return self._finished
        self._close_run()
        rules = codes
        line = self._last_line or 1
        if self._legacy is not None:
            result = self._finish_legacy(line)
            self._finished = result
            return result
        if self.message is None:
            if self.events == 0:
                if not any(d.severity is Severity.ERROR for d in self._sink.items):
                    self._add(rules.NO_EVENTS.diagnostic("the input contains no events", _loc(1)))
            elif not any(d.code == rules.MISSING_MESSAGE_START.code for d in self._sink.items):
                self._add(rules.MISSING_MESSAGE_START.diagnostic("no message_start in the stream", _loc(1)))
        elif self._phase in (_CONTENT, _DELTA):
            self._close_open_blocks(line, line)
            self._add(
                rules.TRUNCATED_STREAM.diagnostic(
                    "the stream ends without message_stop"
                    + (" (no message_delta either)" if self._phase == _CONTENT else ""),
                    _loc(line),
                    hint="the capture was cut; the message printed is what was rebuilt",
                )
            )
        else:
            self._close_open_blocks(line, line)
        diagnostics = sort_diagnostics(self._sink.result())
        complete = (
            self._phase == _STOPPED and self.message is not None and not any(d.severity is Severity.ERROR for d in diagnostics)
        )
        self._finished = ReplayResult(
            message=self.message,
            diagnostics=diagnostics,
            events=self.events,
            complete=complete,
            error=self.error,
            timeline=self._timeline,
        )
        return self._finished

    def _finish_legacy(self, line: int) -> ReplayResult:
        rules = codes
        legacy = self._legacy
        assert legacy is not None
        text = "".join(legacy.parts)
        last = dict(legacy.last or {})
        completion: dict[str, Any] = {"type": "completion"}
        if legacy.first_id is not None and "id" not in last:
            completion["id"] = legacy.first_id
        completion.update(last)
        completion["type"] = "completion"
        completion["completion"] = text
        if legacy.model is not None:
            completion.setdefault("model", legacy.model)
        completion.setdefault("stop_reason", None)
        if not legacy.stopped and self.error is None:
            self._add(
                rules.LEGACY_STREAM_TRUNCATED.diagnostic(
                    "the completion stream ends without a final stop_reason", _loc(line)
                )
            )
        message = None
        if self.to == "messages":
            message = self._legacy_to_message(completion, line)
        diagnostics = sort_diagnostics(self._sink.result())
        complete = legacy.stopped and self.error is None and not any(d.severity is Severity.ERROR for d in diagnostics)
        return ReplayResult(
            message=message,
            completion=completion,
            diagnostics=diagnostics,
            events=self.events,
            complete=complete,
            error=self.error,
            legacy=True,
            timeline=self._timeline,
        )

    def _legacy_to_message(self, completion: dict[str, Any], line: int) -> dict[str, Any]:
        """Converter spec 4.5: a Completion becomes a Message."""
        rules = codes
        stop_reason = completion.get("stop_reason")
        stop = completion.get("stop")
        stop_sequence = None
        if stop_reason == "stop_sequence":
            if isinstance(stop, str) and stop not in LEGACY_HUMAN_STOPS:
                stop_sequence = stop
            elif stop is None or not isinstance(stop, str):
                self._add(
                    rules.LEGACY_STOP_REASON_ASSUMED.diagnostic(
                        "stop_reason stop_sequence without the matched sequence: end_turn assumed", _loc(line)
                    )
                )
                stop_reason = "end_turn"
            if isinstance(stop, str) and stop in LEGACY_HUMAN_STOPS:
                stop_reason = "end_turn"
        self._add(
            rules.LEGACY_STREAM_USAGE_UNAVAILABLE.diagnostic(
                "a legacy completion stream has no token usage; usage is set to zeros", _loc(1)
            )
        )
        ident = completion.get("id")
        if not isinstance(ident, str):
            # Completions streams carried a log_id, not always an id; the Message needs one
            log_id = completion.get("log_id")
            ident = f"msg_{log_id}" if isinstance(log_id, str) and log_id else "msg_legacy"
        return {
            "id": ident,
            "type": "message",
            "role": "assistant",
            "model": completion.get("model"),
            "content": [{"type": "text", "text": completion.get("completion", "")}],
            "stop_reason": stop_reason,
            "stop_sequence": stop_sequence,
            "usage": {"input_tokens": 0, "output_tokens": 0},
        }


class _Legacy:
    __slots__ = ("cumulative", "parts", "previous", "last", "stopped", "model", "first_id", "warned_fields", "done")

    def __init__(self, *, cumulative: bool) -> None:
        self.cumulative = cumulative
        self.parts: list[str] = []
        self.previous = ""
        self.last: dict[str, Any] | None = None
        self.stopped = False
        self.model: Any = None
        self.first_id: Any = None
        self.warned_fields = False
        self.done = False


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


# --- best-effort partial JSON -------------------------------------------------------------------


def parse_partial_json(text: str, *, trailing_strings: bool = True) -> Any:
    """Best-effort parse of the prefix of a JSON document, closing what is left open.

    The document is cut after its last complete value (an unfinished number or literal,
    a dangling ``,`` or ``:``, and an object key without its value are dropped) and every
    open array and object is closed.  An unfinished string value is closed where it stops
    (``trailing_strings=False`` drops it instead, as the SDK's default partial mode does).
    Returns the raw text when nothing can be recovered.  Linear in the length of the text.
    """
    try:
        return _loads(text)
    except _JSONDecodeError:
        pass
    stack: list[list[Any]] = []  # [opener, expecting_key]
    cut = 0
    i, n = 0, len(text)
    candidate: str | None = None
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        top = stack[-1] if stack else None
        if c == '"':
            k = _string_end(text, i)
            is_key = top is not None and top[0] == "{" and top[1]
            if k < 0:
                if trailing_strings and not is_key:
                    candidate = _close(text[:i] + _close_string(text[i:]))
                break
            i = k + 1
            if is_key and top is not None:  # is_key implies an open object on top
                top[1] = False
            else:
                cut = i
            continue
        if c in "{[":
            stack.append([c, c == "{"])
            i += 1
            cut = i
            continue
        if c in "}]":
            if stack:
                stack.pop()
            i += 1
            cut = i
            continue
        if c == ",":
            if top is not None and top[0] == "{":
                top[1] = True
            i += 1
            continue
        if c == ":":
            i += 1
            continue
        j = i
        while j < n and text[j] not in ",]} \t\r\n":
            j += 1
        if j == n:
            try:
                _loads(text[i:j])
            except _JSONDecodeError:
                break
        cut = j
        i = j
    if candidate is None:
        if cut == 0:
            return text
        candidate = _close(text[:cut])
    try:
        return _loads(candidate)
    except _JSONDecodeError:
        return text


def _string_end(text: str, start: int) -> int:
    """Offset of the quote closing the string opened at ``start``, or -1."""
    j = start + 1
    while True:
        k = text.find('"', j)
        if k < 0:
            return -1
        b = k - 1
        while b > start and text[b] == "\\":
            b -= 1
        if (k - 1 - b) % 2 == 0:
            return k
        j = k + 1


def _close_string(body: str) -> str:
    """Close an unfinished string literal (``body`` starts at its opening quote)."""
    k = body.rfind("\\u")
    if k > 0 and len(body) - k < 6:
        b = k - 1
        while b > 0 and body[b] == "\\":
            b -= 1
        if (k - 1 - b) % 2 == 0:
            body = body[:k]
    trailing = len(body) - len(body.rstrip("\\"))
    if trailing % 2 == 1:
        body = body[:-1]
    return body + '"'


def _close(head: str) -> str:
    """``head`` followed by the closers of every bracket still open in it."""
    stack: list[str] = []
    i, n = 0, len(head)
    while i < n:
        c = head[i]
        if c == '"':
            k = _string_end(head, i)
            if k < 0:
                return head
            i = k + 1
            continue
        if c == "{":
            stack.append("}")
        elif c == "[":
            stack.append("]")
        elif c in "}]" and stack:
            stack.pop()
        i += 1
    return head + "".join(reversed(stack))


def _object_field(obj: dict[str, Any], key: str) -> dict[str, Any]:
    """``obj[key]`` when it is an object, else an empty one."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _describe(obj: dict[str, Any], etype: Any) -> tuple[str, int]:
    """A short detail for the timeline, and the characters of content the event carries."""
    if etype == "content_block_delta":
        delta = _object_field(obj, "delta")
        for key in ("text", "thinking", "partial_json"):
            if isinstance(delta.get(key), str):
                return f"[{obj.get('index')}] {delta.get('type')}", len(delta[key])
        return f"[{obj.get('index')}] {delta.get('type')}", 0
    if etype == "content_block_start":
        block = _object_field(obj, "content_block")
        name = block.get("name")
        return f"[{obj.get('index')}] {block.get('type')}" + (f" {name}" if isinstance(name, str) else ""), 0
    if etype == "content_block_stop":
        return f"[{obj.get('index')}]", 0
    if etype == "message_delta":
        delta = _object_field(obj, "delta")
        usage = _object_field(obj, "usage")
        return f"stop_reason={delta.get('stop_reason')} output_tokens={usage.get('output_tokens')}", 0
    if etype == "message_start":
        msg = _object_field(obj, "message")
        return f"{msg.get('id')} {msg.get('model')}", 0
    if etype == "error":
        err = _object_field(obj, "error")
        return f"{err.get('type')}: {err.get('message')}", 0
    if etype == "completion":
        text = obj.get("completion")
        stop = obj.get("stop_reason")
        return (f"stop_reason={stop}" if stop else ""), len(text) if isinstance(text, str) else 0
    return "", 0


def parse_time_safe(time: Any) -> float | None:
    return time if isinstance(time, (int, float)) and not isinstance(time, bool) else None


# --- one-call replay ----------------------------------------------------------------------------


def replay_all(
    source: bytes | str | os.PathLike[str],
    *,
    strict: bool = False,
    partial_json: bool = False,
    to: str | None = None,
    input_format: str | None = None,
    entry: int | None = None,
    timeline: bool = False,
) -> Iterator[ReplayResult]:
    """Replay every stream of a capture (a HAR file may hold several).

    ``source`` is the capture's bytes or a path (read in chunks, so memory stays bounded).
    With ``entry`` only that HAR entry is replayed (an entry that is not a stream yields
    nothing).  Diagnostics of HAR streams are located at the body's place in the HAR file,
    their message naming the entry and the line inside the body.
    """

    sink = DiagnosticSink()
    streams = open_capture(source, input_format=input_format, sink=sink)
    capture_diags = sink.result()
    if entry is not None:
        streams = [s for s in streams if s.entry == entry]
    if not streams:
        if not capture_diags:
            capture_diags = [codes.NO_EVENTS.diagnostic("the input contains no events", _loc(1))]
        yield ReplayResult(message=None, diagnostics=sort_diagnostics(capture_diags), entry=entry)
        return
    for n, stream in enumerate(streams):
        stream_sink = DiagnosticSink()
        if n == 0 and stream.entry is None:
            stream_sink.extend(capture_diags)
        replayer = Replayer(
            strict=strict,
            partial_json=partial_json,
            to=to,
            timeline=timeline,
            sink=stream_sink,
            named_events=stream.format == "sse",
        )
        if stream.format == "sse":
            decoder = SseDecoder(
                strict=strict,
                first_line=stream.first_line,
                factory=replayer._feed,
                sink=stream_sink,
                collect=False,
            )
            feed_bytes = decoder.feed
            for chunk in iter_sse_chunks(stream):
                feed_bytes(chunk)
            decoder.finish()
        else:
            feed_raw = replayer.feed_raw
            for raw in iter_raw_events(stream, sink=stream_sink, strict=strict):
                feed_raw(raw)
        result = replayer.finish()
        if stream.entry is not None:
            diags = [_in_har(d, stream) for d in result.diagnostics]
            if n == 0:
                diags = capture_diags + diags
            result = attrs.evolve(
                result,
                diagnostics=sort_diagnostics(diags),
                entry=stream.entry,
                label=stream.label,
                started=stream.started,
                started_text=stream.started_text,
                timings=stream.timings,
                timeline=None
                if result.timeline is None
                else [attrs.evolve(t, entry=stream.entry) for t in result.timeline],
            )
        yield result


def _in_har(d: Diagnostic, stream: Any) -> Diagnostic:
    body_line = d.location.line
    where = f"HAR entry {stream.entry}" + (f", body line {body_line}" if stream.format == "sse" and body_line else "")
    return attrs.evolve(
        d,
        message=f"{where}: {d.message}",
        location=Location(line=stream.har_line, column=1, pointer=stream.har_pointer),
    )


def replay_file(
    source: bytes | str | os.PathLike[str],
    *,
    strict: bool = False,
    partial_json: bool = False,
    to: str | None = None,
    input_format: str | None = None,
    entry: int | None = None,
    timeline: bool = False,
) -> ReplayResult:
    """Replay a capture with one stream (the first, or HAR ``entry``) into a :class:`ReplayResult`.

    ``source`` is a path or the capture's bytes.  Never raises on bad content (a missing
    file raises ``OSError``).  For a HAR file with several streams use :func:`replay_all`.
    """
    results = replay_all(
        source,
        strict=strict,
        partial_json=partial_json,
        to=to,
        input_format=input_format,
        entry=entry,
        timeline=timeline,
    )
    return next(iter(results))


def lint_stream(
    data: bytes,
    *,
    strict: bool = False,
    to: str | None = None,
    input_format: str | None = None,
) -> list[Diagnostic]:
    """Every diagnostic for a capture (all its streams), sorted; locations without a file."""
    diagnostics: list[Diagnostic] = []
    for result in replay_all(data, strict=strict, to=to, input_format=input_format):
        diagnostics.extend(result.diagnostics)
    return sort_diagnostics(diagnostics)
