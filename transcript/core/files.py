"""Writing files whole, and showing how a text changed.

:func:`write_whole` writes to a temporary file beside the target and renames it into place,
so a reader never sees a file cut short and an old file stays until the new one is complete
(reports, ``--fix``-style rewrites of sources).  :func:`unified_diff` is the diff that
``--diff`` prints.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from pathlib import Path

__all__ = ["unified_diff", "write_whole"]


def write_whole(path: str | Path, text: str, *, keep_mode: bool = False) -> None:
    """Put ``text`` (UTF-8, newlines as given) at ``path`` whole or not at all.

    ``keep_mode``: the file keeps its permission bits (a source rewritten in place); otherwise
    the new file gets an ordinary new file's (the umask's), not ``mkstemp``'s 0600.  Raises
    ``OSError`` when it cannot be written.
    """
    target = Path(path)
    if keep_mode:
        mode = target.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temporary = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, mode)
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass", newline="") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def unified_diff(name: str, before: str, after: str) -> str:
    """A unified diff of one file (``--diff``), ``a/NAME`` to ``b/NAME``, that ``patch -p1`` applies."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{name}", tofile=f"b/{name}"
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
