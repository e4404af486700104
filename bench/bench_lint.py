"""Request lint speed: many small requests, one huge request, a big JSONL batch.

(a) ``--count`` (10,000) request files of about 5 KB each (text turns, a tool round trip,
    a small PNG, thinking, cache breakpoints): every rule runs on every file, through the
    same driver as ``transcript lint`` (kind detection, parse, duplicate-key check, schema,
    semantic rules).  Timed in-process and as one ``transcript lint DIR`` subprocess, and
    compared with ``check-jsonschema --schemafile schemas/messages-request.schema.json``
    over the same files (schema only).  check-jsonschema is found on PATH, through
    ``$CHECK_JSONSCHEMA`` or ``--check-jsonschema PATH``; install it in a scratch venv::

        python -m venv /tmp/cjs && /tmp/cjs/bin/pip install check-jsonschema
        CHECK_JSONSCHEMA=/tmp/cjs/bin/check-jsonschema python bench/bench_lint.py

(b) One request of about 30 MB: six large base64 images (real PNG and JPEG headers,
    incompressible pixel data) plus text.  Linted in a subprocess with tracemalloc on:
    time and peak traced memory against the file size (targets: under 2 s, under 4x).

(c) A Message Batches JSONL file of ``--lines`` (100,000) lines, and its first tenth:
    time, lines/s and MB/s for each, and the ratio (linear growth gives about 10x).

    python bench/bench_lint.py                 # everything
    python bench/bench_lint.py --only b        # one part
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = (
    "the model reads every request body and judges its roles tools images caching and thinking blocks "
    "before a single token is generated so a linter that mirrors those checks saves a round trip"
).split()


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def tiny_png() -> str:
    raw = zlib.compress(b"\x00\xff\x00\x00" * 2)
    chunks = [
        (b"IHDR", struct.pack(">II5B", 2, 1, 8, 2, 0, 0, 0)),
        (b"IDAT", raw),
        (b"IEND", b""),
    ]
    out = b"\x89PNG\r\n\x1a\n"
    for kind, data in chunks:
        out += struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return base64.b64encode(out).decode()


PNG = tiny_png()


def make_request(i: int) -> dict:
    """A realistic, valid request of about 5 KB."""
    rng = random.Random(i)
    tool = {
        "name": "search_docs",
        "description": "Search the product documentation.",
        "input_schema": {
            "type": "object",
            "properties": {"query": {"type": "string"}, "limit": {"type": "integer"}},
            "required": ["query"],
        },
    }
    messages: list[dict] = [
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}},
                {"type": "text", "text": sentence(rng, rng.randint(40, 70))},
            ],
        }
    ]
    for turn in range(rng.randint(2, 4)):
        tid = f"toolu_{i:06d}_{turn}"
        messages.append(
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": sentence(rng, 25), "signature": "Eq" + "A" * 60},
                    {"type": "text", "text": sentence(rng, rng.randint(15, 30))},
                    {"type": "tool_use", "id": tid, "name": "search_docs", "input": {"query": sentence(rng, 4)}},
                ],
            }
        )
        messages.append(
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": tid, "content": sentence(rng, rng.randint(20, 40))},
                    {"type": "text", "text": sentence(rng, 10)},
                ],
            }
        )
    messages[-1]["content"][-1]["cache_control"] = {"type": "ephemeral"}
    return {
        "model": "claude-sonnet-4-5",
        "max_tokens": 8192,
        "system": [{"type": "text", "text": sentence(rng, 40), "cache_control": {"type": "ephemeral", "ttl": "1h"}}],
        "tools": [tool],
        "tool_choice": {"type": "auto"},
        "thinking": {"type": "enabled", "budget_tokens": 4096},
        "messages": messages,
    }


# -- (a) -----------------------------------------------------------------------------------


def lint_paths(paths: list[str]) -> tuple[int, int]:
    """Lint files the way ``transcript lint`` does; (files, diagnostics)."""
    from transcript.core.sources import read_source
    from transcript.lint import LintOptions, lint_source

    options = LintOptions()
    problems = 0
    for path in paths:
        _, diagnostics = lint_source(read_source(path), options=options)
        problems += len(diagnostics)
    return len(paths), problems


def part_a(count: int, check_jsonschema: str | None) -> None:
    print(f"(a) {count} request files")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        paths = []
        for i in range(count):
            path = directory / f"req{i:05d}.json"
            path.write_text(json.dumps(make_request(i), indent=2), encoding="utf-8")
            paths.append(str(path))
        size = sum(os.path.getsize(p) for p in paths)
        print(f"    {size / count / 1024:.1f} KB per file on average, {size / 1e6:.1f} MB in all")

        from transcript.lint.families import load_all

        load_all()  # imports and registry setup are not per-file costs
        start = time.perf_counter()
        files, problems = lint_paths(paths)
        ours = time.perf_counter() - start
        print(f"    transcript (in-process)   {ours:7.2f} s  {ours / files * 1000:6.3f} ms/file  {problems} diagnostics")

        exe = [sys.executable, "-m", "transcript", "lint", str(directory), "--format", "json"]
        start = time.perf_counter()
        proc = subprocess.run(exe, capture_output=True, check=False)
        cli = time.perf_counter() - start
        print(f"    transcript lint DIR (CLI) {cli:7.2f} s  {cli / files * 1000:6.3f} ms/file  exit {proc.returncode}")

        if not check_jsonschema:
            print("    check-jsonschema: not found. Install it in a scratch venv and point to it:")
            print("      python -m venv /tmp/cjs && /tmp/cjs/bin/pip install check-jsonschema")
            print("      CHECK_JSONSCHEMA=/tmp/cjs/bin/check-jsonschema python bench/bench_lint.py --only a")
            return
        schema = ROOT / "schemas" / "messages-request.schema.json"
        start = time.perf_counter()
        proc = subprocess.run(
            [check_jsonschema, "--schemafile", str(schema), *[Path(p).name for p in paths]],
            cwd=directory,
            capture_output=True,
            check=False,
        )
        theirs = time.perf_counter() - start
        print(f"    check-jsonschema (schema) {theirs:7.2f} s  {theirs / files * 1000:6.3f} ms/file  exit {proc.returncode}")
        print(f"    ratio: transcript is {theirs / ours:.1f}x faster in-process, {theirs / cli:.1f}x faster as a CLI")


# -- (b) -----------------------------------------------------------------------------------


def big_png(rng: random.Random, raw_size: int) -> bytes:
    width = 1600
    height = max(1, raw_size // (width * 3))
    noise = rng.randbytes(height * (width * 3 + 1))
    idat = zlib.compress(noise, 0)
    out = b"\x89PNG\r\n\x1a\n"
    for kind, data in ((b"IHDR", struct.pack(">II5B", width, height, 8, 2, 0, 0, 0)), (b"IDAT", idat), (b"IEND", b"")):
        out += struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return out


def big_jpeg(rng: random.Random, raw_size: int) -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 1200, 1920, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    sos = b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
    scan = rng.randbytes(raw_size).replace(b"\xff", b"\xfe")
    return b"\xff\xd8" + app0 + sof + sos + scan + b"\xff\xd9"


def make_big_request(path: Path) -> None:
    rng = random.Random(7)
    content: list[dict] = []
    for k in range(6):
        raw = big_png(rng, 3_600_000) if k % 2 == 0 else big_jpeg(rng, 3_700_000)
        media = "image/png" if k % 2 == 0 else "image/jpeg"
        content.append({"type": "image", "source": {"type": "base64", "media_type": media, "data": base64.b64encode(raw).decode()}})
        content.append({"type": "text", "text": sentence(rng, 200)})
    body = {"model": "claude-sonnet-4-5", "max_tokens": 4096, "messages": [{"role": "user", "content": content}]}
    path.write_text(json.dumps(body, indent=2), encoding="utf-8")


_MEASURE = """
import json, resource, sys, time, tracemalloc
from transcript.lint.families import load_all
load_all()
from transcript.lint import lint_source
from transcript.core.sources import read_source
tracemalloc.start()
start = time.perf_counter()
kind, diagnostics = lint_source(read_source(sys.argv[1]))
elapsed = time.perf_counter() - start
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
start = time.perf_counter()
lint_source(read_source(sys.argv[1]))
untraced = time.perf_counter() - start
print(json.dumps({"kind": kind, "codes": sorted({d.code for d in diagnostics}), "seconds": elapsed,
                  "untraced": untraced, "peak": peak,
                  "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def part_b() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.request.json"
        make_big_request(path)
        size = path.stat().st_size
        print(f"(b) one request of {size / 1e6:.1f} MB (6 base64 images, PNG and JPEG)")
        proc = subprocess.run([sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, check=False, cwd=ROOT)
        if proc.returncode:
            print(proc.stderr)
            return
        r = json.loads(proc.stdout)
        print(f"    kind {r['kind']}, codes {r['codes'] or 'none'}")
        print(f"    time {r['untraced']:.2f} s untraced ({r['seconds']:.2f} s under tracemalloc); target < 2 s")
        print(f"    peak traced memory {r['peak'] / 1e6:.1f} MB = {r['peak'] / size:.2f}x the file; target < 4x")
        print(f"    process max RSS {r['maxrss'] / 1e6:.1f} MB (interpreter and libraries included)")


# -- (c) -----------------------------------------------------------------------------------


def part_c(lines: int) -> None:
    from transcript.core.sources import read_source
    from transcript.lint import lint_source
    from transcript.lint.families import load_all

    load_all()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "batch.jsonl"
        small = Path(tmp) / "batch_small.jsonl"
        with big.open("w", encoding="utf-8") as out, small.open("w", encoding="utf-8") as out_small:
            for i in range(lines):
                rng = random.Random(i)
                params = {
                    "model": "claude-haiku-4-5",
                    "max_tokens": 1024,
                    "system": sentence(rng, 12),
                    "messages": [{"role": "user", "content": sentence(rng, rng.randint(20, 60))}],
                }
                line = json.dumps({"custom_id": f"req-{i}", "params": params}) + "\n"
                out.write(line)
                if i < lines // 10:
                    out_small.write(line)
        print(f"(c) Message Batches JSONL, {lines} lines ({big.stat().st_size / 1e6:.1f} MB) and its first {lines // 10}")
        results = []
        for path, n in ((small, lines // 10), (big, lines)):
            elapsed = float("inf")
            for _ in range(2):  # the better of two runs
                start = time.perf_counter()
                kind, diagnostics = lint_source(read_source(str(path)))
                elapsed = min(elapsed, time.perf_counter() - start)
            mb = path.stat().st_size / 1e6
            results.append(elapsed)
            print(
                f"    {n:>7} lines  {elapsed:6.2f} s  {n / elapsed:9,.0f} lines/s  {mb / elapsed:6.1f} MB/s"
                f"  kind {kind}, {len(diagnostics)} diagnostics"
            )
        print(f"    10x the lines took {results[1] / results[0]:.1f}x the time (linear is 10x)")


def part_huge_string(megabytes: int) -> None:
    """A document that is one string of N MB (the "1 GB of one string" input, scaled)."""
    from transcript.core.sources import Source
    from transcript.lint import lint_source

    data = b'"' + b"a" * (megabytes * 1_000_000) + b'"'
    start = time.perf_counter()
    kind, diagnostics = lint_source(Source("huge.json", data))
    elapsed = time.perf_counter() - start
    print(f"(d) one {megabytes} MB string: {elapsed:.2f} s, {[d.code for d in diagnostics]} ({kind})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--only", choices=["a", "b", "c", "d"], action="append")
    parser.add_argument("--huge-string-mb", type=int, default=200, help="size for part (d)")
    parser.add_argument(
        "--check-jsonschema",
        default=os.environ.get("CHECK_JSONSCHEMA") or shutil.which("check-jsonschema"),
        help="the check-jsonschema executable",
    )
    args = parser.parse_args()
    parts = args.only or ["a", "b", "c", "d"]
    if "a" in parts:
        part_a(args.count, args.check_jsonschema)
    if "b" in parts:
        part_b()
    if "c" in parts:
        part_c(args.lines)
    if "d" in parts:
        part_huge_string(args.huge_string_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
