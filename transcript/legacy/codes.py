"""Legacy rules: ``L0xx`` for migrating Text Completions request and response bodies,
``L1xx`` for replaying legacy Text Completions streams (their examples are streams).

The ``L0xx`` codes are emitted by :mod:`transcript.legacy.migrate`; their examples are JSON
bodies, migrated in the direction their shape says (runner ``legacy``).  The ``L1xx``
codes are emitted by :mod:`transcript.stream.completion`; their examples are streams
(runner ``stream``).
"""

from __future__ import annotations

import json
from typing import Any

from transcript.core.registry import register

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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
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
    runner=LEGACY,
)


def _sse(event: str, data: dict[str, Any]) -> str:
    return f"event: {event}\ndata: {json.dumps(data)}\n\n"


_STREAM_EVENTS: list[dict[str, Any]] = [
    {"type": "message_start", "message": {"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                                          "content": [], "stop_reason": None, "stop_sequence": None,
                                          "usage": {"input_tokens": 10, "output_tokens": 1}}},
    {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
    {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hello"}},
    {"type": "content_block_stop", "index": 0},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 5}},
    {"type": "message_stop"},
]
_MESSAGES_STREAM = "".join(_sse(str(e["type"]), e) for e in _STREAM_EVENTS)


# --- L1xx: legacy Text Completions streams, replayed by transcript.stream ----------------------


def _completion(text: str, stop_reason: str | None = None, **extra: Any) -> str:
    return _sse("completion", {"type": "completion", "completion": text, "stop_reason": stop_reason, "model": "claude-2.1", **extra})


LEGACY_GOOD = _completion(" Hello") + _completion("!") + _completion("", "stop_sequence", stop="\n\nHuman:")

NONMONOTONIC_CUMULATIVE_STREAM = register(
    "L101",
    "nonmonotonic-cumulative-stream",
    severity="error",
    summary="A cumulative (pre-2023-06-01) completion stream whose text does not only grow.",
    explanation="""
        Before API version 2023-06-01 every `completion` event carried the whole text so far,
        and a client took the difference from the previous one.  Each chunk must extend the
        previous; one that does not cannot be turned into deltas
        (E_NONMONOTONIC_CUMULATIVE_STREAM in the converter spec).
    """,
    bad='data: {"completion": " Hello", "stop_reason": null}\n\ndata: {"completion": " Help", "stop_reason": null}\n\ndata: {"completion": " Help", "stop_reason": "stop_sequence"}\n\ndata: [DONE]\n\n',
    good='data: {"completion": " Hello", "stop_reason": null}\n\ndata: {"completion": " Hello my", "stop_reason": null}\n\ndata: {"completion": " Hello my", "stop_reason": "stop_sequence"}\n\ndata: [DONE]\n\n',
    runner="stream",
)

LEGACY_STREAM_FIELDS = register(
    "L102",
    "legacy-stream-fields",
    severity="warning",
    summary="A legacy completion event carries `exception` or `truncated`.",
    explanation="""
        Old completion streams could report `exception` (an error text) and `truncated`
        (the output was cut).  The Messages protocol has no such fields; they are reported
        so nothing is lost silently (W_LEGACY_FIELDS in the converter spec).
    """,
    bad=_completion(" Hello", exception=None, truncated=True) + _completion("", "max_tokens"),
    good=LEGACY_GOOD,
    runner="stream",
)

LEGACY_STREAM_USAGE_UNAVAILABLE = register(
    "L103",
    "legacy-stream-usage-unavailable",
    severity="warning",
    summary="A legacy completion stream has no token usage; the Message gets zeros.",
    explanation="""
        Text Completions streams do not report token counts.  Replayed `--to messages`, the
        Message's `usage` is `{"input_tokens": 0, "output_tokens": 0}` (W_USAGE_UNAVAILABLE
        in the converter spec, rows 52-54).
    """,
    bad=LEGACY_GOOD,
    good=_MESSAGES_STREAM,
    runner="stream",
    example_options={"to": "messages"},
)

LEGACY_STREAM_TRUNCATED = register(
    "L104",
    "legacy-stream-truncated",
    severity="error",
    summary="A legacy completion stream ends without a final `stop_reason`.",
    explanation="""
        The last `completion` event of a complete stream carries a `stop_reason`
        (`stop_sequence` or `max_tokens`).  Without it the stream was cut.
    """,
    bad=_completion(" Hello") + _completion("!"),
    good=LEGACY_GOOD,
    runner="stream",
)

LEGACY_STOP_REASON_ASSUMED = register(
    "L105",
    "legacy-stream-stop-reason-assumed",
    severity="info",
    summary="A legacy `stop_sequence` stop whose sequence is unknown becomes `end_turn`.",
    explanation="""
        Replayed `--to messages`, a completion that stopped on `"\\n\\nHuman:"` ends its turn
        (`end_turn`), and one that stopped on a caller's sequence becomes `stop_sequence`
        with that sequence.  When the event does not say which sequence matched (no `stop`
        field), `end_turn` is assumed (I_STOP_REASON_ASSUMED in the converter spec).
    """,
    bad=_completion(" Hello") + _completion("", "stop_sequence"),
    good=LEGACY_GOOD,
    runner="stream",
    example_options={"to": "messages"},
)
