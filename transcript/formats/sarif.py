"""``sarif``: SARIF 2.1.0 as GitHub code scanning reads it (and other static-analysis dashboards).

- Files inside the source root (the git work tree holding the working directory, else the
  working directory) are relative URIs with ``uriBaseId: "%SRCROOT%"``, and
  ``originalUriBaseIds`` says where that is; files outside it are absolute ``file://``
  URIs.  Every URI is percent-encoded, so a name such as ``c:x.json`` is never read as
  a scheme, and a name that is not UTF-8 keeps its bytes.
- Each result has ``partialFingerprints`` (rule, file and JSON pointer, or line when there
  is no pointer), so an alert follows its finding when lines move.
- The driver lists only the rules the run refers to, each with its help as text and
  Markdown and its documentation URL; ``automationDetails`` names the command.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path, PurePath
from urllib.parse import quote

from transcript import __version__
from transcript.core.diagnostics import Diagnostic, Severity
from transcript.core.registry import RULES_URL, Rule
from transcript.formats.registry import FormatOptions, Report, output_format
from transcript.lint.discovery import find_work_tree
from transcript.lint.families import load_all

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# Some rules' examples are megabytes (an image over the size limit): cut to this many characters.
EXAMPLE_LIMIT = 2000


def _example(text: str) -> str:
    if len(text) <= EXAMPLE_LIMIT:
        return text
    return f"{text[:EXAMPLE_LIMIT]}… ({len(text)} characters in all)"


def _quote(path: str) -> str:
    return quote(path, safe="/", errors="surrogateescape")


def source_root() -> Path:
    """The directory relative URIs are relative to: the git work tree of the working directory, or it."""
    cwd = Path.cwd()
    return find_work_tree(cwd) or cwd


def artifact_location(path: str, root: Path) -> dict[str, str]:
    """A file as a SARIF ``artifactLocation``: relative to ``%SRCROOT%`` inside ``root``, else ``file://``."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        return {"uri": "file://" + _quote(absolute.as_posix())}
    return {"uri": _quote(PurePath(rel).as_posix()), "uriBaseId": SRCROOT}


def _fingerprint(d: Diagnostic, uri: str) -> str:
    where = d.location.pointer if d.location.pointer is not None else f"line {d.location.line}"
    return hashlib.sha256("\x00".join([d.code, uri, where]).encode("utf-8", "surrogatepass")).hexdigest()


def _fence(text: str) -> str:
    fence = "````" if "```" in text else "```"
    return f"{fence}\n{text}\n{fence}"


def _descriptor(r: Rule) -> dict[str, object]:
    bad, good = _example(r.bad), _example(r.good)
    return {
        "id": r.code,
        "name": r.name,
        "shortDescription": {"text": r.summary},
        "fullDescription": {"text": r.explanation},
        "help": {
            "text": f"{r.explanation}\n\nBad:\n{bad}\n\nGood:\n{good}\n\n{r.url}",
            "markdown": f"{r.explanation}\n\nBad:\n\n{_fence(bad)}\n\nGood:\n\n{_fence(good)}\n\n[{r.code} {r.name}]({r.url})",
        },
        "helpUri": r.url,
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "properties": {"runner": r.runner},
    }


@output_format("sarif", "SARIF 2.1.0 (GitHub code scanning)")
def render_sarif(report: Report, options: FormatOptions) -> str:
    registry = load_all()
    root = source_root()
    used = [r for r in (registry.get(code) for code in sorted({d.code for d in report.diagnostics})) if r is not None]
    index = {r.code: i for i, r in enumerate(used)}
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
            artifact = artifact_location(loc.file, root)
            physical: dict[str, object] = {"artifactLocation": artifact}
            if loc.line is not None:
                region: dict[str, int] = {"startLine": loc.line, "startColumn": loc.column or 1}
                if loc.end_line is not None:
                    region["endLine"] = loc.end_line
                    if loc.end_column is not None:
                        region["endColumn"] = loc.end_column
                physical["region"] = region
            location["physicalLocation"] = physical
            result["partialFingerprints"] = {"transcriptFinding/v1": _fingerprint(d, artifact["uri"])}
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
                        "informationUri": RULES_URL,
                        "rules": [_descriptor(r) for r in used],
                    }
                },
                "automationDetails": {"id": f"transcript/{report.command}/"},
                "originalUriBaseIds": {SRCROOT: {"uri": "file://" + _quote(root.as_posix().rstrip("/") + "/")}},
                "artifacts": [{"location": artifact_location(f, root)} for f in report.files if f != "<stdin>"],
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
