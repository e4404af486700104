"""The report pipeline every command shares (transcript.cli.report): failures never silent, --exit-zero everywhere."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEGACY = ROOT / "samples" / "migrate" / "sdk_legacy_hello.request.json"


def test_a_failure_hidden_by_the_configuration_is_said_in_one_line(cli, tmp_path: Path) -> None:
    """Issue 8: with a config ignoring L002, migrate printed nothing at all and exited 1."""
    (tmp_path / "transcript.toml").write_text('ignore = ["L002"]\n')
    (tmp_path / "legacy.json").write_bytes(LEGACY.read_bytes())
    result = cli(["migrate", "legacy.json"], cwd=tmp_path)
    assert result.exit_code == 1 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "L002" in lines[0] and "nothing was written" in lines[0], result.stderr


def test_exit_zero_is_honoured_by_convert_migrate_and_replay(cli, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("\n\nHuman: \n\nAssistant: x\n\nHuman: hi\n\nAssistant:")
    (tmp_path / "cut.sse").write_text("event: message_start\ndata: {\"type\": \"message_start\"\n\n")
    for args in (["convert", "empty.txt"], ["migrate", str(LEGACY)], ["replay", "cut.sse"]):
        failing = cli(args, cwd=tmp_path)
        assert failing.exit_code == 1, (args, failing.stderr)
        assert cli([*args, "--exit-zero"], cwd=tmp_path).exit_code == 0, args
