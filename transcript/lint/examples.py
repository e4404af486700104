"""The example runners: every rule's bad and good example, run through its job's real pipeline.

A rule names its runner (``Rule.runner``); the runner takes the example text and the
rule's ``example_options`` and returns what the pipeline reports.  The test suite checks
that each bad example reports its rule and each good example does not, so the examples
shown by ``transcript rule CODE`` and in ``docs/rules.md`` are tests.

To add a runner (for a new sort of example): add a function here and a row to
:data:`EXAMPLE_RUNNERS`.
"""

from __future__ import annotations

import codecs
import io
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from transcript.codemod.migrate import CodeOptions, migrate_source
from transcript.core.diagnostics import Diagnostic
from transcript.core.jsontext import load_json
from transcript.core.registry import Rule
from transcript.core.sources import MAX_INPUT_BYTES, Source, decode_source
from transcript.legacy.migrate import migrate_text
from transcript.lint.driver import lint_paths, lint_source
from transcript.prompt.convert import messages_to_prompt, prompt_to_messages
from transcript.protocol.schema import validate_document
from transcript.request.context import LintOptions
from transcript.request.jsonl import lint_jsonl_text
from transcript.request.lint import lint_request_value
from transcript.request.response import lint_response_text
from transcript.stream.replay import lint_stream

__all__ = ["ExampleRunner", "EXAMPLE_RUNNERS", "run_example"]

ExampleRunner = Callable[[str, Mapping[str, Any]], Iterable[Diagnostic]]


def _bytes(text: str) -> bytes:
    """Input examples are written with Python byte escapes (``caf\\xe9``)."""
    return codecs.escape_decode(text.encode("utf-8"))[0]


def _options(options: Mapping[str, Any]) -> LintOptions:
    return LintOptions(
        target=options.get("target", "anthropic"),
        strict=bool(options.get("strict", False)),
        settings=dict(options.get("settings", {})),
        betas=tuple(options.get("betas", ())),
    )


def _input(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    source = Source.from_stream(io.BytesIO(_bytes(text)), "example", limit=options.get("limit", MAX_INPUT_BYTES))
    return decode_source(source, limit=options.get("limit", MAX_INPUT_BYTES))[1]


def _path(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    """The example is a file name, looked up in a directory that holds one valid request,
    ``hello.request.json``."""
    with tempfile.TemporaryDirectory() as tmp:
        body = '{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello"}]}'
        Path(tmp, "hello.request.json").write_text(body, encoding="utf-8")
        return [d for result in lint_paths([str(Path(tmp, text))]) for d in result.diagnostics]


def _json(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    return load_json(text)[1]


def _input_kind(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    return lint_source(Source(name="example", data=_bytes(text)))[1]


def _schema(schema_name: str) -> ExampleRunner:
    def run(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
        value, diagnostics = load_json(text)
        if diagnostics:
            return diagnostics
        return validate_document(text, value, schema_name)

    return run


def _request(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    value, diagnostics = load_json(text)
    if diagnostics:
        return diagnostics
    size = len(text.encode("utf-8")) * int(options.get("size_scale", 1))
    return lint_request_value(value, _options(options), body_size=size)


def _response(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    return lint_response_text(text, _options(options))


def _jsonl(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    return lint_jsonl_text(text, _options(options))


def _prompt(text: str, options: Mapping[str, Any]) -> Iterable[Diagnostic]:
    return prompt_to_messages(text, **dict(options)).diagnostics


def _render(text: str, options: Mapping[str, Any]) -> Iterable[Diagnostic]:
    return messages_to_prompt(text, **dict(options)).diagnostics


def _legacy(text: str, options: Mapping[str, Any]) -> Iterable[Diagnostic]:
    return migrate_text(text, **dict(options)).diagnostics


def _stream(text: str, options: Mapping[str, Any]) -> list[Diagnostic]:
    return lint_stream(
        text.encode("utf-8"),
        strict=bool(options.get("strict", False)),
        to=options.get("to"),
        input_format=options.get("input_format"),
    )


def _code(text: str, options: Mapping[str, Any]) -> Iterable[Diagnostic]:
    return migrate_source(text, CodeOptions(**dict(options))).diagnostics


#: Runner name -> runner.
EXAMPLE_RUNNERS: Mapping[str, ExampleRunner] = {
    "input": _input,
    "path": _path,
    "json": _json,
    "input-kind": _input_kind,
    "schema-request": _schema("messages-request"),
    "schema-message": _schema("message"),
    "request": _request,
    "response": _response,
    "jsonl": _jsonl,
    "prompt": _prompt,
    "prompt-render": _render,
    "legacy": _legacy,
    "stream": _stream,
    "code": _code,
}


def run_example(rule: Rule, example: str) -> list[Diagnostic]:
    """What the rule's runner reports for ``example`` (its ``bad`` or ``good`` text)."""
    return list(EXAMPLE_RUNNERS[rule.runner](example, rule.example_options))
