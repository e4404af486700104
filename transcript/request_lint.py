"""Lint a Messages API request body the way the API server judges it.

The pipeline for a request given as text::

    load_json (X004 invalid JSON, X005 too deep, X006 duplicate key: located)
    -> top-level type check (X008: a request is a JSON object)
    -> JSON Schema validation (V, via :mod:`transcript.schema`; a compiled fast path)
    -> semantic rules (R, M, T, I, C, K: every registered ``request`` rule)
    -> JSON pointer -> line and column, only for what is reported.

Parsing never builds positions: orjson parses (and a stdlib pass that keeps nothing looks
for duplicate keys); from 4 MB on the stdlib parser does both in one pass, to keep memory
under four times the document.  :mod:`transcript.jsonpos` walks the text only to place
the diagnostics that are reported.  Nothing here raises on bad content.

Library entry point: :func:`lint_request` takes a parsed value or JSON text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

import attrs

from transcript.diagnostics import Diagnostic, LineIndex, Location, sort_diagnostics
from transcript.jsonpos import PointerIndex, find_duplicate_pointer, pointer_tokens
from transcript.lint import LintOptions
from transcript.request_context import RequestContext
from transcript.sources import load_json

__all__ = [
    "lint_request",
    "lint_request_text",
    "lint_request_value",
    "parse_json",
    "locate",
    "classify",
    "has_duplicate_keys",
    "not_an_object",
    "REQUEST_SCHEMA",
    "STDLIB_PARSE_FROM",
]

REQUEST_SCHEMA = "messages-request"

# Diagnostics placed at the key of the member they are about rather than at its value.
_AT_KEY = frozenset({"V001", "V007"})


class _Duplicate(Exception):
    pass


def _duplicate_hook(pairs: list[tuple[str, Any]]) -> None:
    if len(pairs) > 1 and len({k for k, _ in pairs}) != len(pairs):
        raise _Duplicate
    return None  # the parsed object is not kept: memory stays flat on huge documents


def has_duplicate_keys(text: str) -> bool:
    """Whether any object in ``text`` repeats a key (``text`` is known to be valid JSON).

    The stdlib scanner runs with a pairs hook that keeps nothing, so a 30 MB body is not
    held twice in memory.
    """
    if text.count('"') < 4:
        return False
    try:
        json.loads(text, object_pairs_hook=_duplicate_hook)
    except _Duplicate:
        return True
    except (ValueError, RecursionError):
        return False
    return False


_UNPARSED: Any = object()

# From this size on, the stdlib parser builds the value and checks duplicate keys in one
# pass: orjson's parser reserves a working area many times the size of the document,
# which would put a 30 MB body far over the memory budget (4x the file).
STDLIB_PARSE_FROM = 4 * 1024 * 1024
# The stdlib parser accepts an escaped lone surrogate ("\ud800"), which load_json reports
# as invalid JSON (X004); a text with one goes the load_json way, so that the verdict does
# not depend on the file's size.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _dict_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Duplicate
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(text: str, value: Any = _UNPARSED) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON text: ``(value, [])`` or ``(None, [located X diagnostic])``.

    ``value`` may be ``text`` already parsed by orjson (by a sniffer); the duplicate-key
    check still runs on the text.
    """
    duplicate = False
    if value is _UNPARSED and len(text) >= STDLIB_PARSE_FROM and not _LONE_SURROGATE.search(text):
        try:
            return json.loads(text, object_pairs_hook=_dict_without_duplicates, parse_constant=_reject_constant), []
        except _Duplicate:
            duplicate = True
        except (ValueError, RecursionError):
            pass  # load_json below explains the error, located
    if not duplicate:
        if value is _UNPARSED:
            value, diagnostics = load_json(text, check_duplicates=False)
            if diagnostics:
                return None, diagnostics
        duplicate = isinstance(value, (dict, list)) and has_duplicate_keys(text)
    if duplicate:
        from transcript.rules.input import DUPLICATE_KEY

        found = find_duplicate_pointer(text)
        if found is not None:
            pointer, offset = found
            key = pointer_tokens(pointer)[-1]
            return None, [
                DUPLICATE_KEY.diagnostic(
                    f"duplicate key {key!r} in the object at {pointer.rsplit('/', 1)[0] or '/'}",
                    LineIndex(text).location(offset, pointer=pointer),
                    hint="remove one of the two",
                )
            ]
    return value, []


