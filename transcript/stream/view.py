"""The text view of a replayed stream (``transcript replay --format text``).

:func:`render_text` prints a :class:`~transcript.stream.replayer.ReplayResult` for a
person: the message's blocks in order (text, thinking, tool input, other blocks
summarised), its stop reason and usage, and, when the replay kept one, the timeline of its
events (:mod:`transcript.stream.timeline`) with their timing and the gaps between them.
"""

from __future__ import annotations

from typing import Any

from transcript.core.diagnostics import printable
from transcript.core.jsontext import dumps_json, short_json
from transcript.protocol.vocabulary import TOOL_BLOCKS
from transcript.stream.replayer import ReplayResult
from transcript.stream.timeline import shown

__all__ = ["render_text"]


def render_text(result: ReplayResult, *, to: str | None = None) -> str:
    """The conversation for a person: blocks in order, usage and stop reason, a timeline."""
    lines: list[str] = []
    if result.entry is not None:
        lines.append(f"== HAR entry {result.entry}: {result.label or ''}".rstrip())
        if result.started_text:
            lines.append(f"   started {result.started_text}" + _timings(result.timings))
    message = result.message
    if message is None and result.completion is not None and to != "messages":
        comp = result.completion
        lines.append(f"completion  model={shown(comp.get('model'))}  stop_reason={shown(comp.get('stop_reason'))}")
        lines.append("")
        lines.extend(_indent(_full(comp.get("completion", "")), "  "))
    elif message is None:
        lines.append("(no message could be rebuilt)")
    else:
        lines.append(
            f"message {shown(message.get('id'))}  model={shown(message.get('model'))}  role={shown(message.get('role'))}"
        )
        content = message.get("content")
        for i, block in enumerate(content if isinstance(content, list) else []):
            lines.append("")
            lines.extend(_block_lines(i, block))
        lines.append("")
        stop = f"stop_reason={shown(message.get('stop_reason'))}"
        if message.get("stop_sequence") is not None:
            stop += f"  stop_sequence={short_json(message.get('stop_sequence'))}"
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
    # What a capture carries (text, tool input, error messages) is the model's or a server's:
    # printed with its control characters escaped, so it cannot drive the terminal.
    return printable("\n".join(lines) + "\n", lines=True)


def _chars(n: int) -> str:
    return "1 char" if n == 1 else f"{n} chars"


def _timings(timings: Any) -> str:
    if not isinstance(timings, dict):
        return ""
    parts = [f"{k}={v:g}ms" for k, v in timings.items() if isinstance(v, (int, float)) and v >= 0]
    return ("  (" + ", ".join(parts) + ")") if parts else ""


def _full(value: Any) -> str:
    """Text a block carries, whole; a value of the wrong type as short JSON."""
    return value if isinstance(value, str) else short_json(value, 200)


def _indent(text: str, prefix: str) -> list[str]:
    return [prefix + line for line in text.split("\n")]


def _block_lines(i: int, block: Any) -> list[str]:
    if not isinstance(block, dict):
        return [f"[{i}] {short_json(block, 200)}"]
    btype = block.get("type")
    if btype == "text":
        out = [f"[{i}] text"]
        out.extend(_indent(_full(block.get("text", "")), "    "))
        citations = block.get("citations")
        if isinstance(citations, list) and citations:
            out.append(f"    ({len(citations)} citation{'s' if len(citations) != 1 else ''})")
            for c in citations[:10]:
                if isinstance(c, dict):
                    where = c.get("url") or c.get("document_title") or c.get("source") or c.get("type")
                    out.append(f"      - {shown(where)}: {short_json(c.get('cited_text', ''), 80)}")
        return out
    if btype == "thinking":
        thinking = _full(block.get("thinking", ""))
        first = thinking.strip().split("\n", 1)[0]
        if len(first) > 100:
            first = first[:100] + "…"
        sig = block.get("signature")
        return [
            f"[{i}] thinking ({_chars(len(thinking))}{', signed' if sig else ''})",
            f"    {first}",
        ]
    if btype == "redacted_thinking":
        return [f"[{i}] redacted_thinking ({_chars(len(_full(block.get('data', ''))))} of data)"]
    if btype in TOOL_BLOCKS:
        head = f"[{i}] {btype} {shown(block.get('name'))} id={shown(block.get('id'))}"
        if block.get("server_name"):
            head += f" server={shown(block.get('server_name'))}"
        tool_input = block.get("input")
        if isinstance(tool_input, str):
            body = ["    input (raw, not valid JSON):"] + _indent(tool_input, "      ")
        else:
            body = ["    input:"] + _indent(dumps_json(tool_input, indent=2, ensure_ascii=False), "      ")
        return [head, *body]
    return [f"[{i}] {shown(btype)}", f"    {short_json(block, 200)}"]


def _timeline_lines(result: ReplayResult) -> list[str]:
    out: list[str] = []
    timeline = result.timeline or ()
    base = result.started
    previous: float | None = None
    for t in timeline:
        lines = f"{t.line}" if t.last_line in (0, t.line) else f"{t.line}-{t.last_line}"
        what = f"{t.event} {t.detail}".rstrip()
        if t.count > 1:
            what += f" x{t.count}"
        if t.chars:
            what += f" ({_chars(t.chars)})"
        stamp = ""
        if t.time is not None:
            origin = base if base is not None else (timeline[0].time or t.time)
            stamp = f"{t.time - origin:+9.3f}s"
            if previous is not None and t.time - previous >= 0.5:
                out.append(f"{'':>10}   ... {t.time - previous:.2f}s gap")
            if t.last_time is not None and t.count > 1 and t.last_time != t.time:
                what += f" over {t.last_time - t.time:.3f}s"
            previous = t.last_time if t.last_time is not None else t.time
        out.append(f"  {stamp:>10} line {lines:<12} {what}")
    return out
