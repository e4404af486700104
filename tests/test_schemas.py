"""The JSON Schemas in ``schemas/`` on their own, with a plain standalone validator.

Nothing here goes through :mod:`transcript.protocol.schema`: the files are read from disk and
checked with :mod:`jsonschema` directly, as any user of the schemas would.  Real recorded
traffic (``tests/data/corpus``, copied from the shared corpus; see its SOURCES.md) and
the shipped samples must validate; known-bad payloads must fail at the right place.
"""

from __future__ import annotations

import copy
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
SAMPLES = ROOT / "samples"
NAMES = ["messages-request", "message", "stream-event", "completion-request", "completion"]


@cache
def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def checker(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


def errors(name: str, value: Any) -> list[tuple[str, str]]:
    """(JSON pointer, keyword) of every error, with anyOf/oneOf never left unexplained."""
    out = []
    for e in checker(name).iter_errors(value):
        pointer = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in e.absolute_path)
        out.append((pointer, str(e.validator)))
    return out


def sse_events(path: Path) -> list[tuple[str | None, Any]]:
    """(event name, parsed data) of each event of an SSE file; data lines are joined by LF."""
    events = []
    name: str | None = None
    data: list[str] = []
    text = path.read_text(encoding="utf-8")
    for line in [*text.splitlines(), ""]:
        if not line:
            if data:
                events.append((name, json.loads("\n".join(data))))
            name, data = None, []
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
    return events


# -- the schemas themselves -------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_2020_12(name: str) -> None:
    """Each schema is valid under the draft 2020-12 metaschema and names itself."""
    s = schema(name)
    Draft202012Validator.check_schema(s)
    assert s["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert s["$id"] == f"https://transcript.dev/schemas/{name}.schema.json"


def test_every_ref_resolves() -> None:
    """Every local ``$ref`` points at an existing definition (no cross-file references)."""

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            return ([node["$ref"]] if "$ref" in node else []) + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    for name in NAMES:
        s = schema(name)
        for r in refs(s):
            assert r.startswith("#/$defs/"), r
            assert r.removeprefix("#/$defs/") in s["$defs"], f"{name}: {r}"
        # and every definition is used: reachable from the root
        defs = s.get("$defs", {})
        seen: set[str] = set()
        todo = [r.removeprefix("#/$defs/") for r in refs({k: v for k, v in s.items() if k != "$defs"})]
        while todo:
            d = todo.pop()
            if d not in seen:
                seen.add(d)
                todo.extend(r.removeprefix("#/$defs/") for r in refs(defs[d]))
        assert seen == set(defs), f"{name}: unused {sorted(set(defs) - seen)}"


def test_schema_files_match_their_generator() -> None:
    """The committed files are exactly what scripts/build_schemas.py writes."""
    spec = importlib.util.spec_from_file_location("build_schemas", ROOT / "scripts" / "build_schemas.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in NAMES:
        assert (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8") == module.render(name), name


# -- real traffic validates -------------------------------------------------------------


def _is_message(path: Path) -> bool:
    return json.loads(path.read_text(encoding="utf-8")).get("type") == "message"


def _answered_requests() -> list[Path]:
    """Requests of the corpus that the API answered: with a Message or a stream.

    Requests whose recorded response is an error (400, 404, 429) or that went to another
    endpoint (count_tokens, answered with a token count) are left out.
    """
    out = []
    for path in sorted(CORPUS.glob("*.request.json")):
        response = path.with_name(path.name.replace(".request.json", ".response.json"))
        if not response.exists() or _is_message(response):
            out.append(path)
    return out


def _messages() -> list[Path]:
    return [p for p in sorted(CORPUS.glob("*.response.json")) if _is_message(p)]


@pytest.mark.parametrize("path", _answered_requests(), ids=lambda p: p.name)
def test_real_requests_validate(path: Path) -> None:
    value = json.loads(path.read_text(encoding="utf-8"))
    name = "completion-request" if "prompt" in value else "messages-request"
    assert errors(name, value) == []


def test_corpus_has_what_the_tests_need() -> None:
    """The copied corpus covers requests of both APIs, Messages and streams."""
    requests = _answered_requests()
    assert len(requests) >= 30
    assert any("prompt" in json.loads(p.read_text(encoding="utf-8")) for p in requests)
    assert len(_messages()) >= 10
    assert len(list(CORPUS.glob("*.sse"))) >= 30


@pytest.mark.parametrize("path", _messages(), ids=lambda p: p.name)
def test_real_messages_validate(path: Path) -> None:
    value = json.loads(path.read_text(encoding="utf-8"))
    assert value["type"] == "message"
    assert errors("message", value) == []


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.sse")), ids=lambda p: p.name)
def test_real_stream_events_validate(path: Path) -> None:
    events = sse_events(path)
    assert events
    for event, data in events:
        name = "completion" if event == "completion" else "stream-event"
        assert errors(name, data) == [], (event, data)


def test_samples_validate() -> None:
    """Every valid request sample and every response sample validates."""
    requests = sorted((SAMPLES / "requests" / "valid").glob("*.json"))
    responses = sorted((SAMPLES / "responses").glob("*.json"))
    assert len(requests) >= 6 and len(responses) >= 2
    for path in requests:
        assert errors("messages-request", json.loads(path.read_text(encoding="utf-8"))) == [], path.name
    for path in responses:
        assert errors("message", json.loads(path.read_text(encoding="utf-8"))) == [], path.name


# -- known-bad payloads fail where they should ------------------------------------------

BASE = {"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hi"}]}


def req(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(BASE)
    out.update(changes)
    return out


def blocks(*content: Any) -> dict[str, Any]:
    return req(messages=[{"role": "user", "content": list(content)}])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (req(foo=1), ("", "additionalProperties")),
        (req(messages=[{"role": "user", "content": "Hi", "name": "bob"}]), ("/messages/0", "additionalProperties")),
        (blocks({"type": "txt", "text": "x"}), ("/messages/0/content/0/type", "enum")),
        (blocks({"type": "text", "text": "x", "extra": 1}), ("/messages/0/content/0", "additionalProperties")),
        (blocks({"type": "text"}), ("/messages/0/content/0", "required")),
        (
            blocks({"type": "image", "source": {"type": "path", "data": "x"}}),
            ("/messages/0/content/0/source/type", "enum"),
        ),
        (
            blocks({"type": "image", "source": {"type": "base64", "media_type": "image/bmp", "data": "x"}}),
            ("/messages/0/content/0/source/media_type", "enum"),
        ),
        (
            blocks({"type": "document", "source": {"type": "base64", "media_type": "image/png", "data": "x"}}),
            ("/messages/0/content/0/source/media_type", "const"),
        ),
        (blocks({"type": "tool_result", "tool_use_id": "toolu 1"}), ("/messages/0/content/0/tool_use_id", "pattern")),
        (
            blocks(
                {
                    "type": "tool_result",
                    "tool_use_id": "t1",
                    "content": [{"type": "thinking", "thinking": "", "signature": ""}],
                }
            ),
            ("/messages/0/content/0/content/0/type", "enum"),
        ),
        (req(messages=[{"role": "human", "content": "x"}]), ("/messages/0/role", "enum")),
        (req(messages=[{"role": "system", "content": [{"type": "image", "source": {"type": "url", "url": "u"}}]}]),
         ("/messages/0/content/0/type", "enum")),
        (req(messages=[{"role": "user", "content": 5}]), ("/messages/0/content", "type")),
        (req(max_tokens="1024"), ("/max_tokens", "type")),
        (req(max_tokens=-1), ("/max_tokens", "minimum")),
        (req(temperature=1.5), ("/temperature", "maximum")),
        (req(thinking={"type": "enabled", "budget_tokens": 100}), ("/thinking/budget_tokens", "minimum")),
        (req(thinking={"type": "on"}), ("/thinking/type", "enum")),
        (req(tool_choice={"type": "tool"}), ("/tool_choice", "required")),
        (req(cache_control={"type": "ephemeral", "ttl": "2h"}), ("/cache_control/ttl", "enum")),
        (req(tools=[{"type": "bash_20250124", "name": "shell"}]), ("/tools/0/name", "const")),
        (
            req(tools=[{"type": "bash_20250124", "name": "bash", "parameters": {}}]),
            ("/tools/0", "additionalProperties"),
        ),
        (req(tools=[{"name": "get weather", "input_schema": {"type": "object"}}]), ("/tools/0/name", "pattern")),
        (req(tools=[{"name": "f", "input_schema": {"type": "array"}}]), ("/tools/0/input_schema/type", "const")),
        (req(tools=[{"type": "web_search_2025", "name": "web_search"}]), ("/tools/0/type", "enum")),
        (req(output_config={"effort": "extreme"}), ("/output_config/effort", "enum")),
        (req(service_tier="priority"), ("/service_tier", "enum")),
        (req(system=[{"type": "text", "text": "x", "cache_control": {"type": "persistent"}}]),
         ("/system/0/cache_control/type", "const")),
    ],
)
def test_bad_requests_fail_at_the_right_place(value: Any, expected: tuple[str, str]) -> None:
    assert errors("messages-request", value) == [expected]


