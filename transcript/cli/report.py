"""The report every command ends with: its options, its configuration and the one pipeline.

- :class:`ReportOptions`: ``--format``, ``--output-file``, ``--statistics``, ``--config``,
  ``--select``, ``--extend-select``, ``--ignore``, ``--exit-zero``, ``--error-on-warning``;
  each field carries its flag, and :data:`REPORT` is the option group made from them.
- :func:`resolve_config`: the configuration, found the same way for every command.
- :class:`Reporter`: diagnostics in, per input file; then one report out, rendered
  through :mod:`transcript.formats` to the stream or ``--output-file``, and the exit
  status.

A command uses them like this::

    @app.command()
    @with_groups
    def check(file: FileArg, *, report: Annotated[ReportOptions, REPORT]) -> None:
        reporter = Reporter(report, [file], command="check", stream=sys.stderr)
        reporter.add(name, diagnostics)
        raise typer.Exit(reporter.emit())
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

import typer
from attrs import field, frozen

from transcript.cli.common import use_color
from transcript.cli.groups import Group, flag, group_from_attrs
from transcript.core.diagnostics import Diagnostic, Severity
from transcript.core.files import write_whole
from transcript.formats import FORMATS, FormatOptions, Report, render, statistics
from transcript.formats.frames import source_lines
from transcript.lint.config import Config, ConfigError, ConfigResolver, load_config

__all__ = ["REPORT", "ReportOptions", "Reporter", "check_format", "config_resolver", "exit_status", "resolve_config"]


def check_format(value: str | None) -> str | None:
    """``--format``'s check: a name from the registry of output formats."""
    if value is not None and value not in FORMATS:
        raise typer.BadParameter(f"unknown format {value!r} (choose from {', '.join(FORMATS)})")
    return value


COLOR_CHOICES = ("auto", "always", "never")


def check_choice(value: str, flag: str, choices: Sequence[str]) -> str:
    """An enumerated option's check: one of ``choices``."""
    if value not in choices:
        raise typer.BadParameter(f"unknown value {value!r} for {flag} (choose from {', '.join(choices)})")
    return value


def _flag(*decls: str, **keywords: object) -> dict[str, object]:
    return {"flag": flag(*decls, **keywords)}


@frozen
class ReportOptions:
    """How a command reports its diagnostics, and when it fails (the options every command takes)."""

    fmt: str | None = field(
        default="text",
        metadata=_flag(
            "--format",
            "-f",
            "--output-format",
            callback=check_format,
            envvar="TRANSCRIPT_FORMAT",
            help="Diagnostics format: text, json, github, sarif or junit.",
        ),
    )
    output_file: Path | None = field(
        default=None, metadata=_flag(help="Write the diagnostics report to this file instead of the terminal.")
    )
    statistics: bool = field(default=False, metadata=_flag(help="Also print how many times each code was reported."))
    config: Path | None = field(
        default=None,
        metadata=_flag(
            help="Read settings from this TOML file (default: the nearest transcript.toml or pyproject.toml)."
        ),
    )
    select: list[str] | None = field(
        default=None,
        metadata=_flag(help="Report only these codes or prefixes (comma separated, repeatable; e.g. P,M001)."),
    )
    extend_select: list[str] | None = field(
        default=None, metadata=_flag(help="Add codes or prefixes to the selection.")
    )
    ignore: list[str] | None = field(
        default=None, metadata=_flag(help="Never report these codes or prefixes (comma separated, repeatable).")
    )
    exit_zero: bool = field(default=False, metadata=_flag(help="Exit 0 even when errors are found."))
    error_on_warning: bool = field(default=False, metadata=_flag(help="Exit 1 on warnings too."))
    show_source: bool = field(
        default=False,
        metadata=_flag(help="Text format: show each finding's source line with a caret under it, and its documentation."),
    )
    quiet: bool = field(default=False, metadata=_flag("--quiet", "-q", help="Text format: no summary line, only the findings."))
    color: str = field(
        default="auto",
        metadata=_flag(callback=lambda v: check_choice(v, "--color", COLOR_CHOICES), help="Colour the text format: auto (on a terminal), always or never."),
    )


REPORT: Group[ReportOptions] = group_from_attrs(ReportOptions)
"""The report options, as a group for :func:`~transcript.cli.groups.with_groups`."""


def resolve_config(options: ReportOptions, paths: Sequence[str] = (), *, target: str | None = None) -> Config:
    """The configuration file's settings with the command-line flags applied on top (flags win).

    ``--config`` names the file; without it the nearest configuration file is looked for
    from the first input path (so ``transcript lint project/`` uses
    ``project/pyproject.toml``) and upwards, else, when no input is a path (standard
    input), from the working directory.  ``target`` is ``--target`` (lint's, for now).
    """
    config = load_config(options.config, start=_config_start(paths))
    try:
        return config.with_cli(
            select=options.select, extend_select=options.extend_select, ignore=options.ignore, target=target
        )
    except ConfigError:
        raise
    except ValueError as exc:  # pragma: no cover - defensive
        raise ConfigError(str(exc)) from None


