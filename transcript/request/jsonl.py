"""Lint JSON Lines: one request, response, Message Batches line ``{"custom_id", "params"}`` or
Message Batches result ``{"custom_id", "result"}`` per line, each on its own, every
diagnostic at its file line.

Two settings (``LintOptions.settings``) change how lines are read: ``record_pointer``, a JSON
pointer selecting the body inside each record (a log whose records wrap it: the body is
judged, each diagnostic pointing into the real record), and ``batch_requests``, the batch's
request file (a path, or a mapping of ``custom_id`` to its 1-based line) that the results
are joined to by ``custom_id``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import orjson
from attrs import define, field

from transcript.core.codes import EMPTY_INPUT, RECORD_POINTER_UNRESOLVED, UNEXPECTED_DOCUMENT
from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location, sort_diagnostics
from transcript.core.jsonpos import pointer_tokens, value_at
from transcript.core.jsontext import load_json, not_an_object
from transcript.protocol.documents import classify
from transcript.request import codes as batch
from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_value, locate
from transcript.request.response import lint_response_value

__all__ = [
    "JsonlPart",
    "finish_jsonl",
    "iter_lines",
    "line_texts_of",
    "lint_batch_line",
    "lint_batch_result",
    "lint_jsonl_part",
    "lint_jsonl_text",
    "read_request_ids",
    "select_record",
]


_EOL = re.compile(r"\r\n?|\n")


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based line number, line text) for every line (LF, CRLF or CR endings).

    Only these end a line: U+2028, U+0085 and the other characters ``str.splitlines``
    also splits on may stand unescaped inside a JSON string.
    """
    start = number = 0
    for m in _EOL.finditer(text):
        yield number, text[start : m.start()]
        start = m.end()
        number += 1
    if start < len(text):
        yield number, text[start:]


def lint_batch_line(value: dict[str, Any], options: LintOptions, seen_ids: dict[str, int], number: int) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    extra = [k for k in value if k not in ("custom_id", "params")]
    for key in extra:
        out.append(batch.BATCH_LINE_SHAPE.diagnostic(
            f"unknown field {key!r} in a batch request: Extra inputs are not permitted", Location(pointer=f"/{key}")
        ))
    custom_id = value.get("custom_id")
    if not isinstance(custom_id, str):
        out.append(batch.BATCH_LINE_SHAPE.diagnostic("custom_id should be a string", Location(pointer="/custom_id")))
    else:
        if not batch.CUSTOM_ID.fullmatch(custom_id):
            out.append(batch.CUSTOM_ID_PATTERN.diagnostic(
                f"custom_id: String should match pattern '^[a-zA-Z0-9_-]{{1,64}}$' (got {custom_id!r})",
                Location(pointer="/custom_id"),
            ))
        if custom_id in seen_ids:
            out.append(batch.DUPLICATE_CUSTOM_ID.diagnostic(
                f"custom_id {custom_id!r} is also used on line {seen_ids[custom_id]}", Location(pointer="/custom_id")
            ))
        else:
            seen_ids[custom_id] = number
    params = value.get("params")
    if not isinstance(params, dict):
        out.append(not_an_object(params, "params to be a Messages request body (a JSON object)").with_location(
            Location(pointer="/params")
        ))
        return out
    for d in lint_request_value(params, options):
        pointer = "/params" + (d.location.pointer or "")
        out.append(d.with_location(Location(pointer=pointer)))
    return out


_RESULT_TYPES = ("succeeded", "errored", "canceled", "expired")


def _within(found: Iterable[Diagnostic], prefix: str) -> list[Diagnostic]:
    """Diagnostics of a value found at ``prefix`` in the line, pointing into the line."""
    return [d.with_location(Location(pointer=prefix + (d.location.pointer or ""))) for d in found]


def lint_batch_result(value: dict[str, Any]) -> list[Diagnostic]:
    """One line of a Message Batches results file: a ``succeeded`` message judged as a
    response, an ``errored`` result reported with its error, a ``canceled`` or ``expired``
    one as not run; pointers are the line's."""
    out: list[Diagnostic] = []
    for key in value:
        if key not in ("custom_id", "result"):
            out.append(batch.BATCH_RESULT_SHAPE.diagnostic(f"unknown field {key!r} in a batch result", Location(pointer=f"/{key}")))
    if not isinstance(value.get("custom_id"), str):
        out.append(batch.BATCH_RESULT_SHAPE.diagnostic("custom_id should be a string", Location(pointer="/custom_id")))
    result = value.get("result")
    kind = result.get("type") if isinstance(result, dict) else None
    if not isinstance(result, dict) or kind not in _RESULT_TYPES:
        what = f"type {kind!r}" if isinstance(result, dict) else "no object"
        out.append(batch.BATCH_RESULT_SHAPE.diagnostic(
            f"result should be an object of type {', '.join(_RESULT_TYPES)} (found {what})",
            Location(pointer="/result/type" if isinstance(result, dict) and "type" in result else "/result"),
        ))
        return out
    if kind == "succeeded":
        message = result.get("message")
        if not isinstance(message, dict):
            out.append(batch.BATCH_RESULT_SHAPE.diagnostic("a succeeded result should hold its message", Location(pointer="/result")))
        else:
            out.extend(_within(lint_response_value(message), "/result/message"))
    elif kind == "errored":
        body = result.get("error")
        error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else body
        if isinstance(error, dict):
            what = f"{error.get('type', 'error')}: {error.get('message', '(no message)')}"
        else:
            what = "(no error object)"
        out.append(batch.BATCH_RESULT_ERRORED.diagnostic(
            f"the request {value.get('custom_id')!r} failed: {what}", Location(pointer="/result/error" if body is not None else "/result")
        ))
    else:
        why = "the batch was canceled before it ran" if kind == "canceled" else "the batch expired before it ran"
        out.append(batch.BATCH_RESULT_NOT_RUN.diagnostic(
            f"the request {value.get('custom_id')!r} was not run: {why}", Location(pointer="/result/type")
        ))
    return out


