"""Stream rules: ``S0xx`` event-stream framing and capture inputs, ``S1xx`` event order and
replay.  (The ``L1xx`` codes of legacy Text Completions streams are with the other ``L``
codes, in :mod:`transcript.legacy.codes`.)

Every example is an event stream written as text; the ``stream`` example runner
(:mod:`transcript.lint.examples`) replays it through the real pipeline (captures -> SSE
decoder -> replayer) and returns its diagnostics.
"""

from __future__ import annotations

import json
from typing import Any

from transcript.core.registry import Rule, register


def _ev(type_: str, name: str | None = None, **fields: Any) -> str:
    """One SSE event: ``event: <name>`` and ``data: {"type": <type>, ...}``."""
    data = json.dumps({"type": type_, **fields}, separators=(",", ":"))
    head = f"event: {name if name is not None else type_}\n"
    return f"{head}data: {data}\n\n"


_MSG: dict[str, Any] = {
    "id": "msg_01",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5",
    "content": [],
    "stop_reason": None,
    "stop_sequence": None,
    "usage": {"input_tokens": 10, "output_tokens": 1},
}
START = _ev("message_start", message=_MSG)
TEXT_START = _ev("content_block_start", index=0, content_block={"type": "text", "text": ""})
TEXT_DELTA = _ev("content_block_delta", index=0, delta={"type": "text_delta", "text": "Hello"})
STOP0 = _ev("content_block_stop", index=0)
MSG_DELTA = _ev("message_delta", delta={"stop_reason": "end_turn", "stop_sequence": None}, usage={"output_tokens": 5})
MSG_STOP = _ev("message_stop")
GOOD = START + TEXT_START + TEXT_DELTA + STOP0 + MSG_DELTA + MSG_STOP
TOOL_START = _ev(
    "content_block_start", index=0, content_block={"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}
)


def _json_delta(part: str, index: int = 0) -> str:
    return _ev("content_block_delta", index=index, delta={"type": "input_json_delta", "partial_json": part})


def _rule(
    code: str, name: str, severity: str, summary: str, explanation: str, bad: str, good: str = GOOD, **kw: Any
) -> Rule:
    return register(
        code, name, severity=severity, summary=summary, explanation=explanation, bad=bad, good=good, runner="stream", **kw
    )


# --- S0xx: framing and capture inputs ------------------------------------------------------

UNTERMINATED_EVENT = _rule(
    "S001",
    "unterminated-event",
    "warning",
    "The stream ends inside an event: its last event has no closing blank line.",
    """
        An event is dispatched by the blank line after it.  The WHATWG algorithm, and the
        official SDK's decoder, silently drop an event still open at the end of the stream.
        Real captures often end that way (a log cut after the last byte of `message_stop`),
        so `transcript` processes the event anyway and warns; `--strict` drops it, as the
        standard does.
    """,
    bad=GOOD.rstrip("\n"),
)

INVALID_RETRY = _rule(
    "S002",
    "invalid-retry",
    "warning",
    "A `retry` field whose value is not all ASCII digits (ignored).",
    """
        The standard takes `retry` only when its value consists of ASCII digits; anything
        else (`-5`, `+10`, ` 10`, `1_000`, non-ASCII digits) is ignored.  Some decoders
        (httpx-sse, the SDK) accept more through `int()`.
    """,
    bad="retry: -5\n\n" + GOOD,
    good="retry: 5000\n\n" + GOOD,
)

EVENT_WITHOUT_DATA = _rule(
    "S003",
    "event-without-data",
    "warning",
    "An event with a name but no `data` line is never dispatched.",
    """
        The standard dispatches an event only when its data buffer is not empty: a block
        with `event: ping` and no `data:` line is discarded.  The Messages API always sends
        a `data:` line with every event.
    """,
    bad=START + "event: ping\n\n" + TEXT_START + TEXT_DELTA + STOP0 + MSG_DELTA + MSG_STOP,
)

INVALID_EVENT_ID = _rule(
    "S004",
    "invalid-event-id",
    "warning",
    "An `id` field containing NUL (ignored).",
    """
        The standard ignores an `id` whose value contains U+0000 NULL; the last event id
        stays what it was.
    """,
    bad="id: a\x00b\n\n" + GOOD,
    good="id: 1\n\n" + GOOD,
)

UNKNOWN_SSE_FIELD = _rule(
    "S005",
    "unknown-sse-field",
    "warning",
    "A line whose field name is not `event`, `data`, `id` or `retry` (ignored).",
    """
        The standard ignores unknown fields; field names are case-sensitive, so `Data:` or
        `Event:` lines are lost.  A warning catches such typos and lines from another format.
    """,
    bad=GOOD + "Data: {}\n\n",
)

MISSING_EVENT_NAME = _rule(
    "S006",
    "missing-event-name",
    "warning",
    "An event without an `event:` line.",
    """
        The Messages API names every event (`event: content_block_delta`).  The official SDK
        skips any event that has no `event:` field, so its later deltas fail with
        `IndexError`.  `transcript` replays the event by the `type` in its data and warns.
    """,
    bad=GOOD.replace("event: content_block_delta\n", ""),
)

HTTP_ERROR_STATUS = _rule(
    "S007",
    "http-error-status",
    "error",
    "The captured HTTP response is not a `200` event stream.",
    """
        A capture with its HTTP headers (`curl -i -N`) or a HAR entry shows the status line:
        an error status means the body is an error object, not a stream (for example
        `429 rate_limit_error` or `529 overloaded_error`).  The diagnostic quotes the error.
    """,
    bad='HTTP/1.1 429 Too Many Requests\ncontent-type: application/json\n\n{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}\n',
    good="HTTP/1.1 200 OK\ncontent-type: text/event-stream\n\n" + GOOD,
)

NO_EVENTS = _rule(
    "S008",
    "no-events",
    "error",
    "The input contains no events.",
    """
        Nothing in the input was an event: the file is empty, holds only comments, or is not
        an event stream at all.
    """,
    bad=": just a comment\n\n",
)

INVALID_EVENT_JSON = _rule(
    "S009",
    "invalid-event-json",
    "error",
    "An event's `data` is not a JSON object.",
    """
        Every Messages stream event carries one JSON object in its data.  The official SDK
        fails with a raw `json.JSONDecodeError` on anything else.  The diagnostic points at
        the event's line.
    """,
    bad=GOOD.replace('"text":"Hello"}}', '"text":"Hello"}'),
)

INVALID_CAPTURE = _rule(
    "S010",
    "invalid-capture",
    "error",
    "A HAR or JSONL capture does not have the expected structure.",
    """
        A HAR file is `{"log": {"entries": [...]}}` with each entry's `response.content`;
        content marked `"encoding": "base64"` must decode.  A JSONL capture has one JSON
        object per line: an event (`{"type": "message_start", ...}`) or a wrapper
        (`{"event": ..., "data": ...}`).
    """,
    bad='{"type":"message_start","message":{}}\n[1, 2]\n',
    good="".join(
        json.dumps(json.loads(block.split("data: ", 1)[1])) + "\n" for block in GOOD.strip().split("\n\n")
    ),
)

NO_STREAM_IN_HAR = _rule(
    "S011",
    "no-stream-in-har",
    "error",
    "A HAR file has no `text/event-stream` response.",
    """
        `transcript` replays the entries whose response content type is
        `text/event-stream`.  The HAR has none: the stream was not captured, or the request
        was not streamed (`"stream": true`).
    """,
    bad='{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://example.com/"}, "response": {"status": 200, "content": {"mimeType": "text/html", "text": "<p>hi</p>"}}}]}}',
    good=json.dumps(
        {
            "log": {
                "version": "1.2",
                "entries": [
                    {
                        "startedDateTime": "2025-01-01T00:00:00.000Z",
                        "request": {"method": "POST", "url": "https://api.anthropic.com/v1/messages"},
                        "response": {"status": 200, "content": {"mimeType": "text/event-stream", "text": GOOD}},
                    }
                ],
            }
        }
    ),
)

# --- S1xx: event order and replay -----------------------------------------------------------

MISSING_MESSAGE_START = _rule(
    "S101",
    "missing-message-start",
    "error",
    "The stream does not begin with `message_start`.",
    """
        The first event of a Messages stream (after any `ping`) is `message_start`, which
        carries the message id, model and starting usage.  The official SDK skips events
        before it and then fails with a bare `AssertionError` in `get_final_message()`.
    """,
    bad=TEXT_START + TEXT_DELTA + STOP0 + MSG_DELTA + MSG_STOP,
)

DUPLICATE_MESSAGE_START = _rule(
    "S102",
    "duplicate-message-start",
    "error",
    "A second `message_start` in one stream.",
    """
        One stream carries one message: `message_start` comes once, first.  Two captures
        concatenated into one file look like this; split them.
    """,
    bad=START + START + TEXT_START + TEXT_DELTA + STOP0 + MSG_DELTA + MSG_STOP,
)

UNEXPECTED_BLOCK_INDEX = _rule(
    "S103",
    "unexpected-block-index",
    "error",
    "A `content_block_start` whose index is not the next one.",
    """
        Blocks are numbered 0, 1, 2... in the order they start (after any content already in
        `message_start`).  The official SDK ignores the index and appends, so a skipped or
        repeated index silently shifts every later delta onto the wrong block.
    """,
    bad=START + TEXT_START.replace('"index":0', '"index":1') + TEXT_DELTA + STOP0 + MSG_DELTA + MSG_STOP,
)

BLOCK_START_WHILE_OPEN = _rule(
    "S104",
    "block-start-while-open",
    "warning",
    "A content block starts before the previous one stopped.",
    """
        The API streams content blocks one after another: `content_block_stop` closes a
        block before the next `content_block_start`.  Interleaved blocks are not produced by
        the API; the capture was probably edited or merged.
    """,
    bad=START
    + TEXT_START
    + _ev("content_block_start", index=1, content_block={"type": "text", "text": ""})
    + STOP0
    + _ev("content_block_stop", index=1)
    + MSG_DELTA
    + MSG_STOP,
)

UNKNOWN_BLOCK_INDEX = _rule(
    "S105",
    "unknown-block-index",
    "error",
    "A delta or stop for a block that was never started.",
    """
        `content_block_delta` and `content_block_stop` name the block by its index, which a
        `content_block_start` must have opened.  The official SDK fails with a raw
        `IndexError: list index out of range`.
    """,
    bad=START + TEXT_START + TEXT_DELTA.replace('"index":0', '"index":3') + STOP0 + MSG_DELTA + MSG_STOP,
)

EVENT_AFTER_BLOCK_STOP = _rule(
    "S106",
    "event-after-block-stop",
    "error",
    "A delta or a second stop for a block that is already stopped.",
    """
        After `content_block_stop` a block is final.  A later delta for it is applied by the
        official SDK anyway, changing a block its consumers already treated as complete.
    """,
    bad=START + TEXT_START + STOP0 + TEXT_DELTA + MSG_DELTA + MSG_STOP,
)

DELTA_TYPE_MISMATCH = _rule(
    "S107",
    "delta-type-mismatch",
    "error",
    "A delta whose type does not fit its block.",
    """
        `text_delta` and `citations_delta` go to `text` blocks; `input_json_delta` to
        `tool_use`, `server_tool_use` and `mcp_tool_use`; `thinking_delta` and
        `signature_delta` to `thinking`; `compaction_delta` to `compaction`.  The official
        SDK silently ignores a delta that does not fit, so its content is lost.
    """,
    bad=START
    + TEXT_START
    + _ev("content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": "hmm"})
    + STOP0
    + MSG_DELTA
    + MSG_STOP,
)

