"""The shipped schemas against the official Python SDK's types (``scripts/sdk_drift.py``).

Every request TypedDict (stable and beta ``MessageCreateParams``) and every response and
stream-event model is walked into one instance per field, union variant, literal value and
nullable field; the schemas must accept each (no V error for a request, no V diagnostic at
all for what the API sends).  What the schemas accept beyond the SDK is held against the
reviewed allow-list ``tests/data/sdk_drift_allowlist.txt``.  Offline: only the installed
package's type annotations are read.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("anthropic")

ROOT = Path(__file__).resolve().parent.parent
SURFACES = ("messages-request", "message", "stream-event")


@cache
def drift() -> Any:
    spec = importlib.util.spec_from_file_location("sdk_drift", ROOT / "scripts" / "sdk_drift.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("sdk_drift", module)
    spec.loader.exec_module(module)
    return module


@cache
def surface(name: str) -> Any:
    return drift().Surface(name, drift().sdk_surfaces()[name])


@pytest.mark.parametrize("name", SURFACES)
def test_the_schema_accepts_every_sdk_instance(name: str) -> None:
    refused = list(drift().refusals(surface(name)))
    shown = [f"{label}: {json.dumps(value)[:400]}\n    {diags[0]}" for label, value, diags in refused[:5]]
    assert not refused, f"{len(refused)} SDK-valid values refused:\n" + "\n".join(shown)


def test_the_walk_covers_stable_and_beta() -> None:
    labels = {label for label, _ in surface("messages-request").instances}
    assert labels == {"anthropic.types.MessageCreateParams", "anthropic.types.beta.MessageCreateParams",
                      "anthropic.types.MessageCountTokensParams", "anthropic.types.beta.MessageCountTokensParams"}
    assert len(surface("messages-request").instances) > 5000
    assert len(surface("message").instances) > 500
    assert len(surface("stream-event").instances) > 1000


def _instances_with(name: str, needle: str) -> list[Any]:
    return [v for _, v in surface(name).instances if needle in json.dumps(v)]


def test_the_walk_reaches_the_beta_shapes_that_were_refused() -> None:
    # each of these was a false error before the schemas were fixed (issue 9)
    assert _instances_with("messages-request", '"type": "tool_definition"')
    assert _instances_with("messages-request", '"tool_changes": [{"tool": {')
    assert _instances_with("messages-request", '"block_binding"')
    assert _instances_with("messages-request", '"clear_at"')
    assert _instances_with("messages-request", '"from": {"model"')
    assert _instances_with("message", '"input_transformations"')
    assert _instances_with("stream-event", '"estimated_tokens"')


def test_header_only_parameters_are_not_walked_into_bodies() -> None:
    for _, value in surface("messages-request").instances:
        assert not drift().HEADER_ONLY & set(value)


def test_a_schema_that_refuses_an_sdk_shape_is_caught() -> None:
    """The check can fail: a request instance the shipped schema would refuse is reported."""
    instance = next(v for v in _instances_with("messages-request", '"block_binding"')
                    if isinstance(v.get("thinking"), dict) and v["thinking"].get("block_binding"))
    broken = copy.deepcopy(instance)
    broken["thinking"]["block_binding"] = {"prefix_mismatch_behavior": "explode"}
    fake = drift().Surface.__new__(drift().Surface)
    fake.schema, fake.instances, fake.records = "messages-request", [("test", broken)], set()
    [(label, value, diags)] = list(drift().refusals(fake))
    assert diags[0].startswith("V004 /thinking/block_binding/prefix_mismatch_behavior")


def test_the_reverse_listing_finds_what_the_sdk_does_not_know() -> None:
    schema = copy.deepcopy(dict(drift().load_schema("messages-request")))
    schema["properties"]["hologram"] = {"type": "string"}
    records = drift().schema_records(schema)
    assert (".", "hologram", "string") in records - drift().schema_records(drift().load_schema("messages-request"))


@pytest.mark.parametrize("name", SURFACES)
def test_what_the_schema_accepts_beyond_the_sdk_is_allow_listed(name: str) -> None:
    allow = drift().read_allowlist()
    extra = {drift().format_record(name, r) for r in drift().reverse_listing(surface(name))}
    new = sorted(extra - set(allow))
    stale = sorted(e for e in allow if e.startswith(name + " ") and e not in extra)
    assert not new, "accepted by the schema, unknown to the SDK (review, then allow-list or fix):\n" + "\n".join(new)
    assert not stale, "allow-list lines no longer needed:\n" + "\n".join(stale)


def test_every_allow_list_line_gives_its_reason() -> None:
    for entry, reason in drift().read_allowlist().items():
        assert entry.split()[0] in SURFACES, entry
        assert len(reason) >= 10, f"{entry}: no reason given"


def _tags(union: Any) -> list[str]:
    import typing

    if typing.get_origin(union) is typing.Annotated:
        union = typing.get_args(union)[0]
    return [typing.get_args(m.model_fields["type"].annotation)[0] for m in typing.get_args(union)]


def test_the_replayer_knows_every_block_and_delta_of_the_sdk_streams() -> None:
    from anthropic.types import ContentBlock, RawContentBlockDelta
    from anthropic.types.beta import BetaContentBlock, BetaRawContentBlockDelta

    from transcript.protocol.vocabulary import BLOCK_TYPES, DELTA_TYPES, STABLE_BLOCK_TYPES

    assert set(_tags(BetaContentBlock)) == set(BLOCK_TYPES)
    assert set(_tags(ContentBlock)) == set(STABLE_BLOCK_TYPES)
    assert set(_tags(BetaRawContentBlockDelta)) == set(DELTA_TYPES) >= set(_tags(RawContentBlockDelta))
