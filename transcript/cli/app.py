"""The typer ``app`` every command module registers its commands on, and the root options."""

from __future__ import annotations

import inspect
from typing import Optional

import typer

from transcript import __version__

__all__ = ["app", "reflow_help"]

app = typer.Typer(
    name="transcript",
    help="Toolkit for the Anthropic Messages protocol: migrate legacy prompts, lint request payloads, replay SSE streams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"transcript {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(  # noqa: UP007 - typer needs Optional on 3.10
        None, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Toolkit for the Anthropic Messages protocol.

    \b
    Examples:
      transcript convert samples/prompts/hello.txt
      transcript lint samples/
      transcript replay capture.sse --format text
    """


def _reflow(doc: str) -> str:
    """A docstring's paragraphs as single lines, so the help wraps them to the terminal.

    Typer keeps the line breaks of a docstring's later paragraphs and then wraps each line
    again at the terminal's width, which left single words on lines of their own at 80
    columns.  Paragraphs that start with ``\\b`` (the examples) keep their lines.
    """
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


def reflow_help() -> None:
    """Reflow every registered command's help (call once all commands are registered)."""
    for info in app.registered_commands:
        doc = info.help or (inspect.getdoc(info.callback) if info.callback is not None else None)
        if doc:
            info.help = _reflow(doc)
