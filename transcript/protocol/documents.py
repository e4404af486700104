"""What a parsed JSON document is, by its shape: the one classifier the jobs share."""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["PROVIDER_VERSIONS", "REQUEST_SHAPES", "RequestShape", "classify", "request_shape"]


def classify(value: Any) -> str | None:
    """``request`` (a Messages request body), ``response`` (a Message), ``error`` (an error
    body), ``batch`` (a Message Batches line ``{"custom_id", "params"}``), ``token-count``
    (a token-counting response), ``batch-result`` (a line of a Message Batches results file
    ``{"custom_id", "result"}``) or ``None``."""
    if not isinstance(value, dict):
        return None
    if "custom_id" in value and "params" in value:
        return "batch"
    if "custom_id" in value and "result" in value:
        return "batch-result"
    if value.get("type") == "message" and value.get("role") == "assistant":
        return "response"
    if value.get("type") == "error" and isinstance(value.get("error"), dict):
        return "error"
    if set(value) == {"input_tokens"}:
        return "token-count"
    if "messages" in value or ("model" in value and "max_tokens" in value and "prompt" not in value):
        return "request"
    return None


#: ``anthropic_version`` values of the providers whose URL names the model (the body has none).
PROVIDER_VERSIONS = {"bedrock": ("bedrock-2023-05-31",), "vertex": ("vertex-2023-10-16",)}

#: What :func:`request_shape` answers: a first-party request body, a conversation
#: ``{system?, messages}`` with no request parameters, or a Bedrock or Vertex AI body.
REQUEST_SHAPES = ("request", "conversation", "bedrock", "vertex")
RequestShape = Literal["request", "conversation", "bedrock", "vertex"]


def request_shape(value: Any) -> RequestShape:
    """Which of :data:`REQUEST_SHAPES` a request-like object is (``classify`` says ``request``).

    A body with ``anthropic_version`` and no ``model`` is a Bedrock or Vertex AI body (the
    version's prefix says which; Bedrock when it names neither); a body with ``messages``
    and neither ``model`` nor ``max_tokens`` is a conversation (``convert``'s output).
    """
    if not isinstance(value, dict) or "model" in value:
        return "request"
    if "anthropic_version" in value:
        version = value["anthropic_version"]
        return "vertex" if isinstance(version, str) and version.startswith("vertex") else "bedrock"
    if "messages" in value and "max_tokens" not in value:
        return "conversation"
    return "request"
