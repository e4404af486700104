"""The fixes: for each fixable rule, the minimal text edits that repair one of its findings.

A fix is registered with its rule (:meth:`~transcript.core.registry.Registry.add_fix`), as
``safe`` (what is sent means the same: ``--fix``) or ``unsafe`` (it changes what the
model is asked or how it samples: ``--unsafe-fixes`` too).  A fix function takes a
:class:`Target` (the text of one document, a whole JSON file, one JSONL line or a
prompt, with its parsed value) and the diagnostic, and returns :class:`Edit` s, offsets
into that text; it returns nothing when it cannot repair this occurrence safely.  Every
byte outside the edits is kept: formatting, key order, other members.

To make a rule fixable: write its edit function here and register it in
:func:`register_fixes` (its bad example, fixed, must no longer report it: a test).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import orjson
from attrs import frozen

from transcript.core.diagnostics import Diagnostic, LineIndex
from transcript.core.jsonpos import member_spans, pointer_tokens, value_span
from transcript.core.registry import REGISTRY, Fix, Registry
from transcript.protocol.vocabulary import LEGACY_HUMAN_STOPS
from transcript.request.media import inspect_base64, sniff_media_type

__all__ = ["Edit", "Target", "register_fixes"]


@frozen
class Edit:
    """Replace ``text[start:end]`` with ``replacement``."""

    start: int
    end: int
    replacement: str


@frozen
class Target:
    """One document a fix edits: its text and (for JSON) its parsed value."""

    text: str
    value: Any = None


FixFunction = Callable[[Target, Diagnostic], Sequence[Edit]]

# -- JSON edits ------------------------------------------------------------------------------


def _parent(pointer: str) -> tuple[str, str] | None:
    tokens = pointer_tokens(pointer)
    if not tokens:
        return None
    head = "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens[:-1])
    return head, tokens[-1]


def _get(value: Any, pointer: str) -> Any:
    for token in pointer_tokens(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


def _json(value: Any) -> str:
    """A value as JSON text, characters outside ASCII kept as they are."""
    return orjson.dumps(value).decode("utf-8")


def remove_member(text: str, pointer: str, *, occurrence: int = -1) -> list[Edit]:
    """Delete the member ``pointer`` names (its key, its value, and one comma), keeping the
    layout of the others.  ``occurrence`` picks among duplicate keys (default: the last)."""
    parent = _parent(pointer)
    if parent is None:
        return []
    container, token = parent
    spans = member_spans(text, container)
    if not spans:
        return []
    if spans[0][0] is None:  # an array
        at = [i for i in range(len(spans)) if token.isdigit() and i == int(token)]
    else:
        at = [i for i, span in enumerate(spans) if span[0] == token]
    if not at:
        return []
    i = at[occurrence]
    if i + 1 < len(spans):
        return [Edit(spans[i][1], spans[i + 1][1], "")]
    if i > 0:
        return [Edit(spans[i - 1][3], spans[i][3], "")]
    return [Edit(spans[i][1], spans[i][3], "")]


def replace_value(text: str, pointer: str, new: Any) -> list[Edit]:
    span = value_span(text, pointer)
    return [Edit(span[0], span[1], _json(new))] if span else []


# -- request fixes --------------------------------------------------------------------------


def _remove_at_pointer(target: Target, d: Diagnostic) -> list[Edit]:
    """Remove the parameter the diagnostic points at (``/top_p``, ``/temperature``...)."""
    pointer = d.location.pointer
    if not pointer or pointer.count("/") != 1 or _get(target.value, pointer) is None:
        return []
    return remove_member(target.text, pointer)


def _adaptive_thinking(target: Target, d: Diagnostic) -> list[Edit]:
    """R018: the deprecated ``{"type": "enabled", "budget_tokens": N}`` written as the current
    ``{"type": "adaptive"}`` (the model decides how much to think; ``budget_tokens`` goes)."""
    thinking = _get(target.value, "/thinking")
    if d.location.pointer != "/thinking/type" or not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return []
    if "adaptive" not in d.message:  # the rule names the current spelling; only this one is known
        return []
    return replace_value(target.text, "/thinking", {"type": "adaptive"})


def _remove_whitespace_block(target: Target, d: Diagnostic) -> list[Edit]:
    """M005, M006: drop an empty or whitespace-only text block, when the message keeps another block."""
    pointer = d.location.pointer or ""
    if not pointer.endswith("/text"):
        return []
    block = pointer[: -len("/text")]
    parent = _parent(block)
    content = _get(target.value, parent[0]) if parent else None
    if not isinstance(content, list) or len(content) < 2:
        return []
    text = _get(target.value, pointer)
    if not isinstance(text, str) or text.strip():
        return []
    return remove_member(target.text, block)


def _strip_prefill(target: Target, d: Diagnostic) -> list[Edit]:
    """M007: the final assistant message's trailing whitespace removed."""
    pointer = d.location.pointer or ""
    content = _get(target.value, pointer)
    if isinstance(content, str):
        stripped = content.rstrip()
        return replace_value(target.text, pointer, stripped) if stripped and stripped != content else []
    if isinstance(content, list) and content:
        last = content[-1]
        if isinstance(last, dict) and last.get("type") == "text" and isinstance(last.get("text"), str):
            stripped = last["text"].rstrip()
            if stripped and stripped != last["text"]:
                return replace_value(target.text, f"{pointer}/{len(content) - 1}/text", stripped)
    return []


