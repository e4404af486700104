"""Text Completions bodies <-> Messages bodies (converter spec 4.4 and 4.5).

- :func:`completion_request_to_messages`: a ``POST /v1/complete`` body becomes a
  ``POST /v1/messages`` body: the prompt is converted (:func:`~transcript.convert.prompt_to_messages`),
  ``max_tokens_to_sample`` becomes ``max_tokens``, the built-in ``"\\n\\nHuman:"`` stop
  sequence is dropped, major-only model aliases need a mapping.
- :func:`messages_request_to_completion`: the reverse.
- :func:`completion_to_message` / :func:`message_to_completion`: response bodies.
- :func:`migrate_value` picks the direction from the body's shape, and
  :func:`migrate_text` reads one JSON document or JSONL (one body per line).

Diagnostics carry JSON pointers, and line and column when the JSON text is known.
Nothing here raises on bad content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import orjson
from attrs import field, frozen

from transcript.core.codes import EMPTY_INPUT
from transcript.core.diagnostics import (
    Diagnostic,
    Location,
    Severity,
    diagnostic_tuple,
    join_pointer,
)
from transcript.core.jsonpos import locate_diagnostics
from transcript.core.jsontext import load_json, type_name
from transcript.legacy import codes
from transcript.prompt.convert import Conversion, messages_to_prompt, prompt_to_messages
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS, STOP_REASONS
from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_value

__all__ = [
    "Migration",
    "completion_request_to_messages",
    "messages_request_to_completion",
    "completion_to_message",
    "message_to_completion",
    "migrate_value",
    "migrate_text",
    "detect_body",
    "parse_model_map",
    "looks_like_completion_request",
    "looks_like_completion_response",
    "looks_like_completion_jsonl",
]

BUILTIN_STOPS = LEGACY_HUMAN_STOPS
LEGACY_OUTPUT_CAP = 4096
_ALIAS = re.compile(r"^claude-(?:instant-)?v?\d+$")
_LEGACY_MODEL = re.compile(r"^(?:anthropic\.)?claude-(?:instant-)?v?\d")
COMPLETION_REQUEST_FIELDS = (
    "model",
    "prompt",
    "max_tokens_to_sample",
    "stop_sequences",
    "temperature",
    "top_p",
    "top_k",
    "metadata",
    "stream",
)
PASSTHROUGH = ("stop_sequences", "temperature", "top_p", "top_k", "metadata", "stream")



def _at(pointer: str) -> Location:
    return Location(pointer=pointer)


def parse_model_map(pairs: list[str] | tuple[str, ...] | None) -> dict[str, str]:
    """``["claude-2=claude-2.1", ...]`` -> ``{"claude-2": "claude-2.1"}`` (``ValueError`` if malformed)."""
    out: dict[str, str] = {}
    for pair in pairs or ():
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise ValueError(f"--model-map takes OLD=NEW, not {pair!r}")
        out[old.strip()] = new.strip()
    return out


# ---------------------------------------------------------------- requests


def completion_request_to_messages(
    body: Any,
    *,
    model_map: Mapping[str, str] | None = None,
    strict: bool = False,
    prompt_options: Mapping[str, Any] | None = None,
) -> Conversion:
    """A Text Completions request body -> a Messages request body (spec 4.4)."""
    R = codes
    diags: list[Diagnostic] = []
    if not isinstance(body, dict):
        return Conversion(None, [R.NOT_A_LEGACY_BODY.diagnostic(f"a request body must be an object, not {type_name(body)}", _at(""))])
    failed = False
    out: dict[str, Any] = {}

    model = body.get("model")
    if "model" not in body:
        diags.append(R.INVALID_LEGACY_FIELD.diagnostic("the request has no 'model'", _at("")))
        failed = True
    elif not isinstance(model, str):
        diags.append(R.INVALID_LEGACY_FIELD.diagnostic(f"'model' must be a string, not {type_name(model)}", _at("/model")))
        failed = True
    else:
        mapping = dict(model_map or {})
        if model in mapping:
            diags.append(
                R.MODEL_ALIAS.diagnostic(
                    f"model {model!r} mapped to {mapping[model]!r}", _at("/model"), severity=Severity.INFO
                )
            )
            out["model"] = mapping[model]
        elif _ALIAS.match(model):
            diags.append(
                R.MODEL_ALIAS.diagnostic(
                    f"{model!r} is a major-version alias, which the Messages API does not accept",
                    _at("/model"),
                    hint=f"name the model to use: --model-map {model}=<model id>",
                )
            )
            failed = True
        else:
            out["model"] = model

    max_tokens = body.get("max_tokens_to_sample")
    if "max_tokens_to_sample" not in body:
        diags.append(R.INVALID_LEGACY_FIELD.diagnostic("the request has no 'max_tokens_to_sample'", _at("")))
        failed = True
    elif not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 0:
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(
                f"'max_tokens_to_sample' must be a non-negative integer, not {max_tokens!r}"[:200],
                _at("/max_tokens_to_sample"),
            )
        )
        failed = True
    else:
        out["max_tokens"] = max_tokens
        if max_tokens > LEGACY_OUTPUT_CAP:
            diags.append(
                R.MAX_TOKENS_ABOVE_CAP.diagnostic(
                    f"max_tokens_to_sample {max_tokens} is above {LEGACY_OUTPUT_CAP}, the most the legacy models "
                    "produced; the Messages API rejects a max_tokens above the model's limit",
                    _at("/max_tokens_to_sample"),
                )
            )

    prompt = body.get("prompt")
    if "prompt" not in body:
        diags.append(R.INVALID_LEGACY_FIELD.diagnostic("the request has no 'prompt'", _at("")))
        failed = True
    elif not isinstance(prompt, str):
        diags.append(R.INVALID_LEGACY_FIELD.diagnostic(f"'prompt' must be a string, not {type_name(prompt)}", _at("/prompt")))
        failed = True
    else:
        options = dict(prompt_options or {})
        options.setdefault("strict", strict)
        conv = prompt_to_messages(prompt, **options)
        for d in conv.diagnostics:
            where = ""
            if d.location.line is not None:
                where = f" (prompt line {d.location.line}, column {d.location.column})"
            diags.append(attrs.evolve(d, message=d.message + where, location=Location(pointer="/prompt")))
        if conv.value is None:
            failed = True
        else:
            if "system" in conv.value:
                out["system"] = conv.value["system"]
            out["messages"] = conv.value["messages"]

    for key in PASSTHROUGH:
        if key not in body:
            continue
        value = body[key]
        if key == "stop_sequences":
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                diags.append(
                    R.INVALID_LEGACY_FIELD.diagnostic("'stop_sequences' must be a list of strings", _at("/stop_sequences"))
                )
                failed = True
                continue
            kept = [s for s in value if s not in BUILTIN_STOPS]
            for i, s in enumerate(value):
                if s in BUILTIN_STOPS:
                    diags.append(
                        R.BUILTIN_STOP_REMOVED.diagnostic(
                            f"built-in stop sequence {s!r} removed (Messages ends the turn by itself)",
                            _at(f"/stop_sequences/{i}"),
                        )
                    )
            if kept:
                out["stop_sequences"] = kept
            continue
        out[key] = value
    for key, value in body.items():
        if key in COMPLETION_REQUEST_FIELDS:
            continue

        diags.append(
            R.UNKNOWN_FIELD.diagnostic(
                f"{key!r} is not a Text Completions parameter; carried over unchanged, but the Messages API "
                "rejects parameters it does not know",
                _at(join_pointer(key)),
            )
        )
        out[key] = value
    if failed:
        return Conversion(None, diags)
    ordered: dict[str, Any] = {k: out[k] for k in ("model", "max_tokens", "system", "messages") if k in out}
    ordered.update((k, v) for k, v in out.items() if k not in ordered)
    refusals = _refusals(ordered, strict=strict)
    diags.extend(refusals)
    # Under --strict a request the API would refuse is a failed migration: nothing is output.
    return Conversion(None if strict and refusals else ordered, diags)


def _legacy_pointer(pointer: str) -> str:
    """The field of the legacy request that a pointer into the migrated request came from."""
    head = pointer.split("/")[1] if pointer else ""
    if head in ("messages", "system"):
        return "/prompt"
    if head == "max_tokens":
        return "/max_tokens_to_sample"
    return "/" + head if head else ""


def _refusals(migrated: dict[str, Any], *, strict: bool) -> list[Diagnostic]:
    """What the Messages API would refuse in the migrated request, as L013 diagnostics
    (warnings; errors under ``strict``).

    Only the request linter's errors count; its findings about the prompt's shape are
    already reported by the prompt rules (P codes) at their prompt lines.
    """

    rule = codes.MIGRATED_REQUEST_REFUSED
    model = migrated.get("model")
    found = []
    for d in lint_request_value(migrated, LintOptions()):
        if d.severity is not Severity.ERROR:
            continue
        found.append(
            rule.diagnostic(
                f"for {model}, the Messages API would refuse the migrated request: {d.code} {d.message}",
                _at(_legacy_pointer(d.location.pointer or "")),
                severity=Severity.ERROR if strict else None,
                hint=d.hint,
            )
        )
    return found


MESSAGES_TO_COMPLETION_FIELDS = ("model", "messages", "system", "max_tokens") + PASSTHROUGH


def messages_request_to_completion(
    body: Any,
    *,
    strict: bool = False,
    render_options: Mapping[str, Any] | None = None,
) -> Conversion:
    """A Messages request body -> a Text Completions request body (the reverse of 4.4)."""
    R = codes

    if not isinstance(body, dict):
        return Conversion(None, [R.NOT_A_LEGACY_BODY.diagnostic(f"a request body must be an object, not {type_name(body)}", _at(""))])
    diags: list[Diagnostic] = []
    failed = False
    out: dict[str, Any] = {}
    model = body.get("model")
    if not isinstance(model, str):
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(
                "the request needs a string 'model'", _at("/model" if "model" in body else "")
            )
        )
        failed = True
    else:
        out["model"] = model
    options = dict(render_options or {})
    options.setdefault("strict", strict)
    conv = messages_to_prompt(body, **options)
    diags.extend(conv.diagnostics)
    if conv.value is None:
        failed = True
    else:
        out["prompt"] = conv.value
    max_tokens = body.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 0:
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(
                "the request needs a non-negative integer 'max_tokens'", _at("/max_tokens" if "max_tokens" in body else "")
            )
        )
        failed = True
    else:
        out["max_tokens_to_sample"] = max_tokens
    for key in PASSTHROUGH:
        if key in body:
            out[key] = body[key]
    for key in body:
        if key not in MESSAGES_TO_COMPLETION_FIELDS:
            diags.append(
                R.UNSUPPORTED_PARAM.diagnostic(
                    f"{key!r} has no Text Completions equivalent", _at(join_pointer(key)),
                )
            )
            failed = True
    if failed:
        return Conversion(None, diags)
    return Conversion(out, diags)


# --------------------------------------------------------------- responses


def completion_to_message(
    body: Any,
    *,
    strip_leading_space: bool = False,
    request: Mapping[str, Any] | None = None,
) -> Conversion:
    """A Text Completions response -> a Message (spec 4.5).

    ``request`` (the TC request, optional) tells which stop sequences were the caller's.
    """
    R = codes

    if not isinstance(body, dict):
        return Conversion(None, [R.NOT_A_LEGACY_BODY.diagnostic(f"a response body must be an object, not {type_name(body)}", _at(""))])
    diags: list[Diagnostic] = []
    completion = body.get("completion")
    if not isinstance(completion, str):
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(
                f"'completion' must be a string, not {type_name(completion)}" if "completion" in body else "the response has no 'completion'",
                _at("/completion" if "completion" in body else ""),
            )
        )
        return Conversion(None, diags)
    if strip_leading_space and completion.startswith(" "):
        completion = completion[1:]
        diags.append(R.LEADING_SPACE_STRIPPED.diagnostic("one leading space removed from the completion", _at("/completion")))

    stop_reason = body.get("stop_reason")
    stop = body.get("stop")
    stop_sequence: str | None = None
    custom: list[str] = []
    if request is not None and isinstance(request.get("stop_sequences"), list):
        custom = [s for s in request["stop_sequences"] if isinstance(s, str) and s not in BUILTIN_STOPS]
    if stop_reason is None:
        mapped = None
    elif stop_reason == "max_tokens":
        mapped = "max_tokens"
    elif stop_reason == "stop_sequence":
        if isinstance(stop, str) and stop not in BUILTIN_STOPS and (request is None or stop in custom):
            mapped = "stop_sequence"
            stop_sequence = stop
        elif isinstance(stop, str):
            mapped = "end_turn"
        else:
            mapped = "end_turn"
            diags.append(
                R.STOP_REASON_ASSUMED.diagnostic(
                    "stop_reason 'stop_sequence' without the matched sequence: taken as a natural end (end_turn)",
                    _at("/stop_reason"),
                )
            )
    elif isinstance(stop_reason, str) and stop_reason in STOP_REASONS:
        mapped = stop_reason
    else:
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(
                f"unknown stop_reason {stop_reason!r}"[:200], _at("/stop_reason")
            )
        )
        return Conversion(None, diags)

    metrics = body.get("amazon-bedrock-invocationMetrics")
    usage: dict[str, int]
    if (
        isinstance(metrics, dict)
        and isinstance(metrics.get("inputTokenCount"), int)
        and isinstance(metrics.get("outputTokenCount"), int)
    ):
        usage = {"input_tokens": metrics["inputTokenCount"], "output_tokens": metrics["outputTokenCount"]}
    else:
        usage = {"input_tokens": 0, "output_tokens": 0}
        diags.append(
            R.USAGE_UNAVAILABLE.diagnostic(
                "the completion carries no token usage; usage set to zero", _at("")
            )
        )
    out: dict[str, Any] = {}
    if "id" in body:
        out["id"] = body["id"]
    out["type"] = "message"
    out["role"] = "assistant"
    if "model" in body:
        out["model"] = body["model"]
    out["content"] = [{"type": "text", "text": completion}] if completion else []
    out["stop_reason"] = mapped
    out["stop_sequence"] = stop_sequence
    out["usage"] = usage
    known = ("id", "type", "model", "completion", "stop_reason", "stop", "amazon-bedrock-invocationMetrics", "log_id")
    for key, value in body.items():
        if key not in known:
            diags.append(
                R.UNKNOWN_FIELD.diagnostic(f"{key!r} is not a Text Completions response field; carried over", _at(join_pointer(key)))
            )
            out[key] = value
    if body.get("type") not in (None, "completion"):
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(f"'type' is {body.get('type')!r}, expected 'completion'"[:200], _at("/type"))
        )
        return Conversion(None, diags)
    return Conversion(out, diags)


def message_to_completion(body: Any, *, unmappable_stop: str = "error") -> Conversion:
    """A Message -> a Text Completions response (spec 4.5, stop_reason M->TC)."""
    if unmappable_stop not in ("error", "stop_sequence"):
        raise ValueError("unmappable_stop must be 'error' or 'stop_sequence'")
    R = codes
    if not isinstance(body, dict):
        return Conversion(None, [R.NOT_A_LEGACY_BODY.diagnostic(f"a response body must be an object, not {type_name(body)}", _at(""))])
    diags: list[Diagnostic] = []
    failed = False
    content = body.get("content")
    texts: list[str] = []
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        for i, block in enumerate(content):
            if isinstance(block, dict) and block.get("type") == "text" and isinstance(block.get("text"), str):
                texts.append(block["text"])
            elif isinstance(block, dict) and isinstance(block.get("type"), str):
                diags.append(
                    R.UNSUPPORTED_RESPONSE_BLOCK.diagnostic(
                        f"a {block['type']} block cannot be part of a completion", _at(f"/content/{i}")
                    )
                )
                failed = True
            else:
                diags.append(R.INVALID_LEGACY_FIELD.diagnostic("a content block must be an object with a 'type'", _at(f"/content/{i}")))
                failed = True
    else:
        diags.append(
            R.INVALID_LEGACY_FIELD.diagnostic(
                "the Message needs a 'content' list", _at("/content" if "content" in body else "")
            )
        )
        failed = True
    stop_reason = body.get("stop_reason")
    mapped: str | None
    if stop_reason is None:
        mapped = None
    elif stop_reason in ("end_turn", "stop_sequence"):
        mapped = "stop_sequence"
    elif stop_reason == "max_tokens":
        mapped = "max_tokens"
    elif unmappable_stop == "stop_sequence":
        mapped = "stop_sequence"
        diags.append(
            R.STOP_REASON_UNMAPPABLE.diagnostic(
                f"stop_reason {stop_reason!r} has no Text Completions equivalent; written as 'stop_sequence'"[:200],
                _at("/stop_reason"),
                severity=Severity.WARNING,
            )
        )
    else:
        diags.append(
            R.STOP_REASON_UNMAPPABLE.diagnostic(
                f"stop_reason {stop_reason!r} has no Text Completions equivalent"[:200],
                _at("/stop_reason"),
                hint="convert with --unmappable-stop stop_sequence to write 'stop_sequence'",
            )
        )
        failed = True
    if failed:
        return Conversion(None, diags)
    out: dict[str, Any] = {"type": "completion"}
    if "id" in body:
        out["id"] = body["id"]
    out["completion"] = "".join(texts)
    out["stop_reason"] = mapped
    if "model" in body:
        out["model"] = body["model"]
    return Conversion(out, diags)


# ------------------------------------------------------------- dispatching

KINDS = ("completion-request", "completion-response", "messages-request", "message")


def detect_body(value: Any) -> str | None:
    """Which kind of body ``value`` is, by its shape (``None`` when it is none of them)."""
    if not isinstance(value, dict):
        return None
    if "prompt" in value or "max_tokens_to_sample" in value:
        return "completion-request"
    if value.get("type") == "completion" or ("completion" in value and "content" not in value):
        return "completion-response"
    if "messages" in value:
        return "messages-request"
    if value.get("type") == "message" or (value.get("role") == "assistant" and "content" in value):
        return "message"
    return None


def migrate_value(
    value: Any,
    *,
    to: str | None = None,
    model_map: Mapping[str, str] | None = None,
    strict: bool = False,
    strip_leading_space: bool = False,
    unmappable_stop: str = "error",
    request: Mapping[str, Any] | None = None,
    prompt_options: Mapping[str, Any] | None = None,
    render_options: Mapping[str, Any] | None = None,
) -> Conversion:
    """Migrate one body in the direction its shape says (``to``: ``"messages"`` or ``"completion"``)."""
    R = codes
    if to not in (None, "messages", "completion"):
        raise ValueError("to must be 'messages' or 'completion'")
    kind = detect_body(value)
    if kind is None:
        what = "an object of unknown shape" if isinstance(value, dict) else type_name(value)
        return Conversion(
            None,
            [
                R.NOT_A_LEGACY_BODY.diagnostic(
                    f"expected a Text Completions request or response (or a Messages request or Message), got {what}",
                    _at(""),
                )
            ],
        )
    target = "messages" if kind.startswith("completion") else "completion"
    if to is not None and to != target:
        name = {"completion-request": "a Text Completions request", "completion-response": "a Text Completions response",
                "messages-request": "a Messages request", "message": "a Message"}[kind]
        return Conversion(None, [R.NOT_A_LEGACY_BODY.diagnostic(f"the input is already {name}; nothing to migrate to {to}", _at(""))])
    if kind == "completion-request":
        return completion_request_to_messages(value, model_map=model_map, strict=strict, prompt_options=prompt_options)
    if kind == "completion-response":
        return completion_to_message(value, strip_leading_space=strip_leading_space, request=request)
    if kind == "messages-request":
        return messages_request_to_completion(value, strict=strict, render_options=render_options)
    return message_to_completion(value, unmappable_stop=unmappable_stop)


def _records(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(items)


@frozen
class Migration:
    """The result of :func:`migrate_text`: one output per input record (``None`` if it failed)."""

    records: tuple[Any, ...] = field(converter=_records)
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple)
    jsonl: bool = False

    @property
    def ok(self) -> bool:
        return all(r is not None for r in self.records) and not any(d.severity is Severity.ERROR for d in self.diagnostics)


def _split_jsonl(text: str) -> list[tuple[int, str]] | None:
    lines = [(i, line) for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    return lines if len(lines) > 1 else None


def migrate_text(text: str, *, jsonl: bool | None = None, **options: Any) -> Migration:
    """Migrate a JSON document, or JSONL (one body per line).  ``jsonl=None`` detects it.

    Line numbers are the file's: a bad line is a located diagnostic and the other lines
    still convert.
    """

    if jsonl is None:
        value, diags = load_json(text)
        if not diags:
            conv = migrate_value(value, **options)
            return Migration([conv.value], locate_diagnostics(list(conv.diagnostics), text), False)
        lines = _split_jsonl(text)
        if lines is None or not any(
            isinstance(load_json(line, check_duplicates=False)[0], dict) for _, line in lines[:20]
        ):
            return Migration([None], diags, False)
        jsonl = True
    if not jsonl:
        value, diags = load_json(text)
        if diags:
            return Migration([None], diags, False)
        conv = migrate_value(value, **options)
        return Migration([conv.value], locate_diagnostics(list(conv.diagnostics), text), False)
    records: list[Any] = []
    all_diags: list[Diagnostic] = []
    for lineno, line in [(i, ln) for i, ln in enumerate(text.split("\n"), start=1) if ln.strip()]:
        value, diags = load_json(line.rstrip("\r"))
        if diags:
            records.append(None)
            all_diags.extend(d.with_location(d.location.shifted(lineno - 1)) for d in diags)
            continue
        conv = migrate_value(value, **options)
        records.append(conv.value)
        located = locate_diagnostics(list(conv.diagnostics), line)
        all_diags.extend(d.with_location(d.location.shifted(lineno - 1)) for d in located)
    if not records:

        all_diags.append(EMPTY_INPUT.diagnostic("the input has no JSON lines", Location(line=1, column=1)))
        records.append(None)
    return Migration(records, all_diags, True)


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
    stripped = text.lstrip()
    end = stripped.find("\n")
    first = stripped if end < 0 else stripped[:end]
    if not first.startswith("{"):
        return False
    try:
        value = orjson.loads(first)
    except orjson.JSONDecodeError:
        return '"max_tokens_to_sample"' in first
    return detect_body(value) in ("completion-request", "completion-response")
