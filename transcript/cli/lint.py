"""``transcript lint``: check prompts, request bodies, batches and streams."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from transcript.cli.app import app
from transcript.cli.groups import with_groups
from transcript.cli.options import TargetOpt
from transcript.cli.report import REPORT, Reporter, ReportOptions
from transcript.core.sources import read_source
from transcript.lint import KINDS, LintOptions, iter_files, lint_source

__all__ = ["kinds", "lint"]


def _check_kind(value: Optional[str]) -> Optional[str]:  # noqa: UP007
    if value is not None and value not in KINDS:
        raise typer.BadParameter(f"unknown kind {value!r} (choose from {', '.join(sorted(KINDS))})")
    return value


@app.command()
@with_groups
def lint(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to check; - reads standard input.")],
    *,
    kind: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--kind", "-k", callback=_check_kind, help="Read every input as this kind (see 'transcript kinds')."),
    ] = None,
    target: TargetOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat every repairable problem as an error.")] = False,
    beta: Annotated[
        Optional[list[str]],  # noqa: UP007
        typer.Option("--beta", help="An anthropic-beta name the requests are sent with (repeatable; adds to the betas config key)."),
    ] = None,
    report: Annotated[ReportOptions, REPORT],
) -> None:
    """Check files the way the API server would judge them.

    Kinds are told apart by extension and content: legacy prompts (.txt), Messages
    request and response bodies (.json), JSONL batches (.jsonl), event streams (.sse,
    HAR captures).  Directories are walked recursively.

    \b
    Examples:
      transcript lint samples/
      transcript lint request.json --target bedrock --format github
      transcript lint long.json --beta context-1m-2025-08-07
      cat prompt.txt | transcript lint - --kind prompt
      transcript lint requests/ --format sarif --output-file transcript.sarif
    """
    reporter = Reporter(report, paths, command="lint", target=target)
    config = reporter.config
    options = LintOptions(target=config.target, strict=strict, betas=(*config.betas, *(beta or ())), models=config.models)
    for path in iter_files(paths, reporter.config):
        source = read_source(path)
        _, diagnostics = lint_source(source, kind=kind, options=options)
        reporter.add(source.name, diagnostics)
    raise typer.Exit(reporter.emit())


@app.command()
def kinds() -> None:
    """List the kinds of input that lint reads, with their file extensions.

    \b
    Example:
      transcript kinds
    """
    for k in sorted(KINDS.values(), key=lambda k: k.name):
        ext = " ".join(k.extensions) or "-"
        typer.echo(f"{k.name:<20} {ext:<28} {k.summary}")
