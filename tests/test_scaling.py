"""The fast scaling suite: every hostile shape at 1x and 10x, in-process.

The shapes are ``bench/hostile_shapes.py``'s, at a twentieth of the benchmark's 10x size
(``bench/bench_hostile.py`` runs them full size, as whole commands).  Each command runs
through :func:`transcript.cli.main` as a user would run it; CPU time (not wall time, so a
busy machine does not move it) must grow at most 15x from 1x to 10x, and the peak of
Python allocations at 10x must grow linearly and stay within 4x the input beyond the plain
JSON values the command reads and writes (``hostile_shapes.plain_values``), plus a constant.
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
    one, ten = SHAPES.measure_sizes(shape, [n, 10 * n], tmp_path)
    name = shape.name  # type: ignore[attr-defined]
    assert one.status in (0, 1) and ten.status in (0, 1)
    growth = ten.cpu / max(one.cpu, 1e-3)
    assert growth <= MAX_GROWTH, f"{name}: 10x the input took {growth:.1f}x the time"
    assert ten.peak <= MAX_GROWTH * one.peak + CONSTANT, f"{name}: memory grows faster than the input"
    rest = (ten.peak - ten.values) / ten.size
    assert ten.peak <= ten.budget(MAX_MEMORY, CONSTANT), f"{name}: {rest:.1f}x the input beyond its plain values"


def test_the_values_are_measured_not_assumed(tmp_path: Path) -> None:
    """The budget's allowance is the parse of what the command reads and writes: nothing for
    a prompt linted (text in, text out), the messages for a prompt converted."""
    shapes = {s.name: s for s in SHAPES.SHAPES}
    lint = SHAPES.measure(shapes["empty-turns"], 2000, tmp_path, repeat=1)
    convert = SHAPES.measure(shapes["short-turns"], 2000, tmp_path, repeat=1)
    request = SHAPES.measure(shapes["empty-messages"], 2000, tmp_path, repeat=1)
    assert lint.values == 0
    assert convert.values > 5 * convert.size  # a dict per 17-byte turn
    assert request.values > 5 * request.size  # a dict per 30-byte message
