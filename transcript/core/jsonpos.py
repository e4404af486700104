"""Map RFC 6901 JSON pointers to line and column in the JSON text they came from.

Parsing stays on the fast path (orjson, no positions).  Only when a diagnostic needs a
location does :func:`locate_pointer` walk the text, and only along the pointer's path:
siblings are skipped with C-speed regular expressions, so one lookup is linear in the
size of the text before the target and needs no recursion, however deep the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable

from transcript.core.diagnostics import Diagnostic, LineIndex, Location, join_pointer

__all__ = ["locate_pointer", "locate_diagnostics", "pointer_tokens", "find_duplicate_pointer", "PointerIndex"]

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: linear and fast on huge strings
_STRUCT = re.compile(r'["\[\]{}]')
_SCALAR = re.compile(r"[^,\]}\s]*")


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _skip_ws(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _skip_value(text: str, pos: int) -> int:
    """Offset just after the JSON value starting at ``pos`` (which is not whitespace)."""
    if pos >= len(text):
        return pos
    ch = text[pos]
    if ch == '"':
        m = _STRING.match(text, pos)
        return m.end() if m else len(text)
    if ch in "[{":
        depth = 0
        search = _STRUCT.search
        while True:
            m = search(text, pos)
            if m is None:
                return len(text)
            c = m.group()
            if c == '"':
                s = _STRING.match(text, m.start())
                pos = s.end() if s else len(text)
                continue
            pos = m.end()
            if c in "[{":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return pos
    m = _SCALAR.match(text, pos)
    return m.end() if m and m.end() > pos else pos + 1


def _read_key(text: str, pos: int) -> tuple[str | None, int]:
    m = _STRING.match(text, pos)
    if not m:
        return None, pos
    raw = m.group()
    try:
        key = json.loads(raw) if "\\" in raw else raw[1:-1]
    except ValueError:
        key = raw[1:-1]
    return key, m.end()


def _find(text: str, tokens: list[str]) -> tuple[int, int] | None:
    """(offset of the value, offset of its key or array element start) for the pointer."""
    pos = _skip_ws(text, 0)
    key_pos = pos
    for token in tokens:
        if pos >= len(text):
            return None
        ch = text[pos]
        if ch == "{":
            pos = _skip_ws(text, pos + 1)
            while pos < len(text) and text[pos] == '"':
                key_start = pos
                key, pos = _read_key(text, pos)
                pos = _skip_ws(text, pos)
                if pos < len(text) and text[pos] == ":":
                    pos = _skip_ws(text, pos + 1)
                if key == token:
                    key_pos = key_start
                    break
                pos = _skip_ws(text, _skip_value(text, pos))
                if pos < len(text) and text[pos] == ",":
                    pos = _skip_ws(text, pos + 1)
            else:
                return None
        elif ch == "[":
            if not token.isdigit():
                return None
            want = int(token)
            pos = _skip_ws(text, pos + 1)
            i = 0
            while i < want:
                if pos >= len(text) or text[pos] == "]":
                    return None
                pos = _skip_ws(text, _skip_value(text, pos))
                if pos < len(text) and text[pos] == ",":
                    pos = _skip_ws(text, pos + 1)
                i += 1
            if pos >= len(text) or text[pos] == "]":
                return None
            key_pos = pos
        else:
            return None
    return pos, key_pos


def locate_pointer(
    text: str, pointer: str, *, at_key: bool = False, index: LineIndex | None = None
) -> Location:
    """The location of the value ``pointer`` names (or of its key, with ``at_key``).

    When the pointer does not resolve, the deepest existing ancestor is located instead,
    so a diagnostic about a missing member points at the object that lacks it.
    """
    tokens = pointer_tokens(pointer)
    found = None
    depth = len(tokens)
    while found is None and depth >= 0:
        found = _find(text, tokens[:depth])
        if found is None:
            depth -= 1
    if found is None:
        return Location(line=1, column=1, pointer=pointer)
    value_pos, key_pos = found
    offset = key_pos if (at_key and depth == len(tokens)) else value_pos
    end = _skip_value(text, value_pos)
    idx = index or LineIndex(text)
    return idx.location(offset, end=end, pointer=pointer)


class PointerIndex:
    """Locates many pointers in one text, building the line index once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: LineIndex | None = None

    def locate(self, pointer: str, *, at_key: bool = False) -> Location:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return locate_pointer(self.text, pointer, at_key=at_key, index=self._lines)


def locate_diagnostics(
    diagnostics: Iterable[Diagnostic], text: str | None, *, at_key: Collection[str] = ()
) -> list[Diagnostic]:
    """Give every diagnostic that has a JSON pointer but no line its line and column in ``text``.

    Diagnostics whose code is in ``at_key`` are placed at the key of the member they name
    rather than at its value (an unknown field, say).  A diagnostic whose pointer is not a
    JSON pointer keeps its location.
    """
    if text is None:
        return list(diagnostics)
    index: PointerIndex | None = None
    out = []
    for d in diagnostics:
        loc = d.location
        if loc.line is None and loc.pointer is not None:
            if index is None:
                index = PointerIndex(text)
            try:
                placed = index.locate(loc.pointer, at_key=d.code in at_key)
            except ValueError:
                out.append(d)
                continue
            d = d.with_location(placed if loc.file is None else placed.in_file(loc.file))
        out.append(d)
    return out


_TOKEN = re.compile(r'[ \t\n\r]*(?:(")|([\[{])|([\]}])|(,)|(:)|([^,\]}\s"\[{:]+))')


class _Frame:
    """One open container while scanning for a duplicate key."""

    __slots__ = ("is_object", "seen", "token")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.seen: set[str] = set()
        # The current key (objects; None until the first key) or index (arrays).
        self.token: str | int | None = None if is_object else 0


def find_duplicate_pointer(text: str) -> tuple[str, int] | None:
    """The pointer and offset of the second occurrence of the first duplicated key, if any.

    A small iterative tokenizer; only run once a duplicate is known to exist.
    """
    stack: list[_Frame] = []
    pos = 0
    expect_key = False
    n = len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            s = _STRING.match(text, m.start(1))
            if not s:
                return None
            pos = s.end()
            if stack and stack[-1].is_object and expect_key:
                raw = s.group()
                key: str = json.loads(raw) if "\\" in raw else raw[1:-1]
                seen = stack[-1].seen
                stack[-1].token = key
                if key in seen:
                    # In valid JSON every enclosing frame has a token by now (a container
                    # inside an object always follows its key).
                    return join_pointer(*[f.token for f in stack if f.token is not None]), s.start()
                seen.add(key)
                expect_key = False
        elif m.group(2):
            is_obj = m.group(2) == "{"
            stack.append(_Frame(is_obj))
            expect_key = is_obj
        elif m.group(3):
            if stack:
                stack.pop()
            expect_key = False
        elif m.group(4):
            if stack:
                top = stack[-1]
                if top.is_object:
                    expect_key = True
                elif isinstance(top.token, int):
                    top.token += 1
    return None
