"""``transcript migrate`` on Python source: the codemod over files and directories.

A directory means every ``.py`` file in it, found as ``transcript lint`` finds files
(excludes, virtual environments and ``.gitignore`` skipped; each file with the nearest
configuration above it).  One file prints its migrated source (or writes ``-o``);
``--diff`` prints a unified diff, ``--write`` rewrites the files in place, ``--check``
only says which files would change (exit status 1 when any would).  Every call site left
unchanged is a located diagnostic in the usual report.  ``--jobs N`` migrates the files
on N processes (:mod:`transcript.scale.code_jobs`), with the same output and report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from transcript.cli.common import OptionError, write_output
from transcript.cli.report import Reporter, ReportOptions, config_resolver
from transcript.codemod.migrate import CodeOptions
from transcript.lint.discovery import discover
from transcript.scale.code_jobs import migrate_code_jobs

__all__ = ["CodeRun", "is_python_path", "migrate_code"]

PYTHON_SUFFIXES = (".py", ".pyi")


def is_python_path(path: str) -> bool:
    """Whether ``transcript migrate`` reads ``path`` as Python source (a ``.py`` file or a directory)."""
    return path.lower().endswith(PYTHON_SUFFIXES) or os.path.isdir(path)


def _is_python_name(name: str) -> bool:
    return name.lower().endswith(PYTHON_SUFFIXES)


@frozen
class CodeRun:
    """What ``transcript migrate`` does with the migrated sources, and on how many processes."""

    diff: bool = False
    write: bool = False
    check: bool = False
    output: Path | None = None
    jobs: int | None = None

    @property
    def mode(self) -> str:
        return "diff" if self.diff else "write" if self.write else "check" if self.check else "source"


def migrate_code(paths: Sequence[str], run: CodeRun, options: CodeOptions, report: ReportOptions) -> int:
    """Migrate the Python files of ``paths``; return the exit status."""
    if sum((run.diff, run.write, run.check)) > 1:
        raise OptionError("--diff, --write and --check: choose one")
    if run.output is not None and run.mode != "source":
        raise OptionError("-o/--output takes the migrated source of one file: not with --diff, --write or --check")
    resolver = config_resolver(report)
    found = list(discover(paths, resolver, claimed=_is_python_name))
    files = [c for c in found if c.path != "-"]
    if len(found) != len(files):
        raise OptionError("Python source is read from files: - (standard input) is for JSON bodies")
    if run.mode == "source" and (len(files) != 1 or os.path.isdir(paths[0])):
        raise OptionError("several Python files: pass --diff to review, --write to rewrite them, or --check")
    reporter = Reporter(report, paths, command="migrate", stream=sys.stderr)
    changed = 0
    unreadable = False
    results = migrate_code_jobs([c.path for c in files], options, run.mode, jobs=run.jobs)
    for candidate, result in zip(files, results):
        reporter.add(result.path, result.diagnostics, config=None if result.unreadable else candidate.config)
        unreadable = unreadable or result.unreadable
        if result.write_error is not None:
            raise OptionError(f"{result.path}: {result.write_error}")
        changed += result.changed
        if run.mode == "source" and not result.unreadable:
            write_output(result.output.encode("utf-8", "surrogatepass"), run.output)
        elif run.mode == "diff":
            sys.stdout.write(result.output)
        elif run.mode == "check" and result.changed:
            sys.stdout.write(f"would migrate {result.path}\n")
    sys.stdout.flush()
    status = reporter.emit()
    if run.write:
        sys.stderr.write(f"migrated {changed} file(s) of {len(files)}\n")
    elif run.check:
        sys.stderr.write(f"{changed} file(s) of {len(files)} would be migrated\n")
    if report.exit_zero:
        return 0
    return 1 if status or unreadable or (run.check and changed) else 0
