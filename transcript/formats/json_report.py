"""``json``: a versioned document, ``{"version": 1, "tool", "diagnostics", "summary"}``."""

from __future__ import annotations

import json

from transcript import __version__
from transcript.core.diagnostics import Diagnostic
from transcript.formats.registry import FormatOptions, Report, output_format, statistics
from transcript.lint.families import load_all

VERSION = 1


def _with_url(d: Diagnostic) -> dict[str, object]:
    out = d.to_dict()
    rule = load_all().get(d.code)
    if rule is not None:
        out["url"] = rule.url
    return out


@output_format("json", "a versioned JSON document (version 1) with diagnostics and a summary")
def render_json(report: Report, options: FormatOptions) -> str:

    summary = dict(report.summary)
    summary["statistics"] = [{"code": c, "name": n, "count": k} for c, n, k in statistics(report)]
    document = {
        "version": VERSION,
        "tool": {"name": "transcript", "version": __version__, "command": report.command},
        "diagnostics": [_with_url(d) for d in report.diagnostics],
        "summary": summary,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
