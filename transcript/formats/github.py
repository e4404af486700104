"""``github``: GitHub Actions workflow commands, which become annotations on a pull request.

Escaping follows the runner's rules: in the message ``%``, CR and LF are percent-encoded;
in property values ``:`` and ``,`` are encoded too.  Before that, every field that comes
from the input (the file name, the message, the JSON pointer, the hint) has its control
characters written as escapes (``\x1b``), so nothing from a file reaches the Actions log
as a terminal escape or a forged workflow command.
"""

from __future__ import annotations

from transcript.core.diagnostics import Severity, printable
from transcript.formats.registry import FormatOptions, Report, output_format

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _field(value: str) -> str:
    """A property from the input: no control character of any kind survives (not even a newline)."""
    return escape_property(printable(value))


@output_format("github", "GitHub Actions annotations (::error file=…,line=…::message)")
def render_github(report: Report, options: FormatOptions) -> str:
    lines = []
    for d in report.diagnostics:
        loc = d.location
        props = []
        if loc.file:
            props.append(f"file={_field(loc.file)}")
        if loc.line is not None:
            props.append(f"line={loc.line}")
            if loc.column is not None:
                props.append(f"col={loc.column}")
            if loc.end_line is not None:
                props.append(f"endLine={loc.end_line}")
                if loc.end_column is not None:
                    props.append(f"endColumn={loc.end_column}")
        props.append(f"title={_field(f'{d.code} {d.name}')}")
        message = printable(d.message, lines=True)
        if loc.pointer:
            message += f" (at {printable(loc.pointer)})"
        if d.hint:
            message += f"\nhint: {printable(d.hint, lines=True)}"
        lines.append(f"::{_LEVEL[d.severity]} {','.join(props)}::{escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
