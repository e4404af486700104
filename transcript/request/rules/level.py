"""Request-level rules (``R``): parameters of a Messages request judged as a whole.

Each check takes the parsed request (a dict) and a
:class:`~transcript.request_context.RequestContext` and yields diagnostics located by
JSON pointer; the request pipeline maps pointers to lines and columns.  Wrong JSON types
are left to the schema (``V``): every check skips what it cannot judge.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.core.registry import rule
from transcript.request.context import RequestContext, is_int, is_number

MAX_BODY_BYTES = 32 * 1024 * 1024


def _at(pointer: str) -> Location:
    return Location(pointer=pointer)


@rule(
    "R001",
    "messages-empty",
    severity="error",
    summary="`messages` must contain at least one message.",
    explanation="""
        The server rejects a request whose `messages` array is empty with
        `messages: at least one message is required` (devoxx/DevoxxGenieIDEAPlugin#567,
        automazeio/vibeproxy#81).  A top-level `system` prompt alone is not a conversation:
        put at least one `user` message in `messages`.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": "Be brief.", "messages": []}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "system": "Be brief.", "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def messages_empty(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if isinstance(request.get("messages"), list) and not request["messages"]:
        yield messages_empty.rule.diagnostic("messages: at least one message is required", _at("/messages"))


@rule(
    "R003",
    "max-tokens-over-model-cap",
    severity="error",
    summary="`max_tokens` exceeds the model's output token cap.",
    explanation="""
        Every model has a maximum number of output tokens.  A larger `max_tokens` is a 400:
        `max_tokens: 128001 > 64000, which is the maximum allowed number of output tokens
        for claude-opus-4-5-20251101` (anthropics/claude-code#24451).  The caps come from
        the model table shipped with transcript (`transcript/protocol/models.json`).  Where a
        beta header raises the cap (Claude 3.7 Sonnet with `output-128k-2025-02-19`), a value
        between the two caps is fine when the request is known to carry that beta (`--beta`,
        the `betas` config key, or the headers of a capture), an error when its headers are
        known and lack it, and a warning when they are not known.
    """,
    bad='{"model": "claude-opus-4-5-20251101", "max_tokens": 128001, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-opus-4-5-20251101", "max_tokens": 64000, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def max_tokens_over_cap(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    max_tokens = request.get("max_tokens")
    if model is None or model.max_output_tokens is None or not is_int(max_tokens):
        return
    cap = model.max_output_tokens
    if max_tokens <= cap:
        return
    beta = model.max_output_tokens_beta
    message = f"max_tokens: {max_tokens} > {cap}, which is the maximum allowed number of output tokens for {ctx.model_id}"
    if beta is not None and max_tokens <= beta and model.output_beta in ctx.betas:
        return
    if beta is not None and max_tokens <= beta and ctx.knows_headers:
        yield max_tokens_over_cap.rule.diagnostic(
            message, _at("/max_tokens"), hint=f"send 'anthropic-beta: {model.output_beta}' for up to {beta}"
        )
        return
    if beta is not None and max_tokens <= beta:
        yield max_tokens_over_cap.rule.diagnostic(
            message,
            _at("/max_tokens"),
            severity=Severity.WARNING,
            hint=f"values up to {beta} need the beta header that raises the cap; without it the API answers 400",
        )
        return
    yield max_tokens_over_cap.rule.diagnostic(message, _at("/max_tokens"), hint=f"use at most {beta or cap}")


def _estimated_input_tokens(request: dict[str, Any]) -> int:
    """A low estimate of the input tokens: a quarter of the characters of every string
    outside base64 payloads and signatures (Claude averages fewer characters per token,
    so the estimate errs low and the context rules only fire when clearly over)."""
    chars = 0
    stack: list[Any] = [request.get("system"), request.get("messages"), request.get("tools")]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            chars += len(value)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, dict):
            is_base64 = value.get("type") == "base64"
            for key, item in value.items():
                if key in ("signature", "cache_control") or (is_base64 and key == "data"):
                    continue
                if key == "data" and value.get("type") == "redacted_thinking":
                    continue
                stack.append(item)
    return chars // 4


def _input_tokens(request: dict[str, Any], ctx: RequestContext) -> int:
    if "input_tokens" not in ctx.cache:
        ctx.cache["input_tokens"] = _estimated_input_tokens(request)
    return int(ctx.cache["input_tokens"])


def _fits(ctx: RequestContext, tokens: float) -> bool:
    """Whether the estimate is surely at most ``tokens`` without counting: its characters are
    some of the body's, so it is at most a quarter of the body's size (when known)."""
    return ctx.body_size is not None and ctx.body_size // 4 <= tokens


def _window(ctx: RequestContext) -> int | None:
    return ctx.context_window


@rule(
    "R004",
    "context-window-likely-exceeded",
    severity="warning",
    summary="The input plus `max_tokens` probably exceeds the model's context window.",
    explanation="""
        The server refuses a request whose input and `max_tokens` together exceed the
        context window: `input length and \\`max_tokens\\` exceed context limit: 190000 +
        32000 > 200000, decrease input length or \\`max_tokens\\` and try again`.  transcript
        does not tokenize; it estimates the input low (a quarter of the characters of the
        text, images and base64 data not counted) and warns only when even that estimate
        plus `max_tokens` is over the model's window.  The window is the one the request's
        headers give: the 1M-token window of Claude Sonnet 4 and 4.5 only with `anthropic-beta:
        context-1m-2025-08-07` (from `--beta`, the `betas` config key or a capture's headers).
    """,
    bad='{"model": "claude-3-haiku-20240307", "max_tokens": 4096, "messages": [{"role": "user", "content": "'
    + "lorem ipsum " * 66000
    + '"}]}',
    good='{"model": "claude-3-haiku-20240307", "max_tokens": 4096, "messages": [{"role": "user", "content": "lorem ipsum"}]}',
    runner="request",
)
def context_window_exceeded(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    window = _window(ctx)
    max_tokens = request.get("max_tokens")
    if window is None or not is_int(max_tokens) or _fits(ctx, window - max_tokens):
        return
    estimate = _input_tokens(request, ctx)
    if estimate <= window < estimate + max_tokens:
        yield context_window_exceeded.rule.diagnostic(
            f"input length and `max_tokens` probably exceed the context limit: about {estimate} + {max_tokens} > {window}",
            _at("/max_tokens"),
            hint=_window_hint(ctx),
        )


def _window_hint(ctx: RequestContext) -> str:
    model = ctx.model
    if model is not None and model.context_beta and model.context_window_beta and model.context_beta not in ctx.betas:
        return (f"decrease the input or max_tokens, or send 'anthropic-beta: {model.context_beta}' "
                f"for a {model.context_window_beta}-token window")
    return "decrease the input or max_tokens"


@rule(
    "R005",
    "prompt-likely-too-long",
    severity="warning",
    summary="The input alone probably exceeds the model's context window.",
    explanation="""
        The server answers `prompt is too long: 202128 tokens > 200000 maximum` when the
        input does not fit the context window (stackblitz/bolt.new#1748).  transcript
        estimates the input low (a quarter of the characters of the text) and warns when
        even that estimate is over the largest window the model offers.
    """,
    bad='{"model": "claude-3-haiku-20240307", "max_tokens": 1024, "messages": [{"role": "user", "content": "'
    + "lorem ipsum " * 70000
    + '"}]}',
    good='{"model": "claude-3-haiku-20240307", "max_tokens": 1024, "messages": [{"role": "user", "content": "lorem ipsum"}]}',
    runner="request",
)
def prompt_too_long(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    window = _window(ctx)
    if window is None or _fits(ctx, window):
        return
    estimate = _input_tokens(request, ctx)
    if estimate > window:
        yield prompt_too_long.rule.diagnostic(
            f"prompt is probably too long: about {estimate} tokens > {window} maximum",
            _at("/messages"),
        )


@rule(
    "R006",
    "temperature-out-of-range",
    severity="error",
    summary="`temperature` must be between 0 and 1.",
    explanation="""
        The server checks `temperature: range: -1 or 0..1`.  `-1` used to be accepted; a
        maintainer said on 2026-08-05 that it is now rejected with a 400
        (anthropics/anthropic-sdk-python#893), so the range is 0.0 to 1.0.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "temperature": 1.5, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "temperature": 0.7, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def temperature_range(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    value = request.get("temperature")
    if is_number(value) and not 0 <= value <= 1:
        yield temperature_range.rule.diagnostic(
            f"temperature: range: 0..1 (got {value})",
            _at("/temperature"),
            hint="-1 was accepted by older servers and is now rejected",
        )


@rule(
    "R007",
    "temperature-and-top-p",
    severity="error",
    summary="`temperature` and `top_p` cannot both be set on this model.",
    explanation="""
        Newer models refuse requests that set both sampling parameters:
        `` `temperature` and `top_p` cannot both be specified for this model. Please use only
        one. `` (reported for Sonnet 4.5, Opus 4.1 and Sonnet 4.6: langfuse/langfuse#9882,
        Vali-98/ChatterUI#564, xyOz-dev/Saturn PR#16).  Older models accept both; which
        models refuse is recorded in transcript's model table.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "temperature": 0.5, "top_p": 0.9, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "temperature": 0.5, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def temperature_and_top_p(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    if model is None or not model.temperature_top_p_exclusive or model.sampling is False:
        return
    if is_number(request.get("temperature")) and is_number(request.get("top_p")):
        yield temperature_and_top_p.rule.diagnostic(
            "`temperature` and `top_p` cannot both be specified for this model. Please use only one.",
            _at("/top_p"),
        )


@rule(
    "R008",
    "stop-sequence-whitespace",
    severity="error",
    summary="Each stop sequence must contain a non-whitespace character.",
    explanation="""
        The server rejects whitespace-only stop sequences such as `"\\n"`:
        `stop_sequences: each stop sequence must contain non-whitespace`
        (BerriAI/litellm#3286, litellm PR#7484).  An empty string is rejected the same way.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "stop_sequences": ["\\n"], "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "stop_sequences": ["\\nEND"], "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def stop_sequence_whitespace(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    stops = request.get("stop_sequences")
    if not isinstance(stops, list):
        return
    for i, stop in enumerate(stops):
        if isinstance(stop, str) and not stop.strip():
            yield stop_sequence_whitespace.rule.diagnostic(
                f"stop_sequences: each stop sequence must contain non-whitespace (item {i} is {stop!r})",
                _at(f"/stop_sequences/{i}"),
            )


@rule(
    "R009",
    "request-too-large",
    severity="error",
    summary="The request body is larger than the 32 MB the Messages API accepts.",
    explanation="""
        Requests over 32 MB are refused with HTTP 413 `request_too_large` before they reach
        the API servers (docs.claude.com/en/api/errors: "32 MB for Messages and Token
        Counting, 256 MB for Batch").  Large images and PDFs are the usual cause: send
        them through the Files API (`{"type": "file", "file_id": ...}`) or by URL instead.
    """,
    bad='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "'
    + "x" * 100
    + '"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
    # The rule only looks at the size: each byte of these examples stands for 200,000.
    example_options={"size_scale": 200_000},
)
def request_too_large(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    size = ctx.body_size
    if size is not None and size > MAX_BODY_BYTES:
        yield request_too_large.rule.diagnostic(
            f"request_too_large: the body is {size} bytes > {MAX_BODY_BYTES} bytes (32 MB)",
            Location(pointer=""),
            hint="send large images and PDFs through the Files API or by URL",
        )


_SAMPLING = ("temperature", "top_p", "top_k")


@rule(
    "R011",
    "sampling-parameter-unsupported",
    severity="error",
    summary="This model does not accept `temperature`, `top_p` or `top_k`.",
    explanation="""
        "The temperature, top_p, and top_k sampling parameters are not supported on Claude
        Opus 4.7 and later models, including Claude Opus 4.8. Setting them to a non-default
        value returns a 400 error." (platform.claude.com, Using the Messages API).  Omit them
        and guide the model with the prompt instead.  `temperature: 1` and `top_p: 1` are
        the defaults and pass.
    """,
    bad='{"model": "claude-opus-4-7", "max_tokens": 1024, "temperature": 0.2, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-opus-4-7", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def sampling_unsupported(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    if model is None or model.sampling is not False:
        return
    for name in _SAMPLING:
        value = request.get(name)
        if value is None or not is_number(value):
            continue
        if name != "top_k" and value == 1:
            continue
        yield sampling_unsupported.rule.diagnostic(
            f"{name}: the sampling parameters are not supported on {ctx.model_id}; setting them to a non-default value returns a 400 error",
            _at(f"/{name}"),
            hint=f"remove {name}",
        )


@rule(
    "R013",
    "unknown-model",
    severity="info",
    summary="The model is not in transcript's model table; model-specific checks are skipped.",
    explanation="""
        Output caps, prefill, sampling parameters, mid-conversation `system` messages,
        thinking modes and effort levels depend on the model.  transcript knows the models
        listed in `transcript/protocol/models.json` (with their aliases, dated ids, Bedrock and
        Vertex ids).  For any other model it says so once and skips those checks rather
        than guess: an unknown model is never an error (the API answers `404
        not_found_error` `model: ...` for a model that does not exist).  An id that reads as
        a Claude model id (`claude-opus-5-7`: family Opus, version 5.7) is judged by the
        table's "and later" rules for its family (sampling parameters are refused on Opus
        4.7 and later), and the info says the model was inferred.  Add a model, or correct
        one, in the configuration: `[tool.transcript.models."claude-x"]` with the keys of
        `models.json` (`max_output_tokens`, `context_window`, `prefill`, `sampling`...).
    """,
    bad='{"model": "claude-future-9", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def unknown_model(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    if ctx.model_id is None:
        return
    model = ctx.model
    if model is None:
        yield unknown_model.rule.diagnostic(
            f"unknown model {ctx.model_id!r}: model-specific checks skipped", _at("/model")
        )
    elif model.inferred:
        name = model.family.capitalize() if model.family else "?"
        version = ".".join(map(str, model.version)) if model.version else ""
        applied = f"the rules for {', '.join(model.later)} apply" if model.later else "no rule of the table applies to it"
        yield unknown_model.rule.diagnostic(
            f"unknown model {ctx.model_id!r}, inferred from its name as {name} {version}: {applied}; "
            "other model-specific checks skipped",
            _at("/model"),
        )


@rule(
    "R014",
    "effort-level-unsupported",
    severity="error",
    summary="`output_config.effort` names a level the model does not support.",
    explanation="""
        Models support different effort levels.  The server's answer for
        `"effort": "xhigh"` on claude-opus-4-6 (recorded in the real corpus) is: `This model
        does not support effort level 'xhigh'. Supported levels: high, low, max, medium.`
        transcript checks the levels recorded for the model in its model table and skips
        models whose levels it does not know.
    """,
    bad='{"model": "claude-opus-4-6", "max_tokens": 4096, "output_config": {"effort": "xhigh"}, "messages": [{"role": "user", "content": "Hello"}]}',
    good='{"model": "claude-opus-4-6", "max_tokens": 4096, "output_config": {"effort": "max"}, "messages": [{"role": "user", "content": "Hello"}]}',
    runner="request",
)
def effort_unsupported(request: dict[str, Any], ctx: RequestContext) -> Iterator[Diagnostic]:
    model = ctx.model
    config = request.get("output_config")
    if model is None or model.effort is None or not isinstance(config, dict):
        return
    effort = config.get("effort")
    if isinstance(effort, str) and effort not in model.effort:
        yield effort_unsupported.rule.diagnostic(
            f"This model does not support effort level '{effort}'. Supported levels: {', '.join(sorted(model.effort))}.",
            _at("/output_config/effort"),
        )
