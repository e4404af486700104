"""Benchmark: replaying a large captured stream.

Generates a protocol-correct log of 200,000 text deltas plus one 200 KB tool input sent in
20-byte ``input_json_delta`` pieces (about 28 MB), then times:

- ``transcript``: ``transcript.replay_file(path)`` (SSE decoding, order checks, the Message);
- the floor: reading the file and ``json.loads`` of every ``data:`` line;
- the official SDK: ``MessageStream.get_final_message()`` over the same bytes, served by an
  in-memory HTTP transport to a real ``anthropic`` client, when ``anthropic`` is importable.

It checks that each path rebuilds the expected text and tool input, prints the ratios
(targets: at least 10x faster than the SDK, within 3x of the floor), shows that time is
linear (a 400 KB tool input costs about twice a 200 KB one) and that peak memory beyond the
final message stays flat for logs of two sizes.

    python bench/bench_replay.py            # full size (the SDK part takes minutes)
    python bench/bench_replay.py --quick    # a tenth of the size
    python bench/bench_replay.py --no-sdk   # skip the SDK

To include the SDK without touching your environment::

    python -m venv /tmp/bench && /tmp/bench/bin/pip install anthropic -e .
    /tmp/bench/bin/python bench/bench_replay.py
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transcript.stream.replay import replay_file  # noqa: E402

ALPHABET = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,éü😀"


def _event(kind: str, data: dict) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}\n\n"


def generate(
    path: Path, *, text_deltas: int, tool_bytes: int, chunk: int = 20, seed: int = 7, pings: int = 0
) -> tuple[str, dict]:
    """Write a log; return the expected text and tool input."""
    rng = random.Random(seed)
    message = {
        "id": "msg_bench",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-4-5",
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": 100, "output_tokens": 1},
    }
    pieces: list[str] = []
    # the tool input: an object with a long list of short strings, about tool_bytes of JSON
    items = []
    size = 2
    n = 0
    while size < tool_bytes:
        item = f"item {n} " + "".join(rng.choice("abcdefghij") for _ in range(rng.randint(4, 16)))
        items.append(item)
        size += len(json.dumps(item)) + 2
        n += 1
    tool_input = {"path": "/tmp/out.txt", "lines": items}
    tool_json = json.dumps(tool_input)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(_event("message_start", {"type": "message_start", "message": message}))
        if text_deltas:
            fh.write(_event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}))
            fh.write(_event("ping", {"type": "ping"}) * (1 + pings))
            for _ in range(text_deltas):
                text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(6, 22)))
                pieces.append(text)
                fh.write(
                    _event(
                        "content_block_delta",
                        {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": text}},
                    )
                )
            fh.write(_event("content_block_stop", {"type": "content_block_stop", "index": 0}))
        index = 1 if text_deltas else 0
        if tool_bytes:
            fh.write(
                _event(
                    "content_block_start",
                    {
                        "type": "content_block_start",
                        "index": index,
                        "content_block": {"type": "tool_use", "id": "toolu_bench", "name": "write_file", "input": {}},
                    },
                )
            )
            for start in range(0, len(tool_json), chunk):
                fh.write(
                    _event(
                        "content_block_delta",
                        {
                            "type": "content_block_delta",
                            "index": index,
                            "delta": {"type": "input_json_delta", "partial_json": tool_json[start : start + chunk]},
                        },
                    )
                )
            fh.write(_event("content_block_stop", {"type": "content_block_stop", "index": index}))
        fh.write(
            _event(
                "message_delta",
                {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None}, "usage": {"output_tokens": 4242}},
            )
        )
        fh.write(_event("message_stop", {"type": "message_stop"}))
    return "".join(pieces), tool_input


def check(message: dict, text: str, tool_input: dict, label: str) -> None:
    blocks = message["content"]
    got_text = next((b["text"] for b in blocks if b["type"] == "text"), "")
    got_input = next((b["input"] for b in blocks if b["type"] == "tool_use"), {})
    if got_text != text or (tool_input["lines"] and got_input != tool_input):
        raise SystemExit(f"{label}: the rebuilt message does not match the generated one")


def timed(func, repeat: int = 1) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def floor(path: Path, loads: Callable[[bytes], Any] = json.loads) -> int:
    """Read the log and parse every ``data:`` line with ``loads``; the count of events."""
    count = 0
    with open(path, "rb") as fh:
        data = fh.read()
    for line in data.split(b"\n"):
        if line.startswith(b"data:"):
            loads(line[5:])
            count += 1
    return count


def floor_orjson(path: Path) -> int:
    import orjson

    return floor(path, orjson.loads)


def ours(path: Path) -> dict:
    result = replay_file(path)
    if not result.complete:
        raise SystemExit(f"transcript: stream reported incomplete: {result.diagnostics[:3]}")
    return result.message


def sdk(path: Path) -> dict | None:
    try:
        import anthropic
    except ImportError:
        return None
    try:
        import httpx2 as httpx
    except ImportError:  # anthropic < 2
        import httpx  # type: ignore[no-redef]

    data = path.read_bytes()

    def handler(request):  # noqa: ANN001
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=data)

    client = anthropic.Anthropic(
        api_key="bench", base_url="http://bench.invalid", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=1, messages=[{"role": "user", "content": "x"}]) as s:
        return s.get_final_message().to_dict(mode="json")


def peak_memory(path: Path) -> tuple[int, int]:
    """Peak traced memory during a replay, and the size of the strings of the final message."""
    gc.collect()
    tracemalloc.start()
    message = replay_file(path).message
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    final = sum(sys.getsizeof(b.get("text", "")) for b in message["content"]) + sys.getsizeof(
        json.dumps(message["content"][-1].get("input", ""))
    )
    return peak, final


def main() -> int:
    import warnings

    warnings.filterwarnings("ignore", category=DeprecationWarning)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the size (20,000 deltas, 20 KB tool input)")
    parser.add_argument("--no-sdk", action="store_true", help="do not time the official SDK")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    deltas, tool = 200_000 // scale, 200_000 // scale
    tmp = Path(tempfile.mkdtemp(prefix="transcript-bench-"))
    try:
        main_log = tmp / "main.sse"
        text, tool_input = generate(main_log, text_deltas=deltas, tool_bytes=tool)
        mb = main_log.stat().st_size / 1e6
        print(f"log: {deltas:,} text deltas + {tool // 1000} KB tool input in 20-byte pieces = {mb:.1f} MB")
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} CPUs")
        print()
        t_floor, events = timed(lambda: floor(main_log), repeat=3)
        t_floor2, _ = timed(lambda: floor_orjson(main_log), repeat=3)
        t_ours, message = timed(lambda: ours(main_log), repeat=3)
        check(message, text, tool_input, "transcript")
        print(f"{'floor (read + json.loads per data line)':<48} {t_floor:8.3f} s  {events / t_floor:>10,.0f} events/s  {mb / t_floor:6.1f} MB/s")
        print(f"{'floor with orjson (the parser transcript uses)':<48} {t_floor2:8.3f} s  {events / t_floor2:>10,.0f} events/s  {mb / t_floor2:6.1f} MB/s")
        print(f"{'transcript replay_file':<48} {t_ours:8.3f} s  {events / t_ours:>10,.0f} events/s  {mb / t_ours:6.1f} MB/s")
        print(f"  ratio to the floor: {t_ours / t_floor:.2f}x (target: within 3x); to the orjson floor: {t_ours / t_floor2:.2f}x")
        if args.no_sdk:
            print("official SDK: skipped (--no-sdk)")
        else:
            try:
                import anthropic

                version = anthropic.__version__
            except ImportError:
                version = None
            if version is None:
                print(
                    "official SDK: NOT MEASURED: `anthropic` is not importable here. Install it into a scratch "
                    "environment (python -m venv /tmp/bench && /tmp/bench/bin/pip install anthropic -e .) and run "
                    "the script with that Python."
                )
            else:
                print(f"official SDK (anthropic {version}) MessageStream ... (slow: quadratic in the block sizes)")
                t_sdk, sdk_message = timed(lambda: sdk(main_log))
                check(sdk_message, text, tool_input, "SDK")
                print(f"{'official SDK MessageStream':<48} {t_sdk:8.3f} s  {events / t_sdk:>10,.0f} events/s  {mb / t_sdk:6.1f} MB/s")
                print(f"  transcript is {t_sdk / t_ours:.1f}x faster than the SDK (target: at least 10x)")
        print()
        print("linear time in the tool input (20-byte pieces):")
        times = []
        for size in (tool, 2 * tool):
            log = tmp / f"tool{size}.sse"
            _, expected = generate(log, text_deltas=0, tool_bytes=size)
            t, msg = timed(lambda log=log: ours(log), repeat=5)
            check(msg, "", expected, "transcript")
            times.append(t)
            print(f"  {size // 1000:>4} KB tool input: {t:.4f} s")
        print(f"  ratio: {times[1] / times[0]:.2f} (linear: about 2; the SDK: about 4.9, see the catalogue)")
        print()
        print("memory (tracemalloc peak during replay_file, minus the final message's strings):")
        for n in (deltas // 2, deltas):
            log = tmp / f"text{n}.sse"
            generate(log, text_deltas=n, tool_bytes=0)
            peak, final = peak_memory(log)
            print(
                f"  {n:>7,} deltas, {log.stat().st_size / 1e6:5.1f} MB log: peak {peak / 1e6:6.2f} MB, "
                f"final text {final / 1e6:5.2f} MB, beyond twice the final text {max(0, peak - 2 * final) / 1e6:5.2f} MB"
            )
        print("  (a block's text exists twice for a moment when its buffer is joined into the final string;")
        print("   the rest is the 256 KB read chunk and its decoded lines: nothing per event is kept)")
        print("  the same final message, logs of two lengths (extra ping events):")
        for n in (deltas // 2, deltas * 2):
            log = tmp / f"ping{n}.sse"
            generate(log, text_deltas=1000, tool_bytes=0, pings=n)
            peak, final = peak_memory(log)
            print(f"  {n:>7,} pings, {log.stat().st_size / 1e6:5.1f} MB log: peak {peak / 1e6:6.2f} MB, final text {final / 1e6:5.2f} MB")
    finally:
        for f in tmp.iterdir():
            f.unlink()
        tmp.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
