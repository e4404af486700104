"""Text Completions request bodies <-> Messages request bodies (converter spec 4.4).

:func:`completion_request_to_messages` turns a ``POST /v1/complete`` body into a
``POST /v1/messages`` body: the prompt is converted
(:func:`~transcript.prompt.convert.prompt_to_messages`), ``max_tokens_to_sample`` becomes
``max_tokens``, the built-in ``"\\n\\nHuman:"`` stop sequence is dropped, major-only model
aliases need a mapping, and the migrated request is judged by the request linter for the
model it names (``L013``).  :func:`messages_request_to_completion` goes the other way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from transcript.core.diagnostics import Diagnostic, Location, Severity, join_pointer
from transcript.core.jsontext import short_json, type_name
from transcript.legacy import codes
from transcript.prompt.convert import Conversion, messages_to_prompt, prompt_to_messages
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS
from transcript.request.context import LintOptions
from transcript.request.lint import lint_request_value

__all__ = [
    "COMPLETION_REQUEST_FIELDS",
    "LEGACY_OUTPUT_CAP",
    "completion_request_to_messages",
    "map_model",
    "messages_request_to_completion",
    "parse_model_map",
    "refusals",
]

LEGACY_OUTPUT_CAP = 4096
_ALIAS = re.compile(r"^claude-(?:instant-)?v?\d+$")
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
    diags: list[Diagnostic] = []
    if not isinstance(body, dict):
        return Conversion(None, [codes.NOT_A_LEGACY_BODY.diagnostic(f"a request body must be an object, not {type_name(body)}", _at(""))])
    failed = False
    out: dict[str, Any] = {}

    model = body.get("model")
    if "model" not in body:
        diags.append(codes.INVALID_LEGACY_FIELD.diagnostic("the request has no 'model'", _at("")))
        failed = True
    elif not isinstance(model, str):
        diags.append(codes.INVALID_LEGACY_FIELD.diagnostic(f"'model' must be a string, not {type_name(model)}", _at("/model")))
        failed = True
    else:
        mapped, said = map_model(model, model_map, _at("/model"))
        if said is not None:
            diags.append(said)
        if mapped is None:
            failed = True
        else:
            out["model"] = mapped

    max_tokens = body.get("max_tokens_to_sample")
    if "max_tokens_to_sample" not in body:
        diags.append(codes.INVALID_LEGACY_FIELD.diagnostic("the request has no 'max_tokens_to_sample'", _at("")))
        failed = True
    elif not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 0:
        diags.append(
            codes.INVALID_LEGACY_FIELD.diagnostic(
                f"'max_tokens_to_sample' must be a non-negative integer, not {short_json(max_tokens)}",
                _at("/max_tokens_to_sample"),
            )
        )
        failed = True
    else:
        out["max_tokens"] = max_tokens
        if max_tokens > LEGACY_OUTPUT_CAP:
            diags.append(
                codes.MAX_TOKENS_ABOVE_CAP.diagnostic(
                    f"max_tokens_to_sample {max_tokens} is above {LEGACY_OUTPUT_CAP}, the most the legacy models "
                    "produced; the Messages API rejects a max_tokens above the model's limit",
                    _at("/max_tokens_to_sample"),
                )
            )

    prompt = body.get("prompt")
    if "prompt" not in body:
        diags.append(codes.INVALID_LEGACY_FIELD.diagnostic("the request has no 'prompt'", _at("")))
        failed = True
    elif not isinstance(prompt, str):
        diags.append(codes.INVALID_LEGACY_FIELD.diagnostic(f"'prompt' must be a string, not {type_name(prompt)}", _at("/prompt")))
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
                    codes.INVALID_LEGACY_FIELD.diagnostic("'stop_sequences' must be a list of strings", _at("/stop_sequences"))
                )
                failed = True
                continue
            kept = [s for s in value if s not in LEGACY_HUMAN_STOPS]
            for i, s in enumerate(value):
                if s in LEGACY_HUMAN_STOPS:
                    diags.append(
                        codes.BUILTIN_STOP_REMOVED.diagnostic(
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
            codes.UNKNOWN_FIELD.diagnostic(
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
    refused = refusals(ordered, strict=strict)
    diags.extend(refused)
    # Under --strict a request the API would refuse is a failed migration: nothing is output.
    return Conversion(None if strict and refused else ordered, diags)


def _legacy_pointer(pointer: str) -> str:
    """The field of the legacy request that a pointer into the migrated request came from."""
    head = pointer.split("/")[1] if pointer else ""
    if head in ("messages", "system"):
        return "/prompt"
    if head == "max_tokens":
        return "/max_tokens_to_sample"
    return "/" + head if head else ""


def map_model(model: str, model_map: Mapping[str, str] | None, where: Location) -> tuple[str | None, Diagnostic | None]:
    """The model a migrated request names, and what to say of it: ``model_map``'s model (an
    ``L002`` note), ``None`` for a major-only alias the Messages API refuses (an ``L002``
    error), else the model itself.  Used for bodies and for code (:mod:`transcript.codemod`)."""
    mapping = model_map or {}
    if model in mapping:
        new = mapping[model]
        return new, codes.MODEL_ALIAS.diagnostic(f"model {model!r} mapped to {new!r}", where, severity=Severity.INFO)
    if _ALIAS.match(model):
        return None, codes.MODEL_ALIAS.diagnostic(
            f"{model!r} is a major-version alias, which the Messages API does not accept",
            where,
            hint=f"name the model to use: --model-map {model}=<model id>",
        )
    return model, None


def refusals(
    migrated: dict[str, Any], *, strict: bool = False, at: Callable[[str], Location] = _at
) -> list[Diagnostic]:
    """What the Messages API would refuse in the migrated request, as L013 diagnostics
    (warnings; errors under ``strict``), each placed by ``at`` at the legacy field it came
    from (``/prompt``, ``/max_tokens_to_sample``...: a JSON pointer by default).

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
                at(_legacy_pointer(d.location.pointer or "")),
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

    if not isinstance(body, dict):
        return Conversion(None, [codes.NOT_A_LEGACY_BODY.diagnostic(f"a request body must be an object, not {type_name(body)}", _at(""))])
    diags: list[Diagnostic] = []
    failed = False
    out: dict[str, Any] = {}
    model = body.get("model")
    if not isinstance(model, str):
        diags.append(
            codes.INVALID_LEGACY_FIELD.diagnostic(
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
            codes.INVALID_LEGACY_FIELD.diagnostic(
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
                codes.UNSUPPORTED_PARAM.diagnostic(
                    f"{key!r} has no Text Completions equivalent", _at(join_pointer(key)),
                )
            )
            failed = True
    if failed:
        return Conversion(None, diags)
    return Conversion(out, diags)
