"""Captured streams: raw ``text/event-stream`` (with or without the HTTP response headers
``curl -i -N`` prints), HAR files and JSONL event logs, detected by content.

:func:`open_capture` turns input bytes (or a file path, read in chunks) into
:class:`CaptureStream` values, one per stream in the capture (a HAR file may hold several),
and :func:`iter_raw_events` yields each stream's events as
:class:`~transcript.stream.events.RawEvent` values: ``payload`` is the JSON text of an SSE
``data`` field, or an already parsed JSON value for JSONL and HAR message lists.
:func:`feed_events` hands the same events to a consumer as fields, with no object per
event: how the replayer reads them.  Nothing here raises on bad content: problems are
diagnostics in the sink.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import orjson
from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location
from transcript.core.jsonpos import PointerIndex
from transcript.core.jsontext import load_json, type_name
from transcript.core.sources import binary_diagnostic, decode_text, utf16_diagnostic
from transcript.stream.codes import (
    HTTP_ERROR_STATUS,
    INVALID_CAPTURE,
    INVALID_EVENT_JSON,
    NO_STREAM_IN_HAR,
)
from transcript.stream.events import EventConsumer, RawEvent
from transcript.stream.sse import SseDecoder

__all__ = [
    "InputFormat",
    "INPUT_FORMATS",
    "CaptureStream",
    "sniff_format",
    "open_capture",
    "feed_events",
    "iter_raw_events",
    "iter_sse_chunks",
    "parse_time",
]

INPUT_FORMATS = ("sse", "har", "jsonl")
#: A capture format, as ``--input-format`` names it.
InputFormat = Literal["sse", "har", "jsonl"]
CHUNK = 1 << 18
_SSE_FIELDS = (b"event:", b"data:", b"id:", b"retry:", b":")
_FRACTION = re.compile(r"\.(\d+)(?=[+-]\d\d:?\d\d$|$)")
_TIME_KEYS = ("timestamp", "time", "ts", "received_at", "receivedAt", "t")


@frozen
class CaptureStream:
    """One stream in a capture, and where to read it from.

    ``format`` is ``sse`` (bytes in ``data``, or a HAR body's text there, which is encoded a
    chunk at a time as it is read; or the file at ``path`` from byte ``offset``),
    ``jsonl`` (the file at ``path``, or ``data``) or ``events`` (``events``: pre-parsed
    ``(name, payload, time)`` from a HAR ``_eventSourceMessages`` list).  ``first_line``
    numbers the first line of the body.  HAR streams carry their ``entry`` number, request
    ``label``, ``started`` time (seconds since the epoch), ``timings`` and, in ``har_line``
    and ``har_pointer``, where the body sits in the HAR file.
    """

    format: str
    data: bytes | str | None = None
    path: str | None = None
    offset: int = 0
    first_line: int = 1
    entry: int | None = None
    label: str | None = None
    started: float | None = None
    started_text: str | None = None
    timings: dict[str, Any] | None = field(default=None, eq=False)
    status: int | None = None
    har_line: int | None = None
    har_pointer: str | None = None
    events: tuple[tuple[Any, Any, Any], ...] | None = field(default=None, eq=False)


# --- detection -------------------------------------------------------------------------------


#: How many lines after a broken first one :func:`sniff_format` reads for a JSON object.
_SNIFF_LINES = 16


def _later_line_is_event(head: bytes) -> bool:
    """Whether the first line of ``head`` after the first that parses is a stream event record."""
    for raw in head.split(b"\n")[1 : _SNIFF_LINES + 1]:
        line = raw.strip()
        if not line:
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue
        return isinstance(value, dict) and _is_event_object(value)
    return False


def sniff_format(text: str | bytes) -> str | None:
    """``sse``, ``har``, ``jsonl`` or ``None``, from the first bytes of a capture."""
    head = text[:65536].encode("utf-8", "replace") if isinstance(text, str) else text[:65536]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    stripped = head.lstrip()
    if stripped.startswith(b"HTTP/"):
        return "sse"
    if stripped.startswith(b"{"):
        first = stripped.split(b"\n", 1)[0].strip()
        if b'"log"' in stripped[:4096] and (first == b"{" or first.startswith(b'{"log"') or first.startswith(b'{ "log"')):
            return "har"
        try:
            value = orjson.loads(first)
        except orjson.JSONDecodeError:
            if b'"log"' in stripped[:200]:
                return "har"
            # a broken first line (a truncated write, a log prefix): the next lines that parse decide
            return "jsonl" if _later_line_is_event(stripped) else None
        if isinstance(value, dict):
            if "log" in value and isinstance(value.get("log"), dict):
                return "har"
            if _is_event_object(value):
                return "jsonl"
        return None
    for raw in head.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(_SSE_FIELDS):
            return "sse"
        return "jsonl" if _later_line_is_event(stripped) else None
    return None


def _is_event_object(value: dict[str, Any]) -> bool:
    t = value.get("type")
    if isinstance(t, str) and (t.startswith(("message_", "content_block_")) or t in ("ping", "error", "completion")):
        return True
    return "data" in value and ("event" in value or any(k in value for k in _TIME_KEYS))


# --- opening ----------------------------------------------------------------------------------


def open_capture(
    source: bytes | str | os.PathLike[str],
    *,
    input_format: str | None = None,
    sink: DiagnosticSink,
) -> list[CaptureStream]:
    """The streams in a capture.  ``source`` is the bytes, or a path read lazily.

    NUL bytes in a first 64 KB that is not UTF-8 make a binary file, not a capture: an
    ``X002`` diagnostic and no stream.
    """
    path: str | None = None
    data: bytes | None = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        head = data[:65536]
    else:
        path = os.fspath(source)
        with open(path, "rb") as fh:
            head = fh.read(65536)

    utf16 = utf16_diagnostic(head)
    if utf16 is not None:  # the verdict lint gives the same file
        sink.add(utf16)
        return []
    binary = binary_diagnostic(head)
    if binary is not None and not _utf8(head):
        # an image, an executable...: one X002, as lint gives, not a warning per "field"
        # (a NUL in UTF-8 text is left to the decoder: the standard ignores an id with one)
        sink.add(binary)
        return []
    # A name that says what the capture is wins over a look at its content (a JSONL log
    # whose first line is broken is still JSONL); then the content; then raw SSE.
    fmt = input_format or (_BY_EXTENSION.get(os.path.splitext(path)[1].lower()) if path else None) or sniff_format(head) or "sse"
    if fmt == "har":
        if data is None:
            assert path is not None  # no bytes were given, so a path was
            return _open_har(Path(path).read_bytes(), sink)  # its bytes held by _open_har alone
        return _open_har(data, sink)
    if fmt == "jsonl":
        return [CaptureStream(format="jsonl", data=data, path=path)]
    return [_open_sse(data, path, head, sink)]


#: Capture formats told by a file's extension.
_BY_EXTENSION = {".jsonl": "jsonl", ".ndjson": "jsonl", ".har": "har"}


def _utf8(head: bytes) -> bool:
    """Whether ``head`` is UTF-8 (a character cut at its end by the 64 KB read is fine)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.end == len(head) and exc.reason == "unexpected end of data"
    return True


