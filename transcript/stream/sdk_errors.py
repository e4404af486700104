"""What the official Python SDK raises on an in-stream ``event: error``, for a retry loop to check.

The SDK's SSE decoder (``anthropic/_streaming.py``, 2.15.0) raises on ``event: error`` while
the stream is iterated: ``make_status_error`` picks the class by the HTTP status, and the
status of a stream that already began is 200, which no class claims, so the exception is
a plain ``anthropic.APIStatusError`` with ``status_code == 200`` and the event's JSON as
``body``; ``e.type`` holds ``error.type``.  The same error answered before the stream began
would have been its HTTP class (``overloaded_error`` is a 529 ``OverloadedError``), which the
SDK retries on its own; the in-stream one is never retried (the request already returned),
and ``except anthropic.OverloadedError`` or ``InternalServerError`` does not catch it.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["HTTP_COUNTERPART", "python_sdk_note"]

#: error.type -> (the HTTP status the API answers it with, the SDK's class for that status),
#: from the API's error types and the SDK's ``ERROR_CLASSES`` table.
HTTP_COUNTERPART: Mapping[str, tuple[int, str]] = {
    "invalid_request_error": (400, "BadRequestError"),
    "authentication_error": (401, "AuthenticationError"),
    "billing_error": (402, "PaymentRequiredError"),
    "permission_error": (403, "PermissionDeniedError"),
    "not_found_error": (404, "NotFoundError"),
    "request_too_large": (413, "ContentTooLargeError"),
    "rate_limit_error": (429, "RateLimitError"),
    "api_error": (500, "InternalServerError"),
    "timeout_error": (504, "GatewayTimeoutError"),
    "overloaded_error": (529, "OverloadedError"),
}

#: Statuses the SDK's own retry loop retries (``_should_retry``: 408, 409, 429 and 5xx).
_RETRIED = frozenset({408, 409, 429})


def python_sdk_note(error_type: object) -> str:
    """One sentence: the exception the Python SDK raises for this in-stream error, and what
    a retry loop must look at."""
    shown = error_type if isinstance(error_type, str) else None
    raised = f"anthropic.APIStatusError (status_code 200, .type {shown!r})" if shown else \
        "anthropic.APIStatusError (status_code 200, no .type)"
    note = f"the Python SDK raises {raised} while iterating and does not retry it"
    counterpart = HTTP_COUNTERPART.get(shown) if shown else None
    if counterpart is not None:
        status, name = counterpart
        retried = status in _RETRIED or status >= 500
        note += (
            f"; `except anthropic.{name}` (its class as an HTTP {status}"
            f"{', which the SDK retries' if retried else ''}) does not catch it: check e.type or e.body['error']['type']"
        )
    return note


# -- where the TypeScript SDK (@anthropic-ai/sdk 1.15.0 MessageStream) differs from the Python one

#: The unterminated last event: both SDKs drop it; when it is ``message_stop`` the Python SDK
#: still returns the message and the TypeScript SDK's ``finalMessage()`` rejects.
TS_UNTERMINATED = (
    "both official SDKs drop this event (--strict does too); if it is message_stop, the Python SDK still returns "
    "the message but the TypeScript SDK's finalMessage() rejects: 'stream ended without producing a Message "
    "with role=assistant'"
)
#: No ``message_stop``: Python returns what it built, TypeScript rejects.
TS_NO_MESSAGE_STOP = (
    "the capture was cut; the message printed is what was rebuilt (the Python SDK returns it too, with the last "
    "stop_reason seen; the TypeScript SDK's finalMessage() rejects: 'stream ended without producing a Message "
    "with role=assistant')"
)
#: ``message_start`` without ``usage``: both fail, differently.
TS_NO_USAGE = (
    "the Python SDK raises AttributeError ('NoneType' object has no attribute 'output_tokens') at message_delta; "
    "the TypeScript SDK rejects with AnthropicError: Cannot read properties of undefined (reading 'output_tokens')"
)
#: Tool input that is not JSON (an invalid escape...): both fail, with different exceptions.
TS_BAD_TOOL_JSON = (
    "the Python SDK raises ValueError('Unable to parse tool parameter JSON from model...') at the delta; the "
    "TypeScript SDK rejects finalMessage() with AnthropicError of the same words (its JSON.parse message)"
)
