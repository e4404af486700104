"""Small helpers the commands share: usage errors, colour on a terminal, writing JSON and results.

The options that several commands take are in :mod:`transcript.cli.options` (and the
report's in :mod:`transcript.cli.report`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, TextIO, cast

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


def write_output(data: bytes | BinaryIO | Iterable[bytes], output: Path | None) -> None:
    """A command's result (its bytes, a file read from where it stands, or pieces written as
    they come), to ``--output`` or standard output (a file it cannot write is a usage error)."""
    if output is None:
        _write(data, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    try:
        with output.open("wb") as out:
            _write(data, out)
    except OSError as exc:
        raise OptionError(f"{output}: cannot write ({exc.strerror or exc})") from None


def _write(data: bytes | BinaryIO | Iterable[bytes], out: BinaryIO) -> None:
    if isinstance(data, bytes):
        out.write(data)
    elif hasattr(data, "read"):
        shutil.copyfileobj(cast("BinaryIO", data), out, 1 << 20)
    else:
        out.writelines(cast("Iterable[bytes]", data))
