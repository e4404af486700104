"""transcript: a toolkit for the Anthropic Messages protocol.

Migrate legacy Text Completions prompts, lint request payloads the way the API server
judges them, and replay captured SSE streams into the final Message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transcript.core.diagnostics import Diagnostic, Location, Severity

if TYPE_CHECKING:  # the lazy exports below, as type checkers and IDEs should see them
    from transcript.legacy.migrate import (
        Migration,
        completion_request_to_messages,
        completion_to_message,
        message_to_completion,
        messages_request_to_completion,
        migrate_text,
        migrate_value,
    )
    from transcript.lint import lint_source, lint_text
    from transcript.prompt.convert import (
        Conversion,
        messages_to_prompt,
        prompt_to_messages,
    )
    from transcript.request.lint import lint_request
    from transcript.stream.replay import replay_all, replay_file
    from transcript.stream.replayer import Replayer, ReplayResult
    from transcript.stream.sse import SseDecoder, SseEvent

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
    # linting (loaded on first use)
    "lint_request",
    "lint_source",
    "lint_text",
    # streams: SSE decoding and replay (loaded on first use)
    "SseEvent",
    "SseDecoder",
    "Replayer",
    "ReplayResult",
    "replay_file",
    "replay_all",
]

_LAZY = {
    "Conversion": "transcript.prompt.convert",
    "prompt_to_messages": "transcript.prompt.convert",
    "messages_to_prompt": "transcript.prompt.convert",
    "Migration": "transcript.legacy.migrate",
    "migrate_value": "transcript.legacy.migrate",
    "migrate_text": "transcript.legacy.migrate",
    "completion_request_to_messages": "transcript.legacy.migrate",
    "messages_request_to_completion": "transcript.legacy.migrate",
    "completion_to_message": "transcript.legacy.migrate",
    "message_to_completion": "transcript.legacy.migrate",
    "lint_request": "transcript.request.lint",
    "lint_source": "transcript.lint",
    "lint_text": "transcript.lint",
    "SseEvent": "transcript.stream.sse",
    "SseDecoder": "transcript.stream.sse",
    "Replayer": "transcript.stream.replayer",
    "ReplayResult": "transcript.stream.replayer",
    "replay_file": "transcript.stream.replay",
    "replay_all": "transcript.stream.replay",
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
