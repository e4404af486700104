"""Every row of the converter spec's edge-case table (4.6, rows 1-51) as a test.

Rows 52-54 (legacy streams) belong to the stream replayer's tests.  Each case names the
spec diagnostics it expects; ``CODES`` maps those names onto the registered codes.
"""

from __future__ import annotations

from typing import Any

import pytest

from transcript import messages_to_prompt, prompt_to_messages
from transcript.legacy.migrate import (
    completion_request_to_messages,
    completion_to_message,
    message_to_completion,
)

CODES = {
    "E_CRLF_MARKERS": "P001",
    "W_CRLF_NORMALIZED": "P001",
    "W_MISSING_LEADING_NEWLINES": "P002",
    "I_NEAR_MISS_MARKER": "P003",
    "E_NO_HUMAN_TURN": "P004",
    "E_FIRST_TURN_NOT_HUMAN": "P005",
    "W_WHITESPACE_SYSTEM_DROPPED": "P006",
    "W_SYSTEM_UNWRAPPED": "P007",
    "I_NO_SEP": "P008",
    "W_FINAL_ASSISTANT_WHITESPACE": "P009",
    "W_PREFILL_RSTRIPPED": "P010",
    "E_PREFILL_TRAILING_WHITESPACE": "P010",
    "W_NO_FINAL_ASSISTANT": "P011",
    "E_NO_FINAL_ASSISTANT": "P011",
    "I_CONSECUTIVE_SAME_ROLE": "P012",
    "W_TURNS_JOINED": "P013",
    "E_EMPTY_TURN": "P014",
    "W_EMPTY_TURN_DROPPED": "P014",
    "W_EMPTY_TURN_PLACEHOLDER": "P014",
    "I_SYSTEM_BLOCKS_JOINED": "P101",
    "W_BLOCK_ATTR_DROPPED": "P102",
    "E_SYSTEM_ROLE_IN_MESSAGES": "P103",
    "I_SYSTEM_HOISTED": "P103",
    "E_UNKNOWN_ROLE": "P104",
    "I_TEXT_BLOCKS_JOINED": "P105",
    "E_UNSUPPORTED_BLOCK": "P106",
    "W_BLOCK_DROPPED": "P106",
    "W_BLOCK_PLACEHOLDER": "P106",
    "W_TOOL_XML": "P106",
    "E_MARKER_IN_CONTENT": "P107",
    "W_MARKER_DEFUSED": "P107",
    "W_EMPTY_TURN_RENDERED": "P109",
    "E_FIRST_MESSAGE_ASSISTANT": "P110",
    "W_FIRST_MESSAGE_ASSISTANT": "P110",
    "E_NO_MESSAGES": "P111",
    "I_CONSECUTIVE_SAME_ROLE_RENDERED": "P112",
    "I_PREFILL_TRAILING_WHITESPACE": "P113",
    "I_BUILTIN_STOP_REMOVED": "L001",
    "E_MODEL_ALIAS": "L002",
    "I_MODEL_MAPPED": "L002",
    "W_USAGE_UNAVAILABLE": "L005",
    "I_STOP_REASON_ASSUMED": "L006",
    "E_STOP_REASON_UNMAPPABLE": "L007",
}
SEVERITY = {"E": "error", "W": "warning", "I": "info"}


def found(conversion: Any) -> list[tuple[str, str]]:
    return sorted((d.code, d.severity.value) for d in conversion.diagnostics)


def expected(*names: str) -> list[tuple[str, str]]:
    return sorted((CODES[n], SEVERITY[n[0]]) for n in names)


def user(text: Any) -> dict[str, Any]:
    return {"role": "user", "content": text}


def assistant(text: Any) -> dict[str, Any]:
    return {"role": "assistant", "content": text}


def text(t: str) -> dict[str, str]:
    return {"type": "text", "text": t}


