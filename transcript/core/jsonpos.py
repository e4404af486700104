"""Map RFC 6901 JSON pointers to line and column in the JSON text they came from.

Parsing stays on the fast path (orjson, no positions).  Only when a diagnostic needs a
location does a :class:`PointerIndex` walk the text, and only along the pointers' paths:
siblings are skipped with C-speed regular expressions, each container is scanned at most
once for all the lookups together, and nothing recurses, however deep the document.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from typing import Any

from transcript.core.diagnostics import Diagnostic, LineIndex, Location, join_pointer

__all__ = [
    "locate_pointer",
    "locate_diagnostics",
    "pointer_tokens",
    "value_at",
    "find_duplicate_pointer",
    "member_spans",
    "value_span",
    "PointerIndex",
]

_WS = re.compile(r"[ \t\n\r]*")
_STRUCT = re.compile(r'["\[\]{}]')
_SCALAR = re.compile(r"[^,\]}\s]*")


_STRING = r'"(?:[^"\\]++|\\.)*+"'


def _nested(levels: int) -> str:
    """A pattern for a container holding containers ``levels`` deep at most, strings included.

    Possessive quantifiers keep no backtracking state: a long string, or a long run of
    members, costs the regex engine nothing but the scan.
    """
    inner = ""
    for _ in range(levels):
        inner = r"[\[{](?:[^\[\]{}\"]++|" + _STRING + (("|" + inner) if inner else "") + r")*+[\]}]"
    return inner


# A container at most eight levels deep and _MATCH_WITHIN long is skipped by one C-speed match
# (a request's message with its blocks is four or five levels); a deeper or longer one is
# walked bracket by bracket below.  The regex engine's cost per repeat of a group grows with
# the repeats (a 50 MB string of ``\n`` escapes took 2.5x the time of 25 MB), so it is given
# a bounded stretch of text: a failed try costs at most that, less than the container it
# leaves to the walk, whose strings ``str.find`` skips.
_CONTAINER = re.compile(_nested(8))
_MATCH_WITHIN = 1 << 16
# The members of a container too long for one match, as many whole ones as a stretch of
# _MATCH_WITHIN holds (separators, scalars, strings, containers eight levels deep): the walk
# below takes a long array of small members a stretch at a time, not a member at a time
# (the end of 200,000 messages: 1.15 s -> 0.2 s).  It stops before a closing bracket, a
# deeper or longer member, or one the stretch cuts.
_REMEMBER_FROM = 1 << 12  # characters: a value this long has its end recorded once skipped
_MEMBERS = re.compile(r'(?:[^\[\]{}"]++|' + _STRING + "|" + _nested(8) + ")*+")


def pointer_tokens(pointer: str) -> list[str]:
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON pointer: {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def value_at(value: Any, pointer: str) -> tuple[Any, str | None]:
    """The value at ``pointer`` (RFC 6901) in ``value`` and ``None``; or, when there is none,
    ``None`` and the pointer of the deepest value that exists on the way."""
    walked = ""
    for token in pointer_tokens(pointer):
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None, walked
        walked += "/" + token.replace("~", "~0").replace("/", "~1")
    return value, None


def _skip_ws(text: str, pos: int) -> int:
    m = _WS.match(text, pos)
    return m.end() if m else pos


def _string_end(text: str, pos: int) -> int | None:
    """Offset just after the string whose opening quote is at ``pos``; None if unterminated.

    A search for each quote and a count of the backslashes before it: linear, and without
    the per-escape backtracking state a regular expression keeps (a 20 MB string of ``\\n``
    escapes cost a regex over a gigabyte).
    """
    find = text.find
    i = pos + 1
    while True:
        q = find('"', i)
        if q < 0:
            return None
        b = q - 1
        while b > pos and text[b] == "\\":
            b -= 1
        if (q - 1 - b) % 2 == 0:  # an even run of backslashes: the quote is not escaped
            return q + 1
        i = q + 1


def _skip_value(text: str, pos: int) -> int:
    """Offset just after the JSON value starting at ``pos`` (which is not whitespace)."""
    if pos >= len(text):
        return pos
    ch = text[pos]
    if ch == '"':
        end = _string_end(text, pos)
        return end if end is not None else len(text)
    if ch in "[{":
        m = _CONTAINER.match(text, pos, pos + _MATCH_WITHIN)
        if m is not None:
            return m.end()
        depth = 0
        search = _STRUCT.search
        match = _CONTAINER.match
        members = _MEMBERS.match
        while True:
            if depth > 0:
                pos = members(text, pos, pos + _MATCH_WITHIN).end()  # type: ignore[union-attr]  # it matches the empty text
            m = search(text, pos)
            if m is None:
                return len(text)
            c = m.group()
            if c == '"':
                end = _string_end(text, m.start())
                pos = end if end is not None else len(text)
                continue
            if c in "[{" and depth > 0:
                inner = match(text, m.start(), m.start() + _MATCH_WITHIN)
                if inner is not None:  # a container in this one, skipped whole
                    pos = inner.end()
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
    end = _string_end(text, pos) if text.startswith('"', pos) else None
    if end is None:
        return None, pos
    raw = text[pos:end]
    try:
        key = json.loads(raw) if "\\" in raw else raw[1:-1]
    except ValueError:
        key = raw[1:-1]
    return key, end


class _Children:
    """What a scan of one container has found so far: its members' offsets, and where it stopped.

    A container is scanned at most once, lazily and only as far as a lookup needs, so all
    the lookups of one text together skip each member of each container once.  A member's
    value is skipped only when a member after it is wanted, and by ``end_of`` (the index's
    one record of where each value ends): finding ``/messages`` does not walk the messages,
    and the end of a value found once is never sought again.
    """

    __slots__ = ("is_object", "found", "resume", "pending", "done")

    def __init__(self, text: str, pos: int) -> None:
        self.is_object = text[pos] == "{"
        # objects: key -> (value offset, key offset), the first occurrence of a key;
        # arrays: the offset of each element in turn
        self.found: dict[str, tuple[int, int]] | list[int] = {} if self.is_object else []
        self.resume = _skip_ws(text, pos + 1)
        self.pending = -1  # the offset of the last member found, whose value is not skipped yet
        self.done = False

    def member(self, text: str, token: str, end_of: Callable[[int], int]) -> tuple[int, int] | None:
        """(value offset, key or element offset) of the member ``token`` names, if it has one."""
        if self.is_object:
            found = self.found
            assert isinstance(found, dict)
            hit = found.get(token)
            while hit is None and not self.done:
                self._scan_member(text, end_of)
                hit = found.get(token)
            return hit
        if not token.isdigit():
            return None
        want = int(token)
        elements = self.found
        assert isinstance(elements, list)
        while len(elements) <= want and not self.done:
            self._scan_member(text, end_of)
        return (elements[want], elements[want]) if want < len(elements) else None

    def _scan_member(self, text: str, end_of: Callable[[int], int]) -> None:
        n = len(text)
        pos = self.resume
        if self.pending >= 0:  # past the member before first
            pos = _skip_ws(text, end_of(self.pending))
            self.pending = -1
            if pos < n and text[pos] == ",":
                pos = _skip_ws(text, pos + 1)
            elif pos < n and text[pos] not in "]}":
                self.done = True  # not JSON past here: stop rather than guess
                return
        if pos >= n or text[pos] in "]}":
            self.done = True
            return
        if self.is_object:
            if text[pos] != '"':
                self.done = True
                return
            key_start = pos
            key, pos = _read_key(text, pos)
            pos = _skip_ws(text, pos)
            if pos < n and text[pos] == ":":
                pos = _skip_ws(text, pos + 1)
            found = self.found
            assert isinstance(found, dict)
            if key is not None:
                found.setdefault(key, (pos, key_start))
        else:
            elements = self.found
            assert isinstance(elements, list)
            elements.append(pos)
        self.pending = self.resume = pos


class PointerIndex:
    """Locates any number of pointers in one JSON text in time linear in the text.

    The line index is built once, each container is scanned at most once (lazily, as far as
    the lookups need), and the end of each located value is computed once, so locating a
    diagnostic per member of a huge array costs no more than one pass over the text.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: LineIndex | None = None
        self._root = _skip_ws(text, 0)
        self._containers: dict[int, _Children] = {}
        self._ends: dict[int, int] = {}

    def _resolve(self, tokens: list[str]) -> tuple[int, tuple[int, int] | None]:
        """How many tokens resolve, and the (value, key) offsets of the deepest that does."""
        text = self.text
        pos, key_pos = self._root, self._root
        if pos >= len(text):
            return 0, None
        for depth, token in enumerate(tokens):
            if pos >= len(text) or text[pos] not in "[{":
                return depth, (pos, key_pos)
            children = self._containers.get(pos)
            if children is None:
                children = self._containers[pos] = _Children(text, pos)
            hit = children.member(text, token, self._skipped)
            if hit is None:
                return depth, (pos, key_pos)
            pos, key_pos = hit
        return len(tokens), (pos, key_pos)

    def _end(self, pos: int) -> int:
        end = self._ends.get(pos)
        if end is None:
            end = self._ends[pos] = _skip_value(self.text, pos)
        return end

    def _skipped(self, pos: int) -> int:
        """The end of the value at ``pos``, for a scan going past it: remembered when the value
        is long (the messages, say, which a diagnostic's span may need again), not for each
        of a hundred thousand short ones (8 MB of record for as many unknown keys)."""
        end = self._ends.get(pos)
        if end is None:
            end = _skip_value(self.text, pos)
            if end - pos >= _REMEMBER_FROM:
                self._ends[pos] = end
        return end

    def locate(self, pointer: str, *, at_key: bool = False) -> Location:
        """The location of the value ``pointer`` names (or of its key, with ``at_key``).

        When the pointer does not resolve, the deepest existing ancestor is located instead,
        so a diagnostic about a missing member points at the object that lacks it.
        """
        tokens = pointer_tokens(pointer)
        depth, found = self._resolve(tokens)
        if found is None:
            return Location(line=1, column=1, pointer=pointer)
        value_pos, key_pos = found
        offset = key_pos if (at_key and depth == len(tokens)) else value_pos
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.location(offset, end=self._end(value_pos), pointer=pointer)


