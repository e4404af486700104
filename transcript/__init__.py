"""transcript: a toolkit for the Anthropic Messages protocol.

Migrate legacy Text Completions prompts, lint request payloads the way the API server
judges them, and replay captured SSE streams into the final Message.
"""

from __future__ import annotations

from transcript.diagnostics import Diagnostic, Location, Severity

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Diagnostic",
    "Location",
    "Severity",
    # legacy prompt conversion and migration (loaded on first use)
    "Conversion",
    "prompt_to_messages",
    "messages_to_prompt",
    "Migration",
    "migrate_value",
    "migrate_text",
    "completion_request_to_messages",
    "messages_request_to_completion",
    "completion_to_message",
    "message_to_completion",
    # streams: SSE decoding and replay (loaded on first use)
    "SseEvent",
    "SseDecoder",
    "Replayer",
    "ReplayResult",
    "replay_file",
    "replay_all",
]

_LAZY = {
    "Conversion": "transcript.convert",
    "prompt_to_messages": "transcript.convert",
    "messages_to_prompt": "transcript.convert",
    "Migration": "transcript.migrate",
    "migrate_value": "transcript.migrate",
    "migrate_text": "transcript.migrate",
    "completion_request_to_messages": "transcript.migrate",
    "messages_request_to_completion": "transcript.migrate",
    "completion_to_message": "transcript.migrate",
    "message_to_completion": "transcript.migrate",
    "SseEvent": "transcript.sse",
    "SseDecoder": "transcript.sse",
    "Replayer": "transcript.replay",
    "ReplayResult": "transcript.replay",
    "replay_file": "transcript.replay",
    "replay_all": "transcript.replay",
}


def __getattr__(name: str) -> object:
    """Load the converters (and lark) only when they are first used."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'transcript' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
