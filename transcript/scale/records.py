"""Per-record functions: the unit any engine maps over (a process pool, a Dask bag, Ray, Spark).

Each function is plain, picklable (a module-level function of plain arguments) and typed: it
lints one record (a request or response body, a batch line, a prompt, a stream capture) or
replays one stream, and returns its findings as :class:`Row` s, plain dicts of plain values
that any engine can collect, shuffle and store.  :func:`merge_rows` turns collected rows back
into :class:`~transcript.core.diagnostics.Diagnostic` s, by file and in report order, for the
usual reports (``transcript.formats``).

The work is the library's own: :func:`transcript.lint.driver.lint_text` (the kinds' lints,
the JSONL linter among them) and :func:`transcript.stream.replay.lint_stream`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from transcript.core.diagnostics import Diagnostic, Location, Severity, sort_diagnostics
from transcript.core.sources import decode_text
from transcript.lint.driver import lint_source, lint_text, read_path
from transcript.lint.kinds import KINDS
from transcript.request.context import LintOptions
from transcript.stream.captures import InputFormat
from transcript.stream.replay import lint_stream

__all__ = ["ROW_FIELDS", "Row", "from_row", "lint_file", "lint_record", "merge_rows", "replay_record", "to_row", "to_rows"]


class Row(TypedDict):
    """One finding as plain values.  ``file`` is the file name or the record's id."""

    file: str | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    pointer: str | None
    code: str
    name: str
    severity: str
    message: str
    hint: str | None


ROW_FIELDS: tuple[str, ...] = tuple(Row.__annotations__)


def to_row(diagnostic: Diagnostic, record_id: str | None = None) -> Row:
    """A diagnostic as a :class:`Row`; ``record_id`` names it when it has no file of its own."""
    loc = diagnostic.location
    return Row(
        file=loc.file if loc.file is not None else record_id,
        line=loc.line,
        column=loc.column,
        end_line=loc.end_line,
        end_column=loc.end_column,
        pointer=loc.pointer,
        code=diagnostic.code,
        name=diagnostic.name,
        severity=diagnostic.severity.value,
        message=diagnostic.message,
        hint=diagnostic.hint,
    )


def to_rows(diagnostics: Iterable[Diagnostic], record_id: str | None = None) -> list[Row]:
    return [to_row(d, record_id) for d in diagnostics]


def from_row(row: Mapping[str, Any]) -> Diagnostic:
    """The diagnostic a :class:`Row` stands for (a row from any engine: extra keys are ignored)."""
    return Diagnostic(
        code=row["code"],
        name=row["name"],
        severity=Severity(row["severity"]),
        message=row["message"],
        location=Location(
            file=row.get("file"),
            line=row.get("line"),
            column=row.get("column"),
            pointer=row.get("pointer"),
            end_line=row.get("end_line"),
            end_column=row.get("end_column"),
        ),
        hint=row.get("hint"),
    )


def merge_rows(rows: Iterable[Mapping[str, Any]]) -> dict[str | None, list[Diagnostic]]:
    """Rows collected in any order, as each file's (or record's) diagnostics in report order;
    the files in name order (``None``, rows of no file, first)."""
    by_file: dict[str | None, list[Diagnostic]] = {}
    for row in rows:
        by_file.setdefault(row.get("file"), []).append(from_row(row))
    ordered = sorted(by_file, key=lambda f: (f is not None, f or ""))
    return {f: sort_diagnostics(by_file[f]) for f in ordered}


def _text(record: str | bytes | Mapping[str, Any] | list[Any], record_id: str | None) -> tuple[str | None, list[Diagnostic]]:
    if isinstance(record, str):
        return record, []
    if isinstance(record, bytes):
        return decode_text(record, name=record_id)
    return json.dumps(record, ensure_ascii=False), []


def lint_record(
    record: str | bytes | Mapping[str, Any] | list[Any],
    kind: str,
    *,
    record_id: str | None = None,
    line: int = 1,
    options: LintOptions | None = None,
) -> list[Row]:
    """Lint one record of a known kind (see ``transcript kinds``: ``request``, ``response``,
    ``prompt``, ``stream``; ``jsonl`` for a batch line or any JSONL line).

    ``record`` is its text, its bytes (decoded as lint decodes a file) or an already parsed
    JSON value (positions are then those of its compact JSON text).  ``line`` is the record's
    first line in its file, so a record cut from a JSONL file keeps its file line numbers.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (choose from {', '.join(sorted(KINDS))})")
    text, problems = _text(record, record_id)
    found = problems if text is None else lint_text(text, kind, options)
    if line != 1:
        found = [d.with_location(d.location.shifted(line - 1)) for d in found]
    return to_rows(found, record_id)


def replay_record(
    stream: str | bytes,
    *,
    record_id: str | None = None,
    strict: bool = False,
    input_format: InputFormat | None = None,
) -> list[Row]:
    """Replay one recorded stream (SSE text, or a capture's bytes) and return what it found."""
    data = stream.encode("utf-8", "surrogatepass") if isinstance(stream, str) else stream
    return to_rows(lint_stream(data, strict=strict, input_format=input_format), record_id)


def lint_file(path: str, *, kind: str | None = None, options: LintOptions | None = None) -> list[Row]:
    """Lint one file as ``transcript lint PATH --kind KIND`` would (without a configuration);
    the rows carry the path."""
    read = read_path(path)
    if isinstance(read, Diagnostic):
        return to_rows([read], path)
    _kind, found = lint_source(read, kind=kind, options=options)
    return to_rows(found, path)
