"""``migrate --jobs N``: the lines of a large JSONL file migrated on worker processes.

The file is cut into chunks at line ends (:func:`transcript.scale.jobs.plan_chunks`); each
chunk is migrated on its own (:func:`transcript.legacy.migrate.migrate_jsonl_part`, in a
worker) and the parts come back in file order (:func:`transcript.scale.jobs.in_order`), so
:func:`transcript.legacy.migrate.join_jsonl` gives the outputs and diagnostics of a
whole-file migration.  At most a few chunks per worker are in flight: memory is bounded by
the chunk size, not the file.

A chunk that is not UTF-8 text throughout (a NUL byte, bytes that are not UTF-8) comes back
as ``None``: the file is then migrated whole, which says what is wrong with it.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from typing import Any

from transcript.core.sources import utf16_diagnostic
from transcript.legacy.migrate import MigrationPart, migrate_jsonl_part
from transcript.scale.jobs import CHUNK_BYTES, Unit, decode_chunk, default_jobs, executor, in_order, plan_chunks

__all__ = ["chunked_jsonl", "migrate_chunk", "migrate_jsonl_jobs"]

_HEAD = 64 * 1024


def migrate_chunk(path: str, start: int, end: int, options: dict[str, Any]) -> MigrationPart | None:
    """Migrate the lines in bytes ``[start, end)`` of a JSONL file (picklable: a worker runs it)."""
    with open(path, "rb") as f:
        f.seek(start)
        text = decode_chunk(f.read(end - start))
    return None if text is None else migrate_jsonl_part(text, **options)


def chunked_jsonl(path: str, chunk_bytes: int = CHUNK_BYTES) -> int | None:
    """The size of a JSONL file to migrate in chunks, or ``None`` when it is read whole: not
    a regular file, no larger than a chunk, or one whose start needs the whole file's reading
    (a byte order mark, UTF-16, not a JSON object first)."""
    try:
        if not os.path.isfile(path) or (size := os.stat(path).st_size) <= chunk_bytes:
            return None
        with open(path, "rb") as f:
            head = f.read(_HEAD)
    except OSError:  # migrate reads it whole and says why it cannot
        return None
    if head.startswith(b"\xef\xbb\xbf") or utf16_diagnostic(head) is not None:
        return None
    return size if head.lstrip(b" \t\r\n")[:1] == b"{" else None


def migrate_jsonl_jobs(
    path: str, size: int, options: dict[str, Any], *, jobs: int | None = None, chunk_bytes: int = CHUNK_BYTES
) -> Generator[MigrationPart | None, None, None]:
    """The parts of a JSONL file, migrated on ``jobs`` processes (default: every core), in file order."""
    jobs = jobs or default_jobs()
    pool = executor(jobs)
    units = (Unit([pool.submit(migrate_chunk, path, start, end, options)], list) for start, end in plan_chunks(path, size, chunk_bytes))
    try:
        yield from in_order(units, 4 * jobs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
