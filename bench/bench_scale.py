"""Scale-out speed: ``--jobs 1`` against ``--jobs 2`` and ``--dask local`` (issue 12).

(a) ``transcript lint``: a generated Message Batches JSONL of ``--lines`` (100,000) requests
    (cut into ``--chunk-size`` chunks at line ends, linted on the workers).
(b) ``transcript lint``: a directory of ``--files`` (2,000) request files of about 5 KB
    (``bench_lint.py``'s).
(d) ``transcript replay``: a directory of ``--streams`` (20,000) captured streams (the
    sample captures, each with its own text), one JSON line per stream.
(e) ``transcript migrate``: a JSONL of ``--lines`` legacy Text Completions requests.
(f) Per record: ``transcript.scale.lint_record`` of ``bench_lint.py``'s ~5 KB requests, in
    this process, CPU time (the best of 5 rounds of ``--records``), beside orjson's parse of
    the same text (the floor); target 150 us a request.

Each is one subprocess per way of running (the better of ``--rounds`` runs); the outputs
(the JSON report; replay's and migrate's standard output too) must be identical, and the
ratio of the wall times is the speed-up (target on the 2-core machine: >= 1.7x).
Lines (files) per second and the process's peak RSS (the parent's; each worker holds about
one chunk) are printed beside.  ``--dask`` adds ``--dask local`` (a LocalCluster of two
worker processes, its start included) to (a), (b) and (d); it needs the dask extra.

(c) The control: the same ratio for pure CPU work (no transcript) on a pool of 2 processes,
    the best any ``--jobs 2`` can do on the machine as loaded now (the cores are shared:
    another benchmark running takes one of them, and then no pool is faster than one process).

    python bench/bench_scale.py
    python bench/bench_scale.py --only a --lines 1000000
    python bench/bench_scale.py --only d --streams 20000 --dask
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

BENCH = Path(__file__).resolve().parent
TRANSCRIPT = shutil.which("transcript", path=str(Path(sys.executable).parent)) or "transcript"


def _bench_lint():
    spec = importlib.util.spec_from_file_location("bench_lint", BENCH / "bench_lint.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_jsonl(path: Path, lines: int) -> None:
    """Batch lines of short requests; one in 200 with a negative max_tokens, one in 500 repeating a custom_id."""
    words = "the quick brown fox jumps over a lazy dog while seven wizards quietly hex jumbled boxes".split()
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            rng = random.Random(i)
            params = {
                "model": "claude-haiku-4-5",
                "max_tokens": -1 if i % 200 == 7 else 1024,
                "system": " ".join(rng.choice(words) for _ in range(12)),
                "messages": [{"role": "user", "content": " ".join(rng.choice(words) for _ in range(rng.randint(20, 60)))}],
            }
            custom_id = f"req-{i - 1 if i % 500 == 499 else i}"
            out.write(json.dumps({"custom_id": custom_id, "params": params}) + "\n")


def write_files(folder: Path, count: int) -> None:
    make_request = _bench_lint().make_request
    folder.mkdir()
    for i in range(count):
        (folder / f"req{i:05d}.json").write_text(json.dumps(make_request(i), indent=1), encoding="utf-8")


def write_streams(folder: Path, count: int) -> None:
    """``count`` captures: the sample streams (SSE and JSONL events, valid and broken) in turn,
    each with a text of its own (the replayed Messages differ)."""
    samples = sorted((BENCH.parent / "samples" / "streams").rglob("*.sse"))
    texts = [p.read_text(encoding="utf-8") for p in samples]
    folder.mkdir()
    for i in range(count):
        text = texts[i % len(texts)].replace("Hello", f"Hello {i}").replace("msg_", f"msg_{i}_", 1)
        (folder / f"s{i:06d}.sse").write_text(text, encoding="utf-8")


def write_legacy(path: Path, lines: int) -> None:
    """Legacy requests to migrate; one in 200 with a negative max_tokens_to_sample, one in 300 not JSON."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(lines):
            if i % 300 == 299:
                out.write('{"model": "claude-2", "prompt": \n')
                continue
            body = {"model": "claude-2", "prompt": f"\n\nHuman: question {i}?\n\nAssistant:",
                    "max_tokens_to_sample": -1 if i % 200 == 7 else 256}
            out.write(json.dumps(body) + "\n")


def run(command: list[str], rounds: int) -> tuple[float, str, int, int]:
    """(best wall seconds, sha256 of standard output and error, exit status, parent peak RSS in KB)."""
    best = float("inf")
    digest, status, rss = "", 0, 0
    for _ in range(rounds):
        timed = ["/usr/bin/time", "-f", "%M", *command] if Path("/usr/bin/time").exists() else command
        start = time.perf_counter()
        proc = subprocess.run(timed, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command[:2])} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
        tail = proc.stderr.decode().rstrip("\n").splitlines()
        rss = int(tail[-1]) if timed is not command and tail and tail[-1].isdigit() else 0
        err = "\n".join(tail[:-1] if rss else tail)
        digest, status = hashlib.sha256(proc.stdout + b"\0" + err.encode()).hexdigest(), proc.returncode
    return best, digest, status, rss


