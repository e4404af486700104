"""Code frames for ``--show-source``: the line a diagnostic points at, with a caret under the fault.

A line longer than :data:`WIDTH` columns (a JSONL record of thousands) is shown as a
window around the column, cut with ``…`` at either end.  Control characters from the
input are written as escapes (as everywhere in the text format), and the caret is placed
under the escaped text, so it stays under the fault.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from transcript.core.diagnostics import Diagnostic, printable

__all__ = ["WIDTH", "frame", "source_lines"]

#: The most columns of source one frame shows.
WIDTH = 100
_STDIN = "<stdin>"


def source_lines(diagnostics: Iterable[Diagnostic], texts: Mapping[str, str] | None = None) -> dict[tuple[str, int], str]:
    """The lines the diagnostics point at, by ``(file, line)``: from ``texts`` (an input
    already read, standard input) or read from the file.  A file that cannot be read
    or decoded gives no lines (its diagnostics are shown without a frame)."""
    wanted: dict[str, set[int]] = {}
    for d in diagnostics:
        if d.location.file and d.location.line is not None:
            wanted.setdefault(d.location.file, set()).add(d.location.line)
    out: dict[tuple[str, int], str] = {}
    for file, lines in wanted.items():
        text = (texts or {}).get(file)
        if text is None:
            if file == _STDIN or not os.path.isfile(file):
                continue
            try:
                with open(file, encoding="utf-8", errors="surrogateescape", newline="") as stream:
                    for number, line in enumerate(_lines(stream), 1):
                        if number in lines:
                            out[(file, number)] = line
                        if number >= max(lines):
                            break
            except OSError:
                continue
        else:
            for number, line in enumerate(_lines(text.splitlines(keepends=True)), 1):
                if number in lines:
                    out[(file, number)] = line
    return out


def _lines(chunks: Iterable[str]) -> Iterable[str]:
    for line in chunks:
        yield line.rstrip("\r\n")


def frame(d: Diagnostic, line_text: str, *, width: int = WIDTH) -> list[str]:
    """The frame of one diagnostic: a gutter, the (windowed) line, and the caret line."""
    loc = d.location
    if loc.line is None:
        return []
    column = max(1, loc.column or 1)
    span = 1
    if loc.end_line == loc.line and loc.end_column is not None and loc.end_column > column:
        span = loc.end_column - column
    start = column - 1
    begin = 0
    if len(line_text) > width:
        begin = max(0, min(start - width // 3, len(line_text) - width))
    shown = line_text[begin : begin + width]
    head = "…" if begin > 0 else ""
    tail = "…" if begin + width < len(line_text) else ""
    before = printable(shown[: max(0, start - begin)])
    under = printable(shown[max(0, start - begin) : max(0, start - begin) + span]) or " "
    gutter = str(loc.line)
    pad = " " * len(gutter)
    return [
        f" {pad} |",
        f" {gutter} | {head}{printable(shown)}{tail}",
        f" {pad} | {' ' * (len(head) + len(before))}{'^' * max(1, len(under))}",
    ]