def _open_sse(data: bytes | None, path: str | None, head: bytes, sink: DiagnosticSink) -> CaptureStream:
    """A raw event stream, skipping HTTP response headers on top (``curl -i``)."""
    offset = 0
    line = 1
    status: int | None = None
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while head[offset + start :].startswith(b"HTTP/"):
        block_start = offset + start
        end, sep = _header_end(head, block_start)
        if end < 0:
            break
        header = head[block_start:end]
        lines = header.splitlines()
        status = _status(lines[0]) if lines else None
        line += len(lines) + 1
        offset = end + sep
        start = 0
        if status is None or not 100 <= status < 200:
            break
    if status is not None and status != 200:
        body = (data[offset : offset + 65536] if data is not None else head[offset:]).decode("utf-8", "replace")
        sink.add(_http_status_diagnostic(status, body, Location(line=1, column=1)))
    return CaptureStream(format="sse", data=data, path=path, offset=offset, first_line=line, status=status)


def _header_end(head: bytes, start: int) -> tuple[int, int]:
    candidates = [(head.find(sep, start), len(sep)) for sep in (b"\r\n\r\n", b"\n\n", b"\r\r")]
    found = [(i, n) for i, n in candidates if i >= 0]
    if not found:
        return -1, 0
    return min(found)


def _status(status_line: bytes) -> int | None:
    parts = status_line.split()
    if len(parts) >= 2 and parts[1].isdigit():
        return int(parts[1])
    return None


def _http_status_diagnostic(status: int, body: str, location: Location) -> Diagnostic:

    detail = ""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        value = None
    if isinstance(value, dict) and isinstance(value.get("error"), dict):
        err = value["error"]
        detail = f": {err.get('type')}: {err.get('message')}"
    elif body.strip():
        detail = f": {body.strip()[:200]}"
    return HTTP_ERROR_STATUS.diagnostic(f"HTTP status {status}, not a 200 event stream{detail}", location)


