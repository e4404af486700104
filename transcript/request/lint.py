"""Lint a Messages API request body the way the API server judges it.

The pipeline for a request given as text::

    load_json (X004 invalid JSON, X005 too deep, X006 duplicate key: located)
    -> top-level type check (X008: a request is a JSON object)
    -> JSON Schema validation (V, via :mod:`transcript.protocol.schema`)
    -> semantic rules (R, M, T, I, C, K: every rule of :mod:`transcript.request.rules`)
    -> JSON pointer -> line and column, only for what is reported.

Parsing never builds positions (:mod:`transcript.core.jsontext`);
:mod:`transcript.core.jsonpos` walks the text only to place the diagnostics that are
reported.  Nothing here raises on bad content.

Library entry point: :func:`lint_request` takes a parsed value or JSON text.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

import attrs

from transcript.core.diagnostics import Diagnostic, DiagnosticSink, Location, Severity, sort_diagnostics
from transcript.core.jsonpos import locate_diagnostics
from transcript.core.jsontext import UNPARSED, load_json, not_a_tree, not_an_object
from transcript.core.registry import REGISTRY
from transcript.core.sources import decode_text
from transcript.protocol.codes import MISSING_FIELD, VALUE_NOT_ALLOWED, WRONG_TYPE
from transcript.protocol.documents import PROVIDER_VERSIONS, REQUEST_SHAPES, RequestShape, request_shape
from transcript.protocol.schema import SchemaReport
from transcript.protocol.vocabulary import TARGETS, Target
from transcript.request import rules  # noqa: F401 - registers every request and response rule
from transcript.request.context import LintOptions, RequestContext

__all__ = [
    "lint_request",
    "lint_request_text",
    "lint_request_value",
    "lint_request_into",
    "locate",
    "REQUEST_SCHEMA",
    "AT_KEY",
]

REQUEST_SCHEMA = "messages-request"

#: Diagnostics placed at the key of the member they are about rather than at its value.
AT_KEY = frozenset({"V001", "V007"})


def locate(diagnostics: Iterable[Diagnostic], text: str | None) -> list[Diagnostic]:
    """Place pointer-only diagnostics of a request or response in its JSON text."""
    return locate_diagnostics(diagnostics, text, at_key=AT_KEY)


@cache
def _request_checks() -> tuple[Callable[..., Iterable[Diagnostic]], ...]:
    return tuple(r.check for r in REGISTRY.of_runner("request") if r.check is not None)


def _schema_report(value: Any, count_tokens: bool, shape: RequestShape = "request") -> tuple[list[Diagnostic], SchemaReport]:
    """What the schema says of a body: the provider's own fields, and the report of the rest."""
    if count_tokens and isinstance(value, dict) and "max_tokens" not in value:
        # A token-counting body is a Messages body without max_tokens.
        value = {**value, "max_tokens": 1}
    out: list[Diagnostic] = []
    if isinstance(value, dict) and shape != "request":
        # A conversation has neither model nor max_tokens; a Bedrock or Vertex AI body has
        # anthropic_version where the model would be (the model is in the URL).  The rest
        # is judged by the request schema, with stand-ins for what the shape leaves out.
        value = dict(value)
        if shape in PROVIDER_VERSIONS:
            out.extend(_provider_version(value.pop("anthropic_version", None), shape))
            if "anthropic_beta" in value:
                out.extend(_provider_betas(value.pop("anthropic_beta")))
        else:
            value.setdefault("max_tokens", 1)
            if isinstance(value.get("meta"), dict):
                # convert --meta keeps what makes the round trip exact beside the messages:
                # the conversation's own data, never sent
                del value["meta"]
        value.setdefault("model", "claude-sonnet-4-5")
    return out, SchemaReport.of(value, REQUEST_SCHEMA)


def _provider_version(version: Any, shape: str) -> list[Diagnostic]:
    known = PROVIDER_VERSIONS[shape]
    provider = {"bedrock": "Amazon Bedrock", "vertex": "Google Vertex AI"}[shape]
    if version is None:
        return [MISSING_FIELD.diagnostic(
            f"missing required field 'anthropic_version': a {provider} body names the API version ({known[0]!r})",
            Location(pointer=""),
        )]
    if version not in known:
        return [VALUE_NOT_ALLOWED.diagnostic(
            f"anthropic_version: Input should be {' or '.join(repr(k) for k in known)} for {provider}; found {version!r}",
            Location(pointer="/anthropic_version"),
        )]
    return []


def _provider_betas(betas: Any) -> list[Diagnostic]:
    if isinstance(betas, list) and all(isinstance(b, str) for b in betas):
        return []
    return [WRONG_TYPE.diagnostic("anthropic_beta: Input should be a valid list of strings", Location(pointer="/anthropic_beta"))]


def _shape(value: Any, shape: RequestShape | None) -> RequestShape:
    if shape is None:
        return request_shape(value)
    if shape not in REQUEST_SHAPES:
        raise ValueError(f"unknown request shape {shape!r} (expected one of {', '.join(REQUEST_SHAPES)})")
    return shape


