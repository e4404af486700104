"""The library API: Conversion, prompt_to_messages, messages_to_prompt."""

from __future__ import annotations

import attrs
import pytest

import transcript
from transcript import Conversion, messages_to_prompt, prompt_to_messages
from transcript.core.diagnostics import Severity


def test_exports_from_the_package() -> None:
    """The converters are importable from transcript."""
    for name in ("Conversion", "prompt_to_messages", "messages_to_prompt", "migrate_text", "migrate_value"):
        assert name in transcript.__all__
        assert getattr(transcript, name) is not None


def test_conversion_is_frozen() -> None:
    """Conversion is an immutable value."""
    conversion = prompt_to_messages("\n\nHuman: Hi\n\nAssistant:")
    assert isinstance(conversion, Conversion)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        conversion.value = None  # type: ignore[misc]
    assert isinstance(conversion.diagnostics, tuple)


def test_ok_and_errors() -> None:
    """ok is false and value None when an error was raised."""
    failed = prompt_to_messages("no markers")
    assert not failed.ok and failed.value is None
    assert [d.code for d in failed.errors] == ["P004"]
    good = prompt_to_messages("\n\nHuman: Hi")
    assert good.ok and [d.severity for d in good.diagnostics] == [Severity.WARNING]


def test_prompt_diagnostics_have_line_and_column() -> None:
    """Parse diagnostics are located in the prompt."""
    conversion = prompt_to_messages("sys\n\nHuman: a\n\nHuman:\n\nAssistant:")
    found = {d.code: d for d in conversion.diagnostics}
    assert sorted(found) == ["P012", "P014"]
    d = found["P014"]
    assert (d.location.line, d.location.column, d.location.file) == (5, 1, None)


def test_render_from_json_text_is_located() -> None:
    """Given JSON text, render diagnostics carry pointer, line and column."""
    text = '{\n  "messages": [\n    {"role": "user", "content": "a\\n\\nHuman: b"}\n  ]\n}'
    conversion = messages_to_prompt(text)
    (d,) = conversion.diagnostics
    assert d.code == "P107"
    assert d.location.pointer == "/messages/0/content"
    assert (d.location.line, d.location.column) == (3, 33)


def test_render_from_invalid_json_text() -> None:
    """Invalid JSON text is X004, not an exception."""
    conversion = messages_to_prompt('{"messages": [')
    assert conversion.value is None and [d.code for d in conversion.diagnostics] == ["X004"]


def test_source_text_locates_a_parsed_value() -> None:
    """source_text gives line and column to a value parsed elsewhere."""
    import json

    text = '[\n{"role": "assistant", "content": "x"}]'
    conversion = messages_to_prompt(json.loads(text), source_text=text)
    (d,) = conversion.diagnostics
    assert d.code == "P110" and d.location.line == 2


def test_meta_round_trip_through_json() -> None:
    """Meta serialised to JSON and passed back reproduces the prompt."""
    prompt = "  \n\nHuman:a\n\nHuman: b\n\nAssistant:"
    conversion = prompt_to_messages(prompt)
    assert conversion.ok
    again = messages_to_prompt(conversion.value, meta=conversion.meta.to_json())
    assert again.value == prompt


def test_bad_meta_dict_is_reported() -> None:
    conversion = messages_to_prompt([{"role": "user", "content": "x"}], meta={"version": 99})
    assert conversion.value == "\n\nHuman: x\n\nAssistant:"
    assert [d.code for d in conversion.diagnostics] == ["P115"]


def test_option_errors_raise_value_error() -> None:
    """Bad option values are the caller's bug: ValueError."""
    with pytest.raises(ValueError):
        prompt_to_messages("x", merge="zip")
    with pytest.raises(ValueError):
        messages_to_prompt([], on_unsupported="zip")


def test_prompt_must_be_a_string() -> None:
    with pytest.raises(TypeError):
        prompt_to_messages(b"\n\nHuman: x")  # type: ignore[arg-type]


def test_a_parsed_json_string_is_not_parsed_again() -> None:
    """Regression: a file holding the JSON string "hello" was parsed, then its value parsed
    once more as JSON text, and reported as invalid JSON (X004) instead of as a string that
    is not a conversation (P114)."""
    conv = messages_to_prompt("hello", source_text='"hello"')
    assert [d.code for d in conv.diagnostics] == ["P114"]
    assert "not a string" in conv.diagnostics[0].message
    assert conv.diagnostics[0].location.line == 1
    # without source_text, a str is still JSON text
    assert [d.code for d in messages_to_prompt('"hello"').diagnostics] == ["P114"]


def test_options_object_equals_keywords() -> None:
    """options=ParseOptions(...) / RenderOptions(...) converts as the same keywords do."""
    from transcript.prompt.parse import ParseOptions
    from transcript.prompt.render import RenderOptions

    prompt = "\n\nHuman: a\n\nHuman: b\n\nAssistant:"
    by_keywords = prompt_to_messages(prompt, merge="join", join_separator=" | ")
    by_object = prompt_to_messages(prompt, options=ParseOptions(merge="join", join_separator=" | "))
    assert by_object == by_keywords
    assert by_object.value["messages"][0]["content"] == "a | b"
    messages = {"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}, {"type": "text", "text": "y"}]}]}
    rendered = messages_to_prompt(messages, options=RenderOptions(block_join="+"))
    assert rendered == messages_to_prompt(messages, block_join="+")
    assert rendered.value == "\n\nHuman: x+y\n\nAssistant:"


def test_options_object_and_changed_keyword_is_a_type_error() -> None:
    """A policy given both in options= and as a keyword is refused, as is a wrong options type."""
    from transcript.prompt.parse import ParseOptions
    from transcript.prompt.render import RenderOptions

    with pytest.raises(TypeError, match="merge"):
        prompt_to_messages("\n\nHuman: a\n\nAssistant:", options=ParseOptions(), merge="blocks")
    with pytest.raises(TypeError, match="defuse"):
        messages_to_prompt({"messages": []}, options=RenderOptions(), defuse=True)
    with pytest.raises(TypeError, match="ParseOptions"):
        prompt_to_messages("\n\nHuman: a\n\nAssistant:", options=RenderOptions())  # type: ignore[arg-type]
