"""Autofix (transcript.lint.autofix and transcript.lint.fixes): each fix, its stability, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcript.lint.autofix import apply_edits, fix_text
from transcript.lint.config import Config
from transcript.lint.families import load_all
from transcript.lint.fixes import Edit, remove_member

FIXABLE = [r for r in load_all() if r.fix is not None]
NAME = {"prompt": "x.prompt", "json": "x.json"}


def test_the_candidates_of_the_issue_are_fixable() -> None:
    codes = {r.code for r in FIXABLE}
    assert {"M005", "M006", "M007", "R007", "R011", "M003", "I001", "X006", "P002", "P010", "P011"} <= codes
    assert {r.fix.applicability for r in FIXABLE if r.code in ("R007", "R011", "M003")} == {"unsafe"}


@pytest.mark.parametrize("rule", FIXABLE, ids=lambda r: r.code)
def test_each_fixable_rules_bad_example_is_fixed_and_a_second_fix_changes_nothing(rule) -> None:
    bad = rule.fix.example or rule.bad
    name = NAME.get(rule.runner, "x.json")
    first = fix_text(bad, name, unsafe=True)
    assert rule.code in {d.code for d in first.fixed}
    assert rule.code not in {d.code for d in first.remaining}, first.text
    second = fix_text(first.text, name, unsafe=True)
    assert second.text == first.text and not second.changed


def test_a_safe_run_leaves_the_unsafe_fixes_alone() -> None:
    bad = load_all()["R007"].bad
    result = fix_text(bad, "x.json")
    assert result.text == bad and "R007" in {d.code for d in result.remaining}


def test_fixes_keep_formatting_key_order_and_every_other_byte() -> None:
    text = (
        '{\n    "model" :  "claude-sonnet-4-5",\n\t"max_tokens": 1024, "temperature": 0.5,\n'
        '  "top_p": 0.9,\n  "messages": [ {"role": "user", "content": "Hé"},\n'
        '  {"role": "assistant", "content": "Well \\u00e9 "} ]\n}\n'
    )
    result = fix_text(text, "x.json", unsafe=True)
    assert result.text == (
        '{\n    "model" :  "claude-sonnet-4-5",\n\t"max_tokens": 1024, "temperature": 0.5,\n'
        '  "messages": [ {"role": "user", "content": "Hé"},\n'
        '  {"role": "assistant", "content": "Well é"} ]\n}\n'
    )


def test_duplicate_keys_are_resolved_as_the_server_reads_them() -> None:
    text = '{"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 20}'
    result = fix_text(text, "x.json")
    assert json.loads(result.text)["max_tokens"] == 20 and result.text.count("max_tokens") == 1
    assert [d.code for d in result.fixed] == ["X006"] and list(result.remaining) == []


def test_jsonl_lines_are_fixed_line_by_line() -> None:
    good = '{"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}]}'
    bad = '{"model": "claude-sonnet-4-5", "max_tokens": 10, "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "So "}]}'
    text = "\n".join([good, bad, good, bad]) + "\n"
    result = fix_text(text, "x.jsonl")
    lines = result.text.splitlines()
    assert lines[0] == lines[2] == good and lines[1] == lines[3] == bad.replace('"So "', '"So"')
    assert [d.location.line for d in result.fixed] == [2, 4]


def test_prompts_are_fixed() -> None:
    result = fix_text("Human: Hi\n\nAssistant: Sure \n", "x.prompt")
    assert result.text == "\n\nHuman: Hi\n\nAssistant: Sure"
    assert {d.code for d in result.fixed} >= {"P002", "P010"}


def test_the_configuration_decides_what_is_fixed() -> None:
    bad = load_all()["M007"].bad
    assert fix_text(bad, "x.json", config=Config(ignore=["M007"])).text == bad


@given(st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=6, unique=True), st.data())
def test_removing_any_member_keeps_the_others_valid_json(keys: list[str], data: st.DataObject) -> None:
    """Property: removing one member of an object (any position, any layout) leaves valid JSON
    with every other member, in order."""
    sep = data.draw(st.sampled_from([", ", ",", ",\n  ", " , "]))
    text = "{" + sep.join(f'"{k}": {i}' for i, k in enumerate(keys)) + "}"
    gone = data.draw(st.sampled_from(keys))
    out, _ = apply_edits(text, remove_member(text, f"/{gone}"))
    value = json.loads(out)
    assert list(value) == [k for k in keys if k != gone]


def test_overlapping_edits_are_applied_once() -> None:
    out, applied = apply_edits("abcdef", [Edit(1, 3, "X"), Edit(2, 4, "Y"), Edit(5, 5, "!")])
    assert out == "aXde!f" and len(applied) == 2


def test_cli_fix_diff_and_unsafe(cli, tmp_path: Path) -> None:
    body = '{\n  "model": "claude-sonnet-4-5", "max_tokens": 10, "temperature": 0.5, "top_p": 0.9,\n  "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "So "}]\n}\n'
    path = tmp_path / "a.request.json"
    path.write_text(body)
    shown = cli(["lint", "a.request.json", "--diff"], cwd=tmp_path)
    assert shown.exit_code == 1 and '-  "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "So "}]' in shown.stdout
    assert path.read_text() == body  # --diff writes nothing
    fixed = cli(["lint", "a.request.json", "--fix"], cwd=tmp_path)
    assert fixed.exit_code == 1 and "R007" in fixed.stdout and "M007" not in fixed.stdout
    assert '"So"' in path.read_text() and '"top_p"' in path.read_text()
    fixed = cli(["lint", "a.request.json", "--fix", "--unsafe-fixes"], cwd=tmp_path)
    assert fixed.exit_code == 0 and '"top_p"' not in path.read_text()
    again = path.read_text()
    assert cli(["lint", "a.request.json", "--fix", "--unsafe-fixes"], cwd=tmp_path).exit_code == 0 and path.read_text() == again
    piped = cli(["lint", "-", "--fix", "--stdin-filename", "b.json"], cwd=tmp_path, input=body)
    assert '"So"' in piped.stdout and "Checked 1 file" in piped.stderr
    assert cli(["lint", "a.request.json", "--fix", "--diff"], cwd=tmp_path).exit_code == 2
