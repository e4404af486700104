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


@pytest.mark.parametrize("model", ["claude-sonnet-9", "gpt-4o", "", "claude", "claude-opus-4-9", "anthropic.", "x" * 500])
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


# -- the table is complete, self-describing and follows the SDK ---------------------------

import datetime as dt  # noqa: E402
import re  # noqa: E402
import typing  # noqa: E402

import orjson  # noqa: E402

from transcript.protocol.models import (  # noqa: E402
    MODEL_FIELDS,
    ModelId,
    later_rules,
    model_from_mapping,
    model_sources,
    parse_model_id,
    resolve_model,
)
from transcript.request.context import LintOptions  # noqa: E402
from transcript.request.lint import lint_request_value  # noqa: E402


def _raw_table() -> dict:
    from importlib import resources

    return orjson.loads(resources.files("transcript.protocol").joinpath("models.json").read_bytes())


def test_every_model_the_sdk_lists_is_known() -> None:
    anthropic = pytest.importorskip("anthropic")
    from anthropic.types.model import Model

    literal = typing.get_args(Model)[0]
    ids = typing.get_args(literal)
    assert len(ids) >= 20, anthropic.__version__
    unknown = [m for m in ids if lookup_model(m) is None]
    assert not unknown, f"SDK model ids missing from models.json: {unknown}"


def test_the_sdk_deprecation_table_is_followed() -> None:
    pytest.importorskip("anthropic")
    from anthropic._data.deprecated_models import DEPRECATED_MODELS

    for model, when in DEPRECATED_MODELS.items():
        info = lookup_model(model)
        assert info is not None and info.deprecated is True, model
        date = dt.datetime.strptime(re.sub(r"(\d)(st|nd|rd|th)", r"\1", when), "%B %d, %Y").date()
        assert info.retires == date.isoformat(), (model, when)


def test_every_value_cites_a_source_that_exists() -> None:
    raw = _raw_table()
    sources = model_sources()
    for entry in raw["models"]:
        cite = entry["cite"]
        for key, value in entry.items():
            if key in ("id", "cite") or value is None or value == []:
                continue
            assert key in cite, f"{entry['id']}.{key} has no source"
        for key, source in cite.items():
            assert key in MODEL_FIELDS, f"{entry['id']}: cites an unknown field {key}"
            assert source in sources, f"{entry['id']}.{key}: unknown source {source}"
    for rule in raw["later"]:
        assert rule["cite"] in sources
    assert all(len(text) > 40 for text in sources.values())


def test_unknown_values_are_said_to_be_unknown() -> None:
    raw = _raw_table()
    mythos = next(e for e in raw["models"] if e["id"] == "claude-mythos-5-1")
    assert mythos["max_output_tokens"] is None and mythos["cite"]["max_output_tokens"] == "not-documented"


@pytest.mark.parametrize(
    ("model", "parsed"),
    [
        ("claude-opus-4-7", ModelId("opus", (4, 7))),
        ("claude-opus-4-20250514", ModelId("opus", (4,), "20250514")),
        ("claude-sonnet-4-5-20250929", ModelId("sonnet", (4, 5), "20250929")),
        ("claude-3-5-sonnet-20241022", ModelId("sonnet", (3, 5), "20241022")),
        ("claude-3-opus-latest", ModelId("opus", (3,))),
        ("claude-mythos-preview", ModelId("mythos", None)),
        ("us.anthropic.claude-haiku-5-5-v1:0", ModelId("haiku", (5, 5))),
        ("claude-fable-9@20300101", ModelId("fable", (9,), "20300101")),
        ("claude-opus-5.5", ModelId("opus", (5, 5))),
    ],
)
def test_ids_are_parsed_into_family_version_and_date(model: str, parsed: ModelId) -> None:
    assert parse_model_id(model) == parsed


@pytest.mark.parametrize("model", ["gpt-4o", "claude", "claude-x-1", "claude-opus", "claude-2", ""])
def test_what_is_not_a_claude_model_id_is_not_parsed(model: str) -> None:
    assert parse_model_id(model) is None


