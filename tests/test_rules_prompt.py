"""The P and L rule families: every spec diagnostic has a code, and the lint kinds."""

from __future__ import annotations

import re

import pytest

from transcript.legacy.migrate import (
    looks_like_completion_request,
    looks_like_completion_response,
)
from transcript.lint import KINDS, LintOptions, detect_kind, lint_text
from transcript.lint.families import load_all
from transcript.prompt.convert import looks_like_prompt

# Spec 4.8 names this converter emits (stream names belong to the stream replayer).
SPEC_NAMES = """
E_NO_HUMAN_TURN E_FIRST_TURN_NOT_HUMAN E_NO_FINAL_ASSISTANT E_PREFILL_TRAILING_WHITESPACE E_EMPTY_TURN
E_CRLF_MARKERS E_MARKER_IN_CONTENT E_UNSUPPORTED_BLOCK E_UNKNOWN_ROLE E_SYSTEM_ROLE_IN_MESSAGES
E_FIRST_MESSAGE_ASSISTANT E_NO_MESSAGES E_MODEL_ALIAS E_UNSUPPORTED_PARAM E_STOP_REASON_UNMAPPABLE
W_MISSING_LEADING_NEWLINES W_FINAL_ASSISTANT_WHITESPACE W_PREFILL_RSTRIPPED W_NO_FINAL_ASSISTANT
W_WHITESPACE_SYSTEM_DROPPED W_CRLF_NORMALIZED W_TURNS_JOINED W_EMPTY_TURN_DROPPED W_EMPTY_TURN_PLACEHOLDER
W_EMPTY_TURN_RENDERED W_BLOCK_DROPPED W_BLOCK_PLACEHOLDER W_BLOCK_ATTR_DROPPED W_TOOL_XML W_MARKER_DEFUSED
W_SYSTEM_LOOKS_LIKE_TURN W_SYSTEM_UNWRAPPED W_LEADING_SPACE_STRIPPED W_USAGE_UNAVAILABLE
I_NO_SEP I_PREFILL_TRAILING_WHITESPACE I_NEAR_MISS_MARKER I_CONSECUTIVE_SAME_ROLE I_TEXT_BLOCKS_JOINED
I_SYSTEM_BLOCKS_JOINED I_BUILTIN_STOP_REMOVED I_STOP_REASON_ASSUMED
""".split()


@pytest.mark.parametrize("name", SPEC_NAMES)
def test_every_spec_name_has_a_registered_code(name: str) -> None:
    """Each spec diagnostic name is findable in a P or L rule's explanation."""
    registry = load_all()
    holders = [
        r.code for r in registry if r.family in "PL" and re.search(rf"\b{name}\b", r.explanation)
    ]
    assert holders, name


def test_parse_codes_are_p0_and_render_codes_are_p1() -> None:
    registry = load_all()
    for r in registry.of_runner("prompt"):
        assert r.code.startswith("P0"), r.code
    for r in registry.of_runner("prompt-render"):
        assert r.code.startswith("P1"), r.code
    for r in registry.of_runner("legacy"):
        assert r.code.startswith("L0"), r.code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n\nHuman: hi\n\nAssistant:", True),
        ("Human: hi", True),
        ("\ufeffHuman: hi", True),
        ("hello\n\nAssistant:", True),
        ('{"prompt": "\\n\\nHuman: hi"}', False),
        ("event: ping\ndata: {}\n\n", False),
    ],
)
def test_prompt_sniffer(text: str, expected: bool) -> None:
    assert looks_like_prompt(text) is expected


def test_completion_request_sniffer() -> None:
    assert looks_like_completion_request('{"prompt": "x", "max_tokens_to_sample": 1}')
    assert not looks_like_completion_request('{"messages": [], "max_tokens": 1}')
    assert looks_like_completion_response('{"completion": " Hi", "stop_reason": "max_tokens"}')
    assert not looks_like_completion_response('{"type": "message", "content": []}')


def test_kinds_are_registered_and_detected() -> None:
    load_all()
    assert {"prompt", "completion-request"} <= set(KINDS)
    assert detect_kind("notes.txt", "\n\nHuman: a\n\nAssistant:").name == "prompt"
    assert detect_kind("x.prompt.txt", "anything").name == "prompt"
    assert detect_kind("req.json", '{"prompt": "x", "max_tokens_to_sample": 5}').name == "completion-request"
    assert detect_kind("resp.json", '{"completion": " x", "stop_reason": null}').name == "completion-response"
    jsonl = '{"prompt": "x", "max_tokens_to_sample": 5}\n{"prompt": "y", "max_tokens_to_sample": 5}\n'
    assert detect_kind("batch.jsonl", jsonl).name == "completion-jsonl"
    assert detect_kind("batch.jsonl", '{"custom_id": "a", "params": {}}\n').name != "completion-jsonl"


def test_lint_prompt_reports_every_problem() -> None:
    """Lint reports all diagnostics, not only the first fatal one."""
    diagnostics = lint_text("\n\nAssistant: a\n\nHuman:\n\nHuman: b", "prompt")
    assert sorted(d.code for d in diagnostics) == ["P005", "P011", "P012", "P014"]


def test_lint_prompt_strict_and_settings() -> None:
    text = "\n\nHuman:\n\nAssistant: a\n\nHuman: b\n\nAssistant:"
    assert [d.severity.value for d in lint_text(text, "prompt")] == ["error"]
    relaxed = lint_text(text, "prompt", LintOptions(settings={"prompt": {"empty_turns": "placeholder:x"}}))
    assert [d.severity.value for d in relaxed] == ["warning"]
    strict = lint_text("\n\nHuman: a", "prompt", LintOptions(strict=True))
    assert [d.severity.value for d in strict] == ["error"]
