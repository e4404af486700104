"""The command line: version, help, exit statuses, one-line usage errors, the rule catalogue."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from transcript.cli.rules import catalogue_markdown

ROOT = Path(__file__).resolve().parent.parent


def test_version(cli) -> None:
    """--version prints the version."""
    from transcript import __version__

    result = cli(["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"transcript {__version__}"


@pytest.mark.parametrize("command", ["lint", "rules", "rule", "kinds", "convert", "migrate", "replay"])
def test_every_command_has_help_with_an_example(cli, command: str) -> None:
    """Each command's --help works and shows an example."""
    result = cli([command, "--help"])
    assert result.exit_code == 0, result.stderr
    assert "Example" in result.stdout


def test_usage_errors_are_one_line_and_exit_2(cli, tmp_path: Path) -> None:
    """A bad option, a bad format or standard input twice is one line on stderr and exit 2."""
    for args in (["lint", "--format", "nope", "x"], ["lint", "--bogus"], ["lint", "-", "-"]):
        result = cli(args)
        assert result.exit_code == 2, args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("transcript: error: ")
        assert "Traceback" not in result.stderr


def test_bad_config_is_a_usage_error(cli, tmp_path: Path) -> None:
    """A broken configuration file stops the run with exit 2."""
    (tmp_path / "transcript.toml").write_text("select = 3\n")
    (tmp_path / "a.json").write_text("{}")
    result = cli(["lint", "a.json"], cwd=tmp_path)
    assert result.exit_code == 2 and "select must be a list" in result.stderr


def test_lint_bad_json_from_stdin_exits_1_with_a_located_diagnostic(cli) -> None:
    """Invalid JSON on stdin is reported at its line and column."""
    result = cli(["lint", "-", "--format", "json"], input='{\n  "model": \n}')
    assert result.exit_code == 1, result.stderr
    doc = json.loads(result.stdout)
    (d,) = doc["diagnostics"]
    assert (d["code"], d["file"], d["line"]) == ("X004", "<stdin>", 3)


def test_lint_binary_garbage_exits_1(cli, tmp_path: Path) -> None:
    """Binary bytes are a located diagnostic, not a traceback."""
    path = tmp_path / "garbage.json"
    path.write_bytes(bytes(range(256)) * 10)
    result = cli(["lint", str(path)])
    assert result.exit_code == 1 and "X002" in result.stdout and "Traceback" not in result.stderr


def test_exit_zero_and_output_file(cli, tmp_path: Path) -> None:
    """--exit-zero exits 0 on errors; --output-file writes the report there."""
    path = tmp_path / "a.json"
    path.write_text("{,}")
    out = tmp_path / "report.sarif"
    result = cli(["lint", str(path), "--format", "sarif", "--output-file", str(out), "--exit-zero"])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["runs"][0]["results"][0]["ruleId"] == "X004"


def test_select_and_ignore_flags(cli, tmp_path: Path) -> None:
    """--ignore drops a code and the run passes."""
    path = tmp_path / "a.json"
    path.write_text("{,}")
    assert cli(["lint", str(path), "--ignore", "X004"]).exit_code == 0
    assert cli(["lint", str(path), "--select", "X00"]).exit_code == 1


def test_rules_and_rule(cli) -> None:
    """rules lists the registry; rule CODE explains one with its examples; unknown codes exit 2."""
    listing = cli(["rules"])
    assert listing.exit_code == 0 and "X004  invalid-json" in listing.stdout
    as_json = json.loads(cli(["rules", "X", "--format", "json"]).stdout)
    assert {r["code"] for r in as_json} >= {"X001", "X004"}
    one = cli(["rule", "X006"])
    assert one.exit_code == 0 and "Bad:" in one.stdout and "Good:" in one.stdout
    assert cli(["rule", "Q999"]).exit_code == 2


def test_docs_rules_md_is_generated_from_the_registry() -> None:
    """docs/rules.md is exactly what the registry generates (run: transcript rules --format markdown)."""
    assert (ROOT / "docs" / "rules.md").read_bytes().decode("utf-8") == catalogue_markdown()


def test_python_dash_m_runs_from_any_directory(tmp_path: Path) -> None:
    """`python -m transcript` works from outside the repository, grammar and schemas included."""
    import subprocess
    import sys

    prompt = tmp_path / "p.txt"
    prompt.write_text("\n\nHuman: Hi\n\nAssistant:")
    request = tmp_path / "r.json"
    request.write_text('{"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "x"}]}')
    for args in (["convert", str(prompt)], ["lint", str(request)]):
        proc = subprocess.run([sys.executable, "-m", "transcript", *args], cwd=tmp_path, capture_output=True, timeout=60)
        assert proc.returncode == 0, proc.stderr


def test_dumps_json_writes_what_the_parser_accepts() -> None:
    """Regression: the stdlib encoder hit the recursion limit on values nested ~1000 deep."""
    import sys

    from transcript.core.jsontext import dumps_json, load_json

    text = "[" * 1020 + "]" * 1020
    value, diagnostics = load_json(text)
    assert diagnostics == []
    limit = sys.getrecursionlimit()
    assert dumps_json(value, separators=(",", ":")) == text
    assert dumps_json(value, indent=2).count("[") == 1020
    assert sys.getrecursionlimit() == limit


def test_an_unknown_rule_code_says_where_to_look_once(cli) -> None:
    """Regression: 'rule ZZZ' ended "(see 'transcript rules') (see 'transcript rule --help')"."""
    result = cli(["rule", "ZZZ"])
    assert result.exit_code == 2
    assert result.stderr.count("(see ") == 1 and "transcript rules" in result.stderr


