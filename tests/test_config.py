"""Configuration from pyproject.toml or transcript.toml, with command-line flags on top."""

from __future__ import annotations

from pathlib import Path

import pytest

from transcript.core.diagnostics import Diagnostic, Location, Severity
from transcript.lint.config import Config, ConfigError, find_config, load_config


def diag(code: str, file: str = "a.json", severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code, code.lower(), severity, "m", Location(file=file))


def test_pyproject_table_is_found_from_a_subdirectory(tmp_path: Path) -> None:
    """The nearest pyproject.toml with [tool.transcript] is used, from any subdirectory."""
    (tmp_path / "pyproject.toml").write_text('[tool.transcript]\nignore = ["M001"]\ntarget = "bedrock"\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(sub) == tmp_path / "pyproject.toml"
    config = load_config(start=sub)
    assert config.ignore == ("M001",) and config.target == "bedrock"


def test_transcript_toml_wins_and_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    """transcript.toml takes its keys at top level; a pyproject without the table is not a config."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname='x'\n")
    assert find_config(tmp_path) is None or find_config(tmp_path).name != "pyproject.toml" or False
    (tmp_path / "transcript.toml").write_text('select = ["P"]\n')
    assert load_config(start=tmp_path).select == ("P",)


@pytest.mark.parametrize(
    "body",
    [
        "select = 'P'",
        "nonsense = 1",
        "severity = { P001 = 'fatal' }",
        "target = 'openai'",
        "per-file-ignores = { 'a' = 'P' }",
        "this is not toml",
    ],
)
def test_bad_configuration_is_a_config_error(tmp_path: Path, body: str) -> None:
    """Wrong types, unknown keys and invalid TOML are reported, never ignored."""
    path = tmp_path / "transcript.toml"
    path.write_text(body)
    with pytest.raises(ConfigError):
        load_config(path)


def test_selection_ignore_per_file_ignores_and_severity(tmp_path: Path) -> None:
    """select, ignore, per-file-ignores and severity overrides shape what is reported."""
    config = Config(
        select=["P", "M"],
        ignore=["M002"],
        per_file_ignores={"legacy/*.txt": ("P1",)},
        severity={"M001": Severity.WARNING},
        root=tmp_path,
    )
    out = config.apply(
        [
            diag("P101", str(tmp_path / "legacy" / "a.txt")),
            diag("P101", str(tmp_path / "new" / "a.txt")),
            diag("M002"),
            diag("M001"),
            diag("X001"),
        ]
    )
    assert [(d.code, d.location.file, d.severity) for d in out] == [
        ("P101", str(tmp_path / "new" / "a.txt"), Severity.ERROR),
        ("M001", "a.json", Severity.WARNING),
    ]


def test_cli_flags_win_over_the_file() -> None:
    """--select replaces, --extend-select and --ignore add, --target replaces."""
    config = Config(select=["P"], ignore=["P001"], target="anthropic")
    merged = config.with_cli(select=["M,T"], extend_select=["X"], ignore=["M001"], target="vertex")
    assert merged.select == ("M", "T") and merged.extend_select == ("X",)
    assert merged.ignore == ("P001", "M001") and merged.target == "vertex"
    with pytest.raises(ConfigError):
        config.with_cli(target="nowhere")


def test_exclude_globs(tmp_path: Path) -> None:
    """exclude globs match relative paths, with ** and bare names."""
    config = Config(exclude=["samples/**/invalid/**", "build"], root=tmp_path)
    assert config.is_excluded(tmp_path / "samples" / "prompts" / "invalid" / "x.txt")
    assert config.is_excluded(tmp_path / "build" / "x.json")
    assert not config.is_excluded(tmp_path / "samples" / "prompts" / "valid" / "x.txt")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"select": ["nope"]}, "--select: 'nope' is not a rule code or prefix"),
        ({"select": ["P,M0O1"]}, "'M0O1'"),
        ({"extend_select": ["Z"]}, "--extend-select"),
        ({"ignore": ["X999"]}, "--ignore: 'X999'"),
    ],
)
def test_a_selector_that_chooses_no_rule_is_an_error(flags: dict, message: str) -> None:
    """Regression: --select nope selected nothing, so every file passed with exit 0."""
    with pytest.raises(ConfigError, match=message):
        Config().with_cli(**flags)
    assert Config().with_cli(select=["p", "M001", "ALL"], ignore=["x00"]).select == ("P", "M001", "ALL")


@pytest.mark.parametrize(
    "body",
    ["select = ['nope']", "ignore = ['Q']", "per-file-ignores = { 'a/*' = ['P999'] }", "severity = { P1 = 'error' }"],
)
def test_a_configuration_naming_no_rule_is_an_error(tmp_path: Path, body: str) -> None:
    """The same check for the configuration file (a severity override needs a full code)."""
    path = tmp_path / "transcript.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match="is not a rule code"):
        load_config(path)


def test_betas_and_model_tables_are_read() -> None:
    from transcript.lint.config import from_mapping

    config = from_mapping(
        {"betas": ["context-1m-2025-08-07"],
         "models": {"claude-opus-4-8": {"prefill": True}, "claude-house-1": {"max_output_tokens": 100, "family": "opus"}}}
    )
    assert config.betas == ("context-1m-2025-08-07",)
    opus = config.models["claude-opus-4-8"]
    assert opus.prefill is True and opus.max_output_tokens == 128000 and opus.override  # the rest from the table
    assert config.models["claude-house-1"].max_output_tokens == 100


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"models": {"claude-x": {"max_output_tokens": "lots"}}}, "models.claude-x: max_output_tokens"),
        ({"models": {"claude-x": 3}}, "models must be tables"),
        ({"betas": "context-1m-2025-08-07"}, "betas must be a list of strings"),
    ],
)
def test_bad_model_tables_are_config_errors(table: dict, words: str) -> None:
    from transcript.lint.config import ConfigError, from_mapping

    with pytest.raises(ConfigError, match=words):
        from_mapping(table)
