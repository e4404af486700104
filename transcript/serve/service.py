"""The server's work for one request, independent of the HTTP stack: headers judged, body
linted, answer found, faults applied, and the :class:`Reply` to send.

:class:`Service` is what the starlette routes (:mod:`transcript.serve.app`) call.  It keeps
every :class:`Exchange` (the request, its diagnostics, the status and where the answer
came from) for the pytest fixture and the log, and the fault ledger that counts attempts.

Headers on every reply: ``request-id`` (and ``request_id`` in error bodies), ``x-should-retry``
on errors as the API sends it, and ``x-transcript-warnings``: the warnings of the request
as a JSON list of ``{"code", "pointer", "message"}`` (ASCII, at most 20), when there are any.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from attrs import field, frozen

from transcript.core.diagnostics import Diagnostic, diagnostic_tuple
from transcript.protocol.models import known_models, lookup_model
from transcript.serve import faults as fault_kinds
from transcript.serve.answers import Answer, Answers, Query
from transcript.serve.errors import ApiError, new_request_id, not_found
from transcript.serve.faults import Fault, FaultError, FaultLedger, fault_error, parse_faults
from transcript.serve.headers import read_headers
from transcript.serve.judge import Judge, Verdict
from transcript.serve.legacy import completion_body, completion_events, request_as_messages
from transcript.serve.render import encode_event, error_event, message_events
from transcript.stream.replay import replay_file

__all__ = ["Exchange", "Reply", "Service", "split_events", "models_page"]

MAX_EXCHANGES = 10_000

_EVENT_END = re.compile(rb"(?:\r\n|\r(?!\n)|\n)(?:\r\n|\r(?!\n)|\n)")


@frozen
class Exchange:
    """One request as the server saw it (the API key never kept)."""

    method: str
    path: str
    status: int
    request: Any = None
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple, factory=tuple)
    error: dict[str, Any] | None = None
    source: str | None = None
    stream: bool = False
    request_id: str = ""
    faults: tuple[str, ...] = ()

    @property
    def refused(self) -> bool:
        """The server's judging refused the request (a 4xx from its headers or body, not from
        a fault, a recording or a script)."""
        return 400 <= self.status < 500 and not self.faults and self.source is None


@frozen
class Reply:
    """What to send: a status, headers, and a JSON body or SSE chunks, with the faults'
    timing (``delay`` before the headers, ``gaps`` before each chunk) and ``drop_after``
    (the number of chunks, or body bytes, after which the connection is dropped)."""

    status: int
    headers: Mapping[str, str]
    body: bytes | None = None
    chunks: tuple[bytes, ...] | None = None
    delay: float = 0.0
    gaps: tuple[float, ...] | None = None
    drop_after: int | None = None


def split_events(data: bytes) -> list[bytes]:
    """SSE bytes cut after each event's closing blank line, byte for byte (a last piece
    without one is kept as it is)."""
    pieces, start = [], 0
    for m in _EVENT_END.finditer(data):
        pieces.append(data[start : m.end()])
        start = m.end()
    if start < len(data):
        pieces.append(data[start:])
    return pieces


def models_page() -> dict[str, Any]:
    """``GET /v1/models``: the model table, newest first, in the API's list shape."""
    data = [{"type": "model", "id": m.id, "display_name": m.id, "created_at": "2025-01-01T00:00:00Z"} for m in known_models()]
    data.reverse()
    return {
        "data": data,
        "has_more": False,
        "first_id": data[0]["id"] if data else None,
        "last_id": data[-1]["id"] if data else None,
    }


def _json(value: Any) -> bytes:
    return orjson.dumps(value)


def _warnings_header(diagnostics: Sequence[Diagnostic]) -> str:
    items = [{"code": d.code, "pointer": d.location.pointer, "message": d.message} for d in diagnostics[:20]]
    return orjson.dumps(items).decode("utf-8").encode("ascii", "backslashreplace").decode("ascii")