def select_record(value: Any, pointer: str) -> tuple[Any, Diagnostic | None]:
    """The body at ``pointer`` (RFC 6901) in a record, or the ``X011`` diagnostic saying
    there is none (no such member, or not a JSON object)."""
    at, missing = value_at(value, pointer)
    if missing is not None:
        token = pointer_tokens(pointer)[len(pointer_tokens(missing))]
        return None, RECORD_POINTER_UNRESOLVED.diagnostic(
            f"the record has nothing at {pointer} (no {token!r} under {missing or 'the root'})", Location(pointer=missing)
        )
    if not isinstance(at, dict):
        found = not_an_object(at, "").message.split("found ", 1)[-1]
        return None, RECORD_POINTER_UNRESOLVED.diagnostic(
            f"the value at {pointer} should be a JSON object (a request, a response or a batch line); found {found}",
            Location(pointer=pointer),
        )
    return at, None


def _lint_value(value: Any, options: LintOptions, part: JsonlPart, number: int, size: int) -> list[Diagnostic]:
    """One record's diagnostics (pointers in it), noting the batch lines and results in ``part``."""
    kind = classify(value)
    if kind == "batch":
        part.batch_lines.append(number)
        custom_id = value.get("custom_id")
        part.custom_ids.append(custom_id if isinstance(custom_id, str) else None)
        return lint_batch_line(value, options, {}, number + 1)
    if kind == "batch-result":
        custom_id = value.get("custom_id")
        part.result_lines.append(number)
        part.result_ids.append(custom_id if isinstance(custom_id, str) else None)
        return lint_batch_result(value)
    if kind == "request":
        return lint_request_value(value, options, body_size=size)
    if kind in ("response", "error", "token-count"):
        return lint_response_value(value)
    return [_unexpected_line(value)]


@define
class JsonlPart:
    """What the lines of one part of a JSONL file hold, judged line by line: everything but
    the file-wide checks (a ``custom_id`` used twice, the batch's request count and size), which
    :func:`finish_jsonl` makes over the parts in order.  Line numbers are the part's own (0-based
    ``lines`` later in the file for the next part); a part is picklable, for a worker process."""

    sink: DiagnosticSink
    lines: int = 0
    records: int = 0
    #: The 0-based line number of every batch request line, and its ``custom_id`` when that is a string.
    batch_lines: list[int] = field(factory=list)
    custom_ids: list[str | None] = field(factory=list)
    #: Likewise for every line of a batch's results.
    result_lines: list[int] = field(factory=list)
    result_ids: list[str | None] = field(factory=list)


def lint_jsonl_part(text: str, options: LintOptions | None = None) -> JsonlPart:
    """Lint each line of (part of) a JSONL file on its own; see :class:`JsonlPart`."""
    options = options or LintOptions()
    part = JsonlPart(DiagnosticSink())  # a file of a million broken lines keeps a few of each code
    out = part.sink
    pointer = options.settings.get("record_pointer") or None
    number = -1
    for number, line in iter_lines(text):
        if not line.strip():
            continue
        part.records += 1
        value, diagnostics = load_json(line)
        if not diagnostics:
            if pointer is None:
                diagnostics = _lint_value(value, options, part, number, len(line))
            else:
                body, unresolved = select_record(value, pointer)
                diagnostics = [unresolved] if unresolved else _within(_lint_value(body, options, part, number, len(line)), pointer)
            if diagnostics:
                diagnostics = locate(diagnostics, line)
        out.extend(d.with_location(d.location.shifted(number)) for d in diagnostics)
    part.lines = number + 1
    return part


LineTexts = Callable[[Sequence[int]], Mapping[int, str]]


