"""The JSON lint kinds: Messages request bodies, token-counting bodies, response
Messages, JSONL files and a fallback for any other ``.json`` file; their example runners;
and ``X008``, the diagnostic for a JSON document of the wrong shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transcript.diagnostics import Diagnostic
from transcript.registry import example_runner, register

UNEXPECTED_DOCUMENT = register(
    "X008",
    "unexpected-json-document",
    severity="error",
    summary="The JSON document is not the kind of document expected here.",
    explanation="""
        A Messages request body is a JSON object (`{"model": ..., "max_tokens": ...,
        "messages": [...]}`); so are a response Message, an error body and each line of a
        JSONL batch.  A top-level array, string or number, or an object of no known shape,
        is reported here with what was expected.  Pass `--kind` when transcript guesses
        wrong, or exclude files that are not API payloads.
    """,
    bad='[{"role": "user", "content": "Hello"}]',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    kind="request",
)


def _options(options: Mapping[str, Any]) -> Any:
    from transcript.lint import LintOptions

    return LintOptions(
        target=options.get("target", "anthropic"),
        strict=bool(options.get("strict", False)),
        settings=dict(options.get("settings", {})),
    )


@example_runner("request")
def _run_request_example(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    from transcript.request_lint import lint_request_value, parse_json

    value, diagnostics = parse_json(text)
    if diagnostics:
        return diagnostics
    size = len(text.encode("utf-8")) * int(options.get("size_scale", 1))
    return lint_request_value(value, _options(options), body_size=size)


@example_runner("response")
def _run_response_example(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    from transcript.json_lint import lint_response_text

    return lint_response_text(text, _options(options))


@example_runner("jsonl")
def _run_jsonl_example(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    from transcript.json_lint import lint_jsonl_text

    return lint_jsonl_text(text, _options(options))


# -- kinds --------------------------------------------------------------------------------


def _lint_request(text: str, options: Any) -> list[Diagnostic]:
    from transcript.json_lint import take_sniffed
    from transcript.request_lint import lint_request_text

    return lint_request_text(text, options, value=take_sniffed(text))


def _lint_count_tokens(text: str, options: Any) -> list[Diagnostic]:
    from transcript.request_lint import lint_request_text

    return lint_request_text(text, options, count_tokens=True)


def _lint_response(text: str, options: Any) -> list[Diagnostic]:
    from transcript.json_lint import lint_response_text, take_sniffed

    return lint_response_text(text, options, value=take_sniffed(text))


def _lint_jsonl(text: str, options: Any) -> list[Diagnostic]:
    from transcript.json_lint import lint_jsonl_text

    return lint_jsonl_text(text, options)


def _lint_json(text: str, options: Any) -> list[Diagnostic]:
    from transcript.json_lint import lint_json_text

    return lint_json_text(text, options)


def _sniff_request(text: str) -> bool:
    from transcript.json_lint import sniff_kind

    return sniff_kind(text) == "request"


def _sniff_response(text: str) -> bool:
    from transcript.json_lint import sniff_kind

    return sniff_kind(text) in ("response", "error", "token-count")


def _sniff_jsonl(text: str) -> bool:
    """The first line is a JSON object of a known shape (or a broken line that names one)."""
    import re

    import orjson

    from transcript.request_lint import classify

    start = re.search(r"\S", text)
    if start is None or text[start.start()] != "{":
        return False
    end = text.find("\n", start.start(), start.start() + (1 << 21))
    if end < 0:  # a single line, or a first line over 2 MB: judge by its beginning
        head = text[start.start() : start.start() + (1 << 16)]
        return '"custom_id"' in head and '"params"' in head
    first = text[start.start() : end]
    try:
        return classify(orjson.loads(first)) is not None
    except orjson.JSONDecodeError:
        return any(key in first for key in ('"custom_id"', '"params"', '"messages"', '"model"'))


def _sniff_json(text: str) -> bool:
    """Anything that starts like a JSON object or array (the last resort for JSON)."""
    import re

    start = re.search(r"\S", text)
    return start is not None and text[start.start()] in "{["


def _register() -> None:
    from transcript.lint import KINDS, register_kind

    if "request" in KINDS:
        return
    register_kind(
        "request",
        summary="A Messages API request body (POST /v1/messages)",
        extensions=(".json",),
        lint=_lint_request,
        sniff=_sniff_request,
        priority=30,
    )
    register_kind(
        "count-tokens",
        summary="A token-counting request body (POST /v1/messages/count_tokens): a request without max_tokens",
        extensions=(),
        lint=_lint_count_tokens,
    )
    register_kind(
        "response",
        summary="A Messages API response: a Message or an error body",
        extensions=(".json",),
        lint=_lint_response,
        sniff=_sniff_response,
        priority=30,
    )
    register_kind(
        "jsonl",
        summary='JSON Lines: request bodies, responses or Message Batches lines {"custom_id", "params"}',
        extensions=(".jsonl",),
        lint=_lint_jsonl,
        sniff=_sniff_jsonl,
        priority=20,
    )
    register_kind(
        "json",
        summary="Any other .json file: read by its shape, or reported as unexpected",
        extensions=(".json",),
        lint=_lint_json,
        sniff=_sniff_json,
        priority=-10,
    )


_register()