def per_record(count: int) -> None:
    import orjson

    from transcript.scale import lint_record

    make_request = _bench_lint().make_request
    texts = [json.dumps(make_request(i), indent=1) for i in range(count)]
    size = sum(len(t) for t in texts) / count

    def best(fn) -> float:
        fn(texts[0])
        rounds = []
        for _ in range(5):
            start = time.process_time()
            for text in texts:
                fn(text)
            rounds.append((time.process_time() - start) / count * 1e6)
        return min(rounds)

    lint = best(lambda text: lint_record(text, "request"))
    floor = best(orjson.loads)
    print(f"(f) per record: lint_record of {count:,} requests of {size / 1000:.1f} KB, CPU time, best of 5")
    print(f"    lint_record {lint:7.1f} us a request ({1e6 / lint:,.0f} a second on one core); orjson.loads {floor:5.1f} us "
          f"({lint / floor:.0f}x the parse); target 150 us")


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def control(rounds: int) -> None:
    work = [3_000_000] * 8
    serial = pooled = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for n in work:
            _burn(n)
        serial = min(serial, time.perf_counter() - start)
        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(_burn, work))
        pooled = min(pooled, time.perf_counter() - start)
    print("(c) control: pure CPU work, 1 process vs a pool of 2")
    print(f"    1 process {serial:6.2f} s, pool of 2 {pooled:6.2f} s: ratio {serial / pooled:.2f}x (the machine's ceiling now)")


def compare(label: str, command: list[str], units: int, unit: str, rounds: int, dask: bool) -> None:
    print(label)
    ways = [("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])] + ([("--dask local", ["--dask", "local"])] if dask else [])
    results = {}
    for name, extra in ways:
        seconds, digest, status, rss = run([TRANSCRIPT, *command, *extra], rounds)
        results[name] = (seconds, digest)
        memory = f"  parent peak RSS {rss / 1024:6.1f} MB" if rss else ""
        print(f"    {name:<13} {seconds:6.2f} s  {units / seconds:9,.0f} {unit}/s  exit {status}{memory}")
    same = len({digest for _s, digest in results.values()}) == 1
    print(f"    outputs identical: {same}")
    base = results["--jobs 1"][0]
    for name in results:
        if name != "--jobs 1":
            print(f"    ratio: {name} is {base / results[name][0]:.2f}x --jobs 1 (target >= 1.7x on 2 cores)")
    if not same:
        raise SystemExit("the outputs differ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--chunk-size", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--streams", type=int, default=20_000)
    parser.add_argument("--records", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--dask", action="store_true", help="also --dask local (needs the dask extra)")
    parser.add_argument("--only", choices=["a", "b", "c", "d", "e", "f"], action="append")
    args = parser.parse_args()
    parts = args.only or ["a", "b", "c", "d", "e", "f"]
    if "f" in parts:
        per_record(args.records)
    chunk = ["--chunk-size", str(args.chunk_size)]
    if "c" in parts:
        control(args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        if "a" in parts:
            path = Path(tmp) / "batch.jsonl"
            write_jsonl(path, args.lines)
            mb = path.stat().st_size / 1e6
            compare(f"(a) lint: JSONL of {args.lines:,} requests ({mb:.1f} MB, chunks of {args.chunk_size:,} bytes)",
                    ["lint", str(path), *chunk, "--format", "json"], args.lines, "lines", args.rounds, args.dask)
        if "b" in parts:
            folder = Path(tmp) / "requests"
            write_files(folder, args.files)
            compare(f"(b) lint: a directory of {args.files:,} request files", ["lint", str(folder), "--format", "json"],
                    args.files, "files", args.rounds, args.dask)
        if "d" in parts:
            folder = Path(tmp) / "streams"
            write_streams(folder, args.streams)
            compare(f"(d) replay: a directory of {args.streams:,} captured streams", ["replay", str(folder), "--format", "json"],
                    args.streams, "streams", args.rounds, args.dask)
        if "e" in parts:
            path = Path(tmp) / "legacy.jsonl"
            write_legacy(path, args.lines)
            mb = path.stat().st_size / 1e6
            cut = min(args.chunk_size, max(65536, path.stat().st_size // 16))  # at least 16 chunks, so both workers have some
            compare(f"(e) migrate: JSONL of {args.lines:,} legacy requests ({mb:.1f} MB, chunks of {cut:,} bytes)",
                    ["migrate", str(path), "--model-map", "claude-2=claude-sonnet-4-5", "--chunk-size", str(cut), "--format", "json"],
                    args.lines, "lines", args.rounds, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
