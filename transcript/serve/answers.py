"""Where an answer comes from: queued by a test, recorded, scripted, or synthetic.

An :class:`Answer` is what the server sends for one request before faults are applied: a
Message (sent as JSON, or rendered as SSE for a stream request), a recorded stream (its
bytes, sent as they are, with their recorded timing), a JSON body (a token count, a
recorded error body) with its status, or an API error; it may carry faults.

:class:`Answers` asks its sources in order: the answers a test queued (the pytest
fixture's :class:`~transcript.serve.script.Script`), then the recordings (``--from``),
then the script (``--script``), and falls back on the synthetic Message
(:func:`~transcript.serve.synthetic.synthetic_message`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from attrs import field, frozen

from transcript.serve.errors import ApiError
from transcript.serve.faults import Fault
from transcript.serve.synthetic import synthetic_message

__all__ = ["Answer", "AnswerSource", "Answers", "Query"]


@frozen
class Answer:
    """One answer (exactly one of ``message``, ``sse``, ``body`` and ``error`` is set, or only faults)."""

    message: dict[str, Any] | None = None
    sse: bytes | None = None
    times: tuple[float, ...] | None = None
    body: Any = None
    status: int = 200
    error: ApiError | None = None
    faults: tuple[Fault, ...] = ()
    source: str = "synthetic"


@frozen
class Query:
    """What an answer source is asked: the endpoint (``messages``, ``count_tokens``,
    ``complete``), the parsed request and its raw body, and whether it asks for a stream."""

    endpoint: str
    request: dict[str, Any]
    data: bytes = b""
    stream: bool = False
    headers: dict[str, str] = field(factory=dict)


class AnswerSource(Protocol):
    def answer(self, query: Query) -> Answer | None: ...


class Answers:
    """The sources of answers, asked in order; the synthetic Message when none answers."""

    def __init__(self, sources: Sequence[AnswerSource] = ()) -> None:
        self.sources = list(sources)

    def answer(self, query: Query) -> Answer | None:
        """The answer to ``query``; ``None`` when only a recording could answer it (a token
        count, which the server cannot make up)."""
        for source in self.sources:
            found = source.answer(query)
            if found is not None:
                return found
        if query.endpoint == "count_tokens":
            return None
        return Answer(message=synthetic_message(query.request, seed=query.data or None))
