"""Options and output shared by every command.

Every command reports through :func:`emit_report`, which renders the diagnostics in the
``--format`` chosen from the one registry of output formats, and computes its exit status
with :func:`exit_status`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Annotated, Optional, TextIO

import typer

from transcript.core.diagnostics import Diagnostic, Severity
from transcript.formats import FORMATS, FormatOptions, Report, render, statistics
from transcript.lint.config import Config, ConfigError, load_config

__all__ = [
    "FormatOpt",
    "OutputFileOpt",
    "StatisticsOpt",
    "ConfigOpt",
    "SelectOpt",
    "ExtendSelectOpt",
    "IgnoreOpt",
    "ExitZeroOpt",
    "ErrorOnWarningOpt",
    "TargetOpt",
    "emit_report",
    "exit_status",
    "resolve_config",
    "use_color",
    "dumps_json",
]


def _check_format(value: str) -> str:
    if value not in FORMATS:
        raise typer.BadParameter(f"unknown format {value!r} (choose from {', '.join(FORMATS)})")
    return value


FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        callback=_check_format,
        envvar="TRANSCRIPT_FORMAT",
        help="Diagnostics format: text, json, github, sarif or junit.",
    ),
]
OutputFileOpt = Annotated[
    Optional[Path],  # noqa: UP007 - typer needs Optional on Python 3.10
    typer.Option("--output-file", help="Write the diagnostics report to this file instead of the terminal."),
]
StatisticsOpt = Annotated[bool, typer.Option("--statistics", help="Also print how many times each code was reported.")]
ConfigOpt = Annotated[
    Optional[Path],  # noqa: UP007
    typer.Option(
        "--config",
        help="Read settings from this TOML file (default: the nearest transcript.toml or pyproject.toml).",
    ),
]
SelectOpt = Annotated[
    Optional[list[str]],  # noqa: UP007
    typer.Option("--select", help="Report only these codes or prefixes (comma separated, repeatable; e.g. P,M001)."),
]
ExtendSelectOpt = Annotated[
    Optional[list[str]],  # noqa: UP007
    typer.Option("--extend-select", help="Add codes or prefixes to the selection."),
]
IgnoreOpt = Annotated[
    Optional[list[str]],  # noqa: UP007
    typer.Option("--ignore", help="Never report these codes or prefixes (comma separated, repeatable)."),
]
ExitZeroOpt = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when errors are found.")]
ErrorOnWarningOpt = Annotated[bool, typer.Option("--error-on-warning", help="Exit 1 on warnings too.")]
TargetOpt = Annotated[
    Optional[str],  # noqa: UP007
    typer.Option("--target", help="Judge requests as this provider does: anthropic, bedrock or vertex."),
]


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (FORCE_COLOR forces it)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def resolve_config(
    config_path: Path | None,
    *,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    target: str | None = None,
    paths: Sequence[str] = (),
) -> Config:
    """The configuration file's settings with the command-line flags applied on top.

    Without ``--config`` the nearest configuration file is looked for from the first
    path given (so ``transcript lint project/`` uses ``project/pyproject.toml``), else
    from the working directory.
    """
    config = load_config(config_path, start=_config_start(paths))
    try:
        return config.with_cli(select=select, extend_select=extend_select, ignore=ignore, target=target)
    except ConfigError:
        raise
    except ValueError as exc:  # pragma: no cover - defensive
        raise ConfigError(str(exc)) from None


def emit_report(
    diagnostics: Iterable[Diagnostic],
    *,
    files: Sequence[str] = (),
    fmt: str = "text",
    output_file: Path | None = None,
    show_statistics: bool = False,
    stream: TextIO | None = None,
    command: str = "lint",
) -> Report:
    """Render the diagnostics in the chosen format to ``output_file`` or ``stream``.

    With no diagnostics and the text format nothing is written for the ``convert``-like
    commands (their stdout carries the result); lint always prints its summary line.
    """
    stream = stream or sys.stdout
    report = Report(tuple(diagnostics), files, command)
    color = output_file is None and use_color(stream) and fmt == "text"
    text = render(report, fmt, FormatOptions(color=color, statistics=show_statistics))
    if output_file is not None:
        try:
            output_file.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{output_file}: cannot write ({exc.strerror or exc})") from None
    elif text:
        stream.write(text)
        stream.flush()
    if show_statistics and fmt not in ("text",):
        for code, name, n in statistics(report):
            sys.stderr.write(f"{n:>6}  {code}  {name}\n")
    return report


def _config_start(paths: Sequence[str]) -> Path | None:
    for raw in paths:
        if raw == "-":
            continue
        p = Path(raw)
        if p.is_dir():
            return p
        if p.parent.is_dir():
            return p.parent
    return None


# The input parsers accept up to 1024 levels of nesting; the stdlib encoder recurses a few
# frames per level, so it gets this much stack while it writes a value read from the input.
_DUMP_RECURSION_LIMIT = 10_000


def dumps_json(value: object, **options: object) -> str:
    """``json.dumps(value, **options)`` for any value the input parsers accepted.

    The parsers accept JSON nested up to 1024 levels deep, which is deeper than the stdlib
    encoder can go under the default recursion limit: the limit is raised while it runs.
    """
    limit = sys.getrecursionlimit()
    if limit < _DUMP_RECURSION_LIMIT:
        sys.setrecursionlimit(_DUMP_RECURSION_LIMIT)
    try:
        return json.dumps(value, **options)  # type: ignore[arg-type]
    finally:
        sys.setrecursionlimit(limit)


def exit_status(diagnostics: Iterable[Diagnostic], *, exit_zero: bool = False, error_on_warning: bool = False) -> int:
    """0 when nothing fails, 1 when an error (or, if asked, a warning) was reported."""
    if exit_zero:
        return 0
    failing = {Severity.ERROR, Severity.WARNING} if error_on_warning else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in diagnostics) else 0
