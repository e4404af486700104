"""``replay --jobs N``: many captured streams (files, and directories of them) on worker processes.

:func:`stream_files` expands the paths: a file named is replayed whatever it is; a
directory is walked (in name order, hidden directories skipped) for the files with an
extension of the ``stream`` kind whose first bytes are a capture.  :func:`replay_paths_jobs`
replays each (:func:`replay_path`, a plain picklable function) on ``jobs`` processes,
several files to a task, and yields the results in input order
(:func:`transcript.scale.jobs.map_in_order`), so any report is that of ``--jobs 1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from typing import Any

from attrs import frozen

from transcript.core.codes import UNREADABLE_FILE
from transcript.core.diagnostics import Diagnostic, Location, diagnostic_tuple
from transcript.lint.kinds import KINDS
from transcript.scale.jobs import map_in_order
from transcript.stream.captures import InputFormat, sniff_format
from transcript.stream.replay import ReplayTo, replay_all, replay_records
from transcript.stream.replayer import ReplayResult

__all__ = ["ReplayedFile", "replay_path", "replay_paths_jobs", "stream_files"]

_SUFFIXES = KINDS["stream"].extensions


@frozen
class ReplayedFile:
    """One file replayed: its streams' results (several for a HAR file), or why it could not be read."""

    name: str
    results: tuple[ReplayResult, ...] = ()
    unreadable: tuple[Diagnostic, ...] = ()

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [*self.unreadable, *(d for result in self.results for d in result.diagnostics)]


def _is_capture(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return sniff_format(f.read(65536)) is not None
    except OSError:
        return True  # replayed, and reported as unreadable


def stream_files(paths: Sequence[str]) -> Iterator[str]:
    """The captures to replay: each file named, and the captures found in each directory."""
    for raw in paths:
        if not os.path.isdir(raw):
            yield raw
            continue
        for root, dirs, files in os.walk(raw):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                full = os.path.join(root, name)
                # regular files only: a FIFO found on the walk would block for ever
                if os.path.splitext(name)[1].lower() in _SUFFIXES and os.path.isfile(full) and _is_capture(full):
                    yield full


def replay_path(
    path: str,
    strict: bool = False,
    partial_json: bool = False,
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
    timeline: bool = False,
    record_pointer: str | None = None,
) -> ReplayedFile:
    """Replay every stream of one capture file (picklable: a worker runs it), or with
    ``record_pointer`` the stream of each record of a JSONL log; never raises on bad content,
    and a file that cannot be read is an ``X010`` diagnostic."""
    options: dict[str, Any] = {"strict": strict, "partial_json": partial_json, "to": to, "input_format": input_format, "timeline": timeline}
    try:
        if record_pointer is None:
            results = tuple(replay_all(path, **options))
        else:
            results = tuple(replay_records(path, record_pointer, **options))
    except OSError as exc:
        reason = {FileNotFoundError: "no such file", IsADirectoryError: "is a directory"}.get(type(exc), exc.strerror or str(exc))
        found = UNREADABLE_FILE.diagnostic(f"cannot read the file: {reason}", Location(file=path))
        return ReplayedFile(path, unreadable=diagnostic_tuple([found]))
    return ReplayedFile(path, results)


def replay_paths_jobs(
    paths: Sequence[str],
    *,
    jobs: int | None = None,
    strict: bool = False,
    partial_json: bool = False,
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
    timeline: bool = False,
    record_pointer: str | None = None,
    pool: Executor | None = None,
    batch: int = 16,
) -> Iterator[ReplayedFile]:
    """Every capture of ``paths`` (:func:`stream_files`) replayed on ``jobs`` processes
    (default: every core; or on ``pool``, an executor of the caller's), in input order; with
    ``record_pointer`` each file is a JSONL log of records wrapping a stream; ``batch`` files
    go to a worker per task."""
    args = (strict, partial_json, to, input_format, timeline, record_pointer)
    return map_in_order(replay_path, stream_files(paths), jobs=jobs, args=args, pool=pool, batch=batch)
