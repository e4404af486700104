"""The request headers the API reads before the body, judged as it judges them.

- ``anthropic-version`` is required (400 ``anthropic-version: header is required``) and
  must be one version date, ``YYYY-MM-DD`` (the SDKs send newer dates than the
  documented ``2023-06-01``, so any well-formed date is taken; a list such as ``2023-06-01,
  2023-06-01`` is refused as the API refuses it);
- an API key is required, in ``x-api-key`` or as ``Authorization: Bearer ...`` (401
  ``x-api-key header is required``), and never checked against anything: the value is not
  kept, logged or recorded;
- ``anthropic-beta`` is a comma-separated list of beta names, read into
  :attr:`RequestHeaders.betas` for the linter (a beta field sent without its header is
  what the server refuses with ``Extra inputs are not permitted``).

This module is the one place that reads headers; the request linter sees bodies only.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from attrs import frozen

from transcript.serve.errors import ApiError

__all__ = ["RequestHeaders", "read_headers", "valid_version"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def valid_version(value: str) -> bool:
    """One calendar date written ``YYYY-MM-DD``."""
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


@frozen
class RequestHeaders:
    """What the headers of one request say (the API key itself is never kept)."""

    version: str | None = None
    betas: tuple[str, ...] = ()
    has_key: bool = False
    fault: str | None = None


def read_headers(headers: Mapping[str, str], *, require_key: bool = True) -> tuple[RequestHeaders, ApiError | None]:
    """Read and judge the headers of a request (names are matched case-insensitively).

    Returns the headers and the error the API would answer, if any: the version is judged
    first, then the key, as the API does.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    version = lower.get("anthropic-version")
    betas = tuple(b.strip() for b in lower.get("anthropic-beta", "").split(",") if b.strip())
    key = lower.get("x-api-key", "").strip()
    auth = lower.get("authorization", "").strip()
    has_key = bool(key) or (auth[:7].lower() == "bearer " and bool(auth[7:].strip()))
    read = RequestHeaders(version=version, betas=betas, has_key=has_key, fault=lower.get("x-transcript-fault"))
    if version is None or not version.strip():
        return read, ApiError.of("invalid_request_error", "anthropic-version: header is required")
    if not valid_version(version.strip()):
        return read, ApiError.of("invalid_request_error", f'anthropic-version: "{version}" is not a valid version')
    if require_key and not has_key:
        return read, ApiError.of("authentication_error", "x-api-key header is required")
    return read, None