def locate(diagnostics: Sequence[Diagnostic], text: str | None) -> list[Diagnostic]:
    """Give every diagnostic that has a pointer but no line its line and column in ``text``."""
    if text is None:
        return list(diagnostics)
    index: PointerIndex | None = None
    out = []
    for d in diagnostics:
        loc = d.location
        if loc.line is None and loc.pointer is not None:
            if index is None:
                index = PointerIndex(text)
            placed = index.locate(loc.pointer, at_key=d.code in _AT_KEY)
            d = d.with_location(attrs.evolve(placed, file=loc.file, pointer=loc.pointer))
        out.append(d)
    return out


def classify(value: Any) -> str | None:
    """What a parsed JSON document is: ``request``, ``response``, ``error``, ``batch``,
    ``token-count`` (a token-counting response) or ``None``."""
    if not isinstance(value, dict):
        return None
    if "custom_id" in value and "params" in value:
        return "batch"
    if value.get("type") == "message" and value.get("role") == "assistant":
        return "response"
    if value.get("type") == "error" and isinstance(value.get("error"), dict):
        return "error"
    if set(value) == {"input_tokens"}:
        return "token-count"
    if "messages" in value or ("model" in value and "max_tokens" in value and "prompt" not in value):
        return "request"
    return None


@lru_cache(maxsize=1)
def _request_checks() -> tuple[Callable[..., Iterable[Diagnostic]], ...]:
    from transcript.registry import REGISTRY
    from transcript.rules import load_all

    load_all()
    return tuple(r.check for r in REGISTRY.of_kind("request") if r.check is not None)


def _schema_diagnostics(value: Any, count_tokens: bool) -> list[Diagnostic]:
    from transcript.schema import validate

    if count_tokens and isinstance(value, dict) and "max_tokens" not in value:
        # A token-counting body is a Messages body without max_tokens.
        value = {**value, "max_tokens": 1}
    return validate(value, REQUEST_SCHEMA)


def not_an_object(value: Any, expected: str) -> Diagnostic:
    from transcript.rules.json_kinds import UNEXPECTED_DOCUMENT

    found = {list: "an array", str: "a string", bool: "a boolean", type(None): "null", int: "a number", float: "a number"}
    return UNEXPECTED_DOCUMENT.diagnostic(
        f"expected {expected}, found {found.get(type(value), type(value).__name__)}",
        Location(pointer=""),
    )


def lint_request_value(
    value: Any,
    options: LintOptions | None = None,
    *,
    body_size: int | None = None,
    count_tokens: bool = False,
) -> list[Diagnostic]:
    """Lint a parsed request.  Diagnostics carry JSON pointers (no line numbers)."""
    options = options or LintOptions()
    if not isinstance(value, dict):
        return [not_an_object(value, "a Messages request body (a JSON object)")]
    ctx = RequestContext(value, options, body_size=body_size, count_tokens=count_tokens)
    semantic: list[Diagnostic] = []
    for check in _request_checks():
        semantic.extend(check(value, ctx))
    from transcript.schema import drop_shadowed

    schema = drop_shadowed(_schema_diagnostics(value, count_tokens), semantic)
    return schema + semantic


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def lint_request_text(
    text: str, options: LintOptions | None = None, *, count_tokens: bool = False, value: Any = None
) -> list[Diagnostic]:
    """Lint request JSON text: every diagnostic located by line and column.

    ``value`` may pass the already-parsed ``text`` (a sniffer that parsed it).
    """
    value, diagnostics = parse_json(text) if value is None else parse_json(text, value)
    if diagnostics:
        return diagnostics
    found = lint_request_value(value, options, body_size=_utf8_size(text), count_tokens=count_tokens)
    return sort_diagnostics(locate(found, text))


def lint_request(
    value_or_text: Any,
    *,
    target: str = "anthropic",
    strict: bool = False,
    count_tokens: bool = False,
) -> list[Diagnostic]:
    """Lint a Messages request: a parsed value (dict) or its JSON text (str or bytes).

    ``target`` is ``anthropic``, ``bedrock`` or ``vertex``.  Text gives diagnostics with
    line and column; a value gives JSON pointers only.  Never raises on bad content.

    >>> [d.code for d in lint_request({"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": []})]
    ['R001']
    """
    from transcript.config import TARGETS

    if target not in TARGETS:  # a usage error, not bad content
        raise ValueError(f"unknown target {target!r} (expected one of {', '.join(TARGETS)})")
    options = LintOptions(target=target, strict=strict)
    if isinstance(value_or_text, (bytes, bytearray, memoryview)):
        from transcript.sources import decode_text

        text, diagnostics = decode_text(bytes(value_or_text))
        if text is None:
            return diagnostics
        return lint_request_text(text, options, count_tokens=count_tokens)
    if isinstance(value_or_text, str):
        return lint_request_text(value_or_text, options, count_tokens=count_tokens)
    return lint_request_value(value_or_text, options, count_tokens=count_tokens)