# (row, prompt, options, expected value or None, expected diagnostics)
PARSE_ROWS = [
    (1, "\n\nHuman: Hello\n\nAssistant:", {}, {"messages": [user("Hello")]}, []),
    (
        2,
        "Today is Jan 1.\n\nHuman: Hi\n\nAssistant:",
        {},
        {"system": "Today is Jan 1.", "messages": [user("Hi")]},
        [],
    ),
    (
        3,
        "\n\nHuman: Hello\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
        {},
        {"messages": [user("Hello"), assistant("Hi"), user("Q")]},
        [],
    ),
    (
        4,
        "\n\nHuman: Hello\n\nAssistant: Hello, my name is",
        {},
        {"messages": [user("Hello"), assistant("Hello, my name is")]},
        [],
    ),
    (
        5,
        "\n\nHuman: Hi\n\nAssistant: {\n",
        {},
        {"messages": [user("Hi"), assistant("{")]},
        ["W_PREFILL_RSTRIPPED"],
    ),
    ("5-strict", "\n\nHuman: Hi\n\nAssistant: {\n", {"strict": True}, None, ["E_PREFILL_TRAILING_WHITESPACE"]),
    (6, "\n\nHuman: Hi\n\nAssistant: ", {}, {"messages": [user("Hi")]}, ["W_FINAL_ASSISTANT_WHITESPACE"]),
    (7, "\n\nHuman:Hi\n\nAssistant:", {}, {"messages": [user("Hi")]}, ["I_NO_SEP"]),
    (8, "\n\nHuman:  Hi\n\nAssistant:", {}, {"messages": [user(" Hi")]}, []),
    (9, "\n\nHuman: a \n\nAssistant:", {}, {"messages": [user("a ")]}, []),
    (10, "\n\nHuman: line1\n\nline2\n\nAssistant:", {}, {"messages": [user("line1\n\nline2")]}, []),
    (11, "Human: Hi\n\nAssistant:", {}, {"messages": [user("Hi")]}, ["W_MISSING_LEADING_NEWLINES"]),
    (
        "12-strict",
        "\nHuman: Hi\n\nAssistant:",
        {"strict": True},
        None,
        ["E_NO_HUMAN_TURN", "I_NEAR_MISS_MARKER"],
    ),
    (
        "12-lenient",
        "\nHuman: Hi\n\nAssistant:",
        {"lenient_start": True},
        {"messages": [user("Hi")]},
        ["W_MISSING_LEADING_NEWLINES"],
    ),
    (13, "Hello, world", {}, None, ["E_NO_HUMAN_TURN"]),
    (14, "Hello\n\nAssistant:", {}, None, ["E_NO_HUMAN_TURN"]),
    (15, "\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:", {}, None, ["E_FIRST_TURN_NOT_HUMAN"]),
    ("16-strict", "\n\nHuman: Hi", {"strict": True}, None, ["E_NO_FINAL_ASSISTANT"]),
    ("16-default", "\n\nHuman: Hi", {}, {"messages": [user("Hi")]}, ["W_NO_FINAL_ASSISTANT"]),
    (
        17,
        "\n\nHuman: Hi \nAssistant:",
        {},
        {"messages": [user("Hi \nAssistant:")]},
        ["W_NO_FINAL_ASSISTANT", "I_NEAR_MISS_MARKER"],
    ),
    (
        18,
        "\n\nHuman: a\n\nHuman: b\n\nAssistant:",
        {},
        {"messages": [user("a"), user("b")]},
        ["I_CONSECUTIVE_SAME_ROLE"],
    ),
    (
        19,
        "\n\nHuman: a\n\nHuman: b\n\nAssistant:",
        {"merge": "blocks"},
        {"messages": [user([text("a"), text("b")])]},
        ["I_CONSECUTIVE_SAME_ROLE"],
    ),
    (
        20,
        "\n\nHuman: a\n\nAssistant: x\n\nAssistant: y",
        {},
        {"messages": [user("a"), assistant("x"), assistant("y")]},
        ["I_CONSECUTIVE_SAME_ROLE"],
    ),
    ("21-default", "\n\nHuman:\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:", {}, None, ["E_EMPTY_TURN"]),
    (
        "21-placeholder",
        "\n\nHuman:\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
        {"empty_turns": "placeholder:<ph>"},
        {"messages": [user("<ph>"), assistant("Hi"), user("Q")]},
        ["W_EMPTY_TURN_PLACEHOLDER"],
    ),
    (
        "21-drop",
        "\n\nHuman:\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
        {"empty_turns": "drop"},
        {"messages": [assistant("Hi"), user("Q")]},
        # the messages now start with the assistant: said as a warning
        ["W_EMPTY_TURN_DROPPED", "W_FIRST_TURN_NOT_HUMAN"],
    ),
    (22, "\n\nHuman: Quote: Human: hi\n\nAssistant:", {}, {"messages": [user("Quote: Human: hi")]}, []),
    (
        23,
        "\n\nHuman: a\nAssistant: b\n\nAssistant:",
        {},
        {"messages": [user("a\nAssistant: b")]},
        ["I_NEAR_MISS_MARKER"],
    ),
    (
        24,
        "\n\nHuman: x\n\nhuman: y\n\nAssistant:",
        {},
        {"messages": [user("x\n\nhuman: y")]},
        ["I_NEAR_MISS_MARKER"],
    ),
    (
        25,
        "\n\nHuman: H: hi\nA: hello\n\nAssistant:",
        {},
        {"messages": [user("H: hi\nA: hello")]},
        ["I_NEAR_MISS_MARKER"],
    ),
    ("26-default", "\r\n\r\nHuman: Hi\r\n\r\nAssistant:", {}, None, ["E_CRLF_MARKERS"]),
    ("26-strict", "\r\n\r\nHuman: Hi\r\n\r\nAssistant:", {"strict": True}, None, ["E_CRLF_MARKERS"]),
    (
        "26-normalize",
        "\r\n\r\nHuman: Hi\r\n\r\nAssistant:",
        {"normalize_newlines": True},
        {"messages": [user("Hi")]},
        ["W_CRLF_NORMALIZED"],
    ),
    (27, "  \n\nHuman: Hi\n\nAssistant:", {}, {"messages": [user("Hi")]}, ["W_WHITESPACE_SYSTEM_DROPPED"]),
    (28, "sys\n\n\n\nHuman: Hi\n\nAssistant:", {}, {"system": "sys\n\n", "messages": [user("Hi")]}, []),
    (
        29,
        "\n\nHuman: <admin>Be terse</admin>\n\nAssistant:",
        {},
        {"messages": [user("<admin>Be terse</admin>")]},
        [],
    ),
    (
        "29-unwrap",
        "\n\nHuman: <admin>Be terse</admin>\n\nHuman: Hi\n\nAssistant:",
        {"unwrap_system_tags": True},
        {"system": "Be terse", "messages": [user("Hi")]},
        ["W_SYSTEM_UNWRAPPED"],
    ),
    (30, "\n\nHuman: x\n\n\nAssistant:", {}, {"messages": [user("x\n")]}, []),
]

