"""Schema rules (``V``): a JSON body that does not fit the shipped JSON Schema.

:mod:`transcript.protocol.schema` validates a value against ``schemas/*.schema.json`` and maps
each error to one of these codes, by the JSON Schema keyword that failed.  The examples
are request bodies (runner ``schema-request``, validated against ``messages-request``) or
response Messages (runner ``schema-message``, validated against ``message``).
"""

from __future__ import annotations

import json
from typing import Any

from transcript.core.registry import register

_OK = '{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}'


def _req(**fields: str) -> str:
    """A minimal request body, with some members replaced or added (values as JSON text)."""
    members = {
        "model": '"claude-sonnet-4-5"',
        "max_tokens": "1024",
        "messages": '[{"role": "user", "content": "Hello"}]',
    }
    members.update(fields)
    body = ",\n  ".join(f'"{k}": {v}' for k, v in members.items())
    return "{\n  " + body + "\n}\n"


UNKNOWN_FIELD = register(
    "V001",
    "unknown-field",
    severity="error",
    summary="A request has a field the API does not define.",
    explanation="""
        The API validates request bodies strictly and answers a field it does not know with
        a 400: `context_management: Extra inputs are not permitted` (the server's own
        words; seen for a beta field sent without its beta header, and for
        `tools.0.bash_20250124.parameters`).  Usually the field is misspelled
        (`stop_sequence` for `stop_sequences`), belongs to another provider's API
        (`functions`, `max_completion_tokens`), or sits one level too high or too low.
        The diagnostic points at the unexpected key and suggests the closest known name.
        Beta parameters (`mcp_servers`, `context_management`, `betas`...) are accepted,
        since a body alone does not tell which `anthropic-beta` header goes with it.
    """,
    bad=_req(stop_sequence='["END"]'),
    good=_req(stop_sequences='["END"]'),
    runner="schema-request",
)

MISSING_FIELD = register(
    "V002",
    "missing-field",
    severity="error",
    summary="A required field is missing.",
    explanation="""
        Some fields are required: `model`, `max_tokens` and `messages` in a request; `role`
        and `content` in a message; `text` in a text block; `tool_use_id` in a tool result;
        `name` and `input_schema` in a custom tool, and so on.  The server answers
        `max_tokens: Field required`.  The diagnostic points at the object that lacks the
        field.
    """,
    bad='{"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hello"}]}\n',
    good=_OK + "\n",
    runner="schema-request",
)

WRONG_TYPE = register(
    "V003",
    "wrong-type",
    severity="error",
    summary="A value has the wrong JSON type.",
    explanation="""
        Each field has one JSON type (or a few): `max_tokens` is an integer, `content` is a
        string or an array of blocks, `input` is an object, `stream` is a boolean.  A
        number sent as a string (`"max_tokens": "1024"`) or a single block not wrapped in
        an array is rejected by the server with messages such as
        `prompt: Input should be a valid string`.
    """,
    bad=_req(max_tokens='"1024"'),
    good=_req(max_tokens="1024"),
    runner="schema-request",
)

VALUE_NOT_ALLOWED = register(
    "V004",
    "value-not-allowed",
    severity="error",
    summary="A value is not one of those the field allows.",
    explanation="""
        Many fields take a fixed set of values: a message `role` (`user`, `assistant`,
        `system`), a block `type`, an image `media_type` (`image/jpeg`, `image/png`,
        `image/gif`, `image/webp`), a cache `ttl` (`5m`, `1h`), and the fixed `name` of a
        versioned tool.  The server says, for instance,
        `tools.0.text_editor_20250124.name: Input should be 'str_replace_editor'`.
        A block whose `type` is not known is reported here, with the closest known type.
    """,
    bad=_req(messages='[{"role": "user", "content": [{"type": "txt", "text": "Hello"}]}]'),
    good=_req(messages='[{"role": "user", "content": [{"type": "text", "text": "Hello"}]}]'),
    runner="schema-request",
)

OUT_OF_RANGE = register(
    "V005",
    "out-of-range",
    severity="error",
    summary="A number or a length is outside the range the field allows.",
    explanation="""
        `temperature` and `top_p` lie between 0 and 1; `max_tokens` and `top_k` are not
        negative; `thinking.budget_tokens` is at least 1024 (`thinking.enabled.budget_tokens:
        Input should be greater than or equal to 1024`); a request has at most 100,000
        messages.  Limits that depend on the model (the output token cap) are semantic
        rules, not schema constraints.
    """,
    bad=_req(temperature="1.5"),
    good=_req(temperature="0.7"),
    runner="schema-request",
)

PATTERN_MISMATCH = register(
    "V006",
    "pattern-mismatch",
    severity="error",
    summary="A string does not match the pattern the field requires.",
    explanation="""
        Custom tool names match `^[a-zA-Z0-9_-]{1,128}$` and tool use ids match
        `^[a-zA-Z0-9_-]+$`.  The server says `tools.7.custom.name: String should match
        pattern '^[a-zA-Z0-9_-]{1,128}$'`.  Ids copied from other providers
        (`functions.Bash:0`, `call_1.2`) and tool names with spaces or dots fail.
    """,
    bad=_req(tools='[{"name": "get weather", "input_schema": {"type": "object"}}]'),
    good=_req(tools='[{"name": "get_weather", "input_schema": {"type": "object"}}]'),
    runner="schema-request",
)

_MESSAGE = {
    "id": "msg_01",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [{"type": "text", "text": "Hi"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 10, "output_tokens": 2},
}


def _message(**changes: Any) -> str:
    return json.dumps({**_MESSAGE, **changes}, indent=2) + "\n"


UNKNOWN_RESPONSE_FIELD = register(
    "V007",
    "unknown-response-field",
    severity="warning",
    summary="A response object has a field the schema does not define.",
    explanation="""
        Responses (Messages, stream events, legacy completions) are checked against the
        shipped schema, which closes every known object.  The API may add fields to its
        responses without notice, so an unknown field there is a warning, not an error:
        either the recording comes from a newer API than the schema, or a fixture was
        written by hand with a typo (`stop_reasons`).  Content blocks, deltas and events
        of an unknown *type* are accepted silently, as the API promises new ones.
    """,
    bad=_message(stop_reasons="end_turn"),
    good=_message(),
    runner="schema-message",
)

SCHEMA_VIOLATION = register(
    "V008",
    "schema-violation",
    severity="error",
    summary="A value breaks a schema constraint not covered by a more specific V rule.",
    explanation="""
        The catch-all for the remaining JSON Schema keywords: for example a mid-conversation
        system message must carry `content` or a non-empty `output_config` (the SDK: "a
        message with neither content nor output_config fields is rejected"; an empty `{}`
        is accepted only beside content).  The message quotes the validator.
    """,
    bad=_req(
        model='"claude-opus-4-8"',
        messages='[{"role": "user", "content": "Hi"}, {"role": "system", "output_config": {}}]',
    ),
    good=_req(
        model='"claude-opus-4-8"',
        messages='[{"role": "user", "content": "Hi"}, {"role": "system", "output_config": {"effort": "low"}}]',
    ),
    runner="schema-request",
)