def _set_detected_media_type(target: Target, d: Diagnostic) -> list[Edit]:
    """I001: ``media_type`` set to what the bytes are."""
    pointer = d.location.pointer or ""
    if not pointer.endswith("/data"):
        return []
    source = pointer[: -len("/data")]
    data = _get(target.value, pointer)
    declared = _get(target.value, source + "/media_type")
    if not isinstance(data, str) or not isinstance(declared, str):
        return []
    info = inspect_base64(data)
    detected = sniff_media_type(info.head) if info.valid else None
    if not detected or detected == declared:
        return []
    return replace_value(target.text, source + "/media_type", detected)


def _system_message_to_system(target: Target, d: Diagnostic) -> list[Edit]:
    """M003: a leading ``role: "system"`` message becomes the top-level ``system``."""
    if d.location.pointer != "/messages/0/role" or not isinstance(target.value, dict) or "system" in target.value:
        return []
    message = _get(target.value, "/messages/0")
    content = message.get("content") if isinstance(message, dict) else None
    if isinstance(content, list) and not all(isinstance(b, dict) and b.get("type") == "text" for b in content):
        return []
    if not isinstance(content, (str, list)) or len(target.value.get("messages", [])) < 2:
        return []
    spans = member_spans(target.text, "")
    if not spans:
        return []
    removal = remove_member(target.text, "/messages/0")
    first = spans[0][1]
    root = value_span(target.text, "")
    layout = target.text[root[0] + 1 : first] if root else ""  # the whitespace before the first key, repeated
    return [Edit(first, first, f'"system": {_json(content)},{layout or " "}'), *removal]


def _as_blocks(content: Any) -> list[Any] | None:
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return list(content) if isinstance(content, list) else None


def _merge_same_role(target: Target, d: Diagnostic) -> list[Edit]:
    """M001: a message merged into the one before it of the same role, as the API merges
    them (one turn; the contents as consecutive blocks)."""
    m = re.fullmatch(r"/messages/(\d+)/role", d.location.pointer or "")
    messages = target.value.get("messages") if isinstance(target.value, dict) else None
    if m is None or not isinstance(messages, list):
        return []
    i = int(m.group(1))
    if not 0 < i < len(messages) or not all(isinstance(messages[j], dict) for j in (i - 1, i)):
        return []
    before, after = messages[i - 1], messages[i]
    if before.get("role") != after.get("role") or set(before) - {"role", "content"} or set(after) - {"role", "content"}:
        return []
    first, second = _as_blocks(before.get("content")), _as_blocks(after.get("content"))
    if first is None or second is None:
        return []
    return [*replace_value(target.text, f"/messages/{i - 1}/content", first + second), *remove_member(target.text, f"/messages/{i}")]


def _builtin_stop(target: Target, d: Diagnostic) -> list[Edit]:
    """L001: the legacy API's built-in ``"\\n\\nHuman:"`` stop sequence taken out of ``stop_sequences``
    (it stops there anyway; migrate drops it too)."""
    pointer = d.location.pointer or ""
    if not re.fullmatch(r"/stop_sequences/\d+", pointer) or _get(target.value, pointer) not in LEGACY_HUMAN_STOPS:
        return []
    return remove_member(target.text, pointer)