def value_span(text: str, pointer: str) -> tuple[int, int] | None:
    """The offsets ``(start, end)`` of the value ``pointer`` names in ``text``, or ``None``
    when the pointer does not resolve (for edits that keep every other byte)."""
    index = PointerIndex(text)
    tokens = pointer_tokens(pointer)
    depth, found = index._resolve(tokens)
    if found is None or depth != len(tokens):
        return None
    return found[0], index._end(found[0])


def member_spans(text: str, pointer: str) -> list[tuple[str | None, int, int, int]] | None:
    """Every member of the object or array ``pointer`` names, in order, duplicates included:
    ``(key, member start, value start, value end)`` (``key`` is ``None`` in an array; the
    member starts at its key).  ``None`` when the pointer names no container."""
    span = value_span(text, pointer)
    if span is None or text[span[0]] not in "[{":
        return None
    is_object = text[span[0]] == "{"
    out: list[tuple[str | None, int, int, int]] = []
    pos = _skip_ws(text, span[0] + 1)
    n = len(text)
    while pos < n and text[pos] not in "]}":
        start = pos
        key = None
        if is_object:
            if text[pos] != '"':
                return out
            key, pos = _read_key(text, pos)
            pos = _skip_ws(text, pos)
            if pos >= n or text[pos] != ":":
                return out
            pos = _skip_ws(text, pos + 1)
        value_start = pos
        pos = _skip_value(text, pos)
        out.append((key, start, value_start, pos))
        pos = _skip_ws(text, pos)
        if pos < n and text[pos] == ",":
            pos = _skip_ws(text, pos + 1)
        elif pos < n and text[pos] not in "]}":
            return out
    return out


def locate_pointer(text: str, pointer: str, *, at_key: bool = False) -> Location:
    """The location of one pointer in ``text`` (see :meth:`PointerIndex.locate`; use an index
    for many)."""
    return PointerIndex(text).locate(pointer, at_key=at_key)


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
            end = _string_end(text, m.start(1))
            if end is None:
                return None
            raw_start, pos = m.start(1), end
            if stack and stack[-1].is_object and expect_key:
                raw = text[raw_start:end]
                key: str = json.loads(raw) if "\\" in raw else raw[1:-1]
                seen = stack[-1].seen
                stack[-1].token = key
                if key in seen:
                    # In valid JSON every enclosing frame has a token by now (a container
                    # inside an object always follows its key).
                    return join_pointer(*[f.token for f in stack if f.token is not None]), raw_start
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
