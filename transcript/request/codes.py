"""Message Batches rules (``R1xx``): the JSONL lines ``{"custom_id", "params"}`` of a batch,
and the lines ``{"custom_id", "result"}`` of its results file."""

from __future__ import annotations

import re

from transcript.core.registry import register

CUSTOM_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}")
MAX_BATCH_REQUESTS = 100_000
MAX_BATCH_BYTES = 256 * 1024 * 1024

_PARAMS = '{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}'

BATCH_LINE_SHAPE = register(
    "R101",
    "batch-line-shape",
    severity="error",
    summary='A batch line must be {"custom_id": ..., "params": {...}} and nothing else.',
    explanation="""
        Each request of a Message Batch is an object with exactly two members: a string
        `custom_id` and `params`, a Messages request body.  Any other member is refused like
        an unknown request field (`Extra inputs are not permitted`).
    """,
    bad=f'{{"custom_id": "req-1", "params": {_PARAMS}, "method": "POST"}}\n',
    good=f'{{"custom_id": "req-1", "params": {_PARAMS}}}\n',
    runner="jsonl",
)

CUSTOM_ID_PATTERN = register(
    "R102",
    "batch-custom-id-pattern",
    severity="error",
    summary="A batch `custom_id` must match `^[a-zA-Z0-9_-]{1,64}$`.",
    explanation="""
        The Message Batches API identifies each result by its `custom_id`, which must be 1
        to 64 letters, digits, `_` or `-` (Message Batches API reference).  Dots, slashes,
        colons and spaces are refused.
    """,
    bad=f'{{"custom_id": "eval/case 1", "params": {_PARAMS}}}\n',
    good=f'{{"custom_id": "eval-case-1", "params": {_PARAMS}}}\n',
    runner="jsonl",
)

DUPLICATE_CUSTOM_ID = register(
    "R103",
    "batch-duplicate-custom-id",
    severity="error",
    summary="Two requests of a batch share a `custom_id`.",
    explanation="""
        Results come back in any order and are matched to requests by `custom_id`, so each
        must be unique within the batch; the API refuses a batch with duplicates.
    """,
    bad=f'{{"custom_id": "a", "params": {_PARAMS}}}\n{{"custom_id": "a", "params": {_PARAMS}}}\n',
    good=f'{{"custom_id": "a", "params": {_PARAMS}}}\n{{"custom_id": "b", "params": {_PARAMS}}}\n',
    runner="jsonl",
)

BATCH_TOO_LARGE = register(
    "R104",
    "batch-too-large",
    severity="error",
    summary="A message batch holds more than 100,000 requests or 256 MB.",
    explanation="""
        "A Message Batch is limited to either 100,000 Message requests or 256 MB in size,
        whichever is reached first" (batch processing guide; docs.claude.com/en/api/errors
        gives 256 MB for Batch).  Split the file into several batches.  The request limit
        can be lowered for a gateway with the `max_batch_requests` setting (the examples
        use 2).
    """,
    bad="".join(f'{{"custom_id": "r{i}", "params": {_PARAMS}}}\n' for i in range(3)),
    good="".join(f'{{"custom_id": "r{i}", "params": {_PARAMS}}}\n' for i in range(2)),
    runner="jsonl",
    example_options={"settings": {"max_batch_requests": 2}},
)

_MESSAGE = (
    '{"id": "msg_01", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", '
    '"content": [{"type": "text", "text": "Hi"}], "stop_reason": "end_turn", "stop_sequence": null, '
    '"usage": {"input_tokens": 5, "output_tokens": 2}}'
)
_SUCCEEDED = f'{{"custom_id": "req-1", "result": {{"type": "succeeded", "message": {_MESSAGE}}}}}\n'

BATCH_RESULT_SHAPE = register(
    "R105",
    "batch-result-shape",
    severity="error",
    summary='A results line must be {"custom_id", "result": {"type": succeeded|errored|canceled|expired, ...}}.',
    explanation="""
        Each line of a Message Batches results file (`GET /v1/messages/batches/{id}/results`)
        is an object with the request's `custom_id` and its `result`: `succeeded` with the
        `message`, `errored` with the `error`, `canceled` or `expired`.  A line of another
        shape was not written by the API (or was cut).  A `succeeded` result's message is
        judged as a response (the `V` and response rules, at `/result/message/...`).
    """,
    bad='{"custom_id": "req-1", "result": {"type": "done", "message": {}}}\n',
    good=_SUCCEEDED,
    runner="jsonl",
)

BATCH_RESULT_ERRORED = register(
    "R106",
    "batch-result-errored",
    severity="error",
    summary="A request of the batch failed: its result is an error.",
    explanation="""
        An `errored` result carries the error the request met (`invalid_request_error`: the
        request itself is wrong and will fail again; `api_error`, `overloaded_error`: a
        server-side fault worth retrying in a new batch).  The diagnostic gives the error's
        type and message, at the line of the result.
    """,
    bad=(
        '{"custom_id": "req-1", "result": {"type": "errored", "error": {"type": "error", '
        '"error": {"type": "invalid_request_error", "message": "max_tokens: Field required"}}}}\n'
    ),
    good=_SUCCEEDED,
    runner="jsonl",
)

BATCH_RESULT_NOT_RUN = register(
    "R107",
    "batch-result-not-run",
    severity="warning",
    summary="A request of the batch was not run: the batch was canceled, or it expired first.",
    explanation="""
        A `canceled` result means the batch was canceled before this request was sent; an
        `expired` one that the batch reached its 24-hour limit first.  Neither was billed:
        submit the request again in a new batch.
    """,
    bad='{"custom_id": "req-1", "result": {"type": "expired"}}\n',
    good=_SUCCEEDED,
    runner="jsonl",
)

BATCH_RESULT_UNMATCHED = register(
    "R108",
    "batch-result-unmatched",
    severity="error",
    summary="A result's custom_id is in no request of the batch's request file.",
    explanation="""
        Given the batch's request file (`--batch-requests FILE`), every result must answer
        one of its requests: a `custom_id` found in none of them means the results belong
        to another batch, or the request file is not the one that was submitted.
    """,
    bad=_SUCCEEDED.replace("req-1", "req-9"),
    good=_SUCCEEDED,
    runner="jsonl",
    example_options={"settings": {"batch_requests": {"req-1": 1}}},
)

BATCH_RESULT_MISSING = register(
    "R109",
    "batch-result-missing",
    severity="warning",
    summary="A request of the batch's request file has no result.",
    explanation="""
        Given the batch's request file (`--batch-requests FILE`), each request should have
        one result line; a request with none was not processed yet (the batch is still
        running) or the results file is incomplete.  Reported once per request at line 1,
        naming the request's line.
    """,
    bad=_SUCCEEDED,
    good=_SUCCEEDED + _SUCCEEDED.replace("req-1", "req-2"),
    runner="jsonl",
    example_options={"settings": {"batch_requests": {"req-1": 1, "req-2": 2}}},
)
