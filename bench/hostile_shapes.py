"""The hostile input shapes of the scaling suite, each a generator of ``n`` units.

Each :class:`Shape` makes an input of ``n`` repeated units (unknown keys, empty messages,
open blocks, turns...) and names the command that reads it.  ``bench/bench_hostile.py``
runs every shape at 1x and 10x as a whole command; ``tests/test_scaling.py`` runs a small
version in-process.  Both fail a shape whose time or memory grows more than about 12x from
1x to 10x, or whose memory goes past 4x the input beyond its plain JSON values
(:func:`plain_values`) plus a constant.  The shapes are the ones the hostile
audit (issue 13) found quadratic or memory-hungry; a new finding gets a shape here.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import io
import json
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from transcript.cli import main

MODEL = "claude-sonnet-4-5"
USER = {"role": "user", "content": "hi"}


@dataclass(frozen=True)
class Shape:
    name: str
    suffix: str  # the file name's ending, which picks the input kind
    args: tuple[str, ...]  # the command and its options; the file is appended
    make: Callable[[int], bytes]
    units: int  # n at 1x in the benchmark (the fast test uses a tenth)
    note: str = ""  # what the shape is


def _request(**extra: object) -> dict[str, object]:
    return {"model": MODEL, "max_tokens": 10, "messages": [USER], **extra}


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def unknown_keys(n: int) -> bytes:
    body = _request()
    body.update({f"unknown_{i}": i for i in range(n)})
    return _json(body)


def empty_messages(n: int) -> bytes:
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": ""} for i in range(n)]
    return _json({"model": MODEL, "max_tokens": 10, "messages": messages + [USER]})


def unmatched_tools(n: int) -> bytes:
    messages: list[object] = []
    for i in range(n):
        messages.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": f"toolu_{i}", "content": "x"}]})
        messages.append({"role": "assistant", "content": [{"type": "tool_use", "id": f"toolu_x{i}", "name": "t", "input": {}}]})
    messages.append(USER)
    return _json({"model": MODEL, "max_tokens": 10, "messages": messages})


def _pdf_request(body: bytes) -> bytes:
    data = base64.b64encode(b"%PDF-1.4\n" + body + b"\n%%EOF\n").decode()
    block = {"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": data}}
    return _json({"model": MODEL, "max_tokens": 10, "messages": [{"role": "user", "content": [block, {"type": "text", "text": "?"}]}]})


def pdf_counts(n: int) -> bytes:
    return _pdf_request(b"<< /Type /Pages " + b"/Count 1 " * n + b">>")


def pdf_pages(n: int) -> bytes:
    return _pdf_request(b"<< " + b"/Type/Pages " * n + b">>")


def _events(events: list[dict[str, object]]) -> bytes:
    return b"".join(b"event: " + str(e["type"]).encode() + b"\ndata: " + _json(e) + b"\n\n" for e in events)


START = {
    "type": "message_start",
    "message": {
        "id": "msg_1", "type": "message", "role": "assistant", "model": MODEL, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 1, "output_tokens": 1},
    },
}
END = [
    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 2}},
    {"type": "message_stop"},
]


def open_blocks(n: int) -> bytes:
    blocks = [{"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}} for i in range(n)]
    return _events([START, *blocks, *END])


def late_deltas(n: int) -> bytes:
    head = [START, {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            {"type": "content_block_stop", "index": 0}]
    deltas = [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "ab"}}] * n
    return _events([*head, *deltas, *END])


def good_stream(n: int) -> bytes:
    head = [START, {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}]
    deltas = [{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "some words "}}] * n
    return _events([*head, *deltas, {"type": "content_block_stop", "index": 0}, *END])


def har_entries(n: int) -> bytes:
    stream = good_stream(3).decode()
    entry = {
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "request": {"method": "POST", "url": "https://api.anthropic.com/v1/messages", "postData": {"text": "{}"}},
        "response": {"status": 200, "content": {"mimeType": "text/event-stream", "text": stream}},
    }
    return _json({"log": {"version": "1.2", "entries": [entry] * n}})


def empty_human_turns(n: int) -> bytes:
    return b"\n\nHuman:" * n


def consecutive_human_turns(n: int) -> bytes:
    return b"\n\nHuman: a question" * n + b"\n\nAssistant:"


def short_turns(n: int) -> bytes:
    return b"\n\nHuman: hello there\n\nAssistant: yo" * n + b"\n\nHuman: end\n\nAssistant:"


def broken_jsonl(n: int) -> bytes:
    return b"{broken\n" * n


def blank_lines(n: int) -> bytes:
    return _json(_request()) + b"\n" * n


def escaped_newlines(n: int) -> bytes:
    return b'{"model":"' + MODEL.encode() + b'","max_tokens":10,"messages":[{"role":"user","content":"' + b"\\n" * n + b'"}]}'


#: One process: CPU time is the process's own, and a large JSONL file would otherwise be
#: linted on worker processes whose time it does not count.
SERIAL = ("--jobs", "1")

SHAPES = [
    Shape("unknown-keys", ".request.json", ("lint", *SERIAL), unknown_keys, 20_000, "a request with n unknown top-level keys"),
    Shape("empty-messages", ".request.json", ("lint", *SERIAL), empty_messages, 20_000, "n messages with empty content"),
    Shape("unmatched-tools", ".request.json", ("lint", *SERIAL), unmatched_tools, 10_000, "n unmatched tool_result / tool_use pairs"),
    Shape("pdf-count", ".request.json", ("lint", *SERIAL), pdf_counts, 100_000, "a PDF repeating /Count n times"),
    Shape("pdf-pages", ".request.json", ("lint", *SERIAL), pdf_pages, 100_000, "a PDF repeating /Type/Pages n times"),
    Shape("open-blocks", ".sse", ("replay", *SERIAL), open_blocks, 20_000, "n content blocks started, none stopped"),
    Shape("late-deltas", ".sse", ("replay", *SERIAL), late_deltas, 100_000, "n text deltas after content_block_stop"),
    Shape("text-view", ".sse", ("replay", *SERIAL, "--format", "text"), good_stream, 200_000, "the text view of n deltas"),
    Shape("har-entries", ".har", ("replay", *SERIAL), har_entries, 2_000, "a HAR of n stream entries"),
    Shape("empty-turns", ".txt", ("lint", *SERIAL), empty_human_turns, 200_000, "a prompt of n empty Human turns"),
    Shape("same-role-turns", ".txt", ("lint", *SERIAL), consecutive_human_turns, 100_000, "n consecutive Human turns"),
    Shape("short-turns", ".txt", ("convert",), short_turns, 100_000, "a prompt of 2n short turns, converted"),
    Shape("broken-jsonl", ".jsonl", ("lint", *SERIAL), broken_jsonl, 200_000, "n broken JSONL lines"),
    Shape("blank-lines", ".request.json", ("lint", *SERIAL), blank_lines, 2_000_000, "a request followed by n blank lines"),
    Shape("escaped-newlines", ".request.json", ("lint", *SERIAL), escaped_newlines, 2_500_000, "a string of n \\n escapes"),
]

@dataclass(frozen=True)
class Measurement:
    size: int  # bytes of input
    cpu: float  # seconds of CPU time, the least of the runs
    peak: int  # bytes: the peak of Python allocations while the command ran
    status: int  # the exit status
    values: int = 0  # bytes: what the plain JSON values of the input and of the output cost (see plain_values)

    def budget(self, multiple: float, constant: int) -> int:
        """The memory the command may use: ``multiple`` times its input, plus the plain JSON
        values it reads and writes, plus ``constant``."""
        return int(multiple * self.size) + self.values + constant


class _Discard(io.RawIOBase):
    """A standard output that keeps nothing, as a pipe to ``/dev/null`` would (a ``BytesIO``
    would hold the whole output and count it in the command's memory)."""

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)