def test_a_missing_required_field_is_reported_once_per_field() -> None:
    assert errors("messages-request", {"model": "m"}) == [("", "required")] * 2
    assert errors("messages-request", []) == [("", "type")]


def test_responses_accept_unknown_types_but_not_unknown_fields() -> None:
    """New block, delta and event types pass; a misspelt field of a known type does not."""
    message = json.loads((SAMPLES / "responses" / "message-text.json").read_text(encoding="utf-8"))
    future = copy.deepcopy(message)
    future["content"].append({"type": "hologram", "frames": 3})
    assert errors("message", future) == []
    typo = copy.deepcopy(message)
    typo["content"][0]["txt"] = "x"
    assert errors("message", typo) == [("/content/0", "additionalProperties")]
    bad_reason = dict(message, stop_reason="finished")
    assert errors("message", bad_reason) == [("/stop_reason", "enum")]
    assert errors("stream-event", {"type": "message_teleport", "x": 1}) == []
    future_delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "hologram_delta"}}
    assert errors("stream-event", future_delta) == []
    assert errors("stream-event", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta"}}) == [
        ("/delta", "required")
    ]
    assert errors("stream-event", {"type": "content_block_stop", "index": -1}) == [("/index", "minimum")]


def test_legacy_schemas() -> None:
    good = {"model": "claude-2.1", "prompt": "\n\nHuman: Hi\n\nAssistant:", "max_tokens_to_sample": 256}
    assert errors("completion-request", good) == []
    assert errors("completion-request", {**good, "messages": []}) == [("", "additionalProperties")]
    assert errors("completion-request", {**good, "prompt": ["x"]}) == [("/prompt", "type")]
    done = {
        "type": "completion",
        "id": "compl_1",
        "completion": " Hi",
        "stop_reason": "stop_sequence",
        "model": "claude-2.1",
    }
    assert errors("completion", done) == []
    assert errors("completion", {**done, "stop_reason": "end_turn"}) == [("/stop_reason", "enum")]
