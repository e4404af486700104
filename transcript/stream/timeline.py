"""The timeline of ``replay --format text``: a stream's events, alike neighbours merged.

:class:`Timeline` is fed each event the replayer applies (:meth:`Timeline.note`) and keeps
runs of consecutive events of the same kind as :class:`TimelineEntry` values: a run of
200,000 text deltas is one entry with a count, the characters they carried and the time
they took.  The text view (:mod:`transcript.stream.view`) prints them.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from transcript.core.jsontext import short_json

__all__ = ["TimelineEntry", "Timeline", "describe_event", "shown"]

#: event types whose consecutive alike events make one run
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


class Timeline:
    """Timeline entries, built one event at a time.

    The current run is a small mutable list; it becomes a frozen entry when the next
    unlike event arrives (or at :meth:`close`), so a long run costs no object per event.
    """

    __slots__ = ("entries", "_run")

    def __init__(self) -> None:
        self.entries: list[TimelineEntry] = []
        self._run: list[Any] | None = None

    def note(self, obj: dict[str, Any], etype: str, line: int, entry: Any, time: Any) -> None:
        """Add an event, merged into the current run when it is alike."""
        detail, chars = describe_event(obj, etype)
        stamp = _seconds(time)
        run = self._run
        if run is not None and run[0] == etype and run[1] == detail and etype in _MERGED:
            run[2] += 1
            run[3] += chars
            run[5] = line
            if stamp is not None:
                run[7] = stamp
            return
        self.close()
        self._run = [etype, detail, 1, chars, line, line, stamp, stamp, entry]

    def close(self) -> None:
        """End the current run (the next event starts a new one)."""
        run = self._run
        if run is not None:
            event, detail, count, chars, line, last_line, time, last_time, entry = run
            self.entries.append(
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


def _object_field(obj: dict[str, Any], key: str) -> dict[str, Any]:
    """``obj[key]`` when it is an object, else an empty one."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def shown(value: Any, limit: int = 60) -> str:
    """A field of an event as the text view shows it: a string bare and cut to ``limit``,
    any other value as short JSON (:func:`~transcript.core.jsontext.short_json`)."""
    return "None" if value is None else short_json(value, limit, quote=False)


def describe_event(obj: dict[str, Any], etype: Any) -> tuple[str, int]:
    """A short detail for the timeline, and the characters of content the event carries."""
    if etype == "content_block_delta":
        delta = _object_field(obj, "delta")
        for key in ("text", "thinking", "partial_json"):
            if isinstance(delta.get(key), str):
                return f"[{shown(obj.get('index'))}] {shown(delta.get('type'))}", len(delta[key])
        return f"[{shown(obj.get('index'))}] {shown(delta.get('type'))}", 0
    if etype == "content_block_start":
        block = _object_field(obj, "content_block")
        name = block.get("name")
        return f"[{shown(obj.get('index'))}] {shown(block.get('type'))}" + (f" {shown(name)}" if isinstance(name, str) else ""), 0
    if etype == "content_block_stop":
        return f"[{shown(obj.get('index'))}]", 0
    if etype == "message_delta":
        delta = _object_field(obj, "delta")
        usage = _object_field(obj, "usage")
        return f"stop_reason={shown(delta.get('stop_reason'))} output_tokens={shown(usage.get('output_tokens'))}", 0
    if etype == "message_start":
        msg = _object_field(obj, "message")
        return f"{shown(msg.get('id'))} {shown(msg.get('model'))}", 0
    if etype == "error":
        err = _object_field(obj, "error")
        return f"{shown(err.get('type'))}: {shown(err.get('message'), 200)}", 0
    if etype == "completion":
        text = obj.get("completion")
        stop = obj.get("stop_reason")
        return (f"stop_reason={shown(stop)}" if stop else ""), len(text) if isinstance(text, str) else 0
    return "", 0


def _seconds(time: Any) -> float | None:
    """A capture timestamp, when it is a number of seconds."""
    return time if isinstance(time, (int, float)) and not isinstance(time, bool) else None
