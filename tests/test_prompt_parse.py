"""prompt -> messages: the rules of spec 4.2 beyond the edge-case table, and the invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcript.core.diagnostics import Severity
from transcript.prompt.parse import MAX_NEAR_MISSES, ParseOptions, parse_prompt
from transcript.prompt.render import render_prompt

PIECES = [
    "\n\nHuman:",
    "\n\nAssistant:",
    "\n\nHuman: ",
    "\n\nAssistant: ",
    " ",
    "\n",
    "\n\n",
    "Human:",
    "\nHuman:",
    "\nAssistant:",
    "human:",
    "A:",
    "<admin>",
    "</admin>",
    "\r\n",
    "\r\n\r\nHuman:",
    "x",
    "hello",
    "日本語",
    "\t",
]
prompts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=16).map("".join)
TEXT_PIECES = ["x", "hello", " ", "\n", "Human:", "\nHuman:", "\nAssistant:", "human:", "A:", "日本語", "\r\n", "\t", "<admin>"]
turn_text = st.lists(st.sampled_from(TEXT_PIECES) | st.text(max_size=3), min_size=1, max_size=5).map("".join)


@st.composite
def structured_prompts(draw: st.DrawFn) -> str:
    """Prompts shaped like real ones (system, turns, an ending), with awkward text inside."""
    parts = [draw(st.sampled_from(["", "sys", "Be terse.\n", " sys"]) | turn_text)]
    roles = ["user"] + draw(st.lists(st.sampled_from(["user", "assistant"]), max_size=5))
    for role in roles:
        parts.append("\n\nHuman:" if role == "user" else "\n\nAssistant:")
        parts.append((" " if draw(st.booleans()) else "") + draw(turn_text))
    ending = draw(st.sampled_from(["slot", "prefill", "none"]))
    if ending == "slot":
        parts.append("\n\nAssistant:")
    elif ending == "prefill":
        parts.append("\n\nAssistant: " + draw(turn_text))
    return "".join(parts)


options = st.builds(
    ParseOptions,
    strict=st.booleans(),
    merge=st.sampled_from(["none", "blocks", "join"]),
    empty_turns=st.sampled_from(["error", "drop", "placeholder:[empty]"]),
    normalize_newlines=st.booleans(),
    lenient_start=st.booleans(),
    unwrap_system_tags=st.booleans(),
)


def codes(result: object) -> list[str]:
    return sorted(d.code for d in result.diagnostics)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(prompts, options)
def test_parse_never_raises(text: str, opts: ParseOptions) -> None:
    """Any string under any policy gives a result or diagnostics, never an exception."""
    result = parse_prompt(text, opts)
    assert (result.value is None) == any(d.severity is Severity.ERROR for d in result.diagnostics)
    for d in result.diagnostics:
        assert d.location.line is not None and d.location.line >= 1


@settings(max_examples=300, deadline=None)
@given(prompts | structured_prompts(), options)
def test_diagnostics_only_parse_reports_what_the_conversion_reports(text: str, opts: ParseOptions) -> None:
    """Lint's parse (no messages built) finds exactly the conversion's diagnostics."""
    full = parse_prompt(text, opts)
    quick = parse_prompt(text, opts, messages=False)
    assert quick.diagnostics == full.diagnostics
    assert quick.value is None and quick.meta is None


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_parse_never_raises_on_arbitrary_text(text: str) -> None:
    """Arbitrary unicode, not only marker-shaped text."""
    parse_prompt(text)


@settings(max_examples=400, deadline=None)
@given(structured_prompts() | prompts)
def test_info_only_parse_renders_back_byte_exact(text: str) -> None:
    """render(parse(p)) == p whenever parsing raised only information."""
    result = parse_prompt(text)
    if result.value is None or any(d.severity is not Severity.INFO for d in result.diagnostics):
        return
    assert render_prompt(result.value, meta=result.meta).text == text


def test_round_trip_examples_are_exercised() -> None:
    """The property above is not vacuous: these info-only prompts round-trip."""
    for text in [
        "\n\nHuman:Hi\n\nAssistant:",
        "sys\n\n\n\nHuman: a\n\nHuman:b\n\nAssistant: pre",
        "\n\nHuman: a\nA: b\n\nAssistant:",
    ]:
        result = parse_prompt(text)
        assert result.value is not None
        assert all(d.severity is Severity.INFO for d in result.diagnostics)
        assert render_prompt(result.value, meta=result.meta).text == text


def test_near_miss_is_located_at_the_word() -> None:
    """I_NEAR_MISS_MARKER points at the line that looks like a marker."""
    result = parse_prompt("\n\nHuman: a\nAssistant: b\n\nAssistant:")
    (d,) = result.diagnostics
    assert (d.code, d.location.line, d.location.column) == ("P003", 4, 1)
    assert "'Assistant:'" in d.message


@pytest.mark.parametrize(
    "text",
    ["\n\nHuman: x\nUser: y\n\nAssistant:", "\n\nHuman: x\n  HUMAN : y\n\nAssistant:", "\n\nHuman: x\n\nSystem: y\n\nAssistant:"],
)
def test_other_near_misses(text: str) -> None:
    """User:, HUMAN :, System: at a line start are near misses."""
    assert codes(parse_prompt(text)) == ["P003"]


def test_near_misses_are_capped() -> None:
    """A prompt with thousands of 'A:' lines reports a bounded number of them."""
    text = "\n\nHuman: " + "\nA: x" * 1000 + "\n\nAssistant:"
    result = parse_prompt(text)
    assert len(result.diagnostics) == MAX_NEAR_MISSES + 1


def test_strict_turns_every_repair_into_an_error() -> None:
    """Under strict, the default repairs are errors with the same codes."""
    for text, code in [
        ("Human: Hi\n\nAssistant:", "P002"),
        ("  \n\nHuman: Hi\n\nAssistant:", "P006"),
        ("\n\nHuman: Hi\n\nAssistant: ", "P009"),
        ("\n\nHuman: Hi\n\nAssistant: x ", "P010"),
        ("\n\nHuman: Hi", "P011"),
        ("\n\nHuman: a\n\nAssistant: x\n\nAssistant:", "P015"),
    ]:
        default = parse_prompt(text)
        strict = parse_prompt(text, ParseOptions(strict=True))
        assert default.value is not None, text
        assert [(d.code, d.severity) for d in default.diagnostics] == [(code, Severity.WARNING)]
        assert strict.value is None
        assert [(d.code, d.severity) for d in strict.diagnostics] == [(code, Severity.ERROR)]


def test_prefill_keeps_leading_whitespace() -> None:
    """Only trailing whitespace of the prefill is removed, never leading."""
    result = parse_prompt("\n\nHuman: Hi\n\nAssistant:  {\n \n")
    assert result.value["messages"][-1]["content"] == " {"
    assert result.meta.final_suffix == "\n \n"


def test_restore_prefill_whitespace_writes_the_suffix_back() -> None:
    """With meta and restore_prefill_whitespace the rstripped bytes come back."""
    from transcript.prompt.render import RenderOptions

    text = "\n\nHuman: Hi\n\nAssistant: {\n"
    result = parse_prompt(text)
    assert render_prompt(result.value, meta=result.meta).text == "\n\nHuman: Hi\n\nAssistant: {"
    restored = render_prompt(result.value, RenderOptions(restore_prefill_whitespace=True), meta=result.meta)
    assert restored.text == text


def test_assistant_turn_before_the_slot_keeps_its_marker_in_meta() -> None:
    """'...Assistant: x\\n\\nAssistant:' warns, and meta writes the final marker back."""
    text = "\n\nHuman: a\n\nAssistant: x\n\nAssistant:"
    result = parse_prompt(text)
    assert codes(result) == ["P015"]
    assert result.value["messages"][-1] == {"role": "assistant", "content": "x"}
    assert render_prompt(result.value, meta=result.meta).text == text


def test_merge_join_uses_the_separator() -> None:
    """merge=join joins a run's texts with join_separator and warns."""
    result = parse_prompt(
        "\n\nHuman: a\n\nHuman: b\n\nAssistant:", ParseOptions(merge="join", join_separator=" / ")
    )
    assert result.value == {"messages": [{"role": "user", "content": "a / b"}]}
    assert codes(result) == ["P012", "P013"]


