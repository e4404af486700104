"""Requests recorded with their HTTP headers: a HAR entry's request, a raw HTTP request file.

The body of such a request is linted with the headers it was sent with, so the
``anthropic-beta`` names it carries count (the context window, the beta-only fields).  A HAR
entry's request is a JSON string inside the HAR; its diagnostics are placed at that string
and say which entry they are about.  A raw request file (``POST /v1/messages HTTP/1.1``, its
headers, a blank line, the body; what ``curl --trace-ascii``, mitmproxy or a proxy log
records, and ``curl -v`` output whose request lines start with ``> ``) is linted at the
body's own lines.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from transcript.core.diagnostics import Diagnostic, Location
from transcript.core.jsonpos import PointerIndex
from transcript.core.jsontext import load_json
from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_text

__all__ = ["split_http_request", "looks_like_http_request", "lint_http_request", "lint_har_requests", "with_headers"]

_REQUEST_LINE = re.compile(r"^(?:> )?(POST|PUT) (\S+) HTTP/\d(?:\.\d)?\r?$")
_HEADER = re.compile(r"^(?:> )?([A-Za-z0-9-]+):[ \t]*(.*?)\r?$")


def with_headers(options: LintOptions, headers: Mapping[str, str]) -> LintOptions:
    """``options`` with the request's own headers added (the options' own win)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return attrs.evolve(options, headers={**lowered, **options.headers})


def looks_like_http_request(text: str) -> bool:
    """A request line, headers and a JSON body (``curl -v`` output, which prints no request
    body, is left to the stream reader for the response it holds)."""
    parts = split_http_request(text)
    return parts is not None and parts[2].lstrip().startswith("{")


def split_http_request(text: str) -> tuple[str, dict[str, str], str, int] | None:
    """(path, headers, body, the 0-based line the body starts on), or ``None``."""
    lines = text.lstrip("\ufeff").split("\n")
    m = _REQUEST_LINE.match(lines[0])
    if m is None:
        return None
    headers: dict[str, str] = {}
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.strip() in ("", ">"):
            i += 1
            break
        h = _HEADER.match(line)
        if h:
            name = h.group(1).lower()
            headers[name] = f"{headers[name]},{h.group(2)}" if name in headers else h.group(2)
        i += 1
    body = lines[i:]
    if lines[0].startswith("> "):  # curl -v: the body, if any, ends where curl's own lines start
        for k, line in enumerate(body):
            if line.startswith(("< ", "* ", "} [", "{ [")):
                body = body[:k]
                break
    return m.group(2), headers, "\n".join(body), i


def lint_http_request(text: str, options: LintOptions) -> list[Diagnostic]:
    """Lint the body of a raw HTTP request with the headers it carries."""
    parts = split_http_request(text)
    if parts is None:
        return []
    path, headers, body, start = parts
    if not body.strip():
        return []  # a request recorded without its body: nothing to judge
    found = lint_request_text(body, with_headers(options, headers), count_tokens=path.rstrip("/").endswith("count_tokens"))
    return [d.with_location(d.location.shifted(start)) for d in found]


def _har_headers(request: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for h in request.get("headers") or ():
        if isinstance(h, dict) and isinstance(h.get("name"), str) and isinstance(h.get("value"), str):
            name = h["name"].lower()
            out[name] = f"{out[name]},{h['value']}" if name in out else h["value"]
    return out


def lint_har_requests(text: str, options: LintOptions) -> list[Diagnostic]:
    """Lint the Messages request body of every HAR entry, with the entry's request headers."""
    value, diags = load_json(text, check_duplicates=False)
    if diags or not isinstance(value, dict) or not isinstance(value.get("log"), dict):
        return []
    entries = value["log"].get("entries")
    if not isinstance(entries, list):
        return []
    index: PointerIndex | None = None
    out: list[Diagnostic] = []
    for i, entry in enumerate(entries):
        request = entry.get("request") if isinstance(entry, dict) else None
        if not isinstance(request, dict) or not isinstance(request.get("url"), str):
            continue
        url = request["url"].split("?", 1)[0].rstrip("/")
        if request.get("method") != "POST" or not (url.endswith("/v1/messages") or url.endswith("/v1/messages/count_tokens")):
            continue
        post = request.get("postData")
        body = post.get("text") if isinstance(post, dict) else None
        if not isinstance(body, str):
            continue
        found = lint_request_text(body, with_headers(options, _har_headers(request)), count_tokens=url.endswith("count_tokens"))
        if not found:
            continue
        index = index or PointerIndex(text)
        pointer = f"/log/entries/{i}/request/postData/text"
        at = index.locate(pointer)
        for d in found:
            where = f" at {d.location.pointer}" if d.location.pointer else ""
            out.append(
                attrs.evolve(
                    d,
                    message=f"HAR entry {i} request body{where}: {d.message}",
                    location=Location(line=at.line, column=at.column, pointer=pointer),
                )
            )
    return out
