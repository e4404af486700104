"""The WHATWG ``text/event-stream`` parsing algorithm, incremental over byte chunks.

:class:`SseDecoder` follows the HTML standard's "event stream interpretation" exactly:

- lines end at CRLF, a lone LF or a lone CR (a CR ending one chunk and an LF starting the
  next are *one* line end); one leading UTF-8 BOM is dropped;
- a line starting with ``:`` is a comment; a line without a colon is a field name with an
  empty value; exactly one space after the colon is removed;
- ``data`` lines are joined with LF; ``event`` names the event; ``id`` sets the last event
  id (ignored when it contains NUL) and persists across events; ``retry`` is taken only when
  it is all ASCII digits; other fields are ignored;
- a blank line dispatches the event, unless no ``data`` line was seen.

Where the standard silently ignores something, the decoder also reports a diagnostic
(``S0xx``), located at the line it concerns: a ``retry`` that is not digits, an event with a
name but no data, an unknown field, an ``id`` with NUL, a line that is not UTF-8 (``X001``).
One deliberate departure: a capture whose last event has no closing blank line would lose
that event under the standard; the decoder dispatches it (``terminated=False``) with an
``S001`` warning, because real captures often end that way.  ``strict=True`` drops it, as
the standard does (still with the warning).

Speed: complete lines are found with ``bytes.rfind`` and split with ``split``/``splitlines``
(no per-character Python loop), and a chunk is decoded from UTF-8 in one call.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from attrs import frozen

from transcript.core.codes import INVALID_UTF8
from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location
from transcript.stream import codes
from transcript.stream.sdk_errors import TS_UNTERMINATED

__all__ = ["SseEvent", "SseDecoder", "iter_sse", "parse_sse"]

_BOM = b"\xef\xbb\xbf"
_LINE_END = re.compile(r"\r\n|\r|\n")
_KNOWN_FIELDS = frozenset({"event", "data", "id", "retry"})


@frozen
class SseEvent:
    """One dispatched event and where it came from.

    ``event`` is the ``event:`` field (``None`` when the event had none; the standard then
    calls it ``message``); ``data`` is the joined data; ``id`` is the last event id in force;
    ``retry`` the reconnection time this event set (``None`` when it set none).  ``line`` is
    the first line of the event, ``end_line`` its last (the blank line that dispatched it, or
    its last line when ``terminated`` is false).  ``entry`` is the HAR entry the event came
    from, and ``time`` a capture timestamp in seconds, when the capture records one.
    """

    event: str | None
    data: str
    id: str | None = None
    retry: int | None = None
    line: int = 1
    end_line: int = 1
    terminated: bool = True
    entry: int | None = None
    time: float | None = None

    @property
    def type(self) -> str:
        """The event type as the standard defines it (``message`` when unnamed)."""
        return self.event or "message"


class SseDecoder:
    """Incremental event-stream decoder: ``feed(bytes) -> events``, then ``finish()``.

    ``first_line`` numbers the first line of the stream (for a body that follows HTTP
    headers).  ``factory`` builds each event from ``(event, data, id, retry, line, end_line,
    terminated)``; it defaults to :class:`SseEvent`.  With ``collect=False`` the factory's
    results are not kept (``feed`` returns ``[]``): the factory is then a callback that
    consumes each event as it is decoded.  Diagnostics accumulate in :attr:`diagnostics`.
    Never raises on any bytes.
    """

    def __init__(
        self,
        *,
        strict: bool = False,
        first_line: int = 1,
        factory: Callable[..., Any] | None = None,
        sink: DiagnosticSink | None = None,
        collect: bool = True,
    ) -> None:
        self.strict = strict
        self._factory = factory or SseEvent
        self._collect = collect
        self._sink = sink if sink is not None else DiagnosticSink()
        self._pending = b""
        self._tail: list[bytes] = []  # chunks after _pending that hold no line end (a long line)
        self._skip_lf = False
        self._started = False
        self._line = first_line - 1  # number of the last line processed
        # event being built
        self._event: str | None = None
        self._data: list[str] = []
        self._retry: int | None = None
        self._start = 0  # first line of the event being built (0: none yet)
        self.last_event_id: str | None = None
        self._finished = False

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self._sink.result()

    @property
    def line(self) -> int:
        """The number of the last complete line read."""
        return self._line

    # -- input ---------------------------------------------------------------------------

    def feed(self, chunk: bytes) -> list[Any]:
        """Decode a chunk of bytes; return the events it completes."""
        if not chunk:
            return []
        if self._started and not self._skip_lf and b"\n" not in chunk and b"\r" not in chunk:
            # the middle of a long line: keep the chunk, join once its line ends, so that a
            # line of n bytes costs O(n), not O(n * chunks)
            self._tail.append(chunk)
            return []
        if self._tail:
            buf = b"".join([self._pending, *self._tail, chunk])
            self._tail = []
        else:
            buf = self._pending + chunk if self._pending else chunk
        if not self._started:
            if len(buf) < 3 and _BOM.startswith(buf):
                self._pending = buf
                return []
            self._started = True
            if buf.startswith(_BOM):
                buf = buf[3:]
        if self._skip_lf:
            self._skip_lf = False
            if buf[:1] == b"\n":
                buf = buf[1:]
        last = max(buf.rfind(b"\n"), buf.rfind(b"\r"))
        if last < 0:
            self._pending = buf
            return []
        complete = buf[: last + 1]
        self._pending = buf[last + 1 :]
        if complete[-1:] == b"\r" and not self._pending:
            self._skip_lf = True
        out: list[Any] = []
        self._process(complete, out.append if self._collect else _ignore, final=False)
        return out

    def finish(self) -> list[Any]:
        """End of stream: process a last line without a line end, and an unterminated event."""
        if self._finished:
            return []
        self._finished = True
        out: list[Any] = []
        put = out.append if self._collect else _ignore
        tail = b"".join([self._pending, *self._tail]) if self._tail else self._pending
        self._pending = b""
        self._tail = []
        if not self._started and tail.startswith(_BOM):
            tail = tail[3:]
        self._started = True
        if tail:
            self._process(tail, put, final=True)
        if self._data:
            loc = Location(line=self._start, column=1, end_line=self._line)
            if self.strict:
                self._sink.add(
                    codes.UNTERMINATED_EVENT.diagnostic(
                        "the stream ends inside an event (no blank line after it); dropped, as the standard says",
                        loc,
                        hint="a complete stream ends with a blank line",
                    )
                )
            else:
                self._sink.add(
                    codes.UNTERMINATED_EVENT.diagnostic(
                        "the stream ends inside an event (no blank line after it); processed anyway",
                        loc,
                        hint=TS_UNTERMINATED,
                    )
                )
                put(self._emit(self._line, terminated=False))
        elif self._event is not None:
            self._no_data(self._line)
        self._reset()
        return out

    # -- lines -----------------------------------------------------------------------------

    def _process(self, complete: bytes, out: Callable[[Any], Any], *, final: bool) -> None:
        try:
            text = complete.decode("utf-8")
        except UnicodeDecodeError:
            self._process_lines_slow(complete, out, final=final)
            return
        if "\r" in text:
            lines = _LINE_END.split(text)
        else:
            lines = text.split("\n")
        if not final:
            lines.pop()  # the empty string after the last line end
        self._lines(lines, out)

    def _process_lines_slow(self, complete: bytes, out: Callable[[Any], Any], *, final: bool) -> None:
        """Line by line, locating each byte sequence that is not UTF-8 as its line is read
        (so the diagnostics come in input order, however the input was cut into chunks)."""
        self._lines(self._decoded_lines(complete), out)

    def _decoded_lines(self, complete: bytes) -> Iterator[str]:
        number = self._line
        for raw in complete.splitlines():
            number += 1
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                column = len(raw[: exc.start].decode("utf-8", "replace")) + 1
                self._sink.add(
                    INVALID_UTF8.diagnostic(
                        f"invalid UTF-8 in the event stream ({exc.reason}; bytes {raw[exc.start : exc.start + 4].hex(' ')})",
                        Location(line=number, column=column),
                        hint="the event stream must be UTF-8; the bad bytes were replaced with U+FFFD",
                    )
                )
                yield raw.decode("utf-8", "replace")

    def _lines(self, lines: Iterable[str], put: Callable[[Any], Any]) -> None:
        number = self._line
        data = self._data
        for line in lines:
            number += 1
            if not line:
                if data:
                    self._line = number
                    put(self._emit(number, terminated=True))
                    data = self._data
                elif self._event is not None:
                    self._no_data(number)
                self._event = None
                self._retry = None
                self._start = 0
                continue
            if line.startswith("data: "):
                if not self._start:
                    self._start = number
                data.append(line[6:])
                continue
            if line.startswith("event: "):
                if not self._start:
                    self._start = number
                self._event = line[7:]
                continue
            if line[0] == ":":
                continue
            if not self._start:
                self._start = number
            colon = line.find(":")
            if colon < 0:
                name, value = line, ""
            else:
                name = line[:colon]
                value = line[colon + 1 :]
                if value[:1] == " ":
                    value = value[1:]
            if name == "event":
                self._event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                if "\x00" in value:
                    self._sink.add(
                        codes.INVALID_EVENT_ID.diagnostic(
                            "an id field containing NUL is ignored",
                            Location(line=number, column=1),
                        )
                    )
                else:
                    self.last_event_id = value
            elif name == "retry":
                if value and value.isascii() and value.isdigit():
                    self._retry = int(value)
                else:
                    self._sink.add(
                        codes.INVALID_RETRY.diagnostic(
                            f"retry value {value[:40]!r} is not all ASCII digits; ignored",
                            Location(line=number, column=1),
                        )
                    )
            else:
                self._sink.add(
                    codes.UNKNOWN_SSE_FIELD.diagnostic(
                        f"unknown field {name[:40]!r} is ignored (fields are event, data, id and retry)",
                        Location(line=number, column=1),
                        hint="field names are case-sensitive" if name.lower() in _KNOWN_FIELDS else None,
                    )
                )
        self._line = number

    def _emit(self, end_line: int, *, terminated: bool) -> Any:
        data = self._data
        joined = data[0] if len(data) == 1 else "\n".join(data)
        event = self._factory(
            self._event,
            joined,
            self.last_event_id,
            self._retry,
            self._start or end_line,
            end_line,
            terminated,
        )
        self._data = []
        self._event = None
        self._retry = None
        self._start = 0
        return event

    def _no_data(self, number: int) -> None:
        self._sink.add(
            codes.EVENT_WITHOUT_DATA.diagnostic(
                f"event {self._event!r} has no data line; not dispatched",
                Location(line=self._start or number, column=1),
            )
        )

    def _reset(self) -> None:
        self._data = []
        self._event = None
        self._retry = None
        self._start = 0


def _ignore(value: Any) -> None:
    return None


def iter_sse(chunks: Iterable[bytes], *, strict: bool = False) -> Iterator[SseEvent]:
    """Events from an iterable of byte chunks (diagnostics are discarded)."""
    decoder = SseDecoder(strict=strict)
    for chunk in chunks:
        yield from decoder.feed(chunk)
    yield from decoder.finish()


def parse_sse(data: bytes | str, *, strict: bool = False) -> tuple[list[SseEvent], list[Diagnostic]]:
    """All events of a whole stream, and the decoder's diagnostics."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    decoder = SseDecoder(strict=strict)
    events = decoder.feed(data)
    events.extend(decoder.finish())
    return events, decoder.diagnostics
