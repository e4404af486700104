"""The HTTP surface: answers, the API's error JSON and statuses, headers, limits."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from serve_helpers import HEADERS, body, running

from transcript.serve.errors import MAX_BODY
from transcript.serve.server import ServeOptions, ServerThread
from transcript.stream.replay import replay_file


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with running() as server:
        yield server


@pytest.fixture()
def client(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers=HEADERS, timeout=10) as client:
        yield client


def _error(response: httpx.Response, status: int, type_: str, message: str) -> None:
    assert response.status_code == status, response.text
    rid = response.headers["request-id"]
    assert rid.startswith("req_") and len(rid) == 28
    assert response.json() == {"type": "error", "error": {"type": type_, "message": message}, "request_id": rid}
    assert response.headers["content-type"] == "application/json"


def test_a_valid_request_gets_a_message(client: httpx.Client) -> None:
    r = client.post("/v1/messages", json=body())
    assert r.status_code == 200 and r.headers["request-id"].startswith("req_")
    message = r.json()
    assert message["type"] == "message" and message["content"] == [{"type": "text", "text": "Hello there"}]
    assert "x-transcript-warnings" not in r.headers


def test_a_stream_request_gets_sse_that_replays_to_the_same_message(client: httpx.Client) -> None:
    whole = client.post("/v1/messages", json=body()).json()
    r = client.post("/v1/messages", json=body(stream=True))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    result = replay_file(r.content, input_format="sse")
    assert result.ok and result.complete
    streamed = {**result.message}
    streamed.pop("stop_details")
    assert {k: v for k, v in streamed.items() if k not in ("id", "usage")} == {
        k: v for k, v in whole.items() if k not in ("id", "usage")
    }


def test_a_refused_request_gets_the_servers_400(client: httpx.Client) -> None:
    bad = body(messages=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Sure "}])
    _error(
        client.post("/v1/messages", json=bad),
        400,
        "invalid_request_error",
        "messages: final assistant content cannot end with trailing whitespace",
    )
    assert client.post("/v1/messages", json=bad).headers["x-should-retry"] == "false"


def test_the_location_is_the_servers_dotted_path(client: httpx.Client) -> None:
    bad = body(
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "a", "cache_control": {"type": "ephemeral", "ttl": "5m"}},
                    {"type": "text", "text": "b", "cache_control": {"type": "ephemeral", "ttl": "1h"}},
                ],
            }
        ]
    )
    r = client.post("/v1/messages", json=bad)
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("messages.0.content.1.cache_control.ttl: a ttl='1h' cache_control block")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"max_tokens": None}, "max_tokens: Field required"),
        ({"foo": 1}, "foo: Extra inputs are not permitted"),
        ({"model": 5}, "model: Input should be a valid string"),
        ({"temperature": 1.5}, "temperature: range: 0..1"),
        ({"messages": []}, "messages: at least one message is required"),
    ],
)
def test_schema_and_rule_errors_read_as_the_server_writes_them(client: httpx.Client, change: dict, message: str) -> None:
    sent = {k: v for k, v in {**body(), **change}.items() if v is not None}
    _error(client.post("/v1/messages", json=sent), 400, "invalid_request_error", message)


def test_warnings_do_not_block_and_come_back_in_a_header(client: httpx.Client) -> None:
    sent = body(messages=[{"role": "user", "content": "a"}, {"role": "user", "content": "b"}])
    r = client.post("/v1/messages", json=sent)
    assert r.status_code == 200
    (warning,) = json.loads(r.headers["x-transcript-warnings"])
    assert warning["code"] == "M001" and warning["pointer"] == "/messages/1/role"


def test_a_duplicate_key_is_a_warning_as_the_server_keeps_the_last(client: httpx.Client) -> None:
    text = '{"model": "claude-sonnet-4-5", "max_tokens": 1, "max_tokens": 8, "messages": [{"role": "user", "content": "x"}]}'
    r = client.post("/v1/messages", content=text, headers={"content-type": "application/json"})
    assert r.status_code == 200 and json.loads(r.headers["x-transcript-warnings"])[0]["code"] == "X006"


def test_malformed_json_gets_the_servers_message(client: httpx.Client) -> None:
    r = client.post("/v1/messages", content=b'{\n "model": ', headers={"content-type": "application/json"})
    _error(
        r, 400, "invalid_request_error", "The request body is not valid JSON: unexpected end of input: line 2 column 11 (char 12)"
    )
    _error(
        client.post("/v1/messages", content=b"", headers={"content-type": "application/json"}),
        400,
        "invalid_request_error",
        "The request body is not valid JSON: empty input: line 1 column 1 (char 0)",
    )


def test_a_body_that_is_not_an_object_is_refused(client: httpx.Client) -> None:
    r = client.post("/v1/messages", json=[1])
    assert r.status_code == 400 and r.json()["error"]["type"] == "invalid_request_error"


def test_a_wrong_content_type_is_refused(client: httpx.Client) -> None:
    r = client.post("/v1/messages", content=json.dumps(body()), headers={"content-type": "text/plain"})
    _error(r, 400, "invalid_request_error", "Content-Type must be application/json, not 'text/plain'")


@pytest.mark.parametrize(
    ("drop", "status", "type_", "message"),
    [
        ("anthropic-version", 400, "invalid_request_error", "anthropic-version: header is required"),
        ("x-api-key", 401, "authentication_error", "x-api-key header is required"),
    ],
)
def test_the_version_and_a_key_are_required(server: ServerThread, drop: str, status: int, type_: str, message: str) -> None:
    headers = {k: v for k, v in HEADERS.items() if k != drop}
    _error(httpx.post(server.base_url + "/v1/messages", json=body(), headers=headers), status, type_, message)


def test_a_bearer_token_is_a_key_and_an_unknown_version_is_refused(server: ServerThread) -> None:
    headers = {"authorization": "Bearer anything", "anthropic-version": "2023-06-01"}
    assert httpx.post(server.base_url + "/v1/messages", json=body(), headers=headers).status_code == 200
    headers["anthropic-version"] = "2023-06-01, 2023-06-01"
    _error(
        httpx.post(server.base_url + "/v1/messages", json=body(), headers=headers),
        400,
        "invalid_request_error",
        'anthropic-version: "2023-06-01, 2023-06-01" is not a valid version',
    )


def test_unknown_paths_and_methods(client: httpx.Client) -> None:
    _error(client.get("/v1/nothing"), 404, "not_found_error", "Not Found")
    r = client.get("/v1/messages")
    _error(r, 405, "invalid_request_error", "Method Not Allowed")
    assert r.headers["allow"] == "POST"


def test_a_body_over_32_mb_is_413(client: httpx.Client) -> None:
    r = client.post("/v1/messages", content=b" " * (MAX_BODY + 1), headers={"content-type": "application/json"})
    _error(r, 413, "request_too_large", "Request exceeds the maximum allowed number of bytes.")


def test_models_come_from_the_model_table(client: httpx.Client) -> None:
    page = client.get("/v1/models").json()
    ids = [m["id"] for m in page["data"]]
    assert "claude-sonnet-4-5-20250929" in ids and page["has_more"] is False and page["first_id"] == ids[0]
    assert client.get("/v1/models/claude-sonnet-4-5").json()["id"] == "claude-sonnet-4-5-20250929"
    _error(client.get("/v1/models/claude-nope"), 404, "not_found_error", "model: claude-nope")


def test_the_server_keeps_every_exchange(server: ServerThread, client: httpx.Client) -> None:
    before = len(server.service.exchanges)
    client.post("/v1/messages", json=body(messages=[]))
    last = server.service.exchanges[before]
    assert last.status == 400 and last.refused and [d.code for d in last.diagnostics] == ["R001"]
    assert "sk-test" not in repr(server.service.exchanges)


def test_unknown_models_are_answered_unless_asked_to_refuse_them(client: httpx.Client) -> None:
    r = client.post("/v1/messages", json=body(model="claude-sonet-4-5"))
    assert r.status_code == 200 and json.loads(r.headers["x-transcript-warnings"])[0]["code"] == "R013"
    with running(ServeOptions(refuse_unknown_models=True)) as strict:
        refused = httpx.post(strict.base_url + "/v1/messages", json=body(model="claude-sonet-4-5"), headers=HEADERS, timeout=10)
    _error(refused, 404, "not_found_error", "model: claude-sonet-4-5")
