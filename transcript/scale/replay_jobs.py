"""``replay --jobs N``: many captured streams (files, and directories of them) on worker processes.

:func:`stream_files` expands the paths: a file named is replayed whatever it is; a
directory is walked (in name order, hidden directories skipped) for the files with an
extension of the ``stream`` kind whose first bytes are a capture.  :func:`replay_paths_jobs`
replays each (:func:`replay_path`, a plain picklable function) on ``jobs`` processes,
several files to a task, and yields the results in input order
(:func:`transcript.scale.jobs.map_in_order`), so any report is that of ``--jobs 1``.

Only the walk runs in the calling process: whether a file found on it is a capture (its
first bytes read) is judged on the worker, and ``render``, a picklable function of the
caller's, turns each :class:`ReplayedFile` there into what the caller needs (the CLI: its
output text and diagnostics), so the replayed Messages never cross the pipe and the
caller's process, which every result passes through, does as little as it can.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from typing import Any, TypeVar

from attrs import frozen

from transcript.core.codes import UNREADABLE_FILE
from transcript.core.diagnostics import Diagnostic, Location, diagnostic_tuple
from transcript.lint.kinds import KINDS
from transcript.scale.jobs import map_in_order
from transcript.stream.captures import InputFormat, sniff_format
from transcript.stream.replay import ReplayTo, replay_all, replay_records
from transcript.stream.replayer import ReplayResult

__all__ = ["BATCH", "ReplayedFile", "capture_candidates", "replay_path", "replay_paths_jobs", "replay_paths_rendered", "stream_files"]

_SUFFIXES = KINDS["stream"].extensions
#: Files a worker replays per task: one small stream takes about 0.1 ms, a task about as
#: much to send and collect, so a task must carry many.
BATCH = 64
_R = TypeVar("_R")


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


def _walk(top: str) -> Iterator[str]:
    """The files under ``top`` with an extension of the ``stream`` kind, in name order
    (hidden directories skipped; regular files only: a FIFO found on the walk would block
    for ever).  One ``scandir`` a directory: no ``stat`` of a file but a symbolic link's."""
    try:
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return  # as os.walk: a directory that cannot be listed is passed over
    subdirs = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.name.startswith("."):
                subdirs.append(entry)
            continue
        if os.path.splitext(entry.name)[1].lower() in _SUFFIXES:
            try:
                regular = entry.is_file()
            except OSError:
                regular = False
            if regular:
                yield entry.path
    for entry in subdirs:
        if not entry.is_symlink():  # os.walk does not follow links to directories
            yield from _walk(entry.path)


def capture_candidates(paths: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """``(path, named)``: each file named (``True``: replayed whatever it is), and each file
    found in a directory that may be a capture (``False``: :func:`is_capture` decides)."""
    for raw in paths:
        if os.path.isdir(raw):
            yield from ((found, False) for found in _walk(raw))
        else:
            yield raw, True


def stream_files(paths: Sequence[str]) -> Iterator[str]:
    """The captures to replay: each file named, and the captures found in each directory."""
    return (path for path, named in capture_candidates(paths) if named or _is_capture(path))


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


def _same(done: ReplayedFile) -> ReplayedFile:
    return done


def _replay_candidate(item: tuple[str, bool], render: Callable[[ReplayedFile], _R], *args: Any) -> _R | None:
    """A worker's part: a file found on a walk that is not a capture is ``None`` (passed
    over); any other is replayed (:func:`replay_path`) and given to ``render``."""
    path, named = item
    if not named and not _is_capture(path):
        return None
    return render(replay_path(path, *args))


def replay_paths_rendered(
    paths: Sequence[str],
    render: Callable[[ReplayedFile], _R],
    *,
    jobs: int | None = None,
    strict: bool = False,
    partial_json: bool = False,
    to: ReplayTo | None = None,
    input_format: InputFormat | None = None,
    timeline: bool = False,
    record_pointer: str | None = None,
    pool: Executor | None = None,
    batch: int = BATCH,
) -> Iterator[_R]:
    """:func:`replay_paths_jobs`, each file's result made into ``render(result)`` on the
    worker (``render`` must be picklable: a module-level function)."""
    args = (render, strict, partial_json, to, input_format, timeline, record_pointer)
    done = map_in_order(_replay_candidate, capture_candidates(paths), jobs=jobs, args=args, pool=pool, batch=batch)
    return (r for r in done if r is not None)


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
    batch: int = BATCH,
) -> Iterator[ReplayedFile]:
    """Every capture of ``paths`` (:func:`stream_files`) replayed on ``jobs`` processes
    (default: every core; or on ``pool``, an executor of the caller's), in input order; with
    ``record_pointer`` each file is a JSONL log of records wrapping a stream; ``batch`` files
    go to a worker per task."""
    return replay_paths_rendered(
        paths, _same, jobs=jobs, strict=strict, partial_json=partial_json, to=to, input_format=input_format,
        timeline=timeline, record_pointer=record_pointer, pool=pool, batch=batch,
    )
