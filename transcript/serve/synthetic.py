"""The default answer: a deterministic synthetic Message that respects the request.

For a request that no recording or script answers, :func:`synthetic_message` builds:

- a ``thinking`` block first when ``thinking`` is ``enabled`` or ``adaptive`` (its text
  within ``budget_tokens``, with a signature);
- a ``tool_use`` block when ``tool_choice`` forces a tool (``{"type": "tool", "name": ...}``,
  or ``{"type": "any"}``: the first custom tool), whose ``input`` is valid for the tool's
  ``input_schema`` (:func:`~transcript.serve.instances.instance_for`), with stop reason
  ``tool_use``;
- otherwise a ``text`` block echoing the last user message's text (``"Hello from
  transcript serve."`` when it has none), so a test decides what comes back: it is cut
  at the first of the ``stop_sequences`` it contains (stop reason ``stop_sequence``, the
  sequence in ``stop_sequence``) or at ``max_tokens`` tokens (stop reason ``max_tokens``).

Tokens are counted as words with their leading whitespace (``\\s*\\S+``); ``usage`` reports
the request's text at about four characters a token and the output's tokens.  The ids
(``msg_...``, ``toolu_...``) are derived from the request body, so the same request gets
the same answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import Any

import orjson

from transcript.serve.instances import instance_for

__all__ = ["synthetic_message", "tokens", "estimate_input_tokens", "last_user_text", "stable_id"]

_TOKEN = re.compile(r"\s*\S+|\s+$")
DEFAULT_TEXT = "Hello from transcript serve."
THINKING_TEXT = "The request is answered by transcript serve; this is its synthetic reasoning."


def tokens(text: str) -> list[str]:
    """``text`` cut into tokens: each word with the whitespace before it."""
    return _TOKEN.findall(text)


def stable_id(prefix: str, seed: bytes, n: int = 24) -> str:
    digest = hashlib.sha256(prefix.encode() + seed).digest()
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    value = int.from_bytes(digest, "big")
    out = []
    for _ in range(n):
        value, rem = divmod(value, len(alphabet))
        out.append(alphabet[rem])
    return prefix + "01" + "".join(out)


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for key in ("text", "content", "thinking", "input", "description", "input_schema", "name"):
            if key in value:
                inner = value[key]
                yield from _texts(inner if not isinstance(inner, dict) or key != "input" else orjson.dumps(inner).decode())


def estimate_input_tokens(request: dict[str, Any]) -> int:
    """About four characters a token over the request's system, messages and tools."""
    chars = sum(len(t) for key in ("system", "messages", "tools") for t in _texts(request.get(key)))
    return max(1, -(-chars // 4))


def last_user_text(request: dict[str, Any]) -> str | None:
    """The text of the last user message (its text blocks joined), or ``None``."""
    messages = request.get("messages")
    if not isinstance(messages, list):
        return None
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                parts = [b.get("text") for b in content if isinstance(b, dict) and b.get("type") == "text"]
                texts = [p for p in parts if isinstance(p, str)]
                return "".join(texts) if texts else None
            return None
    return None


def _forced_tool(request: dict[str, Any]) -> dict[str, Any] | None:
    choice = request.get("tool_choice")
    tools = [t for t in request.get("tools") or [] if isinstance(t, dict)] if isinstance(request.get("tools"), list) else []
    if not isinstance(choice, dict):
        return None
    if choice.get("type") == "tool":
        return next((t for t in tools if t.get("name") == choice.get("name")), None)
    if choice.get("type") == "any":
        return next((t for t in tools if "input_schema" in t), tools[0] if tools else None)
    return None


def _cut_at_stop(text: str, stops: Any) -> tuple[str, str | None]:
    if not isinstance(stops, list):
        return text, None
    best: tuple[int, str] | None = None
    for stop in stops:
        if isinstance(stop, str) and stop:
            at = text.find(stop)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, stop)
    if best is None:
        return text, None
    return text[: best[0]], best[1]


def synthetic_message(request: dict[str, Any], *, seed: bytes | None = None) -> dict[str, Any]:
    """The synthetic Message answering ``request`` (a request the linter accepted)."""
    seed = seed if seed is not None else orjson.dumps(request, option=orjson.OPT_SORT_KEYS)
    max_tokens = request.get("max_tokens")
    budget = max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else 1024
    content: list[dict[str, Any]] = []
    used = 0
    stop_reason = "end_turn"
    stop_sequence: str | None = None

    thinking = request.get("thinking")
    if isinstance(thinking, dict) and thinking.get("type") in ("enabled", "adaptive"):
        raw_limit = thinking.get("budget_tokens")
        limit: int = raw_limit if isinstance(raw_limit, int) else budget
        words = tokens(THINKING_TEXT)[: max(1, min(limit, budget - 1) if budget > 1 else 1)]
        used += len(words)
        content.append({"type": "thinking", "thinking": "".join(words).lstrip(), "signature": stable_id("sig_", seed, 40)})

    tool = _forced_tool(request)
    if tool is not None and used < budget:
        value = instance_for(tool.get("input_schema", {}))
        content.append({"type": "tool_use", "id": stable_id("toolu_", seed), "name": tool.get("name", "tool"), "input": value})
        used += max(1, len(tokens(orjson.dumps(value).decode())))
        stop_reason = "tool_use"
    elif used < budget:
        text, stop_sequence = _cut_at_stop(last_user_text(request) or DEFAULT_TEXT, request.get("stop_sequences"))
        words = tokens(text)
        if len(words) > budget - used:
            words = words[: budget - used]
            stop_reason, stop_sequence = "max_tokens", None
        elif stop_sequence is not None:
            stop_reason = "stop_sequence"
        used += len(words)
        if words:
            content.append({"type": "text", "text": "".join(words)})
    else:
        stop_reason = "max_tokens"
    return {
        "id": stable_id("msg_", seed),
        "type": "message",
        "role": "assistant",
        "model": request.get("model") if isinstance(request.get("model"), str) else "claude-sonnet-4-5",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence,
        "usage": {
            "input_tokens": estimate_input_tokens(request),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": max(1, used),
            "service_tier": "standard",
        },
    }
