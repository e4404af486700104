"""The fast scaling suite: every hostile shape at 1x and 10x, in-process.

The shapes are ``bench/hostile_shapes.py``'s, at a twentieth of the benchmark's 10x size
(``bench/bench_hostile.py`` runs them full size, as whole commands).  Each command runs
through :func:`transcript.cli.main` as a user would run it; CPU time (not wall time, so a
busy machine does not move it) must grow at most 12x from 1x to 10x, and the peak of
Python allocations at 10x must stay within 4x the input plus a constant, except for the
shapes known to be over that budget, which must grow linearly and stay under their own ceiling.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
# Small inputs fit in the CPU's caches and large ones do not, which alone makes linear code
# take up to ~13x at 10x the input here; a quadratic takes ~100x.  The benchmark, at full
# size, holds the shapes to 12x.
MAX_GROWTH = 15.0
MAX_MEMORY = 4.0
CONSTANT = 4_000_000  # bytes: orjson's working area below 256 KiB (core.jsontext), the report, caches


def _shapes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hostile_shapes", BENCH / "hostile_shapes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


SHAPES = _shapes()


@pytest.mark.parametrize("shape", SHAPES.SHAPES, ids=lambda s: s.name)
def test_hostile_shape_scales_linearly(shape: object, tmp_path: Path) -> None:
    n = max(1, shape.units // 200)  # type: ignore[attr-defined]
    SHAPES.measure(shape, 1, tmp_path, repeat=1, memory=False)  # warm: schemas, grammar, caches
    one = SHAPES.measure(shape, n, tmp_path)
    ten = SHAPES.measure(shape, 10 * n, tmp_path)
    name = shape.name  # type: ignore[attr-defined]
    assert one.status in (0, 1) and ten.status in (0, 1)
    growth = ten.cpu / max(one.cpu, 1e-3)
    assert growth <= MAX_GROWTH, f"{name}: 10x the input took {growth:.1f}x the time"
    ceiling = MAX_MEMORY
    if name in SHAPES.OVER_MEMORY_BUDGET:
        assert ten.peak <= MAX_GROWTH * one.peak + CONSTANT, f"{name}: memory grows faster than the input"
        ceiling = SHAPES.OVER_MEMORY_BUDGET[name][0]
    assert ten.peak <= ceiling * ten.size + CONSTANT, f"{name}: peak {ten.peak / 1e6:.1f} MB for {ten.size / 1e6:.1f} MB"


def test_the_shapes_over_the_memory_budget_are_few_and_explained() -> None:
    """Each shape allowed past 4x the input names why and its own ceiling; the prompt shapes
    (an object per turn once) are held to the plain budget."""
    names = {s.name for s in SHAPES.SHAPES}
    for name, (ceiling, why) in SHAPES.OVER_MEMORY_BUDGET.items():
        assert name in names and ceiling > MAX_MEMORY and why
    assert not {"empty-turns", "same-role-turns"} & set(SHAPES.OVER_MEMORY_BUDGET)
