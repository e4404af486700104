"""The model table and how ids resolve to it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.protocol.models import known_models, lookup_model


@pytest.mark.parametrize(
    ("model", "canonical"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929"),
        ("claude-3-5-sonnet-latest", "claude-3-5-sonnet-20241022"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219"),
        ("claude-sonnet-4-0", "claude-sonnet-4-20250514"),
        ("anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929"),
        ("us.anthropic.claude-opus-4-1-20250805-v1:0", "claude-opus-4-1-20250805"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5-20250929"),
        ("claude-opus-4-6", "claude-opus-4-6"),
        ("claude-opus-4-6-20260205", "claude-opus-4-6"),
        ("CLAUDE-HAIKU-4-5", "claude-haiku-4-5-20251001"),
    ],
)
def test_ids_resolve(model: str, canonical: str) -> None:
    info = lookup_model(model)
    assert info is not None and info.id == canonical


@pytest.mark.parametrize("model", ["claude-sonnet-5", "gpt-4o", "", "claude", "claude-opus-4-9", "anthropic.", "x" * 500])
def test_unknown_ids(model: str) -> None:
    assert lookup_model(model) is None


def test_wrong_types_are_unknown() -> None:
    assert lookup_model(None) is None and lookup_model(3) is None


def test_facts_from_the_seeds() -> None:
    """Prefill, sampling and system-message facts quoted in the data file's sources."""
    for model in ("claude-opus-4-6", "claude-opus-4-7", "claude-opus-4-8", "claude-sonnet-4-6"):
        assert lookup_model(model).prefill is False, model
    assert lookup_model("claude-sonnet-4-5").prefill is True
    assert lookup_model("claude-opus-4-7").sampling is False and lookup_model("claude-opus-4-8").sampling is False
    assert lookup_model("claude-opus-4-6").sampling is True
    assert lookup_model("claude-opus-4-8").system_messages is True
    assert lookup_model("claude-opus-4-7").system_messages is False
    assert lookup_model("claude-opus-4-5").max_output_tokens == 64000


def test_table_is_consistent() -> None:
    models = known_models()
    assert len(models) >= 15
    names = [n for m in models for n in (m.id, *m.aliases)]
    assert len(names) == len(set(names)), "an alias is listed twice"
    for m in models:
        if m.max_output_tokens_beta is not None:
            assert m.max_output_tokens_beta > m.max_output_tokens
        assert m.thinking is None or set(m.thinking) <= {"enabled", "adaptive"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_lookup_never_raises(model: str) -> None:
    lookup_model(model)
