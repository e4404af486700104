"""Lint a response: a Message (the schema and the response rules) or an error body."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from transcript.core.codes import UNEXPECTED_DOCUMENT
from transcript.core.diagnostics import Diagnostic, Location, capped
from transcript.core.jsontext import UNPARSED, load_json, not_a_tree, not_an_object
from transcript.core.registry import REGISTRY
from transcript.protocol.documents import classify
from transcript.protocol.schema import drop_shadowed, validate
from transcript.request import rules  # noqa: F401 - registers every request and response rule
from transcript.request.context import LintOptions
from transcript.request.lint import locate

__all__ = ["lint_response_text", "lint_response_value"]


@cache
def _response_checks() -> tuple[Callable[..., Iterable[Diagnostic]], ...]:
    return tuple(r.check for r in REGISTRY.of_runner("response") if r.check is not None)


def lint_response_value(value: Any) -> list[Diagnostic]:
    """Lint a parsed response: a Message (schema and sanity rules) or an error body."""
    broken = not_a_tree(value)  # a value built in code may contain itself
    if broken is not None:
        return [broken]
    kind = classify(value)
    if kind == "error":
        return _error_body(value)
    if kind == "token-count":
        count = value["input_tokens"]
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            return []
        return [UNEXPECTED_DOCUMENT.diagnostic("input_tokens should be a count (an integer >= 0)", Location(pointer="/input_tokens"))]
    if not isinstance(value, dict):
        return [not_an_object(value, "a response Message (a JSON object)")]
    semantic: list[Diagnostic] = []
    for check in _response_checks():
        semantic.extend(check(value))
    # A Message rebuilt from a legacy completion (``migrate``; Bedrock's completions have
    # neither) has no id and may have no model: the schema is asked about the rest.
    judged = value if "id" in value and "model" in value else {"id": "msg_", "model": "", **value}
    return drop_shadowed(validate(judged, "message"), semantic) + semantic


def _error_body(value: dict[str, Any]) -> list[Diagnostic]:
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


def lint_response_text(text: str, options: LintOptions | None = None, *, value: Any = UNPARSED) -> list[Diagnostic]:
    """Lint response JSON text: every diagnostic located by line and column."""
    value, diagnostics = load_json(text, value=value)
    if diagnostics:
        return diagnostics
    return capped(lint_response_value(value), place=lambda kept: locate(kept, text))