def test_help_paragraphs_are_reflowed_to_the_terminal() -> None:
    """Regression: docstring paragraphs kept their ~88-column line breaks, and the help
    re-wrapped each line at 80 columns, leaving words like 'broken' alone on a line."""
    from transcript.cli import app, load_commands

    load_commands()
    for info in app.registered_commands:
        assert info.help, info.callback
        for paragraph in info.help.split("\n\n"):
            assert paragraph.startswith("\b") or "\n" not in paragraph, (info.callback, paragraph)


def test_help_at_80_columns_has_no_orphan_words() -> None:
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "transcript", "replay", "--help"],
        capture_output=True,
        env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1"},
        cwd=str(Path(__file__).parent),
        timeout=60,
    )
    text = proc.stdout.decode()
    assert proc.returncode == 0
    assert "a broken or truncated one" in " ".join(text.split())
    lone = [line for line in text.splitlines() if line.strip() and len(line.split()) == 1 and line.strip().isalpha()]
    assert lone == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(cli, tmp_path: Path, fmt: str) -> None:
    """Regression: such a name crashed SARIF and text output; JSON wrote invalid UTF-8."""
    name = os.fsdecode(b"bad\xffname.json")
    (tmp_path / name).write_text('{"model": "claude-sonnet-4-5", "messages": []}', encoding="utf-8")
    out = tmp_path / "report.out"
    result = cli(["lint", os.fsencode(tmp_path / name), "--format", fmt, "--output-file", str(out)])
    assert result.exit_code == 1, result.stderr
    data = out.read_bytes()
    data.decode("utf-8")  # valid UTF-8 whatever the name
    if fmt in ("json", "sarif"):
        json.loads(data)
    assert b"bad" in data


def test_output_file_is_replaced_only_by_a_complete_report(cli, tmp_path: Path) -> None:
    """A run that cannot write its report leaves the old report whole (written, then renamed)."""
    out = tmp_path / "report.json"
    out.write_text("old report", encoding="utf-8")
    good = tmp_path / "r.json"
    good.write_text('{"model": "claude-sonnet-4-5", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}')
    result = cli(["lint", str(good), "--format", "json", "--output-file", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text())["summary"]["errors"] == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report")] == []
    assert oct(out.stat().st_mode & 0o777) != oct(0o600)


def test_rules_kind_takes_the_names_of_kinds_and_rejects_unknown_ones(cli) -> None:
    """Issue 8: rules --kind took runner names, and an unknown one printed nothing with exit 0."""
    kinds = json.loads(cli(["kinds", "--format", "json"]).stdout)
    names = {k["name"] for k in kinds}
    assert {"request", "conversation", "bedrock-request", "vertex-request", "prompt", "stream"} <= names
    for name in ("prompt", "bedrock-request", "stream"):
        result = cli(["rules", "--kind", name, "--format", "json"])
        assert result.exit_code == 0, result.stderr
        codes = {r["code"][0] for r in json.loads(result.stdout)}
        assert "X" in codes and ({"P"} if name == "prompt" else {"S"} if name == "stream" else {"R", "M", "V"}) <= codes
    result = cli(["rules", "--kind", "schema-request"])
    assert result.exit_code == 2 and "unknown kind" in result.stderr
    assert cli(["rules", "--runner", "nope"]).exit_code == 2


def test_output_format_is_an_alias_of_format(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("\n\nHuman: hi\n\nAssistant:")
    result = cli(["lint", str(tmp_path / "a.txt"), "--output-format", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["version"] == 1


def test_lint_beta_and_the_betas_config_key(cli, tmp_path: Path) -> None:
    """--beta (repeatable) and the betas key say which anthropic-beta the requests are sent with."""
    req = tmp_path / "req.json"
    req.write_text('{"model": "claude-3-7-sonnet-20250219", "max_tokens": 100000, '
                   '"messages": [{"role": "user", "content": "Hi"}]}', encoding="utf-8")
    unknown = cli(["lint", str(req), "--format", "json"])
    assert unknown.exit_code == 0 and '"R003"' in unknown.stdout  # a warning: the headers are not known
    assert cli(["lint", str(req), "--beta", "a", "--beta", "output-128k-2025-02-19"]).exit_code == 0
    missing = cli(["lint", str(req), "--beta", "something-else"])
    assert missing.exit_code == 1 and "output-128k-2025-02-19" in missing.stdout
    (tmp_path / "transcript.toml").write_text('betas = ["output-128k-2025-02-19"]\n', encoding="utf-8")
    configured = cli(["lint", str(req), "--format", "json"], cwd=tmp_path)
    assert configured.exit_code == 0 and '"R003"' not in configured.stdout


def test_every_command_is_found_by_its_name_and_a_run_loads_its_own_only() -> None:
    """The commands' modules are imported when a run needs them: each command's name leads
    to the module that registers it, and a lint does not load libcst or the server."""
    import subprocess
    import sys

    from transcript.cli import COMMANDS, app, load_commands

    load_commands()
    registered = {info.name or info.callback.__name__ for info in app.registered_commands if info.callback is not None}
    assert registered == set(COMMANDS)
    for name, module in COMMANDS.items():
        assert any(info.callback.__module__ == module for info in app.registered_commands if (info.name or info.callback.__name__) == name)
    probe = (
        "import sys; from transcript.cli import main\n"
        "try:\n    main(['lint', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('libcst', 'starlette', 'uvicorn', 'transcript.cli.migrate', 'transcript.cli.serve') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
