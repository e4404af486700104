"""Benchmark: ``transcript serve`` under load, with linting on, beside the floor and aimock.

Starts the server as a user does (``transcript serve --port 0``, a process of its own, so
the load generator does not share its interpreter), then, from an asyncio ``httpx`` client:

- **non-stream requests**: ``--requests`` POST /v1/messages of a realistic request (a
  tool-use round trip with a system prompt, ~3 KB), ``--concurrency`` at a time:
  requests per second, p50/p99 latency, and the server process's own CPU time per request
  (from /proc: what the load generator, which shares the machine, cannot blur);
- **100 concurrent streams**: that many ``"stream": true`` requests at once: the time for
  all, and the time to first byte (p50/p99);

each against the server with linting on, against ``--no-lint`` (the floor: the same HTTP
stack, answer and rendering, with no judging), and against aimock (``@copilotkit/aimock``
from the npm registry, the best-known mock with real SSE) where its ``llmock`` command
is found (``--aimock PATH``, or ``AIMOCK`` in the environment).  It prints the figures and
the ratios lint-on / floor (the target: linting costs little next to HTTP) and transcript
/ aimock.

    python bench/bench_serve.py
    python bench/bench_serve.py --requests 500 --quick
    AIMOCK=/tmp/aimock/node_modules/.bin/llmock python bench/bench_serve.py
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import selectors
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transcript.serve.judge import Judge  # noqa: E402

HEADERS = {"x-api-key": "bench", "anthropic-version": "2023-06-01", "content-type": "application/json"}
TOOL = {
    "name": "get_weather",
    "description": "Get the current weather for a city. " * 4,
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city"],
    },
}


def request_body(stream: bool = False) -> bytes:
    messages = [
        {"role": "user", "content": "bench: what is the weather in Paris? " + "Some context to read. " * 40},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look."},
                {"type": "tool_use", "id": "toolu_01", "name": "get_weather", "input": {"city": "Paris"}},
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_01", "content": "Sunny, 21 C"},
                {"type": "text", "text": "bench: and tomorrow?"},
            ],
        },
    ]
    value = {
        "model": "claude-sonnet-4-5",
        "max_tokens": 256,
        "system": "You are a weather bot. " * 20,
        "tools": [TOOL],
        "messages": messages,
        "stream": stream,
    }
    return json.dumps(value).encode()


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def cpu_seconds(pid: int) -> float | None:
    """The CPU time (user + system) of process ``pid`` so far, from /proc (``None`` elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(command: Sequence[str], pattern: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """A server process; yields its base URL once it prints the line ``pattern`` names."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 30
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not sel.select(deadline - time.monotonic()):
                    break
                line = proc.stdout.readline().decode("utf-8", "replace")
                if not line:
                    break
                m = re.search(pattern, line)
                if m:
                    yield m.group(1), proc.pid
                    return
        raise RuntimeError(f"{command[0]} did not start")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


async def non_stream(url: str, total: int, concurrency: int) -> dict[str, float]:
    data = request_body()
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, headers=HEADERS, limits=limits, timeout=60) as client:
        for _ in range(min(50, total)):  # warm up
            (await client.post("/v1/messages", content=data)).raise_for_status()
        queue = iter(range(total))

        async def worker() -> None:
            for _ in queue:
                start = time.perf_counter()
                r = await client.post("/v1/messages", content=data)
                latencies.append(time.perf_counter() - start)
                if r.status_code != 200:
                    raise RuntimeError(f"status {r.status_code}: {r.text[:200]}")

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        took = time.perf_counter() - start
    return {"rps": total / took, "p50_ms": _percentile(latencies, 0.5) * 1000, "p99_ms": _percentile(latencies, 0.99) * 1000}


async def streams(url: str, count: int) -> dict[str, float]:
    data = request_body(stream=True)
    firsts: list[float] = []
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    async with httpx.AsyncClient(base_url=url, headers=HEADERS, limits=limits, timeout=60) as client:

        async def one() -> int:
            start = time.perf_counter()
            async with client.stream("POST", "/v1/messages", content=data) as r:
                size, first = 0, True
                async for chunk in r.aiter_raw():
                    if first:
                        firsts.append(time.perf_counter() - start)
                        first = False
                    size += len(chunk)
                if r.status_code != 200 or size == 0:
                    raise RuntimeError(f"stream status {r.status_code}")
                return size

        await asyncio.gather(*(one() for _ in range(10)))  # warm up
        firsts.clear()
        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(count)))
        took = time.perf_counter() - start
    return {"all_s": took, "ttfb_p50_ms": _percentile(firsts, 0.5) * 1000, "ttfb_p99_ms": _percentile(firsts, 0.99) * 1000}


def measure(url: str, pid: int, args: argparse.Namespace) -> dict[str, float]:
    before = cpu_seconds(pid)
    figures = asyncio.run(non_stream(url, args.requests, args.concurrency))
    after = cpu_seconds(pid)
    # the server's own CPU time per request: what the client and the other load cannot blur
    figures["cpu_ms"] = (
        (after - before) / (args.requests + 50) * 1000 if before is not None and after is not None else float("nan")
    )
    figures.update(asyncio.run(streams(url, args.streams)))
    return figures


def lint_time(n: int = 500) -> float:
    """Milliseconds the judge takes for the benchmark's request, in this process (no HTTP)."""
    judge, data = Judge(), request_body()
    for _ in range(50):
        judge.messages(data)
    start = time.perf_counter()
    for _ in range(n):
        judge.messages(data)
    return (time.perf_counter() - start) / n * 1000


def _transcript() -> list[str]:
    script = shutil.which("transcript", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "transcript"]


def _aimock_fixture(directory: Path) -> Path:
    path = directory / "fixtures.json"
    path.write_text(
        json.dumps({"fixtures": [{"match": {"userMessage": "bench"}, "response": {"content": "bench: and tomorrow?"}}]})
    )
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="a quarter of the requests")
    parser.add_argument("--rounds", type=int, default=3, help="measure each server this many times, keep the best")
    parser.add_argument("--aimock", default=os.environ.get("AIMOCK"), help="the llmock command of @copilotkit/aimock")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests = max(100, args.requests // 4)
    listening = r"transcript serve: listening on (http://\S+)"
    with contextlib.ExitStack() as stack:
        urls = {
            "transcript serve (lint on)": stack.enter_context(
                server([*_transcript(), "serve", "--port", "0", "--quiet"], listening)
            ),
            "transcript serve --no-lint (floor)": stack.enter_context(
                server([*_transcript(), "serve", "--port", "0", "--quiet", "--no-lint"], listening)
            ),
        }
        aimock = args.aimock or shutil.which("llmock")
        if aimock and (Path(aimock).exists() or shutil.which(aimock)):
            tmp = stack.enter_context(tempfile.TemporaryDirectory())
            command = [aimock, "--port", "0", "--fixtures", str(_aimock_fixture(Path(tmp))), "--log-level", "info"]
            try:
                urls["aimock (llmock)"] = stack.enter_context(server(command, r"(http://(?:127\.0\.0\.1|localhost):\d+)"))
            except RuntimeError as exc:
                print(f"aimock: not measured ({exc})")
        else:
            print("aimock: not measured (no llmock: npm install @copilotkit/aimock, then AIMOCK=.../node_modules/.bin/llmock)")
        # The servers take turns, round after round, and each keeps its best figures: on a
        # shared machine the noise only ever slows a run down.
        runs: dict[str, dict[str, float]] = {}
        for _ in range(args.rounds):
            for name, (url, pid) in urls.items():
                figures = measure(url, pid, args)
                best = runs.setdefault(name, figures)
                for key, value in figures.items():
                    best[key] = max(best[key], value) if key == "rps" else min(best[key], value)

    print(
        f"{args.requests} non-stream requests at concurrency {args.concurrency}; {args.streams} concurrent streams; "
        f"best of {args.rounds} rounds"
    )
    print(
        f"{'server':<36} {'req/s':>8} {'CPU ms/req':>10} {'p50 ms':>8} {'p99 ms':>8} {'100 streams s':>14} "
        f"{'TTFB p50 ms':>12} {'TTFB p99 ms':>12}"
    )
    for name, f in runs.items():
        print(
            f"{name:<36} {f['rps']:>8.0f} {f['cpu_ms']:>10.3f} {f['p50_ms']:>8.2f} {f['p99_ms']:>8.2f} "
            f"{f['all_s']:>14.3f} {f['ttfb_p50_ms']:>12.2f} {f['ttfb_p99_ms']:>12.2f}"
        )
    on, floor = runs["transcript serve (lint on)"], runs["transcript serve --no-lint (floor)"]
    print(
        f"lint on / floor: throughput {on['rps'] / floor['rps']:.2f}x, p50 {on['p50_ms'] / floor['p50_ms']:.2f}x, "
        f"server CPU {on['cpu_ms']:.3f} vs {floor['cpu_ms']:.3f} ms a request: "
        f"lint costs {on['cpu_ms'] - floor['cpu_ms']:.3f} ms "
        f"({on['cpu_ms'] / floor['cpu_ms']:.2f}x the floor)"
    )
    print(f"the judge alone (lint + parse, in-process): {lint_time():.3f} ms per request")
    if "aimock (llmock)" in runs:
        other = runs["aimock (llmock)"]
        print(
            f"transcript (lint on) / aimock: throughput {on['rps'] / other['rps']:.2f}x, "
            f"p50 {on['p50_ms'] / other['p50_ms']:.2f}x, CPU a request {on['cpu_ms'] / other['cpu_ms']:.2f}x, "
            f"100 streams {on['all_s'] / other['all_s']:.2f}x the time"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
