"""``transcript convert`` and ``transcript migrate`` end to end, and lint of legacy prompts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from transcript.cli import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
PROMPTS = SAMPLES / "prompts"
runner = CliRunner()


def invoke(args: list[str], data: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, args, input=data)


@pytest.fixture
def cli():  # type: ignore[no-untyped-def]
    """The commands run in-process (fast); exceptions other than exits are re-raised."""

    def run(args: list[str], input: bytes | str | None = None):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, args, input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result

    return run


def test_prompt_to_messages_json_on_stdout(cli) -> None:
    """A prompt prints {"system", "messages"} as UTF-8 JSON; exit 0."""
    result = cli(["convert", str(PROMPTS / "multi_turn.txt")])
    assert result.exit_code == 0, result.stderr
    value = json.loads(result.stdout)
    assert value["system"] == "You are a concise assistant. Today is January 1, 2024."
    assert [m["role"] for m in value["messages"]] == ["user", "assistant", "user"]
    assert result.stderr == ""


def test_no_system_key_and_unescaped_unicode(cli) -> None:
    result = cli(["convert", str(PROMPTS / "unicode.txt")])
    assert result.exit_code == 0
    assert "system" not in json.loads(result.stdout)
    assert "日本語" in result.stdout and "\\u" not in result.stdout


def test_messages_to_prompt_is_byte_exact_without_newline(cli) -> None:
    """--to prompt prints the prompt exactly, no newline added."""
    data = json.dumps({"system": "S", "messages": [{"role": "user", "content": "Hi"}]})
    result = cli(["convert", "-", "--to", "prompt"], input=data)
    assert result.exit_code == 0
    assert result.stdout_bytes == b"S\n\nHuman: Hi\n\nAssistant:"


def test_direction_follows_the_input(cli) -> None:
    """Without --to: JSON becomes a prompt, text becomes messages."""
    as_json = cli(["convert", "-"], input='[{"role": "user", "content": "Hi"}]')
    assert as_json.stdout_bytes == b"\n\nHuman: Hi\n\nAssistant:"
    as_text = cli(["convert", "-"], input="\n\nHuman: Hi\n\nAssistant:")
    assert json.loads(as_text.stdout) == {"messages": [{"role": "user", "content": "Hi"}]}


def test_meta_round_trip_through_the_cli(cli, tmp_path: Path) -> None:
    """convert --meta | convert --to prompt gives back the prompt byte for byte."""
    prompt = "  \n\nHuman:first\n\nHuman: second \n\nAssistant:"
    src = tmp_path / "p.txt"
    src.write_bytes(prompt.encode())
    there = cli(["convert", str(src), "--meta"])
    assert there.exit_code == 0
    back = cli(["convert", "-", "--to", "prompt"], input=there.stdout_bytes)
    assert back.stdout_bytes == prompt.encode()


def test_merge_blocks_and_output_file(cli, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    result = cli(["convert", str(PROMPTS / "consecutive_turns.txt"), "--merge", "blocks", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    value = json.loads(out.read_text("utf-8"))
    assert len(value["messages"]) == 1 and len(value["messages"][0]["content"]) == 2
    assert "P012" in result.stderr


@pytest.mark.parametrize("path", sorted((PROMPTS / "invalid").glob("*.txt")), ids=lambda p: p.name)
def test_invalid_prompt_samples_fail_with_their_code(cli, path: Path) -> None:
    """Each invalid sample exits 1 with nothing on stdout and the code its name says."""
    result = cli(["convert", str(path), "--to", "messages"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert path.name.split("-")[0] in result.stderr


@pytest.mark.parametrize("path", sorted((PROMPTS / "invalid").glob("*.json")), ids=lambda p: p.name)
def test_invalid_render_samples_fail_with_their_code(cli, path: Path) -> None:
    result = cli(["convert", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert path.name.split("-")[0] in result.stderr


@pytest.mark.parametrize("path", sorted(p for p in PROMPTS.iterdir() if p.is_file()), ids=lambda p: p.name)
def test_valid_prompt_samples_convert(cli, path: Path) -> None:
    result = cli(["convert", str(path)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["messages"]


def test_policies_are_options(cli) -> None:
    """--empty-turns, --strict, --defuse, --on-unsupported reach the converter."""
    empty = "\n\nHuman:\n\nAssistant: a\n\nHuman: b\n\nAssistant:"
    assert cli(["convert", "-"], input=empty).exit_code == 1
    placeholder = cli(["convert", "-", "--empty-turns", "placeholder:(none)"], input=empty)
    assert placeholder.exit_code == 0 and "(none)" in placeholder.stdout
    assert cli(["convert", "-", "--strict"], input="\n\nHuman: Hi").exit_code == 1
    inject = '[{"role": "user", "content": "a\\n\\nHuman: b"}]'
    assert cli(["convert", "-"], input=inject).exit_code == 1
    assert cli(["convert", "-", "--defuse"], input=inject).stdout_bytes == b"\n\nHuman: a\n\nH: b\n\nAssistant:"
    image = '[{"role": "user", "content": [{"type": "image", "source": {}}, {"type": "text", "text": "x"}]}]'
    assert cli(["convert", "-", "--on-unsupported", "placeholder"], input=image).stdout_bytes == (
        b"\n\nHuman: [image]x\n\nAssistant:"
    )


def test_diagnostics_in_json_format_on_stderr(cli) -> None:
    result = cli(["convert", "-", "--format", "json"], input="Hello")
    assert result.exit_code == 1 and result.stdout == ""
    report = json.loads(result.stderr)
    (d,) = report["diagnostics"]
    assert d["code"] == "P004" and d["file"] == "<stdin>" and d["line"] == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "X003"), (b"\x00\x01\x02", "X002"), (b"\n\nHuman: caf\xe9\n\nAssistant:", "X001")],
)
def test_bad_bytes(cli, data: bytes, code: str) -> None:
    result = cli(["convert", "-"], input=data)
    assert result.exit_code == 1 and code in result.stderr and "Traceback" not in result.stderr


def test_prompt_where_json_expected_and_the_reverse(cli) -> None:
    """Each gets a located diagnostic with a hint towards the other direction."""
    prompt_as_json = cli(["convert", "-", "--to", "prompt"], input="\n\nHuman: Hi\n\nAssistant:")
    assert prompt_as_json.exit_code == 1 and "X004" in prompt_as_json.stderr and "--to messages" in prompt_as_json.stderr
    json_as_prompt = cli(["convert", "-", "--to", "messages"], input='{"messages": []}')
    assert json_as_prompt.exit_code == 1 and "P004" in json_as_prompt.stderr and "--to prompt" in json_as_prompt.stderr


def test_usage_errors_exit_2(cli) -> None:
    assert cli(["convert", "-", "--merge", "zip"], input="x").exit_code == 2
    assert cli(["convert", "-", "--to", "xml"], input="x").exit_code == 2
    assert cli(["migrate", "-", "--model-map", "nothing"], input="{}").exit_code == 2


def test_missing_file_is_one_line_exit_2(tmp_path: Path) -> None:
    """Through the real entry point (python -m transcript): one line, exit 2."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "transcript", "convert", str(tmp_path / "missing.txt")],
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 2 and proc.stdout == b""
    assert proc.stderr.decode().count("\n") == 1 and b"Traceback" not in proc.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=40)
    | st.lists(st.sampled_from([b"\n\nHuman:", b"\n\nAssistant:", b" ", b"{", b"[", b"\xff", b"x", b"\r\n"]), max_size=8).map(b"".join),
    st.sampled_from([[], ["--to", "prompt"], ["--to", "messages"], ["--strict"]]),
)
def test_cli_never_tracebacks_on_any_bytes(data: bytes, extra: list[str]) -> None:
    """Any bytes on stdin: exit 0 or 1, never an exception."""
    result = invoke(["convert", "-", *extra], data)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=60) | st.text(max_size=60).map(lambda s: ('{"prompt": ' + json.dumps(s) + "}").encode()))