def config_resolver(options: ReportOptions, *, target: str | None = None, **discovery: object) -> ConfigResolver:
    """Each input's configuration (the nearest file above it, or ``--config`` for all), with
    the command-line flags on top; ``discovery`` are lint's ``--exclude`` and friends
    (:meth:`~transcript.lint.config.Config.with_cli`'s keywords)."""
    overrides: dict[str, object] = {
        "select": options.select,
        "extend_select": options.extend_select,
        "ignore": options.ignore,
        "target": target,
        **discovery,
    }
    resolver = ConfigResolver(options.config, overrides)
    if options.config is not None:
        resolver.for_directory(Path.cwd())  # a broken --config file stops the run before any input is read
    return resolver


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


def exit_status(diagnostics: Iterable[Diagnostic], *, exit_zero: bool = False, error_on_warning: bool = False) -> int:
    """0 when nothing fails, 1 when an error (or, if asked, a warning) was reported."""
    if exit_zero:
        return 0
    failing = {Severity.ERROR, Severity.WARNING} if error_on_warning else {Severity.ERROR}
    return 1 if any(d.severity in failing for d in diagnostics) else 0


class Reporter:
    """One run's report: collects each input's diagnostics, then writes them once.

    The configuration is resolved when the reporter is made (before any input is read,
    so a broken one stops the run early); :attr:`config` is there for the command too
    (``exclude`` globs, ``target``).  ``stream`` is where the report goes without
    ``--output-file``: standard output for lint, standard error for the commands whose
    standard output is their result.
    """

    def __init__(
        self,
        options: ReportOptions,
        paths: Sequence[str] = (),
        *,
        command: str,
        stream: TextIO | None = None,
        target: str | None = None,
    ) -> None:
        self.options = options
        self.command = command
        self.stream = stream
        self.config = resolve_config(options, paths, target=target)
        self.files: list[str] = []
        self.diagnostics: list[Diagnostic] = []
        self.hidden_errors: list[Diagnostic] = []

    def add(self, name: str, diagnostics: Iterable[Diagnostic], *, config: Config | None = None) -> None:
        """Take one input's diagnostics: stamped with its name (where they have none), then
        chosen and re-graded by the configuration (selection, per-file ignores, severity
        overrides): the input's own ``config`` when given, else the run's."""
        self.files.append(name)
        chosen = config if config is not None else self.config
        stamped = [d if d.location.file else d.in_file(name) for d in diagnostics]
        kept = chosen.apply(stamped)
        self.diagnostics.extend(kept)
        if len(kept) != len(stamped):
            shown = {id(d) for d in kept}
            self.hidden_errors.extend(d for d in stamped if d.severity is Severity.ERROR and id(d) not in shown)

    def finish(self, *, failed: bool = False, partial: bool = False) -> int:
        """:meth:`emit`, for a command that may have produced nothing (``failed``: convert or
        migrate could not convert; ``partial``: some JSONL records were).  A failure is never silent: when the configuration hid
        every error that stopped it, one line on standard error says so.  ``--exit-zero``
        makes the status 0 whatever happened."""
        status = self.emit()
        if failed and not any(d.severity is Severity.ERROR for d in self.diagnostics):
            codes = sorted({d.code for d in self.hidden_errors})
            why = (
                f"stopped on {len(self.hidden_errors)} error(s) that the configuration does not report "
                f"({', '.join(codes)}; {self.config.source or 'the command line'})"
                if codes
                else "could not produce a result"
            )
            written = "the records that failed were left out" if partial else "nothing was written"
            sys.stderr.write(f"transcript: {self.command}: {why}; {written}\n")
        if self.options.exit_zero:
            return 0
        return 1 if failed else status

    def emit(self) -> int:
        """Write the report in the chosen format; return the exit status its diagnostics call for.

        With no diagnostics and the text format nothing is written for the commands whose
        standard output is their result (the format knows which); lint always prints its
        summary line.
        """
        options = self.options
        fmt = options.fmt or "text"
        stream = self.stream or sys.stdout
        report = Report(tuple(self.diagnostics), self.files, self.command)
        color = fmt == "text" and (
            options.color == "always" or (options.color == "auto" and options.output_file is None and use_color(stream))
        )
        text = render(
            report,
            fmt,
            FormatOptions(
                color=color,
                statistics=options.statistics,
                error_on_warning=options.error_on_warning,
                show_source=options.show_source,
                quiet=options.quiet,
                source_lines=source_lines(self.diagnostics) if options.show_source and fmt == "text" else {},
            ),
        )
        # A file name that is not UTF-8 reaches here as lone surrogates: written as \\udcXX
        # escapes (valid in JSON and SARIF strings), never as bytes that are not UTF-8.
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
        if options.output_file is not None:
            _write_whole(options.output_file, text)
        elif text:
            stream.write(text)
            stream.flush()
        if options.statistics and fmt != "text":
            for code, name, n in statistics(report):
                sys.stderr.write(f"{n:>6}  {code}  {name}\n")
        return exit_status(self.diagnostics, exit_zero=options.exit_zero, error_on_warning=options.error_on_warning)


def _write_whole(path: Path, text: str) -> None:
    """The report put in place whole (:func:`~transcript.core.files.write_whole`): the file is
    never left cut short, and an old report stays until the new one is complete."""
    try:
        write_whole(path, text)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write ({exc.strerror or exc})") from None
