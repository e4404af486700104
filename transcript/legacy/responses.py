"""Text Completions responses <-> Messages (converter spec 4.5): a Completion becomes a
Message (:func:`completion_to_message`) and back (:func:`message_to_completion`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transcript.core.diagnostics import Diagnostic, Location, Severity, join_pointer
from transcript.core.jsontext import short_json, type_name
from transcript.legacy import codes
from transcript.prompt.convert import Conversion
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS, STOP_REASONS

__all__ = ["completion_to_message", "message_to_completion"]


def _at(pointer: str) -> Location:
    return Location(pointer=pointer)


def completion_to_message(
    body: Any,
    *,
    strip_leading_space: bool = False,
    request: Mapping[str, Any] | None = None,
) -> Conversion:
    """A Text Completions response -> a Message (spec 4.5).

    ``request`` (the TC request, optional) tells which stop sequences were the caller's.
    """

    if not isinstance(body, dict):
        return Conversion(None, [codes.NOT_A_LEGACY_BODY.diagnostic(f"a response body must be an object, not {type_name(body)}", _at(""))])
    diags: list[Diagnostic] = []
    completion = body.get("completion")
    if not isinstance(completion, str):
        diags.append(
            codes.INVALID_LEGACY_FIELD.diagnostic(
                f"'completion' must be a string, not {type_name(completion)}" if "completion" in body else "the response has no 'completion'",
                _at("/completion" if "completion" in body else ""),
            )
        )
        return Conversion(None, diags)
    if strip_leading_space and completion.startswith(" "):
        completion = completion[1:]
        diags.append(codes.LEADING_SPACE_STRIPPED.diagnostic("one leading space removed from the completion", _at("/completion")))

    stop_reason = body.get("stop_reason")
    stop = body.get("stop")
    stop_sequence: str | None = None
    custom: list[str] = []
    if request is not None and isinstance(request.get("stop_sequences"), list):
        custom = [s for s in request["stop_sequences"] if isinstance(s, str) and s not in LEGACY_HUMAN_STOPS]
    if stop_reason is None:
        mapped = None
    elif stop_reason == "max_tokens":
        mapped = "max_tokens"
    elif stop_reason == "stop_sequence":
        if isinstance(stop, str) and stop not in LEGACY_HUMAN_STOPS and (request is None or stop in custom):
            mapped = "stop_sequence"
            stop_sequence = stop
        elif isinstance(stop, str):
            mapped = "end_turn"
        else:
            mapped = "end_turn"
            diags.append(
                codes.STOP_REASON_ASSUMED.diagnostic(
                    "stop_reason 'stop_sequence' without the matched sequence: taken as a natural end (end_turn)",
                    _at("/stop_reason"),
                )
            )
    elif isinstance(stop_reason, str) and stop_reason in STOP_REASONS:
        mapped = stop_reason
    else:
        diags.append(
            codes.INVALID_LEGACY_FIELD.diagnostic(
                f"unknown stop_reason {short_json(stop_reason)}", _at("/stop_reason")
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
            codes.USAGE_UNAVAILABLE.diagnostic(
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
                codes.UNKNOWN_FIELD.diagnostic(f"{key!r} is not a Text Completions response field; carried over", _at(join_pointer(key)))
            )
            out[key] = value
    if body.get("type") not in (None, "completion"):
        diags.append(
            codes.INVALID_LEGACY_FIELD.diagnostic(f"'type' is {short_json(body.get('type'))}, expected 'completion'", _at("/type"))
        )
        return Conversion(None, diags)
    return Conversion(out, diags)


def message_to_completion(body: Any, *, unmappable_stop: str = "error") -> Conversion:
    """A Message -> a Text Completions response (spec 4.5, stop_reason M->TC)."""
    if unmappable_stop not in ("error", "stop_sequence"):
        raise ValueError("unmappable_stop must be 'error' or 'stop_sequence'")
    if not isinstance(body, dict):
        return Conversion(None, [codes.NOT_A_LEGACY_BODY.diagnostic(f"a response body must be an object, not {type_name(body)}", _at(""))])
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
                    codes.UNSUPPORTED_RESPONSE_BLOCK.diagnostic(
                        f"a {block['type']} block cannot be part of a completion", _at(f"/content/{i}")
                    )
                )
                failed = True
            else:
                diags.append(codes.INVALID_LEGACY_FIELD.diagnostic("a content block must be an object with a 'type'", _at(f"/content/{i}")))
                failed = True
    else:
        diags.append(
            codes.INVALID_LEGACY_FIELD.diagnostic(
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
            codes.STOP_REASON_UNMAPPABLE.diagnostic(
                f"stop_reason {short_json(stop_reason)} has no Text Completions equivalent; written as 'stop_sequence'",
                _at("/stop_reason"),
                severity=Severity.WARNING,
            )
        )
    else:
        diags.append(
            codes.STOP_REASON_UNMAPPABLE.diagnostic(
                f"stop_reason {short_json(stop_reason)} has no Text Completions equivalent",
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