def test_merge_blocks_gives_every_message_blocks() -> None:
    """With merge=blocks every message's content is a list of text blocks."""
    result = parse_prompt("\n\nHuman: a\n\nAssistant: b\n\nHuman: c\n\nAssistant:", ParseOptions(merge="blocks"))
    assert all(isinstance(m["content"], list) for m in result.value["messages"])


def test_crlf_inside_content_is_kept() -> None:
    """CRLF that is not part of a marker is content, verbatim."""
    result = parse_prompt("\n\nHuman: a\r\nb\n\nAssistant:")
    assert result.value["messages"][0]["content"] == "a\r\nb"
    assert result.diagnostics == ()


def test_drop_every_turn_leaves_nothing() -> None:
    """Dropping all empty turns of a prompt of only markers is an error."""
    result = parse_prompt("\n\nHuman:\n\nHuman: \n\nAssistant:", ParseOptions(empty_turns="drop"))
    assert result.value is None
    assert "P004" in codes(result)


def test_only_markers_is_an_error() -> None:
    """A prompt of only markers has empty turns."""
    result = parse_prompt("\n\nHuman:\n\nAssistant:")
    assert result.value is None and codes(result) == ["P014"]


@pytest.mark.parametrize("value", ["placeholder:", "placeholder:  ", "placeholder:\n\nHuman: x", "keep"])
def test_bad_empty_turn_policy_is_a_value_error(value: str) -> None:
    """Invalid option values raise (a usage error), content never does."""
    with pytest.raises(ValueError):
        ParseOptions(empty_turns=value)


def test_json_input_gets_a_hint() -> None:
    """JSON given as a prompt is E_NO_HUMAN_TURN with a hint to use --to prompt."""
    result = parse_prompt('{"messages": []}')
    (d,) = result.diagnostics
    assert d.code == "P004" and "--to prompt" in (d.hint or "")


def test_large_prompt_parses_linearly() -> None:
    """A prompt of 20k turns parses (correctness only; speed is shown by bench/)."""
    text = "".join(f"\n\nHuman: q{i}\n\nAssistant: a{i}" for i in range(10_000)) + "\n\nHuman: end\n\nAssistant:"
    result = parse_prompt(text)
    assert result.value is not None and len(result.value["messages"]) == 20_001

