"""``transcript serve``: a local Messages API that lints every request as the server does."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from transcript.cli.app import app
from transcript.cli.common import OptionError
from transcript.cli.options import TargetOpt
from transcript.cli.report import ReportOptions, resolve_config
from transcript.serve.faults import FaultError, parse_faults

__all__ = ["serve", "missing_extra"]

#: What the serve extra installs, by import name.
SERVE_MODULES = ("uvicorn", "starlette", "httpx")


def missing_extra() -> str | None:
    """The first module of the ``serve`` extra that is not installed, if any."""
    return next((m for m in SERVE_MODULES if importlib.util.find_spec(m) is None), None)


def _check_speed(value: Optional[float]) -> Optional[float]:  # noqa: UP007
    if value is not None and not value > 0:
        raise typer.BadParameter("must be greater than 0")
    return value


@app.command()
def serve(
    *,
    host: Annotated[str, typer.Option("--host", help="Address to bind (default 127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on; 0 picks a free one.")] = 8080,
    from_: Annotated[
        Optional[list[Path]],  # noqa: UP007
        typer.Option("--from", help="Recorded exchanges to answer with: directories, HAR or JSONL files (repeatable)."),
    ] = None,
    script: Annotated[
        Optional[Path],  # noqa: UP007
        typer.Option("--script", help="A script of answers (JSON or JSONL; see README) given in order or by match."),
    ] = None,
    record: Annotated[
        Optional[Path],  # noqa: UP007
        typer.Option("--record", help="Proxy to --upstream and write every exchange to this directory."),
    ] = None,
    upstream: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--upstream", help="The API to proxy to in record mode (e.g. https://api.anthropic.com)."),
    ] = None,
    fault: Annotated[
        Optional[list[str]],  # noqa: UP007
        typer.Option("--fault", help="A fault for every request: KIND[;times=N][;retry-after=S][;delay=MS] (repeatable)."),
    ] = None,
    speed: Annotated[
        Optional[float],  # noqa: UP007
        typer.Option("--speed", callback=_check_speed, help="Replay recorded streams with their timing, this many times faster."),
    ] = None,
    lint: Annotated[
        bool, typer.Option("--lint/--no-lint", help="Lint every request (--no-lint: answer anything well-formed).")
    ] = True,
    strict: Annotated[bool, typer.Option("--strict", help="Refuse requests with warnings too.")] = False,
    refuse_unknown_models: Annotated[
        bool, typer.Option("--refuse-unknown-models", help="Answer a model the model table does not know with the API's 404.")
    ] = False,
    target: TargetOpt = None,
    config: Annotated[
        Optional[Path],  # noqa: UP007
        typer.Option(
            "--config", help="Read lint settings from this TOML file (default: the nearest transcript.toml or pyproject.toml)."
        ),
    ] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Judge only these codes or prefixes.")] = None,  # noqa: UP007
    extend_select: Annotated[Optional[list[str]], typer.Option("--extend-select", help="Add codes or prefixes.")] = None,  # noqa: UP007
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Never judge by these codes or prefixes.")] = None,  # noqa: UP007
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not log refused requests and warnings to stderr.")] = False,
) -> None:
    """Serve the Messages API locally: every request linted, answers recorded, scripted or synthetic.

    Once it accepts connections it prints one line to stderr, 'transcript serve: listening
    on http://HOST:PORT'; then one line per request that was refused or had warnings.
    SIGINT or SIGTERM stops it.  Needs the serve extra: pip install 'transcript\\[serve]'.

    \b
    Examples:
      transcript serve --port 0
      transcript serve --from captures/ --from session.har --speed 4
      transcript serve --script answers.jsonl --fault 'rate-limit;times=1'
      transcript serve --record captures/ --upstream https://api.anthropic.com
      ANTHROPIC_BASE_URL=http://127.0.0.1:8080 python app.py
    """
    if (record is None) != (upstream is None):
        raise OptionError("--record and --upstream go together")
    missing = missing_extra()
    if missing is not None:
        raise OptionError(f"transcript serve needs the serve extra ({missing} is not installed): pip install 'transcript[serve]'")
    # The serve extra is optional: its modules are imported only once it is known to be there.
    from transcript.serve.server import ServeError, ServeOptions, build_service, read_sources, recorder_for, run

    paths = [str(p) for p in from_ or []]
    settings = resolve_config(
        ReportOptions(config=config, select=select, extend_select=extend_select, ignore=ignore), paths, target=target
    )
    try:
        faults = tuple(f for spec in fault or [] for f in parse_faults(spec))
    except FaultError as exc:
        raise OptionError(f"--fault: {exc}") from None
    try:
        sources = read_sources(paths, script)
    except ServeError as exc:
        raise OptionError(str(exc)) from None
    options = ServeOptions(
        host=host,
        port=port,
        sources=tuple(sources),
        faults=faults,
        refuse_unknown_models=refuse_unknown_models,
        speed=speed,
        lint=lint,
        strict=strict,
        record=str(record) if record is not None else None,
        upstream=upstream,
    )
    service = build_service(options, settings, log=None if quiet else _log)
    try:
        run(service, host, port, recorder=recorder_for(options))
    except ServeError as exc:
        raise OptionError(str(exc)) from None
    raise typer.Exit(0)


def _log(line: str) -> None:
    sys.stderr.write(f"transcript serve: {line}\n")
    sys.stderr.flush()