CODES["W_FIRST_TURN_NOT_HUMAN"] = "P005"


@pytest.mark.parametrize(
    ("row", "prompt", "options", "value", "diagnostics"),
    PARSE_ROWS,
    ids=[f"row-{r[0]}" for r in PARSE_ROWS],
)
def test_parse_row(row: object, prompt: str, options: dict[str, Any], value: Any, diagnostics: list[str]) -> None:
    """prompt -> messages gives the row's output and exactly the row's diagnostics."""
    conversion = prompt_to_messages(prompt, **options)
    assert conversion.value == value
    assert conversion.ok is (value is not None)
    assert found(conversion) == expected(*diagnostics)


def test_row_7_meta_records_the_missing_separator() -> None:
    """Row 7: sep_present=false is kept in meta, and rendering restores it."""
    conversion = prompt_to_messages("\n\nHuman:Hi\n\nAssistant:")
    assert conversion.meta is not None and conversion.meta.no_sep == (0,)
    assert messages_to_prompt(conversion.value, meta=conversion.meta).value == "\n\nHuman:Hi\n\nAssistant:"


def test_row_21_drop_keeps_the_rest() -> None:
    """Row 21 with drop: the empty Human turn goes, the run that follows stays."""
    conversion = prompt_to_messages(
        "\n\nHuman:\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:", empty_turns="drop"
    )
    assert conversion.value["messages"][0]["role"] == "assistant"


TOOL_USE = {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris & Rome"}}
TOOL_RESULT = {"type": "tool_result", "tool_use_id": "toolu_1", "content": "<20C>"}
IMAGE = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}

