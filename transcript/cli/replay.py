"""``transcript replay``: rebuild the final Message from a captured stream."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from transcript.cli import app
from transcript.cli.common import dumps_json
from transcript.cli.groups import flag, with_groups
from transcript.cli.report import REPORT, Reporter, ReportOptions, check_format
from transcript.core.sources import decode_source, read_source
from transcript.stream.captures import INPUT_FORMATS, open_capture
from transcript.stream.replay import replay_all
from transcript.stream.sse import DiagnosticSink

__all__ = ["replay", "render_text"]


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
    file: Annotated[str, typer.Argument(help="A captured stream: .sse (curl -N or -i -N), a HAR file, JSONL events; - reads stdin.")],
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
    report: Annotated[ReportOptions, _REPLAY_REPORT],
) -> None:
    """Rebuild the final Message from a captured stream and check the event order.

    Prints the Message (as the official SDK's MessageStream builds it) as JSON on
    stdout and the diagnostics on stderr.  Exit 0 for a complete, valid stream; a broken
    or truncated one prints what could be rebuilt and exits 1.  A HAR file with several
    streams prints a JSON array, one object per stream.

    \b
    Examples:
      curl -sN https://api.anthropic.com/v1/messages ... > capture.sse
      transcript replay capture.sse
      transcript replay capture.sse --format text
      transcript replay session.har --entry 3
      transcript replay events.jsonl --input-format jsonl --format github
      transcript replay old-completion.sse --to messages
    """
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
            to=to,
            input_format=input_format,
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
            out.write(dumps_json(payload, indent=2, ensure_ascii=False) + "\n")
    out.flush()
    raise typer.Exit(reporter.emit())


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


# --- the text view -----------------------------------------------------------------------------


def render_text(result: Any, *, to: str | None = None) -> str:
    """The conversation for a person: blocks in order, usage and stop reason, a timeline."""
    lines: list[str] = []
    if result.entry is not None:
        lines.append(f"== HAR entry {result.entry}: {result.label or ''}".rstrip())
        if result.started_text:
            lines.append(f"   started {result.started_text}" + _timings(result.timings))
    message = result.message
    if message is None and result.completion is not None and to != "messages":
        comp = result.completion
        lines.append(f"completion  model={comp.get('model')}  stop_reason={comp.get('stop_reason')}")
        lines.append("")
        lines.extend(_indent(str(comp.get("completion", "")), "  "))
    elif message is None:
        lines.append("(no message could be rebuilt)")
    else:
        lines.append(
            f"message {message.get('id')}  model={message.get('model')}  role={message.get('role')}"
        )
        content = message.get("content")
        for i, block in enumerate(content if isinstance(content, list) else []):
            lines.append("")
            lines.extend(_block_lines(i, block))
        lines.append("")
        stop = f"stop_reason={message.get('stop_reason')}"
        if message.get("stop_sequence") is not None:
            stop += f"  stop_sequence={message.get('stop_sequence')!r}"
        if message.get("stop_details") is not None:
            stop += f"  stop_details={dumps_json(message.get('stop_details'))}"
        lines.append(stop)
        usage = message.get("usage")
        if isinstance(usage, dict):
            lines.append("usage " + "  ".join(f"{k}={dumps_json(v)}" for k, v in usage.items()))
        if message.get("container") is not None:
            lines.append(f"container {dumps_json(message.get('container'))}")
    state = "complete" if result.complete else "INCOMPLETE"
    lines.append(f"{result.events} events, {state}")
    if result.timeline:
        lines.append("")
        lines.append("timeline:")
        lines.extend(_timeline_lines(result))
    return "\n".join(lines) + "\n"


def _chars(n: int) -> str:
    return "1 char" if n == 1 else f"{n} chars"


def _timings(timings: Any) -> str:
    if not isinstance(timings, dict):
        return ""
    parts = [f"{k}={v:g}ms" for k, v in timings.items() if isinstance(v, (int, float)) and v >= 0]
    return ("  (" + ", ".join(parts) + ")") if parts else ""


def _indent(text: str, prefix: str) -> list[str]:
    return [prefix + line for line in text.split("\n")]


def _block_lines(i: int, block: Any) -> list[str]:
    if not isinstance(block, dict):
        return [f"[{i}] {dumps_json(block)}"]
    btype = block.get("type")
    if btype == "text":
        out = [f"[{i}] text"]
        out.extend(_indent(str(block.get("text", "")), "    "))
        citations = block.get("citations")
        if isinstance(citations, list) and citations:
            out.append(f"    ({len(citations)} citation{'s' if len(citations) != 1 else ''})")
            for c in citations[:10]:
                if isinstance(c, dict):
                    where = c.get("url") or c.get("document_title") or c.get("source") or c.get("type")
                    out.append(f"      - {where}: {str(c.get('cited_text', ''))[:80]!r}")
        return out
    if btype == "thinking":
        thinking = str(block.get("thinking", ""))
        first = thinking.strip().split("\n", 1)[0]
        if len(first) > 100:
            first = first[:100] + "…"
        sig = block.get("signature")
        return [
            f"[{i}] thinking ({_chars(len(thinking))}{', signed' if sig else ''})",
            f"    {first}",
        ]
    if btype == "redacted_thinking":
        return [f"[{i}] redacted_thinking ({_chars(len(str(block.get('data', ''))))} of data)"]
    if btype in ("tool_use", "server_tool_use", "mcp_tool_use"):
        head = f"[{i}] {btype} {block.get('name')} id={block.get('id')}"
        if block.get("server_name"):
            head += f" server={block.get('server_name')}"
        tool_input = block.get("input")
        if isinstance(tool_input, str):
            body = ["    input (raw, not valid JSON):"] + _indent(tool_input, "      ")
        else:
            body = ["    input:"] + _indent(dumps_json(tool_input, indent=2, ensure_ascii=False), "      ")
        return [head, *body]
    summary = dumps_json(block, ensure_ascii=False)
    if len(summary) > 200:
        summary = summary[:200] + "…"
    return [f"[{i}] {btype}", f"    {summary}"]


def _timeline_lines(result: Any) -> list[str]:
    out: list[str] = []
    base = result.started
    previous: float | None = None
    for t in result.timeline:
        lines = f"{t.line}" if t.last_line in (0, t.line) else f"{t.line}-{t.last_line}"
        what = f"{t.event} {t.detail}".rstrip()
        if t.count > 1:
            what += f" x{t.count}"
        if t.chars:
            what += f" ({_chars(t.chars)})"
        stamp = ""
        if t.time is not None:
            origin = base if base is not None else (result.timeline[0].time or t.time)
            stamp = f"{t.time - origin:+9.3f}s"
            if previous is not None and t.time - previous >= 0.5:
                out.append(f"{'':>10}   ... {t.time - previous:.2f}s gap")
            if t.last_time is not None and t.count > 1 and t.last_time != t.time:
                what += f" over {t.last_time - t.time:.3f}s"
            previous = t.last_time if t.last_time is not None else t.time
        out.append(f"  {stamp:>10} line {lines:<12} {what}")
    return out
