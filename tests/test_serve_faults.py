"""Faults: the spec, the attempts counted per request, and what each kind does on the wire."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from serve_helpers import HEADERS, body, running

from transcript.serve.faults import Fault, FaultError, FaultLedger, parse_faults
from transcript.serve.server import ServeOptions, ServerThread
from transcript.stream.replay import replay_file


def test_specs_are_read_with_their_parameters() -> None:
    assert parse_faults("rate-limit;times=2;retry-after=3, slow;delay=50") == (
        Fault("rate-limit", 2, 3.0, 0.1),
        Fault("slow", None, 1.0, 0.05),
    )
    for bad, why in [
        ("meteor", "unknown fault"),
        ("slow;delay=x", "must be a number"),
        ("overloaded;times=-1", "whole number"),
        ("api-error;when=now", "unknown parameter"),
        ("truncate;times", "key=value"),
    ]:
        with pytest.raises(FaultError, match=why):
            parse_faults(bad)


def test_times_counts_the_attempts_of_the_same_request_only() -> None:
    ledger, fault = FaultLedger(), Fault("overloaded", times=2)
    a, b = FaultLedger.key("/v1/messages", b"a"), FaultLedger.key("/v1/messages", b"b")
    assert [bool(ledger.active([fault], a)) for _ in range(3)] == [True, True, False]
    assert ledger.active([fault], b) == (fault,)
    assert all(ledger.active([Fault("overloaded")], a) for _ in range(5))


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with running() as server:
        yield server


def _post(server: ServerThread, fault: str, **extra: object) -> httpx.Response:
    return httpx.post(
        server.base_url + "/v1/messages", json=body(**extra), headers={**HEADERS, "x-transcript-fault": fault}, timeout=10
    )


@pytest.mark.parametrize(
    ("fault", "status", "type_"),
    [
        ("rate-limit", 429, "rate_limit_error"),
        ("overloaded", 529, "overloaded_error"),
        ("api-error", 500, "api_error"),
        ("stream-error", 529, "overloaded_error"),
    ],
)
def test_status_faults(server: ServerThread, fault: str, status: int, type_: str) -> None:
    r = _post(server, fault)
    assert r.status_code == status and r.json()["error"]["type"] == type_ and r.headers["x-should-retry"] == "true"
    if fault == "rate-limit":
        assert r.headers["retry-after"] == "1"


def test_stream_error_comes_after_the_first_content_delta_in_a_200(server: ServerThread) -> None:
    r = _post(server, "stream-error", stream=True)
    assert r.status_code == 200
    names = [line[7:] for line in r.text.splitlines() if line.startswith("event: ")]
    assert names[-2:] == ["content_block_delta", "error"] and names.count("content_block_delta") == 1
    result = replay_file(r.content, input_format="sse")
    assert result.error == {"type": "overloaded_error", "message": "Overloaded"}


def test_truncate_ends_the_stream_without_message_stop(server: ServerThread) -> None:
    r = _post(server, "truncate", stream=True)
    assert r.status_code == 200 and "message_stop" not in r.text and "message_delta" in r.text
    assert [d.code for d in replay_file(r.content, input_format="sse").diagnostics] == ["S111"]
    cut = _post(server, "truncate")
    with pytest.raises(ValueError):
        cut.json()


def test_disconnect_drops_a_json_answer_mid_body(server: ServerThread) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        _post(server, "disconnect")


def test_slow_waits_before_the_headers_and_between_events(server: ServerThread) -> None:
    start = time.monotonic()
    r = _post(server, "slow;delay=40", stream=True)
    events = r.text.count("\n\n")
    assert time.monotonic() - start >= 0.04 * events and r.status_code == 200


def test_a_bad_fault_header_is_a_400() -> None:
    with running() as server:
        r = _post(server, "meteor")
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("x-transcript-fault: unknown fault 'meteor'")


def test_a_fault_given_to_the_server_hits_every_request() -> None:
    with running(ServeOptions(faults=parse_faults("overloaded;times=1"))) as server:
        first = httpx.post(server.base_url + "/v1/messages", json=body(), headers=HEADERS, timeout=10)
        again = httpx.post(server.base_url + "/v1/messages", json=body(), headers=HEADERS, timeout=10)
    assert (first.status_code, again.status_code) == (529, 200)
