"""Record mode (``--record DIR --upstream URL``): a proxy that writes every exchange down.

Each request is linted as usual (its diagnostics are logged and kept), then sent on to the
upstream with its headers (less the hop-by-hop ones, and asking for an uncompressed body,
so that what is recorded is the bytes the API sent).  The answer is streamed back to the
client as it arrives, and written to DIR in the pairing ``--from`` reads:

- ``NNNN-ENDPOINT.request.json``: the request body, byte for byte;
- ``NNNN-ENDPOINT.sse`` and ``NNNN-ENDPOINT.times.json`` (the seconds, from the response
  headers, at which each event was complete), or ``NNNN-ENDPOINT.response.json``;
- ``NNNN-ENDPOINT.meta.json``: the method, path, status and the response headers worth
  keeping (``content-type``, ``request-id``, ``retry-after``, ``x-should-retry``,
  ``anthropic-*``).

The proxy's own ``x-transcript-*`` headers are not sent upstream (faults apply to served
answers, not to recorded ones).  ``x-api-key``, ``Authorization``, ``Cookie`` and ``Set-Cookie`` are never written (the
request's headers are not written at all).  Files are written whole: each goes to a
temporary name and is renamed into place, and the request file last, so a directory being
recorded never holds a half pair that ``--from`` would read.
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import orjson

__all__ = ["Recorder", "KEPT_HEADERS", "SECRET_HEADERS"]

_HOP = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "accept-encoding", "upgrade", "te", "trailer"}
SECRET_HEADERS = frozenset({"x-api-key", "authorization", "cookie", "set-cookie", "proxy-authorization"})
KEPT_HEADERS = ("content-type", "request-id", "retry-after", "x-should-retry")
_EVENT_END = re.compile(rb"(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n)")


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class _EventClock:
    """The time each SSE event is complete, fed the chunks as they arrive."""

    def __init__(self, start: float) -> None:
        self.start = start
        self.pending = b""
        self.times: list[float] = []

    def feed(self, chunk: bytes) -> None:
        self.pending += chunk
        now = round(time.monotonic() - self.start, 6)
        end = 0
        for m in _EVENT_END.finditer(self.pending):
            self.times.append(now)
            end = m.end()
        self.pending = self.pending[end:]


class Recorder:
    """Forwards requests to ``upstream`` and writes the exchanges to ``directory``."""

    def __init__(self, directory: str | Path, upstream: str, *, timeout: float = 600.0) -> None:
        self.directory = Path(directory)
        self.upstream = upstream.rstrip("/")
        self.timeout = timeout
        self._count = 0
        self._lock = threading.Lock()
        self.directory.mkdir(parents=True, exist_ok=True)
        existing = [int(p.name[:4]) for p in self.directory.glob("[0-9][0-9][0-9][0-9]-*.request.json")]
        self._count = max(existing, default=0)

    def _stem(self, endpoint: str) -> Path:
        with self._lock:
            self._count += 1
            n = self._count
        return self.directory / f"{n:04d}-{endpoint}"

    @staticmethod
    def forwarded_headers(headers: Mapping[str, str]) -> dict[str, str]:
        out = {k: v for k, v in headers.items() if k.lower() not in _HOP and not k.lower().startswith("x-transcript-")}
        out["accept-encoding"] = "identity"
        return out

    @staticmethod
    def kept_headers(headers: Mapping[str, str]) -> dict[str, str]:
        return {
            k.lower(): v
            for k, v in headers.items()
            if (k.lower() in KEPT_HEADERS or k.lower().startswith("anthropic-")) and k.lower() not in SECRET_HEADERS
        }

    async def forward(
        self, client: httpx.AsyncClient, endpoint: str, method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], AsyncIterator[bytes]]:
        """Send the request on; returns the status, the headers for the client and the body as it arrives.

        The exchange is written once the body has been read to its end (or broken off).
        """
        request = client.build_request(method, self.upstream + path, headers=self.forwarded_headers(headers), content=body)
        response = await client.send(request, stream=True)
        start = time.monotonic()
        status = response.status_code
        back = {k: v for k, v in response.headers.items() if k.lower() not in _HOP | {"content-encoding", "date", "server"}}
        stream = "event-stream" in response.headers.get("content-type", "")

        async def body_iter() -> AsyncIterator[bytes]:
            clock = _EventClock(start)
            parts: list[bytes] = []
            try:
                async for chunk in response.aiter_raw():
                    parts.append(chunk)
                    if stream:
                        clock.feed(chunk)
                    yield chunk
            finally:
                await response.aclose()
                self._save(
                    endpoint, method, path, body, status, response.headers, b"".join(parts), clock.times if stream else None
                )

        return status, back, body_iter()

    def _save(
        self,
        endpoint: str,
        method: str,
        path: str,
        request: bytes,
        status: int,
        headers: Mapping[str, str],
        answer: bytes,
        times: list[float] | None,
    ) -> None:
        stem = self._stem(endpoint)
        meta: dict[str, Any] = {"method": method, "path": path, "status": status, "headers": self.kept_headers(headers)}
        if times is not None:
            _write(stem.with_name(stem.name + ".sse"), answer)
            _write(stem.with_name(stem.name + ".times.json"), orjson.dumps(times))
        else:
            _write(stem.with_name(stem.name + ".response.json"), answer)
        _write(stem.with_name(stem.name + ".meta.json"), orjson.dumps(meta, option=orjson.OPT_INDENT_2))
        _write(stem.with_name(stem.name + ".request.json"), request)
