"""Small helpers the commands share: usage errors, colour on a terminal, writing JSON and results.

The options that several commands take are in :mod:`transcript.cli.options` (and the
report's in :mod:`transcript.cli.report`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import orjson

__all__ = ["OptionError", "dumps_json", "fail", "json_bytes", "use_color", "write_output"]


class OptionError(Exception):
    """An option value the library rejects: one line on stderr and exit status 2."""


def fail(message: str) -> int:
    """Print one line on stderr and return exit status 2."""
    sys.stderr.write(f"transcript: error: {message}\n")
    return 2


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (FORCE_COLOR forces it)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


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
    option = orjson.OPT_INDENT_2 if pretty else 0
    try:
        return orjson.dumps(value, option=option) + b"\n"
    except TypeError:
        # orjson writes at most 255 levels and 64-bit integers; the input parser accepts
        # 1024 levels and integers of any size, which the stdlib writes
        if pretty:
            text = dumps_json(value, ensure_ascii=False, indent=2)
        else:
            text = dumps_json(value, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8") + b"\n"


def write_output(data: bytes, output: Path | None) -> None:
    """A command's result, to ``--output`` or standard output (a file it cannot write is a usage error)."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise OptionError(f"{output}: cannot write ({exc.strerror or exc})") from None
