"""Replay whole captures: every stream of a file or of bytes, one call.

:func:`replay_all` opens a capture (:mod:`transcript.stream.captures`: raw SSE, a HAR file,
a JSONL log), runs a :class:`~transcript.stream.replayer.Replayer` over each stream in it
and yields a :class:`~transcript.stream.replayer.ReplayResult` per stream.  Events go
straight from the capture (an SSE body through the decoder, read in chunks, so memory
stays bounded) into :meth:`~transcript.stream.replayer.Replayer.feed_fields`.  A HAR stream's diagnostics are relocated to the body's
place in the HAR file.  :func:`replay_file` is the one-stream form, and
:func:`lint_stream` the diagnostics of every stream (what ``transcript lint`` reports for
a capture).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Literal

import attrs

from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location, sort_diagnostics
from transcript.stream import codes
from transcript.stream.captures import CaptureStream, InputFormat, feed_events, open_capture
from transcript.stream.events import at_line
from transcript.stream.replayer import Replayer, ReplayResult

__all__ = ["ReplayTo", "replay_all", "replay_file", "lint_stream"]

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