def finish_jsonl(parts: Iterable[JsonlPart], size: int, line_texts: LineTexts, options: LintOptions | None = None) -> list[Diagnostic]:
    """The diagnostics of a whole JSONL file from its :class:`JsonlPart` s in file order.

    ``size`` is the file's size in bytes; ``line_texts`` gives the text of the lines asked
    for (0-based file line numbers), to place the file-wide findings: at most
    ``MAX_PER_CODE + 1`` of each are placed, so a few lines are read again, never the file.
    """
    options = options or LintOptions()
    limit = options.settings.get("max_batch_requests", batch.MAX_BATCH_REQUESTS)
    source = options.settings.get("batch_requests")
    requests = read_request_ids(source) if source is not None else None
    where = f"of {source}" if isinstance(source, str) else "of the batch"
    id_pointer = (options.settings.get("record_pointer") or "") + "/custom_id"
    answered: set[str] = set()
    out = DiagnosticSink()
    wide = DiagnosticSink()  # the file-wide findings, placed once all are known
    seen_ids: dict[str, int] = {}
    offset = records = batch_count = 0
    for part in parts:
        out.absorb(part.sink, offset)
        records += part.records
        for local, custom_id in zip(part.batch_lines, part.custom_ids):
            number = offset + local
            batch_count += 1
            if custom_id is not None:
                first = seen_ids.setdefault(custom_id, number + 1)
                if first != number + 1 and not wide.skip(batch.DUPLICATE_CUSTOM_ID.code, batch.DUPLICATE_CUSTOM_ID.severity):
                    wide.add(batch.DUPLICATE_CUSTOM_ID.diagnostic(
                        f"custom_id {custom_id!r} is also used on line {first}", Location(line=number + 1, pointer="/custom_id")
                    ))
            if batch_count == limit + 1:
                wide.add(batch.BATCH_TOO_LARGE.diagnostic(
                    f"a message batch may hold at most {limit} requests; this line is request {batch_count}",
                    Location(line=number + 1, pointer=""),
                ))
        if requests is not None:
            for local, custom_id in zip(part.result_lines, part.result_ids):
                if custom_id is None:
                    continue
                if custom_id in requests:
                    answered.add(custom_id)
                elif not wide.skip(batch.BATCH_RESULT_UNMATCHED.code, batch.BATCH_RESULT_UNMATCHED.severity):
                    wide.add(batch.BATCH_RESULT_UNMATCHED.diagnostic(
                        f"custom_id {custom_id!r} is in no request {where}", Location(line=offset + local + 1, pointer=id_pointer)
                    ))
        offset += part.lines
    if requests is not None:
        missing = batch.BATCH_RESULT_MISSING
        for custom_id, line in requests.items():
            if custom_id not in answered and not out.skip(missing.code, missing.severity):
                out.add(missing.diagnostic(
                    f"request {custom_id!r} (line {line} {where}) has no result", Location(line=1, column=1)
                ))
    if wide.items:
        wide.place(lambda found: _place(found, line_texts))
        out.absorb(wide)
    if batch_count and size > batch.MAX_BATCH_BYTES:
        out.add(batch.BATCH_TOO_LARGE.diagnostic(
            f"a message batch may be at most 256 MB; this file is {size} bytes", Location(line=1, column=1, pointer="")
        ))
    if records == 0:
        out.add(EMPTY_INPUT.diagnostic("the JSONL file has no records", Location(line=1, column=1)))
    return sort_diagnostics(out.result())


def read_request_ids(source: str | Mapping[str, int]) -> dict[str, int]:
    """The ``custom_id`` of each request of a batch's request file and its 1-based line (the
    first, for an id used twice): ``source`` is the file's path (read line by line) or the
    mapping itself.  Lines that are not batch requests are passed over (lint that file for them)."""
    if not isinstance(source, str):
        return dict(source)
    ids: dict[str, int] = {}
    with open(source, "rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            custom_id = value.get("custom_id") if isinstance(value, dict) else None
            if isinstance(custom_id, str):
                ids.setdefault(custom_id, number)
    return ids


def _place(found: list[Diagnostic], line_texts: LineTexts) -> list[Diagnostic]:
    """Locate diagnostics that carry only their (1-based) file line and a pointer in that line."""
    texts = line_texts(sorted({d.location.line - 1 for d in found if d.location.line}))
    out = []
    for d in found:
        number = (d.location.line or 1) - 1
        bare = d.with_location(Location(pointer=d.location.pointer))
        placed = locate([bare], texts.get(number, ""))[0]
        out.append(placed.with_location(placed.location.shifted(number)))
    return out


def line_texts_of(text: str) -> LineTexts:
    """:data:`LineTexts` for a file held whole in memory."""

    def read(numbers: Sequence[int]) -> dict[int, str]:
        wanted = set(numbers)
        return {n: line for n, line in iter_lines(text) if n in wanted} if wanted else {}

    return read


def lint_jsonl_text(text: str, options: LintOptions | None = None) -> list[Diagnostic]:
    """Lint a JSONL file: each line on its own; line numbers are file lines."""
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    return finish_jsonl([lint_jsonl_part(text, options)], size, line_texts_of(text), options)


def _unexpected_line(value: Any) -> Diagnostic:
    if not isinstance(value, dict):
        return not_an_object(value, "a JSON object on each line (a request, a response or a batch request)")
    keys = ", ".join(repr(k) for k in list(value)[:6]) or "no keys"
    return UNEXPECTED_DOCUMENT.diagnostic(
        "expected a Messages request body, a response Message or a batch request "
        f'{{"custom_id", "params"}} on this line; found an object with {keys}',
        Location(pointer=""),
    )