def test_migrate_never_tracebacks_on_any_bytes(data: bytes) -> None:
    result = invoke(["migrate", "-"], data)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)


# ------------------------------------------------------------------ migrate


def copy_sample(tmp_path: Path, *parts: str) -> str:
    """A sample copied out of the repository, so its per-file-ignores do not apply."""
    source = SAMPLES.joinpath(*parts)
    target = tmp_path / source.name
    target.write_bytes(source.read_bytes())
    return str(target)


def test_migrate_real_sdk_request(cli, tmp_path: Path) -> None:
    """The real SDK request uses the claude-1 alias: an error until mapped."""
    path = copy_sample(tmp_path, "migrate", "sdk_legacy_hello.request.json")
    failed = cli(["migrate", path])
    assert failed.exit_code == 1 and failed.stdout == "" and "L002" in failed.stderr
    mapped = cli(["migrate", path, "--model-map", "claude-1=claude-sonnet-4-5"])
    assert mapped.exit_code == 0
    body = json.loads(mapped.stdout)
    assert body["model"] == "claude-sonnet-4-5" and body["max_tokens"] == 256
    assert body["messages"] == [{"role": "user", "content": "Hello, world!"}]


def test_migrate_jsonl(cli) -> None:
    """JSONL in, JSONL out: one compact body per line."""
    result = cli(["migrate", str(SAMPLES / "legacy" / "requests.jsonl")])
    assert result.exit_code == 0, result.stderr
    bodies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [b["model"] for b in bodies] == ["claude-2.1", "claude-instant-1.2", "claude-2.0"]
    assert bodies[2]["messages"][-1] == {"role": "assistant", "content": "The smallest is"}