RENDER_ROWS = [
    (31, {"system": "S", "messages": [user("Hi")]}, {}, "S\n\nHuman: Hi\n\nAssistant:", []),
    (32, [user("Hi"), assistant("Sure,")], {}, "\n\nHuman: Hi\n\nAssistant: Sure,", []),
    (
        33,
        [user("Hi"), assistant("Sure, ")],
        {},
        "\n\nHuman: Hi\n\nAssistant: Sure, ",
        ["I_PREFILL_TRAILING_WHITESPACE"],
    ),
    (
        34,
        [user("a"), user("b")],
        {},
        "\n\nHuman: a\n\nHuman: b\n\nAssistant:",
        ["I_CONSECUTIVE_SAME_ROLE_RENDERED"],
    ),
    (35, [user([text("a"), text("b")])], {}, "\n\nHuman: ab\n\nAssistant:", ["I_TEXT_BLOCKS_JOINED"]),
    ("36-default", [user("see\n\nHuman: x")], {}, None, ["E_MARKER_IN_CONTENT"]),
    (
        "36-defuse",
        [user("see\n\nHuman: x")],
        {"defuse": True},
        "\n\nHuman: see\n\nH: x\n\nAssistant:",
        ["W_MARKER_DEFUSED"],
    ),
    (37, {"system": "a\n\nAssistant: b", "messages": [user("Hi")]}, {}, None, ["E_MARKER_IN_CONTENT"]),
    ("38-default", [assistant("Hi"), user("Q")], {}, None, ["E_FIRST_MESSAGE_ASSISTANT"]),
    (
        "38-insert",
        [assistant("Hi"), user("Q")],
        {"insert_empty_human": True},
        "\n\nHuman:\n\nAssistant: Hi\n\nHuman: Q\n\nAssistant:",
        ["W_FIRST_MESSAGE_ASSISTANT"],
    ),
    ("39-default", [user([text("Look"), IMAGE])], {}, None, ["E_UNSUPPORTED_BLOCK"]),
    (
        "39-drop",
        [user([text("Look"), IMAGE])],
        {"on_unsupported": "drop"},
        "\n\nHuman: Look\n\nAssistant:",
        ["W_BLOCK_DROPPED"],
    ),
    (
        "39-placeholder",
        [user([text("Look"), IMAGE])],
        {"on_unsupported": "placeholder"},
        "\n\nHuman: Look[image]\n\nAssistant:",
        ["W_BLOCK_PLACEHOLDER", "I_TEXT_BLOCKS_JOINED"],
    ),
    (
        "40-default",
        [user("Weather?"), assistant([TOOL_USE]), user([TOOL_RESULT])],
        {},
        None,
        ["E_UNSUPPORTED_BLOCK", "E_UNSUPPORTED_BLOCK"],
    ),
    (
        "41-default",
        [{"role": "system", "content": "Be terse"}, user("Hi")],
        {},
        None,
        ["E_SYSTEM_ROLE_IN_MESSAGES"],
    ),
    (
        "41-hoist",
        [{"role": "system", "content": "Be terse"}, user("Hi")],
        {"hoist_system": True},
        "Be terse\n\nHuman: Hi\n\nAssistant:",
        ["I_SYSTEM_HOISTED"],
    ),
    (42, [], {}, None, ["E_NO_MESSAGES"]),
    (
        43,
        {
            "system": [{"type": "text", "text": "A", "cache_control": {"type": "ephemeral"}}, text("B")],
            "messages": [user("Hi")],
        },
        {},
        "AB\n\nHuman: Hi\n\nAssistant:",
        ["I_SYSTEM_BLOCKS_JOINED", "W_BLOCK_ATTR_DROPPED"],
    ),
    (44, [user("")], {}, "\n\nHuman:\n\nAssistant:", ["W_EMPTY_TURN_RENDERED"]),
    (45, [user(" x")], {}, "\n\nHuman:  x\n\nAssistant:", []),
    (46, [user("x\n")], {}, "\n\nHuman: x\n\n\nAssistant:", []),
]


@pytest.mark.parametrize(
    ("row", "value", "options", "prompt", "diagnostics"),
    RENDER_ROWS,
    ids=[f"row-{r[0]}" for r in RENDER_ROWS],
)
def test_render_row(row: object, value: Any, options: dict[str, Any], prompt: Any, diagnostics: list[str]) -> None:
    """messages -> prompt gives the row's prompt and exactly the row's diagnostics."""
    conversion = messages_to_prompt(value, **options)
    assert conversion.value == prompt
    assert found(conversion) == expected(*diagnostics)


