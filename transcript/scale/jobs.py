"""``--jobs N``: lint many files, and the lines of large JSONL files, on N worker processes.

The inputs are :func:`transcript.lint.driver.candidates`, each with its own configuration.
A JSONL file larger than ``chunk_bytes`` is cut into chunks at line boundaries; each chunk
is linted on its own (:func:`transcript.request.jsonl.lint_jsonl_part`, in a worker) and the
parts are joined in file order (:func:`transcript.request.jsonl.finish_jsonl`), so the file's
findings, their line numbers and order are those of a whole-file lint.  Every other input is
linted whole in a worker (:func:`transcript.lint.driver.lint_candidate`).  Results come back
in input order whatever finishes first, so any report is the same for every N; at most a
few chunks per worker are in flight, so memory is bounded by the chunk size, not the input.

``jobs=1`` runs the same plan in this process, without a pool.
"""

from __future__ import annotations

import itertools
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

import attrs
from attrs import frozen

from transcript.core.diagnostics import sort_diagnostics
from transcript.core.sources import utf16_diagnostic
from transcript.lint.config import ConfigResolver
from transcript.lint.discovery import Candidate
from transcript.lint.driver import FileResult, candidates, lint_candidate, options_for
from transcript.lint.kinds import KINDS, Document, Kind, detect_kind, recognise
from transcript.request.context import LintOptions
from transcript.request.jsonl import JsonlPart, finish_jsonl, iter_lines, lint_jsonl_part

__all__ = ["BATCH", "CHUNK_BYTES", "Unit", "decode_chunk", "default_jobs", "executor", "in_order", "lint_paths_jobs", "map_in_order", "plan_chunks"]

#: The size of one chunk of a large JSONL file (each worker holds about this much text).
CHUNK_BYTES = 4 * 1024 * 1024
_HEAD = 1024 * 1024  # what the kind of a large file is judged by (whole lines of it)
#: Small files a worker lints per task (a cluster's executor takes more: see ``batch``); a
#: task is sent sooner once its files hold ``_FILE_BYTES`` a file of it, so larger files
#: go fewer to a task and spread over the workers.
BATCH = 64
_FILE_BYTES = 4096
_JSONL_KINDS = ("jsonl", "batch-results")  # the kinds whose lint is the JSONL linter, line by line
_T = TypeVar("_T")
_R = TypeVar("_R")


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def plan_chunks(path: str, size: int, chunk_bytes: int = CHUNK_BYTES) -> list[tuple[int, int]]:
    """Byte ranges ``[start, end)`` covering the file, each ending just after a ``\\n`` (the
    last at the end of the file), each about ``chunk_bytes`` long (longer when a line is)."""
    ranges: list[tuple[int, int]] = []
    start = 0
    with open(path, "rb") as f:
        while start < size:
            target = start + chunk_bytes
            if target >= size:
                ranges.append((start, size))
                break
            f.seek(target)
            end = size
            pos = target
            while True:
                block = f.read(64 * 1024)
                if not block:
                    break
                at = block.find(b"\n")
                if at >= 0:
                    end = pos + at + 1
                    break
                pos += len(block)
            ranges.append((start, end))
            start = end
    return ranges


