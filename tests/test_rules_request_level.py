"""Request-level rules (R0xx) beyond their examples."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import body, codes, found

from transcript.core.diagnostics import Severity
from transcript.lint import LintOptions
from transcript.request.lint import lint_request_value


def test_r001_only_for_an_empty_list() -> None:
    assert found(body([]), "R001")[0].location.pointer == "/messages"
    assert not found({"model": "claude-sonnet-4-5", "max_tokens": 5}, "R001")
    assert not found({"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": "hi"}, "R001")


@pytest.mark.parametrize(
    ("model", "max_tokens", "severity"),
    [
        ("claude-opus-4-5", 64001, Severity.ERROR),
        ("claude-opus-4-5-20251101", 64000, None),
        ("anthropic.claude-opus-4-1-20250805-v1:0", 32001, Severity.ERROR),
        ("claude-3-haiku-20240307", 4097, Severity.ERROR),
        ("claude-3-7-sonnet-20250219", 100_000, Severity.WARNING),  # needs the output-128k beta header
        ("claude-3-7-sonnet-20250219", 128_001, Severity.ERROR),
        ("claude-opus-4-8", 128_001, Severity.ERROR),  # 128K (the Opus 4.8 overview page)
        ("claude-mythos-5-1", 10_000_000, None),  # cap not known: not judged
        ("claude-sonnet-9", 10_000_000, None),  # unknown model: not judged
    ],
)
def test_r003_caps(model: str, max_tokens: int, severity: Severity | None) -> None:
    result = found(body(model=model, max_tokens=max_tokens), "R003")
    if severity is None:
        assert result == []
    else:
        assert [d.severity for d in result] == [severity]
        assert f"max_tokens: {max_tokens} >" in result[0].message


def test_r003_skips_wrong_types() -> None:
    assert not found(body(max_tokens=True), "R003")
    assert not found(body(max_tokens="100000000"), "R003")


def test_r004_r005_do_not_count_base64() -> None:
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "A" * 1_000_000}}
    msgs = [{"role": "user", "content": [image, {"type": "text", "text": "What is it?"}]}]
    result = codes(body(msgs, model="claude-3-haiku-20240307"))
    assert "R004" not in result and "R005" not in result


def _lint_with(value: object, **options: object) -> list[str]:
    return [d.code for d in lint_request_value(value, LintOptions(**options))]  # type: ignore[arg-type]


def test_the_window_is_the_one_the_headers_give() -> None:
    text = "word " * 170_000  # about 212k tokens estimated
    long = body([{"role": "user", "content": text}], model="claude-sonnet-4-5")
    assert found(body([{"role": "user", "content": text}], model="claude-3-haiku-20240307"), "R005")
    assert "R005" in _lint_with(long)  # 200K without the beta
    assert "R005" not in _lint_with(long, betas=["context-1m-2025-08-07"])  # 1M with it
    assert "R005" not in _lint_with(long, headers={"Anthropic-Beta": "foo, context-1m-2025-08-07"})
    assert "R005" not in found(body([{"role": "user", "content": text}], model="claude-opus-4-8"), "R005")  # 1M


def test_the_output_beta_is_judged_by_the_headers() -> None:
    request = body(model="claude-3-7-sonnet-20250219", max_tokens=100_000)
    assert "R003" not in _lint_with(request, betas=["output-128k-2025-02-19"])
    [d] = [d for d in lint_request_value(request, LintOptions(betas=["other"])) if d.code == "R003"]
    assert d.severity is Severity.ERROR and "output-128k-2025-02-19" in (d.hint or "")


@pytest.mark.parametrize(("value", "bad"), [(-1, True), (1.01, True), (0, False), (1, False), (0.5, False), (True, False)])
def test_r006_range(value: object, bad: bool) -> None:
    assert bool(found(body(temperature=value), "R006")) is bad


def test_r007_model_dependent() -> None:
    params = {"temperature": 0.5, "top_p": 0.9}
    assert found(body(model="claude-opus-4-1", **params), "R007")
    assert not found(body(model="claude-3-5-haiku-latest", **params), "R007")
    assert not found(body(model="some-proxy-model", **params), "R007")
    assert not found(body(model="claude-sonnet-4-5", temperature=0.5), "R007")


def test_r008_whitespace_only() -> None:
    result = found(body(stop_sequences=["ok", "", " \t\n", 5, "\nHuman:"]), "R008")
    assert [d.location.pointer for d in result] == ["/stop_sequences/1", "/stop_sequences/2"]
    assert not found(body(stop_sequences="\n"), "R008")


def test_r009_body_size() -> None:
    value = body()
    assert [d.code for d in lint_request_value(value, body_size=33 * 1024 * 1024) if d.code == "R009"] == ["R009"]
    assert not [d for d in lint_request_value(value, body_size=32 * 1024 * 1024) if d.code == "R009"]
    assert not [d for d in lint_request_value(value) if d.code == "R009"]


def test_r011_sampling_on_new_models() -> None:
    result = found(body(model="claude-opus-4-8", temperature=0.3, top_p=0.9, top_k=5), "R011")
    assert [d.location.pointer for d in result] == ["/temperature", "/top_p", "/top_k"]
    assert not found(body(model="claude-opus-4-8", temperature=1, top_p=1), "R011")
    assert not found(body(model="claude-opus-4-6", temperature=0.3), "R011")


def test_r011_does_not_double_with_r007() -> None:
    assert not found(body(model="claude-opus-4-7", temperature=0.3, top_p=0.9), "R007")


def test_r013_info_once() -> None:
    result = lint_request_value(body(model="mistral-large"), LintOptions())
    assert [(d.code, d.severity) for d in result] == [("R013", Severity.INFO)]
    assert not found(body(model=5), "R013")


def test_r014_effort_levels() -> None:
    assert found(body(model="claude-opus-4-5", output_config={"effort": "max"}), "R014")
    assert not found(body(model="claude-opus-4-6", output_config={"effort": "low"}), "R014")
    assert not found(body(model="claude-sonnet-4-5", output_config={"effort": "xhigh"}), "R014")  # not known
    assert not found(body(model="claude-opus-4-6", output_config={"effort": ["max"]}), "R014")
    assert not found(body(model="claude-opus-4-6", output_config="max"), "R014")


@pytest.mark.parametrize("max_tokens", [100_000.0, 1e5, 1e300])
def test_integral_floats_are_judged_as_the_integers_the_api_reads(max_tokens: float) -> None:
    """The API reads 100000.0 as 100000: the numeric rules judge it the same (regression)."""
    assert found(body(model="claude-sonnet-4-5", max_tokens=max_tokens), "R003")
    assert not found(body(model="claude-sonnet-4-5", max_tokens=1000.0), "R003")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=400_000), st.integers(min_value=1, max_value=250_000), st.booleans())
def test_the_body_size_shortcut_never_changes_the_context_rules(chars: int, max_tokens: int, escaped: bool) -> None:
    """R004/R005 are skipped without counting when a quarter of the body's size fits the
    window: the verdict is the one the count gives."""
    text = ("\n" if escaped else "a") * chars
    value = {"model": "claude-3-haiku-20240307", "max_tokens": max_tokens, "messages": [{"role": "user", "content": text}]}
    size = len(json.dumps(value))
    with_size = {d.code for d in lint_request_value(value, body_size=size)} & {"R004", "R005"}
    counted = {d.code for d in lint_request_value(value)} & {"R004", "R005"}
    assert with_size == counted


def test_a_warning_at_messages_leaves_the_limit_on_their_number_standing() -> None:
    """R005 (a warning, at /messages) once took the place of the schema's error at the same
    pointer: 100,001 messages passed with a warning about their length only."""
    messages = [{"role": "user" if i % 2 == 0 else "assistant", "content": "hi there"} for i in range(100_001)]
    result = codes(body(messages))
    assert "R005" in result and "V005" in result
