"""Message Batches rules (``R1xx``): the JSONL lines ``{"custom_id", "params"}`` of a batch."""

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
