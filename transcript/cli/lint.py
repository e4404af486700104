"""``transcript lint``: check prompts, request bodies, batches and streams."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from transcript.cli import app
from transcript.cli.common import (
    ConfigOpt,
    ErrorOnWarningOpt,
    ExitZeroOpt,
    ExtendSelectOpt,
    FormatOpt,
    IgnoreOpt,
    OutputFileOpt,
    SelectOpt,
    StatisticsOpt,
    TargetOpt,
    emit_report,
    exit_status,
    resolve_config,
)
from transcript.core.diagnostics import Diagnostic


def _check_kind(value: Optional[str]) -> Optional[str]:  # noqa: UP007
    from transcript.lint import KINDS
    from transcript.lint.families import load_all

    load_all()
    if value is not None and value not in KINDS:
        raise typer.BadParameter(f"unknown kind {value!r} (choose from {', '.join(sorted(KINDS))})")
    return value


@app.command()
def lint(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to check; - reads standard input.")],
    kind: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--kind", "-k", callback=_check_kind, help="Read every input as this kind (see 'transcript kinds')."),
    ] = None,
    target: TargetOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat every repairable problem as an error.")] = False,
    fmt: FormatOpt = "text",
    output_file: OutputFileOpt = None,
    show_statistics: StatisticsOpt = False,
    config_path: ConfigOpt = None,
    select: SelectOpt = None,
    extend_select: ExtendSelectOpt = None,
    ignore: IgnoreOpt = None,
    exit_zero: ExitZeroOpt = False,
    error_on_warning: ErrorOnWarningOpt = False,
) -> int:
    """Check files the way the API server would judge them.

    Kinds are told apart by extension and content: legacy prompts (.txt), Messages
    request and response bodies (.json), JSONL batches (.jsonl), event streams (.sse,
    HAR captures).  Directories are walked recursively.

    \b
    Examples:
      transcript lint samples/
      transcript lint request.json --target bedrock --format github
      cat prompt.txt | transcript lint - --kind prompt
      transcript lint requests/ --format sarif --output-file transcript.sarif
    """
    from transcript.core.sources import read_source
    from transcript.lint import LintOptions, iter_files, lint_source

    config = resolve_config(
        config_path, select=select, extend_select=extend_select, ignore=ignore, target=target, paths=paths
    )
    options = LintOptions(target=config.target, strict=strict)
    files: list[str] = []
    found: list[Diagnostic] = []
    for path in iter_files(paths, config):
        source = read_source(path)
        files.append(source.name)
        _, diagnostics = lint_source(source, kind=kind, options=options, config=config)
        found.extend(diagnostics)
    emit_report(
        found, files=files, fmt=fmt, output_file=output_file, show_statistics=show_statistics, command="lint"
    )
    raise typer.Exit(exit_status(found, exit_zero=exit_zero, error_on_warning=error_on_warning))


@app.command()
def kinds() -> None:
    """List the kinds of input that lint reads, with their file extensions.

    \b
    Example:
      transcript kinds
    """
    from transcript.lint import KINDS
    from transcript.lint.families import load_all

    load_all()
    for k in sorted(KINDS.values(), key=lambda k: k.name):
        ext = " ".join(k.extensions) or "-"
        typer.echo(f"{k.name:<20} {ext:<28} {k.summary}")
