"""Reading inputs: files or stdin, bytes to text, text to JSON, each failure a located diagnostic.

Nothing here raises on bad input.  A problem with the *content* (not UTF-8, binary, empty,
invalid JSON, too deep, duplicate keys) is a diagnostic of an ``X`` rule; only a problem
with the *request* (a file that does not exist, a directory where a file was expected)
raises :class:`InputError`, which the command line turns into exit status 2.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import orjson
from attrs import frozen

from transcript.diagnostics import Diagnostic, LineIndex, Location
from transcript.jsonpos import find_duplicate_pointer, locate_pointer, pointer_tokens
from transcript.rules.input import (
    BINARY_INPUT,
    DUPLICATE_KEY,
    EMPTY_INPUT,
    INVALID_JSON,
    INVALID_UTF8,
    JSON_TOO_DEEP,
)

__all__ = [
    "InputError",
    "Source",
    "read_source",
    "decode_text",
    "binary_diagnostic",
    "load_json",
    "JsonDocument",
    "exact_integers",
    "STDIN_NAME",
]

STDIN_NAME = "<stdin>"


class InputError(Exception):
    """The input could not be opened at all (a usage error, exit status 2)."""


@frozen
class Source:
    """Raw input bytes and the name to report them under."""

    name: str
    data: bytes

    @classmethod
    def from_text(cls, text: str, name: str = "<string>") -> Source:
        return cls(name=name, data=text.encode("utf-8", "surrogatepass"))


def read_source(path: str | Path) -> Source:
    """Read a file, or standard input for ``-``."""
    if str(path) == "-":
        return Source(name=STDIN_NAME, data=sys.stdin.buffer.read())
    p = Path(path)
    try:
        return Source(name=str(path), data=p.read_bytes())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def binary_diagnostic(data: bytes, *, name: str | None = None) -> Diagnostic | None:
    """X002 at the first NUL byte of ``data`` (no text format here has one), else ``None``."""
    offset = data.find(b"\x00")
    if offset < 0:
        return None
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return BINARY_INPUT.diagnostic(
        f"binary data: NUL byte at byte offset {offset}",
        Location(file=name, line=line, column=column),
        hint="pass a text file: a prompt, a JSON body or an event stream",
    )


def _utf16_encoding(data: bytes) -> str | None:
    """``UTF-16LE``/``UTF-16BE`` when the bytes are UTF-16 text (a BOM, or ASCII with NUL halves)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16LE" if data[0] == 0xFF else "UTF-16BE"
    head = data[:512]
    if len(head) >= 4 and len(head) % 2 == 0:
        if not any(head[1::2]) and all(head[0::2]):
            return "UTF-16LE"
        if not any(head[0::2]) and all(head[1::2]):
            return "UTF-16BE"
    return None


def decode_text(data: bytes, *, name: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8, reporting an empty input, a binary file or the first undecodable byte."""
    if not data:
        return None, [EMPTY_INPUT.diagnostic("the input is empty", Location(file=name, line=1, column=1))]
    utf16 = _utf16_encoding(data)
    if utf16 is not None:
        return None, [
            INVALID_UTF8.diagnostic(
                f"the input is {utf16} text, not UTF-8",
                Location(file=name, line=1, column=1),
                hint=f"re-encode the file as UTF-8 (for example: iconv -f {utf16} -t UTF-8)",
            )
        ]
    binary = binary_diagnostic(data, name=name)
    if binary is not None:
        return None, [binary]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        offset = exc.start
        head = data[:offset].decode("utf-8")
        index = LineIndex(head)
        line, column = index.position(len(head))
        bad = data[exc.start : exc.start + 4]
        return None, [
            INVALID_UTF8.diagnostic(
                f"invalid UTF-8 at byte offset {offset} ({exc.reason}; bytes {bad.hex(' ')})",
                Location(file=name, line=line, column=column),
                hint="re-encode the file as UTF-8",
            )
        ]


@frozen
class JsonDocument:
    """A parsed JSON value with its text, which locates pointers on demand."""

    text: str
    value: Any

    def locate(self, pointer: str, *, at_key: bool = False) -> Location:
        return locate_pointer(self.text, pointer, at_key=at_key)


MAX_DEPTH = 1000
_LONG_NUMBER = re.compile(r"[0-9]{19}")


def load_json(text: str, *, name: str | None = None, check_duplicates: bool = True) -> tuple[Any, list[Diagnostic]]:
    """Parse JSON text.  Returns ``(value, [])`` or ``(None, [diagnostic])``.

    The fast path is orjson.  Duplicate keys are found by a second, stdlib pass that
    only runs when ``check_duplicates`` is set.
    """
    if not text.strip():
        return None, [EMPTY_INPUT.diagnostic("empty JSON input", Location(file=name, line=1, column=1))]
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        return None, [_json_error(text, exc, name)]
    except RecursionError:  # pragma: no cover - orjson has its own depth limit
        return None, [JSON_TOO_DEEP.diagnostic("JSON nests too deeply", Location(file=name, line=1, column=1))]
    value = exact_integers(text, value)
    if check_duplicates and isinstance(value, (dict, list)):
        dup = _first_duplicate(text)
        if dup is not None:
            pointer, offset = dup
            key = pointer_tokens(pointer)[-1]
            loc = LineIndex(text).location(offset, pointer=pointer)
            return None, [
                DUPLICATE_KEY.diagnostic(
                    f"duplicate key {key!r} in the object at {pointer.rsplit('/', 1)[0] or '/'}",
                    attrs.evolve(loc, file=name),
                    hint="remove one of the two",
                )
            ]
    return value, []


def exact_integers(text: str, value: Any) -> Any:
    """``value``, parsed from ``text`` by orjson, with integers beyond 64 bits kept exact.

    orjson reads such integers as floats (so ``max_tokens: 10**20`` would no longer be an
    integer); when the text holds a run of 19 or more digits the stdlib parses it again.
    """
    if _LONG_NUMBER.search(text):
        try:
            return json.loads(text)
        except (ValueError, RecursionError):
            pass
    return value


def _json_error(text: str, exc: json.JSONDecodeError, name: str | None) -> Diagnostic:
    pos = exc.pos
    index = LineIndex(text)
    line, column = index.position(pos)
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


class _Duplicate(Exception):
    pass


def _first_duplicate(text: str) -> tuple[str, int] | None:
    """The pointer and offset of the first duplicated key, if the document has one.

    The stdlib parser with a pairs hook tells cheaply whether there is a duplicate; only
    then does a tokenizer walk the text to name and place it.
    """

    def hook(pairs: list[tuple[str, Any]]) -> None:
        # Only the verdict matters: return nothing, so no second copy of the document is built.
        if len({k for k, _ in pairs}) != len(pairs):
            raise _Duplicate

    try:
        json.loads(text, object_pairs_hook=hook, parse_constant=_reject_constant)
    except _Duplicate:
        return find_duplicate_pointer(text)
    except (ValueError, RecursionError):
        return None
    return None


def _reject_constant(name: str) -> float:
    raise ValueError(name)
