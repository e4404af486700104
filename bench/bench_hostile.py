"""Scaling suite: every hostile input shape at 1x and 10x.

    python bench/bench_hostile.py              # every shape, 1x and 10x (several minutes)
    python bench/bench_hostile.py --scale 0.1  # a tenth of the sizes
    python bench/bench_hostile.py --only open-blocks --only pdf-count

For each shape of ``bench/hostile_shapes.py`` it writes the input at ``n`` and ``10 n``
units and runs the command on each in this process, as the command line runs it
(``transcript.cli.main``, output discarded), after one run on a one-unit input that fills
the caches.  It prints, per shape:

- the input sizes, the CPU seconds at 1x and 10x (the least of ``--repeat`` runs of each,
  taken in turns; CPU time rather than wall time, so a busy machine moves the ratios
  little) and their ratio, the growth: 10 for linear time; the suite fails above 12;
- the peak of Python allocations at 10x (tracemalloc, one more run) against the budget: 4x
  the input beyond the plain JSON values the command reads and writes (the stdlib's parse
  of its input and of its output, when they are JSON, measured here: payloads stay plain
  JSON values, which CPython makes several times their text), plus a constant; it fails
  above the budget, or when the peak grows more than 12x from 1x to 10x;
- a crash (an exit status other than 0 or 1) fails too.

Exit status 1 when any shape fails.  Baseline: linear growth (10x) and 4x the input beyond its values.  The
fast version of this suite, at a twentieth of these sizes, is ``tests/test_scaling.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hostile_shapes import SHAPES, measure, measure_sizes  # noqa: E402

MAX_GROWTH = 12.0
MAX_MEMORY = 4.0
CONSTANT = 4_000_000  # orjson's working area below 256 KiB (core.jsontext), the report, caches


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every shape's 1x size")
    parser.add_argument("--only", action="append", default=[], help="run only this shape (repeatable)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the least CPU time counts")
    ns = parser.parse_args()
    shapes = [s for s in SHAPES if not ns.only or s.name in ns.only]
    failed = []
    print(f"{'shape':<18} {'1x input':>10} {'10x input':>10} {'cpu 1x':>8} {'cpu 10x':>8} {'growth':>7} "
          f"{'peak 10x':>9} {'x input':>8} {'values':>7} {'rest':>6}  verdict")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for shape in shapes:
            n = max(1, int(shape.units * ns.scale))
            measure(shape, 1, folder, repeat=1, memory=False)  # warm: schemas, grammar, caches
            one, ten = measure_sizes(shape, [n, 10 * n], folder, repeat=ns.repeat)
            growth = ten.cpu / max(one.cpu, 1e-6)
            problems = []
            if growth > MAX_GROWTH:
                problems.append(f"time grows {growth:.1f}x")
            if ten.peak > MAX_GROWTH * one.peak + CONSTANT:
                problems.append(f"memory grows {ten.peak / max(one.peak, 1):.1f}x")
            if ten.peak > ten.budget(MAX_MEMORY, CONSTANT):
                problems.append(f"memory beyond the values {(ten.peak - ten.values) / ten.size:.1f}x the input (limit {MAX_MEMORY:g}x)")
            if one.status not in (0, 1) or ten.status not in (0, 1):
                problems.append(f"exit status {one.status}/{ten.status}")
            verdict = "FAIL: " + ", ".join(problems) if problems else "ok"
            print(f"{shape.name:<18} {one.size / 1e6:>8.2f}MB {ten.size / 1e6:>8.2f}MB {one.cpu:>7.2f}s {ten.cpu:>7.2f}s "
                  f"{growth:>6.1f}x {ten.peak / 1e6:>7.1f}MB {ten.peak / ten.size:>7.1f}x {ten.values / ten.size:>6.1f}x "
                  f"{(ten.peak - ten.values) / ten.size:>5.1f}x  {verdict}", flush=True)
            if problems:
                failed.append(shape.name)
    print(f"\nbaseline: linear growth = 10x; limits: growth <= {MAX_GROWTH:g}x, peak <= {MAX_MEMORY:g}x the input "
          "+ values + 4 MB (values: the stdlib's parse of the input and of the output, when JSON; rest: peak - values)")
    print("FAILED: " + ", ".join(failed) if failed else "all shapes within limits")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
