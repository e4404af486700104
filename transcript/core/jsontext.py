"""JSON text: the one loader, the one duplicate-key check, and the names of JSON types.

:func:`load_json` parses a document and reports, located, what makes it unusable (``X003``
empty, ``X004`` invalid, ``X005`` too deep, ``X006`` a duplicate key).  orjson parses; from
:data:`STDLIB_PARSE_FROM` on the stdlib does, because orjson reserves a working area many
times the size of the document.  Equal counts of colons in the text and in the value prove
that no key repeats (:func:`_keys_all_kept`); only otherwise does the stdlib scanner with a
pairs hook that keeps nothing tell whether one does, and then
:func:`~transcript.core.jsonpos.find_duplicate_pointer` walks the text to name and place
it.  Nothing here raises on bad content.
"""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import orjson

from transcript.core.codes import (
    DUPLICATE_KEY,
    EMPTY_INPUT,
    INPUT_TOO_LARGE,
    INVALID_JSON,
    JSON_TOO_DEEP,
    UNEXPECTED_DOCUMENT,
)
from transcript.core.diagnostics import Diagnostic, LineIndex, Location, join_pointer
from transcript.core.jsonpos import find_duplicate_pointer, pointer_tokens

__all__ = [
    "load_json",
    "has_duplicate_keys",
    "exact_integers",
    "type_name",
    "not_an_object",
    "dumps_json",
    "json_bytes",
    "json_chunks",
    "short_json",
    "not_a_tree",
    "MAX_DEPTH",
    "STDLIB_PARSE_FROM",
    "UNPARSED",
    "acyclic",
]

#: The deepest nesting the parsers accept (orjson's limit, which the stdlib path keeps too).
MAX_DEPTH = 1024

#: From this size on the stdlib parser builds the value (see the module docstring).
# orjson's working area is about 13 times the document (measured with tracemalloc: 31 MB for
# a 2.4 MB request); from 256 KiB on, the stdlib's value-sized parse keeps the peak near the
# input, and orjson's area stays under about 3.5 MB.
STDLIB_PARSE_FROM = 256 * 1024

#: "no value parsed yet": :func:`load_json` parses the text itself.
UNPARSED: Any = object()

_DIGITS_AS_ZERO = str.maketrans(dict.fromkeys("123456789", "0"))
_DIGIT_RUN = "0" * 19
_DIGITS_AS_ZERO_BYTES = bytes.maketrans(b"123456789", b"000000000")
_DIGIT_RUN_BYTES = b"0" * 19
# The stdlib parser accepts an escaped lone surrogate ("\ud800"), which orjson reports as
# invalid JSON (X004); a text with one goes the orjson way, so that the verdict does not
# depend on the file's size.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate(text: str) -> bool:
    """Whether ``text`` escapes a surrogate that is not half of a pair (``\\ud800`` alone).

    Most texts have no ``\\u`` at all, which one ``str.find`` tells; the others are read
    escape by escape (a regex with a lookbehind at every position took 23 ns a byte).
    """
    if "\\u" not in text:
        return False
    pending = -1  # where the escape of an unpaired high surrogate ends
    for m in _SURROGATE_ESCAPE.finditer(text):
        high = m.group()[3] in "89abAB"
        if pending >= 0:
            if m.start() != pending or high:
                return True
            pending = -1
        elif high:
            pending = m.end()
        else:
            return True  # a low surrogate with no high one before it
    return pending >= 0


class _Duplicate(Exception):
    pass


@contextmanager
def acyclic(size: int, *, above: int = STDLIB_PARSE_FROM) -> Iterator[None]:
    """The cyclic garbage collector paused while a value of ``size`` (characters, say) is built.

    A parsed JSON value (or a prompt's messages) has no reference cycles, so the collector
    can free nothing of it; yet every object it creates survives, and the collector's full
    passes over that growing heap would make building a large value superlinear.  Below
    ``above`` (and when it is paused already) nothing changes.
    """
    if size < above or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _duplicate_hook(pairs: list[tuple[str, Any]]) -> None:
    if len(pairs) > 1 and len({k for k, _ in pairs}) != len(pairs):
        raise _Duplicate
    return None  # the parsed object is not kept: memory stays flat on huge documents


