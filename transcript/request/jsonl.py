"""Lint JSON Lines: one request, response or Message Batches line ``{"custom_id", "params"}``
per line, each on its own, every diagnostic at its file line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from transcript.core.codes import EMPTY_INPUT, UNEXPECTED_DOCUMENT
from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location, sort_diagnostics
from transcript.core.jsontext import load_json, not_an_object
from transcript.protocol.documents import classify
from transcript.request import codes as batch
from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_value, locate
from transcript.request.response import lint_response_value

__all__ = ["lint_jsonl_text", "lint_batch_line", "iter_lines"]


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


def lint_jsonl_text(text: str, options: LintOptions | None = None) -> list[Diagnostic]:
    """Lint a JSONL file: each line on its own; line numbers are file lines."""
    options = options or LintOptions()
    out = DiagnosticSink()  # a file of a million broken lines keeps a few of each code
    seen_ids: dict[str, int] = {}
    limit = options.settings.get("max_batch_requests", batch.MAX_BATCH_REQUESTS)
    records = 0
    batch_lines = 0
    for number, line in iter_lines(text):
        if not line.strip():
            continue
        records += 1
        value, diagnostics = load_json(line)
        if not diagnostics:
            kind = classify(value)
            if kind == "batch":
                batch_lines += 1
                diagnostics = lint_batch_line(value, options, seen_ids, number + 1)
                if batch_lines == limit + 1:
                    diagnostics.append(batch.BATCH_TOO_LARGE.diagnostic(
                        f"a message batch may hold at most {limit} requests; this line is request "
                        f"{batch_lines}",
                        Location(pointer=""),
                    ))
            elif kind == "request":
                diagnostics = lint_request_value(value, options, body_size=len(line))
            elif kind in ("response", "error", "token-count"):
                diagnostics = lint_response_value(value)
            else:
                diagnostics = [_unexpected_line(value)]
            if diagnostics:
                diagnostics = locate(diagnostics, line)
        out.extend(d.with_location(d.location.shifted(number)) for d in diagnostics)
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if batch_lines and size > batch.MAX_BATCH_BYTES:
        out.add(batch.BATCH_TOO_LARGE.diagnostic(
            f"a message batch may be at most 256 MB; this file is {size} bytes", Location(line=1, column=1, pointer="")
        ))
    if records == 0:
        out.add(EMPTY_INPUT.diagnostic("the JSONL file has no records", Location(line=1, column=1)))
    return sort_diagnostics(out.result())


def _unexpected_line(value: Any) -> Diagnostic:
    if not isinstance(value, dict):
        return not_an_object(value, "a JSON object on each line (a request, a response or a batch request)")
    keys = ", ".join(repr(k) for k in list(value)[:6]) or "no keys"
    return UNEXPECTED_DOCUMENT.diagnostic(
        "expected a Messages request body, a response Message or a batch request "
        f'{{"custom_id", "params"}} on this line; found an object with {keys}',
        Location(pointer=""),
    )
