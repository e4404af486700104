"""Scripted answers (``--script FILE``): what the model should say, written by hand.

The file is JSON (a list of entries) or JSONL (one entry a line).  An entry is an object
with any of these keys:

==================  =========================================================================
``text``            a text block
``thinking``        a thinking block before it (a signature is made up)
``tool_use``        a tool call ``{"name": ..., "input": {...}}`` (or a list of them); the
                    stop reason is then ``tool_use``
``content``         the content blocks as they are (instead of the three above)
``message``         a whole Message, sent as it is
``stop_reason``     default ``end_turn`` (``tool_use`` with a tool call)
``stop_sequence``   with ``stop_reason: "stop_sequence"``
``usage``           default: about four characters a token of input, and the output's words
``error``           ``{"type": "overloaded_error", "message": "..."}``: answered with the
                    error's status (``status`` may set it)
``fault``           a fault spec, ``rate-limit;times=1`` (:mod:`transcript.serve.faults`),
                    applied to the request this entry answers
``match``           a string the last user message must contain (or ``{"regex": "..."}``)
==================  =========================================================================

Entries with ``match`` answer every request whose last user message matches (the first
matching entry wins, again and again); the others answer in order, each once (an entry
with a ``fault`` also answers the retries of the request it was given to, so
``{"fault": "overloaded;times=1", "text": "..."}`` is a 529 then, on the retry, the text).  When the
ordered entries run out, the synthetic answer takes over.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
from attrs import frozen

from transcript.serve.answers import Answer, Query
from transcript.serve.errors import STATUS_OF, ApiError
from transcript.serve.faults import FaultError, parse_faults
from transcript.serve.synthetic import estimate_input_tokens, last_user_text, stable_id, tokens

__all__ = ["Script", "ScriptError", "read_script", "ScriptEntry"]

_KEYS = {
    "text",
    "thinking",
    "tool_use",
    "content",
    "message",
    "stop_reason",
    "stop_sequence",
    "usage",
    "error",
    "status",
    "fault",
    "match",
}


class ScriptError(Exception):
    """A script that cannot be read: one line naming the file and entry."""


@frozen
class ScriptEntry:
    value: dict[str, Any]
    where: str
    pattern: re.Pattern[str] | None = None
    substring: str | None = None

    def matches(self, text: str | None) -> bool:
        if text is None:
            return False
        if self.pattern is not None:
            return self.pattern.search(text) is not None
        return self.substring is not None and self.substring in text

    @property
    def keyed(self) -> bool:
        return self.pattern is not None or self.substring is not None


def _check(entry: Any, where: str) -> ScriptEntry:
    if not isinstance(entry, dict):
        raise ScriptError(f"{where}: an entry must be an object")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ScriptError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})")
    if "fault" in entry:
        try:
            parse_faults(str(entry["fault"]))
        except FaultError as exc:
            raise ScriptError(f"{where}: fault: {exc}") from None
    calls = entry.get("tool_use")
    for call in calls if isinstance(calls, list) else [calls] if calls is not None else []:
        if not isinstance(call, dict) or not isinstance(call.get("name"), str) or not isinstance(call.get("input", {}), dict):
            raise ScriptError(f'{where}: tool_use must be {{"name": "...", "input": {{...}}}} or a list of them')
    if "error" in entry and not (isinstance(entry["error"], dict) and isinstance(entry["error"].get("type"), str)):
        raise ScriptError(f'{where}: error must be {{"type": "...", "message": "..."}}')
    match = entry.get("match")
    if match is None:
        return ScriptEntry(entry, where)
    if isinstance(match, str):
        return ScriptEntry(entry, where, substring=match)
    if isinstance(match, dict) and isinstance(match.get("regex"), str):
        try:
            return ScriptEntry(entry, where, pattern=re.compile(match["regex"]))
        except re.error as exc:
            raise ScriptError(f"{where}: match.regex: {exc}") from None
    raise ScriptError(f'{where}: match must be a string or {{"regex": "..."}}')


def read_script(path: str | Path) -> list[ScriptEntry]:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ScriptError(f"{path}: cannot read ({exc.strerror or exc})") from None
    stripped = data.lstrip()
    if stripped.startswith(b"["):
        try:
            entries = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise ScriptError(f"{path}: invalid JSON ({exc})") from None
        return [_check(e, f"{path}: entry {n}") for n, e in enumerate(entries)]
    out = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(_check(orjson.loads(line), f"{path}:{number}"))
        except orjson.JSONDecodeError as exc:
            raise ScriptError(f"{path}:{number}: invalid JSON ({exc})") from None
    return out


def _message(entry: dict[str, Any], request: dict[str, Any], seed: bytes) -> dict[str, Any]:
    if isinstance(entry.get("message"), dict):
        return entry["message"]
    if isinstance(entry.get("content"), list):
        content = entry["content"]
    else:
        content = []
        if isinstance(entry.get("thinking"), str):
            content.append({"type": "thinking", "thinking": entry["thinking"], "signature": stable_id("sig_", seed, 40)})
        if isinstance(entry.get("text"), str):
            content.append({"type": "text", "text": entry["text"]})
        calls = entry.get("tool_use")
        for n, call in enumerate(calls if isinstance(calls, list) else [calls] if calls else []):
            content.append(
                {
                    "type": "tool_use",
                    "id": stable_id("toolu_", seed + bytes([n % 256])),
                    "name": call["name"],
                    "input": call.get("input", {}),
                }
            )
    has_tool = any(isinstance(b, dict) and b.get("type") == "tool_use" for b in content)
    output = sum(
        len(tokens(b.get("text", "") or b.get("thinking", "")))
        + (len(tokens(orjson.dumps(b.get("input", {})).decode())) if b.get("type") == "tool_use" else 0)
        for b in content
        if isinstance(b, dict)
    )
    usage = (
        entry.get("usage")
        if isinstance(entry.get("usage"), dict)
        else {
            "input_tokens": estimate_input_tokens(request),
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "output_tokens": max(1, output),
            "service_tier": "standard",
        }
    )
    return {
        "id": stable_id("msg_", seed),
        "type": "message",
        "role": "assistant",
        "model": request.get("model") if isinstance(request.get("model"), str) else "claude-sonnet-4-5",
        "content": content,
        "stop_reason": entry.get("stop_reason", "tool_use" if has_tool else "end_turn"),
        "stop_sequence": entry.get("stop_sequence"),
        "usage": usage,
    }


class Script:
    """The script as an answer source."""

    def __init__(self, entries: Sequence[ScriptEntry]) -> None:
        self.keyed = [e for e in entries if e.keyed]
        self.ordered = [e for e in entries if not e.keyed]
        self._next = 0
        self._lock = threading.Lock()
        # an entry with a fault answers the retries of the request it was given to
        self._retried: dict[bytes, ScriptEntry] = {}

    def reset(self) -> None:
        """Back to the first ordered entry."""
        with self._lock:
            self._next = 0
            self._retried.clear()

    def clear(self) -> None:
        """No entries at all (the pytest fixture's queue, between tests)."""
        with self._lock:
            self.keyed.clear()
            self.ordered.clear()
            self._next = 0
            self._retried.clear()

    def add(self, entry: dict[str, Any], where: str = "queued") -> None:
        """One more entry (checked as a script's are: a :class:`ScriptError` if malformed)."""
        checked = _check(entry, where)
        with self._lock:
            (self.keyed if checked.keyed else self.ordered).append(checked)

    @property
    def pending(self) -> int:
        """How many ordered entries have not answered yet."""
        return len(self.ordered) - self._next

    def answer(self, query: Query) -> Answer | None:
        if query.endpoint == "count_tokens":
            return None
        text = last_user_text(query.request)
        entry = next((e for e in self.keyed if e.matches(text)), None)
        if entry is None:
            with self._lock:
                entry = self._retried.get(query.data)
                if entry is None:
                    if self._next >= len(self.ordered):
                        return None
                    entry = self.ordered[self._next]
                    self._next += 1
                    if "fault" in entry.value:
                        self._retried[query.data] = entry
        value = entry.value
        faults = parse_faults(str(value["fault"])) if "fault" in value else ()
        source = f"scripted:{entry.where}"
        if isinstance(value.get("error"), dict):
            err = value["error"]
            given = value.get("status")
            status: int = given if isinstance(given, int) else STATUS_OF.get(err["type"], 400)
            return Answer(error=ApiError(status, err["type"], str(err.get("message", ""))), faults=faults, source=source)
        return Answer(message=_message(value, query.request, query.data or entry.where.encode()), faults=faults, source=source)
