"""What a parsed JSON document is, by its shape: the one classifier the jobs share."""

from __future__ import annotations

from typing import Any

__all__ = ["classify"]


def classify(value: Any) -> str | None:
    """``request`` (a Messages request body), ``response`` (a Message), ``error`` (an error
    body), ``batch`` (a Message Batches line ``{"custom_id", "params"}``), ``token-count``
    (a token-counting response) or ``None``."""
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
