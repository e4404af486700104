"""``text``: one line per diagnostic, ``file:line:col: severity CODE message``.

What comes from the input (file names, messages quoting an event or an error body) is
printed with its control characters escaped, so no input can forge a line of the report
or send escape sequences to the terminal.
"""

from __future__ import annotations

from transcript.core.diagnostics import Diagnostic, Severity, printable
from transcript.formats.frames import frame
from transcript.formats.registry import FormatOptions, Report, output_format, statistics
from transcript.lint.families import load_all

_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_RESET = "\x1b[0m"


def _full(d: Diagnostic, options: FormatOptions) -> str:
    """The diagnostic with its code frame and its documentation (``--show-source``)."""
    text = _line(d, options.color)
    loc = d.location
    extra: list[str] = []
    if loc.file and loc.line is not None:
        line_text = options.source_lines.get((loc.file, loc.line))
        if line_text is not None:
            extra = frame(d, line_text)
    rule = load_all().get(d.code)
    if rule is not None:
        extra.append(f"  {_DIM if options.color else ''}docs: {rule.url}{_RESET if options.color else ''}")
    return "\n".join([text, *extra])


def _line(d: Diagnostic, color: bool) -> str:
    where = printable(str(d.location))
    message = printable(d.message)
    if d.location.pointer and d.location.line is None:
        message = f"{message} (at {printable(d.location.pointer or '/')})"
    if color:
        sev = f"{_COLORS[d.severity]}{d.severity.value}{_RESET}"
        text = f"{_BOLD}{where}{_RESET}: {sev} {_BOLD}{d.code}{_RESET} {message}"
    else:
        text = f"{where}: {d.severity.value} {d.code} {message}"
    if d.hint:
        text += f"\n  {_DIM if color else ''}hint: {printable(d.hint)}{_RESET if color else ''}"
    return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@output_format("text", "file:line:col: severity CODE message (coloured on a terminal)")
def render_text(report: Report, options: FormatOptions) -> str:
    if options.show_source:
        lines = [_full(d, options) for d in report.diagnostics]
    else:
        lines = [_line(d, options.color) for d in report.diagnostics]
    if options.statistics:
        stats = statistics(report)
        if stats:
            width = max(len(str(n)) for _, _, n in stats)
            lines.extend(f"{n:>{width}}  {code}  {name}" for code, name, n in stats)
    if report.command == "lint" and not options.quiet:
        found = ", ".join(
            [
                _plural(report.count(Severity.ERROR), "error"),
                _plural(report.count(Severity.WARNING), "warning"),
                _plural(report.count(Severity.INFO), "info"),
            ]
        )
        lines.append(f"Checked {_plural(len(report.files), 'file')}: {found}.")
    return "\n".join(lines) + ("\n" if lines else "")