BLOCK_OPEN_AT_MESSAGE_DELTA = _rule(
    "S108",
    "block-open-at-message-delta",
    "error",
    "`message_delta` arrives while a content block is still open.",
    """
        Every content block is stopped before the final `message_delta`.  An open block at
        that point means a lost `content_block_stop` (or a truncated, edited capture), and a
        tool call's input may be incomplete.
    """,
    bad=START + TEXT_START + TEXT_DELTA + MSG_DELTA + MSG_STOP,
)

BLOCK_AFTER_MESSAGE_DELTA = _rule(
    "S109",
    "block-after-message-delta",
    "error",
    "A content block event after `message_delta`.",
    """
        `message_delta` carries the final stop reason and usage: no content follows it.
    """,
    bad=START + MSG_DELTA + TEXT_START + TEXT_DELTA + STOP0 + MSG_STOP,
)

MISSING_MESSAGE_DELTA = _rule(
    "S110",
    "missing-message-delta",
    "error",
    "`message_stop` without any `message_delta` before it.",
    """
        The stop reason and the final usage arrive in `message_delta`; without one the
        Message has `stop_reason: null`.  (A `message_start` that already carries a
        `stop_reason` is complete on its own, as some programmatic tool calling captures
        show, and is not reported.)
    """,
    bad=START + TEXT_START + TEXT_DELTA + STOP0 + MSG_STOP,
)

