"""``transcript migrate`` on Python source: the codemod over files and directories.

A directory means every ``.py`` file in it, found as ``transcript lint`` finds files
(excludes, virtual environments and ``.gitignore`` skipped; each file with the nearest
configuration above it).  One file prints its migrated source (or writes ``-o``);
``--diff`` prints a unified diff, ``--write`` rewrites the files in place, ``--check``
only says which files would change (exit status 1 when any would).  Every call site left
unchanged is a located diagnostic in the usual report.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from transcript.cli.common import OptionError, write_output
from transcript.cli.fixing import unified_diff
from transcript.cli.report import Reporter, ReportOptions, config_resolver
from transcript.codemod.migrate import CodeOptions, migrate_source
from transcript.core.diagnostics import Diagnostic
from transcript.core.sources import decode_source
from transcript.lint.discovery import discover
from transcript.lint.driver import read_path

__all__ = ["CodeRun", "is_python_path", "migrate_code"]

PYTHON_SUFFIXES = (".py", ".pyi")


def is_python_path(path: str) -> bool:
    """Whether ``transcript migrate`` reads ``path`` as Python source (a ``.py`` file or a directory)."""
    return path.lower().endswith(PYTHON_SUFFIXES) or os.path.isdir(path)


def _is_python_name(name: str) -> bool:
    return name.lower().endswith(PYTHON_SUFFIXES)


@frozen
class CodeRun:
    """What ``transcript migrate`` does with the migrated sources."""

    diff: bool = False
    write: bool = False
    check: bool = False
    output: Path | None = None


def migrate_code(paths: Sequence[str], run: CodeRun, options: CodeOptions, report: ReportOptions) -> int:
    """Migrate the Python files of ``paths``; return the exit status."""
    if sum((run.diff, run.write, run.check)) > 1:
        raise OptionError("--diff, --write and --check: choose one")
    if run.output is not None and (run.diff or run.write or run.check):
        raise OptionError("-o/--output takes the migrated source of one file: not with --diff, --write or --check")
    resolver = config_resolver(report)
    found = list(discover(paths, resolver, claimed=_is_python_name))
    files = [c for c in found if c.path != "-"]
    if len(found) != len(files):
        raise OptionError("Python source is read from files: - (standard input) is for JSON bodies")
    show_source = not (run.diff or run.write or run.check)
    if show_source and (len(files) != 1 or os.path.isdir(paths[0])):
        raise OptionError("several Python files: pass --diff to review, --write to rewrite them, or --check")
    reporter = Reporter(report, paths, command="migrate", stream=sys.stderr)
    would_change = 0
    unreadable = False
    for candidate in files:
        name = candidate.path
        source = read_path(name)
        if isinstance(source, Diagnostic):
            reporter.add(name, [source])
            unreadable = True
            continue
        text, problems = decode_source(source)
        if text is None:
            reporter.add(name, problems, config=candidate.config)
            unreadable = True
            continue
        migration = migrate_source(text, options)
        reporter.add(name, [*problems, *migration.diagnostics], config=candidate.config)
        if migration.changed:
            would_change += 1
        if show_source:
            write_output(migration.source.encode("utf-8", "surrogatepass"), run.output)
        elif run.diff and migration.changed:
            sys.stdout.write(unified_diff(name, text, migration.source))
        elif run.write and migration.changed:
            _replace(Path(name), migration.source)
        elif run.check and migration.changed:
            sys.stdout.write(f"would migrate {name}\n")
    sys.stdout.flush()
    status = reporter.emit()
    if run.write:
        sys.stderr.write(f"migrated {would_change} file(s) of {len(files)}\n")
    elif run.check:
        sys.stderr.write(f"{would_change} file(s) of {len(files)} would be migrated\n")
    if report.exit_zero:
        return 0
    return 1 if status or unreadable or (run.check and would_change) else 0


def _replace(path: Path, text: str) -> None:
    """Write ``text`` over ``path`` whole or not at all (a temporary file renamed), keeping its mode."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o7777
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".migrating", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", errors="surrogatepass", newline="") as out:
                out.write(text)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OptionError(f"{path}: cannot write the migrated source ({exc.strerror or exc})") from None
