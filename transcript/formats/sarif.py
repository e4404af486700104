"""``sarif``: SARIF 2.1.0, for GitHub code scanning and other static-analysis dashboards.

The driver's rules come from the rule registry, so every result's ``ruleIndex`` points at a
described rule with its summary, explanation and default level.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from transcript import __version__
from transcript.core.diagnostics import Severity
from transcript.formats.registry import FormatOptions, Report, output_format
from transcript.lint.families import load_all

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    """A file name as a URI reference; the bytes of a name that is not UTF-8 percent-encoded."""
    posix = PurePath(path).as_posix()
    return quote(posix, safe="/:", errors="surrogateescape")


# Some rules' examples are megabytes (an image over the size limit); every report carries
# every rule's help, so the examples are cut to this many characters.
EXAMPLE_LIMIT = 2000


def _example(text: str) -> str:
    if len(text) <= EXAMPLE_LIMIT:
        return text
    return f"{text[:EXAMPLE_LIMIT]}… ({len(text)} characters in all)"


@output_format("sarif", "SARIF 2.1.0 (GitHub code scanning)")
def render_sarif(report: Report, options: FormatOptions) -> str:

    registry = load_all()
    rules = list(registry)
    index = {r.code: i for i, r in enumerate(rules)}
    driver_rules = [
        {
            "id": r.code,
            "name": r.name,
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.explanation},
            "help": {"text": f"{r.explanation}\n\nBad:\n{_example(r.bad)}\n\nGood:\n{_example(r.good)}"},
            "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": {"runner": r.runner},
        }
        for r in rules
    ]
    results = []
    for d in report.diagnostics:
        loc = d.location
        result: dict[str, object] = {
            "ruleId": d.code,
            "level": _LEVEL[d.severity],
            "message": {"text": d.message + (f"\nhint: {d.hint}" if d.hint else "")},
        }
        if d.code in index:
            result["ruleIndex"] = index[d.code]
        location: dict[str, object] = {}
        if loc.file:
            physical: dict[str, object] = {"artifactLocation": {"uri": _uri(loc.file)}}
            if loc.line is not None:
                region: dict[str, int] = {"startLine": loc.line, "startColumn": loc.column or 1}
                if loc.end_line is not None:
                    region["endLine"] = loc.end_line
                    if loc.end_column is not None:
                        region["endColumn"] = loc.end_column
                physical["region"] = region
            location["physicalLocation"] = physical
        if loc.pointer is not None:
            location["logicalLocations"] = [{"fullyQualifiedName": loc.pointer or "/", "kind": "member"}]
        if location:
            result["locations"] = [location]
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "transcript",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": driver_rules,
                    }
                },
                "artifacts": [{"location": {"uri": _uri(f)}} for f in report.files if f != "<stdin>"],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
