"""The request and response rules, one module per family; each rule a registered function.

A rule is a plain function decorated with :func:`transcript.core.registry.rule`:
``(request, ctx) -> diagnostics`` for ``runner="request"`` (the parsed body and its
:class:`~transcript.request.context.RequestContext`), ``(message) -> diagnostics`` for
``runner="response"``.  To add one, write it in its family's module below; importing this
package registers them all, so the request (or response) lint, ``transcript rules`` and
the docs pick it up, and its examples become tests.
"""

from __future__ import annotations

from transcript.request.rules import (
    cache,
    headers,
    level,
    lifecycle,
    media,
    messages,
    response,
    thinking,
    tools,
)

__all__ = ["cache", "headers", "level", "lifecycle", "media", "messages", "response", "thinking", "tools"]
