"""The one registry of output formats, shared by convert, migrate, lint and replay.

A format is a function ``(report, options) -> str`` registered under a name with
:func:`~transcript.formats.registry.output_format`, one module per format.  ``--format
NAME`` picks one; :data:`FORMATS` lists them all.  To add a format: write its module
here, register its renderer, and import the module below.
"""

from __future__ import annotations

# Each module registers its format on import, in the order --format lists them.
# isort: off
from transcript.formats import text, json_report, github, sarif, junit
# isort: on
from transcript.formats.registry import FORMATS, FormatOptions, OutputFormat, Report, output_format, render, statistics

__all__ = ["Report", "FormatOptions", "OutputFormat", "FORMATS", "output_format", "render", "statistics", "MODULES"]

#: The format modules, in the order ``--format`` lists them.
MODULES = (text, json_report, github, sarif, junit)
