"""What CI tools read: SARIF as GitHub code scanning takes it (validated against the official
SARIF 2.1.0 schema), JUnit failures that match the exit status, GitHub annotations escaped."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.core.registry import RULES_URL
from transcript.formats import FormatOptions, Report, render
from transcript.lint.families import load_all

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft7Validator(SARIF_SCHEMA, format_checker=jsonschema.FormatChecker())

load_all()


def diag(code: str, file: str, line: int | None = 1, pointer: str | None = None, severity: Severity = Severity.ERROR) -> Diagnostic:
    rule = load_all()[code]
    return Diagnostic(code, rule.name, severity, f"{code} here", Location(file, line, 1 if line else None, pointer=pointer))


def sarif(report: Report) -> dict:
    doc = json.loads(render(report, "sarif"))
    errors = sorted(VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    return doc


def test_sarif_uris_are_relative_to_the_source_root_or_file_uris(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "sub").mkdir()
    monkeypatch.chdir(root / "sub")  # relative to the work tree's top, not the working directory
    outside = tmp_path / "elsewhere" / "x y.json"
    report = Report(
        [diag("X004", "a.json"), diag("R001", "c:x.json", pointer="/messages"), diag("X004", str(outside)), diag("X010", str(root / "gone.json"), None)],
        files=["a.json", "c:x.json", str(outside), str(root / "gone.json")],
    )
    run = sarif(report)["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.as_uri() + "/"
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert {"uri": "sub/a.json", "uriBaseId": "%SRCROOT%"} in uris
    assert {"uri": "sub/c%3Ax.json", "uriBaseId": "%SRCROOT%"} in uris  # never a URI with scheme c:
    assert {"uri": outside.as_uri()} in uris
    assert {"uri": "gone.json", "uriBaseId": "%SRCROOT%"} in uris
    assert all(not a["uri"].startswith("/") for a in uris)


def test_sarif_lists_only_the_rules_referred_to_with_help_and_fingerprints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = Report([diag("R001", "a.json", 3, "/messages"), diag("R001", "b.json", 1, "/messages"), diag("X004", "a.json", 9)], files=["a.json", "b.json"], command="lint")
    run = sarif(report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["R001", "X004"]
    for rule in rules:
        assert rule["helpUri"] == f"{RULES_URL}#{rule['id'].lower()}-{rule['name']}"
        assert "Bad:" in rule["help"]["markdown"] and "```" in rule["help"]["markdown"]
    assert run["automationDetails"] == {"id": "transcript/lint/"}
    prints = [r["partialFingerprints"]["transcriptFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == 3
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    # the same finding moved down a line keeps its fingerprint (it is placed by its pointer)
    moved = sarif(Report([diag("R001", "a.json", 30, "/messages")], files=["a.json"]))["runs"][0]["results"][0]
    assert moved["partialFingerprints"] == run["results"][0]["partialFingerprints"]
    clean = sarif(Report([], files=["a.json"]))
    assert clean["runs"][0]["tool"]["driver"]["rules"] == [] and len(json.dumps(clean)) < 2000


@given(st.text(min_size=1, max_size=20), st.text(max_size=30))
def test_sarif_of_any_file_name_and_message_is_valid(name: str, message: str) -> None:
    """Property: whatever the file name (control characters, colons, lone surrogates) or message, the SARIF validates."""
    d = Diagnostic("X004", "invalid-json", Severity.ERROR, message or "m", Location(name, 1, 1, pointer="/a"))
    text = render(Report([d], files=[name]), "sarif").encode("utf-8", "backslashreplace").decode("utf-8")
    doc = json.loads(text)
    assert not list(VALIDATOR.iter_errors(doc))
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert ":" not in uri or uri.startswith("file://")


def test_cli_sarif_validates(cli, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "bad.request.json").write_text('{"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": []}')
    result = cli(["lint", ".", "--format", "sarif"], cwd=tmp_path)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert not list(VALIDATOR.iter_errors(doc))
    location = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "bad.request.json", "uriBaseId": "%SRCROOT%"}


def test_junit_failures_match_the_exit_status(cli, tmp_path: Path) -> None:
    """Issue 8: --error-on-warning --format junit exited 1 with failures="0"."""
    warning = Report([diag("M001", "a.json", severity=Severity.WARNING)], files=["a.json"])
    assert ET.fromstring(render(warning, "junit")).get("failures") == "0"
    assert ET.fromstring(render(warning, "junit", FormatOptions(error_on_warning=True))).get("failures") == "1"
    body = '{"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}'
    (tmp_path / "a.json").write_text(body)
    for flags, status, failures in (([], 0, "0"), (["--error-on-warning"], 1, "1")):
        result = cli(["lint", "a.json", "--format", "junit", *flags], cwd=tmp_path)
        assert result.exit_code == status and ET.fromstring(result.stdout).get("failures") == failures


def test_github_annotations_escape_every_field() -> None:
    """Issue 8: the JSON pointer went out raw; control characters and ANSI escapes from a
    file's keys reached the Actions log."""
    d = Diagnostic(
        "V001", "unknown-field", Severity.ERROR, "unknown field '\x1b[2J'", Location("a\x1b,b:\n.json", 1, 2, pointer="/\x1b[31m\n::error::x"), hint="drop \x07it"
    )
    line = render(Report([d], files=["a.json"]), "github")
    assert "\x1b" not in line and "\x07" not in line
    assert line.count("\n") == 1 and line.startswith("::error file=")  # one command; text after :: is data
    assert "file=a\\x1b%2Cb%3A\\n.json," in line
    assert "(at /\\x1b[31m\\n::error::x)" in line