@pytest.mark.parametrize(("name", "line"), [("L002-model-alias.jsonl", 2), ("X004-broken-line.jsonl", 2)])
def test_migrate_jsonl_keeps_good_lines(cli, tmp_path: Path, name: str, line: int) -> None:
    """A bad line is reported at its file line and left out; the others convert."""
    path = copy_sample(tmp_path, "legacy", "invalid", name)
    result = cli(["migrate", path])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(text)["max_tokens"] for text in lines)
    assert f"{name}:{line}:" in result.stderr and name.split("-")[0] in result.stderr


def test_migrate_jsonl_with_model_map(cli) -> None:
    path = str(SAMPLES / "legacy" / "invalid" / "L002-model-alias.jsonl")
    ok = cli(["migrate", path, "--model-map", "claude-2=claude-sonnet-4-5"])
    assert ok.exit_code == 0 and len(ok.stdout.splitlines()) == 3


def test_migrate_response_with_request(cli) -> None:
    result = cli(
        [
            "migrate",
            str(SAMPLES / "legacy" / "bedrock_completion_response.json"),
            "--request",
            str(SAMPLES / "legacy" / "bedrock_completion_request.json"),
        ]
    )
    assert result.exit_code == 0
    message = json.loads(result.stdout)
    assert message["stop_reason"] == "stop_sequence" and message["stop_sequence"] == "END"
    assert message["usage"] == {"input_tokens": 21, "output_tokens": 7}


def test_migrate_message_to_completion(cli) -> None:
    path = str(SAMPLES / "legacy" / "message_response.json")
    result = cli(["migrate", path])
    assert result.exit_code == 0 and json.loads(result.stdout)["type"] == "completion"
    assert cli(["migrate", path, "--to", "messages"]).exit_code == 1


# --------------------------------------------------------------------- lint


def test_lint_prompt_files(cli) -> None:
    """lint reads .txt prompts, reports every prompt diagnostic, and exits 1 on errors."""
    result = cli(["lint", str(PROMPTS / "invalid" / "P005-first-turn-not-human.txt")])
    assert result.exit_code == 1 and "P005" in result.stdout
    clean = cli(["lint", str(PROMPTS / "multi_turn.txt"), str(PROMPTS / "sdk_legacy_hello.prompt.txt")])
    assert clean.exit_code == 0, clean.stdout


