"""Requests recorded with their headers: raw HTTP request files and HAR entries' requests."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.lint import LintOptions
from transcript.lint.kinds import detect_kind
from transcript.lint.recorded import lint_har_requests, lint_http_request, split_http_request

BODY = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}


def http(headers: str, body: dict) -> str:
    return f"POST /v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\n{headers}\r\n\r\n" + json.dumps(body, indent=1)


def test_a_raw_request_is_split_and_its_body_linted_at_its_own_lines() -> None:
    text = http("anthropic-beta: a\r\nAnthropic-Beta: b", {**BODY, "betas": ["c"]})
    path, headers, body, start = split_http_request(text)
    assert (path, headers["anthropic-beta"], start) == ("/v1/messages", "a,b", 5)
    [d] = lint_http_request(text, LintOptions())
    assert d.code == "R016" and d.location.line == text.split("\n").index(' "betas": [') + 1


def test_the_headers_of_a_recorded_request_count() -> None:
    long = {**BODY, "messages": [{"role": "user", "content": "word " * 170_000}]}
    assert "R005" in [d.code for d in lint_http_request(http("x-api-key: k", long), LintOptions())]
    assert "R005" not in [d.code for d in lint_http_request(http("anthropic-beta: context-1m-2025-08-07", long), LintOptions())]


def test_curl_verbose_request_lines_are_read() -> None:
    text = "> POST /v1/messages HTTP/1.1\n> anthropic-beta: other\n>\n" + json.dumps({**BODY, "speed": "fast"})
    assert [d.code for d in lint_http_request(text, LintOptions())] == ["R017"]


def _har(body: dict, headers: list[dict], url: str = "https://api.anthropic.com/v1/messages") -> str:
    entry = {"request": {"method": "POST", "url": url, "headers": headers, "postData": {"text": json.dumps(body)}},
             "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}}
    return json.dumps({"log": {"entries": [{"request": {"method": "GET", "url": "https://example.com/"}}, entry]}}, indent=1)


def test_har_request_bodies_are_linted_with_their_headers_and_placed_at_the_entry() -> None:
    text = _har({**BODY, "fallback_credit_token": {"token": "t"}}, [{"name": "anthropic-beta", "value": "x"}])
    [d] = lint_har_requests(text, LintOptions())
    assert d.code == "R017" and d.message.startswith("HAR entry 1 request body at /fallback_credit_token:")
    assert d.location.pointer == "/log/entries/1/request/postData/text" and d.location.line is not None
    fine = _har({**BODY, "fallback_credit_token": {"token": "t"}}, [{"name": "Anthropic-Beta", "value": "fallback-credit-2026-07-01"}])
    assert lint_har_requests(fine, LintOptions()) == []
    counting = _har({k: v for k, v in BODY.items() if k != "max_tokens"}, [], url="https://api.anthropic.com/v1/messages/count_tokens")
    assert lint_har_requests(counting, LintOptions()) == []


def test_the_kind_is_told_by_its_first_line() -> None:
    assert detect_kind("req.http", http("a: b", BODY)).name == "http-request"
    assert detect_kind("-", http("a: b", BODY)).name == "http-request"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_never_raises(text: str) -> None:
    lint_http_request("POST /v1/messages HTTP/1.1\n" + text, LintOptions())
    lint_har_requests(text, LintOptions())


def test_a_curl_verbose_log_without_a_body_is_not_a_recorded_request() -> None:
    log = "> POST /v1/messages HTTP/1.1\n> anthropic-beta: x\n>\n} [120 bytes data]\n< HTTP/1.1 200 OK\n< content-type: text/event-stream\n"
    kind = detect_kind("capture.txt", log)
    assert kind is None or kind.name != "http-request"
    assert lint_http_request(log, LintOptions()) == []