def decode_chunk(data: bytes) -> str | None:
    """The chunk's text, or ``None`` when lint must read the file whole to judge it (a NUL
    byte, bytes that are not UTF-8: reported once for the file, at the first one)."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def lint_chunk(path: str, start: int, end: int, options: LintOptions) -> JsonlPart | None:
    """Lint the lines in bytes ``[start, end)`` of a JSONL file (picklable: a worker runs it)."""
    with open(path, "rb") as f:
        f.seek(start)
        text = decode_chunk(f.read(end - start))
    if text is None:
        return None
    return lint_jsonl_part(text, options)


def _whole(candidate: Candidate, kind: str | None, strict: bool, stdin_filename: str | None) -> FileResult:
    result = lint_candidate(candidate, kind=kind, strict=strict, stdin_filename=stdin_filename)
    return attrs.evolve(result, source=None)  # the bytes are for --fix, which runs serially


def _whole_batch(batch: tuple[Candidate, ...], kind: str | None, strict: bool, stdin_filename: str | None) -> list[FileResult]:
    """Several small files in one call: a task to a worker costs about as much as linting one."""
    return [_whole(candidate, kind, strict, stdin_filename) for candidate in batch]


class _Inline(Executor):
    """Runs each call at once, in this process (``--jobs 1``)."""

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        future: Future[_T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result, as a pool does
            future.set_exception(exc)
        return future


class _LazyPool(Executor):
    """A process pool started at the first call it is given (a run may need none)."""

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self._workers)
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def executor(jobs: int) -> Executor:
    """What ``--jobs N`` runs its tasks on: this process for 1, else a pool of ``jobs`` processes
    started at the first task."""
    return _Inline() if jobs == 1 else _LazyPool(jobs)


@frozen
class Unit(Generic[_R]):
    """One input in flight: its futures and how to make its results from theirs (``finish``
    is given their results lazily, in order, as an iterator: it may submit more work while
    it reads them, as a large file's chunks do)."""

    futures: list[Future[Any]]
    finish: Callable[[Iterator[Any]], Iterable[_R]]


def in_order(units: Iterable[Unit[_R]], window: int) -> Iterator[_R]:
    """The results of ``units`` in the order they come, whatever finishes first.

    ``units`` is consumed lazily (each submits its work as it is made): at most about
    ``window`` futures are in flight, so memory is bounded by what they hold, and every
    worker stays busy.  What is still pending when the consumer stops is cancelled.
    """
    pending: deque[Unit[_R]] = deque()
    in_flight = 0
    try:
        for unit in units:
            pending.append(unit)
            in_flight += len(unit.futures)
            while in_flight > window and len(pending) > 1:
                done = pending.popleft()
                in_flight -= len(done.futures)
                yield from done.finish(f.result() for f in done.futures)
        while pending:
            done = pending.popleft()
            yield from done.finish(f.result() for f in done.futures)
    finally:
        for unit in pending:
            for f in unit.futures:
                f.cancel()


def _each(fn: Callable[..., _R], items: tuple[Any, ...], args: tuple[Any, ...]) -> list[_R]:
    return [fn(item, *args) for item in items]


def map_in_order(
    fn: Callable[..., _R],
    items: Iterable[Any],
    *,
    jobs: int | None = None,
    args: tuple[Any, ...] = (),
    batch: int = BATCH,
    pool: Executor | None = None,
) -> Iterator[_R]:
    """``fn(item, *args)`` for each item on ``jobs`` processes (default: every core), in the
    order of ``items``; ``batch`` items go to a worker per task (``fn`` must be picklable:
    a module-level function).  One item, or ``jobs=1``, runs here, without a pool.

    ``pool`` is an executor of the caller's (a Dask client's, :mod:`transcript.scale.dask`),
    ``jobs`` then its number of workers; it is left running."""
    jobs = jobs or default_jobs()
    it = iter(items)
    head = list(itertools.islice(it, batch + 1))
    own = pool is None
    if pool is None:
        pool = executor(1 if len(head) < 2 else jobs)

    def units() -> Iterator[Unit[_R]]:
        rest = itertools.chain(head, it)
        while chunk := tuple(itertools.islice(rest, batch)):
            yield Unit([pool.submit(_each, fn, chunk, args)], next)

    try:
        yield from in_order(units(), 4 * jobs)
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def _chunked_kind(candidate: Candidate, kind: str | None) -> str | None:
    """The kind a large file is read as when its lint is the JSONL linter (``None`` otherwise),
    judged by its first whole lines as lint would."""
    try:
        with open(candidate.path, "rb") as f:
            head = f.read(_HEAD)
    except OSError:  # lint reads it whole and reports why it cannot
        return None
    if utf16_diagnostic(head) is not None:
        return None
    cut = head.rfind(b"\n")
    text = decode_chunk(head[: cut + 1]) if cut >= 0 else None
    if not text:
        return None
    chosen: Kind | None
    if kind:
        chosen = KINDS[kind]
    elif candidate.explicit:
        chosen = detect_kind(candidate.path, Document(text))
    else:
        chosen = recognise(candidate.path, Document(text))
    return chosen.name if chosen is not None and chosen.name in _JSONL_KINDS else None


def _line_texts(path: str, ranges: list[tuple[int, int]], firsts: list[int]) -> Callable[[Sequence[int]], dict[int, str]]:
    """Read again only the chunks holding the lines asked for."""

    def read(numbers: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        wanted = set(numbers)
        for (start, end), first, last in zip(ranges, firsts, [*firsts[1:], None]):
            if not any(first <= n and (last is None or n < last) for n in wanted):
                continue
            with open(path, "rb") as f:
                f.seek(start)
                text = f.read(end - start).decode("utf-8")
            out.update((first + n, line) for n, line in iter_lines(text) if first + n in wanted)
        return out

    return read


class _NotText(Exception):
    """A chunk is not text throughout: the file is linted whole instead."""


def _chunked(
    candidate: Candidate, size: int, pool: Executor, kind: str | None, strict: bool, chunk_bytes: int, name: str, window: int
) -> Unit[FileResult]:
    """A large JSONL file in chunks: the first ``window`` submitted now, each of the others
    once a part is taken in, so at most ``window`` parts exist at a time whatever the size
    of the file (the parts are joined as they come: :func:`finish_jsonl` reads them once, in order)."""
    config = candidate.config
    options = options_for(config, strict)
    ranges = plan_chunks(candidate.path, size, chunk_bytes)
    later = iter(ranges[window:])
    futures: list[Future[Any]] = [pool.submit(lint_chunk, candidate.path, start, end, options) for start, end in ranges[:window]]
    firsts: list[int] = []

    def finish(first: Iterator[Any]) -> list[FileResult]:
        more: deque[Future[Any]] = deque()

        def parts() -> Iterator[JsonlPart]:
            line = 0
            results = itertools.chain(first, _drain(more))
            for part in results:
                if part is None:
                    raise _NotText
                for start, end in itertools.islice(later, 1):
                    more.append(pool.submit(lint_chunk, candidate.path, start, end, options))
                firsts.append(line)
                line += part.lines
                yield part

        try:
            found = finish_jsonl(parts(), size, _line_texts(candidate.path, ranges, firsts), options)
        except _NotText:  # not text throughout: lint reads it whole and says why
            return [_whole(candidate, kind, strict, None)]
        finally:
            for f in more:
                f.cancel()
        stamped = config.apply([d if d.location.file else d.in_file(candidate.path) for d in found])
        return [FileResult(candidate.path, name, sort_diagnostics(stamped), config)]

    return Unit(futures, finish)


def _drain(futures: deque[Future[Any]]) -> Iterator[Any]:
    """The results of ``futures`` in order, taking each off the queue (which may grow meanwhile)."""
    while futures:
        yield futures.popleft().result()


def lint_paths_jobs(
    paths: Sequence[str],
    *,
    jobs: int | None = None,
    resolver: ConfigResolver | None = None,
    kind: str | None = None,
    strict: bool = False,
    stdin_filename: str | None = None,
    only_recognised: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
    pool: Executor | None = None,
    batch: int = BATCH,
) -> Iterator[FileResult]:
    """:func:`transcript.lint.driver.lint_paths` on ``jobs`` processes (default: every core):
    the same results, in the same order.  ``pool`` is an executor of the caller's (a Dask
    client's), ``jobs`` then its number of workers; it is left running.  ``batch`` small files
    go to a worker per task (more on a cluster, where a task costs milliseconds)."""
    jobs = jobs or default_jobs()
    inline = _Inline()
    own = pool is None
    if pool is None:
        pool = executor(jobs)
    batch_size = batch
    window = 4 * jobs
    found = candidates(paths, resolver=resolver, stdin_filename=stdin_filename, only_recognised=only_recognised)
    head = list(itertools.islice(found, 2))
    # one input: a whole-file lint is no faster in a worker, and starting one costs more than most lints
    whole_pool = inline if len(head) < 2 else pool

    def units() -> Iterator[Unit[FileResult]]:
        batch: list[Candidate] = []
        held = 0

        def flush() -> Unit[FileResult]:
            nonlocal held
            unit = Unit([whole_pool.submit(_whole_batch, tuple(batch), kind, strict, stdin_filename)], next)
            batch.clear()
            held = 0
            return unit

        for candidate in itertools.chain(head, found):
            planned, size = _plan(candidate, pool, inline, kind, strict, stdin_filename, chunk_bytes, window)
            if planned is None:
                batch.append(candidate)
                held += max(size, 0)
                if len(batch) >= batch_size or held >= batch_size * _FILE_BYTES:
                    yield flush()
                continue
            if batch:
                yield flush()
            yield planned
        if batch:
            yield flush()

    try:
        yield from in_order(units(), window)
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def _plan(
    candidate: Candidate,
    chunk_pool: Executor,
    inline: Executor,
    kind: str | None,
    strict: bool,
    stdin_filename: str | None,
    chunk_bytes: int,
    window: int,
) -> tuple[Unit[FileResult] | None, int]:
    """How an input is linted: standard input here, a large JSONL file in chunks, ``None``
    for a file linted whole (batched with its neighbours); and its size (-1: not a regular file)."""
    path = candidate.path
    if path == "-":  # standard input is this process's
        return Unit([inline.submit(_whole, candidate, kind, strict, stdin_filename)], lambda r: [next(r)]), -1
    try:
        found = os.stat(path)
        size = found.st_size if stat.S_ISREG(found.st_mode) else -1
    except OSError:
        size = -1
    name = _chunked_kind(candidate, kind) if size > chunk_bytes else None
    if name is not None:
        return _chunked(candidate, size, chunk_pool, kind, strict, chunk_bytes, name, window), size
    return None, size
