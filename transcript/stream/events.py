"""Events as a capture hands them to the replayer, and where a stream diagnostic points.

:class:`RawEvent` is one event of a capture (from
:func:`transcript.stream.captures.iter_raw_events`): its name, its payload (JSON text, or
an already parsed value) and its place in the capture.  On the replayer's own path no
such object is made: :func:`transcript.stream.captures.feed_events` and the SSE decoder
hand the same fields positionally to an :class:`EventConsumer`,
:meth:`transcript.stream.replayer.Replayer.feed_fields`, one call per event.
"""

from __future__ import annotations

from typing import Any, Protocol

from attrs import frozen

from transcript.core.diagnostics import Location

__all__ = ["RawEvent", "EventConsumer", "at_line"]


@frozen
class RawEvent:
    """One event of a capture, before its payload is judged.

    ``name`` is the SSE ``event:`` name or a JSONL wrapper's ``event`` (``None`` when there
    is none); ``payload`` the ``data`` as JSON text, or a parsed value (a JSONL record, a
    HAR message's data).  ``line`` and ``end_line`` are the first and last line of the event
    in its stream, ``terminated`` is false for a last SSE event with no closing blank line;
    ``entry`` is the HAR entry and ``time`` a capture timestamp in seconds, when known.
    """

    name: str | None
    payload: Any
    line: int = 1
    end_line: int = 1
    terminated: bool = True
    entry: int | None = None
    time: float | None = None


class EventConsumer(Protocol):
    """What takes events as their fields: the :class:`~transcript.stream.sse.SseDecoder`'s
    ``factory`` signature (``id`` and ``retry`` are the SSE fields), with the HAR ``entry``
    and the capture ``time`` after it, as :meth:`Replayer.feed_fields` takes them."""

    def __call__(
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
    ) -> None: ...


def at_line(line: int, end_line: int | None = None) -> Location:
    """The location of an event (or of the stream's end): its lines, from column 1."""
    return Location(line=line, column=1, end_line=end_line)
