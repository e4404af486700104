"""The ``transcript`` command line: a thin typer layer over the library.

This module holds the typer ``app`` and :func:`main`; each command module registers its
commands on ``app`` (``lint``, ``rules``, ``convert``, ``migrate``, ``replay``).  What
the commands share: :mod:`~transcript.cli.groups` (options declared once, spliced into
each command), :mod:`~transcript.cli.options` (the prompt policies, ``--strict``,
``--output``, ``--target``), :mod:`~transcript.cli.report` (the report options and the
one pipeline from diagnostics to report and exit status) and
:mod:`~transcript.cli.common` (usage errors, writing results).

Exit status everywhere: 0 done with no error, 1 the input has errors (or could not be
converted), 2 a usage error or an internal fault (one line on stderr, no traceback).
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Sequence
from typing import Optional

import typer

from transcript import __version__
from transcript.cli.common import OptionError, fail
from transcript.core.sources import InputError
from transcript.lint.config import ConfigError

__all__ = ["app", "main"]

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


# Each command module registers its commands on ``app`` when imported.
COMMAND_MODULES = (
    "transcript.cli.lint",
    "transcript.cli.rules",
)

_OPTIONAL_COMMAND_MODULES = (
    "transcript.cli.convert",
    "transcript.cli.migrate",
    "transcript.cli.replay",
)

for _name in COMMAND_MODULES:
    importlib.import_module(_name)
for _name in _OPTIONAL_COMMAND_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:  # a command module still being written
        if _exc.name != _name:
            raise


def _reflow(doc: str) -> str:
    """A docstring's paragraphs as single lines, so the help wraps them to the terminal.

    Typer keeps the line breaks of a docstring's later paragraphs and then wraps each line
    again at the terminal's width, which left single words on lines of their own at 80
    columns.  Paragraphs that start with ``\\b`` (the examples) keep their lines.
    """
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)


for _info in app.registered_commands:
    _doc = _info.help or (inspect.getdoc(_info.callback) if _info.callback is not None else None)
    if _doc:
        _info.help = _reflow(_doc)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the app, turning every failure into one line and exit status 2."""
    try:
        status = app(args=list(argv) if argv is not None else None, prog_name="transcript", standalone_mode=False)
    except typer.TyperException as exc:  # usage errors (typer's vendored click exceptions)
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help())
            status = 2
        else:
            message = exc.format_message()
            # one pointer per line: a message that already says where to look keeps its own
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None and "(see '" not in message else ""
            status = fail(message + hint)
    except typer.Abort:
        status = fail("aborted")
    except (InputError, ConfigError, OptionError) as exc:
        status = fail(str(exc))
    except BrokenPipeError:
        status = 0
    except KeyboardInterrupt:
        status = fail("interrupted")
    except Exception as exc:  # an internal fault: one line, no traceback
        status = fail(f"internal error: {type(exc).__name__}: {exc}")
    sys.stdout.flush()
    sys.exit(status if isinstance(status, int) else 0)