def has_duplicate_keys(text: str, value: Any = UNPARSED) -> bool:
    """Whether any object in ``text`` repeats a key (``text`` is known to be valid JSON).

    ``value``, when given, is ``text`` parsed (by orjson or the stdlib: a repeated key keeps
    one member); it lets :func:`_keys_all_kept` prove most texts free of repeats without
    parsing them again.
    """
    if value is not UNPARSED and _keys_all_kept(text, value):
        return False
    if text.count('"') < 4:
        return False
    try:
        json.loads(text, object_pairs_hook=_duplicate_hook, parse_constant=_reject_constant)
    except _Duplicate:
        return True
    except (ValueError, RecursionError):
        return False
    return False


def _keys_all_kept(text: str, value: Any) -> bool:
    """Whether every key of ``text`` is a member of ``value``, its parse: then no key repeats.

    Outside its strings a JSON text has a colon only after each key, so ``text`` has as
    many colons as keys, plus those inside its strings.  Written again compactly (orjson),
    ``value`` has one colon per member, plus those of its strings.  Without a duplicate key
    every string of the text is in the value, with its colons (a colon in a string is one
    in the text too, unless it is written ``\\u003a``: such a text is not judged here), so
    the two counts are equal; a repeated key leaves a key, and maybe its value's colons,
    out of the value, and the value's count is smaller.  Equal counts therefore prove that
    no key repeats; unequal ones (or a value orjson cannot write: an integer beyond 64 bits,
    more than 255 levels) leave the question to the exact check.  From
    :data:`STDLIB_PARSE_FROM` on the value's colons are counted without writing it
    (:func:`_colons_in`): orjson's writer reserves many times what it writes (16 MB for a
    0.86 MB request).
    """
    if "\\" in text and "003" in text and "\\u003" in text:  # cheap looks first
        return False
    if len(text) >= STDLIB_PARSE_FROM:
        return _colons_in(value) == text.count(":")
    try:
        written = orjson.dumps(value)
    except TypeError:  # orjson.JSONEncodeError
        return False
    return written.count(b":") == text.count(":")


def _colons_in(value: Any) -> int:
    """The colons ``value`` written compactly would have, counted without writing it: one
    per member and those of its strings (for a large value, whose text orjson's writer
    would reserve many times over)."""
    count = 0
    stack = [value]
    while stack:
        node = stack.pop()
        members: Iterator[Any]
        if isinstance(node, dict):
            count += len(node)
            count += sum(key.count(":") for key in node if ":" in key)
            members = iter(node.values())
        elif isinstance(node, list):
            members = iter(node)
        else:
            if isinstance(node, str):
                count += node.count(":")
            continue
        for member in members:
            if isinstance(member, str):
                if ":" in member:
                    count += member.count(":")
            elif isinstance(member, (dict, list)):
                stack.append(member)
    return count