TRUNCATED_STREAM = _rule(
    "S111",
    "truncated-stream",
    "error",
    "The stream ends without `message_stop`.",
    """
        A complete stream ends with `message_stop`.  Without it the capture was cut (the
        connection dropped, the log was truncated); the official SDK returns the partial
        message silently, with `stop_reason: null`.  `transcript replay` prints what could
        be rebuilt and exits 1.
    """,
    bad=START + TEXT_START + TEXT_DELTA,
)

EVENT_AFTER_MESSAGE_STOP = _rule(
    "S112",
    "event-after-message-stop",
    "error",
    "An event after `message_stop`.",
    """
        `message_stop` ends the stream; only `ping` may follow.  Anything else is a second
        stream concatenated into the capture, or a broken proxy.
    """,
    bad=GOOD + TEXT_DELTA,
)

EVENT_NAME_MISMATCH = _rule(
    "S113",
    "event-name-mismatch",
    "error",
    "The SSE `event:` name differs from the `type` in the event's data.",
    """
        The API sends `event: X` with data `{"type": "X", ...}`.  The official SDK routes by
        the SSE name (`ping` and `error` are handled by name) but decodes the data by its
        `type`, so a mismatch means one of the two is wrong.
    """,
    bad=GOOD.replace("event: content_block_stop", "event: content_block_delta"),
)