class Service:
    """Answers requests; keeps the exchanges."""

    def __init__(
        self,
        judge: Judge | None = None,
        answers: Answers | None = None,
        *,
        faults: Sequence[Fault] = (),
        speed: float | None = None,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.judge = judge or Judge()
        self.answers = answers or Answers()
        self.faults = tuple(faults)
        self._initial_faults = self.faults
        self.speed = speed
        self.ledger = FaultLedger()
        #: the latest exchanges (a long-running server keeps the last MAX_EXCHANGES)
        self.exchanges: deque[Exchange] = deque(maxlen=MAX_EXCHANGES)
        self._lock = threading.Lock()
        self._log = log

    # -- bookkeeping ------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the state it started in: no exchanges, the attempts forgotten, the faults
        it was given, and every answer source rewound (what a new test starts from)."""
        with self._lock:
            self.exchanges.clear()
        self.ledger.reset()
        self.faults = self._initial_faults
        for source in self.answers.sources:
            rewind = getattr(source, "reset", None)
            if rewind is not None:
                rewind()

    def _keep(self, exchange: Exchange) -> None:
        with self._lock:
            self.exchanges.append(exchange)
        if self._log is not None and (exchange.status != 200 or exchange.diagnostics):
            codes = " ".join(
                f"{d.code}{'@' + d.location.pointer if d.location.pointer else ''}" for d in exchange.diagnostics[:8]
            )
            why = exchange.error["error"]["message"] if exchange.error else ""
            self._log(f"{exchange.method} {exchange.path} {exchange.status} {why[:200]} {codes}".rstrip())

    def error_reply(
        self,
        method: str,
        path: str,
        error: ApiError,
        *,
        request: Any = None,
        verdict: Verdict | None = None,
        faults: Sequence[Fault] = (),
        stream: bool = False,
        source: str | None = None,
    ) -> Reply:
        rid = new_request_id()
        body = error.body(rid)
        diagnostics = verdict.diagnostics if verdict is not None else ()
        self._keep(
            Exchange(method, path, error.status, request, diagnostics, body, source, stream, rid, tuple(f.kind for f in faults))
        )
        headers = {
            "request-id": rid,
            "content-type": "application/json",
            "x-should-retry": "true" if error.status >= 429 and error.status != 501 else "false",
            **error.headers,
        }
        if diagnostics and verdict is not None and verdict.warnings:
            headers["x-transcript-warnings"] = _warnings_header(verdict.warnings)
        slow = fault_kinds.has(faults, "slow")
        return Reply(error.status, headers, _json(body), delay=slow.delay if slow else 0.0)

    def lint_only(self, endpoint: str, headers: Mapping[str, str], data: bytes) -> Verdict:
        """The verdict on a request that another server will answer (record mode)."""
        read, _ = read_headers(headers)
        if endpoint == "complete":
            return self.judge.completion(data)
        return self.judge.messages(data, betas=read.betas, count_tokens=endpoint == "count_tokens")

    def note(self, method: str, path: str, status: int, verdict: Verdict, *, source: str, request_id: str = "") -> None:
        """Keep an exchange answered elsewhere (record mode: by the upstream)."""
        stream = isinstance(verdict.value, dict) and verdict.value.get("stream") is True
        self._keep(Exchange(method, path, status, verdict.value, verdict.diagnostics, None, source, stream, request_id))

    # -- endpoints --------------------------------------------------------------------------

    def not_found(self, method: str, path: str) -> Reply:
        return self.error_reply(method, path, not_found())

    def method_not_allowed(self, method: str, path: str, allowed: Sequence[str]) -> Reply:
        reply = self.error_reply(method, path, ApiError(405, "invalid_request_error", "Method Not Allowed"))
        return Reply(reply.status, {**reply.headers, "allow": ", ".join(allowed)}, reply.body)

    def models(self, method: str, path: str, headers: Mapping[str, str], model_id: str | None = None) -> Reply:
        _, error = read_headers(headers)
        if error is not None:
            return self.error_reply(method, path, error)
        page = models_page()
        if model_id is not None:
            info = lookup_model(model_id)
            found = next((m for m in page["data"] if info is not None and m["id"] == info.id), None)
            if found is None:
                return self.error_reply(method, path, not_found(f"model: {model_id}"))
            page = found
        rid = new_request_id()
        self._keep(Exchange(method, path, 200, None, (), None, "models", False, rid))
        return Reply(200, {"request-id": rid, "content-type": "application/json"}, _json(page))

    def handle(self, endpoint: str, method: str, path: str, headers: Mapping[str, str], data: bytes) -> Reply:
        """``POST /v1/messages`` (``messages``), ``/v1/messages/count_tokens`` (``count_tokens``)
        or ``/v1/complete`` (``complete``)."""
        read, error = read_headers(headers)
        if error is not None:
            return self.error_reply(method, path, error)
        try:
            asked = parse_faults(read.fault) if read.fault else ()
        except FaultError as exc:
            return self.error_reply(method, path, ApiError.of("invalid_request_error", f"x-transcript-fault: {exc}"))
        content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "application/json")
        if data and "json" not in content_type.lower():
            return self.error_reply(
                method, path, ApiError.of("invalid_request_error", f"Content-Type must be application/json, not {content_type!r}")
            )
        if endpoint == "complete":
            verdict = self.judge.completion(data)
        else:
            verdict = self.judge.messages(data, betas=read.betas, count_tokens=endpoint == "count_tokens")
        stream = isinstance(verdict.value, dict) and verdict.value.get("stream") is True and endpoint != "count_tokens"
        if verdict.error is not None:
            return self.error_reply(method, path, verdict.error, request=verdict.value, verdict=verdict, stream=stream)
        request = verdict.value
        query = Query(
            endpoint, request, data, stream, {k.lower(): v for k, v in headers.items() if k.lower().startswith("anthropic-")}
        )
        if endpoint == "complete":
            query = Query("complete", request_as_messages(request), data, stream, query.headers)
        key = FaultLedger.key(path, data)
        # the server's and the request's faults hit before an answer is taken (a retried
        # request then gets the answer the first attempt would have had)
        faults = self.ledger.active(self.faults + asked, key)
        status_error = fault_error(faults, stream=stream)
        if status_error is not None:
            return self.error_reply(method, path, status_error, request=request, verdict=verdict, faults=faults, stream=stream)
        answer = self.answers.answer(query)
        if answer is not None and answer.faults:
            faults = faults + self.ledger.active(answer.faults, key)
            status_error = fault_error(faults, stream=stream)
            if status_error is not None:
                return self.error_reply(
                    method,
                    path,
                    status_error,
                    request=request,
                    verdict=verdict,
                    faults=faults,
                    stream=stream,
                    source=answer.source,
                )
        if answer is None:
            return self.error_reply(
                method,
                path,
                ApiError(
                    501, "api_error", "transcript serve has no recording that answers this token count (serve one with --from)"
                ),
                request=request,
                verdict=verdict,
            )
        if answer.error is not None:
            return self.error_reply(
                method, path, answer.error, request=request, verdict=verdict, faults=faults, stream=stream, source=answer.source
            )
        return self._answer(method, path, endpoint, request, verdict, answer, faults, stream)

    def _answer(
        self,
        method: str,
        path: str,
        endpoint: str,
        request: Any,
        verdict: Verdict,
        answer: Answer,
        faults: Sequence[Fault],
        stream: bool,
    ) -> Reply:
        rid = new_request_id()
        headers = {"request-id": rid}
        if verdict.warnings:
            headers["x-transcript-warnings"] = _warnings_header(verdict.warnings)
        slow = fault_kinds.has(faults, "slow")
        delay = slow.delay if slow else 0.0
        kinds = tuple(f.kind for f in faults)
        self._keep(Exchange(method, path, answer.status, request, verdict.diagnostics, None, answer.source, stream, rid, kinds))
        if answer.body is not None or (answer.message is None and answer.sse is None):
            headers["content-type"] = "application/json"
            body = _json(answer.body)
            return self._cut_json(Reply(answer.status, headers, body, delay=delay), faults)
        if not stream:
            value: Any = answer.message
            if value is None:
                replayed = replay_file(answer.sse or b"", input_format="sse")
                value = replayed.output if replayed.output is not None else {}
            if endpoint == "complete" and answer.message is not None:
                value = completion_body(value)
            headers["content-type"] = "application/json"
            return self._cut_json(Reply(200, headers, _json(value), delay=delay), faults)
        headers["content-type"] = "text/event-stream; charset=utf-8"
        headers["cache-control"] = "no-cache"
        times: tuple[float, ...] | None = None
        if answer.sse is not None:
            chunks = split_events(answer.sse)
            times = answer.times
        elif endpoint == "complete":
            chunks = [encode_event(n, d) for n, d in completion_events(answer.message or {}, request)]
        else:
            chunks = [encode_event(n, d) for n, d in message_events(answer.message or {})]
        return self._stream(Reply(200, headers, chunks=tuple(chunks), delay=delay), faults, times, slow)

    def _cut_json(self, reply: Reply, faults: Sequence[Fault]) -> Reply:
        body = reply.body or b""
        if fault_kinds.has(faults, "disconnect"):
            return Reply(reply.status, reply.headers, body, delay=reply.delay, drop_after=len(body) // 2)
        if fault_kinds.has(faults, "truncate"):
            return Reply(reply.status, reply.headers, body[: len(body) // 2], delay=reply.delay)
        return reply

    def _stream(self, reply: Reply, faults: Sequence[Fault], times: tuple[float, ...] | None, slow: Fault | None) -> Reply:
        chunks = list(reply.chunks or ())
        first_delta = next((i for i, c in enumerate(chunks) if b"content_block_delta" in c or b'"completion"' in c), None)
        after = first_delta + 1 if first_delta is not None else min(1, len(chunks))
        drop_after = None
        if fault_kinds.has(faults, "stream-error"):
            chunks = chunks[:after] + [error_event("overloaded_error", "Overloaded")]
            times = None
        elif fault_kinds.has(faults, "disconnect"):
            drop_after = after
        elif fault_kinds.has(faults, "truncate"):
            chunks = [c for c in chunks if not _is_stop(c)]
            times = None
        gaps: tuple[float, ...] | None = None
        if slow is not None:
            gaps = tuple(slow.delay if i else 0.0 for i in range(len(chunks)))
        elif times is not None and self.speed and len(times) == len(chunks):
            gaps = tuple(max(0.0, (t - (times[i - 1] if i else times[0])) / self.speed) for i, t in enumerate(times))
        return Reply(reply.status, reply.headers, chunks=tuple(chunks), delay=reply.delay, gaps=gaps, drop_after=drop_after)


def _is_stop(chunk: bytes) -> bool:
    """Whether an SSE event is ``message_stop`` (or a legacy completion's final event)."""
    for line in chunk.splitlines():
        if line.startswith(b"event:") and line[6:].strip() == b"message_stop":
            return True
        if line.startswith(b"data:"):
            try:
                data = orjson.loads(line[5:])
            except orjson.JSONDecodeError:
                return False
            return isinstance(data, dict) and (
                data.get("type") == "message_stop" or data.get("type") == "completion" and data.get("stop_reason") is not None
            )
    return False