def load_json(
    text: str, *, name: str | None = None, check_duplicates: bool = True, value: Any = UNPARSED
) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON text: ``(value, [])`` or ``(None, [located X diagnostic])``.

    ``value`` may be ``text`` already parsed (by a sniffer); the duplicate-key check still
    runs on the text unless ``check_duplicates`` is false.
    """
    if value is UNPARSED:
        if not text.strip():
            return None, [EMPTY_INPUT.diagnostic("empty JSON input", Location(file=name, line=1, column=1))]
        if len(text) >= STDLIB_PARSE_FROM and not _lone_surrogate(text):
            # (without the duplicate check too: orjson's working area is the same for a HAR)
            try:
                return _load_large(text, name, check_duplicates)
            except MemoryError:
                return None, [_no_memory(text, name)]
            except (ValueError, RecursionError):
                pass  # orjson below explains the error, located
        try:
            with acyclic(len(text)):
                value = exact_integers(text, orjson.loads(text))
        except MemoryError:
            return None, [_no_memory(text, name)]
        except orjson.JSONDecodeError as exc:
            if "memory" in exc.msg.lower():  # orjson's "Not enough memory": not a fault of the text
                return None, [_no_memory(text, name)]
            return None, [_json_error(text, exc, name)]
    if check_duplicates and isinstance(value, (dict, list)) and has_duplicate_keys(text, value):
        return None, [_duplicate(text, name)]
    return value, []


def _load_large(text: str, name: str | None, check_duplicates: bool) -> tuple[Any, list[Diagnostic]]:
    """A large text by the stdlib, which builds the dicts as it reads (no list of pairs per
    object: that list was 3.5x the text of a request of 100,000 unknown keys); repeated
    keys are then ruled out by counting colons (:func:`_keys_all_kept`), and only when the
    count cannot rule them out is the value let go for the exact check, which keeps nothing.
    Raises ``ValueError`` (or ``RecursionError``) for a text that is not JSON.

    The parse counts the members of its objects as it builds them, at no cost to speak of.
    Each key of the text is followed by a colon, so a text has at least as many colons as
    keys, and at least as many keys as its value has members, equal only when no key
    repeats: a text with no more colons than members (none inside its strings) is proved
    without a walk of the value (a request of 200,000 tool blocks: 0.97 s saved)."""
    members = 0

    def counted(obj: dict[str, Any]) -> dict[str, Any]:
        nonlocal members
        members += len(obj)
        return obj

    with acyclic(len(text)):
        value = json.loads(text, object_hook=counted, parse_constant=_reject_constant)
    if not check_duplicates or not isinstance(value, (dict, list)) or members == text.count(":"):
        return value, []
    if _keys_all_kept(text, value):
        return value, []
    del value
    if has_duplicate_keys(text):
        return None, [_duplicate(text, name)]
    with acyclic(len(text)):  # no repeat after all (an escaped colon): read once more
        return json.loads(text, parse_constant=_reject_constant), []


def _no_memory(text: str, name: str | None) -> Diagnostic:
    """X009 for a document the memory available cannot hold once parsed (it may be valid)."""
    size = len(text) / (1 << 20)
    return INPUT_TOO_LARGE.diagnostic(
        f"not enough memory to parse this {size:.0f} MiB document (the text may well be valid JSON)",
        Location(file=name, line=1, column=1),
        hint="run with more memory, or split the input (a JSONL file is read line by line)",
    )


def _duplicate(text: str, name: str | None) -> Diagnostic:
    found = find_duplicate_pointer(text)
    if found is None:  # pragma: no cover - the stdlib scanner and the tokenizer agree
        return DUPLICATE_KEY.diagnostic("duplicate key", Location(file=name, line=1, column=1))
    pointer, offset = found
    key = pointer_tokens(pointer)[-1]
    loc = LineIndex(text).location(offset, pointer=pointer)
    return DUPLICATE_KEY.diagnostic(
        f"duplicate key {key!r} in the object at {pointer.rsplit('/', 1)[0] or '/'}",
        loc.in_file(name) if name is not None else loc,
        hint="remove one of the two",
    )


def exact_integers(text: str, value: Any) -> Any:
    """``value``, parsed from ``text`` by orjson, with integers beyond 64 bits kept exact.

    orjson reads such integers as floats (so ``max_tokens: 10**20`` would no longer be an
    integer); when the text holds a run of 19 or more digits the stdlib parses it again.
    """
    if _has_digit_run(text):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            pass
    return value


def _has_digit_run(text: str) -> bool:
    """Whether ``text`` has a run of 19 digits (0-9): its digits made zeros, a run of 19 zeros
    found (3x faster than a regex search; twice faster again on the bytes of ASCII text)."""
    if text.isascii():
        return _DIGIT_RUN_BYTES in text.encode("ascii").translate(_DIGITS_AS_ZERO_BYTES)
    return _DIGIT_RUN in text.translate(_DIGITS_AS_ZERO)


def _json_error(text: str, exc: json.JSONDecodeError, name: str | None) -> Diagnostic:
    pos = exc.pos
    line, column = LineIndex(text).position(pos)
    reason = exc.msg
    if "depth limit" in reason or "recursion" in reason:
        return JSON_TOO_DEEP.diagnostic(
            f"JSON nests deeper than {MAX_DEPTH} levels",
            Location(file=name, line=line, column=column),
        )
    snippet = text[pos : pos + 8]
    for word in ("NaN", "Infinity", "-Infinity"):
        if snippet.startswith(word):
            reason = f"{word} is not a JSON value"
            break
    else:
        if pos >= len(text.rstrip()):
            reason = "unexpected end of input (truncated JSON?)"
        elif "surrogate" in reason:
            reason = "lone UTF-16 surrogate in a string escape"
    return INVALID_JSON.diagnostic(f"invalid JSON: {reason}", Location(file=name, line=line, column=column))


def type_name(value: Any, *, integers: bool = False) -> str:
    """A JSON value's type as messages name it: ``an object``, ``an array``, ``a string``...

    ``integers`` names an integer ``an integer`` (as JSON Schema does) instead of ``a number``.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer" if integers else "a number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