def run_command(args: list[str], output: Path | None = None) -> int:
    """Run ``transcript ARGS`` in this process; the exit status.  Its standard output goes
    to ``output``, or nowhere."""
    raw = output.open("wb") if output is not None else _Discard()
    out = io.TextIOWrapper(io.BufferedWriter(raw), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            try:
                main(args)
            except SystemExit as exc:
                return int(exc.code or 0)
        return 0
    finally:
        out.close()


def _parse_peak(data: bytes) -> int:
    """The peak of Python allocations while the stdlib parses ``data`` into values (its text
    decoded beforehand, not counted; 0 if it is not JSON)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return 0
    gc.collect()
    tracemalloc.start()
    try:
        value = json.loads(text)
        peak = tracemalloc.get_traced_memory()[1]
    except ValueError:
        return 0
    finally:
        tracemalloc.stop()
    del value
    return peak


def plain_values(data: bytes, output: bytes) -> int:
    """What the plain JSON values a command must hold cost: its input parsed (when the input
    is JSON) and its output parsed (when it writes JSON).

    The house keeps payloads as plain JSON values (dicts, lists, strings), and CPython makes
    them several times their text: a 30-byte message is a ~250-byte dict with its strings,
    so the parse of a request of a million empty messages is 7.9x its text, a prompt's
    messages 14x its turns.  The memory budget is 4x the input *beyond* these values: what
    the tool adds (indexes, diagnostics, states, buffers) is held to it; the values are
    measured, never assumed.
    """
    return _parse_peak(data) + _parse_peak(output)


def measure(shape: Shape, units: int, folder: Path, *, repeat: int = 2, memory: bool = True) -> Measurement:
    """Write ``shape`` at ``units`` units into ``folder`` and run its command on it.

    CPU time rather than wall time, so that a busy machine moves the figures little; the
    peak memory comes from one more run under tracemalloc (which slows it, so it is not
    timed), its output written to a file, from which :func:`plain_values` is measured.
    """
    return measure_sizes(shape, [units], folder, repeat=repeat, memory=memory)[0]


def measure_sizes(shape: Shape, sizes: list[int], folder: Path, *, repeat: int = 2, memory: bool = True) -> list[Measurement]:
    """:func:`measure` at each of ``sizes`` units, the timed runs taken in turns (1x, 10x,
    1x, 10x...): a machine whose speed drifts (a virtual one's does, by a third within a
    minute here) then moves both sizes alike, and their ratio, the growth, little."""
    paths, datas = [], []
    for units in sizes:
        data = shape.make(units)
        path = folder / f"{shape.name}-{units}{shape.suffix}"
        path.write_bytes(data)
        paths.append(path)
        datas.append(data)
    best = [float("inf")] * len(sizes)
    status = [0] * len(sizes)
    for _ in range(repeat):
        for k, path in enumerate(paths):
            gc.collect()
            start = time.process_time()
            status[k] = run_command([*shape.args, str(path)])
            best[k] = min(best[k], time.process_time() - start)
    out = []
    for k, path in enumerate(paths):
        peak = values = 0
        if memory:
            written = folder / f"{path.name}.out"
            gc.collect()
            tracemalloc.start()
            try:
                run_command([*shape.args, str(path)], written)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            values = plain_values(datas[k], written.read_bytes())
            written.unlink()
        path.unlink()
        out.append(Measurement(len(datas[k]), best[k], peak, status[k], values))
    return out
