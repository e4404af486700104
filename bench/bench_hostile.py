"""Scaling suite: every hostile input shape at 1x and 10x, as whole `transcript` commands.

    python bench/bench_hostile.py              # every shape, 1x and 10x (a few minutes)
    python bench/bench_hostile.py --scale 0.1  # a tenth of the sizes
    python bench/bench_hostile.py --only open-blocks --only pdf-count

For each shape of ``bench/hostile_shapes.py`` it writes the input at ``n`` and ``10 n``
units, runs the installed command on each (and once on a one-unit input: the startup
floor), and reads the child's CPU time and peak resident memory from ``wait4``.  CPU time
rather than wall time, so a busy machine does not move the ratios.  It prints, per shape:

- the input sizes, the CPU seconds beyond the floor at 1x and 10x, and their ratio
  (the growth: 10 for linear time; the suite fails above 12);
- the peak memory beyond the floor at 10x, as a multiple of the input (fails above 4,
  except for the shapes in ``OVER_MEMORY_BUDGET``, which are reported, marked, and held to
  linear growth only);
- the exit status (0 or 1 expected; anything else is a crash).

Exit status 1 when any shape fails.  Baseline: linear growth (10x).  The fast version of
this suite, in-process and at a tenth of these sizes, is ``tests/test_scaling.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_shapes import OVER_MEMORY_BUDGET, SHAPES, Shape  # noqa: E402

MAX_GROWTH = 12.0
MAX_MEMORY = 4.0


def command() -> list[str]:
    script = shutil.which("transcript", path=str(Path(sys.executable).parent)) or shutil.which("transcript")
    return [script] if script else [sys.executable, "-m", "transcript"]


def run(args: list[str]) -> tuple[float, int, int]:
    """CPU seconds (user + system), peak RSS in bytes, exit status of one child."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return usage.ru_utime + usage.ru_stime, rss, proc.returncode


def measure(shape: Shape, units: int, folder: Path, repeat: int) -> tuple[int, float, int, int]:
    path = folder / f"{shape.name}-{units}{shape.suffix}"
    data = shape.make(units)
    path.write_bytes(data)
    best_cpu, best_rss, status = float("inf"), 0, 0
    for _ in range(repeat):
        cpu, rss, status = run([*command(), *shape.args, str(path)])
        best_cpu, best_rss = min(best_cpu, cpu), max(best_rss, rss)
    path.unlink()
    return len(data), best_cpu, best_rss, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every shape's 1x size")
    parser.add_argument("--only", action="append", default=[], help="run only this shape (repeatable)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size; the least CPU time counts")
    ns = parser.parse_args()
    shapes = [s for s in SHAPES if not ns.only or s.name in ns.only]
    failed = []
    print(f"{'shape':<18} {'1x input':>10} {'10x input':>10} {'cpu 1x':>8} {'cpu 10x':>8} {'growth':>7} "
          f"{'mem 10x':>8} {'x input':>8}  status")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for shape in shapes:
            n = max(1, int(shape.units * ns.scale))
            _, floor_cpu, floor_rss, _ = measure(shape, 1, folder, ns.repeat)
            size1, cpu1, _, status1 = measure(shape, n, folder, ns.repeat)
            size10, cpu10, rss10, status10 = measure(shape, 10 * n, folder, ns.repeat)
            work1, work10 = max(cpu1 - floor_cpu, 1e-3), max(cpu10 - floor_cpu, 1e-3)
            growth = work10 / work1
            memory = max(rss10 - floor_rss, 0) / size10
            problems = []
            if growth > MAX_GROWTH:
                problems.append(f"time grows {growth:.1f}x")
            known = OVER_MEMORY_BUDGET.get(shape.name)
            if memory > MAX_MEMORY and not known:
                problems.append(f"memory {memory:.1f}x the input")
            if status1 not in (0, 1) or status10 not in (0, 1):
                problems.append(f"exit status {status1}/{status10}")
            verdict = "FAIL: " + ", ".join(problems) if problems else ("ok (memory over budget: known)" if memory > MAX_MEMORY else "ok")
            print(f"{shape.name:<18} {size1 / 1e6:>8.2f}MB {size10 / 1e6:>8.2f}MB {work1:>7.2f}s {work10:>7.2f}s "
                  f"{growth:>6.1f}x {(rss10 - floor_rss) / 1e6:>6.0f}MB {memory:>7.1f}x  {verdict}", flush=True)
            if problems:
                failed.append(shape.name)
    print(f"\nbaseline: linear growth = 10x; limits: growth <= {MAX_GROWTH:g}x, memory <= {MAX_MEMORY:g}x the input")
    for name, why in OVER_MEMORY_BUDGET.items():
        print(f"  known over the memory budget: {name}: {why}")
    print("FAILED: " + ", ".join(failed) if failed else "all shapes within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
