"""The output format registry: text, json, github, sarif, junit."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.formats import FORMATS, FormatOptions, Report, render
from transcript.formats.github import escape_data, escape_property
from transcript.lint.families import load_all

load_all()

DIAGS = [
    Diagnostic("X004", "invalid-json", Severity.ERROR, "invalid JSON: 100% broken\nreally", Location("dir/a b.json", 3, 7)),
    Diagnostic(
        "X006",
        "duplicate-key",
        Severity.WARNING,
        "dup",
        Location("b.json", 1, 2, pointer="/messages/0", end_line=1, end_column=9),
        hint="remove one",
    ),
    Diagnostic("X001", "invalid-utf8", Severity.INFO, "note \x01", Location("b.json")),
]
REPORT = Report(DIAGS, files=["dir/a b.json", "b.json", "clean.json"])


def test_all_five_formats_are_registered() -> None:
    """text, json, github, sarif and junit are in the one registry."""
    assert {"text", "json", "github", "sarif", "junit"} <= set(FORMATS)


def test_text_format_lines_and_summary() -> None:
    """text prints file:line:col: severity CODE message, hints, and a summary line."""
    out = render(REPORT, "text")
    assert "dir/a b.json:3:7: error X004 invalid JSON: 100% broken" in out
    assert "  hint: remove one" in out
    assert out.rstrip().endswith("Checked 3 files: 1 error, 1 warning, 1 info.")
    assert "\x1b[" not in out
    assert "\x1b[" in render(REPORT, "text", FormatOptions(color=True))
    stats = render(REPORT, "text", FormatOptions(statistics=True))
    assert "1  X004  invalid-json" in stats


def test_json_format_is_the_versioned_document() -> None:
    """json is {"version": 1, "diagnostics": [...], "summary": {...}} with every field."""
    doc = json.loads(render(REPORT, "json"))
    assert doc["version"] == 1
    first = doc["diagnostics"][0]
    assert {"code", "name", "severity", "message", "file", "line", "column", "pointer"} <= set(first)
    assert doc["summary"]["errors"] == 1 and doc["summary"]["files"] == 3
    assert doc["diagnostics"][1]["pointer"] == "/messages/0"


def test_github_format_escapes_per_the_runner_rules() -> None:
    """Messages escape %, CR, LF; properties also escape : and ,."""
    assert escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"
    lines = {line.split("title=")[1][:4]: line for line in render(REPORT, "github").splitlines()}
    assert lines["X004"].startswith("::error file=dir/a b.json,line=3,col=7,title=X004 invalid-json::")
    assert "100%25 broken%0Areally" in lines["X004"]
    assert lines["X006"].startswith("::warning file=b.json,line=1,col=2,endLine=1,endColumn=9,")
    assert lines["X001"].startswith("::notice file=b.json,title=")


def test_sarif_format_describes_rules_from_the_registry() -> None:
    """SARIF 2.1.0 with the registry's rules and results pointing at them."""
    doc = json.loads(render(REPORT, "sarif"))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    by_code = {r["ruleId"]: r for r in run["results"]}
    first = by_code["X004"]
    assert first["level"] == "error"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 7}
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "dir/a%20b.json"
    assert by_code["X001"]["level"] == "note"
    assert {"shortDescription", "fullDescription", "defaultConfiguration"} <= set(rules[0])


def test_junit_format_is_well_formed_xml_with_one_suite_per_file() -> None:
    """Errors are failures, other findings pass, clean files are one passing case."""
    root = ET.fromstring(render(REPORT, "junit"))
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"dir/a b.json", "b.json", "clean.json"}
    assert suites["dir/a b.json"].get("failures") == "1"
    assert suites["b.json"].get("failures") == "0" and suites["b.json"].get("tests") == "2"
    assert root.get("tests") == "4" and root.get("failures") == "1"
    assert "\\x01" in render(REPORT, "junit")


def test_empty_report() -> None:
    """No diagnostics: empty annotations, empty results, a clean summary."""
    empty = Report([], files=["a"])
    assert render(empty, "github") == ""
    assert json.loads(render(empty, "json"))["diagnostics"] == []
    assert json.loads(render(empty, "sarif"))["runs"][0]["results"] == []
    assert "0 errors" in render(empty, "text")


def test_sarif_cuts_long_rule_examples() -> None:
    """Regression: every rule's bad and good examples went into the SARIF help in full, and
    some are megabytes (an image over the 5 MB limit), so a report of one diagnostic was 7 MB."""
    from transcript.formats.sarif import EXAMPLE_LIMIT

    registry = load_all()
    longest = max(registry, key=lambda r: len(r.bad))
    short = next(r for r in registry if len(r.bad) < 200)
    found = [Diagnostic(r.code, r.name, r.severity, "m", Location("a.json", 1, 1)) for r in (longest, short)]
    text = render(Report(found, files=["a.json"]), "sarif")
    rules = {r["id"]: r for r in json.loads(text)["runs"][0]["tool"]["driver"]["rules"]}
    assert len(longest.bad) > EXAMPLE_LIMIT  # the case exists
    assert len(rules[longest.code]["help"]["text"]) < len(longest.explanation) + 2 * EXAMPLE_LIMIT + 200
    assert f"({len(longest.bad)} characters in all)" in rules[longest.code]["help"]["text"]
    assert short.bad in rules[short.code]["help"]["text"]
    assert len(text) < 1_000_000


def test_junit_spells_out_characters_xml_cannot_carry() -> None:
    """Regression: a message quoting U+FFFE (or a lone surrogate) from the input made the
    JUnit report XML that no parser reads."""
    text = "field '\ufffe\ud800\x1e' ok \U0001f600"
    report = Report([Diagnostic("S005", "unknown-sse-field", Severity.ERROR, text, Location("a\ufffe.sse", 1, 1))], files=["a\ufffe.sse"])
    out = render(report, "junit")
    root = ET.fromstring(out.encode("utf-8", "surrogatepass"))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "field '\\ufffe\\ud800\\x1e' ok \U0001f600"


def test_text_format_escapes_what_came_from_the_input() -> None:
    """An input cannot forge report lines or drive the terminal (regression)."""
    forged = Diagnostic(
        code="S109", name="error-event", severity=Severity.ERROR,
        message="error event: x\nfile.json:1:1: error X001 forged\x1b[2J",
        location=Location(file="bad\nname\udcff.sse", line=3, column=1), hint="see\rthis",
    )
    out = render(Report((forged,), ("bad\nname\udcff.sse",), "replay"), "text")
    assert out.count("\n") == 2  # the diagnostic line and its hint line
    assert "\x1b" not in out and "\r" not in out and "\udcff" not in out
    assert "x\\nfile.json:1:1" in out and "\\x1b[2J" in out and "bad\\nname\\udcff.sse:3:1" in out
    out.encode("utf-8")
