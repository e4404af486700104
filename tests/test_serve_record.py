"""Record mode: a proxy to a second local server, and the directory it writes served back."""

from __future__ import annotations

import json
import time
from pathlib import Path

import anthropic
import httpx
from conftest import DATA
from serve_helpers import HEADERS, body, running

from transcript.serve.faults import parse_faults
from transcript.serve.record import Recorder
from transcript.serve.server import ServeOptions, ServerThread, build_service, read_sources

CORPUS = DATA / "corpus"
SECRET = "sk-ant-secret-that-must-never-be-written"


def test_record_then_serve_round_trip(tmp_path: Path) -> None:
    upstream_options = ServeOptions(sources=tuple(read_sources([str(CORPUS)])))
    recorded_request = (CORPUS / "llma_tool_use_stream.request.json").read_bytes()
    with running(upstream_options) as upstream:
        proxy = ServerThread(build_service(ServeOptions()), recorder=Recorder(tmp_path, upstream.base_url))
        with proxy:
            headers = {
                "x-api-key": SECRET,
                "authorization": f"Bearer {SECRET}",
                "cookie": f"s={SECRET}",
                "anthropic-version": "2023-06-01",
                "content-type": "application/json",
            }
            streamed = httpx.post(proxy.base_url + "/v1/messages", content=recorded_request, headers=headers, timeout=10)
            client = anthropic.Anthropic(base_url=proxy.base_url, api_key=SECRET, max_retries=0)
            message = client.messages.create(
                model="claude-sonnet-4-5", max_tokens=20, messages=[{"role": "user", "content": "Hi there"}]
            )
            refused = httpx.post(proxy.base_url + "/v1/messages", json=body(messages=[]), headers=headers, timeout=10)
            limited = httpx.post(
                proxy.base_url + "/v1/messages", json=body(), timeout=10, headers={**headers, "x-transcript-fault": "rate-limit"}
            )
        assert streamed.content == (CORPUS / "llma_tool_use_stream.sse").read_bytes()
        assert refused.status_code == 400
        assert limited.status_code == 200  # x-transcript-* headers are the proxy's own: not sent upstream
        assert [e.source.startswith("upstream:") for e in proxy.service.exchanges] == [True] * 4
        assert [d.code for d in proxy.service.exchanges[2].diagnostics] == ["R001"]

    names = sorted(p.name for p in tmp_path.iterdir())
    assert "0001-messages.request.json" in names and "0001-messages.sse" in names and "0001-messages.times.json" in names
    assert "0002-messages.response.json" in names and "0003-messages.meta.json" in names
    for path in tmp_path.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path
    assert (tmp_path / "0001-messages.request.json").read_bytes() == recorded_request
    meta = json.loads((tmp_path / "0003-messages.meta.json").read_text())
    assert meta["status"] == 400 and meta["path"] == "/v1/messages" and meta["headers"]["request-id"].startswith("req_")
    times = json.loads((tmp_path / "0001-messages.times.json").read_text())
    assert len(times) == (CORPUS / "llma_tool_use_stream.sse").read_bytes().count(b"\n\n") and times == sorted(times)

    with running(ServeOptions(sources=tuple(read_sources([str(tmp_path)])), lint=False)) as again:
        replayed = httpx.post(
            again.base_url + "/v1/messages",
            content=recorded_request,
            headers={**HEADERS, "content-type": "application/json"},
            timeout=10,
        )
        assert replayed.content == streamed.content
        client = anthropic.Anthropic(base_url=again.base_url, api_key="k", max_retries=0)
        assert (
            client.messages.create(
                model="claude-sonnet-4-5", max_tokens=20, messages=[{"role": "user", "content": "Hi there"}]
            ).content
            == message.content
        )
        # with linting off, the 400 comes from the recording of the upstream's answer
        again_refused = httpx.post(again.base_url + "/v1/messages", json=body(messages=[]), headers=HEADERS, timeout=10)
        assert again_refused.status_code == 400 and again_refused.json()["error"] == refused.json()["error"]


def test_an_upstream_that_does_not_answer_is_a_502(tmp_path: Path) -> None:
    proxy = ServerThread(build_service(ServeOptions()), recorder=Recorder(tmp_path, "http://127.0.0.1:9"))
    with proxy:
        r = httpx.post(proxy.base_url + "/v1/messages", json=body(), headers=HEADERS, timeout=10)
    assert r.status_code == 502 and r.json()["error"]["type"] == "api_error"
    assert not list(tmp_path.glob("*.request.json"))


def test_the_proxy_streams_the_answer_through_as_it_arrives(tmp_path: Path) -> None:
    slow = ServeOptions(faults=parse_faults("slow;delay=150"))
    with running(slow) as upstream:
        with ServerThread(build_service(ServeOptions()), recorder=Recorder(tmp_path, upstream.base_url)) as proxy:
            start = time.monotonic()
            arrivals = []
            with httpx.stream("POST", proxy.base_url + "/v1/messages", json=body(stream=True), headers=HEADERS, timeout=10) as r:
                for _ in r.iter_raw():
                    arrivals.append(time.monotonic() - start)
    assert len(arrivals) >= 3
    assert arrivals[0] < arrivals[-1] - 0.3  # the first events came long before the last
    times = json.loads(next(tmp_path.glob("*.times.json")).read_text())
    assert times[-1] - times[0] >= 0.15 * (len(times) - 2)