#: An integer with more bits than this is shown by its size (``str`` of it is quadratic, and
#: the interpreter refuses to write more than 4300 digits).
_SHOWN_INTEGER_BITS = 512


def _scalar_json(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        if value.bit_length() > _SHOWN_INTEGER_BITS:
            return f"<an integer of about {int(value.bit_length() * 0.30103) + 1} digits>"
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else str(value)
    return f"<{type(value).__name__}>"


def _string_json(value: str, limit: int) -> str:
    text = json.dumps(value[:limit], ensure_ascii=False)
    return text if len(value) <= limit and len(text) <= limit else text[: max(limit - 2, 1)] + '…"'


def short_json(value: Any, limit: int = 60, *, containers: bool = True, quote: bool = True) -> str:
    """A JSON value written compactly as JSON, cut to about ``limit`` characters with ``…``.

    The one way a value read from the input is put into a message or a text view: it never
    writes more than ``limit`` characters of a string or container, whatever its size, and it
    walks containers with an explicit stack, so a value nested as deep as the parsers accept
    (:data:`MAX_DEPTH`) cannot exhaust the interpreter's recursion limit.  With ``containers``
    false an array or object is named by its type (``an array``) instead; with ``quote``
    false a string at the top is shown as it is (cut), not as a JSON string.
    """
    if isinstance(value, str):
        if not quote:
            return value if len(value) <= limit else value[:limit] + "…"
        return _string_json(value, limit)
    if not isinstance(value, (dict, list)):
        return _scalar_json(value)
    if not containers:
        return type_name(value)
    parts: list[str] = []
    size = 0
    # each frame: (iterator over the container's items, whether it is an object, first item?)
    stack: list[tuple[Any, bool, list[bool]]] = []

    def push(item: Any) -> None:
        nonlocal size
        if isinstance(item, dict):
            parts.append("{")
            stack.append((iter(item.items()), True, [True]))
        elif isinstance(item, list):
            parts.append("[")
            stack.append((iter(item), False, [True]))
        else:
            parts.append(_string_json(item, limit) if isinstance(item, str) else _scalar_json(item))
        size += len(parts[-1])

    push(value)
    while stack and size <= limit:
        items, is_object, first = stack[-1]
        item: Any = next(items, _END)
        if item is _END:
            stack.pop()
            parts.append("}" if is_object else "]")
            size += 1
            continue
        if not first[0]:
            parts.append(",")
            size += 1
        first[0] = False
        if is_object:
            key, item = item
            parts.append(_string_json(key, limit) + ":")
            size += len(parts[-1])
        push(item)
    text = "".join(parts)
    return text if not stack and len(text) <= limit else text[:limit] + "…"


_END: Any = object()


def not_a_tree(value: Any) -> Diagnostic | None:
    """A diagnostic when ``value``, handed in by a caller rather than parsed, is not a JSON
    document because it contains itself (a cycle, on which every walk of it would never
    end); ``None`` for a tree (shared members are fine, and so is any depth: the walk keeps
    its own stack).  Parsed values are always trees and need no check.
    """
    if not isinstance(value, (dict, list)):
        return None
    on_path: set[int] = {id(value)}
    done: set[int] = set()
    # frames: (the container's id, an iterator over its (token, member) pairs, the token that led to it)
    stack: list[tuple[int, Any, Any]] = [(id(value), _members(value), None)]
    while stack:
        ident, members, _token = stack[-1]
        item = next(members, _END)
        if item is _END:
            stack.pop()
            on_path.discard(ident)
            done.add(ident)
            continue
        token, member = item
        if not isinstance(member, (dict, list)) or id(member) in done:
            continue
        if id(member) in on_path:
            where = join_pointer(*(str(f[2]) for f in stack[1:]), str(token))
            return UNEXPECTED_DOCUMENT.diagnostic(
                f"the value contains itself at {short_json(where, 200, quote=False)}: not a JSON document",
                Location(pointer=where),
            )
        on_path.add(id(member))
        stack.append((id(member), _members(member), token))
    return None


def _members(container: dict[Any, Any] | list[Any]) -> Any:
    return iter(container.items()) if isinstance(container, dict) else enumerate(container)


def not_an_object(value: Any, expected: str) -> Diagnostic:
    """X008 for a document (or member) that should be ``expected`` (an object) and is not."""
    return UNEXPECTED_DOCUMENT.diagnostic(f"expected {expected}, found {type_name(value)}", Location(pointer=""))


# The input parsers accept up to 1024 levels of nesting; the stdlib encoder recurses a few
# frames per level, so it gets this much stack while it writes a value read from the input.
_DUMP_RECURSION_LIMIT = 10_000


def dumps_json(value: object, **options: object) -> str:
    """``json.dumps(value, **options)`` for any value the input parsers accepted.

    The parsers accept JSON nested up to 1024 levels deep, which is deeper than the stdlib
    encoder can go under the default recursion limit: the limit is raised while it runs.
    """
    limit = sys.getrecursionlimit()
    if limit < _DUMP_RECURSION_LIMIT:
        sys.setrecursionlimit(_DUMP_RECURSION_LIMIT)
    try:
        return json.dumps(value, **options)  # type: ignore[arg-type]
    finally:
        sys.setrecursionlimit(limit)


def json_bytes(value: Any, *, pretty: bool = True) -> bytes:
    """A result as UTF-8 JSON and a newline: indented, or one line (a JSONL record)."""
    # the newline written by orjson: ``dumps(...) + b"\n"`` would copy a result of many megabytes
    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if pretty else 0)
    try:
        return orjson.dumps(value, option=option)
    except TypeError:
        return _stdlib_bytes(value, pretty) + b"\n"


