"""Helpers shared by the request rule tests: build bodies, lint them, read codes."""

from __future__ import annotations

import copy
from typing import Any

from transcript.core.diagnostics import Diagnostic
from transcript.request.lint import lint_request

HELLO = {"role": "user", "content": "Hello"}


def body(messages: list[Any] | None = None, model: str = "claude-sonnet-4-5", **params: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"model": model, "max_tokens": 1024, "messages": copy.deepcopy(messages if messages is not None else [HELLO])}
    out.update(params)
    return out


def found(value: Any, code: str, **kw: Any) -> list[Diagnostic]:
    """The diagnostics of ``code`` for ``value``."""
    return [d for d in lint_request(value, **kw) if d.code == code]


def codes(value: Any, **kw: Any) -> list[str]:
    return [d.code for d in lint_request(value, **kw)]
