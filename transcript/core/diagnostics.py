"""The one diagnostics model shared by convert, lint and replay.

A :class:`Diagnostic` is a value: a rule code and name, a severity, a message, a
:class:`Location` and an optional hint.  Library functions produce diagnostics whose
location has no file name; the command line fills it in with :meth:`Diagnostic.in_file`.
"""

from __future__ import annotations

import bisect
import enum
import re
from array import array
from collections.abc import Callable, Iterable, Sequence

import attrs
from attrs import frozen

__all__ = [
    "Severity",
    "Location",
    "Diagnostic",
    "LineIndex",
    "escape_pointer_token",
    "join_pointer",
    "has_errors",
    "capped",
    "sort_diagnostics",
    "diagnostic_tuple",
    "str_tuple",
    "printable",
    "DiagnosticSink",
    "MAX_PER_CODE",
]


class Severity(str, enum.Enum):
    """How serious a diagnostic is.  Only errors fail a run (unless asked otherwise)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls(value.lower())
        except ValueError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@frozen
class Location:
    """Where a diagnostic points: a file, a 1-based line and column, and a JSON pointer.

    Any part may be unknown (``None``).  ``pointer`` is an RFC 6901 JSON pointer into
    the JSON value the diagnostic is about (``""`` is the whole document).
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    pointer: str | None = None
    end_line: int | None = None
    end_column: int | None = None

    def in_file(self, file: str) -> Location:
        return attrs.evolve(self, file=file)

    def shifted(self, lines: int) -> Location:
        """The same location ``lines`` lines further down (for a record inside a JSONL file)."""
        if self.line is None:
            return self
        return attrs.evolve(
            self,
            line=self.line + lines,
            end_line=None if self.end_line is None else self.end_line + lines,
        )

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column if self.column is not None else 1))
        return ":".join(parts)


@frozen
class Diagnostic:
    """One finding: what (code, name), how serious, why (message), where, and how to fix it."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location = Location()
    hint: str | None = None

    def in_file(self, file: str) -> Diagnostic:
        return attrs.evolve(self, location=self.location.in_file(file))

    def with_severity(self, severity: Severity) -> Diagnostic:
        return attrs.evolve(self, severity=severity)

    def with_location(self, location: Location) -> Diagnostic:
        return attrs.evolve(self, location=location)

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": loc.file,
            "line": loc.line,
            "column": loc.column,
            "end_line": loc.end_line,
            "end_column": loc.end_column,
            "pointer": loc.pointer,
            "hint": self.hint,
        }


def capped(
    diagnostics: Iterable[Diagnostic],
    limit: int | None = None,
    *,
    place: Callable[[list[Diagnostic]], list[Diagnostic]] | None = None,
) -> list[Diagnostic]:
    """``diagnostics`` sorted, at most ``limit`` (:data:`MAX_PER_CODE`) of each code, the first
    in the input, then one summary per code of how many more there were.

    ``place`` locates diagnostics that have only a JSON pointer (it maps a list to a list of
    the same diagnostics, in order, located).  Given it, the diagnostics are capped in the
    order they come (a rule reports in document order) and only those kept, and the first of
    each code's rest, are placed: on a body with a hundred thousand faults, locating the rest
    would cost more than the lint.
    """
    sink = DiagnosticSink(limit if limit is not None else MAX_PER_CODE)
    if place is None:
        sink.extend(sort_diagnostics(diagnostics))
    else:
        sink.extend(diagnostics)
        sink.place(place)
    return sort_diagnostics(sink.result())


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """File, then position, then code: the order every output format uses."""

    def key(d: Diagnostic) -> tuple[str, int, int, str]:
        loc = d.location
        return (loc.file or "", loc.line or 0, loc.column or 0, d.code)

    return sorted(diagnostics, key=key)


# Typed attrs converters.  ``converter=tuple`` would make the generated ``__init__``
# accept ``Iterable[_T_co]`` with an unsolved type variable; these keep the element type.


def diagnostic_tuple(items: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Converter for ``tuple[Diagnostic, ...]`` attrs fields."""
    return tuple(items)


