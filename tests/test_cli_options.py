"""The option groups and the report pipeline that every command shares."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Annotated, Optional

import attrs
import pytest
from attrs import field, frozen

from transcript.cli.convert import convert
from transcript.cli.groups import flag, group_from_attrs, with_groups
from transcript.cli.lint import lint
from transcript.cli.migrate import migrate
from transcript.cli.options import PARSE, RENDER
from transcript.cli.replay import replay
from transcript.cli.report import REPORT, ReportOptions
from transcript.prompt.convert import convert_direction, strip_bom
from transcript.prompt.parse import ParseOptions
from transcript.prompt.render import RenderOptions


def _options(command: object) -> set[str]:
    return set(inspect.signature(command).parameters)  # type: ignore[arg-type]


def test_policy_options_are_the_attrs_fields() -> None:
    """convert takes one option per ParseOptions / RenderOptions field: a new field needs no CLI edit but its help."""
    fields = {f.name for cls in (ParseOptions, RenderOptions) for f in attrs.fields(cls)}
    assert fields <= _options(convert)
    assert set(PARSE.names) | set(RENDER.names) | {"strict"} == fields


@pytest.mark.parametrize("command", [convert, migrate, lint, replay])
def test_every_command_takes_the_report_options(command: object) -> None:
    assert set(REPORT.names) <= _options(command)
    assert set(REPORT.names) == {f.name for f in attrs.fields(ReportOptions)}


def test_a_field_without_a_flag_is_an_error() -> None:
    @frozen
    class Half:
        shown: bool = field(default=False, metadata={"flag": flag(help="Shown.")})
        forgotten: bool = False

    with pytest.raises(TypeError, match="forgotten"):
        group_from_attrs(Half)


def test_an_option_given_twice_is_an_error() -> None:
    def command(
        *,
        select: Annotated[Optional[list[str]], "not a typer option"] = None,  # noqa: UP007
        report: Annotated[ReportOptions, REPORT],
    ) -> None:
        """A command that declares --select beside the report options."""

    with pytest.raises(TypeError, match="select"):
        with_groups(command)


def test_a_group_arrives_as_one_value() -> None:
    seen: list[ReportOptions] = []

    def command(*, name: str = "x", report: Annotated[ReportOptions, REPORT]) -> None:
        """Records its report options."""
        seen.append(report)

    wrapped = with_groups(command)
    assert list(inspect.signature(wrapped).parameters)[0] == "name"
    defaults = {n: p.default for n, p in inspect.signature(wrapped).parameters.items()}
    wrapped(**{**defaults, "exit_zero": True})
    assert seen == [ReportOptions(exit_zero=True)]


@pytest.mark.parametrize(
    ("name", "text", "direction"),
    [
        ("a.json", "\n\nHuman: hi", "prompt"),
        ("a.jsonl", "", "prompt"),
        ("a.txt", '{"messages": []}', "messages"),
        ("a.prompt", "{}", "messages"),
        ("a.prompt.txt", "{}", "messages"),
        ("<stdin>", ' \ufeff{"messages": []}', "prompt"),
        ("<stdin>", '{"x": "\n\nHuman: hi"}', "messages"),
        ("notes", "Human: hi", "messages"),
    ],
)
def test_convert_direction(name: str, text: str, direction: str) -> None:
    assert convert_direction(name, text) == direction


def test_strip_bom() -> None:
    assert strip_bom("\ufeff\ufeffx") == "\ufeffx" and strip_bom("x") == "x"


@pytest.mark.parametrize("command", ["convert", "migrate"])
def test_config_is_found_beside_the_input_for_every_command(cli, tmp_path: Path, command: str) -> None:
    """convert and migrate read the nearest configuration from their input, as lint does."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "transcript.toml").write_text('[severity]\nP011 = "error"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if command == "convert":
        (project / "p.txt").write_text("\n\nHuman: Hi")
        args = ["convert", str(project / "p.txt")]
    else:
        (project / "r.json").write_text('{"model": "claude-3-haiku-20240307", "max_tokens_to_sample": 5, "prompt": "\\n\\nHuman: Hi"}')
        args = ["migrate", str(project / "r.json")]
    result = cli(args, cwd=elsewhere)
    assert result.exit_code == 1 and "error P011" in result.stderr, result.stderr
    ignored = cli([*args, "--config", str(elsewhere / "none.toml")], cwd=elsewhere)
    assert ignored.exit_code == 2 and "no such configuration file" in ignored.stderr


def test_extend_select_applies_to_convert(cli, tmp_path: Path) -> None:
    (tmp_path / "transcript.toml").write_text('select = ["X"]\n')
    (tmp_path / "p.txt").write_text("\n\nHuman: Hi")
    assert "P011" not in cli(["convert", str(tmp_path / "p.txt")]).stderr
    assert "P011" in cli(["convert", str(tmp_path / "p.txt"), "--extend-select", "P011"]).stderr