def test_row_40_tools_as_xml() -> None:
    """Row 40 with tools_as_xml: legacy <function_calls>/<function_results>, '&' escaped first."""
    conversion = messages_to_prompt(
        [user("Weather?"), assistant([TOOL_USE]), user([TOOL_RESULT])], tools_as_xml=True
    )
    assert found(conversion) == expected("W_TOOL_XML", "W_TOOL_XML")
    prompt = conversion.value
    assert "\n\nAssistant: <function_calls>\n<invoke>\n<tool_name>get_weather</tool_name>" in prompt
    assert "<city>Paris &amp; Rome</city>" in prompt
    assert "<function_results>\n<result>\n<tool_name>get_weather</tool_name>\n<stdout>\n&lt;20C&gt;\n</stdout>" in prompt
    assert prompt.endswith("</function_results>\n\nAssistant:")


@pytest.mark.parametrize(("row", "messages_row"), [(45, 8), (46, 30)])
def test_render_rows_round_trip(row: int, messages_row: int) -> None:
    """Rows 45 and 46 round-trip through rows 8 and 30."""
    render = {r[0]: r for r in RENDER_ROWS}[row]
    parse = {r[0]: r for r in PARSE_ROWS}[messages_row]
    back = prompt_to_messages(render[3])
    assert back.value == {"messages": render[1]} and back.diagnostics == ()
    # the parse row is the same shape: reading it and writing it back gives the same bytes
    read = prompt_to_messages(parse[1])
    assert messages_to_prompt(read.value).value == parse[1]


# ----------------------------------------------------------- rows 47-51


def test_row_47_request_parameters() -> None:
    """Row 47: max_tokens_to_sample -> max_tokens, the built-in stop sequence removed."""
    conversion = completion_request_to_messages(
        {
            "model": "claude-2.1",
            "prompt": "\n\nHuman: Hi\n\nAssistant:",
            "max_tokens_to_sample": 256,
            "stop_sequences": ["\n\nHuman:", "END"],
        }
    )
    assert conversion.value == {
        "model": "claude-2.1",
        "max_tokens": 256,
        "messages": [user("Hi")],
        "stop_sequences": ["END"],
    }
    assert found(conversion) == expected("I_BUILTIN_STOP_REMOVED")


def test_row_48_model_alias() -> None:
    """Row 48: claude-2 is an error unless a mapping names the model."""
    body = {"model": "claude-2", "prompt": "\n\nHuman: Hi\n\nAssistant:", "max_tokens_to_sample": 10}
    failed = completion_request_to_messages(body)
    assert failed.value is None
    assert found(failed) == expected("E_MODEL_ALIAS")
    mapped = completion_request_to_messages(body, model_map={"claude-2": "claude-sonnet-4-5"})
    assert mapped.value is not None and mapped.value["model"] == "claude-sonnet-4-5"
    assert found(mapped) == expected("I_MODEL_MAPPED")


def test_row_49_response_with_unknown_stop() -> None:
    """Row 49: the completion is kept verbatim, end_turn assumed, usage zero."""
    conversion = completion_to_message({"type": "completion", "completion": " Hi", "stop_reason": "stop_sequence"})
    value = conversion.value
    assert value["content"] == [text(" Hi")]
    assert value["stop_reason"] == "end_turn" and value["stop_sequence"] is None
    assert value["usage"] == {"input_tokens": 0, "output_tokens": 0}
    assert found(conversion) == expected("I_STOP_REASON_ASSUMED", "W_USAGE_UNAVAILABLE")


def test_row_50_bedrock_response_with_stop() -> None:
    """Row 50: Bedrock's 'stop' names the caller's sequence: stop_sequence kept."""
    conversion = completion_to_message(
        {"completion": " Hi", "stop_reason": "stop_sequence", "stop": "END"},
        request={"stop_sequences": ["END"]},
    )
    assert conversion.value["stop_reason"] == "stop_sequence"
    assert conversion.value["stop_sequence"] == "END"
    assert found(conversion) == expected("W_USAGE_UNAVAILABLE")


def test_row_51_unmappable_stop_reason() -> None:
    """Row 51: tool_use has no Text Completions stop reason."""
    conversion = message_to_completion(
        {
            "type": "message",
            "role": "assistant",
            "content": [text("Hi")],
            "stop_reason": "tool_use",
            "model": "claude-sonnet-4-5",
        }
    )
    assert conversion.value is None
    assert found(conversion) == expected("E_STOP_REASON_UNMAPPABLE")
