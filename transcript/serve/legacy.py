"""``POST /v1/complete``: legacy Text Completions, answered through the Messages machinery.

The request is converted with the toolkit's migration
(:func:`~transcript.legacy.requests.completion_request_to_messages`: the prompt becomes
``system`` + ``messages``, ``max_tokens_to_sample`` becomes ``max_tokens``, the built-in
``"\\n\\nHuman:"`` stop is dropped), answered like a Messages request, and the Message is
sent back as a Completion (:func:`~transcript.legacy.responses.message_to_completion`):
as JSON, or as the ``event: completion`` stream of API version 2023-06-01, where each
event carries the next piece of text and the last one the ``stop_reason``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transcript.legacy.requests import completion_request_to_messages
from transcript.legacy.responses import message_to_completion
from transcript.serve.render import CHUNK

__all__ = ["request_as_messages", "completion_events", "completion_body"]


def request_as_messages(request: dict[str, Any]) -> dict[str, Any]:
    """The Messages request a legacy request becomes (the prompt whole as one user turn
    when the converter cannot read it)."""
    converted = completion_request_to_messages(request, model_map={})
    if isinstance(converted.value, dict):
        return converted.value
    prompt = request.get("prompt")
    return {
        "model": request.get("model"),
        "max_tokens": request.get("max_tokens_to_sample"),
        "messages": [{"role": "user", "content": prompt if isinstance(prompt, str) else ""}],
        "stop_sequences": [s for s in request.get("stop_sequences") or [] if isinstance(s, str)]
        if isinstance(request.get("stop_sequences"), list)
        else [],
    }


def completion_body(message: dict[str, Any]) -> dict[str, Any]:
    """The Completion of a Message (``stop`` set as the legacy API sets it)."""
    completion = message_to_completion(message, unmappable_stop="stop_sequence").value or {
        "type": "completion",
        "completion": "",
        "stop_reason": "stop_sequence",
        "model": message.get("model"),
    }
    completion["stop"] = (
        message.get("stop_sequence")
        if message.get("stop_reason") == "stop_sequence"
        else ("\n\nHuman:" if completion.get("stop_reason") == "stop_sequence" else None)
    )
    return completion


def completion_events(message: dict[str, Any], request: dict[str, Any] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """The legacy stream of ``message``: ``completion`` events, text in chunks, then the stop."""
    final = completion_body(message)
    text = final.get("completion") or ""
    base = {"type": "completion", "id": final.get("id"), "model": final.get("model")}
    for start in range(0, len(text), CHUNK):
        yield "completion", {**base, "completion": text[start : start + CHUNK], "stop_reason": None, "stop": None}
    yield "completion", {**base, "completion": "", "stop_reason": final.get("stop_reason"), "stop": final.get("stop")}
