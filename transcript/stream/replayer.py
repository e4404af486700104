"""The replayer: a captured stream's events, checked for order, folded into the final Message.

:class:`Replayer` accepts events one at a time (:meth:`Replayer.feed`, usable on a live
stream) and :meth:`Replayer.finish` returns a :class:`ReplayResult`.  It decodes each
event's JSON, checks its name against its type and its place in the stream (``S1xx``:
``message_start`` first, nothing after ``message_stop`` or an error event...), and hands
the events of a message to a :class:`~transcript.stream.accumulator.MessageAccumulator`,
which builds the Message the official SDK's ``MessageStream`` builds from a valid stream.

A broken stream still yields everything that could be rebuilt, with diagnostics.  Legacy
Text Completions streams (``event: completion``, and the data-only cumulative form of API
versions before 2023-06-01 ending with ``data: [DONE]``) are handed to a
:class:`~transcript.stream.completion.CompletionStream` and replay to a Completion, or
with ``to="messages"`` to a Message (converter spec 4.5).  With ``timeline=True`` the
events are also noted in a :class:`~transcript.stream.timeline.Timeline`.

Speed: the SSE decoder calls :meth:`Replayer.feed_fields` with each event's fields (no
object per event), and a text or tool JSON delta in the middle of a message takes one JSON
parse and a few lookups before its piece is appended.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from attrs import field, frozen

from transcript.core.diagnostics import (
    Diagnostic,
    DiagnosticSink,
    Severity,
    diagnostic_tuple,
    sort_diagnostics,
)
from transcript.core.jsontext import short_json, type_name
from transcript.stream import codes
from transcript.stream.accumulator import MessageAccumulator
from transcript.stream.blocks import EVENTS
from transcript.stream.completion import CompletionStream
from transcript.stream.events import RawEvent, at_line
from transcript.stream.sdk_errors import TS_NO_MESSAGE_STOP, python_sdk_note
from transcript.stream.sse import SseEvent
from transcript.stream.timeline import Timeline, TimelineEntry

__all__ = ["Replayer", "ReplayResult"]

_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError
_loc = at_line

# phases of a Messages stream
_BEFORE, _CONTENT, _DELTA, _STOPPED, _ERRORED = range(5)


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
    #: The 1-based line of the JSONL record a stream was selected from (``--record-pointer``).
    record_line: int | None = None
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


class Replayer:
    """Fold stream events into a Message, reporting every order violation.

    ``feed`` accepts an :class:`~transcript.stream.sse.SseEvent`, a
    :class:`~transcript.stream.events.RawEvent` or a parsed event dict (a JSONL record, an
    SDK event's ``to_dict()``); :meth:`feed_fields` takes an event's fields, as the SSE
    decoder's ``factory``.  ``finish`` closes the stream and returns the
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
        self._accumulator = MessageAccumulator(self._add, partial_json=partial_json)
        self._delta = self._accumulator.delta  # the hot path, bound once
        self._phase = _BEFORE
        self.events = 0
        self.error: dict[str, Any] | None = None
        self._legacy: CompletionStream | None = None
        self._timeline: Timeline | None = Timeline() if timeline else None
        self._last_line = 0
        self._early = 0  # events before message_start
        self._finished: ReplayResult | None = None

    # -- public -----------------------------------------------------------------------------

    def feed(self, event: SseEvent | RawEvent | Mapping[str, Any]) -> None:
        """Apply one event: an :class:`~transcript.stream.sse.SseEvent`, a
        :class:`~transcript.stream.events.RawEvent`, a parsed event dict (``{"type":
        "message_start", ...}``, as an SDK event's ``to_dict()`` gives; it is taken as named
        after its type, as on the wire) or a JSONL capture record (``{"event": name,
        "data": event}``, with an optional ``timestamp`` in seconds).

        Feeding after :meth:`finish` is a ``RuntimeError``: the result is final.
        """
        if self._finished is not None:
            raise RuntimeError("feed() after finish(): the stream is closed and its result final")
        if isinstance(event, SseEvent):
            self.feed_fields(
                event.event, event.data, event.id, event.retry, event.line, event.end_line, event.terminated, event.entry, event.time
            )
        elif isinstance(event, RawEvent):
            self.feed_raw(event)
        elif isinstance(event, Mapping):
            name: Any = event.get("type")
            payload: Any = event
            time: Any = None
            if "data" in event and ("event" in event or "type" not in event):  # a JSONL record
                name, payload = event.get("event"), event["data"]
                stamp = event.get("timestamp")
                time = float(stamp) if isinstance(stamp, (int, float)) and not isinstance(stamp, bool) else None
            if isinstance(payload, Mapping):
                # a deep copy: the Message is built by mutating what message_start carried
                try:
                    payload = _loads(orjson.dumps(payload))
                except (TypeError, orjson.JSONEncodeError):
                    payload = copy.deepcopy(dict(payload))
            line = self._last_line + 1
            self.feed_fields(name if isinstance(name, str) else None, payload, None, None, line, line, True, None, time)
        else:
            raise TypeError(f"feed() takes an SseEvent, a RawEvent or an event dict, not {type(event).__name__}")

    def feed_raw(self, event: RawEvent) -> None:
        """Apply one event read from a capture (:func:`~transcript.stream.captures.iter_raw_events`)."""
        self.feed_fields(
            event.name, event.payload, None, None, event.line, event.end_line, event.terminated, event.entry, event.time
        )

    @property
    def message(self) -> dict[str, Any] | None:
        """The Message being built (``None`` before ``message_start``)."""
        return self._accumulator.message

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self._sink.result()

    def snapshot(self) -> dict[str, Any] | None:
        """The message so far (pending text joined), without finishing the stream."""
        return self._accumulator.snapshot()

    def feed_fields(
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
        """Apply one event given as its fields.

        The signature is the SSE decoder's ``factory``'s (``event, data, id, retry, line,
        end_line, terminated``; ``id`` and ``retry`` are not used), so a decoder can be
        given ``factory=replayer.feed_fields, collect=False`` and call it for every event
        it decodes, with no object per event.  ``payload`` is JSON text or a parsed value.
        """
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
            self._timeline.note(obj, etype, line, entry, time)
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
            self._accumulator.block_start(obj, line, end_line)
        elif etype == "content_block_stop":
            self._accumulator.block_stop(obj, line, end_line)
        elif etype == "message_delta":
            self._accumulator.message_delta(obj, line, end_line)
            self._phase = _DELTA
        elif etype == "message_stop":
            self._accumulator.message_stop(line, end_line)
            self._phase = _STOPPED
        else:
            self._unknown_event(etype, line, end_line)

    # -- diagnostics helpers -----------------------------------------------------------------------

    def _invalid_json(self, name: str | None, payload: str, line: int, end_line: int, exc: Exception) -> None:
        if payload.strip() == "[DONE]" and (self._legacy is not None or self.message is None):
            if self._legacy is None:
                self._legacy = CompletionStream(cumulative=True, sink=self._sink)
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
                f"SSE event name {short_json(name)} but the data's type is {short_json(etype)}", _loc(line, end_line)
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
        if self._phase != _BEFORE:
            self._add(
                codes.DUPLICATE_MESSAGE_START.diagnostic(
                    "a second message_start; not applied (two streams in one capture?)", _loc(line, end_line)
                )
            )
            return
        self._accumulator.start(obj, line, end_line)
        self._phase = _CONTENT

    def _error_event(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        err = obj.get("error")
        if type(err) is dict:
            etype, msg = err.get("type"), err.get("message")
            shown = short_json(etype, quote=False)
            text = f"{shown}: {short_json(msg, 2000, quote=False)}" if msg is not None else shown
            self.error = err
        else:
            text = "(no error object)"
            self.error = {"type": None, "message": None}
        self._add(
            codes.ERROR_EVENT.diagnostic(
                f"error event: {text}", _loc(line, end_line), hint=python_sdk_note(self.error.get("type"))
            )
        )
        self._accumulator.close_open_blocks(line, end_line)
        self._phase = _ERRORED

    # -- legacy completions ------------------------------------------------------------------------

    def _completion_event(self, name: str | None, obj: dict[str, Any], line: int, end_line: int) -> None:
        legacy = self._legacy
        if legacy is None:
            if self.message is not None:
                self._add(
                    codes.UNKNOWN_EVENT_TYPE.diagnostic(
                        "a legacy completion event inside a Messages stream; ignored", _loc(line, end_line)
                    )
                )
                return
            legacy = self._legacy = CompletionStream(cumulative=name is None, sink=self._sink)
        etype = obj.get("type", "completion")
        if legacy.stopped and etype != "ping":
            self._add(
                codes.EVENT_AFTER_MESSAGE_STOP.diagnostic(
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
        legacy.add(obj, line, end_line)

    # -- end ----------------------------------------------------------------------------------------

    def finish(self) -> ReplayResult:
        if self._finished is not None:
            return self._finished
        if self._timeline is not None:
            self._timeline.close()
        line = self._last_line or 1
        if self._legacy is not None:
            result = self._finish_legacy(line)
            self._finished = result
            return result
        if self.message is None:
            if self.events == 0:
                if not any(d.severity is Severity.ERROR for d in self._sink.items):
                    self._add(codes.NO_EVENTS.diagnostic("the input contains no events", _loc(1)))
            elif not any(d.code == codes.MISSING_MESSAGE_START.code for d in self._sink.items):
                self._add(codes.MISSING_MESSAGE_START.diagnostic("no message_start in the stream", _loc(1)))
        elif self._phase in (_CONTENT, _DELTA):
            self._accumulator.close_open_blocks(line, line)
            self._add(
                codes.TRUNCATED_STREAM.diagnostic(
                    "the stream ends without message_stop"
                    + (" (no message_delta either)" if self._phase == _CONTENT else ""),
                    _loc(line),
                    hint=TS_NO_MESSAGE_STOP,
                )
            )
        else:
            self._accumulator.close_open_blocks(line, line)
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
            timeline=self._timeline_entries(),
        )
        return self._finished

    def _timeline_entries(self) -> list[TimelineEntry] | None:
        return None if self._timeline is None else self._timeline.entries

    def _finish_legacy(self, line: int) -> ReplayResult:
        legacy = self._legacy
        assert legacy is not None
        completion = legacy.finish(line, errored=self.error is not None)
        message = legacy.to_message(completion) if self.to == "messages" else None
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
            timeline=self._timeline_entries(),
        )
