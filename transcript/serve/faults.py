"""Faults on demand: what a real API does to clients on a bad day.

A fault is written ``KIND[;times=N][;retry-after=S][;delay=MS]``, several separated by
commas, in the request header ``x-transcript-fault``, in ``--fault`` (every request), or
in a scripted answer.  With ``times=N`` the fault hits the first N attempts of the same
request (the same path and body), then the request is answered normally, so a client's
retries can be tested; without it, every attempt.

========================  ===================================================================
``rate-limit``            429 ``rate_limit_error`` with ``retry-after`` (seconds, default 1)
``overloaded``            529 ``overloaded_error``
``api-error``             500 ``api_error``
``stream-error``          an ``event: error`` (``overloaded_error``) after the first content
                          delta, inside the HTTP 200 stream (a 529 for a non-stream request)
``disconnect``            the connection dropped mid-stream (mid-body for JSON)
``truncate``              the stream ends without ``message_stop`` (a JSON body cut short)
``slow``                  ``delay`` milliseconds (default 100) before the headers and
                          between events
========================  ===================================================================
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable

from attrs import frozen

from transcript.serve.errors import ApiError

__all__ = ["FAULT_KINDS", "Fault", "FaultError", "FaultLedger", "parse_faults", "fault_error"]

FAULT_KINDS = ("rate-limit", "overloaded", "api-error", "stream-error", "disconnect", "truncate", "slow")

#: the faults answered by an error status instead of a 200
_STATUS_FAULTS = ("rate-limit", "overloaded", "api-error")


class FaultError(ValueError):
    """A fault spec that cannot be read."""


@frozen
class Fault:
    kind: str
    times: int | None = None
    retry_after: float = 1.0
    delay: float = 0.1

    @property
    def spec(self) -> str:
        parts = [self.kind]
        if self.times is not None:
            parts.append(f"times={self.times}")
        return ";".join(parts)


def _number(kind: str, key: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise FaultError(f"{kind}: {key} must be a number, not {value!r}") from None
    if number < 0 or number != number:
        raise FaultError(f"{kind}: {key} must not be negative")
    return number


def parse_faults(text: str) -> tuple[Fault, ...]:
    """Faults from ``rate-limit;times=2, slow;delay=50`` (a :class:`FaultError` if malformed)."""
    faults = []
    for item in text.split(","):
        if not item.strip():
            continue
        kind, *params = [p.strip() for p in item.split(";")]
        kind = kind.lower()
        if kind not in FAULT_KINDS:
            raise FaultError(f"unknown fault {kind!r} (choose from {', '.join(FAULT_KINDS)})")
        times: int | None = None
        retry_after, delay = 1.0, 0.1
        for param in params:
            if not param:
                continue
            key, sep, value = (x.strip() for x in param.partition("="))
            if not sep:
                raise FaultError(f"{kind}: expected key=value, not {param!r}")
            if key == "times":
                if not value.isdigit():
                    raise FaultError(f"{kind}: times must be a whole number, not {value!r}")
                times = int(value)
            elif key == "retry-after":
                retry_after = _number(kind, key, value)
            elif key == "delay":
                delay = _number(kind, key, value) / 1000
            else:
                raise FaultError(f"{kind}: unknown parameter {key!r} (times, retry-after, delay)")
        faults.append(Fault(kind, times, retry_after, delay))
    return tuple(faults)


class FaultLedger:
    """Counts the attempts of each request per fault, so that ``times=N`` hits only the first N."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(path: str, body: bytes) -> str:
        return hashlib.sha256(path.encode() + b"\0" + body).hexdigest()

    def active(self, faults: Iterable[Fault], key: str) -> tuple[Fault, ...]:
        """The faults that hit this attempt of the request ``key`` (each attempt counted once)."""
        hit = []
        with self._lock:
            for fault in faults:
                if fault.times is None:
                    hit.append(fault)
                    continue
                slot = (key, fault.spec)
                n = self._counts.get(slot, 0) + 1
                self._counts[slot] = n
                if n <= fault.times:
                    hit.append(fault)
        return tuple(hit)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


def fault_error(faults: Iterable[Fault], *, stream: bool) -> ApiError | None:
    """The error status a fault answers with instead of the answer, if any."""
    for fault in faults:
        if fault.kind == "rate-limit":
            retry = f"{fault.retry_after:g}"
            return ApiError.of("rate_limit_error", "Number of request tokens has exceeded your rate limit.", retry_after=retry)
        if fault.kind == "overloaded" or (fault.kind == "stream-error" and not stream):
            return ApiError.of("overloaded_error", "Overloaded")
        if fault.kind == "api-error":
            return ApiError.of("api_error", "Internal server error")
    return None


def has(faults: Iterable[Fault], kind: str) -> Fault | None:
    return next((f for f in faults if f.kind == kind), None)