def _duplicate_key(target: Target, d: Diagnostic) -> list[Edit]:
    """X006: the earlier occurrences of a duplicated key removed (the server reads the last)."""
    pointer = d.location.pointer
    parent = _parent(pointer) if pointer else None
    if parent is None:
        return []
    spans = member_spans(target.text, parent[0]) or []
    count = sum(1 for span in spans if span[0] == parent[1])
    return remove_member(target.text, pointer or "", occurrence=0) if count > 1 else []


# -- prompt fixes ---------------------------------------------------------------------------

_TRAILING_SPACE = re.compile(r"\s+\Z")


def _offset(text: str, d: Diagnostic) -> int | None:
    if d.location.line is None:
        return None
    return LineIndex(text).offset(d.location.line, d.location.column or 1)


def _leading_newlines(target: Target, d: Diagnostic) -> list[Edit]:
    """P002: ``\\n\\n`` before the first ``Human:``."""
    start = 1 if target.text.startswith("\ufeff") else 0
    return [Edit(start, start, "\n\n")] if target.text.startswith("Human:", start) else []


def _strip_prompt_end(target: Target, d: Diagnostic) -> list[Edit]:
    """P009, P010: the whitespace at the end of the prompt (after the final marker or the prefill) removed."""
    m = _TRAILING_SPACE.search(target.text)
    if m is None or not target.text[: m.start()].rstrip():
        return []
    at = _offset(target.text, d)
    if at is not None and at < m.start():
        return []  # the diagnostic is not about the end of the text
    return [Edit(m.start(), len(target.text), "")]


def _final_assistant(target: Target, d: Diagnostic) -> list[Edit]:
    """P011: an ``\\n\\nAssistant:`` turn added at the end (the generation slot)."""
    text = target.text
    return [Edit(len(text), len(text), "\n\nAssistant:")] if not text.rstrip().endswith("\n\nAssistant:") else []


_LEADING_SYSTEM = (
    '{"model": "claude-sonnet-4-5", "max_tokens": 1024, "messages": [{"role": "system", "content": "Answer in French."}, '
    '{"role": "user", "content": "Hello"}]}'
)

#: Fixes whose rule's own bad example is a case they leave alone: the example they do fix.
EXAMPLES = {"M003": _LEADING_SYSTEM}

#: code -> (applicability, what the fix does, the edit function).
FIXES: dict[str, tuple[str, str, FixFunction]] = {
    "X006": ("safe", "remove the earlier occurrences of the key (the API reads the last one)", _duplicate_key),
    "M005": ("safe", "remove the empty text block (when the message has another block)", _remove_whitespace_block),
    "M006": ("safe", "remove the whitespace-only text block (when the message has another block)", _remove_whitespace_block),
    "M007": ("safe", "remove the trailing whitespace of the prefill", _strip_prefill),
    "I001": ("safe", "set media_type to the type the bytes are", _set_detected_media_type),
    "L001": ("safe", "remove the built-in '\\n\\nHuman:' from stop_sequences (the legacy API always stops there)", _builtin_stop),
    "M001": ("safe", "merge the message into the one before it (as the API does: one turn, the contents as blocks)", _merge_same_role),
    "M003": ("unsafe", 'move a leading role "system" message to the top-level system parameter', _system_message_to_system),
    "R007": ("unsafe", "remove top_p (temperature is kept)", _remove_at_pointer),
    "R011": ("unsafe", "remove the sampling parameter the model does not accept", _remove_at_pointer),
    "R018": ("unsafe", 'write the deprecated thinking {"type": "enabled", ...} as {"type": "adaptive"}', _adaptive_thinking),
    "K010": ("unsafe", "remove top_k (thinking does not allow it)", lambda t, d: _remove_at_pointer(t, d) if d.location.pointer == "/top_k" else []),
    "P002": ("safe", "add the two newlines before the first 'Human:'", _leading_newlines),
    "P009": ("safe", "remove the whitespace after the final '\\n\\nAssistant:'", _strip_prompt_end),
    "P010": ("safe", "remove the trailing whitespace of the prefill", _strip_prompt_end),
    "P011": ("safe", "end the prompt with '\\n\\nAssistant:'", _final_assistant),
}


def register_fixes(registry: Registry = REGISTRY) -> None:
    """Give every fixable rule its fix (idempotent)."""
    for code, (applicability, summary, edits) in FIXES.items():
        if code in registry and registry[code].fix is None:
            registry.add_fix(code, Fix(applicability, summary, edits, example=EXAMPLES.get(code)))
