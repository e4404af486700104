"""The ``transcript`` command line: a thin typer layer over the library.

This module holds :func:`main`; the typer ``app`` is :mod:`~transcript.cli.app`, and
each command module registers its commands on it (``lint``, ``rules``, ``convert``, ``migrate``, ``replay``, ``serve``:
:data:`COMMANDS`), imported when a run needs it.  What
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
import sys
from collections.abc import Sequence
from types import ModuleType

import typer

from transcript.cli.app import app, reflow_help
from transcript.cli.common import OptionError, fail
from transcript.core.sources import InputError
from transcript.lint.config import ConfigError

__all__ = ["app", "main", "COMMANDS", "load_commands"]

#: Each command, and the module that registers it on the app when imported, in the order
#: --help lists them.  A run imports the module of its own command only: ``lint`` and
#: ``replay`` do not pay for libcst (``migrate``'s code migration) or the server.
COMMANDS = {
    "lint": "transcript.cli.lint",
    "kinds": "transcript.cli.lint",
    "rules": "transcript.cli.rules",
    "rule": "transcript.cli.rules",
    "convert": "transcript.cli.convert",
    "migrate": "transcript.cli.migrate",
    "replay": "transcript.cli.replay",
    "serve": "transcript.cli.serve",
}


def load_commands(names: Sequence[str] | None = None) -> list[ModuleType]:
    """Register the commands ``names`` (all of them by default) on :data:`app`; their modules."""
    wanted = dict.fromkeys(COMMANDS[name] for name in (names if names is not None else COMMANDS))
    modules = [importlib.import_module(module) for module in wanted]
    reflow_help()
    return modules


def _command_of(args: Sequence[str]) -> str | None:
    """The command ``args`` run, if they name one: the root options take no values, so it is
    the first word that is not an option."""
    for arg in args:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the app, turning every failure into one line and exit status 2."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        command = _command_of(args)
        load_commands([command] if command is not None else None)  # help and typos list them all
        status = app(args=args, prog_name="transcript", standalone_mode=False)
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
    except MemoryError:  # the machine's limit, not a fault of the input: say so in one line
        status = fail("not enough memory for this input (run with more memory, or split it; JSONL is read line by line)")
    except Exception as exc:  # an internal fault: one line, no traceback
        status = fail(f"internal error: {type(exc).__name__}: {exc}")
    sys.stdout.flush()
    sys.exit(status if isinstance(status, int) else 0)
