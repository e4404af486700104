"""The official ``anthropic`` Python SDK against the server: sync and async, create and stream,
errors as the SDK raises them, retries driven by faults."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import anthropic
import pytest
from serve_helpers import running

from transcript.serve.server import ServerThread

MESSAGES = [{"role": "user", "content": "Tell me about pelicans"}]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with running() as server:
        yield server


def _client(server: ServerThread, **options: object) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=server.base_url, api_key="sk-test", **options)  # type: ignore[arg-type]


def _count(server: ServerThread, faults: str) -> int:
    return sum(1 for e in server.service.exchanges if faults in e.faults)


def test_create(server: ServerThread) -> None:
    message = _client(server).messages.create(model="claude-sonnet-4-5", max_tokens=3, messages=MESSAGES)
    assert message.content[0].text == "Tell me about"  # type: ignore[union-attr]
    assert message.stop_reason == "max_tokens" and message.usage.output_tokens == 3


def test_stream_gives_the_same_message_as_create(server: ServerThread) -> None:
    client = _client(server)
    created = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES)
    with client.messages.stream(model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES) as stream:
        texts = list(stream.text_stream)
        final = stream.get_final_message()
    assert "".join(texts) == "Tell me about pelicans"
    assert [b.text for b in final.content] == [b.text for b in created.content]  # type: ignore[union-attr]
    assert final.stop_reason == created.stop_reason == "end_turn" and final.usage.output_tokens == created.usage.output_tokens


def test_a_forced_tool_streams_its_input(server: ServerThread) -> None:
    tool = {
        "name": "lookup",
        "description": "Look up",
        "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]},
    }
    with _client(server).messages.stream(
        model="claude-sonnet-4-5",
        max_tokens=100,
        messages=MESSAGES,
        tools=[tool],
        tool_choice={"type": "tool", "name": "lookup"},  # type: ignore[list-item]
    ) as stream:
        final = stream.get_final_message()
    assert final.stop_reason == "tool_use" and final.content[0].input == {"q": "example"}  # type: ignore[union-attr]


def test_a_refused_request_raises_bad_request_with_the_servers_message(server: ServerThread) -> None:
    with pytest.raises(anthropic.BadRequestError) as info:
        _client(server).messages.create(
            model="claude-sonnet-4-5",
            max_tokens=100,
            messages=[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Well "}],
        )
    assert info.value.status_code == 400
    assert info.value.body == {
        "type": "error",
        "error": {
            "type": "invalid_request_error",
            "message": "messages: final assistant content cannot end with trailing whitespace",
        },
        "request_id": info.value.request_id,
    }
    assert str(info.value).startswith("Error code: 400")


@pytest.mark.parametrize(("fault", "status"), [("rate-limit", 429), ("overloaded", 529)])
def test_the_sdk_retries_until_the_fault_stops(server: ServerThread, fault: str, status: int) -> None:
    spec = f"{fault};times=2;retry-after=0.1"
    content = [{"role": "user", "content": f"retry {fault}"}]
    message = _client(server, max_retries=2).messages.create(
        model="claude-sonnet-4-5",
        max_tokens=10,
        messages=content,
        extra_headers={"x-transcript-fault": spec},  # type: ignore[arg-type]
    )
    assert message.content[0].text == f"retry {fault}"  # type: ignore[union-attr]
    assert _count(server, fault) == 2
    with pytest.raises(anthropic.APIStatusError) as info:
        _client(server, max_retries=1).messages.create(
            model="claude-sonnet-4-5",
            max_tokens=10,
            messages=[{"role": "user", "content": f"again {fault}"}],  # type: ignore[list-item]
            extra_headers={"x-transcript-fault": spec},
        )
    assert info.value.status_code == status


def test_a_stream_error_surfaces_as_the_sdks_error_with_status_200(server: ServerThread) -> None:
    with pytest.raises(anthropic.APIStatusError) as info:
        with _client(server).messages.stream(
            model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES, extra_headers={"x-transcript-fault": "stream-error"}
        ) as stream:
            for _ in stream:
                pass
    assert info.value.status_code == 200
    assert info.value.body["error"]["type"] == "overloaded_error"  # type: ignore[index]


def test_a_dropped_connection_breaks_the_stream_as_a_real_drop_does(server: ServerThread) -> None:
    # mid-stream, the SDK lets the HTTP client's error through (httpx's RemoteProtocolError)
    with pytest.raises(Exception, match="incomplete chunked read|peer closed connection") as info:
        with _client(server, max_retries=0).messages.stream(
            model="claude-sonnet-4-5", max_tokens=100, messages=MESSAGES, extra_headers={"x-transcript-fault": "disconnect"}
        ) as stream:
            for _ in stream:
                pass
    assert type(info.value).__name__ == "RemoteProtocolError"


def test_async_create_and_stream(server: ServerThread) -> None:
    async def main() -> tuple[str, str]:
        async with anthropic.AsyncAnthropic(base_url=server.base_url, api_key="sk-test") as client:
            created = await client.messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=MESSAGES)  # type: ignore[arg-type]
            async with client.messages.stream(model="claude-sonnet-4-5", max_tokens=50, messages=MESSAGES) as stream:  # type: ignore[arg-type]
                final = await stream.get_final_message()
            with pytest.raises(anthropic.BadRequestError):
                await client.messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=[])
            return created.content[0].text, final.content[0].text  # type: ignore[union-attr]

    assert asyncio.run(main()) == ("Tell me about pelicans", "Tell me about pelicans")


def test_many_concurrent_async_streams(server: ServerThread) -> None:
    async def one(client: anthropic.AsyncAnthropic, n: int) -> str:
        async with client.messages.stream(
            model="claude-sonnet-4-5", max_tokens=50, messages=[{"role": "user", "content": f"n {n}"}]
        ) as s:
            return (await s.get_final_message()).content[0].text  # type: ignore[union-attr]

    async def main() -> list[str]:
        async with anthropic.AsyncAnthropic(base_url=server.base_url, api_key="sk-test") as client:
            return await asyncio.gather(*(one(client, n) for n in range(40)))

    assert asyncio.run(main()) == [f"n {n}" for n in range(40)]