def test_lint_stdin_with_kind_prompt(cli) -> None:
    result = cli(["lint", "-", "--kind", "prompt"], input="\n\nHuman: a\n\nHuman:\n\nAssistant:")
    assert result.exit_code == 1
    assert "P014" in result.stdout and "P012" in result.stdout


def test_lint_strict_makes_repairs_errors(cli) -> None:
    assert cli(["lint", "-", "--kind", "prompt"], input="\n\nHuman: Hi").exit_code == 0
    assert cli(["lint", "-", "--kind", "prompt", "--strict"], input="\n\nHuman: Hi").exit_code == 1


def test_lint_completion_request(cli, tmp_path: Path) -> None:
    result = cli(["lint", copy_sample(tmp_path, "migrate", "sdk_legacy_hello.request.json")])
    assert result.exit_code == 1 and "L002" in result.stdout


def test_separators_take_backslash_escapes(cli) -> None:
    """--join-separator '\\n--\\n' means newline, dashes, newline."""
    from transcript.cli.options import unescape

    assert unescape(r"a\nb\tc\\n\q") == "a\nb\tc\\n\\q"
    result = cli(["convert", "-", "--merge", "join", "--join-separator", r"\n--\n"], input="\n\nHuman: a\n\nHuman: b\n\nAssistant:")
    assert json.loads(result.stdout)["messages"][0]["content"] == "a\n--\nb"


def test_byte_order_mark_is_not_system_text(cli) -> None:
    result = cli(["convert", "-"], input="\ufeff\n\nHuman: hi\n\nAssistant:".encode())
    assert json.loads(result.stdout) == {"messages": [{"role": "user", "content": "hi"}]}


def test_migrate_a_prompt_is_located_x004(cli) -> None:
    """A prompt given to migrate is X004 at its first marker, pointing to convert."""
    result = cli(["migrate", "-"], input="sys\n\nHuman: hi\n\nAssistant:")
    assert result.exit_code == 1 and result.stdout == ""
    assert "<stdin>:3:1: error X004" in result.stderr and "transcript convert" in result.stderr


def test_migrate_writes_deep_json_and_big_integers(cli) -> None:
    """Values orjson cannot write (more than 255 levels, integers beyond 64 bits) still print.

    Regression: the input parser accepts 1024 levels and integers of any size, but the
    output went through orjson alone, and migrate died with an internal error (exit 2).
    """
    deep = "[" * 900 + "]" * 900
    body = '{"model": "claude-sonnet-4-5", "max_tokens": 10, "metadata": {"a": ' + deep + "}, " '"messages": [{"role": "user", "content": "hi"}]}'
    result = cli(["migrate", "-"], input=body)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("{") and result.stdout.count("[") >= 900
    big = 123456789012345678901234567890
    body = json.dumps({"model": "claude-sonnet-4-5", "max_tokens": big, "messages": [{"role": "user", "content": "hi"}]})
    result = cli(["migrate", "-"], input=body)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["max_tokens_to_sample"] == big
    result = cli(["migrate", "-", "--jsonl"], input=body + "\n" + body + "\n")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["max_tokens_to_sample"] for line in result.stdout.splitlines()] == [big, big]


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["convert", "-", "--merge", "bogus"], "--merge must be"),
        (["convert", "-", "--empty-turns", "nope"], "--empty-turns must be"),
        (["migrate", "-", "--on-unsupported", "nope"], "--on-unsupported must be"),
    ],
)
def test_bad_policy_values_name_the_flag(cli, args: list[str], flag: str) -> None:
    """Regression: the usage error named the Python keyword ('empty_turns must be ...')."""
    result = cli(args, input="\n\nHuman: hi\n\nAssistant:")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"transcript: error: {flag}")
