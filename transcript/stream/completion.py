"""Legacy Text Completions streams: the Completion they add up to, and the Message it becomes.

A legacy stream is a run of ``completion`` events (``event: completion``), or, before API
version 2023-06-01, data-only events each carrying the whole text so far and ending with
``data: [DONE]`` (cumulative).  :class:`CompletionStream` accumulates either form into the
Completion a non-streaming request would have returned, reporting what only a stream can
get wrong: text that does not grow in a cumulative stream (``L101``), legacy fields with
no Messages equivalent (``L102``), a stream cut before its final ``stop_reason`` (``L104``).

:func:`stream_completion_to_message` turns that Completion into a Message (converter spec
4.5, rows 52-54) with :func:`transcript.legacy.migrate.completion_to_message`, the one
conversion of a Completion; its diagnostics are moved to the stream's lines, and the two
the converter reports for any Completion take the stream's codes: ``L105`` for ``L006``
(a ``stop_sequence`` stop without the sequence, taken as ``end_turn``) and ``L103`` for
``L005`` (no usage).
"""

from __future__ import annotations

from typing import Any

from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location
from transcript.core.jsontext import type_name
from transcript.core.registry import Rule
from transcript.legacy import codes as legacy_codes
from transcript.legacy.responses import completion_to_message
from transcript.stream import codes
from transcript.stream.events import at_line

__all__ = ["CompletionStream", "stream_completion_to_message", "STREAM_FIELDS"]

#: Fields of a completion event the stream reports itself (``L102``) and the Message does
#: not carry; they are not handed to the converter, which would carry them over.
STREAM_FIELDS = ("exception", "truncated")

#: converter code -> the stream's code for the same finding
_STREAM_CODES: dict[str, Rule] = {
    legacy_codes.STOP_REASON_ASSUMED.code: legacy_codes.LEGACY_STOP_REASON_ASSUMED,
    legacy_codes.USAGE_UNAVAILABLE.code: legacy_codes.LEGACY_STREAM_USAGE_UNAVAILABLE,
}


class CompletionStream:
    """The Completion being built from a legacy stream's ``completion`` events.

    ``cumulative`` streams carry the whole text so far in each event (the difference from
    the previous one is the new piece).  ``stopped`` is set by the event with the final
    ``stop_reason`` (or by an error event, see the replayer); ``done`` by ``data: [DONE]``.
    Diagnostics go to ``sink``.
    """

    __slots__ = (
        "cumulative",
        "sink",
        "parts",
        "previous",
        "last",
        "last_line",
        "last_end_line",
        "stopped",
        "model",
        "first_id",
        "warned_fields",
        "done",
    )

    def __init__(self, *, cumulative: bool, sink: DiagnosticSink) -> None:
        self.cumulative = cumulative
        self.sink = sink
        self.parts: list[str] = []
        self.previous = ""
        self.last: dict[str, Any] | None = None
        self.last_line = 1  # the lines of the last completion event applied
        self.last_end_line = 1
        self.stopped = False
        self.model: Any = None
        self.first_id: Any = None
        self.warned_fields = False
        self.done = False

    def add(self, obj: dict[str, Any], line: int, end_line: int) -> None:
        """Apply one ``completion`` event."""
        add = self.sink.add
        text = obj.get("completion")
        if type(text) is not str:
            add(codes.MALFORMED_EVENT.diagnostic(f"completion must be a string, not {type_name(text)}", at_line(line, end_line)))
            return
        if (obj.get("exception") is not None or obj.get("truncated")) and not self.warned_fields:
            self.warned_fields = True
            fields = [f"{k}={obj.get(k)!r}" for k in STREAM_FIELDS if k in obj]
            add(
                legacy_codes.LEGACY_STREAM_FIELDS.diagnostic(
                    f"legacy fields with no Messages equivalent: {', '.join(fields)}", at_line(line, end_line)
                )
            )
        if self.cumulative:
            previous = self.previous
            if text.startswith(previous):
                piece = text[len(previous) :]
            else:
                add(
                    legacy_codes.NONMONOTONIC_CUMULATIVE_STREAM.diagnostic(
                        "this cumulative completion does not extend the previous one; the text so far is replaced",
                        at_line(line, end_line),
                    )
                )
                self.parts = []
                piece = text
            self.previous = text
        else:
            piece = text
        if piece:
            self.parts.append(piece)
        self.last = obj
        self.last_line = line
        self.last_end_line = end_line
        if obj.get("stop_reason") is not None:
            self.stopped = True
        if self.model is None and obj.get("model") is not None:
            self.model = obj.get("model")
        if self.first_id is None and isinstance(obj.get("id"), str):
            self.first_id = obj["id"]

    def finish(self, line: int, *, errored: bool = False) -> dict[str, Any]:
        """The Completion: the last event's fields with the whole text.

        A stream that ends (at ``line``) without a final ``stop_reason``, and not because of
        an error event, is reported as cut (``L104``).
        """
        completion: dict[str, Any] = {"type": "completion"}
        last = self.last or {}
        if self.first_id is not None and "id" not in last:
            completion["id"] = self.first_id
        completion.update(last)
        completion["type"] = "completion"
        completion["completion"] = "".join(self.parts)
        if self.model is not None:
            completion.setdefault("model", self.model)
        completion.setdefault("stop_reason", None)
        if not self.stopped and not errored:
            self.sink.add(
                legacy_codes.LEGACY_STREAM_TRUNCATED.diagnostic(
                    "the completion stream ends without a final stop_reason", at_line(line)
                )
            )
        return completion

    def to_message(self, completion: dict[str, Any]) -> dict[str, Any] | None:
        """The Message of :meth:`finish`'s Completion (``None`` when it has none), its
        diagnostics at the last completion event."""
        message, diagnostics = stream_completion_to_message(
            completion, at_line(self.last_line, self.last_end_line)
        )
        self.sink.extend(diagnostics)
        return message


def stream_completion_to_message(
    completion: dict[str, Any], location: Location
) -> tuple[dict[str, Any] | None, list[Diagnostic]]:
    """A streamed Completion as a Message, and the conversion's diagnostics at ``location``.

    The Message always has an ``id`` (a stream's Completion often has only a ``log_id``:
    ``msg_<log_id>``, else ``msg_legacy``) and a ``model`` (``None`` when no event named
    one); the stream-only fields of :data:`STREAM_FIELDS` are left out.  A diagnostic about
    the whole Completion (no usage) is located at line 1, as the stream's other
    whole-stream findings are.
    """
    ident = completion.get("id")
    if not isinstance(ident, str):
        log_id = completion.get("log_id")
        ident = f"msg_{log_id}" if isinstance(log_id, str) and log_id else "msg_legacy"
    body: dict[str, Any] = {"id": ident, "model": completion.get("model")}
    for key, value in completion.items():
        if key not in body and key not in STREAM_FIELDS:
            body[key] = value
    conversion = completion_to_message(body)
    whole = at_line(1)
    diagnostics = []
    for d in conversion.diagnostics:
        where = whole if d.location.pointer == "" else location
        rule = _STREAM_CODES.get(d.code)
        if rule is None:
            diagnostics.append(d.with_location(where))
        else:
            diagnostics.append(rule.diagnostic(d.message, where, hint=d.hint))
    return conversion.value, diagnostics
