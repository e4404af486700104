"""``transcript replay``: rebuild the final Message from a captured stream."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional, cast

import typer

from transcript.cli.app import app
from transcript.cli.common import OptionError
from transcript.cli.groups import flag, with_groups
from transcript.cli.options import DaskOpt, JobsOpt, RecordPointerOpt, Workers, check_jobs, check_pointer, workers
from transcript.cli.report import REPORT, Reporter, ReportOptions, check_format
from transcript.core.diagnostics import DiagnosticSink
from transcript.core.jsontext import dumps_json, json_chunks
from transcript.core.sources import decode_source, read_source
from transcript.scale.replay_jobs import replay_paths_jobs
from transcript.stream.captures import INPUT_FORMATS, InputFormat, open_capture
from transcript.stream.replay import ReplayTo, replay_all
from transcript.stream.view import render_text

__all__ = ["render_text", "replay"]


def _check_input_format(value: Optional[str]) -> Optional[str]:  # noqa: UP007
    if value is not None and value not in INPUT_FORMATS:
        raise typer.BadParameter(f"unknown input format {value!r} (choose from {', '.join(INPUT_FORMATS)})")
    return value


def _check_to(value: Optional[str]) -> Optional[str]:  # noqa: UP007
    if value is not None and value not in ("messages", "message", "completion"):
        raise typer.BadParameter(f"unknown target {value!r} (choose from messages, completion)")
    return "messages" if value == "message" else value


# Replay's --format also picks its standard output, and has no default: the report
# options with that one option spelt for it.
_REPLAY_REPORT = REPORT.replacing(
    "fmt",
    flag(
        "--format",
        "-f",
        callback=check_format,
        envvar="TRANSCRIPT_FORMAT",
        help="text: the conversation for a person (stdout) and diagnostics as text; json, github, sarif, junit: "
        "the format of the diagnostics (stderr).  Default: the Message as JSON, diagnostics as text on stderr.",
    ),
    default=None,
)


@app.command()
@with_groups
def replay(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Captured streams: .sse (curl -N or -i -N), HAR files, JSONL events, or directories of them; - reads stdin.",
            show_default=False,
        ),
    ],
    *,
    input_format: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--input-format", callback=_check_input_format, help="Read the input as sse, har or jsonl (default: detected)."),
    ] = None,
    entry: Annotated[
        Optional[int],  # noqa: UP007
        typer.Option("--entry", min=0, help="Replay only this HAR entry (0-based; default: every stream in the HAR)."),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Follow the SSE standard exactly: drop a last event with no closing blank line.")
    ] = False,
    partial_json: Annotated[
        bool, typer.Option("--partial-json", help="Give unfinished or invalid tool input a best-effort parse instead of its raw text.")
    ] = False,
    to: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--to", callback=_check_to, help="For a legacy completion stream: 'messages' prints a Message instead of a Completion."),
    ] = None,
    record_pointer: RecordPointerOpt = None,
    jobs: JobsOpt = None,
    dask: DaskOpt = None,
    report: Annotated[ReportOptions, _REPLAY_REPORT],
) -> None:
    """Rebuild the final Message from a captured stream and check the event order.

    Prints the Message (as the official SDK's MessageStream builds it) as JSON on
    stdout and the diagnostics on stderr.  Exit 0 for a complete, valid stream; a broken
    or truncated one prints what could be rebuilt and exits 1.  A HAR file with several
    streams prints a JSON array, one object per stream.

    Several files, or a directory (walked for .sse, .event-stream, .har and .jsonl
    captures), are replayed on --jobs processes (or a --dask cluster; one file is
    replayed here): one JSON line per stream on stdout,
    {"file", "entry" (HAR), "complete", "message" or "completion"}, in input order, and one
    report; --format text prints each file's conversation under its name.  With
    --record-pointer each input is a JSONL log whose records hold a stream (its text or its
    events) at that pointer: a line per record, with its "line".

    \b
    Examples:
      curl -sN https://api.anthropic.com/v1/messages ... > capture.sse
      transcript replay capture.sse
      transcript replay capture.sse --format text
      transcript replay session.har --entry 3
      transcript replay events.jsonl --input-format jsonl --format github
      transcript replay old-completion.sse --to messages
      transcript replay captures/ --jobs 2 > messages.jsonl
      transcript replay captures/ --dask local > messages.jsonl
      transcript replay proxy-log.jsonl --record-pointer /response/body
    """
    check_jobs(jobs)
    if len(paths) > 1 or Path(paths[0]).is_dir() or record_pointer is not None:
        if "-" in paths:
            raise OptionError("- (standard input) is replayed alone: give it as the only input")
        if entry is not None:
            raise OptionError("--entry applies to one HAR file")
        pointer = None if record_pointer is None else check_pointer(record_pointer)
        with workers(jobs, dask) as on:
            _replay_many(
                paths, on, strict, partial_json, cast("ReplayTo | None", to), cast("InputFormat | None", input_format),
                pointer, report,
            )
    file = paths[0]
    reporter = Reporter(report, [file], command="replay", stream=sys.stderr)
    source: Any
    if file == "-" or not Path(file).is_file():
        # stdin, or a pipe such as bash's <(...), which can be read only once and not
        # seeked: read it whole (a missing file or a directory raises InputError)
        read = read_source(file)
        if read.too_large:
            reporter.add(read.name, decode_source(read)[1])
            raise typer.Exit(reporter.emit())
        source, name = read.data, read.name
    else:
        source = file  # a regular file is read in chunks
        name = file
    if entry is not None:
        _check_entry(source, entry, input_format)
    text_view = report.fmt == "text"
    results = list(
        replay_all(
            source,
            strict=strict,
            partial_json=partial_json,
            to=cast("ReplayTo | None", to),  # checked by the option's callback
            input_format=cast("InputFormat | None", input_format),
            entry=entry,
            timeline=text_view,
        )
    )
    reporter.add(name, [d for result in results for d in result.diagnostics])

    out = sys.stdout
    if text_view:
        for n, result in enumerate(results):
            if n:
                out.write("\n")
            out.write(render_text(result, to=to))
    else:
        if len(results) == 1 and results[0].entry is None or entry is not None:
            payload: Any = _output(results[0], to)
        else:
            payload = [
                {
                    "entry": r.entry,
                    "request": r.label,
                    "startedDateTime": r.started_text,
                    "complete": r.complete,
                    "message" if (r.message is not None or r.completion is None) else "completion": _output(r, to),
                }
                for r in results
            ]
        if payload is not None:
            out.flush()
            out.buffer.writelines(json_chunks(payload, levels=3))  # a block at a time: a Message may hold 100,000
    out.flush()
    raise typer.Exit(reporter.emit())


def _replay_many(
    paths: list[str],
    on: Workers,
    strict: bool,
    partial_json: bool,
    to: ReplayTo | None,
    input_format: InputFormat | None,
    record_pointer: str | None,
    report: ReportOptions,
) -> None:
    """Several captures on ``jobs`` processes: a JSON line per stream (or the text view), in
    input order, and one report of them all."""
    reporter = Reporter(report, paths, command="replay", stream=sys.stderr)
    text_view = report.fmt == "text"
    out = sys.stdout
    first = True
    replayed = replay_paths_jobs(
        paths, jobs=on.jobs, strict=strict, partial_json=partial_json, to=to, input_format=input_format, timeline=text_view,
        record_pointer=record_pointer, pool=on.pool, batch=on.batch,
    )
    for done in replayed:
        reporter.add(done.name, done.diagnostics)
        for result in done.results:
            if text_view:
                where = "" if result.entry is None else f" entry {result.entry}"
                where += "" if result.record_line is None else f" line {result.record_line}"
                out.write(("" if first else "\n") + f"==> {done.name}{where} <==\n")
                out.write(render_text(result, to=to))
            else:
                line: dict[str, Any] = {"file": done.name}
                if result.entry is not None:
                    line["entry"] = result.entry
                if result.record_line is not None:
                    line["line"] = result.record_line
                line["complete"] = result.complete
                line["message" if (result.message is not None or result.completion is None) else "completion"] = _output(result, to)
                out.write(dumps_json(line, ensure_ascii=False) + "\n")
            first = False
    out.flush()
    status = reporter.emit()
    raise typer.Exit(status)


def _output(result: Any, to: str | None) -> Any:
    if to == "completion" and result.completion is not None:
        return result.completion
    return result.output


def _check_entry(source: Any, entry: int, input_format: str | None) -> None:
    """``--entry`` must name a HAR entry that is an event stream (a usage error otherwise)."""
    sink = DiagnosticSink()
    streams = open_capture(source, input_format=input_format, sink=sink)
    if sink.items:
        return  # the capture itself is broken: replay reports it
    if not any(s.entry is not None for s in streams):
        raise typer.BadParameter("--entry applies to HAR files only", param_hint="--entry")
    entries = [s.entry for s in streams]
    if entry not in entries:
        listed = ", ".join(str(e) for e in entries)
        raise typer.BadParameter(f"HAR entry {entry} is not an event stream (stream entries: {listed})", param_hint="--entry")