def lint_request_value(
    value: Any,
    options: LintOptions | None = None,
    *,
    body_size: int | None = None,
    count_tokens: bool = False,
    shape: RequestShape | None = None,
) -> list[Diagnostic]:
    """Lint a parsed request.  Diagnostics carry JSON pointers (no line numbers).

    ``shape`` is one of :data:`~transcript.protocol.documents.REQUEST_SHAPES`, told from
    the body when not given; a Bedrock or Vertex AI body is judged for its provider
    whatever ``options.target`` says.
    """
    schema, semantic = DiagnosticSink(sys.maxsize), DiagnosticSink(sys.maxsize)
    _judge(value, options, schema, semantic, body_size=body_size, count_tokens=count_tokens, shape=shape)
    return schema.items + semantic.items


def lint_request_into(
    sink: DiagnosticSink,
    value: Any,
    options: LintOptions | None = None,
    *,
    body_size: int | None = None,
    count_tokens: bool = False,
    shape: RequestShape | None = None,
) -> None:
    """:func:`lint_request_value` into ``sink``, which keeps the first of each code: those it
    only counts are never built (a body of a million unknown keys or empty messages costs
    its own size, not a diagnostic for each)."""
    _judge(value, options, sink, sink, body_size=body_size, count_tokens=count_tokens, shape=shape)


def _judge(
    value: Any,
    options: LintOptions | None,
    schema_sink: DiagnosticSink,
    sink: DiagnosticSink,
    *,
    body_size: int | None,
    count_tokens: bool,
    shape: RequestShape | None,
) -> None:
    """The semantic rules' diagnostics into ``sink``, then the schema's into ``schema_sink``,
    but those at a pointer a rule reported an error at (its message is the richer one)."""
    options = options or LintOptions()
    if not isinstance(value, dict):
        schema_sink.add(not_an_object(value, "a Messages request body (a JSON object)"))
        return
    shape = _shape(value, shape)
    if shape == "bedrock" and options.target != "bedrock":
        options = attrs.evolve(options, target="bedrock")
    elif shape == "vertex" and options.target != "vertex":
        options = attrs.evolve(options, target="vertex")
    ctx = RequestContext(value, options, body_size=body_size, count_tokens=count_tokens)
    provider, report = _schema_report(value, count_tokens, shape)
    provided = {d.location.pointer for d in provider}
    taken: set[str] = set()  # pointers of schema diagnostics a rule reported too
    for check in _request_checks():
        for d in check(value, ctx):
            pointer = d.location.pointer
            # only an error says what a schema error does: a warning at its pointer (the
            # prompt's length, at /messages) leaves the error (too many messages) standing
            if d.severity is Severity.ERROR and pointer is not None and (pointer in provided or report.covers(pointer)):
                taken.add(pointer)
            if not sink.skip(d.code, d.severity):  # past the code's cap it is only counted
                sink.add(ctx.renumbered(d))
    for d in provider:
        if d.location.pointer not in taken:
            schema_sink.add(ctx.renumbered(d))

    def skip(code: str, severity: Severity, pointer: str) -> bool:
        return pointer in taken or schema_sink.skip(code, severity)

    for d in report.diagnostics(skip):
        schema_sink.add(ctx.renumbered(d))


def _utf8_size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def lint_request_text(
    text: str,
    options: LintOptions | None = None,
    *,
    count_tokens: bool = False,
    value: Any = UNPARSED,
    shape: RequestShape | None = None,
) -> list[Diagnostic]:
    """Lint request JSON text: every diagnostic located by line and column.

    ``value`` may pass the already-parsed ``text`` (a sniffer that parsed it).
    """
    value, diagnostics = load_json(text, value=value)
    if diagnostics:
        return diagnostics
    sink = DiagnosticSink()
    lint_request_into(sink, value, options, body_size=_utf8_size(text), count_tokens=count_tokens, shape=shape)
    sink.place(lambda kept: locate(kept, text))
    return sort_diagnostics(sink.result())


def lint_request(
    value_or_text: Any,
    *,
    target: Target = "anthropic",
    strict: bool = False,
    count_tokens: bool = False,
) -> list[Diagnostic]:
    """Lint a Messages request: a parsed value (dict) or its JSON text (str or bytes).

    ``target`` is ``anthropic``, ``bedrock`` or ``vertex``.  Text gives diagnostics with
    line and column; a value gives JSON pointers only.  Never raises on bad content.

    >>> [d.code for d in lint_request({"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": []})]
    ['R001']
    """
    if target not in TARGETS:  # a usage error, not bad content
        raise ValueError(f"unknown target {target!r} (expected one of {', '.join(TARGETS)})")
    options = LintOptions(target=target, strict=strict)
    if isinstance(value_or_text, (bytes, bytearray, memoryview)):
        text, diagnostics = decode_text(bytes(value_or_text))
        if text is None:
            return diagnostics
        return lint_request_text(text, options, count_tokens=count_tokens)
    if isinstance(value_or_text, str):
        return lint_request_text(value_or_text, options, count_tokens=count_tokens)
    broken = not_a_tree(value_or_text)  # a value built in code may contain itself
    if broken is not None:
        return [broken]
    return lint_request_value(value_or_text, options, count_tokens=count_tokens)
