"""``transcript convert``: a legacy prompt to Messages input, or back."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated, Optional

import typer

from transcript.cli.app import app
from transcript.cli.common import OptionError, write_output
from transcript.cli.groups import with_groups
from transcript.cli.options import PARSE, RENDER, OutputOpt, Policies, StrictOpt
from transcript.cli.report import REPORT, Reporter, ReportOptions
from transcript.core.jsontext import json_chunks, load_json
from transcript.core.sources import decode_source, read_source
from transcript.prompt.convert import (
    convert_direction,
    messages_to_prompt,
    prompt_given_as_json,
    prompt_to_messages,
    strip_bom,
)
from transcript.prompt.parse import ParseOptions
from transcript.prompt.render import RenderOptions

__all__ = ["convert"]


@app.command()
@with_groups
def convert(
    file: Annotated[str, typer.Argument(help="A legacy prompt or a JSON conversation; - reads standard input.")],
    *,
    to: Annotated[
        Optional[str],  # noqa: UP007 - typer needs Optional on Python 3.10
        typer.Option(
            "--to", help="messages (read a prompt) or prompt (write one). Default: JSON input -> prompt, text -> messages."
        ),
    ] = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    parse: Annotated[Policies[ParseOptions], PARSE],
    meta: Annotated[
        bool, typer.Option("--meta", help="Add a 'meta' object so that --to prompt gives back the exact prompt.")
    ] = False,
    render: Annotated[Policies[RenderOptions], RENDER],
    report: Annotated[ReportOptions, REPORT],
) -> None:
    """Convert a legacy Text Completions prompt to Messages input, or back.

    A prompt becomes {"system": ..., "messages": [...]} (UTF-8 JSON on standard
    output); a JSON conversation ({"system", "messages"}, a whole Messages request
    body, or a bare list of messages) becomes the prompt, byte-exact, with no newline
    added.  Diagnostics go to standard error; when the input cannot be converted
    nothing is written and the exit status is 1.

    \b
    Examples:
      transcript convert samples/prompts/multi_turn.txt
      transcript convert prompt.txt --merge blocks --empty-turns drop -o messages.json
      transcript convert request.json --to prompt --on-unsupported placeholder
      transcript convert prompt.txt --meta | transcript convert - --to prompt
    """
    if to not in (None, "messages", "prompt"):
        raise OptionError(f"--to must be 'messages' or 'prompt', not {to!r}")
    parse_options = parse.build(strict=strict)
    render_options = render.build(strict=strict)
    reporter = Reporter(report, [file], command="convert", stream=sys.stderr)

    source = read_source(file)
    text, diagnostics = decode_source(source)
    name = source.name
    del source  # the raw bytes are not needed any more (a prompt may be 100 MB)
    if text is None:
        reporter.add(name, diagnostics)
        raise typer.Exit(reporter.finish(failed=True))

    result: bytes | Iterator[bytes] | None = None
    if (to or convert_direction(name, strip_bom(text))) == "messages":  # the converter reports a BOM
        conv = prompt_to_messages(text, options=parse_options)
        del text
        diagnostics = list(conv.diagnostics)
        if conv.value is not None:
            value = dict(conv.value)
            if meta and conv.meta is not None:
                value["meta"] = conv.meta.to_json()
            result = json_chunks(value)  # written a message at a time
        del conv
    else:
        text = strip_bom(text)  # JSON: an encoding artefact, nothing of the value
        as_prompt = prompt_given_as_json(text)
        if as_prompt is not None:
            value, diagnostics = None, [as_prompt]
        else:
            value, diagnostics = load_json(text, name=name)
        if not diagnostics:
            conv = messages_to_prompt(value, source_text=text, options=render_options)
            diagnostics = list(conv.diagnostics)
            if conv.value is not None:
                result = conv.value.encode("utf-8", "surrogatepass")

    reporter.add(name, diagnostics)
    status = reporter.finish(failed=result is None)
    if result is not None:
        write_output(result, output)
    raise typer.Exit(status)