def test_and_later_rules_apply_to_later_versions_with_an_info() -> None:
    [rule] = [r for r in later_rules() if r.family == "opus"]
    assert rule.values == {"sampling": False} and rule.since == (4, 7)
    guess = resolve_model("claude-opus-6-1")
    assert guess is not None and guess.inferred and guess.sampling is False and guess.later == ("Opus 4.7 and later",)
    earlier = resolve_model("claude-opus-4-6-fast")  # not an id shape: not inferred
    assert earlier is None
    assert resolve_model("claude-sonnet-7").sampling is None  # no Sonnet rule: nothing inferred
    found = lint_request_value({"model": "claude-opus-6-1", "max_tokens": 10, "top_k": 5,
                                "messages": [{"role": "user", "content": "x"}]})
    assert [d.code for d in found] == ["R011", "R013"]
    assert "inferred from its name as Opus 6.1" in found[1].message


def test_listed_models_get_the_later_rules_where_they_say_nothing() -> None:
    assert lookup_model("claude-opus-5").sampling is False  # stated by no page, filled in by the rule
    assert lookup_model("claude-opus-5").later == ("Opus 4.7 and later",)
    assert lookup_model("claude-opus-4-6").sampling is True  # before 4.7


def test_retired_is_an_error_and_deprecated_a_warning_with_its_date() -> None:
    request = {"model": "claude-opus-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "x"}]}
    [before] = [d for d in lint_request_value(request, LintOptions(today="2026-12-01")) if d.code == "R015"]
    assert before.severity.name == "WARNING" and "2027-01-22" in before.message
    [after] = [d for d in lint_request_value(request, LintOptions(today="2027-01-22")) if d.code == "R015"]
    assert after.severity.name == "ERROR"
    current = dict(request, model="claude-opus-5-5")
    assert not [d for d in lint_request_value(current, LintOptions()) if d.code == "R015"]


def test_an_entry_is_read_or_refused_with_the_key_at_fault() -> None:
    base = lookup_model("claude-opus-4-8")
    info = model_from_mapping("claude-opus-4-8", {"prefill": True, "effort": ["low"]}, base)
    assert info.prefill is True and info.effort == ("low",) and info.max_output_tokens == base.max_output_tokens
    for bad, words in (({"max_output_tokens": "big"}, "max_output_tokens"), ({"colour": 1}, "unknown key"),
                       ({"retires": "soon"}, "ISO date"), ({"prefill": "no"}, "true or false")):
        with pytest.raises(ValueError, match=words):
            model_from_mapping("claude-x", bad)


def test_overrides_win_over_the_table() -> None:
    mine = model_from_mapping("claude-opus-4-8", {"max_output_tokens": 10}, lookup_model("claude-opus-4-8"))
    assert resolve_model("claude-opus-4-8", {"claude-opus-4-8": mine}).max_output_tokens == 10
    assert resolve_model("claude-opus-4-8-20260528", {"claude-opus-4-8": mine}).max_output_tokens == 10


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parsing_and_resolving_never_raise(model: str) -> None:
    parse_model_id(model)
    info = resolve_model(model)
    assert info is None or info.inferred or lookup_model(model) is info


def test_the_sdk_thinking_deprecations_are_in_the_table() -> None:
    pytest.importorskip("anthropic")
    from anthropic._data.models_to_warn_with_thinking_enabled import MODELS_TO_WARN_WITH_THINKING_ENABLED

    for model in MODELS_TO_WARN_WITH_THINKING_ENABLED:
        assert "enabled" in (lookup_model(model).deprecated_thinking or ()), model
    request = {"model": "claude-mythos-preview", "max_tokens": 4096, "thinking": {"type": "enabled", "budget_tokens": 2048},
               "messages": [{"role": "user", "content": "x"}]}
    [d] = [d for d in lint_request_value(request, LintOptions()) if d.code == "R018"]
    assert d.severity.name == "WARNING" and "use thinking.type 'adaptive' instead" in d.message
