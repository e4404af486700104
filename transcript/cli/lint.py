"""``transcript lint``: check prompts, request bodies, batches and streams."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from transcript.cli.app import app
from transcript.cli.common import OptionError
from transcript.cli.fixing import fix_file
from transcript.cli.groups import with_groups
from transcript.cli.options import ChunkSizeOpt, DaskOpt, JobsOpt, RecordPointerOpt, TargetOpt, check_jobs, check_pointer, workers
from transcript.cli.report import REPORT, Reporter, ReportOptions, config_resolver
from transcript.cli.settings import show_settings
from transcript.core.files import unified_diff
from transcript.core.sources import STDIN_NAME
from transcript.lint import KINDS
from transcript.lint.driver import lint_paths
from transcript.lint.kinds import KIND_RUNNERS
from transcript.scale import lint_paths_jobs
from transcript.scale.jobs import BATCH, CHUNK_BYTES

__all__ = ["kinds", "lint"]


def _check_kind(value: str | None) -> str | None:
    if value is not None and value not in KINDS:
        raise typer.BadParameter(f"unknown kind {value!r} (choose from {', '.join(sorted(KINDS))})")
    return value


@app.command()
@with_groups
def lint(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files or directories to check (default: .); - reads standard input.", show_default=False),
    ] = None,
    *,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", callback=_check_kind, help="Read every input as this kind (see 'transcript kinds')."),
    ] = None,
    target: TargetOpt = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat every repairable problem as an error.")] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(help="Gitignore-style patterns to skip, replacing the configured and default ones (comma separated, repeatable)."),
    ] = None,
    extend_exclude: Annotated[
        list[str] | None,
        typer.Option(help="Patterns to skip besides the configured and default ones."),
    ] = None,
    force_exclude: Annotated[
        bool | None,
        typer.Option("--force-exclude/--no-force-exclude", show_default=False, help="Apply the excludes to files named on the command line too (as pre-commit passes them)."),
    ] = None,
    respect_gitignore: Annotated[
        bool | None,
        typer.Option("--respect-gitignore/--no-respect-gitignore", show_default=False, help="Skip what git ignores (.gitignore, .git/info/exclude, the global excludes; default: on)."),
    ] = None,
    only_recognised: Annotated[
        bool,
        typer.Option("--only-recognised", help="Pass over a named file that is not recognisably one of the kinds, as a directory walk does (the pre-commit hooks pass it)."),
    ] = False,
    stdin_filename: Annotated[
        str | None,
        typer.Option(help="The name of the file read from standard input: its configuration, kind and the name reported."),
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply the safe fixes in place (standard input: the fixed text on standard output).")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="With --fix or --diff, apply the unsafe fixes too (they change what is sent).")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Show the fixes as a unified diff instead of writing them; exit 1 if there are any.")] = False,
    show_files: Annotated[bool, typer.Option("--show-files", help="List the files that would be linted, and stop.")] = False,
    show_settings_for: Annotated[
        Path | None,
        typer.Option("--show-settings", metavar="FILE", help="Print the settings FILE would be linted with, and stop."),
    ] = None,
    beta: Annotated[
        list[str] | None,
        typer.Option("--beta", help="An anthropic-beta name the requests are sent with (repeatable; adds to the betas config key)."),
    ] = None,
    record_pointer: RecordPointerOpt = None,
    batch_requests: Annotated[
        Path | None,
        typer.Option(
            "--batch-requests",
            metavar="FILE",
            exists=True,
            dir_okay=False,
            help="The request file of the batch whose results are linted: results are joined to it by custom_id.",
        ),
    ] = None,
    jobs: JobsOpt = None,
    chunk_size: ChunkSizeOpt = CHUNK_BYTES,
    dask: DaskOpt = None,
    report: Annotated[ReportOptions, REPORT],
) -> None:
    """Check files the way the API server would judge them.

    Kinds are told apart by extension and content: legacy prompts (.txt), Messages
    request and response bodies (.json), JSONL batches (.jsonl), event streams (.sse,
    HAR captures).  Directories are walked recursively, skipping what git ignores and
    the excludes (virtual environments, node_modules, build output... by default); a
    file found there is linted only when it is recognisably one of these kinds.  Each
    file uses the nearest transcript.toml or pyproject.toml above it.

    \b
    Examples:
      transcript lint samples/
      transcript lint request.json --target bedrock --format github
      transcript lint long.json --beta context-1m-2025-08-07
      cat prompt.txt | transcript lint - --kind prompt
      git diff --name-only | xargs transcript lint --force-exclude
      transcript lint . --show-files
      transcript lint requests/ --fix
      transcript lint requests/ --format sarif --output-file transcript.sarif
      transcript lint logs.jsonl --jobs 2
      transcript lint logs/ --dask tcp://scheduler:8786
      transcript lint results.jsonl --batch-requests requests.jsonl
      transcript lint proxy-log.jsonl --record-pointer /request/body
    """
    paths = paths or ["."]
    if paths.count("-") > 1:
        raise OptionError("- (standard input) can be given only once")
    if stdin_filename is not None and "-" not in paths:
        raise OptionError("--stdin-filename names standard input: give - among the paths")
    resolver = config_resolver(
        report,
        target=target,
        exclude=exclude,
        extend_exclude=extend_exclude,
        force_exclude=force_exclude,
        respect_gitignore=respect_gitignore,
        betas=beta,
        settings={
            **({"record_pointer": check_pointer(record_pointer)} if record_pointer is not None else {}),
            **({"batch_requests": str(batch_requests)} if batch_requests is not None else {}),
        },
    )
    if show_settings_for is not None:
        typer.echo(show_settings(show_settings_for, resolver.for_path(show_settings_for), kind=kind), nl=False)
        raise typer.Exit(0)
    if fix and diff:
        raise OptionError("--fix and --diff: choose one (--diff writes nothing)")
    if dask is not None and (fix or diff or show_files):
        raise OptionError("--dask lints only: --fix, --diff and --show-files run here")
    check_jobs(jobs, chunk_size)
    stdin_name = stdin_filename or STDIN_NAME
    reporter = Reporter(report, paths, command="lint", target=target, stream=sys.stderr if fix and "-" in paths else None)
    fixed_count = changed = 0
    with contextlib.ExitStack() as stack:
        if fix or diff or show_files:  # these need each file's bytes, or no lint at all: one process
            results = lint_paths(
                paths, resolver=resolver, kind=kind, strict=strict, stdin_filename=stdin_filename, only_recognised=only_recognised
            )
        else:
            on = stack.enter_context(workers(jobs, dask))
            results = lint_paths_jobs(
                paths, jobs=on.jobs, resolver=resolver, kind=kind, strict=strict, stdin_filename=stdin_filename,
                only_recognised=only_recognised, chunk_bytes=chunk_size, pool=on.pool, batch=on.batch or BATCH,
            )
        for result in results:
            if result.skipped:
                continue
            if show_files:
                typer.echo(result.name)
                continue
            diagnostics = result.diagnostics
            if fix or diff:
                is_stdin = "-" in paths and result.name == stdin_name
                fixed = fix_file(result, kind=kind, strict=strict, unsafe=unsafe_fixes, write=fix, stdin=is_stdin)
                if fixed is not None and fixed.changed:
                    changed += 1
                    fixed_count += len(fixed.fixed)
                    diagnostics = list(fixed.remaining) if fix else diagnostics
                    if diff and result.source is not None:
                        sys.stdout.write(unified_diff(result.name, result.source.data.decode("utf-8", "surrogateescape"), fixed.text))
            reporter.add(result.name, diagnostics, config=result.config)
    if show_files:
        raise typer.Exit(0)
    if diff:
        sys.stderr.write(f"{fixed_count} fixable finding(s) in {changed} file(s)\n")
        raise typer.Exit(1 if changed and not report.exit_zero else 0)
    status = reporter.emit()
    if fix:
        sys.stderr.write(f"Fixed {fixed_count} finding(s) in {changed} file(s).\n")
    raise typer.Exit(status)


@app.command()
def kinds(
    fmt: Annotated[str, typer.Option("--format", "-f", "--output-format", help="text or json.")] = "text",
) -> None:
    """List the kinds of input that lint reads, with their file extensions.

    \b
    Examples:
      transcript kinds
      transcript kinds --format json
    """
    if fmt not in ("text", "json"):
        raise typer.BadParameter(f"unknown format {fmt!r} (choose from text, json)", param_hint="--format")
    listed = sorted(KINDS.values(), key=lambda k: k.name)
    if fmt == "json":
        rows = [{"name": k.name, "extensions": list(k.extensions), "summary": k.summary, "runners": list(KIND_RUNNERS[k.name])} for k in listed]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for k in listed:
        ext = " ".join(k.extensions) or "-"
        typer.echo(f"{k.name:<20} {ext:<28} {k.summary}")
