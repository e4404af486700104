"""Migrate Text Completions bodies to Messages bodies and back (converter spec 4.4, 4.5).

The conversions are :mod:`transcript.legacy.requests` (request bodies) and
:mod:`transcript.legacy.responses` (response bodies).  Here :func:`migrate_value` picks the
direction from a body's shape, :func:`migrate_text` reads one JSON document or JSONL (one
body per line), and the ``looks_like_*`` sniffers tell legacy bodies by their text.  A large
JSONL file is migrated in parts (:func:`migrate_jsonl_part`, each a run of whole lines, on a
worker process) joined in file order by :func:`join_jsonl`, with the whole file's result.

Diagnostics carry JSON pointers, and line and column when the JSON text is known.
Nothing here raises on bad content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

import orjson
from attrs import field, frozen

from transcript.core.codes import EMPTY_INPUT
from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location, Severity, diagnostic_tuple
from transcript.core.jsonpos import locate_diagnostics
from transcript.core.jsontext import load_json, type_name
from transcript.legacy import codes
from transcript.legacy.requests import completion_request_to_messages, messages_request_to_completion, parse_model_map
from transcript.legacy.responses import completion_to_message, message_to_completion
from transcript.prompt.convert import Conversion

__all__ = [
    "Migration",
    "MigrationPart",
    "join_jsonl",
    "migrate_jsonl_part",
    "completion_request_to_messages",
    "messages_request_to_completion",
    "completion_to_message",
    "message_to_completion",
    "migrate_value",
    "migrate_text",
    "detect_body",
    "parse_model_map",
    "looks_like_completion_request",
    "looks_like_completion_response",
    "looks_like_completion_jsonl",
]

KINDS = ("completion-request", "completion-response", "messages-request", "message")


def detect_body(value: Any) -> str | None:
    """Which kind of body ``value`` is, by its shape (``None`` when it is none of them)."""
    if not isinstance(value, dict):
        return None
    if "prompt" in value or "max_tokens_to_sample" in value:
        return "completion-request"
    if value.get("type") == "completion" or ("completion" in value and "content" not in value):
        return "completion-response"
    if "messages" in value:
        return "messages-request"
    if value.get("type") == "message" or (value.get("role") == "assistant" and "content" in value):
        return "message"
    return None


#: Which way ``migrate`` goes (``None``: the way the body's shape says).
MigrateTo = Literal["messages", "completion"]
#: What a Message's stop reason with no legacy equivalent becomes.
UnmappableStop = Literal["error", "stop_sequence"]


def _at(pointer: str) -> Location:
    return Location(pointer=pointer)


def migrate_value(
    value: Any,
    *,
    to: MigrateTo | None = None,
    model_map: Mapping[str, str] | None = None,
    strict: bool = False,
    strip_leading_space: bool = False,
    unmappable_stop: UnmappableStop = "error",
    request: Mapping[str, Any] | None = None,
    prompt_options: Mapping[str, Any] | None = None,
    render_options: Mapping[str, Any] | None = None,
) -> Conversion:
    """Migrate one body in the direction its shape says (``to``: ``"messages"`` or ``"completion"``)."""
    if to not in (None, "messages", "completion"):
        raise ValueError("to must be 'messages' or 'completion'")
    kind = detect_body(value)
    if kind is None:
        what = "an object of unknown shape" if isinstance(value, dict) else type_name(value)
        return Conversion(
            None,
            [
                codes.NOT_A_LEGACY_BODY.diagnostic(
                    f"expected a Text Completions request or response (or a Messages request or Message), got {what}",
                    _at(""),
                )
            ],
        )
    target = "messages" if kind.startswith("completion") else "completion"
    if to is not None and to != target:
        name = {"completion-request": "a Text Completions request", "completion-response": "a Text Completions response",
                "messages-request": "a Messages request", "message": "a Message"}[kind]
        return Conversion(None, [codes.NOT_A_LEGACY_BODY.diagnostic(f"the input is already {name}; nothing to migrate to {to}", _at(""))])
    if kind == "completion-request":
        return completion_request_to_messages(value, model_map=model_map, strict=strict, prompt_options=prompt_options)
    if kind == "completion-response":
        return completion_to_message(value, strip_leading_space=strip_leading_space, request=request)
    if kind == "messages-request":
        return messages_request_to_completion(value, strict=strict, render_options=render_options)
    return message_to_completion(value, unmappable_stop=unmappable_stop)


def _records(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(items)


@frozen
class Migration:
    """The result of :func:`migrate_text`: one output per input record (``None`` if it failed)."""

    records: tuple[Any, ...] = field(converter=_records)
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple)
    jsonl: bool = False

    @property
    def ok(self) -> bool:
        return all(r is not None for r in self.records) and not any(d.severity is Severity.ERROR for d in self.diagnostics)


def _split_jsonl(text: str) -> list[tuple[int, str]] | None:
    lines = [(i, line) for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    return lines if len(lines) > 1 else None


def migrate_text(text: str, *, jsonl: bool | None = None, **options: Any) -> Migration:
    """Migrate a JSON document, or JSONL (one body per line).  ``jsonl=None`` detects it.

    Line numbers are the file's: a bad line is a located diagnostic and the other lines
    still convert.
    """

    if jsonl is None:
        value, diags = load_json(text)
        if not diags:
            conv = migrate_value(value, **options)
            return Migration([conv.value], locate_diagnostics(list(conv.diagnostics), text), False)
        lines = _split_jsonl(text)
        if lines is None or not any(
            isinstance(load_json(line, check_duplicates=False)[0], dict) for _, line in lines[:20]
        ):
            return Migration([None], diags, False)
        jsonl = True
    if not jsonl:
        value, diags = load_json(text)
        if diags:
            return Migration([None], diags, False)
        conv = migrate_value(value, **options)
        return Migration([conv.value], locate_diagnostics(list(conv.diagnostics), text), False)
    sink = DiagnosticSink()
    records = list(join_jsonl([migrate_jsonl_part(text, **options)], sink))
    return Migration(records, sink.result(), True)


@frozen
class MigrationPart:
    """Some whole lines of a JSONL file, migrated: one output per non-blank line (``None``
    where it failed), their diagnostics at the part's own line numbers (``lines`` of them,
    1-based), at most a few of each code.  Picklable, for a worker process."""

    records: tuple[Any, ...] = field(converter=_records)
    sink: DiagnosticSink = field(eq=False)
    lines: int


def migrate_jsonl_part(text: str, **options: Any) -> MigrationPart:
    """Migrate each line of (part of) a JSONL file on its own (``options``: :func:`migrate_value`'s)."""
    records: list[Any] = []
    sink = DiagnosticSink()  # a million broken lines keep a few of each code
    split = text.split("\n")
    for lineno, line in enumerate(split, start=1):
        if not line.strip():
            continue
        value, diags = load_json(line.rstrip("\r"))
        if diags:
            records.append(None)
            sink.extend(d.with_location(d.location.shifted(lineno - 1)) for d in diags)
            continue
        conv = migrate_value(value, **options)
        records.append(conv.value)
        located = locate_diagnostics(list(conv.diagnostics), line)
        sink.extend(d.with_location(d.location.shifted(lineno - 1)) for d in located)
    return MigrationPart(records, sink, len(split) - 1 if text.endswith("\n") else len(split))


def join_jsonl(parts: Iterable[MigrationPart], sink: DiagnosticSink) -> Iterator[Any]:
    """The outputs of a JSONL file's parts, given in file order (``None`` for a line that
    failed); their diagnostics go to ``sink`` at file line numbers, as one sink over the
    whole file would have them.  A file of no JSON lines yields one ``None`` and says so."""
    offset = count = 0
    for part in parts:
        sink.absorb(part.sink, offset)
        offset += part.lines
        count += len(part.records)
        yield from part.records
    if not count:
        sink.add(EMPTY_INPUT.diagnostic("the input has no JSON lines", Location(line=1, column=1)))
        yield None


def looks_like_completion_request(text: str) -> bool:
    """A JSON object with both "prompt" and "max_tokens_to_sample" (cheap look, no parse)."""
    head = text.lstrip()
    return head.startswith("{") and '"max_tokens_to_sample"' in text and '"prompt"' in text


def looks_like_completion_response(text: str) -> bool:
    """A JSON object with a "completion" member and no Messages "content" (cheap look)."""
    head = text.lstrip()
    return head.startswith("{") and '"completion"' in text and '"content"' not in text and '"prompt"' not in text


def looks_like_completion_jsonl(text: str) -> bool:
    """The first line of a JSONL file is a Text Completions request or response."""
    stripped = text.lstrip()
    end = stripped.find("\n")
    first = stripped if end < 0 else stripped[:end]
    if not first.startswith("{"):
        return False
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        return '"max_tokens_to_sample"' in first
    return detect_body(value) in ("completion-request", "completion-response")