def _open_har(data: bytes, sink: DiagnosticSink) -> list[CaptureStream]:
    text, diags = decode_text(data)
    del data  # the text is what is read from here on (and a HAR may be 200 MB)
    if text is None:
        sink.extend(diags)
        return []
    value, diags = load_json(text, check_duplicates=False)
    if diags:
        sink.extend(diags)
        return []
    index = PointerIndex(text)
    log = value.get("log") if isinstance(value, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        sink.add(
            INVALID_CAPTURE.diagnostic(
                'not a HAR file: expected {"log": {"entries": [...]}}', Location(line=1, column=1, pointer="/log/entries")
            )
        )
        return []
    streams: list[CaptureStream] = []
    for i, entry in enumerate(entries):
        pointer = f"/log/entries/{i}"
        if not isinstance(entry, dict):
            sink.add(INVALID_CAPTURE.diagnostic(f"HAR entry {i} is not an object", index.locate(pointer)))
            continue
        response = entry.get("response")
        if not isinstance(response, dict):
            continue
        content = response.get("content")
        if not isinstance(content, dict):
            continue
        mime = content.get("mimeType")
        if not (isinstance(mime, str) and "text/event-stream" in mime.lower()):
            mime = _header(response, "content-type")
            if not (isinstance(mime, str) and "text/event-stream" in mime.lower()):
                continue
        request = entry.get("request")
        label = None
        if isinstance(request, dict):
            label = f"{request.get('method', '')} {request.get('url', '')}".strip() or None
        started_text = entry.get("startedDateTime") if isinstance(entry.get("startedDateTime"), str) else None
        timings = entry.get("timings") if isinstance(entry.get("timings"), dict) else None
        status = response.get("status") if isinstance(response.get("status"), int) else None
        common: dict[str, Any] = dict(
            entry=i,
            label=label,
            started=parse_time(started_text),
            started_text=started_text,
            timings=timings,
            status=status,
        )
        body_text = content.get("text")
        body_pointer = f"{pointer}/response/content/text"
        if isinstance(body_text, str):
            har_loc = index.locate(body_pointer)
            body: bytes | str
            if content.get("encoding") == "base64":
                try:
                    body = base64.b64decode(body_text, validate=False)
                except (binascii.Error, ValueError) as exc:
                    sink.add(INVALID_CAPTURE.diagnostic(f"HAR entry {i}: content is not valid base64 ({exc})", har_loc))
                    continue
                if status is not None and status != 200:
                    sink.add(_http_status_diagnostic(status, body.decode("utf-8", "replace"), har_loc))
                    continue
            elif status is not None and status != 200:
                text_of_error = body_text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
                sink.add(_http_status_diagnostic(status, text_of_error, har_loc))
                continue
            else:
                body = body_text  # the HAR's own string: no copy of every body at once
            streams.append(
                CaptureStream(format="sse", data=body, har_line=har_loc.line, har_pointer=body_pointer, **common)
            )
            continue
        messages = entry.get("_eventSourceMessages")
        if isinstance(messages, list):
            events = []
            for m in messages:
                if isinstance(m, dict):
                    events.append((m.get("eventName") or m.get("type"), m.get("data"), m.get("time")))
            msg_pointer = f"{pointer}/_eventSourceMessages"
            streams.append(
                CaptureStream(
                    format="events",
                    events=tuple(events),
                    har_line=index.locate(msg_pointer).line,
                    har_pointer=msg_pointer,
                    **common,
                )
            )
            continue
        sink.add(
            INVALID_CAPTURE.diagnostic(
                f"HAR entry {i} is an event stream but its body was not saved (no response.content.text)",
                index.locate(f"{pointer}/response/content"),
                hint="export the HAR with content (in Chrome: 'Save all as HAR with content')",
            )
        )
    if not streams and not sink.items:
        sink.add(
            NO_STREAM_IN_HAR.diagnostic(
                f"no text/event-stream response among the {len(entries)} HAR entries", Location(line=1, column=1)
            )
        )
    return streams


def _header(response: dict[str, Any], name: str) -> str | None:
    headers = response.get("headers")
    if isinstance(headers, list):
        for h in headers:
            if isinstance(h, dict) and str(h.get("name", "")).lower() == name:
                value = h.get("value")
                return value if isinstance(value, str) else None
    return None


def parse_time(value: Any) -> float | None:
    """Seconds since the epoch from a number (seconds or milliseconds) or an ISO 8601 string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        v = float(value)
        return v / 1000.0 if v > 1e11 else v
    if isinstance(value, str) and value:
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        # Python 3.10's fromisoformat takes only 3 or 6 digits of fraction
        match = _FRACTION.search(text)
        if match:
            text = text[: match.start()] + "." + (match.group(1) + "000000")[:6] + text[match.end() :]
        try:
            moment = _dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                return parse_time(float(text))
            except ValueError:
                return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_dt.timezone.utc)
        return moment.timestamp()
    return None


# --- reading events -----------------------------------------------------------------------


def feed_events(stream: CaptureStream, consumer: EventConsumer, *, sink: DiagnosticSink, strict: bool = False) -> None:
    """Hand every event of one stream to ``consumer``, as its fields, read in chunks.

    No object is made per event: an ``sse`` body goes through an :class:`SseDecoder` whose
    factory is ``consumer``, and each record of a JSONL log or HAR message list is one call.
    """
    if stream.format == "sse":
        decoder = SseDecoder(strict=strict, first_line=stream.first_line, factory=consumer, sink=sink, collect=False)
        feed = decoder.feed
        for chunk in iter_sse_chunks(stream):
            feed(chunk)
        decoder.finish()
        return
    for name, payload, line, entry, time in _records(stream, sink):
        consumer(name, payload, None, None, line, line, True, entry, time)


def iter_raw_events(stream: CaptureStream, *, sink: DiagnosticSink, strict: bool = False) -> Iterator[RawEvent]:
    """The events of one stream as :class:`RawEvent` values, read in chunks (memory stays bounded)."""
    if stream.format == "sse":
        yield from _iter_sse(stream, sink, strict)
        return
    for name, payload, line, entry, time in _records(stream, sink):
        yield RawEvent(name, payload, line, line, True, entry, time)


def _raw(event: Any, data: Any, id_: Any, retry: Any, line: int, end_line: int, terminated: bool) -> RawEvent:
    """The SSE decoder's factory: a decoded event as a :class:`RawEvent`."""
    return RawEvent(event, data, line, end_line, terminated)


#: one record of a JSONL log or a HAR message list: ``(name, payload, line, entry, time)``
_Record = tuple[Any, Any, int, Any, Any]


def _records(stream: CaptureStream, sink: DiagnosticSink) -> Iterator[_Record]:
    """The records of a ``jsonl`` or ``events`` stream (an event is one line, or line 1)."""
    if stream.format == "jsonl":
        yield from _iter_jsonl(stream, sink)
    elif stream.format == "events":
        for name, data, time in stream.events or ():
            yield (name, data if data is not None else "", 1, stream.entry, parse_time(time))


def iter_sse_chunks(stream: CaptureStream) -> Iterator[bytes]:
    """The body of an ``sse`` stream in chunks of at most 256 KB (nothing for an HTTP error)."""
    if stream.status is not None and stream.status != 200:
        return
    data = stream.data
    if isinstance(data, str):
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK].encode("utf-8", "surrogatepass")
    elif data is not None:
        for start in range(stream.offset, len(data), CHUNK):
            yield data[start : start + CHUNK]
    elif stream.path is not None:
        with open(stream.path, "rb") as fh:
            fh.seek(stream.offset)
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                yield chunk


