"""Errors as the API answers them: a status, the error JSON and a request id.

The API's error body is ``{"type": "error", "error": {"type": ..., "message": ...},
"request_id": "req_..."}``, sent with a ``request-id`` header; the status goes with the
error type (400 ``invalid_request_error``, 401 ``authentication_error``, 404
``not_found_error``, 413 ``request_too_large``, 429 ``rate_limit_error``, 500
``api_error``, 529 ``overloaded_error``).

:func:`diagnostic_error` turns the first error-severity diagnostic of a request into the
error the server would send: the linter's semantic rules already use the server's wording
(``messages.1.content.0: ...``); the schema diagnostics (``V`` codes) are put in the
server's pydantic phrasing (``max_tokens: Field required``, ``foo: Extra inputs are not
permitted``, ``model: Input should be a valid string``); invalid JSON reads as the server's
``The request body is not valid JSON: ...``.  What the linter adds for people (``(got
1.5)``) is dropped.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Mapping
from typing import Any

from attrs import frozen

from transcript.core.diagnostics import Diagnostic
from transcript.core.jsonpos import pointer_tokens

__all__ = [
    "ApiError",
    "STATUS_OF",
    "diagnostic_error",
    "error_body",
    "new_request_id",
    "dotted",
    "not_found",
    "too_large",
]

#: error type -> HTTP status
STATUS_OF: Mapping[str, int] = {
    "invalid_request_error": 400,
    "authentication_error": 401,
    "permission_error": 403,
    "not_found_error": 404,
    "request_too_large": 413,
    "rate_limit_error": 429,
    "api_error": 500,
    "overloaded_error": 529,
}

#: The largest Messages or token-counting body the API takes (32 MB).
MAX_BODY = 32 * 1024 * 1024


@frozen
class ApiError:
    """One error answer: its status, the API's error type and message, extra headers."""

    status: int
    type: str
    message: str
    headers: Mapping[str, str] = {}

    @classmethod
    def of(cls, type_: str, message: str, **headers: str) -> ApiError:
        return cls(STATUS_OF.get(type_, 400), type_, message, {k.replace("_", "-"): v for k, v in headers.items()})

    def body(self, request_id: str) -> dict[str, Any]:
        return error_body(self.type, self.message, request_id)


def error_body(type_: str, message: str, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "error", "error": {"type": type_, "message": message}}
    if request_id is not None:
        body["request_id"] = request_id
    return body


_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_counter = itertools.count(1)


def new_request_id() -> str:
    """``req_011C...``: the API's shape (base58, 24 characters after the prefix), unique per process."""
    raw = int.from_bytes(os.urandom(16), "big") ^ next(_counter)
    chars = []
    for _ in range(20):
        raw, rem = divmod(raw, 58)
        chars.append(_ALPHABET[rem])
    return "req_011C" + "".join(chars)


def not_found(what: str = "Not Found") -> ApiError:
    return ApiError.of("not_found_error", what)


def too_large() -> ApiError:
    return ApiError.of("request_too_large", "Request exceeds the maximum allowed number of bytes.")


def dotted(pointer: str | None) -> str:
    """``/messages/0/content`` -> ``messages.0.content``: how the server names a place."""
    if not pointer:
        return ""
    return ".".join(pointer_tokens(pointer))


_TYPE_WORDS = {
    "a string": "a valid string",
    "an integer": "a valid integer",
    "a number": "a valid number",
    "a boolean": "a valid boolean",
    "an object": "a valid dictionary",
    "an array": "a valid list",
    "null": "None",
}
_UNKNOWN = re.compile(r"unknown field '.*': (Extra inputs are not permitted)$")
_MISSING = re.compile(r"missing required field '(?P<key>.*)': (Field required)$")
_EXPECTED = re.compile(r"expected (?P<wanted>.+?), got .+$")
_GOT = re.compile(r",? \(?got [^()]*\)?$")


def _schema_text(d: Diagnostic) -> str:
    """A ``V`` diagnostic in the server's pydantic phrasing, at its dotted path."""
    where = dotted(d.location.pointer)
    text = d.message
    if where and text.startswith(where + ": "):
        text = text[len(where) + 2 :]
    m = _UNKNOWN.search(text)
    if m:
        return f"{where}: {m.group(1)}" if where else m.group(1)
    m = _MISSING.search(text)
    if m:
        key = m.group("key")
        return f"{where}.{key}: Field required" if where else f"{key}: Field required"
    m = _EXPECTED.match(text)
    if m:
        wanted = m.group("wanted").split(" or ")[0]
        text = f"Input should be {_TYPE_WORDS.get(wanted, wanted)}"
    else:
        text = _GOT.sub("", text)
    return f"{where}: {text}" if where else text


def _json_text(d: Diagnostic, body: str | None) -> str:
    reason = d.message.split(": ", 1)[1] if ": " in d.message else d.message
    reason = reason.split(" (", 1)[0]
    line, column = d.location.line or 1, d.location.column or 1
    char = column - 1
    if body is not None and line > 1:
        starts = [0] + [m.end() for m in re.finditer("\n", body)]
        char = starts[min(line, len(starts)) - 1] + column - 1
    return f"The request body is not valid JSON: {reason}: line {line} column {column} (char {char})"


def diagnostic_error(d: Diagnostic, body: str | None = None) -> ApiError:
    """The error the API answers for the error-severity diagnostic ``d`` of a request body."""
    if d.code == "R009":
        return too_large()
    if d.code == "R013":  # an unknown model, refused (serve --refuse-unknown-models)
        model = d.message.split("'")[1] if d.message.count("'") >= 2 else ""
        return not_found(f"model: {model}")
    if d.code in ("X004", "X005"):
        return ApiError.of("invalid_request_error", _json_text(d, body))
    if d.code == "X003":
        return ApiError.of("invalid_request_error", "The request body is not valid JSON: empty input: line 1 column 1 (char 0)")
    if d.code in ("X001", "X002"):
        return ApiError.of("invalid_request_error", f"The request body is not valid JSON: {d.message}")
    if d.code.startswith("V"):
        return ApiError.of("invalid_request_error", _schema_text(d))
    return ApiError.of("invalid_request_error", _GOT.sub("", d.message) if d.message.endswith(")") else d.message)