INVALID_TOOL_INPUT = _rule(
    "S114",
    "invalid-tool-input",
    "error",
    "A tool block's streamed input is not a valid JSON object at its `content_block_stop`.",
    """
        The `partial_json` pieces of a `tool_use`, `server_tool_use` or `mcp_tool_use` block
        add up to the tool input, a JSON object, complete when the block stops.  The
        official SDK raises `ValueError("Unable to parse tool parameter JSON from model...")`.
        The raw text is kept as the block's `input`.
    """,
    bad=START + TOOL_START + _json_delta('{"a": }') + STOP0 + MSG_DELTA + MSG_STOP,
    good=START + TOOL_START + _json_delta('{"a": ') + _json_delta("1}") + STOP0 + MSG_DELTA + MSG_STOP,
)

INCOMPLETE_TOOL_INPUT = _rule(
    "S115",
    "incomplete-tool-input",
    "error",
    "The stream ends (or the message ends) while a tool block's input JSON is unfinished.",
    """
        The tool block never stopped and its `partial_json` pieces do not form complete
        JSON (for example a response cut by `max_tokens` in the middle of a tool call).  The
        official SDK silently keeps a partial parse.  `transcript replay` keeps the raw text
        as the block's `input`, or a best-effort parse with `--partial-json`.
    """,
    bad=START + TOOL_START + _json_delta('{"a": [1, 2'),
    good=START + TOOL_START + _json_delta('{"a": [1, 2]}') + STOP0 + MSG_DELTA + MSG_STOP,
)

