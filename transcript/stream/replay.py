"""Replay whole captures: every stream of a file or of bytes, one call.

:func:`replay_all` opens a capture (:mod:`transcript.stream.captures`: raw SSE, a HAR file,
a JSONL log), runs a :class:`~transcript.stream.replayer.Replayer` over each stream in it
and yields a :class:`~transcript.stream.replayer.ReplayResult` per stream.  Events go
straight from the capture (an SSE body through the decoder, read in chunks, so memory
stays bounded) into :meth:`~transcript.stream.replayer.Replayer.feed_fields`.  A HAR stream's diagnostics are relocated to the body's
place in the HAR file.  :func:`replay_file` is the one-stream form, and
:func:`lint_stream` the diagnostics of every stream (what ``transcript lint`` reports for
a capture).  :func:`replay_records` replays a JSONL log whose records each wrap a stream
(its SSE text, or its list of events) at a JSON pointer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any, Literal

import attrs
import orjson

from transcript.core.codes import RECORD_POINTER_UNRESOLVED
from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location, sort_diagnostics
from transcript.core.jsonpos import locate_diagnostics, value_at
from transcript.core.jsontext import load_json
from transcript.stream import codes
from transcript.stream.captures import CaptureStream, InputFormat, feed_events, open_capture
from transcript.stream.events import at_line
from transcript.stream.replayer import Replayer, ReplayResult

__all__ = ["ReplayTo", "lint_stream", "replay_all", "replay_file", "replay_records"]

#: What a legacy completion stream is replayed to (``None``: a Completion), or a Message back to.
ReplayTo = Literal["messages", "completion"]


def replay_all(
    source: bytes | str | os.PathLike[str],
    *,
    strict: bool = False,
    partial_json: bool = False,
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
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
            capture_diags = [codes.NO_EVENTS.diagnostic("the input contains no events", at_line(1))]
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
        feed_events(stream, replayer.feed_fields, sink=stream_sink, strict=strict)
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


def _in_har(d: Diagnostic, stream: CaptureStream) -> Diagnostic:
    """A diagnostic of a HAR stream, moved to the body's place in the HAR file."""
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
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
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
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
) -> list[Diagnostic]:
    """Every diagnostic for a capture (all its streams), sorted; locations without a file."""
    diagnostics: list[Diagnostic] = []
    for result in replay_all(data, strict=strict, to=to, input_format=input_format):
        diagnostics.extend(result.diagnostics)
    return sort_diagnostics(diagnostics)



def _record_stream(value: Any, pointer: str) -> tuple[bytes | None, Diagnostic | None]:
    """The capture a record holds at ``pointer``: SSE (or JSONL events) text, or a list of events."""
    at, missing = value_at(value, pointer)
    if missing is not None:
        return None, RECORD_POINTER_UNRESOLVED.diagnostic(f"the record has nothing at {pointer}", Location(pointer=missing))
    if isinstance(at, str):
        return at.encode("utf-8", "surrogatepass"), None
    if isinstance(at, list) and all(isinstance(e, dict) for e in at):
        return b"".join(orjson.dumps(e) + b"\n" for e in at), None
    return None, RECORD_POINTER_UNRESOLVED.diagnostic(
        f"the value at {pointer} should be a stream: its text/event-stream text, or its list of events", Location(pointer=pointer)
    )


def replay_records(
    source: str | os.PathLike[str],
    pointer: str,
    *,
    strict: bool = False,
    partial_json: bool = False,
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
    timeline: bool = False,
) -> Iterator[ReplayResult]:
    """Replay the stream each record of a JSONL log holds at ``pointer``, one result a record
    (read line by line, so memory stays bounded).  A stream's diagnostics are located at the
    stream's value in its record's line, their message naming the line inside the stream."""
    with open(source, "rb") as f:
        for number, raw in enumerate(f, start=1):
            line = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
            if not line.strip():
                continue
            value, problems = load_json(line)
            data, unresolved = (None, None) if problems else _record_stream(value, pointer)
            if data is None:
                found = problems or locate_diagnostics([unresolved] if unresolved else [], line)
                shifted = [d.with_location(d.location.shifted(number - 1)) for d in found]
                yield ReplayResult(message=None, diagnostics=sort_diagnostics(shifted), record_line=number)
                continue
            (place,) = locate_diagnostics([RECORD_POINTER_UNRESOLVED.diagnostic("", Location(pointer=pointer))], line)
            here = Location(line=number, column=place.location.column, pointer=pointer)
            for result in replay_all(data, strict=strict, partial_json=partial_json, to=to, input_format=input_format, timeline=timeline):
                moved = [
                    attrs.evolve(d, message=f"stream line {d.location.line}: {d.message}" if d.location.line else d.message, location=here)
                    for d in result.diagnostics
                ]
                yield attrs.evolve(result, diagnostics=sort_diagnostics(moved), record_line=number)
