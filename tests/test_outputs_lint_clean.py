"""Everything convert, migrate and replay write from every shipped sample lints with no error, as its kind.

The tool's own output must pass its own lint: a conversation written by ``convert`` is a
``conversation`` (no model, no max_tokens), a Message rebuilt from a Bedrock completion
(no id, no model) is a ``response``.  The one exception is a finding ``migrate`` itself
announced for its output (``L013``: the model the request names would refuse it), which
lint must then report too.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from transcript.core.diagnostics import Severity
from transcript.core.jsontext import json_bytes
from transcript.core.sources import Source
from transcript.legacy.migrate import migrate_text
from transcript.lint.driver import lint_source
from transcript.prompt.convert import messages_to_prompt, prompt_to_messages
from transcript.stream.replay import replay_file

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

MODEL_MAP = {
    "claude-1": "claude-sonnet-4-5",
    "claude-2": "claude-sonnet-4-5",
    "claude-2.1": "claude-sonnet-4-5",
    "claude-instant-1.2": "claude-haiku-4-5",
}


def valid_samples(*patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in SAMPLES.glob(pattern) if "invalid" not in p.parts)


def lint_as(name: str, data: bytes) -> tuple[str | None, list[str]]:
    kind, diagnostics = lint_source(Source(name=name, data=data))
    return kind, [f"{d.code} {d.message}" for d in diagnostics if d.severity is Severity.ERROR]


@pytest.mark.parametrize("sample", valid_samples("prompts/*.txt", "prompts/*.prompt"), ids=lambda p: p.name)
def test_convert_to_messages_lints_clean_as_a_conversation(sample: Path) -> None:
    conv = prompt_to_messages(sample.read_text(encoding="utf-8"))
    assert conv.value is not None
    kind, errors = lint_as("chat.messages.json", json_bytes(dict(conv.value)))
    assert kind == "conversation" and errors == []
    if conv.meta is not None:  # convert --meta: the round-trip data beside the messages
        kind, errors = lint_as("chat.messages.json", json_bytes({**conv.value, "meta": conv.meta.to_json()}))
        assert kind == "conversation" and errors == []


@pytest.mark.parametrize(
    "sample", valid_samples("requests/valid/*.json", "responses/*.json", "legacy/message_response.json"), ids=lambda p: p.name
)
def test_convert_to_prompt_lints_clean_as_a_prompt(sample: Path) -> None:
    conv = messages_to_prompt(orjson.loads(sample.read_bytes()))
    if conv.value is None:
        pytest.skip("not convertible to a prompt (images, tools...): nothing is written")
    kind, errors = lint_as("out.prompt", conv.value.encode("utf-8"))
    assert kind == "prompt" and errors == []


@pytest.mark.parametrize(
    "sample",
    valid_samples("legacy/*.json", "legacy/*.jsonl", "migrate/*.json", "requests/valid/*.json", "responses/*.json"),
    ids=lambda p: p.name,
)
def test_migrate_output_lints_clean_as_its_kind(sample: Path) -> None:
    request = None
    if sample.name == "bedrock_completion_response.json":
        request = orjson.loads((sample.parent / "bedrock_completion_request.json").read_bytes())
    migration = migrate_text(sample.read_text(encoding="utf-8"), model_map=MODEL_MAP, request=request)
    announced = {m.group(1) for d in migration.diagnostics if d.code == "L013" for m in [re.search(r": ([A-Z]\d{3}) ", d.message)] if m}
    records = [r for r in migration.records if r is not None]
    if not records:
        pytest.skip("not migratable (features the other API lacks): nothing is written")
    if migration.jsonl:
        kind, errors = lint_as("out.jsonl", b"".join(json_bytes(r, pretty=False) for r in records))
        assert kind in ("jsonl", "completion-jsonl")
    else:
        kind, errors = lint_as("out.json", json_bytes(records[0]))
        assert kind in ("request", "response", "completion-request", "completion-response")
    assert [e for e in errors if e.split()[0] not in announced] == []


@pytest.mark.parametrize("sample", valid_samples("streams/valid/*"), ids=lambda p: p.name)
def test_replayed_messages_lint_clean_as_responses(sample: Path) -> None:
    result = replay_file(str(sample))
    if result.message is None:
        pytest.skip("a legacy completion stream: replayed as a completion")
    kind, errors = lint_as("out.response.json", json_bytes(result.message))
    assert kind == "response" and errors == []


def test_a_bedrock_body_and_a_vertex_body_are_judged_for_their_provider() -> None:
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}
    assert lint_as("b.json", orjson.dumps(body)) == ("bedrock-request", [])
    twice = {**body, "messages": [{"role": "user", "content": "Hi"}, {"role": "user", "content": "again"}]}
    kind, errors = lint_as("b.json", orjson.dumps(twice))
    assert kind == "bedrock-request" and [e.split()[0] for e in errors] == ["M001"]  # an error on Bedrock only
    vertex = {**twice, "anthropic_version": "vertex-2023-10-16"}
    assert lint_as("v.json", orjson.dumps(vertex)) == ("vertex-request", [])
    wrong = {**body, "anthropic_version": "bedrock-2099-01-01"}
    assert [e.split()[0] for e in lint_as("b.json", orjson.dumps(wrong))[1]] == ["V004"]
    assert [e.split()[0] for e in lint_as("b.json", orjson.dumps({**body, "anthropic_beta": "x"}))[1]] == ["V003"]
