"""The options that several commands take, each declared here once.

- :data:`PARSE` and :data:`RENDER`: the prompt policies, one option per field of
  :class:`~transcript.prompt.parse.ParseOptions` and
  :class:`~transcript.prompt.render.RenderOptions` (names, types, defaults and the
  checks of the values come from the attrs classes; only the help is written here).  A
  command gets them as :class:`Policies` and builds the attrs value when it is ready to.
- ``--strict``, ``--output``, ``--target``, ``--record-pointer``, ``--jobs``, ``--chunk-size`` and ``--dask``, as
  ``Annotated`` types (:func:`check_jobs` checks the jobs options; :func:`workers` gives
  what a command runs on).

The report options (``--format``, ``--select``, ...) are with the report, in
:mod:`transcript.cli.report`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from pathlib import Path
from typing import Annotated, Any, Generic, Optional, TypeVar

import attrs
import typer
from attrs import frozen

from transcript.cli.common import OptionError
from transcript.cli.groups import Flag, Group, flag, group_from_attrs
from transcript.prompt.parse import ParseOptions
from transcript.prompt.render import RenderOptions
from transcript.scale.jobs import CHUNK_BYTES

__all__ = ["PARSE", "RENDER", "ChunkSizeOpt", "DaskOpt", "JobsOpt", "OutputOpt", "Policies", "RecordPointerOpt", "StrictOpt", "TargetOpt", "Workers", "check_jobs", "check_pointer", "unescape", "workers"]

P = TypeVar("P", bound=attrs.AttrsInstance)


def unescape(value: str) -> str:
    """``\\n``, ``\\t``, ``\\r`` and ``\\\\`` typed on a command line, as characters.

    The separator options run their value through this: it is how a shell user writes
    a newline.  (A library caller passes the characters themselves.)
    """
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in "ntr\\":
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[value[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@frozen
class Policies(Generic[P]):
    """The policy options given to a command, made into the attrs value by :meth:`build`.

    The command builds it once it has checked its own arguments, adding what it shares
    between groups (``strict``).  ``values`` are the options this command takes, as
    keywords (``migrate`` hands them on as they are).
    """

    cls: Callable[..., P]
    values: Mapping[str, Any]
    flags: Mapping[str, str]

    def build(self, **more: Any) -> P:
        """The attrs value; a value it rejects is an :class:`OptionError` that names the flag."""
        try:
            return self.cls(**self.values, **more)
        except ValueError as exc:
            message = str(exc)  # "merge must be one of ...": say "--merge must be ..."
            head, sep, rest = message.partition(" ")
            raise OptionError(f"{self.flags[head]} {rest}" if sep and head in self.flags else message) from None


def _policy_group(cls: type[P], flags: Mapping[str, Flag]) -> Group[Policies[P]]:
    """The options of the attrs class ``cls`` but ``strict`` (a command declares that itself)."""
    options = group_from_attrs(cls, flags, exclude=["strict"]).options
    names = {o.name: o.decls[0] for o in options}
    return Group(options, lambda values: Policies(cls, values, names))


PARSE = _policy_group(
    ParseOptions,
    {
        "merge": flag(help="Same-role turns: none (separate messages), blocks (one message of text blocks), join."),
        "join_separator": flag(
            callback=unescape,
            show_default=False,
            help="Text between turns joined by --merge join; \\n and \\t are newline and tab (default: two newlines).",
        ),
        "empty_turns": flag(help="Empty turns: error, drop, or placeholder:TEXT."),
        "normalize_newlines": flag(help="Replace CRLF with LF when the turn markers use CRLF."),
        "lenient_start": flag(help="Read one, or three or more, newlines before a leading 'Human:' as the first turn."),
        "unwrap_system_tags": flag(
            help="Make a first '<admin>...</admin>' or '<system>...</system>' Human turn the system prompt."
        ),
    },
)
"""Prompt -> messages: ``--merge``, ``--join-separator``, ``--empty-turns``, ..."""

RENDER = _policy_group(
    RenderOptions,
    {
        "on_unsupported": flag(help="Non-text blocks: error, drop, or placeholder ('\\[image]')."),
        "tools_as_xml": flag(help="Write tool_use / tool_result as legacy <function_calls> XML."),
        "defuse": flag(help="Rewrite turn markers inside texts as '\\n\\nH:' / '\\n\\nA:'."),
        "hoist_system": flag(help="Make a leading {'role': 'system'} message the system text."),
        "insert_empty_human": flag(help="Write an empty Human turn before a first assistant message."),
        "restore_prefill_whitespace": flag(help="With meta: write back whitespace removed from the prompt's end."),
        "block_join": flag(
            callback=unescape,
            show_default=False,
            help="Text between a message's text blocks; \\n is a newline (default: none).",
        ),
    },
)
"""Messages -> prompt: ``--on-unsupported``, ``--tools-as-xml``, ``--defuse``, ..."""


StrictOpt = Annotated[bool, typer.Option("--strict", help="Make every whitespace repair an error instead of a warning.")]
OutputOpt = Annotated[
    Optional[Path],  # noqa: UP007 - typer needs Optional on Python 3.10
    typer.Option("--output", "-o", help="Write the result to this file instead of standard output."),
]
TargetOpt = Annotated[
    Optional[str],  # noqa: UP007
    typer.Option("--target", help="Judge requests as this provider does: anthropic, bedrock or vertex."),
]
RecordPointerOpt = Annotated[
    Optional[str],  # noqa: UP007
    typer.Option(
        "--record-pointer",
        metavar="POINTER",
        help="Each JSONL line is a record wrapping the body at this JSON pointer (e.g. /request/body): "
        "the body is judged, diagnostics point into the record.",
    ),
]


def check_pointer(pointer: str) -> str:
    """A JSON pointer (RFC 6901): empty, or ``/`` then its tokens (a usage error otherwise)."""
    if pointer and not pointer.startswith("/"):
        raise OptionError(f"--record-pointer must be a JSON pointer starting with / (got {pointer!r})")
    if any(bad for bad in pointer.split("~")[1:] if bad[:1] not in ("0", "1")):
        raise OptionError(f"--record-pointer: ~ must be written ~0 and / inside a key ~1 (got {pointer!r})")
    return pointer


JobsOpt = Annotated[
    Optional[int],  # noqa: UP007
    typer.Option(
        "--jobs",
        "-j",
        show_default=False,
        help="Worker processes: inputs, and the chunks of large JSONL files, in parallel with the same result (default: the number of cores; 1: serial).",
    ),
]
ChunkSizeOpt = Annotated[
    int,
    typer.Option("--chunk-size", metavar="BYTES", help="A JSONL file larger than this is read in chunks of about this size, in parallel (memory is bounded by it)."),
]


def check_jobs(jobs: int | None, chunk_size: int = CHUNK_BYTES) -> None:
    """``--jobs`` and ``--chunk-size`` must be 1 or more (a usage error otherwise)."""
    if jobs is not None and jobs < 1:
        raise OptionError(f"--jobs must be 1 or more (got {jobs})")
    if chunk_size < 1:
        raise OptionError(f"--chunk-size must be 1 or more (got {chunk_size})")


DaskOpt = Annotated[
    Optional[str],  # noqa: UP007
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Run on a Dask cluster: its scheduler's address (tcp://host:8786), or local (two worker processes here); "
        "the same report.  Needs the dask extra.",
    ),
]

_NO_DASK = "--dask needs the dask extra: pip install 'transcript[dask]'"


@frozen
class Workers:
    """What a command's work runs on: ``jobs`` (``None``: every core), the executor (``None``:
    the command's own processes) and how many small files go to a task (``None``: as many
    as the command's own processes take best)."""

    jobs: int | None
    pool: Executor | None = None
    batch: int | None = None


@contextlib.contextmanager
def workers(jobs: int | None, dask: str | None) -> Iterator[Workers]:
    """:class:`Workers` for ``--jobs``, or for the Dask cluster of ``--dask`` (closed on exit;
    ``jobs`` is then the tasks kept in flight, a few a worker).  The dask extra missing, or a
    scheduler that cannot be reached, is one line and exit 2."""
    if dask is None:
        yield Workers(jobs)
        return
    if jobs is not None:
        raise OptionError("--jobs and --dask: choose one (the cluster's workers are its jobs)")
    try:
        from transcript.scale.dask import BATCH, WINDOW, ClientPool, connect
        from transcript.scale.dask import workers as cluster_workers
    except ImportError:
        raise OptionError(_NO_DASK) from None
    try:
        connection = connect(dask)
        client = connection.__enter__()
    except (OSError, TimeoutError, ValueError) as exc:
        raise OptionError(f"--dask {dask}: cannot reach the cluster ({exc})") from None
    try:
        yield Workers(cluster_workers(client) * WINDOW // 4, ClientPool(client), BATCH)
    finally:
        connection.__exit__(None, None, None)
