"""What the serve tests share: a server in a thread on a free port of 127.0.0.1, and request headers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from transcript.serve.server import ServeOptions, ServerThread, build_service
from transcript.serve.service import Service

HEADERS = {"x-api-key": "sk-test-not-a-key", "anthropic-version": "2023-06-01"}


def body(**extra: Any) -> dict[str, Any]:
    return {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello there"}], **extra}


@contextmanager
def running(options: ServeOptions | None = None, service: Service | None = None, **kwargs: Any) -> Iterator[ServerThread]:
    """A server for the length of a ``with`` block (stopped, and its thread joined, after)."""
    service = service or build_service(options or ServeOptions(), **kwargs)
    server = ServerThread(service)
    server.start()
    try:
        yield server
    finally:
        server.stop()
