"""Code frames (transcript.formats.frames) and the text options: --show-source, --quiet, --color, documentation URLs."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.formats import FormatOptions, Report, render
from transcript.formats.frames import WIDTH, frame, source_lines
from transcript.lint.families import load_all


def at(line: int, column: int, end_column: int | None = None) -> Diagnostic:
    return Diagnostic("X004", "invalid-json", Severity.ERROR, "m", Location("a.json", line, column, end_line=line if end_column else None, end_column=end_column))


def caret_target(lines: list[str]) -> str:
    """The characters of the shown line above the carets."""
    shown, carets = lines[1], lines[2]
    start = carets.index("^")
    return shown[start : start + carets.count("^")]


@given(st.text(alphabet="ab{}[]:, \"xyz0", min_size=1, max_size=400), st.data())
def test_the_caret_is_under_the_column_on_any_line(line: str, data: st.DataObject) -> None:
    """Property: whatever the line's length, the caret sits under the character at the column
    (the line is windowed around it when long)."""
    column = data.draw(st.integers(min_value=1, max_value=len(line)))
    lines = frame(at(1, column), line)
    assert caret_target(lines) == line[column - 1]
    assert len(lines[1]) <= WIDTH + 20


def test_a_long_jsonl_line_is_shown_around_the_fault() -> None:
    line = '{"a": "' + "x" * 5000 + '", "bad": tru}'
    column = line.index("tru") + 1
    lines = frame(at(7, column, column + 3), line)
    assert lines[1].startswith(" 7 | …") and lines[1].endswith("}")
    assert caret_target(lines) == "tru"
    assert len(lines[1]) < WIDTH + 10


def test_control_characters_are_escaped_and_the_caret_follows() -> None:
    line = 'x\x1b[2J"y": bad'
    lines = frame(at(1, line.index("bad") + 1), line)
    assert "\x1b" not in "".join(lines)
    assert caret_target(lines) == "b"


def test_source_lines_read_only_the_lines_needed(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("one\r\ntwo\nthree\n")
    d = Diagnostic("X004", "invalid-json", Severity.ERROR, "m", Location(str(path), 2, 1))
    assert source_lines([d]) == {(str(path), 2): "two"}
    assert source_lines([d.with_location(Location("<stdin>", 1, 1))]) == {}
    assert source_lines([d], {str(path): "a\nb\n"}) == {(str(path), 2): "b"}


def test_show_source_and_quiet_in_the_text_format() -> None:
    report = Report([at(1, 3)], files=["a.json"])
    out = render(report, "text", FormatOptions(show_source=True, source_lines={("a.json", 1): '{"x" 1}'}))
    assert ' 1 | {"x" 1}' in out and "docs: https://" in out and "#x004-invalid-json" in out
    assert "Checked 1 file" not in render(report, "text", FormatOptions(quiet=True))


def test_cli_show_source_quiet_color_and_json_urls(cli, tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text('{"model": "claude-sonnet-4-5", "max_tokens": 10,\n "messages": []}\n')
    result = cli(["lint", "a.json", "--show-source"], cwd=tmp_path)
    assert result.exit_code == 1 and ' 2 |  "messages": []}' in result.stdout and "^^" in result.stdout
    assert "Checked" not in cli(["lint", "a.json", "-q"], cwd=tmp_path).stdout
    assert "\x1b[" in cli(["lint", "a.json", "--color", "always"], cwd=tmp_path).stdout
    assert "\x1b[" not in cli(["lint", "a.json", "--color", "never"], cwd=tmp_path).stdout
    assert cli(["lint", "a.json", "--color", "sometimes"], cwd=tmp_path).exit_code == 2
    doc = json.loads(cli(["lint", "a.json", "--format", "json"], cwd=tmp_path).stdout)
    assert doc["diagnostics"][0]["url"].endswith("#r001-messages-empty")
    rules = json.loads(cli(["rules", "R001", "--format", "json"]).stdout)
    assert rules[0]["url"] == doc["diagnostics"][0]["url"]


def test_every_rule_url_is_an_anchor_of_docs_rules_md() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in load_all():
        anchor = rule.url.split("#", 1)[1]
        assert f"](#{anchor})" in docs and f"## {rule.code} `{rule.name}`" in docs