def _stdlib_bytes(value: Any, pretty: bool) -> bytes:
    # orjson writes at most 255 levels and 64-bit integers; the input parsers accept 1024
    # levels and integers of any size, which the stdlib writes (and a lone surrogate, which
    # is written escaped: the output stays UTF-8)
    if pretty:
        text = dumps_json(value, ensure_ascii=False, indent=2)
    else:
        text = dumps_json(value, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return dumps_json(value, indent=2 if pretty else None, separators=None if pretty else (",", ":")).encode("ascii")


def _member_bytes(value: Any) -> bytes:
    """One member as indented JSON, no newline after it."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2)
    except TypeError:
        return _stdlib_bytes(value, True)


def json_chunks(value: Any, *, levels: int = 2) -> Iterator[bytes]:
    """:func:`json_bytes` of ``value`` (indented) in pieces, to write as they come.

    The members of the outer ``levels`` levels of containers are encoded one at a time, so
    what is held at once is the largest member's text rather than the whole document's: a
    conversation of a million messages is written a message at a time.  The pieces joined
    are byte for byte :func:`json_bytes` (``value``) whenever orjson can write the value (a
    member it cannot write, deeper than 255 levels or with an integer past 64 bits, is the
    stdlib's, as the whole value is there: the same JSON, floats perhaps spelled otherwise).
    """
    yield from _pieces(value, 0, levels)
    yield b"\n"


def _pieces(value: Any, indent: int, levels: int) -> Iterator[bytes]:
    if levels <= 0 or not isinstance(value, (dict, list)) or not value or _needs_stdlib_keys(value):
        data = _member_bytes(value)
        # a JSON text has no raw newline inside a string: each one starts an indented line
        yield data.replace(b"\n", b"\n" + b" " * indent) if indent and b"\n" in data else data
        return
    pad = b"\n" + b" " * (indent + 2)
    if isinstance(value, dict):
        yield b"{"
        for n, (key, member) in enumerate(value.items()):
            yield (b"," if n else b"") + pad + _member_bytes(key) + b": "
            yield from _pieces(member, indent + 2, levels - 1)
        yield b"\n" + b" " * indent + b"}"
    else:
        yield b"["
        for n, member in enumerate(value):
            yield (b"," if n else b"") + pad
            yield from _pieces(member, indent + 2, levels - 1)
        yield b"\n" + b" " * indent + b"]"


def _needs_stdlib_keys(value: Any) -> bool:
    # keys that are not strings are written by the stdlib as it writes them (whole)
    return isinstance(value, dict) and not all(type(k) is str for k in value)
