"""A :class:`~transcript.diagnostics.LineIndex` built in linear time, for very long texts.

``LineIndex(text)`` looks for the next CR from every line start; on a long text with
no CR at all each search runs to the end, so building the index of a 100 MB prompt with
a million lines is quadratic.  :func:`line_index` builds the same index (LF, CR and CRLF
end lines) with one regular-expression pass.  (Once ``LineIndex`` itself is linear this
module can go.)
"""

from __future__ import annotations

import re

from transcript.diagnostics import LineIndex

__all__ = ["line_index"]

_LINE_END = re.compile(r"\r\n?|\n")


def line_index(text: str) -> LineIndex:
    """The :class:`LineIndex` of ``text``, built in one linear pass."""
    index = LineIndex("")
    starts = [0]
    starts.extend(m.end() for m in _LINE_END.finditer(text))
    index._starts = starts  # type: ignore[attr-defined]  # LineIndex's own representation
    index._length = len(text)  # type: ignore[attr-defined]
    return index
