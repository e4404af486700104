"""``transcript migrate``: Text Completions request and response bodies to Messages, or back."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import attrs
import typer

from transcript.cli.app import app
from transcript.cli.common import OptionError, write_output
from transcript.cli.groups import with_groups
from transcript.cli.migrate_code import CodeRun, is_python_path, migrate_code
from transcript.cli.options import PARSE, RENDER, OutputOpt, Policies, StrictOpt
from transcript.cli.report import REPORT, Reporter, ReportOptions
from transcript.codemod.migrate import CodeOptions
from transcript.core.jsontext import json_bytes, load_json
from transcript.core.sources import decode_source, read_source
from transcript.legacy.migrate import migrate_text, parse_model_map
from transcript.prompt.convert import prompt_given_as_json
from transcript.prompt.parse import ParseOptions
from transcript.prompt.render import RenderOptions

__all__ = ["migrate"]

_JSONL_SUFFIXES = (".jsonl", ".ndjson")


@app.command()
@with_groups
def migrate(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="A JSON body or JSONL (one body per line; - reads standard input), or Python files and directories to migrate.",
            show_default=False,
        ),
    ],
    *,
    to: Annotated[
        str | None,
        typer.Option("--to", help="messages or completion. Default: from the body's shape (TC -> Messages, Messages -> TC)."),
    ] = None,
    model_map: Annotated[
        list[str] | None,
        typer.Option("--model-map", help="Replace a model: OLD=NEW (repeatable); needed for claude-2, claude-instant-1..."),
    ] = None,
    request: Annotated[
        Path | None,
        typer.Option("--request", help="The Text Completions request a response answered (tells its custom stop sequences)."),
    ] = None,
    jsonl: Annotated[
        bool | None,
        typer.Option("--jsonl/--no-jsonl", help="Read JSONL (default: by extension, then by content)."),
    ] = None,
    output: OutputOpt = None,
    diff: Annotated[
        bool, typer.Option("--diff", help="Python: print a unified diff of the migration instead of the source.")
    ] = False,
    write: Annotated[bool, typer.Option("--write", help="Python: rewrite the files in place.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Python: exit 1 when a file would change (for CI and pre-commit); write nothing.")
    ] = False,
    strict: StrictOpt = False,
    strip_leading_space: Annotated[
        bool, typer.Option("--strip-leading-space", help="Remove the one leading space of a completion's text.")
    ] = False,
    unmappable_stop: Annotated[
        str, typer.Option("--unmappable-stop", help="Message stop reasons without a TC equivalent: error or stop_sequence.")
    ] = "error",
    parse: Annotated[Policies[ParseOptions], PARSE.without("join_separator")],
    render: Annotated[Policies[RenderOptions], RENDER.without("restore_prefill_whitespace", "block_join")],
    report: Annotated[ReportOptions, REPORT],
) -> None:
    """Migrate Text Completions bodies to Messages (or back), or Python code that calls the legacy API.

    A request body ({"prompt", "max_tokens_to_sample", ...}) becomes a Messages request
    body; a completion ({"completion", "stop_reason", ...}) becomes a Message.  A
    Messages request or a Message goes the other way.  JSONL in, JSONL out: each line
    is migrated on its own, a bad line is reported with its line number and left out,
    and the others still convert (exit status 1 if any line failed).

    Python source (a .py file, or a directory: every .py file in it) is migrated by a
    codemod: client.completions.create(...) and the 0.2-era client.completion(...)
    become client.messages.create(...) or client.messages.stream(...), the prompt
    becomes system= and messages=, and the code reading the response is rewritten.  A
    call site it cannot prove safe is left unchanged and reported at its line.

    \b
    Examples:
      transcript migrate app.py --diff --model-map claude-2.1=claude-sonnet-4-5
      transcript migrate src/ --write --model-map claude-2.1=claude-sonnet-4-5
      transcript migrate . --check
      transcript migrate samples/migrate/sdk_legacy_hello.request.json --model-map claude-1=claude-sonnet-4-5
      transcript migrate requests.jsonl --model-map claude-2=claude-sonnet-4-5 -o messages.jsonl
      transcript migrate completion.json --request request.json
      transcript migrate message.json --to completion --unmappable-stop stop_sequence
    """
    if to not in (None, "messages", "completion"):
        raise OptionError(f"--to must be 'messages' or 'completion', not {to!r}")
    if unmappable_stop not in ("error", "stop_sequence"):
        raise OptionError(f"--unmappable-stop must be 'error' or 'stop_sequence', not {unmappable_stop!r}")
    try:
        mapping = parse_model_map(model_map)
    except ValueError as exc:
        raise OptionError(str(exc)) from None
    parse.build()  # checks the values; migrate takes them as keywords, with its own --strict
    render.build()
    if any(is_python_path(p) for p in paths) and paths != ["-"]:
        body_only = {
            "--to": to is not None,
            "--request": request is not None,
            "--jsonl": jsonl is not None,
            "--strip-leading-space": strip_leading_space,
            "--unmappable-stop": unmappable_stop != "error",
        }
        given = [flag for flag, used in body_only.items() if used]
        if given:
            raise OptionError(f"{', '.join(given)}: for JSON bodies, not Python source")
        options = CodeOptions(model_map=mapping, prompt_options={**parse.values, "strict": strict})
        run = CodeRun(diff=diff, write=write, check=check, output=output)
        raise typer.Exit(migrate_code(paths, run, options, report))
    if diff or write or check:
        raise OptionError("--diff, --write and --check are for Python source (.py files and directories)")
    if len(paths) != 1:
        raise OptionError("migrate takes one JSON body or JSONL file (or Python files and directories)")
    file = paths[0]
    reporter = Reporter(report, [file], command="migrate", stream=sys.stderr)

    request_value = _read_request(request, reporter) if request is not None else None

    source = read_source(file)
    text, diagnostics = decode_source(source)
    if text is None:
        reporter.add(source.name, diagnostics)
        raise typer.Exit(reporter.finish(failed=True))
    if jsonl is None and os.path.splitext(source.name.lower())[1] in _JSONL_SUFFIXES:
        jsonl = True
    if text.lstrip(" \t\r\n\ufeff")[:1] not in ("{", "["):
        as_prompt = prompt_given_as_json(text)
        if as_prompt is not None:
            reporter.add(source.name, [attrs.evolve(as_prompt, hint="this is a legacy prompt: use 'transcript convert'")])
            raise typer.Exit(reporter.finish(failed=True))
    migration = migrate_text(
        text,
        jsonl=jsonl,
        to=to,
        model_map=mapping,
        strict=strict,
        strip_leading_space=strip_leading_space,
        unmappable_stop=unmappable_stop,
        request=request_value,
        prompt_options=parse.values,
        render_options=render.values,
    )
    reporter.add(source.name, migration.diagnostics)
    if migration.jsonl:
        failed = not migration.ok
        data = b"".join(json_bytes(r, pretty=False) for r in migration.records if r is not None)
    else:
        record = migration.records[0]
        failed = record is None
        data = json_bytes(record) if record is not None else b""
    status = reporter.finish(failed=failed, partial=bool(data))
    if data:
        write_output(data, output)
    raise typer.Exit(status)


def _read_request(path: Path, reporter: Reporter) -> dict[str, Any]:
    """``--request``: the JSON object it names (a report and exit status 1 if it is not JSON)."""
    source = read_source(str(path))
    text, problems = decode_source(source)
    value = None
    if text is not None:
        value, problems = load_json(text, name=source.name)
    if problems:
        reporter.add(source.name, problems)
        raise typer.Exit(reporter.finish(failed=True))
    if not isinstance(value, dict):
        raise OptionError(f"{path}: the request must be a JSON object")
    return value
