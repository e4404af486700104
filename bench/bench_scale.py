"""Scale-out speed: ``transcript lint --jobs 1`` against ``--jobs 2`` (issue 12).

(a) A generated Message Batches JSONL of ``--lines`` (100,000) requests (cut into
    ``--chunk-size`` chunks at line ends, linted on the workers).
(b) A directory of ``--files`` (2,000) request files of about 5 KB (``bench_lint.py``'s).

Each is one ``transcript lint`` subprocess per job count (the better of ``--rounds`` runs);
the JSON reports must be identical, and the ratio of the wall times is the speed-up
(target on the 2-core machine: >= 1.7x).  Lines (files) per second and the process's peak
RSS (the parent's; each worker holds about one chunk) are printed beside.

(c) The control: the same ratio for pure CPU work (no transcript) on a pool of 2 processes,
    the best any ``--jobs 2`` can do on the machine as loaded now (the cores are shared:
    another benchmark running takes one of them, and then no pool is faster than one process).

    python bench/bench_scale.py
    python bench/bench_scale.py --only a --lines 1000000
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


def run(path: Path, jobs: int, chunk_size: int, rounds: int) -> tuple[float, str, int, int]:
    """(best wall seconds, sha256 of the JSON report, exit status, parent peak RSS in KB)."""
    best = float("inf")
    digest, status, rss = "", 0, 0
    for _ in range(rounds):
        command = [TRANSCRIPT, "lint", str(path), "--jobs", str(jobs), "--chunk-size", str(chunk_size), "--format", "json"]
        timed = ["/usr/bin/time", "-f", "%M", *command] if Path("/usr/bin/time").exists() else command
        start = time.perf_counter()
        proc = subprocess.run(timed, capture_output=True)
        best = min(best, time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"transcript lint failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
        digest, status = hashlib.sha256(proc.stdout).hexdigest(), proc.returncode
        tail = proc.stderr.decode().strip().splitlines()
        rss = int(tail[-1]) if timed is not command and tail and tail[-1].isdigit() else 0
    return best, digest, status, rss


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


def compare(label: str, path: Path, units: int, unit: str, chunk_size: int, rounds: int) -> None:
    print(label)
    results = {}
    for jobs in (1, 2):
        seconds, digest, status, rss = run(path, jobs, chunk_size, rounds)
        results[jobs] = (seconds, digest)
        memory = f"  parent peak RSS {rss / 1024:6.1f} MB" if rss else ""
        print(f"    --jobs {jobs}  {seconds:6.2f} s  {units / seconds:9,.0f} {unit}/s  exit {status}{memory}")
    same = results[1][1] == results[2][1]
    print(f"    reports identical: {same}")
    print(f"    ratio: --jobs 2 is {results[1][0] / results[2][0]:.2f}x --jobs 1 (target >= 1.7x on 2 cores)")
    if not same:
        raise SystemExit("the reports differ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--chunk-size", type=int, default=4 * 1024 * 1024)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", choices=["a", "b", "c"], action="append")
    args = parser.parse_args()
    parts = args.only or ["a", "b", "c"]
    if "c" in parts:
        control(args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        if "a" in parts:
            path = Path(tmp) / "batch.jsonl"
            write_jsonl(path, args.lines)
            mb = path.stat().st_size / 1e6
            compare(f"(a) JSONL of {args.lines:,} requests ({mb:.1f} MB, chunks of {args.chunk_size:,} bytes)",
                    path, args.lines, "lines", args.chunk_size, args.rounds)
        if "b" in parts:
            folder = Path(tmp) / "requests"
            write_files(folder, args.files)
            compare(f"(b) a directory of {args.files:,} request files", folder, args.files, "files", args.chunk_size, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
