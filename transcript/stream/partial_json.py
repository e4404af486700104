"""A best-effort parse of unfinished JSON: what a tool input holds when its stream was cut.

:func:`parse_partial_json` closes what a prefix of a JSON document leaves open (strings,
arrays, objects) and drops what cannot be completed (an unfinished number or literal, a
key without its value), in linear time.  The replayer uses it for a tool block whose JSON
never finished, with ``partial_json=True``, and for :meth:`Replayer.snapshot`.
"""

from __future__ import annotations

from typing import Any

import orjson

__all__ = ["parse_partial_json"]

_loads = orjson.loads
_JSONDecodeError = orjson.JSONDecodeError


def parse_partial_json(text: str, *, trailing_strings: bool = True) -> Any:
    """Best-effort parse of the prefix of a JSON document, closing what is left open.

    The document is cut after its last complete value (an unfinished number or literal,
    a dangling ``,`` or ``:``, and an object key without its value are dropped) and every
    open array and object is closed.  An unfinished string value is closed where it stops
    (``trailing_strings=False`` drops it instead, as the SDK's default partial mode does).
    Returns the raw text when nothing can be recovered.  Linear in the length of the text.
    """
    try:
        return _loads(text)
    except _JSONDecodeError:
        pass
    stack: list[list[Any]] = []  # [opener, expecting_key]
    cut = 0
    i, n = 0, len(text)
    candidate: str | None = None
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        top = stack[-1] if stack else None
        if c == '"':
            k = _string_end(text, i)
            is_key = top is not None and top[0] == "{" and top[1]
            if k < 0:
                if trailing_strings and not is_key:
                    candidate = _close(text[:i] + _close_string(text[i:]))
                break
            i = k + 1
            if is_key and top is not None:  # is_key implies an open object on top
                top[1] = False
            else:
                cut = i
            continue
        if c in "{[":
            stack.append([c, c == "{"])
            i += 1
            cut = i
            continue
        if c in "}]":
            if stack:
                stack.pop()
            i += 1
            cut = i
            continue
        if c == ",":
            if top is not None and top[0] == "{":
                top[1] = True
            i += 1
            continue
        if c == ":":
            i += 1
            continue
        j = i
        while j < n and text[j] not in ",]} \t\r\n":
            j += 1
        if j == n:
            try:
                _loads(text[i:j])
            except _JSONDecodeError:
                break
        cut = j
        i = j
    if candidate is None:
        if cut == 0:
            return text
        candidate = _close(text[:cut])
    try:
        return _loads(candidate)
    except _JSONDecodeError:
        return text


def _string_end(text: str, start: int) -> int:
    """Offset of the quote closing the string opened at ``start``, or -1."""
    j = start + 1
    while True:
        k = text.find('"', j)
        if k < 0:
            return -1
        b = k - 1
        while b > start and text[b] == "\\":
            b -= 1
        if (k - 1 - b) % 2 == 0:
            return k
        j = k + 1


def _close_string(body: str) -> str:
    """Close an unfinished string literal (``body`` starts at its opening quote)."""
    k = body.rfind("\\u")
    if k > 0 and len(body) - k < 6:
        b = k - 1
        while b > 0 and body[b] == "\\":
            b -= 1
        if (k - 1 - b) % 2 == 0:
            body = body[:k]
    trailing = len(body) - len(body.rstrip("\\"))
    if trailing % 2 == 1:
        body = body[:-1]
    return body + '"'


def _close(head: str) -> str:
    """``head`` followed by the closers of every bracket still open in it."""
    stack: list[str] = []
    i, n = 0, len(head)
    while i < n:
        c = head[i]
        if c == '"':
            k = _string_end(head, i)
            if k < 0:
                return head
            i = k + 1
            continue
        if c == "{":
            stack.append("}")
        elif c == "[":
            stack.append("]")
        elif c in "}]" and stack:
            stack.pop()
        i += 1
    return head + "".join(reversed(stack))

