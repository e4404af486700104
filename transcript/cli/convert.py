"""``transcript convert`` (legacy prompt <-> messages) and ``transcript migrate`` (TC <-> Messages bodies)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional, TypedDict

import orjson
import typer

from transcript.cli import app
from transcript.cli.common import (
    ConfigOpt,
    ErrorOnWarningOpt,
    ExitZeroOpt,
    FormatOpt,
    IgnoreOpt,
    OutputFileOpt,
    SelectOpt,
    StatisticsOpt,
    dumps_json,
    emit_report,
    exit_status,
    resolve_config,
)
from transcript.core.diagnostics import Diagnostic

# ------------------------------------------------------------------ options

ToOpt = Annotated[
    Optional[str],  # noqa: UP007
    typer.Option("--to", help="messages (read a prompt) or prompt (write one). Default: JSON input -> prompt, text -> messages."),
]
OutputOpt = Annotated[
    Optional[Path],  # noqa: UP007
    typer.Option("--output", "-o", help="Write the result to this file instead of standard output."),
]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Make every whitespace repair an error instead of a warning.")]
MergeOpt = Annotated[
    str,
    typer.Option("--merge", help="Same-role turns: none (separate messages), blocks (one message of text blocks), join."),
]
JoinSepOpt = Annotated[
    str,
    typer.Option(
        "--join-separator",
        show_default=False,
        help="Text between turns joined by --merge join; \\n and \\t are newline and tab (default: two newlines).",
    ),
]
EmptyTurnsOpt = Annotated[
    str, typer.Option("--empty-turns", help="Empty turns: error, drop, or placeholder:TEXT.")
]
NormalizeOpt = Annotated[
    bool, typer.Option("--normalize-newlines", help="Replace CRLF with LF when the turn markers use CRLF.")
]
LenientOpt = Annotated[
    bool, typer.Option("--lenient-start", help="Read one, or three or more, newlines before a leading 'Human:' as the first turn.")
]
UnwrapOpt = Annotated[
    bool, typer.Option("--unwrap-system-tags", help="Make a first '<admin>...</admin>' or '<system>...</system>' Human turn the system prompt.")
]
MetaOpt = Annotated[
    bool, typer.Option("--meta", help="Add a 'meta' object so that --to prompt gives back the exact prompt.")
]
UnsupportedOpt = Annotated[
    str, typer.Option("--on-unsupported", help="Non-text blocks: error, drop, or placeholder ('\\[image]').")
]
ToolsXmlOpt = Annotated[bool, typer.Option("--tools-as-xml", help="Write tool_use / tool_result as legacy <function_calls> XML.")]
DefuseOpt = Annotated[bool, typer.Option("--defuse", help="Rewrite turn markers inside texts as '\\n\\nH:' / '\\n\\nA:'.")]
HoistOpt = Annotated[bool, typer.Option("--hoist-system", help="Make a leading {'role': 'system'} message the system text.")]
InsertHumanOpt = Annotated[
    bool, typer.Option("--insert-empty-human", help="Write an empty Human turn before a first assistant message.")
]
RestoreOpt = Annotated[
    bool, typer.Option("--restore-prefill-whitespace", help="With meta: write back whitespace removed from the prompt's end.")
]
BlockJoinOpt = Annotated[
    str,
    typer.Option(
        "--block-join", show_default=False, help="Text between a message's text blocks; \\n is a newline (default: none)."
    ),
]

class _ParseKwargs(TypedDict, total=False):
    """Keyword arguments for :class:`ParseOptions` / :func:`prompt_to_messages`."""

    strict: bool
    merge: str
    join_separator: str
    empty_turns: str
    normalize_newlines: bool
    lenient_start: bool
    unwrap_system_tags: bool


class _RenderKwargs(TypedDict, total=False):
    """Keyword arguments for :class:`RenderOptions` / :func:`messages_to_prompt`."""

    strict: bool
    on_unsupported: str
    tools_as_xml: bool
    defuse: bool
    hoist_system: bool
    insert_empty_human: bool
    restore_prefill_whitespace: bool
    block_join: str


class _ReportKwargs(TypedDict):
    """The keyword arguments of :func:`_report` that stay the same for one run."""

    fmt: str
    output_file: Path | None
    show_statistics: bool
    config_path: Path | None
    select: list[str] | None
    ignore: list[str] | None
    command: str


_JSON_EXTENSIONS = (".json", ".jsonl", ".ndjson")
_PROMPT_EXTENSIONS = (".txt", ".prompt")


def unescape(value: str) -> str:
    """``\\n``, ``\\t``, ``\\r`` and ``\\\\`` typed on a command line, as characters."""
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value) and value[i + 1] in "ntr\\":
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}[value[i + 1]])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _as_flags(message: str) -> str:
    """An option error from the library names the keyword (empty_turns); say the flag."""
    import attrs

    from transcript.prompt.parse import ParseOptions
    from transcript.prompt.render import RenderOptions

    names = {f.name for cls in (ParseOptions, RenderOptions) for f in attrs.fields(cls)}
    head, sep, rest = message.partition(" ")
    if sep and head in names:
        return f"--{head.replace('_', '-')} {rest}"
    return message


def _usage(message: str) -> typer.Exit:
    sys.stderr.write(f"transcript: error: {message}\n")
    return typer.Exit(2)


def _report(
    diagnostics: list[Diagnostic],
    name: str,
    *,
    fmt: str,
    output_file: Path | None,
    show_statistics: bool,
    config_path: Path | None,
    select: list[str] | None,
    ignore: list[str] | None,
    command: str,
) -> list[Diagnostic]:
    config = resolve_config(config_path, select=select, ignore=ignore)
    stamped = [d if d.location.file else d.in_file(name) for d in diagnostics]
    shown = config.apply(stamped)
    emit_report(
        shown,
        files=[name],
        fmt=fmt,
        output_file=output_file,
        show_statistics=show_statistics,
        stream=sys.stderr,
        command=command,
    )
    return shown


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise _usage(f"{output}: cannot write ({exc.strerror or exc})") from None


def _dump(value: Any, *, pretty: bool = True) -> bytes:
    option = orjson.OPT_INDENT_2 if pretty else 0
    try:
        return orjson.dumps(value, option=option) + b"\n"
    except TypeError:
        # orjson writes at most 255 levels and 64-bit integers; the input parser accepts
        # 1024 levels and integers of any size, which the stdlib writes
        if pretty:
            text = dumps_json(value, ensure_ascii=False, indent=2)
        else:
            text = dumps_json(value, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8") + b"\n"


def _suffix(name: str) -> str:
    return os.path.splitext(name.lower())[1]


@app.command()
def convert(
    file: Annotated[str, typer.Argument(help="A legacy prompt or a JSON conversation; - reads standard input.")],
    to: ToOpt = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    merge: MergeOpt = "none",
    join_separator: JoinSepOpt = "\n\n",
    empty_turns: EmptyTurnsOpt = "error",
    normalize_newlines: NormalizeOpt = False,
    lenient_start: LenientOpt = False,
    unwrap_system_tags: UnwrapOpt = False,
    meta: MetaOpt = False,
    on_unsupported: UnsupportedOpt = "error",
    tools_as_xml: ToolsXmlOpt = False,
    defuse: DefuseOpt = False,
    hoist_system: HoistOpt = False,
    insert_empty_human: InsertHumanOpt = False,
    restore_prefill_whitespace: RestoreOpt = False,
    block_join: BlockJoinOpt = "",
    fmt: FormatOpt = "text",
    output_file: OutputFileOpt = None,
    show_statistics: StatisticsOpt = False,
    config_path: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    exit_zero: ExitZeroOpt = False,
    error_on_warning: ErrorOnWarningOpt = False,
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
    from transcript.core.jsontext import load_json
    from transcript.core.sources import decode_text, read_source
    from transcript.lint.families import load_all
    from transcript.prompt.convert import (
        looks_like_json,
        messages_to_prompt,
        prompt_given_as_json,
        prompt_to_messages,
    )
    from transcript.prompt.parse import ParseOptions
    from transcript.prompt.render import RenderOptions

    load_all()
    if to not in (None, "messages", "prompt"):
        raise _usage(f"--to must be 'messages' or 'prompt', not {to!r}")
    try:
        parse_options = ParseOptions(
            strict=strict,
            merge=merge,
            join_separator=unescape(join_separator),
            empty_turns=empty_turns,
            normalize_newlines=normalize_newlines,
            lenient_start=lenient_start,
            unwrap_system_tags=unwrap_system_tags,
        )
        render_options = RenderOptions(
            strict=strict,
            on_unsupported=on_unsupported,
            tools_as_xml=tools_as_xml,
            defuse=defuse,
            hoist_system=hoist_system,
            insert_empty_human=insert_empty_human,
            restore_prefill_whitespace=restore_prefill_whitespace,
            block_join=unescape(block_join),
        )
    except ValueError as exc:
        raise _usage(_as_flags(str(exc))) from None

    source = read_source(file)
    report = _ReportKwargs(
        fmt=fmt,
        output_file=output_file,
        show_statistics=show_statistics,
        config_path=config_path,
        select=select,
        ignore=ignore,
        command="convert",
    )
    text, diagnostics = decode_text(source.data, name=source.name)
    name = source.name
    del source  # the raw bytes are not needed any more (a prompt may be 100 MB)
    if text is None:
        _report(diagnostics, name, **report)
        raise typer.Exit(1)
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte order mark is an encoding artefact, not system text
    direction = to
    if direction is None:
        suffix = _suffix(name)
        if suffix in _JSON_EXTENSIONS:
            direction = "prompt"
        elif suffix in _PROMPT_EXTENSIONS or name.lower().endswith(".prompt.txt"):
            direction = "messages"
        else:
            direction = "prompt" if looks_like_json(text) else "messages"

    result: bytes | None = None
    if direction == "messages":
        conv = prompt_to_messages(text, options=parse_options)
        del text
        diagnostics = list(conv.diagnostics)
        if conv.value is not None:
            value = dict(conv.value)
            if meta and conv.meta is not None:
                value["meta"] = conv.meta.to_json()
            result = _dump(value)
        del conv
    else:
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

    shown = _report(diagnostics, name, **report)
    if result is None:
        raise typer.Exit(1)
    _write(result, output)
    raise typer.Exit(exit_status(shown, exit_zero=exit_zero, error_on_warning=error_on_warning))


def _with_hint(d: Diagnostic, hint: str) -> Diagnostic:
    import attrs

    return attrs.evolve(d, hint=hint)


@app.command()
def migrate(
    file: Annotated[str, typer.Argument(help="A JSON body or JSONL (one body per line); - reads standard input.")],
    to: Annotated[
        Optional[str],  # noqa: UP007
        typer.Option("--to", help="messages or completion. Default: from the body's shape (TC -> Messages, Messages -> TC)."),
    ] = None,
    model_map: Annotated[
        Optional[list[str]],  # noqa: UP007
        typer.Option("--model-map", help="Replace a model: OLD=NEW (repeatable); needed for claude-2, claude-instant-1..."),
    ] = None,
    request: Annotated[
        Optional[Path],  # noqa: UP007
        typer.Option("--request", help="The Text Completions request a response answered (tells its custom stop sequences)."),
    ] = None,
    jsonl: Annotated[
        Optional[bool],  # noqa: UP007
        typer.Option("--jsonl/--no-jsonl", help="Read JSONL (default: by extension, then by content)."),
    ] = None,
    output: OutputOpt = None,
    strict: StrictOpt = False,
    strip_leading_space: Annotated[
        bool, typer.Option("--strip-leading-space", help="Remove the one leading space of a completion's text.")
    ] = False,
    unmappable_stop: Annotated[
        str, typer.Option("--unmappable-stop", help="Message stop reasons without a TC equivalent: error or stop_sequence.")
    ] = "error",
    merge: MergeOpt = "none",
    empty_turns: EmptyTurnsOpt = "error",
    normalize_newlines: NormalizeOpt = False,
    lenient_start: LenientOpt = False,
    unwrap_system_tags: UnwrapOpt = False,
    on_unsupported: UnsupportedOpt = "error",
    tools_as_xml: ToolsXmlOpt = False,
    defuse: DefuseOpt = False,
    hoist_system: HoistOpt = False,
    insert_empty_human: InsertHumanOpt = False,
    fmt: FormatOpt = "text",
    output_file: OutputFileOpt = None,
    show_statistics: StatisticsOpt = False,
    config_path: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    exit_zero: ExitZeroOpt = False,
    error_on_warning: ErrorOnWarningOpt = False,
) -> None:
    """Migrate Text Completions request and response bodies to Messages (or back).

    A request body ({"prompt", "max_tokens_to_sample", ...}) becomes a Messages request
    body; a completion ({"completion", "stop_reason", ...}) becomes a Message.  A
    Messages request or a Message goes the other way.  JSONL in, JSONL out: each line
    is migrated on its own, a bad line is reported with its line number and left out,
    and the others still convert (exit status 1 if any line failed).

    \b
    Examples:
      transcript migrate samples/migrate/sdk_legacy_hello.request.json --model-map claude-1=claude-sonnet-4-5
      transcript migrate requests.jsonl --model-map claude-2=claude-sonnet-4-5 -o messages.jsonl
      transcript migrate completion.json --request request.json
      transcript migrate message.json --to completion --unmappable-stop stop_sequence
    """
    from transcript.core.jsontext import load_json
    from transcript.core.sources import decode_text, read_source
    from transcript.legacy.migrate import migrate_text, parse_model_map
    from transcript.lint.families import load_all
    from transcript.prompt.convert import prompt_given_as_json
    from transcript.prompt.parse import ParseOptions
    from transcript.prompt.render import RenderOptions

    load_all()
    if to not in (None, "messages", "completion"):
        raise _usage(f"--to must be 'messages' or 'completion', not {to!r}")
    if unmappable_stop not in ("error", "stop_sequence"):
        raise _usage(f"--unmappable-stop must be 'error' or 'stop_sequence', not {unmappable_stop!r}")
    try:
        mapping = parse_model_map(model_map)
        prompt_options = _ParseKwargs(
            merge=merge,
            empty_turns=empty_turns,
            normalize_newlines=normalize_newlines,
            lenient_start=lenient_start,
            unwrap_system_tags=unwrap_system_tags,
        )
        ParseOptions(**prompt_options)
        render_options = _RenderKwargs(
            on_unsupported=on_unsupported,
            tools_as_xml=tools_as_xml,
            defuse=defuse,
            hoist_system=hoist_system,
            insert_empty_human=insert_empty_human,
        )
        RenderOptions(**render_options)
    except ValueError as exc:
        raise _usage(_as_flags(str(exc))) from None
    report = _ReportKwargs(
        fmt=fmt,
        output_file=output_file,
        show_statistics=show_statistics,
        config_path=config_path,
        select=select,
        ignore=ignore,
        command="migrate",
    )

    request_value = None
    pre: list[Diagnostic] = []
    if request is not None:
        req_source = read_source(str(request))
        req_text, pre = decode_text(req_source.data, name=req_source.name)
        if req_text is not None:
            request_value, pre = load_json(req_text, name=req_source.name)
        if pre:
            _report(pre, req_source.name, **report)
            raise typer.Exit(1)
        if not isinstance(request_value, dict):
            raise _usage(f"{request}: the request must be a JSON object")

    source = read_source(file)
    text, diagnostics = decode_text(source.data, name=source.name)
    if text is None:
        _report(diagnostics, source.name, **report)
        raise typer.Exit(1)
    if jsonl is None and _suffix(source.name) in (".jsonl", ".ndjson"):
        jsonl = True
    if text.lstrip(" \t\r\n\ufeff")[:1] not in ("{", "["):
        as_prompt = prompt_given_as_json(text)
        if as_prompt is not None:
            _report([_with_hint(as_prompt, "this is a legacy prompt: use 'transcript convert'")], source.name, **report)
            raise typer.Exit(1)
    migration = migrate_text(
        text,
        jsonl=jsonl,
        to=to,
        model_map=mapping,
        strict=strict,
        strip_leading_space=strip_leading_space,
        unmappable_stop=unmappable_stop,
        request=request_value,
        prompt_options=prompt_options,
        render_options=render_options,
    )
    shown = _report(list(migration.diagnostics), source.name, **report)
    if migration.jsonl:
        data = b"".join(_dump(r, pretty=False) for r in migration.records if r is not None)
        if data:
            _write(data, output)
        failed = not migration.ok
    else:
        record = migration.records[0]
        failed = record is None
        if record is not None:
            _write(_dump(record), output)
    if failed:
        raise typer.Exit(1)
    raise typer.Exit(exit_status(shown, exit_zero=exit_zero, error_on_warning=error_on_warning))

