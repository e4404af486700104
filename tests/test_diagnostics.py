"""The diagnostics model: locations, line index, pointers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import (
    Diagnostic,
    DiagnosticSink,
    LineIndex,
    Location,
    Severity,
    diagnostic_tuple,
    escape_pointer_token,
    has_errors,
    join_pointer,
    sort_diagnostics,
    str_tuple,
)


def _naive(text: str, offset: int) -> tuple[int, int]:
    line, col, i = 1, 1, 0
    while i < offset:
        ch = text[i]
        if ch == "\r" and i + 1 < len(text) and text[i + 1] == "\n" and i + 1 < offset:
            line, col, i = line + 1, 1, i + 2
            continue
        if ch in "\r\n":
            line, col = line + 1, 1
        else:
            col += 1
        i += 1
    return line, col


@given(st.text(alphabet="ab\r\n é", max_size=60), st.data())
def test_line_index_agrees_with_a_naive_count(text: str, data: st.DataObject) -> None:
    """LineIndex gives the same line and column as walking the text character by character."""
    offset = data.draw(st.integers(0, len(text)))
    if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
        offset -= 1  # the middle of a CRLF is not a position anyone reports
    assert LineIndex(text).position(offset) == _naive(text, offset)


def test_line_index_counts_cr_lf_and_crlf_as_one_line_end_each() -> None:
    """CR, LF and CRLF each end exactly one line."""
    index = LineIndex("a\rb\nc\r\nd")
    assert [index.position(i) for i in (0, 2, 4, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert index.line_count == 4


def test_pointer_tokens_are_escaped() -> None:
    """~ and / are escaped as RFC 6901 says."""
    assert escape_pointer_token("a/b~c") == "a~1b~0c"
    assert join_pointer("messages", 0, "content") == "/messages/0/content"


def test_location_renders_file_line_column_and_shifts() -> None:
    """A location prints as file:line:col and can move down for a JSONL record."""
    loc = Location(file="f.json", line=2, column=5, end_line=3, end_column=1)
    assert str(loc) == "f.json:2:5"
    assert loc.shifted(10).line == 12 and loc.shifted(10).end_line == 13
    assert str(Location()) == "<input>"


def test_diagnostics_sort_by_file_position_code_and_know_errors() -> None:
    """Sorting is by file, line, column and code; has_errors sees only errors."""
    a = Diagnostic("P002", "b", Severity.WARNING, "m", Location("a", 2, 1))
    b = Diagnostic("P001", "a", Severity.INFO, "m", Location("a", 1, 9))
    c = Diagnostic("X001", "c", Severity.ERROR, "m", Location("b", 1, 1))
    assert sort_diagnostics([c, a, b]) == [b, a, c]
    assert not has_errors([a, b]) and has_errors([a, c])
    assert a.to_dict()["severity"] == "warning"
    assert Severity.parse("ERROR") is Severity.ERROR


@given(st.lists(st.text(max_size=5), max_size=8))
def test_typed_tuple_converters_keep_items_and_order(items: list[str]) -> None:
    assert str_tuple(items) == tuple(items)
    assert str_tuple(iter(items)) == tuple(items)
    diags = [Diagnostic(code="X001", name="n", severity=Severity.INFO, message=m) for m in items]
    assert diagnostic_tuple(diags) == tuple(diags)
    assert diagnostic_tuple(d for d in diags) == tuple(diags)


_LINE_ENDS = __import__("re").compile(r"\r\n?|\n")


@given(
    st.lists(st.sampled_from(["a", "é", "\n", "\r", "\r\n", "b"]), max_size=40).map("".join),
    st.sampled_from([1, 2, 3, 7, 4096]),
)
def test_line_index_agrees_with_a_full_list_of_line_starts(text: str, block: int) -> None:
    """The checkpointed index answers as a list of every line start would, at any block size."""
    import bisect

    import transcript.core.diagnostics as module

    starts = [0] + [m.end() for m in _LINE_ENDS.finditer(text)]
    saved, module._BLOCK = module._BLOCK, block
    try:
        index = LineIndex(text)
        assert index.line_count == len(starts)
        for offset in range(len(text) + 1):
            line = bisect.bisect_right(starts, offset) - 1
            assert index.position(offset) == (line + 1, offset - starts[line] + 1)
        for line, start in enumerate(starts, 1):
            assert index.offset(line, 1) == start
    finally:
        module._BLOCK = saved


def test_line_index_memory_is_a_fraction_of_a_text_of_blank_lines() -> None:
    import sys

    text = "\n" * 2_000_000
    index = LineIndex(text)
    held = sum(sys.getsizeof(a) for a in (index._lines, index._line_starts))
    assert held < len(text) // 100
    assert index.position(len(text)) == (2_000_001, 1)


@given(st.lists(st.tuples(st.sampled_from(["A001", "B002", "C003"]), st.booleans()), max_size=40), st.integers(1, 5))
def test_a_sink_that_skips_past_the_cap_reports_what_adding_everything_reports(
    items: list[tuple[str, bool]], limit: int
) -> None:
    def diagnostic(code: str, error: bool, n: int) -> Diagnostic:
        severity = Severity.ERROR if error else Severity.WARNING
        return Diagnostic(code=code, name="x", severity=severity, message=f"m{n}", location=Location(line=n + 1))

    every, lazy = DiagnosticSink(limit), DiagnosticSink(limit)
    built = 0
    for n, (code, error) in enumerate(items):
        every.add(diagnostic(code, error, n))
        if not lazy.skip(code, Severity.ERROR if error else Severity.WARNING):
            lazy.add(diagnostic(code, error, n))
            built += 1
    assert lazy.result() == every.result()
    assert lazy.errors == every.errors
    assert built <= 3 * (limit + 1)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["A001", "B002", "C003"]), st.integers(min_value=1, max_value=50)), max_size=40),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=9),
)
def test_absorbing_a_later_part_is_adding_it_here(items: list[tuple[str, int]], cut: int, lines: int) -> None:
    """A sink that absorbs another's findings (``lines`` further down) ends as one sink fed
    them all in order: the same kept diagnostics in the same order, the same summaries and
    counts (the summaries of different codes may come in another order: reports sort them)."""
    made = [
        Diagnostic(code=code, name="n", severity=Severity.WARNING if code == "A001" else Severity.ERROR,
                   message=str(i), location=Location(line=line))
        for i, (code, line) in enumerate(items)
    ]
    first, second = made[:cut], made[cut:]
    one = DiagnosticSink(limit=3)
    one.extend([*first, *(d.with_location(d.location.shifted(lines)) for d in second)])
    head, tail = DiagnosticSink(limit=3), DiagnosticSink(limit=3)
    head.extend(first)
    tail.extend(second)
    head.absorb(tail, lines)
    assert head.items == one.items and head.errors == one.errors
    assert sort_diagnostics(head.result()) == sort_diagnostics(one.result())