def str_tuple(items: Iterable[str]) -> tuple[str, ...]:
    """Converter for ``tuple[str, ...]`` attrs fields (file names, globs)."""
    return tuple(items)


#: How many diagnostics of one code one input reports before a summary of the rest.
MAX_PER_CODE = 50


class DiagnosticSink:
    """Collects diagnostics, at most ``limit`` per code, then one summary per code.

    Garbage input can produce a diagnostic per line (or per turn, per member); the cap keeps
    memory and the report bounded, and the summary says how many more there were.
    ``errors`` tells whether any error was added, kept or not.
    """

    __slots__ = ("items", "_counts", "_limit", "_extra", "errors")

    def __init__(self, limit: int = MAX_PER_CODE) -> None:
        self.items: list[Diagnostic] = []
        self._counts: dict[str, int] = {}
        self._limit = limit
        self._extra: dict[str, tuple[Diagnostic, int]] = {}
        self.errors = False  # an error was added (kept or counted)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic.severity is Severity.ERROR:
            self.errors = True
        n = self._counts.get(diagnostic.code, 0) + 1
        self._counts[diagnostic.code] = n
        if n <= self._limit:
            self.items.append(diagnostic)
        else:
            first, count = self._extra.get(diagnostic.code, (diagnostic, 0))
            self._extra[diagnostic.code] = (first, count + 1)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            self.add(d)

    def skip(self, code: str, severity: Severity) -> bool:
        """Count one more ``code`` without building it, once the code is past its cap.

        True means the diagnostic is already counted in the code's summary: the caller need
        not locate or build it (on garbage input that is most of the work).  False means it
        will be kept (or will seed the summary), so the caller builds it and passes it to :meth:`add`.
        """
        if code not in self._extra:
            return False
        if severity is Severity.ERROR:
            self.errors = True
        self._counts[code] += 1
        first, count = self._extra[code]
        self._extra[code] = (first, count + 1)
        return True

    def place(self, locate: Callable[[list[Diagnostic]], list[Diagnostic]]) -> None:
        """Locate what is kept, and the first diagnostic of each code's summary, with ``locate``."""
        seeds = list(self._extra.items())
        placed = locate([*self.items, *(first for _code, (first, _count) in seeds)])
        kept = len(self.items)
        self.items = placed[:kept]
        self._extra = {code: (first, count) for (code, (_f, count)), first in zip(seeds, placed[kept:])}

    def absorb(self, other: DiagnosticSink, lines: int = 0) -> None:
        """Add what ``other`` collected, as if its diagnostics had been added here one by one
        (``lines`` further down: ``other`` saw a later part of the same input).

        ``other`` keeps at most ``limit`` of a code before its summary, so the result is the
        one a single sink would have: the first ``limit`` of each code across both, in order, the
        rest counted (only the summaries of different codes may come in another order; sorted,
        the results are the same).
        """
        self.errors = self.errors or other.errors
        for d in other.items:
            self.add(d.with_location(d.location.shifted(lines)) if lines else d)
        for code, (first, count) in other._extra.items():
            if code in self._extra:
                seed, before = self._extra[code]
                self._extra[code] = (seed, before + count)
            else:
                self._extra[code] = (first.with_location(first.location.shifted(lines)) if lines else first, count)
            self._counts[code] = self._counts.get(code, 0) + count

    def result(self) -> list[Diagnostic]:
        out = list(self.items)
        for _code, (first, count) in self._extra.items():
            out.append(
                first.__class__(
                    code=first.code,
                    name=first.name,
                    severity=first.severity,
                    message=f"... and {count} more like this (first at line {first.location.line})",
                    location=first.location,
                )
            )
        return out


_LINE_END = re.compile(r"\r\n?|\n")
_BLOCK = 4096  # characters between two checkpoints of a LineIndex


