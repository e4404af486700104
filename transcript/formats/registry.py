"""The registry of output formats: a :class:`Report`, the :class:`FormatOptions`, and
:func:`output_format` to register a renderer ``(report, options) -> str`` under a name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from attrs import field, frozen

from transcript.core.diagnostics import (
    Diagnostic,
    Severity,
    sort_diagnostics,
    str_tuple,
)

__all__ = ["Report", "FormatOptions", "FORMATS", "output_format", "render", "statistics"]


def _sorted_diagnostics(items: Iterable[Diagnostic]) -> tuple[Diagnostic, ...]:
    return tuple(sort_diagnostics(items))


@frozen
class Report:
    """What a run found: its diagnostics and the inputs it looked at."""

    diagnostics: tuple[Diagnostic, ...] = field(converter=_sorted_diagnostics)
    files: tuple[str, ...] = field(default=(), converter=str_tuple)
    command: str = "lint"

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self.diagnostics if d.severity is severity)

    @property
    def summary(self) -> dict[str, object]:
        return {
            "files": len(self.files),
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
            "by_code": dict(sorted(Counter(d.code for d in self.diagnostics).items())),
        }


@frozen
class FormatOptions:
    """How to render: colour, the statistics, and ``error_on_warning`` (warnings fail the
    run, so the formats that say pass or fail, JUnit, count them as failures)."""

    color: bool = False
    statistics: bool = False
    error_on_warning: bool = False
    show_source: bool = False
    quiet: bool = False
    #: ``(file, line)`` -> that line's text, for ``show_source`` (:func:`~transcript.formats.frames.source_lines`).
    source_lines: Mapping[tuple[str, int], str] = field(factory=dict)

    def fails(self, severity: Severity) -> bool:
        """Whether a finding of this severity fails the run."""
        return severity is Severity.ERROR or (self.error_on_warning and severity is Severity.WARNING)


@frozen
class OutputFormat:
    name: str
    description: str
    render: Callable[[Report, FormatOptions], str] = field(eq=False, repr=False)


FORMATS: dict[str, OutputFormat] = {}


def output_format(name: str, description: str) -> Callable[[Callable[[Report, FormatOptions], str]], Callable[[Report, FormatOptions], str]]:
    def decorate(func: Callable[[Report, FormatOptions], str]) -> Callable[[Report, FormatOptions], str]:
        if name in FORMATS:
            raise ValueError(f"output format {name!r} is registered twice")
        FORMATS[name] = OutputFormat(name, description, func)
        return func

    return decorate


def render(report: Report, name: str, options: FormatOptions | None = None) -> str:
    """Render a report in the named format."""
    return FORMATS[name].render(report, options or FormatOptions())


def statistics(report: Report) -> list[tuple[str, str, int]]:
    """(code, name, count) for every code in the report, most frequent first."""
    names = {d.code: d.name for d in report.diagnostics}
    counts = Counter(d.code for d in report.diagnostics)
    return [(code, names[code], n) for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
