"""Legacy migration rules (``L0xx``): Text Completions request and response bodies.

The codes are emitted by :mod:`transcript.migrate`.  This module registers them, the
example runner for migration examples (a JSON body, migrated in the direction its shape
says), and the ``completion-request`` lint kind for legacy request bodies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from transcript.diagnostics import Diagnostic
from transcript.registry import example_runner, register

LEGACY = "legacy"

BUILTIN_STOP_REMOVED = register(
    "L001",
    "builtin-stop-removed",
    severity="info",
    summary="The built-in '\\n\\nHuman:' stop sequence was removed.",
    explanation="""
        Spec name: I_BUILTIN_STOP_REMOVED.

        Text Completions always stopped at `"\\n\\nHuman:"` ("Our models stop on
        "\\n\\nHuman:", and may include additional built-in stop sequences in the
        future") and code often listed it anyway.  Messages ends the turn by itself;
        keeping the sequence would turn natural `end_turn` stops into
        `stop_sequence` stops, so it is dropped when migrating.
    """,
    bad='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256, '
    '"stop_sequences": ["\\n\\nHuman:", "END"]}',
    good='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256, '
    '"stop_sequences": ["END"]}',
    kind=LEGACY,
)

MODEL_ALIAS = register(
    "L002",
    "model-alias",
    severity="error",
    summary="A major-only model alias (claude-2, claude-instant-1) has no Messages equivalent.",
    explanation="""
        Spec name: E_MODEL_ALIAS.

        The Messages API does not support the major-version aliases of the legacy
        models.  Name the model to use with `--model-map claude-2=<model id>`; a
        mapped model is reported as information.
    """,
    bad='{"model": "claude-2", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256}',
    good='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256}',
    kind=LEGACY,
)

UNSUPPORTED_PARAM = register(
    "L003",
    "unsupported-param",
    severity="error",
    summary="A Messages-only parameter has no Text Completions equivalent.",
    explanation="""
        Spec name: E_UNSUPPORTED_PARAM.

        Turning a Messages request into a Text Completions one, `tools`,
        `tool_choice`, `thinking` and every other Messages-only parameter cannot be
        expressed.
    """,
    bad='{"model": "claude-2.1", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}], '
    '"tools": [{"name": "t", "input_schema": {"type": "object"}}]}',
    good='{"model": "claude-2.1", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}',
    kind=LEGACY,
)

LEADING_SPACE_STRIPPED = register(
    "L004",
    "leading-space-stripped",
    severity="warning",
    summary="One leading space was removed from the completion.",
    explanation="""
        Spec name: W_LEADING_SPACE_STRIPPED.

        Completions began with a space (`" Hi, I'm Claude"`) because the prompt ended
        at `Assistant:`.  The text is kept verbatim by default; with
        `--strip-leading-space` exactly one space is removed, with this warning.
    """,
    bad='{"type": "completion", "completion": " Hi", "stop_reason": "max_tokens", "model": "claude-2.1"}',
    good='{"type": "completion", "completion": "Hi", "stop_reason": "max_tokens", "model": "claude-2.1"}',
    kind=LEGACY,
    example_options={"strip_leading_space": True},
)

USAGE_UNAVAILABLE = register(
    "L005",
    "usage-unavailable",
    severity="warning",
    summary="The completion has no token usage; the Message's usage is zero.",
    explanation="""
        Spec name: W_USAGE_UNAVAILABLE.

        Text Completions responses carry no usage, but a Message must.  Usage is set to
        zero input and output tokens, unless Bedrock's
        `amazon-bedrock-invocationMetrics` give the counts.
    """,
    bad='{"type": "completion", "completion": " Hi", "stop_reason": "max_tokens", "model": "claude-2.1"}',
    good='{"completion": " Hi", "stop_reason": "max_tokens", "amazon-bedrock-invocationMetrics": '
    '{"inputTokenCount": 10, "outputTokenCount": 2}}',
    kind=LEGACY,
)

STOP_REASON_ASSUMED = register(
    "L006",
    "stop-reason-assumed",
    severity="info",
    summary="'stop_sequence' without the matched sequence was taken as end_turn.",
    explanation="""
        Spec name: I_STOP_REASON_ASSUMED.

        A Text Completions `stop_reason` of `stop_sequence` meant "the model either
        ended its turn naturally, or one of your custom stop sequences was
        generated".  Messages tells these apart; without the matched sequence (Bedrock
        gives it as `stop`) the natural end, `end_turn`, is assumed.
    """,
    bad='{"type": "completion", "completion": " Hi", "stop_reason": "stop_sequence", "model": "claude-2.1"}',
    good='{"type": "completion", "completion": " Hi", "stop_reason": "stop_sequence", "stop": "END", '
    '"model": "claude-2.1"}',
    kind=LEGACY,
)

STOP_REASON_UNMAPPABLE = register(
    "L007",
    "stop-reason-unmappable",
    severity="error",
    summary="The Message's stop_reason has no Text Completions equivalent.",
    explanation="""
        Spec name: E_STOP_REASON_UNMAPPABLE.

        Text Completions only knew `stop_sequence` and `max_tokens`.  `tool_use`,
        `pause_turn`, `refusal` and the like cannot be expressed; with
        `--unmappable-stop stop_sequence` they become `stop_sequence`, with a warning.
    """,
    bad='{"type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": '
    '[{"type": "text", "text": "Hi"}], "stop_reason": "tool_use", "stop_sequence": null}',
    good='{"type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": '
    '[{"type": "text", "text": "Hi"}], "stop_reason": "end_turn", "stop_sequence": null}',
    kind=LEGACY,
)

MAX_TOKENS_ABOVE_CAP = register(
    "L008",
    "max-tokens-above-legacy-cap",
    severity="info",
    summary="max_tokens_to_sample is above what the legacy models produced.",
    explanation="""
        Text Completions did not validate `max_tokens_to_sample` ("capped values
        per-model"; Bedrock documents a maximum of 4096), while Messages rejects a
        `max_tokens` above the model's limit.  The value is carried over 1:1; check it
        against the model you migrate to.
    """,
    bad='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 100000}',
    good='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 4096}',
    kind=LEGACY,
)

INVALID_LEGACY_FIELD = register(
    "L009",
    "invalid-legacy-field",
    severity="error",
    summary="A required field is missing or a field has the wrong type.",
    explanation="""
        A Text Completions request needs a string `model`, a string `prompt` and an
        integer `max_tokens_to_sample` (and, when present, a list of strings for
        `stop_sequences`); a response needs a string `completion`.  The reverse
        directions need the Messages counterparts (`max_tokens`, text `content`...).
    """,
    bad='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": "256"}',
    good='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256}',
    kind=LEGACY,
)

UNKNOWN_FIELD = register(
    "L010",
    "unknown-legacy-field",
    severity="warning",
    summary="A field the converter does not know was carried over unchanged.",
    explanation="""
        Fields that are not part of the documented Text Completions body are kept as
        they are, but the Messages API rejects parameters it does not know; check
        whether the field is needed.
    """,
    bad='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256, '
    '"prompt_version": 2}',
    good='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256}',
    kind=LEGACY,
)

NOT_A_LEGACY_BODY = register(
    "L011",
    "not-a-migratable-body",
    severity="error",
    summary="The input is not a body that can be migrated in the asked direction.",
    explanation="""
        `transcript migrate` takes a Text Completions request (`prompt`,
        `max_tokens_to_sample`) or response (`completion`), or, towards Text
        Completions, a Messages request or a Message.  An object of another shape, a
        non-object, or a body already in the target format (`--to`) is reported here.
    """,
    bad='{"hello": "world"}',
    good='{"model": "claude-2.1", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256}',
    kind=LEGACY,
)

UNSUPPORTED_RESPONSE_BLOCK = register(
    "L012",
    "unsupported-response-block",
    severity="error",
    summary="The Message has content a completion cannot carry.",
    explanation="""
        A completion is one text.  A Message with tool_use, thinking or other non-text
        content blocks cannot be turned into one without losing them.
    """,
    bad='{"type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": '
    '[{"type": "tool_use", "id": "toolu_1", "name": "t", "input": {}}], "stop_reason": "end_turn"}',
    good='{"type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": '
    '[{"type": "text", "text": "Hi"}], "stop_reason": "end_turn"}',
    kind=LEGACY,
)


MIGRATED_REQUEST_REFUSED = register(
    "L013",
    "migrated-request-refused",
    severity="warning",
    summary="The migrated Messages request would be refused by the API for its model.",
    explanation="""
        A Text Completions request migrates field by field, but the Messages API judges
        the result by the model it names: newer models refuse `temperature` together with
        `top_p` ("`temperature` and `top_p` cannot both be specified for this model"),
        claude-opus-4-7 and later refuse sampling parameters, some models refuse a final
        assistant turn (a prefill), and every model caps `max_tokens`.  `migrate` runs the
        request linter on what it produced and reports each error it finds here, with the
        request rule's code and message, at the legacy field it came from.  The migrated
        body is still printed (a warning; an error with `--strict`): edit it, or map to
        another model with `--model-map`.
    """,
    bad='{"model": "claude-opus-4-7", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", '
    '"max_tokens_to_sample": 256, "temperature": 0.5}',
    good='{"model": "claude-opus-4-7", "prompt": "\\n\\nHuman: Hi\\n\\nAssistant:", "max_tokens_to_sample": 256}',
    kind=LEGACY,
)

@example_runner(LEGACY)
def _run_legacy_example(text: str, options: Mapping[str, Any]) -> Iterable[Diagnostic]:
    from transcript.migrate import migrate_text

    return migrate_text(text, **dict(options)).diagnostics


# ----------------------------------------------------------------------- lint kind


def looks_like_completion_request(text: str) -> bool:
    """A JSON object with both "prompt" and "max_tokens_to_sample" (cheap look, no parse)."""
    head = text.lstrip()
    return head.startswith("{") and '"max_tokens_to_sample"' in text and '"prompt"' in text


def looks_like_completion_response(text: str) -> bool:
    """A JSON object with a "completion" member and no Messages "content" (cheap look)."""
    head = text.lstrip()
    return head.startswith("{") and '"completion"' in text and '"content"' not in text and '"prompt"' not in text


def looks_like_completion_jsonl(text: str) -> bool:
    """The first line of a JSONL file is a Text Completions request or response."""
    import orjson

    stripped = text.lstrip()
    end = stripped.find("\n")
    first = stripped if end < 0 else stripped[:end]
    if not first.startswith("{"):
        return False
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        return '"max_tokens_to_sample"' in first
    from transcript.migrate import detect_body

    return detect_body(value) in ("completion-request", "completion-response")


def _lint_completion_jsonl(text: str, options: Any) -> list[Diagnostic]:
    from transcript.migrate import migrate_text

    return list(migrate_text(text, jsonl=True, strict=bool(getattr(options, "strict", False))).diagnostics)


def _lint_completion_request(text: str, options: Any) -> list[Diagnostic]:
    """What migrating the body reports (a request or a response: its shape decides)."""
    from transcript.migrate import migrate_text

    return list(migrate_text(text, strict=bool(getattr(options, "strict", False))).diagnostics)


def _register_kind() -> None:
    from transcript.lint import KINDS, register_kind

    if "completion-request" not in KINDS:
        register_kind(
            "completion-request",
            summary="A legacy Text Completions request body (prompt, max_tokens_to_sample)",
            extensions=(".json",),
            lint=_lint_completion_request,
            sniff=looks_like_completion_request,
            priority=1,
        )
    if "completion-jsonl" not in KINDS:
        # A specific sniffer (the first line must be a legacy body), so it goes before
        # the generic JSONL kind.
        register_kind(
            "completion-jsonl",
            summary="JSON Lines of legacy Text Completions request or response bodies",
            extensions=(".jsonl",),
            lint=_lint_completion_jsonl,
            sniff=looks_like_completion_jsonl,
            priority=25,
        )
    if "completion-response" not in KINDS:
        register_kind(
            "completion-response",
            summary="A legacy Text Completions response body (completion, stop_reason)",
            extensions=(".json",),
            lint=_lint_completion_request,
            sniff=looks_like_completion_response,
            priority=1,
        )


_register_kind()
