"""Dask: the per-record functions on a cluster (the ``transcript[dask]`` extra).

Bags in, bags of :class:`~transcript.scale.records.Row` out, built on the per-record
functions of :mod:`transcript.scale.records` and nothing else, so what a bag computes is
what ``transcript lint`` and ``transcript replay`` report:

- :func:`lint_bag`: a bag of records (texts, bytes, parsed JSON values; or ``(record_id,
  record)`` pairs with ``keyed=True``) of one kind;
- :func:`replay_bag`: a bag of recorded streams (or ``(record_id, stream)`` pairs);
- :func:`lint_paths_bag` and :func:`replay_paths_bag`: a bag of paths, each file read on a
  worker (so the paths must be readable there: a shared filesystem on a multi-machine cluster).

Collected rows become each file's diagnostics with :func:`~transcript.scale.records.merge_rows`.

``transcript lint --dask`` and ``transcript replay --dask`` run the ``--jobs`` plan itself
(:mod:`transcript.scale.jobs`: files, large JSONL files cut into chunks, results joined
in input order) with a Dask client as its executor (:class:`ClientPool`), so their report
is the local one; :func:`connect` opens that client (``local``: a ``LocalCluster`` of two
worker processes on this machine).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

import dask.bag as db
from distributed import Client, LocalCluster

from transcript.request.context import LintOptions
from transcript.scale.records import Row, lint_file, lint_record, replay_record, to_rows
from transcript.scale.replay_jobs import replay_path
from transcript.stream.captures import InputFormat

__all__ = ["BATCH", "WINDOW", "ClientPool", "connect", "lint_bag", "lint_paths_bag", "replay_bag", "replay_paths_bag", "workers"]

_T = TypeVar("_T")
#: Files a task reads when a bag is made of paths.
_PATHS_PER_PARTITION = 16
#: Small files a task of the ``--jobs`` plan takes on a cluster, and tasks in flight a worker:
#: a task costs milliseconds there (a process pool's, about one lint), so it must carry more.
BATCH = 128
WINDOW = 16


def _lint_one(record: Any, kind: str, options: LintOptions | None) -> list[Row]:
    return lint_record(record, kind, options=options)


def _lint_keyed(pair: tuple[str, Any], kind: str, options: LintOptions | None) -> list[Row]:
    record_id, record = pair
    return lint_record(record, kind, record_id=record_id, options=options)


def _replay_one(stream: str | bytes, strict: bool) -> list[Row]:
    return replay_record(stream, strict=strict)


def _replay_keyed(pair: tuple[str, str | bytes], strict: bool) -> list[Row]:
    record_id, stream = pair
    return replay_record(stream, record_id=record_id, strict=strict)


def lint_bag(records: db.Bag, kind: str, *, options: LintOptions | None = None, keyed: bool = False) -> db.Bag:
    """The rows of every record of ``records`` linted as ``kind`` (``keyed``: the elements are
    ``(record_id, record)`` pairs, and each row names its record)."""
    return records.map(_lint_keyed if keyed else _lint_one, kind, options).flatten()


def replay_bag(streams: db.Bag, *, strict: bool = False, keyed: bool = False) -> db.Bag:
    """The rows of every recorded stream of ``streams`` replayed (``keyed``: ``(record_id, stream)`` pairs)."""
    return streams.map(_replay_keyed if keyed else _replay_one, strict).flatten()


def _paths(paths: db.Bag | Sequence[str]) -> db.Bag:
    if isinstance(paths, db.Bag):
        return paths
    listed = list(paths)
    return db.from_sequence(listed, partition_size=_PATHS_PER_PARTITION) if listed else db.from_sequence([], npartitions=1)


def _lint_path(path: str, kind: str | None, options: LintOptions | None) -> list[Row]:
    return lint_file(path, kind=kind, options=options)


def _replay_path(path: str, strict: bool, input_format: InputFormat | None) -> list[Row]:
    done = replay_path(path, strict=strict, input_format=input_format)
    return to_rows(done.diagnostics, done.name)


def lint_paths_bag(paths: db.Bag | Sequence[str], *, kind: str | None = None, options: LintOptions | None = None) -> db.Bag:
    """The rows of each file linted as ``transcript lint FILE`` would (without a configuration), read on a worker."""
    return _paths(paths).map(_lint_path, kind, options).flatten()


def replay_paths_bag(paths: db.Bag | Sequence[str], *, strict: bool = False, input_format: InputFormat | None = None) -> db.Bag:
    """The rows of each capture file replayed (every stream of a HAR file), read on a worker."""
    return _paths(paths).map(_replay_path, strict, input_format).flatten()


class ClientPool(Executor):
    """A Dask client as the executor of the ``--jobs`` plan (:mod:`transcript.scale.jobs`):
    each call one task on the cluster; a cancelled future cancels its task."""

    def __init__(self, client: Client) -> None:
        self._executor = client.get_executor(pure=False)

    def submit(self, fn: Callable[..., _T], /, *args: Any, **kwargs: Any) -> Future[_T]:
        future: Future[_T] = self._executor.submit(fn, *args, **kwargs)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait and not cancel_futures)


def workers(client: Client) -> int:
    """The number of tasks the cluster runs at once (its workers' threads)."""
    return max(1, sum(client.nthreads().values()))


@contextlib.contextmanager
def connect(address: str, *, timeout: float = 30) -> Iterator[Client]:
    """A client of the scheduler at ``address`` (``tcp://host:8786``), or of a ``LocalCluster``
    of two single-threaded worker processes for ``local``; closed (the cluster stopped) on exit."""
    if address == "local":
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0") as cluster,
            Client(cluster, timeout=timeout) as client,
        ):
            yield client
        return
    with Client(address, timeout=timeout) as client:
        yield client