class LineIndex:
    """Maps character offsets in a text to 1-based (line, column) pairs.

    Lines end at LF, CRLF or a lone CR, as the SSE and JSON specifications count them;
    columns count characters (code points).  The index keeps a checkpoint every 4,096
    characters (the lines before it and where the line around it starts), built in one
    linear pass of C-speed counts, so its memory is a small fraction of the text however
    many lines it has; a lookup counts line ends within one block.
    """

    __slots__ = ("_text", "_lines", "_line_starts")

    def __init__(self, text: str) -> None:
        self._text = text
        lines = array("q", [0])  # lines ended before each checkpoint
        starts = array("q", [0])  # where the line holding each checkpoint starts
        for a in range(0, len(text), _BLOCK):
            b = min(a + _BLOCK, len(text))
            lines.append(lines[-1] + self._ends(a, b))
            starts.append(self._start(a, b, starts[-1]))
        self._lines = lines
        self._line_starts = starts

    def _ends(self, a: int, x: int) -> int:
        """How many line ends are complete in ``text[a:x]`` (a CRLF cut at ``x`` is not yet)."""
        text = self._text
        n = text.count("\n", a, x) + text.count("\r", a, x) - text.count("\r\n", a, x)
        if a < x < len(text) and text[x - 1] == "\r" and text[x] == "\n":
            n -= 1
        return n

    def _start(self, a: int, x: int, before: int) -> int:
        """Where the line holding offset ``x`` starts, searching back to ``a`` (else ``before``)."""
        text = self._text
        start = text.rfind("\n", a, x) + 1
        cr = text.rfind("\r", a, x)
        if cr >= 0 and cr + 1 == x and x < len(text) and text[x] == "\n":
            cr = text.rfind("\r", a, cr)  # the first half of a CRLF that ends after x
        if cr >= 0:
            start = max(start, cr + 1)
        return start if start > a or (start == a and a > 0 and self._ended_at(a)) else before

    def _ended_at(self, a: int) -> bool:
        """Whether a line ends exactly at offset ``a`` (a line starts there)."""
        text = self._text
        prev = text[a - 1]
        return prev == "\n" or (prev == "\r" and (a >= len(text) or text[a] != "\n"))

    @property
    def line_count(self) -> int:
        return self._lines[-1] + 1

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self._text)))
        k = offset // _BLOCK
        a = k * _BLOCK
        line = self._lines[k] + self._ends(a, offset)
        start = self._start(a, offset, self._line_starts[k])
        return line + 1, offset - start + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based (line, column)."""
        k = max(0, bisect.bisect_left(self._lines, line - 1) - 1)
        a = k * _BLOCK
        if self._lines[k] == line - 1:
            return self._line_starts[k] + column - 1
        seen = self._lines[k]
        # (a CRLF cut at ``a`` is found as its LF, which ends where the CRLF ends)
        for m in _LINE_END.finditer(self._text, a):
            seen += 1
            if seen == line - 1:
                return m.end() + column - 1
        return len(self._text)

    def location(self, offset: int, *, end: int | None = None, pointer: str | None = None) -> Location:
        line, column = self.position(offset)
        end_line = end_column = None
        if end is not None:
            end_line, end_column = self.position(end)
        return Location(line=line, column=column, pointer=pointer, end_line=end_line, end_column=end_column)


# C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and lone
# surrogates (the bytes of a file name that is not UTF-8, as Python holds them).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_CONTROL_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: str, *, lines: bool = False) -> str:
    """``text`` with every control character written as an escape (``\\n``, ``\\x1b``...), so
    that text from an input can neither forge a line of a report nor drive a terminal.
    With ``lines``, line feeds (and tabs) are kept: a multi-line text for a person to read."""
    if lines:
        return _CONTROL_IN_LINES.sub(_escape, text)
    return _CONTROL.sub(_escape, text)



def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token for an RFC 6901 JSON pointer."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(*tokens: str | int) -> str:
    """``join_pointer("messages", 0, "content")`` is ``"/messages/0/content"``."""
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def summarize(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    counts = {"errors": 0, "warnings": 0, "infos": 0}
    for d in diagnostics:
        counts[{"error": "errors", "warning": "warnings", "info": "infos"}[d.severity.value]] += 1
    return counts