ERROR_EVENT = _rule(
    "S116",
    "error-event",
    "error",
    "The stream carries an `error` event.",
    """
        The API reports a failure after the stream began (for example `overloaded_error`)
        with `event: error` and `{"type": "error", "error": {"type": ..., "message": ...}}`,
        and ends the stream.  The diagnostic gives the error type and message, and its hint
        what the official Python SDK raises there: `anthropic.APIStatusError` with
        `status_code` 200 (the stream's own status) and `.type` the error type, never
        retried, and not caught by `except anthropic.OverloadedError` (the 529 class) or
        `InternalServerError`; a retry loop must read `e.type`.
    """,
    bad=START
    + TEXT_START
    + TEXT_DELTA
    + _ev("error", error={"type": "overloaded_error", "message": "Overloaded"}),
)

UNKNOWN_EVENT_TYPE = _rule(
    "S117",
    "unknown-event-type",
    "warning",
    "An event type this version does not know.",
    """
        The API promises new event types may appear; clients should ignore what they do not
        know, as the official SDK does.  A warning, so a typo or a newer protocol is seen.
    """,
    bad=START + _ev("content_block_pause", index=0) + TEXT_START + TEXT_DELTA + STOP0 + MSG_DELTA + MSG_STOP,
)

UNKNOWN_DELTA_TYPE = _rule(
    "S118",
    "unknown-delta-type",
    "warning",
    "A delta type this version does not know.",
    """
        New delta types may appear; the official SDK ignores them silently, so their
        content is not in the final Message.
    """,
    bad=START
    + TEXT_START
    + _ev("content_block_delta", index=0, delta={"type": "sparkle_delta", "sparkle": 1})
    + STOP0
    + MSG_DELTA
    + MSG_STOP,
)

UNKNOWN_BLOCK_TYPE = _rule(
    "S119",
    "unknown-block-type",
    "warning",
    "A content block type this version does not know.",
    """
        New block types may appear; the block is kept in the Message as it started, and no
        delta is applied to it.
    """,
    bad=START
    + _ev("content_block_start", index=0, content_block={"type": "widget"})
    + STOP0
    + MSG_DELTA
    + MSG_STOP,
)

MALFORMED_EVENT = _rule(
    "S120",
    "malformed-event",
    "error",
    "An event of a known type lacks a field or has one of the wrong JSON type.",
    """
        For example a `content_block_delta` without an integer `index` or without a `delta`
        object, a `text_delta` whose `text` is not a string, a `message_start` without a
        `message` object, or a `message_delta` whose `usage.output_tokens` is not an
        integer.  The event is skipped (as far as it cannot be applied).
    """,
    bad=START + TEXT_START + TEXT_DELTA.replace('"index":0', '"index":"0"') + STOP0 + MSG_DELTA + MSG_STOP,
)

EVENT_AFTER_ERROR = _rule(
    "S121",
    "event-after-error",
    "error",
    "An event after an `error` event.",
    """
        An `error` event ends the stream; the official SDK raises on it and reads nothing
        more.  Events after it are reported and not applied.
    """,
    bad=START + _ev("error", error={"type": "api_error", "message": "boom"}) + TEXT_START,
)

MISSING_USAGE = _rule(
    "S122",
    "missing-usage",
    "warning",
    "`message_start` or `message_delta` without `usage`.",
    """
        Current streams carry `usage` in `message_start` and in every `message_delta`; early
        2024 streams did not.  The official SDK fails on such a stream (`AttributeError`);
        `transcript` builds the usage it can and warns.
    """,
    bad=GOOD.replace(',"usage":{"output_tokens":5}', ""),
)
