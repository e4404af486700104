"""``junit``: JUnit XML, for the test-report tabs of GitLab, Jenkins and Azure Pipelines.

One ``<testsuite>`` per input file and one ``<testcase>`` per diagnostic; what fails the
run is a ``<failure>`` (errors, and warnings with ``--error-on-warning``, so the report
is red exactly when the job is), the other findings pass with their text in ``<system-out>``.  A clean file
is one passing test case, so every checked file shows up in the report.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from transcript.core.diagnostics import Diagnostic
from transcript.formats.registry import FormatOptions, Report, output_format


def _text(d: Diagnostic) -> str:
    parts = [f"{d.location}: {d.severity.value} {d.code} {d.message}"]
    if d.location.pointer:
        parts.append(f"pointer: {d.location.pointer}")
    if d.hint:
        parts.append(f"hint: {d.hint}")
    return "\n".join(parts)


def _xml_char(ch: str) -> bool:
    """Whether XML 1.0 can carry ``ch`` (its ``Char`` production)."""
    o = ord(ch)
    return ch in "\t\n\r" or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, U+FFFE, U+FFFF or lone surrogates,
    even escaped: they are spelled out."""
    if all(map(_xml_char, text)):
        return text
    return "".join(ch if _xml_char(ch) else (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}") for ch in text)


@output_format("junit", "JUnit XML (one test suite per file)")
def render_junit(report: Report, options: FormatOptions) -> str:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for f in report.files:
        by_file[f]
    for d in report.diagnostics:
        by_file[d.location.file or "<input>"].append(d)
    root = ET.Element("testsuites", name="transcript")
    total = failures = 0
    for file, diags in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=_clean(file))
        cases = 0
        suite_failures = 0
        if not diags:
            ET.SubElement(suite, "testcase", name="clean", classname=_clean(file))
            cases = 1
        for d in diags:
            cases += 1
            name = f"{d.code} {d.name}" + (f" at {d.location.line}:{d.location.column or 1}" if d.location.line else "")
            case = ET.SubElement(suite, "testcase", name=_clean(name), classname=_clean(file))
            if options.fails(d.severity):
                suite_failures += 1
                failure = ET.SubElement(case, "failure", message=_clean(d.message), type=d.code)
                failure.text = _clean(_text(d))
            else:
                out = ET.SubElement(case, "system-out")
                out.text = _clean(_text(d))
        suite.set("tests", str(cases))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        total += cases
        failures += suite_failures
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
