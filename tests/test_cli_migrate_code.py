"""``transcript migrate`` on Python source: one file, --diff, --write, --check, directories,
bad input, and the usage errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import DATA

LEGACY = '''import anthropic
from anthropic import HUMAN_PROMPT, AI_PROMPT

client = anthropic.Anthropic()


def ask(question: str) -> str:
    r = client.completions.create(model="claude-2.1", max_tokens_to_sample=64, prompt=f"{HUMAN_PROMPT} {question}{AI_PROMPT}")
    return r.completion
'''

MIGRATED = '''import anthropic

client = anthropic.Anthropic()


def ask(question: str) -> str:
    r = client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=[
        {"role": "user", "content": question},
    ])
    return r.content[0].text
'''

LEFT = '''import anthropic

client = anthropic.Anthropic()


def ask(prompt):
    return client.completions.create(model="claude-sonnet-4-5", max_tokens_to_sample=64, prompt=prompt).completion
'''

MAP = ["--model-map", "claude-2.1=claude-sonnet-4-5"]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    path = tmp_path / "app.py"
    path.write_text(LEGACY, encoding="utf-8")
    return path


def test_one_file_prints_the_migrated_source(cli, app: Path) -> None:
    result = cli(["migrate", str(app), *MAP])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == MIGRATED
    assert f"{app}:8:9: info U001" in result.stderr
    assert app.read_text(encoding="utf-8") == LEGACY  # nothing written


def test_output_file(cli, app: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.py"
    result = cli(["migrate", str(app), *MAP, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == MIGRATED
    assert result.stdout == ""


def test_diff_is_a_patch_that_applies(cli, app: Path, tmp_path: Path) -> None:
    result = cli(["migrate", str(app), *MAP, "--diff"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"--- a/{app}\n+++ b/{app}\n")
    patch = tmp_path / "change.patch"
    patch.write_text(result.stdout, encoding="utf-8")
    subprocess.run(["patch", "-p1", "-s", str(app), str(patch)], check=True, cwd=tmp_path)
    assert app.read_text(encoding="utf-8") == MIGRATED


def test_write_rewrites_in_place_keeping_the_mode(cli, app: Path) -> None:
    app.chmod(0o640)
    result = cli(["migrate", str(app), *MAP, "--write"])
    assert result.exit_code == 0, result.stderr
    assert app.read_text(encoding="utf-8") == MIGRATED
    assert app.stat().st_mode & 0o777 == 0o640
    assert "migrated 1 file(s) of 1" in result.stderr
    assert not [p for p in app.parent.iterdir() if p.name.endswith(".migrating")]
    again = cli(["migrate", str(app), *MAP, "--check"])
    assert again.exit_code == 0, again.stderr  # idempotent


def test_check_exits_1_and_writes_nothing(cli, app: Path) -> None:
    result = cli(["migrate", str(app), *MAP, "--check"])
    assert result.exit_code == 1
    assert result.stdout == f"would migrate {app}\n"
    assert app.read_text(encoding="utf-8") == LEGACY


def test_a_directory_is_walked_like_lint_walks_it(cli, tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text(LEGACY, encoding="utf-8")
    (tmp_path / "pkg" / "plain.py").write_text("print('hello')\n", encoding="utf-8")
    (tmp_path / "pkg" / "notes.txt").write_text(LEGACY, encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    (tmp_path / ".venv" / "lib.py").write_text(LEGACY, encoding="utf-8")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "gen.py").write_text(LEGACY, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "x.py").write_text(LEGACY, encoding="utf-8")
    result = cli(["migrate", str(tmp_path), *MAP, "--check"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"would migrate {tmp_path / 'pkg' / 'a.py'}"]
    assert "1 file(s) of 2 would be migrated" in result.stderr
    write = cli(["migrate", str(tmp_path), *MAP, "--write"])
    assert write.exit_code == 0, write.stderr
    assert (tmp_path / "pkg" / "a.py").read_text(encoding="utf-8") == MIGRATED
    assert (tmp_path / "ignored" / "x.py").read_text(encoding="utf-8") == LEGACY
    assert (tmp_path / ".venv" / "lib.py").read_text(encoding="utf-8") == LEGACY


def test_a_call_left_unchanged_is_an_error_at_its_line(cli, tmp_path: Path) -> None:
    path = tmp_path / "left.py"
    path.write_text(LEFT, encoding="utf-8")
    result = cli(["migrate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == LEFT
    assert f"{path}:7:97: error U003" in result.stderr
    assert "prompt is a parameter" in result.stderr


def test_json_report_of_a_directory(cli, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(LEGACY, encoding="utf-8")
    (tmp_path / "b.py").write_text(LEFT, encoding="utf-8")
    result = cli(["migrate", str(tmp_path), *MAP, "--diff", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stderr)
    found = {(Path(d["file"]).name, d["code"]) for d in report["diagnostics"]}
    assert ("a.py", "U001") in found and ("b.py", "U003") in found


@pytest.mark.parametrize(
    "data, code",
    [
        (b"\xff\xfeimport anthropic\n", "X001"),
        (b"print('completions')\x00\n", "X002"),
        (b"from anthropic import HUMAN_PROMPT\ndef broken(:\n", "U011"),
        (b"x = 'completions' " + b"(" * 5000 + b")" * 5000 + b"\n", None),
    ],
    ids=["utf-16", "nul", "syntax", "deep"],
)
def test_bad_input_is_a_located_diagnostic_never_a_traceback(cli, tmp_path: Path, data: bytes, code: str | None) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(data)
    result = cli(["migrate", str(path), "--check"])
    assert "Traceback" not in result.stderr
    assert result.exit_code == 1, result.stderr
    if code is not None:
        assert f" {code} " in result.stderr
    assert path.read_bytes() == data


def test_a_missing_file_is_x010(cli, tmp_path: Path) -> None:
    result = cli(["migrate", str(tmp_path / "gone.py"), "--check"])
    assert result.exit_code == 1
    assert "X010" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--diff", "--write"], "choose one"),
        (["--check", "-o", "x.py"], "-o/--output"),
    ],
)
def test_usage_errors_are_exit_2(cli, app: Path, args: list[str], message: str) -> None:
    result = cli(["migrate", str(app), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_several_files_need_a_mode(cli, app: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.py"
    other.write_text(LEGACY, encoding="utf-8")
    result = cli(["migrate", str(app), str(other)])
    assert result.exit_code == 2
    assert "--diff" in result.stderr


def test_diff_flags_are_for_python_only(cli) -> None:
    body = DATA / ".." / ".." / "samples" / "migrate" / "sdk_legacy_hello.request.json"
    result = cli(["migrate", os.fspath(body), "--diff"])
    assert result.exit_code == 2
    assert "for Python source" in result.stderr


def test_body_options_are_refused_for_python(cli, app: Path) -> None:
    result = cli(["migrate", str(app), "--to", "completion"])
    assert result.exit_code == 2
    assert "--to: for JSON bodies" in result.stderr
