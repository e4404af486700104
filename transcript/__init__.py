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
]