def _iter_sse(stream: CaptureStream, sink: DiagnosticSink, strict: bool) -> Iterator[RawEvent]:
    decoder = SseDecoder(strict=strict, first_line=stream.first_line, factory=_raw, sink=sink)
    feed = decoder.feed
    for chunk in iter_sse_chunks(stream):
        yield from feed(chunk)
    yield from decoder.finish()


def _iter_jsonl(stream: CaptureStream, sink: DiagnosticSink) -> Iterator[_Record]:

    if stream.data is not None:
        lines: Any = iter(stream.data.splitlines())
        fh = None
    else:
        fh = open(stream.path, "rb")  # type: ignore[arg-type]  # noqa: SIM115 - closed below
        lines = fh
    try:
        number = 0
        for raw in lines:
            number += 1
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                sink.add(
                    INVALID_EVENT_JSON.diagnostic(
                        f"line is not JSON ({exc.msg})", Location(line=number, column=_column(raw, exc.pos))
                    )
                )
                continue
            if not isinstance(value, dict):
                sink.add(
                    INVALID_CAPTURE.diagnostic(
                        f"a JSONL capture line must be a JSON object, not {type_name(value)}",
                        Location(line=number, column=1),
                    )
                )
                continue
            time = None
            for key in _TIME_KEYS:
                if key in value:
                    time = parse_time(value[key])
                    break
            if "type" in value and not ("data" in value and "event" in value):
                yield (None, value, number, None, time)
            elif "data" in value:
                name = value.get("event")
                data = value["data"]
                yield (name if isinstance(name, str) else None, data, number, None, time)
            else:
                sink.add(
                    INVALID_CAPTURE.diagnostic(
                        'a JSONL capture line must be an event ({"type": ...}) or a wrapper ({"event": ..., "data": ...})',
                        Location(line=number, column=1),
                    )
                )
    finally:
        if fh is not None:
            fh.close()


def _column(raw: bytes, pos: int) -> int:
    return len(raw[:pos].decode("utf-8", "replace")) + 1
