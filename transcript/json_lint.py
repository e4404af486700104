"""Lint JSON documents other than a single request: response Messages and error bodies,
JSONL files (one request, response or Message Batches line per line), and ``.json`` files
of no known shape.

Every function takes text and returns located diagnostics; nothing raises on bad content.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

import orjson

from transcript.diagnostics import Diagnostic, Location, sort_diagnostics
from transcript.lint import LintOptions
from transcript.request_lint import classify, lint_request_value, locate, not_an_object, parse_json

__all__ = [
    "lint_response_text",
    "lint_response_value",
    "lint_jsonl_text",
    "lint_json_text",
    "sniff_parse",
    "iter_lines",
]

# -- a one-entry cache, so that a sniffer's parse is not repeated by the lint -----------------
_SNIFFED: list[Any] = [None, None]
_SNIFF_PARSE_LIMIT = 2 * 1024 * 1024


def sniff_parse(text: str) -> Any:
    """``text`` parsed by orjson (``None`` when it is not JSON), remembered for the lint."""
    if _SNIFFED[0] is text:
        return _SNIFFED[1]
    from transcript.sources import exact_integers

    try:
        value = exact_integers(text, orjson.loads(text))
    except orjson.JSONDecodeError:
        value = None
    _SNIFFED[0], _SNIFFED[1] = text, value
    return value


def take_sniffed(text: str) -> Any:
    """The value :func:`sniff_parse` kept for ``text`` (and forget it), or ``None``."""
    if _SNIFFED[0] is text:
        value = _SNIFFED[1]
        _SNIFFED[0] = _SNIFFED[1] = None
        return value
    return None


_HEAD = 1 << 16
_KEY = r'(?<!\\)"{}"\s*:'
_MESSAGES_KEY = re.compile(_KEY.format("messages"))
_MODEL_KEY = re.compile(_KEY.format("model"))
_MAX_TOKENS_KEY = re.compile(_KEY.format("max_tokens"))
_PROMPT_KEY = re.compile(_KEY.format("prompt"))
_MESSAGE_TYPE = re.compile(r'(?<!\\)"type"\s*:\s*"message"')
_ERROR_TYPE = re.compile(r'(?<!\\)"type"\s*:\s*"error"')


_NON_SPACE = re.compile(r"\S")


def _looks_like_jsonl(text: str) -> bool:
    """A complete JSON object on the first line followed by more content."""
    start = _NON_SPACE.search(text)
    if start is None:
        return False
    end = text.find("\n", start.start())
    if end < 0 or _NON_SPACE.search(text, end) is None:
        return False
    try:
        return isinstance(orjson.loads(text[start.start() : end]), dict)
    except orjson.JSONDecodeError:
        return False


def sniff_kind(text: str) -> str | None:
    """``request``, ``response``/``error`` or ``None`` for a single JSON document."""
    start = _NON_SPACE.search(text)
    if start is None or text[start.start()] != "{":
        return None
    if len(text) <= _SNIFF_PARSE_LIMIT:
        return classify(sniff_parse(text))
    if _looks_like_jsonl(text):
        return None
    head = text[:_HEAD]
    if _MESSAGES_KEY.search(head) or (_MODEL_KEY.search(head) and _MAX_TOKENS_KEY.search(head) and not _PROMPT_KEY.search(head)):
        return "request"
    if _MESSAGE_TYPE.search(head) or _ERROR_TYPE.search(head):
        return "response"
    return None


# -- responses ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _response_checks() -> tuple[Callable[..., Iterable[Diagnostic]], ...]:
    from transcript.registry import REGISTRY
    from transcript.rules import load_all

    load_all()
    return tuple(r.check for r in REGISTRY.of_kind("response") if r.check is not None)


def lint_response_value(value: Any) -> list[Diagnostic]:
    """Lint a parsed response: a Message (schema and sanity rules) or an error body."""
    from transcript.schema import drop_shadowed, validate

    kind = classify(value)
    if kind == "error":
        return _error_body(value)
    if kind == "token-count":
        from transcript.rules.json_kinds import UNEXPECTED_DOCUMENT

        count = value["input_tokens"]
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            return []
        return [UNEXPECTED_DOCUMENT.diagnostic("input_tokens should be a count (an integer >= 0)", Location(pointer="/input_tokens"))]
    if not isinstance(value, dict):
        return [not_an_object(value, "a response Message (a JSON object)")]
    semantic: list[Diagnostic] = []
    for check in _response_checks():
        semantic.extend(check(value))
    return drop_shadowed(validate(value, "message"), semantic) + semantic


def _error_body(value: dict[str, Any]) -> list[Diagnostic]:
    from transcript.rules.json_kinds import UNEXPECTED_DOCUMENT

    error = value["error"]
    out = []
    for key in ("type", "message"):
        if not isinstance(error.get(key), str):
            out.append(
                UNEXPECTED_DOCUMENT.diagnostic(
                    f"error body: error.{key} should be a string", Location(pointer=f"/error/{key}" if key in error else "/error")
                )
            )
    return out


def lint_response_text(text: str, options: LintOptions | None = None, *, value: Any = None) -> list[Diagnostic]:
    value, diagnostics = parse_json(text) if value is None else parse_json(text, value)
    if diagnostics:
        return diagnostics
    return sort_diagnostics(locate(lint_response_value(value), text))


# -- JSONL --------------------------------------------------------------------------------


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


def _batch_line(value: dict[str, Any], options: LintOptions, seen_ids: dict[str, int], number: int) -> list[Diagnostic]:
    from transcript.rules import request_batch as batch

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
    from transcript.rules import request_batch as batch

    options = options or LintOptions()
    out: list[Diagnostic] = []
    seen_ids: dict[str, int] = {}
    limit = options.settings.get("max_batch_requests", batch.MAX_BATCH_REQUESTS)
    records = 0
    batch_lines = 0
    for number, line in iter_lines(text):
        if not line.strip():
            continue
        records += 1
        value, diagnostics = parse_json(line)
        if not diagnostics:
            kind = classify(value)
            if kind == "batch":
                batch_lines += 1
                diagnostics = _batch_line(value, options, seen_ids, number + 1)
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
        out.append(batch.BATCH_TOO_LARGE.diagnostic(
            f"a message batch may be at most 256 MB; this file is {size} bytes", Location(line=1, column=1, pointer="")
        ))
    if records == 0:
        from transcript.rules.input import EMPTY_INPUT

        out.append(EMPTY_INPUT.diagnostic("the JSONL file has no records", Location(line=1, column=1)))
    return sort_diagnostics(out)


def _unexpected_line(value: Any) -> Diagnostic:
    from transcript.rules.json_kinds import UNEXPECTED_DOCUMENT

    if not isinstance(value, dict):
        return not_an_object(value, "a JSON object on each line (a request, a response or a batch request)")
    keys = ", ".join(repr(k) for k in list(value)[:6]) or "no keys"
    return UNEXPECTED_DOCUMENT.diagnostic(
        "expected a Messages request body, a response Message or a batch request "
        f'{{"custom_id", "params"}} on this line; found an object with {keys}',
        Location(pointer=""),
    )


# -- any .json file -------------------------------------------------------------------------


def lint_json_text(text: str, options: LintOptions | None = None) -> list[Diagnostic]:
    """Lint a ``.json`` file of unknown kind: parse it once and dispatch on its shape."""
    from transcript.request_lint import lint_request_text
    from transcript.rules.json_kinds import UNEXPECTED_DOCUMENT

    options = options or LintOptions()
    value, diagnostics = parse_json(text)
    if diagnostics:
        return diagnostics
    kind = classify(value)
    if kind == "request":
        return lint_request_text(text, options, value=value)
    if kind in ("response", "error", "token-count"):
        return lint_response_text(text, options, value=value)
    if kind == "batch":
        found = _batch_line(value, options, {}, 1)
        return sort_diagnostics(locate(found, text))
    other = _other_kind(text)
    if other is not None:
        return list(other.lint(text, options))
    if isinstance(value, dict):
        keys = ", ".join(repr(k) for k in list(value)[:6]) or "no keys"
        found_text = f"an object with {keys}"
    else:
        found_text = not_an_object(value, "").message.split("found ", 1)[-1]
    return locate(
        [
            UNEXPECTED_DOCUMENT.diagnostic(
                'expected a Messages request body (an object with "model", "max_tokens" and "messages"), '
                f"a response Message or an error body; found {found_text}",
                Location(pointer=""),
                hint="pass --kind to say what the file is, or exclude it in the configuration",
            )
        ],
        text,
    )


_OWN_KINDS = frozenset({"request", "response", "jsonl", "json", "count-tokens"})


def _other_kind(text: str) -> Any:
    """Another registered kind whose sniffer claims ``text`` (a HAR capture, a legacy body...)."""
    from transcript.lint import KINDS

    for kind in sorted(KINDS.values(), key=lambda k: -k.priority):
        if kind.name in _OWN_KINDS or kind.sniff is None:
            continue
        try:
            if kind.sniff(text):
                return kind
        except Exception:  # noqa: BLE001 - a foreign sniffer must not break this lint
            continue
    return None
