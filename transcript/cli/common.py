"""Small helpers the commands share: usage errors, colour on a terminal, writing JSON and results.

The options that several commands take are in :mod:`transcript.cli.options` (and the
report's in :mod:`transcript.cli.report`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

__all__ = ["OptionError", "fail", "use_color", "write_output"]


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
