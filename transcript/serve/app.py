"""The starlette application: routes to the :class:`~transcript.serve.service.Service`.

``POST /v1/messages``, ``POST /v1/messages/count_tokens``, ``POST /v1/complete``,
``GET /v1/models`` and ``GET /v1/models/{id}``.  Every other path is the API's 404
(``not_found_error``), a wrong method a 405, a body over 32 MB a 413 (read no further
than that), and an unexpected failure a 500 ``api_error`` body: no traceback reaches a
client.  A JSON reply is sent whole; a stream is sent one SSE event per ASGI message
(uvicorn writes and flushes each), paced by the faults' and the recording's timing.  A
``disconnect`` fault ends the response by raising :class:`Disconnect` once the headers
and part of the body are out: uvicorn then closes the connection without finishing it
(its log of that one exception is filtered out).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from transcript.serve.errors import MAX_BODY, ApiError, too_large
from transcript.serve.record import Recorder
from transcript.serve.service import Reply, Service

__all__ = ["build_app", "Disconnect", "quiet_disconnects"]

_ENDPOINTS = {
    "/v1/messages": "messages",
    "/v1/messages/count_tokens": "count_tokens",
    "/v1/complete": "complete",
}


#: Bodies up to this size are judged on the event loop (a few hundred microseconds); larger in a thread.
INLINE_BODY = 256 * 1024


class Disconnect(Exception):
    """Raised to drop a connection mid-response (the ``disconnect`` fault)."""


class _QuietDisconnects(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        while exc is not None:
            if isinstance(exc, Disconnect):
                return False
            inner = getattr(exc, "exceptions", None)
            exc = inner[0] if inner else exc.__cause__ or exc.__context__
        return True


def quiet_disconnects() -> None:
    """Keep uvicorn from logging the exception that drops a connection on purpose."""
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietDisconnects) for f in logger.filters):
        logger.addFilter(_QuietDisconnects())


class ReplyResponse(Response):
    """A :class:`~transcript.serve.service.Reply` as an ASGI response."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        super().__init__(status_code=reply.status, headers=dict(reply.headers))
        if reply.body is not None:
            self.headers["content-length"] = str(len(reply.body))
        else:
            del self.headers["content-length"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reply = self.reply
        if reply.delay:
            await asyncio.sleep(reply.delay)
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        if reply.body is not None:
            if reply.drop_after is not None:
                await send({"type": "http.response.body", "body": reply.body[: reply.drop_after], "more_body": True})
                raise Disconnect("the connection is dropped (disconnect fault)")
            await send({"type": "http.response.body", "body": reply.body})
            return
        chunks = reply.chunks or ()
        for i, chunk in enumerate(chunks):
            gap = reply.gaps[i] if reply.gaps is not None and i < len(reply.gaps) else 0.0
            if gap:
                await asyncio.sleep(gap)
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            if reply.drop_after is not None and i + 1 >= reply.drop_after:
                raise Disconnect("the connection is dropped (disconnect fault)")
        await send({"type": "http.response.body", "body": b""})


async def _read_body(request: Request) -> bytes | None:
    """The body, or ``None`` when it is over the limit (read no further)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        return None
    parts, size = [], 0
    stream: AsyncIterator[bytes] = request.stream()
    async for chunk in stream:
        size += len(chunk)
        if size > MAX_BODY:
            return None
        parts.append(chunk)
    return b"".join(parts)


def build_app(service: Service, recorder: Recorder | None = None) -> Starlette:
    """The ASGI application answering with ``service`` (or, with a ``recorder``, proxying)."""
    clients: list[httpx.AsyncClient] = []

    async def proxy(request: Request, data: bytes) -> Response:
        assert recorder is not None
        path, endpoint = request.url.path, _ENDPOINTS[request.url.path]
        headers = dict(request.headers)
        verdict = await asyncio.to_thread(service.lint_only, endpoint, headers, data)
        if not clients:
            clients.append(httpx.AsyncClient(timeout=recorder.timeout))
        try:
            status, back, body = await recorder.forward(clients[0], endpoint, request.method, path, headers, data)
        except httpx.HTTPError as exc:
            error = ApiError(502, "api_error", f"the upstream {recorder.upstream} did not answer: {type(exc).__name__}")
            return ReplyResponse(service.error_reply(request.method, path, error, verdict=verdict))
        service.note(
            request.method, path, status, verdict, source=f"upstream:{recorder.upstream}", request_id=back.get("request-id", "")
        )
        return StreamingResponse(body, status_code=status, headers=back)

    async def post(request: Request) -> Response:
        path = request.url.path
        data = await _read_body(request)
        if data is None:
            return ReplyResponse(service.error_reply(request.method, path, too_large()))
        if recorder is not None:
            return await proxy(request, data)
        args = (_ENDPOINTS[path], request.method, path, dict(request.headers), data)
        # a small body is judged at once; a large one in a thread, so the other connections go on
        reply = service.handle(*args) if len(data) < INLINE_BODY else await asyncio.to_thread(service.handle, *args)
        return ReplyResponse(reply)

    async def models(request: Request) -> Response:
        model_id = request.path_params.get("model_id")
        return ReplyResponse(service.models(request.method, request.url.path, dict(request.headers), model_id))

    async def not_found(request: Request, exc: Exception) -> Response:
        return ReplyResponse(service.not_found(request.method, request.url.path))

    async def not_allowed(request: Request, exc: Exception) -> Response:
        allowed = ["GET"] if request.url.path.startswith("/v1/models") else ["POST"]
        return ReplyResponse(service.method_not_allowed(request.method, request.url.path, allowed))

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404:
            return await not_found(request, exc)
        if status == 405:
            return await not_allowed(request, exc)
        return ReplyResponse(
            service.error_reply(request.method, request.url.path, ApiError(status, "invalid_request_error", str(exc)))
        )

    async def internal(request: Request, exc: Exception) -> Response:
        if isinstance(exc, Disconnect):
            raise exc
        message = "Internal server error"
        return ReplyResponse(service.error_reply(request.method, request.url.path, ApiError.of("api_error", message)))

    routes = [Route(path, post, methods=["POST"]) for path in _ENDPOINTS]
    routes += [Route("/v1/models", models, methods=["GET"]), Route("/v1/models/{model_id:path}", models, methods=["GET"])]
    handlers: dict[Any, Any] = {HTTPException: http_error, Exception: internal}
    app = Starlette(routes=routes, exception_handlers=handlers)
    app.state.service = service
    return app
