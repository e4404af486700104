"""Reading inputs: files or stdin, and bytes to text, each failure a located diagnostic.

Nothing here raises on bad input.  A problem with the *content* (not UTF-8, binary, empty)
is a diagnostic of an ``X`` rule (text to JSON is :mod:`transcript.core.jsontext`); only a problem
with the *request* (a file that does not exist, a directory where a file was expected)
raises :class:`InputError`, which the command line turns into exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from attrs import frozen

from transcript.core.codes import BINARY_INPUT, EMPTY_INPUT, INPUT_TOO_LARGE, INVALID_UTF8
from transcript.core.diagnostics import Diagnostic, LineIndex, Location

__all__ = [
    "InputError",
    "Source",
    "read_source",
    "decode_text",
    "binary_diagnostic",
    "utf16_diagnostic",
    "decode_source",
    "MAX_INPUT_BYTES",
    "STDIN_NAME",
]

STDIN_NAME = "<stdin>"


class InputError(Exception):
    """The input could not be opened at all (a usage error for the commands that take one
    input; ``lint`` reports it as ``X010`` and goes on).  ``reason`` is the message
    without the path."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message


#: The most bytes one input may have: what a Message Batches file may hold (256 MB).
#: Standard input, pipes and devices are read in chunks up to it, never further.
MAX_INPUT_BYTES = 256 * 1024 * 1024
_READ_CHUNK = 1 << 20


@frozen
class Source:
    """Raw input bytes and the name to report them under.

    ``too_large`` is set when the input had more than the limit it was read with; ``data``
    then holds nothing, and :func:`decode_source` reports ``X009``.
    """

    name: str
    data: bytes
    too_large: bool = False

    @classmethod
    def from_text(cls, text: str, name: str = "<string>") -> Source:
        return cls(name=name, data=text.encode("utf-8", "surrogatepass"))

    @classmethod
    def from_stream(cls, stream: BinaryIO, name: str, *, limit: int = MAX_INPUT_BYTES) -> Source:
        """Read a binary stream (a file, a pipe, a device) in chunks, never more than ``limit`` bytes."""
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = stream.read(min(_READ_CHUNK, limit + 1 - size))
            if not chunk:
                return cls(name=name, data=b"".join(chunks))
            chunks.append(chunk)
            size += len(chunk)
        return cls(name=name, data=b"", too_large=True)


def read_source(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> Source:
    """Read a file, or standard input for ``-``, up to ``limit`` bytes."""
    if str(path) == "-":
        return Source.from_stream(sys.stdin.buffer, STDIN_NAME, limit=limit)
    p = Path(path)
    try:
        with p.open("rb") as stream:
            return Source.from_stream(stream, str(path), limit=limit)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", "no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory", "is a directory") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied", "permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})", f"cannot read ({exc.strerror or exc})") from None


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


def utf16_diagnostic(data: bytes, *, name: str | None = None) -> Diagnostic | None:
    """X001's "UTF-16 text, not UTF-8" when ``data`` (or its first bytes) is UTF-16, else ``None``.

    Every reader asks this first (lint through :func:`decode_text`, replay on a capture's
    first bytes), so a UTF-16 file gets the same verdict everywhere.
    """
    utf16 = _utf16_encoding(data)
    if utf16 is None:
        return None
    return INVALID_UTF8.diagnostic(
        f"the input is {utf16} text, not UTF-8",
        Location(file=name, line=1, column=1),
        hint=f"re-encode the file as UTF-8 (for example: iconv -f {utf16} -t UTF-8)",
    )


def decode_text(data: bytes, *, name: str | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Decode UTF-8, reporting an empty input, a binary file or the first undecodable byte."""
    if not data:
        return None, [EMPTY_INPUT.diagnostic("the input is empty", Location(file=name, line=1, column=1))]
    utf16 = utf16_diagnostic(data, name=name)
    if utf16 is not None:
        return None, [utf16]
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


def decode_source(source: Source, *, limit: int = MAX_INPUT_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """:func:`decode_text` of a source's bytes, or ``X009`` when it was too large to read."""
    if source.too_large:
        return None, [
            INPUT_TOO_LARGE.diagnostic(
                f"the input is larger than {_size(limit)}; it was not read past that",
                Location(file=source.name, line=1, column=1),
                hint="split it (a JSONL file by lines), or pass a regular file to replay, which streams it",
            )
        ]
    return decode_text(source.data, name=source.name)


def _size(n: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:g} {unit}"
        n //= 1024
    return f"{n} GiB"  # pragma: no cover
