"""The linear line index agrees with diagnostics.LineIndex and stays linear."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.diagnostics import LineIndex
from transcript.fast_lines import line_index


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(["a", "\n", "\r", "é"]), max_size=40), st.data())
def test_same_positions_as_line_index(text: str, data: st.DataObject) -> None:
    """Every offset maps to the same (line, column) as LineIndex (LF, CR, CRLF)."""
    offset = data.draw(st.integers(0, len(text)))
    assert line_index(text).position(offset) == LineIndex(text).position(offset)
    assert line_index(text).line_count == LineIndex(text).line_count


def test_many_lines_without_cr() -> None:
    """200k LF-only lines index quickly (the quadratic CR search is avoided)."""
    text = "x\n" * 200_000
    start = time.perf_counter()
    index = line_index(text)
    assert index.position(len(text) - 1) == (200_000, 2)
    assert time.perf_counter() - start < 2
