"""``transcript migrate --jobs N`` on Python source: each file migrated on a worker process.

:func:`migrate_code_file` is the unit, plain and picklable: it reads one file, migrates it
(:func:`transcript.codemod.migrate.migrate_source`), and does there what the command asked
(the diff made, the file rewritten in place, or nothing but the verdict), so only a small
:class:`CodeResult` comes back.  :func:`migrate_code_jobs` maps it over the files on the
``--jobs`` machinery, results in the files' order: the report is that of ``--jobs 1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from attrs import field, frozen

from transcript.codemod.migrate import CodeOptions, migrate_source
from transcript.core.diagnostics import Diagnostic, diagnostic_tuple
from transcript.core.files import unified_diff, write_whole
from transcript.core.sources import decode_source
from transcript.lint.driver import read_path
from transcript.scale.jobs import map_in_order

__all__ = ["MODES", "CodeResult", "migrate_code_file", "migrate_code_jobs"]

#: What is done with a migrated file: its source returned, its diff returned, the file
#: rewritten, or only whether it would change.
MODES = ("source", "diff", "write", "check")


@frozen
class CodeResult:
    """One file's migration: its diagnostics, whether it changed (or would), whether it could
    be read at all, and the text asked for (the migrated source, or the diff)."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = field(converter=diagnostic_tuple, default=())
    changed: bool = False
    unreadable: bool = False
    output: str = ""
    #: why the rewritten file could not be written (``--write``), else ``None``
    write_error: str | None = None


def migrate_code_file(path: str, options: CodeOptions, mode: str) -> CodeResult:
    """Migrate the Python file at ``path`` and do what ``mode`` says (see :data:`MODES`)."""
    source = read_path(path)
    if isinstance(source, Diagnostic):
        return CodeResult(path, [source], unreadable=True)
    text, problems = decode_source(source)
    if text is None:
        return CodeResult(path, problems, unreadable=True)
    migration = migrate_source(text, options)
    diagnostics = [*problems, *migration.diagnostics]
    output = ""
    if mode == "source":
        output = migration.source
    elif mode == "diff" and migration.changed:
        output = unified_diff(path, text, migration.source)
    elif mode == "write" and migration.changed:
        try:
            write_whole(path, migration.source, keep_mode=True)
        except OSError as exc:
            why = f"cannot write the migrated source ({exc.strerror or exc})"
            return CodeResult(path, diagnostics, migration.changed, output="", write_error=why)
    return CodeResult(path, diagnostics, migration.changed, output=output)


def migrate_code_jobs(paths: Iterable[str], options: CodeOptions, mode: str, *, jobs: int | None = None) -> Iterator[CodeResult]:
    """:func:`migrate_code_file` for each path, on ``jobs`` processes (1: here), in the paths' order."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    # a task of 32 files: most cost a read and a substring search, the few legacy ones a parse
    return map_in_order(migrate_code_file, paths, jobs=jobs, args=(options, mode), batch=32)

